"""The hall's figures over a period and a subtree of the organisation — one definition for the command
line, the admin, the API and the ranking of windows.

Definitions (a period is a range of inclusive local dates, Asia/Shanghai; a subtree is a unit and
everything under it, matched on the materialised path of the case's window):

- consultations: consultations first asked in the period at a window of the subtree.
- accepted: cases accepted in the period, whatever became of them later (a withdrawal in a later
  month does not change this month's figure: a figure of a period that has ended never changes).
- withdrawn: cases withdrawn by the applicant in the period (accepted or not).
- refused_to_accept: applications refused to accept (不予受理) in the period, once confirmed.
- completed: cases closed with a decision (approved or refused) in the period.
- on_the_spot: cases accepted in the period and completed on the same local date; the rate is
  on_the_spot / accepted.
- completed_on_time: completed cases whose completion is no later than their promised deadline (a
  green-channel case's shortened one; pauses push it out); the rate is completed_on_time / completed.
- overdue_open: cases open at the period's end (or now, if that is earlier), past their promised
  deadline as it stood then, and not paused then.
- accountability: accountability records on the subtree's cases created in the period.
- median_days: median working days from acceptance to completion over the cases completed in the period.
- complaints: complaints received in the period.
- valid_complaints: complaints found valid in the period (by the date of the finding, so a complaint
  of March found valid in April counts in April and March's figure stays what it was).
- ratings: ratings (好差评) given in the period; bad_ratings: those 不满意 or 非常不满意 (差评);
  satisfaction_rate: the share of the others (满意度).
- rectified: bad ratings of the period whose rectification was closed before the period ended (or
  now, if earlier); rectification_rate: rectified / bad_ratings (整改率).

Every count is an SQL aggregate; the period is compared against aware datetime bounds built from the
local dates, so SQLite and PostgreSQL agree whatever the database's own time zone.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.local_date_sql import LocalDate
from yizhan.calendar.workdays import WorkCalendar, current_calendar, local_tz
from yizhan.clock.deadlines import compute_deadline
from yizhan.clock.models import AccountabilityRecord, TimerPause
from yizhan.hall.models import BAD_SCORES, Case, CaseState, Complaint, Consultation, Finding, Outcome, Rating
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.sharedcache import remember

# Keys in the order every screen and export shows them (the names).
FIGURE_KEYS = (
    "consultations", "accepted", "completed", "on_the_spot", "on_the_spot_rate", "completed_on_time",
    "on_time_rate", "overdue_open", "accountability", "median_days", "withdrawn", "refused_to_accept",
    "complaints", "valid_complaints", "ratings", "bad_ratings", "satisfaction_rate", "rectified",
    "rectification_rate",
)
# What each figure is called on screens: Chinese first, the English key beside it.
FIGURE_LABELS = {
    "consultations": _("咨询事项"),
    "accepted": _("受理事项"),
    "completed": _("办结事项"),
    "on_the_spot": _("即办事项"),
    "on_the_spot_rate": _("即办率"),
    "completed_on_time": _("按时办结"),
    "on_time_rate": _("按时办结率"),
    "overdue_open": _("超期未办结"),
    "accountability": _("问责记录"),
    "median_days": _("办理用时中位数（工作日）"),
    "withdrawn": _("撤回"),
    "refused_to_accept": _("不予受理"),
    "complaints": _("投诉"),
    "valid_complaints": _("有效投诉"),
    "ratings": _("评价"),
    "bad_ratings": _("差评"),
    "satisfaction_rate": _("满意率"),
    "rectified": _("差评已整改"),
    "rectification_rate": _("差评整改率"),
}
COUNT_KEYS = tuple(k for k in FIGURE_KEYS if not k.endswith("_rate") and k != "median_days")

DECIDED_OUTCOMES = (Outcome.APPROVED, Outcome.REFUSED)

# The reverse relations from a clock timer to the case whose deadline it keeps.
CASE_TIMER_RELATIONS = ("statutory_case", "promised_case", "notice_case")


@dataclass(frozen=True)
class HallFigures:
    first: date
    last: date
    unit: str | None
    consultations: int
    accepted: int
    completed: int
    on_the_spot: int
    on_the_spot_rate: float | None
    completed_on_time: int
    on_time_rate: float | None
    overdue_open: int
    accountability: int
    median_days: float | None
    withdrawn: int
    refused_to_accept: int
    complaints: int
    valid_complaints: int
    ratings: int
    bad_ratings: int
    satisfaction_rate: float | None
    rectified: int
    rectification_rate: float | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dates in ISO form, the issue's key names exactly."""
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "unit": self.unit,
            **{key: getattr(self, key) for key in FIGURE_KEYS},
        }


