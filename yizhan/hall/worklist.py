"""A window's worklist (the clerk's queue of open cases): green-channel cases first, then red (overdue
included), yellow, normal, then by the nearest deadline.

The deadline that orders a case is the one it is running against: the promised deadline once
accepted, the one-time-notice deadline (5 working days) while submitted; a paused or stopped clock
orders as normal, after the running ones. Case limits are in working days, so a case is red exactly
when its deadline falls on or before the end of today, and yellow when its deadline falls before the
start of the (k+1)-th working day after today, k = max(yellow_min_workdays, yellow_share × limit)
rounded down (clock/warnings.py's rule, solved for the deadline). A window's matters have few distinct
limits, so the whole order is one SQL expression: the database sorts and slices, and only the page's
rows get their level computed; a window with ten thousand open cases costs three bounded queries."""

from dataclasses import dataclass
from datetime import date, datetime, time
from math import floor

from django.db.models import Case as When_
from django.db.models import F, IntegerField, QuerySet, Value, When

from yizhan.calendar.workdays import WorkCalendar, current_calendar, end_of_day, local_date, local_tz
from yizhan.clock.models import Timer
from yizhan.clock.warnings import Level, WarningPolicy, default_policy, warning_level
from yizhan.hall.models import OPEN_STATES, Case

RED, YELLOW, NORMAL = 0, 1, 2


@dataclass(frozen=True)
class WorkRow:
    case: Case
    level: str
    due: datetime | None

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


def _running_timer(case: Case) -> Timer | None:
    timer = case.promised_timer if case.accepted_at else case.notice_timer
    return timer if timer is not None and timer.stopped_at is None else None


def _row(case: Case, at: datetime, cal) -> WorkRow:
    timer = _running_timer(case)
    level = warning_level(timer, at, cal) if timer is not None else Level.NORMAL
    return WorkRow(case=case, level=level, due=timer.deadline if timer is not None else None)


def _running_due() -> When_:
    """The deadline a case runs against, None when that clock is paused or stopped."""
    return When_(
        When(accepted_at__isnull=False, promised_timer__stopped_at__isnull=True,
             promised_timer__paused_since__isnull=True, then=F("promised_timer__deadline")),
        When(accepted_at__isnull=True, notice_timer__stopped_at__isnull=True,
             notice_timer__paused_since__isnull=True, then=F("notice_timer__deadline")),
        default=None,
    )


def _running_limit() -> When_:
    """The limit, in working days, of the clock a case runs against."""
    return When_(
        When(accepted_at__isnull=False, then=F("promised_timer__limit_amount")),
        default=F("notice_timer__limit_amount"),
    )


def _yellow_before(limit: int, today: date, cal: WorkCalendar, policy: WarningPolicy) -> datetime:
    """A running clock of `limit` working days is yellow (or worse) when its deadline is before this."""
    k = floor(max(policy.yellow_min_workdays, policy.yellow_share * limit))
    return datetime.combine(cal.add_workdays(today, k + 1), time.min, tzinfo=local_tz())


def worklist(cases: QuerySet[Case], at: datetime, *, limit: int = 100) -> tuple[list[WorkRow], int]:
    """The first `limit` rows of the open cases in `cases` in worklist order, and how many there are."""
    cal = current_calendar()
    policy = default_policy()
    today = local_date(at)
    open_cases = cases.filter(state__in=OPEN_STATES)
    total = open_cases.count()  # before the annotations, which would join the timers into it
    qs = open_cases.annotate(due=_running_due(), running_limit=_running_limit())
    limits = [n for n in qs.order_by().values_list("running_limit", flat=True).distinct() if n is not None]
    yellow = [When(running_limit=n, due__lt=_yellow_before(n, today, cal, policy), then=Value(YELLOW))
              for n in limits]
    rank = When_(When(due__lte=end_of_day(today), then=Value(RED)), *yellow, default=Value(NORMAL),
                 output_field=IntegerField())
    page = (qs.select_related("matter", "handler", "promised_timer", "notice_timer")
            .annotate(rank=rank)
            .order_by("-green_channel", "rank", F("due").asc(nulls_last=True), "id")[:limit])
    return [_row(case, at, cal) for case in page], total
