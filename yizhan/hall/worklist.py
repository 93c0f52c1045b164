"""A window's worklist (the clerk's queue of open cases): green-channel cases first, then red (overdue
included), yellow, normal, then by the nearest deadline.

The deadline that orders a case is the one it is running against: the promised deadline once
accepted, the one-time-notice deadline (5 working days) while submitted; a paused or stopped clock
orders as normal, after the running ones. Case limits are in working days, so a case is red exactly
when its deadline falls on or before the end of today, and it can be yellow only when the deadline
lies within the widest yellow window; only those few cases get their level computed one by one. The
rest comes ordered and sliced from the database: a window with ten thousand open cases costs a few
bounded queries per page."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, islice
from math import ceil

from django.db.models import Case as When_
from django.db.models import F, IntegerField, Max, QuerySet, Value, When

from yizhan.calendar.workdays import current_calendar, end_of_day, local_date
from yizhan.clock.models import Timer
from yizhan.clock.warnings import Level, default_policy, warning_level
from yizhan.hall.models import OPEN_STATES, Case

RED, NEAR, FAR = 0, 1, 2


@dataclass(frozen=True)
class WorkRow:
    case: Case
    level: str
    due: datetime | None

    @property
    def level_label(self) -> str:
        return Level(self.level).label


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


def _ordered(part: QuerySet[Case], at: datetime, cal, limit: int) -> Iterator[WorkRow]:
    """Up to `limit` rows of each tier of one partition (green channel or not), in order, fetched lazily."""
    by_due = ("due", "id")
    yield from (_row(c, at, cal) for c in part.filter(tier=RED).order_by(*by_due)[:limit])
    near = [_row(c, at, cal) for c in part.filter(tier=NEAR).order_by(*by_due)]
    yield from (r for r in near if r.level in (Level.RED, Level.OVERDUE, Level.YELLOW))
    yield from (r for r in near if r.level not in (Level.RED, Level.OVERDUE, Level.YELLOW))
    rest = part.filter(tier=FAR).order_by(F("due").asc(nulls_last=True), "id")
    yield from (_row(c, at, cal) for c in rest[:limit])


def worklist(cases: QuerySet[Case], at: datetime, *, limit: int = 100) -> tuple[list[WorkRow], int]:
    """The first `limit` rows of the open cases in `cases` in worklist order, and how many there are."""
    cal = current_calendar()
    policy = default_policy()
    today = local_date(at)
    qs = cases.filter(state__in=OPEN_STATES)
    total = qs.count()
    widest = qs.aggregate(m=Max("promised_timer__limit_amount"))["m"] or 0
    yellow_days = max(policy.yellow_min_workdays, ceil(policy.yellow_share * max(widest, 5)))
    horizon = end_of_day(cal.add_workdays(today, yellow_days))
    qs = (qs.select_related("matter", "handler", "promised_timer", "notice_timer")
          .annotate(due=_running_due())
          .annotate(tier=When_(When(due__lte=end_of_day(today), then=Value(RED)),
                               When(due__lte=horizon, then=Value(NEAR)),
                               default=Value(FAR), output_field=IntegerField())))
    rows = chain(_ordered(qs.filter(green_channel=True), at, cal, limit),
                 _ordered(qs.filter(green_channel=False), at, cal, limit))
    return list(islice(rows, limit)), total