@dataclass
class _Tally:
    """Raw counts of one group (the whole subtree, or one window) before the rates are taken."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))
    durations: list[int] = field(default_factory=list)


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def format_value(key: str, value: float | int | None) -> str:
    """A figure as people read it: rates in per cent, the median with one decimal, "—" when undefined."""
    if value is None:
        return "—"
    if key.endswith("_rate"):
        return f"{value * 100:.1f} %"
    if key == "median_days":
        return f"{value:.1f}"
    return str(value)


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end): local midnight of `first` to local midnight after `last`, as aware datetimes."""
    if first > last:
        raise ValueError("the period's first day is after its last day")
    tz = local_tz()
    return datetime.combine(first, time.min, tzinfo=tz), datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)


def in_subtree(unit: OrgUnit | None, window_field: str = "window") -> Q:
    """Rows whose window lies in the unit's subtree (everything when unit is None)."""
    if unit is None:
        return Q()
    return Q(**{f"{window_field}__path__startswith": unit.path})


def _group(qs: QuerySet, group: str | None, **aggregates: Any) -> dict[Any, dict[str, int]]:
    """Aggregate over the whole queryset (key None) or per value of `group`."""
    if group is None:
        return {None: qs.aggregate(**aggregates)}
    rows = qs.order_by().values(group).annotate(**aggregates)
    return {row.pop(group): row for row in rows}


def _case_counts(start: datetime, end: datetime, unit: OrgUnit | None, group: str | None) -> dict:
    accepted = Q(accepted_at__gte=start, accepted_at__lt=end)
    closed = Q(closed_at__gte=start, closed_at__lt=end)
    completed = Q(state=CaseState.COMPLETED, outcome__in=DECIDED_OUTCOMES, completed_at__gte=start,
                  completed_at__lt=end)
    tz = local_tz()
    same_day: Exact[Any] = Exact(LocalDate("accepted_at", tzinfo=tz), LocalDate("completed_at", tzinfo=tz))
    on_time = Q(completed_at__lte=F("promised_timer__deadline"))
    qs = Case.objects.filter(in_subtree(unit)).filter(accepted | closed)
    return _group(
        qs, group,
        accepted=Count("pk", filter=accepted),
        completed=Count("pk", filter=completed),
        on_the_spot=Count("pk", filter=accepted & Q(state=CaseState.COMPLETED, outcome__in=DECIDED_OUTCOMES)
                          & Q(same_day)),
        completed_on_time=Count("pk", filter=completed & on_time),
        withdrawn=Count("pk", filter=closed & Q(state=CaseState.WITHDRAWN)),
        refused_to_accept=Count("pk", filter=closed & Q(state=CaseState.REFUSED_TO_ACCEPT)),
    )


def _rating_counts(start: datetime, end: datetime, now: datetime, unit: OrgUnit | None, group: str | None) -> dict:
    bad = Q(score__in=BAD_SCORES)
    rectified = bad & Q(rectification__closed_at__lt=min(end, now))
    return _group(
        Rating.objects.filter(in_subtree(unit), rated_at__gte=start, rated_at__lt=end), group,
        ratings=Count("pk"), bad_ratings=Count("pk", filter=bad), rectified=Count("pk", filter=rectified),
    )


