"""When a time limit runs out. Pure functions over a WorkCalendar.

Working days: the day the clock starts does not count; the deadline is the end of the N-th working
day after the start date (N = 0: the end of the start date). A pause pushes the deadline out by its
working days, counting the day it starts and not the day it ends. Hours run around the clock and a
pause adds its exact duration."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from yizhan.calendar.workdays import WorkCalendar, end_of_day, local_date
from yizhan.clock.limits import Limit, LimitUnit

Interval = tuple[datetime, datetime | None]


def _open_end(end: datetime | None, now: datetime | None) -> datetime:
    if end is not None:
        return end
    if now is None:
        raise ValueError("an open pause needs `now` to be measured")
    return now


def paused_workdays(pauses: Iterable[Interval], cal: WorkCalendar, now: datetime | None = None) -> int:
    """Working days of the pauses: the start day counts, the end day does not. A pause still running
    counts through today, as though it ended tomorrow."""
    total = 0
    for start, end in pauses:
        end_day: date = local_date(end) if end is not None else local_date(_open_end(end, now)) + timedelta(days=1)
        total += cal.workdays_in(local_date(start), end_day)
    return total


def compute_deadline(
    start: datetime, limit: Limit, pauses: Iterable[Interval], cal: WorkCalendar, now: datetime | None = None
) -> datetime:
    pauses = list(pauses)
    if limit.unit == LimitUnit.HOURS:
        paused = sum((_open_end(end, now) - s for s, end in pauses), timedelta())
        return start + timedelta(hours=limit.amount) + paused
    day = cal.add_workdays(local_date(start), limit.amount + paused_workdays(pauses, cal, now))
    return end_of_day(day)


def is_provisional(start: datetime, deadline: datetime, limit: Limit, cal: WorkCalendar) -> bool:
    """A working-day deadline that crossed a year with no official schedule is only an estimate."""
    if limit.unit == LimitUnit.HOURS:
        return False
    return cal.provisional_between(local_date(start), local_date(deadline))


def overdue_amount(deadline: datetime, when: datetime, unit: LimitUnit, cal: WorkCalendar) -> int:
    """How far past the deadline `when` is: working days (at least 1 once past) or started hours."""
    if when <= deadline:
        return 0
    if unit == LimitUnit.HOURS:
        hours, rest = divmod(when - deadline, timedelta(hours=1))
        return hours + (1 if rest else 0)
    return max(1, cal.workdays_between(local_date(deadline), local_date(when)))
