"""The hall's figures, the benchmark-window ranking, early warnings and accountability records —
every number comes from `yizhan.hall.stats` so the API, the admin and the command line agree."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from yizhan.api.common import DAY_RANGE, Code, Day, period, user
from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.scope import require_hall_staff, unit_in_hall_scope, visible
from yizhan.calendar.workdays import local_tz
from yizhan.clock.models import AccountabilityRecord
from yizhan.clock.warnings import Level
from yizhan.hall.early_warnings import open_warnings
from yizhan.hall.models import Case
from yizhan.hall.ranking import rank_windows
from yizhan.hall.stats import hall_figures, period_bounds

router = Router(tags=["figures"])


class PeriodQuery(Schema):
    first: Day | None = Field(None, alias="from", description=f"first local date (default: `to`); {DAY_RANGE}")
    last: Day | None = Field(None, alias="to", description=f"last local date, inclusive (default: today); {DAY_RANGE}")
    unit: Code | None = Field(None, description="org unit code: its subtree (default: the whole tree)")


class FigureFields(Schema):
    """The figures of `yizhan.hall.stats.HallFigures`, shared by the period and the ranking rows."""

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


class FiguresOut(FigureFields):
    first: date
    last: date
    unit: str | None


def _unit(request: HttpRequest, code: str | None):
    """The subtree asked for, in or above the caller's scope (`unit_in_hall_scope`); None (the whole
    tree, whose totals the landing page shows everyone) when none is named."""
    return unit_in_hall_scope(user(request), code, field="unit") if code else None


@router.get("/figures", response={200: FiguresOut, **ERROR_RESPONSES}, summary="大厅统计数字")
def figures(request: HttpRequest, q: Query[PeriodQuery]):
    """Exactly `hall_figures(from, to, unit).as_dict()` (see `yizhan hall stats`): consultations,
    accepted, completed, on the spot and its rate, completed on time and its rate, overdue open,
    accountability records, median working days, withdrawals and refusals to accept, complaints and
    valid complaints, ratings, bad ratings, satisfaction rate, rectified bad ratings and the
    rectification rate. A period that has ended always gives the same figures."""
    first, last = period(q.first, q.last)
    return hall_figures(first, last, _unit(request, q.unit)).as_dict()


class RankOut(FigureFields):
    rank: int | None
    window: str
    name: str
    department: str | None
    score: float | None


@router.get("/ranking", response={200: list[RankOut], **ERROR_RESPONSES}, summary="标杆窗口排名")
def ranking(request: HttpRequest, q: Query[PeriodQuery]):
    """Windows of the subtree ranked by the benchmark-window score (`yizhan.hall.ranking`); windows
    that completed nothing in the period come last, unranked."""
    first, last = period(q.first, q.last)
    return [row.as_dict() for row in rank_windows(first, last, _unit(request, q.unit))]


class WarningOut(Schema):
    case_no: str
    matter: str
    window: str
    handler: str
    purpose: str
    deadline: datetime
    level: Level
    green_channel: bool
    green_project: str


class WarningQuery(Schema):
    unit: Code | None = Field(None, description="org unit code (default: everything in the caller's scope)")


@router.get("/warnings", response={200: list[WarningOut], **ERROR_RESPONSES}, summary="超时预警")
def warnings(request: HttpRequest, q: Query[WarningQuery]):
    """Running timers of open cases at yellow, red or overdue, green channel first, then nearest deadline."""
    require_hall_staff(user(request))
    unit = _unit(request, q.unit)
    rows = open_warnings(unit=unit)
    seen = set(visible(Case.objects.filter(pk__in=[r.case_id for r in rows]), user(request))
               .values_list("pk", flat=True))
    rows = [r for r in rows if r.case_id in seen]
    return [{k: getattr(r, k) for k in WarningOut.model_fields} for r in rows]


class AccountabilityOut(Schema):
    id: int
    subject_type: str
    subject_id: str
    case_no: str | None
    purpose: str
    responsible_user: str | None
    responsible_unit: str | None
    department: str | None
    deadline: datetime
    days_overdue: int
    created_at: datetime


@router.get("/accountability", response={200: list[AccountabilityOut], **ERROR_RESPONSES}, summary="问责记录")
def accountability(request: HttpRequest, q: Query[PeriodQuery]):
    """Accountability records created in the period whose window is in the caller's scope (and in `unit`)."""
    require_hall_staff(user(request))
    first, last = period(q.first, q.last)
    start, end = period_bounds(first, last)
    qs = AccountabilityRecord.objects.filter(created_at__gte=start, created_at__lt=end).select_related(
        "timer", "responsible_user", "responsible_unit", "department")
    qs = visible(qs, user(request))
    if q.unit:
        qs = qs.filter(responsible_unit__path__startswith=_unit(request, q.unit).path)
    case_nos = dict(Case.objects.filter(statutory_timer__in=[r.timer_id for r in qs]).values_list(
        "statutory_timer_id", "case_no"))
    return [
        {"id": r.pk, "subject_type": r.subject_type, "subject_id": r.subject_id,
         "case_no": case_nos.get(r.timer_id), "purpose": r.timer.purpose,
         "responsible_user": r.responsible_user.get_username() if r.responsible_user else None,
         "responsible_unit": r.responsible_unit.code if r.responsible_unit else None,
         "department": r.department.code if r.department else None, "deadline": r.deadline,
         "days_overdue": r.days_overdue, "created_at": r.created_at.astimezone(local_tz())}
        for r in qs.order_by("-created_at", "-id")
    ]