def _overdue_open(at: datetime, unit: OrgUnit | None, group: str | None, cal: WorkCalendar) -> dict:
    """Cases open at `at`, past their promised deadline as it stood at `at`, not paused at `at`.

    A timer's stored deadline includes every pause so far, so it is never earlier than the deadline as
    it stood at `at`: a stored deadline before `at` settles it in SQL. Only timers with a pause begun
    after `at` and a stored deadline after it need their deadline at `at` recomputed."""
    pauses = TimerPause.objects.filter(timer=OuterRef("promised_timer"))
    paused_then = Exists(pauses.filter(started_at__lte=at).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at)))
    paused_later = Exists(pauses.filter(started_at__gt=at))
    candidates = (
        Case.objects.filter(in_subtree(unit), promised_timer__isnull=False, accepted_at__lte=at)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=at))
        .filter(~paused_then)
    )
    result = _group(candidates.filter(promised_timer__deadline__lt=at), group, overdue_open=Count("pk"))
    unsettled = (
        candidates.filter(paused_later, promised_timer__deadline__gte=at)
        .select_related("promised_timer").prefetch_related("promised_timer__pauses")
    )
    for case in unsettled:
        timer = case.promised_timer
        before = [(p.started_at, p.ended_at) for p in timer.pauses.all() if p.started_at <= at]
        if compute_deadline(timer.started_at, timer.limit, before, cal) < at:
            key = case.window_id if group else None
            result.setdefault(key, {"overdue_open": 0})["overdue_open"] += 1
    return result


def _accountability(start: datetime, end: datetime, unit: OrgUnit | None, group: str | None) -> dict:
    """Records on the timers of the subtree's cases (any of their deadlines), created in the period."""
    on_case = Q()
    for relation in CASE_TIMER_RELATIONS:
        on_case |= Q(**{f"timer__{relation}__isnull": False}) & in_subtree(unit, f"timer__{relation}__window")
    qs = AccountabilityRecord.objects.filter(created_at__gte=start, created_at__lt=end).filter(on_case)
    if group:
        qs = qs.annotate(**{group: Coalesce(*(f"timer__{r}__window_id" for r in CASE_TIMER_RELATIONS))})
    return _group(qs, group, accountability=Count("pk", distinct=True))


def _tallies(
    first: date, last: date, unit: OrgUnit | None, now: datetime | None, group: str | None
) -> dict[Any, _Tally]:
    start, end = period_bounds(first, last)
    now = now or timezone.now()
    cal = current_calendar()
    tallies: dict[Any, _Tally] = defaultdict(_Tally)

    def merge(part: dict) -> None:
        for key, values in part.items():
            for name, value in values.items():
                tallies[key].counts[name] += value or 0

    merge(_case_counts(start, end, unit, group))
    merge(_overdue_open(min(end, now), unit, group, cal))
    merge(_accountability(start, end, unit, group))
    merge(_group(
        Consultation.objects.filter(in_subtree(unit), asked_at__gte=start, asked_at__lt=end), group,
        consultations=Count("pk"),
    ))
    merge(_rating_counts(start, end, now, unit, group))
    merge(_group(
        Complaint.objects.filter(in_subtree(unit), received_at__gte=start, received_at__lt=end),
        group, complaints=Count("pk"),
    ))
    merge(_group(
        Complaint.objects.filter(in_subtree(unit), finding=Finding.VALID, replied_at__gte=start, replied_at__lt=end),
        group, valid_complaints=Count("pk"),
    ))
    # The median needs each completed case's local dates of acceptance and completion: counted per
    # (window, date, date) in SQL, the working days between them taken once per distinct pair.
    tz = local_tz()
    done = (
        Case.objects.filter(in_subtree(unit), state=CaseState.COMPLETED, outcome__in=DECIDED_OUTCOMES,
                            completed_at__gte=start, completed_at__lt=end, accepted_at__isnull=False)
        .order_by().values_list("window_id", LocalDate("accepted_at", tzinfo=tz), LocalDate("completed_at", tzinfo=tz))
        .annotate(n=Count("pk"))
    )
    for window_id, accepted_on, completed_on, n in done:
        days = cal.workdays_between(accepted_on, completed_on)
        tallies[window_id if group else None].durations.extend([days] * n)
    return tallies


def _figures(first: date, last: date, unit_code: str | None, tally: _Tally) -> HallFigures:
    c = tally.counts
    return HallFigures(
        first=first, last=last, unit=unit_code,
        consultations=c["consultations"], accepted=c["accepted"], completed=c["completed"],
        on_the_spot=c["on_the_spot"], on_the_spot_rate=rate(c["on_the_spot"], c["accepted"]),
        completed_on_time=c["completed_on_time"], on_time_rate=rate(c["completed_on_time"], c["completed"]),
        overdue_open=c["overdue_open"], accountability=c["accountability"],
        median_days=float(median(tally.durations)) if tally.durations else None,
        withdrawn=c["withdrawn"], refused_to_accept=c["refused_to_accept"], complaints=c["complaints"],
        valid_complaints=c["valid_complaints"], ratings=c["ratings"], bad_ratings=c["bad_ratings"],
        satisfaction_rate=rate(c["ratings"] - c["bad_ratings"], c["ratings"]), rectified=c["rectified"],
        rectification_rate=rate(c["rectified"], c["bad_ratings"]),
    )


def hall_figures(
    first: date, last: date, unit: OrgUnit | None = None, *, now: datetime | None = None
) -> HallFigures:
    """The figures of the period [first, last] (local dates) over `unit`'s subtree, or the whole tree."""
    tally = _tallies(first, last, unit, now, group=None).get(None, _Tally())
    return _figures(first, last, unit.code if unit else None, tally)


def window_figures(
    first: date, last: date, unit: OrgUnit | None = None, *, now: datetime | None = None
) -> dict[OrgUnit, HallFigures]:
    """The same figures for every window of the subtree (windows with nothing in the period included)."""
    return FigureSet(first, last, unit, now=now).windows()


class FigureSet:
    """The figures of every window of a subtree over one period, from one pass of the aggregates above
    (grouped by window), and of any unit of that subtree by adding its windows' raw counts and joining
    their durations before the rates and the median are taken — the same numbers as `hall_figures` of
    that unit, for the cost of one call instead of one per unit. A screen that shows the center, its
    departments and its windows at once (the supervisor view, the ranking) asks for one FigureSet."""

    def __init__(self, first: date, last: date, unit: OrgUnit | None = None, *, now: datetime | None = None) -> None:
        self.first, self.last, self.unit = first, last, unit
        self.computed_at = now or timezone.now()
        self.tallies = dict(_tallies(first, last, unit, self.computed_at, group="window_id"))
        self.paths = dict(OrgUnit.objects.filter(pk__in=[k for k in self.tallies if k is not None])
                          .values_list("pk", "path"))

    @classmethod
    def shared(cls, first: date, last: date, unit: OrgUnit | None, seconds: int) -> "FigureSet":
        """The set as computed at most `seconds` ago by any server process (its `computed_at` says when):
        a season's figures are read by every supervisor who opens them, and a period that has ended
        gives the same figures whenever they are computed."""
        key = f"hall:figure-set:{unit.pk if unit else ''}:{first.isoformat()}:{last.isoformat()}"
        return remember(key, seconds, lambda: cls(first, last, unit))

    def of(self, unit: OrgUnit) -> HallFigures:
        """The figures of `unit`'s subtree (a unit inside the set's own subtree)."""
        total = _Tally()
        for window_id, tally in self.tallies.items():
            if self.paths.get(window_id, "").startswith(unit.path):
                for name, value in tally.counts.items():
                    total.counts[name] += value
                total.durations.extend(tally.durations)
        return _figures(self.first, self.last, unit.code, total)

    def windows(self) -> dict[OrgUnit, HallFigures]:
        """As `window_figures`: every window of the subtree, those with nothing in the period included."""
        windows = OrgUnit.objects.filter(kind=UnitKind.WINDOW)
        if self.unit is not None:
            windows = windows.filter(path__startswith=self.unit.path)
        return {w: _figures(self.first, self.last, w.code, self.tallies.get(w.pk, _Tally()))
                for w in windows.order_by("path")}


def daily_counts(first: date, last: date, unit: OrgUnit | None = None) -> dict[date, tuple[int, int]]:
    """(accepted, completed) per local date of the period with any, as `hall_figures` of that one day
    counts them, in two grouped queries: the charts' series."""
    start, end = period_bounds(first, last)
    tz = local_tz()
    cases = Case.objects.filter(in_subtree(unit)).order_by()
    accepted = (cases.filter(accepted_at__gte=start, accepted_at__lt=end)
                .annotate(day=LocalDate("accepted_at", tzinfo=tz)).values("day").annotate(n=Count("pk")))
    completed = (cases.filter(state=CaseState.COMPLETED, outcome__in=DECIDED_OUTCOMES, completed_at__gte=start,
                              completed_at__lt=end)
                 .annotate(day=LocalDate("completed_at", tzinfo=tz)).values("day").annotate(n=Count("pk")))
    out: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for row in accepted:
        out[row["day"]][0] += row["n"]
    for row in completed:
        out[row["day"]][1] += row["n"]
    return {day: (a, c) for day, (a, c) in out.items()}
