"""Hardship visits (帮困送温暖): the families in difficulty, the visit register with its payments from
a ledger budget, the CSV export, the figures and the festival reminder list, in the caller's scope."""

from datetime import date
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from yizhan.api.common import FIRST_DAY, LAST_DAY, Code, Day, Id, Limit, Offset, Text, max_length_of, user
from yizhan.api.errors import ERROR_RESPONSES, ApiError
from yizhan.api.scope import get_visible, unit_by_code, visible
from yizhan.calendar.workdays import local_date
from yizhan.ledger.models import Account, AccountKind
from yizhan.ui.export import render_csv
from yizhan.visits import festivals
from yizhan.visits.export import visit_rows
from yizhan.visits.families import clean, register_family
from yizhan.visits.figures import figures
from yizhan.visits.models import Family, Festival, Reason, Visit
from yizhan.visits.payments import record_visit

PREFIX = "/visits"
router = Router(tags=["visits"])
Year = Field(None, ge=FIRST_DAY.year, le=LAST_DAY.year, description="calendar year")


class FamilyOut(Schema):
    id: int
    unit: str
    household_no: str
    head_name: str
    employee_name: str
    members: int
    members_note: str
    reason: Reason
    reason_detail: str
    address: str
    active: bool


class VisitsVisitOut(Schema):
    id: int
    family: int
    household_no: str
    visited_on: date
    visitors: str
    festival: str | None
    budget: str | None
    consolation_fen: int
    study_aid_fen: int
    note: str


def _family_out(f: Family) -> dict:
    return {"id": f.pk, "unit": f.unit.code, "household_no": f.household_no, "head_name": f.head_name,
            "employee_name": f.employee_name, "members": f.members, "members_note": f.members_note,
            "reason": f.reason, "reason_detail": f.reason_detail, "address": f.address, "active": f.active}


def _visit_out(v: Visit) -> dict:
    return {"id": v.pk, "family": v.family_id, "household_no": v.family.household_no, "visited_on": v.visited_on,
            "visitors": v.visitors, "festival": v.festival.code if v.festival else None,
            "budget": v.budget.code if v.budget else None, "consolation_fen": v.consolation_fen,
            "study_aid_fen": v.study_aid_fen, "note": v.note}


class Page(Schema):
    limit: Limit = 100
    offset: Offset = 0


@router.get("/families", response={200: list[FamilyOut], **ERROR_RESPONSES}, summary="困难家庭名册")
def families(request: HttpRequest, q: Query[Page]):
    qs = visible(Family.objects.select_related("unit"), user(request))
    return [_family_out(f) for f in qs[q.offset:q.offset + q.limit]]


class FamilyIn(Schema):
    unit: Code
    household_no: Code
    head_name: Annotated[Text, max_length_of(Family, "head_name")]
    employee_name: Annotated[Text, max_length_of(Family, "employee_name")]
    employee_id: Code
    members: int = Field(1, ge=1, le=30)
    members_note: Annotated[Text, max_length_of(Family, "members_note")] = ""
    reason: Reason
    reason_detail: Annotated[Text, max_length_of(Family, "reason_detail")] = ""
    address: Annotated[Text, max_length_of(Family, "address")] = ""
    phone: Code = ""


@router.post("/families", response={201: FamilyOut, **ERROR_RESPONSES}, summary="登记困难家庭")
def add_family(request: HttpRequest, payload: FamilyIn):
    """The employee's resident ID is checked (length, birth date, check digit; field `employee_id`)."""
    values = payload.dict(exclude={"unit"})
    clean(values)  # the family's own fields first, so a bad ID number is named whatever the unit
    unit = unit_by_code(payload.unit, field="unit")
    return Status(201, _family_out(register_family(unit, actor=user(request), **values)))


class VisitFilter(Schema):
    year: int | None = Year
    family: Id | None = None
    limit: Limit = 100
    offset: Offset = 0


def _visits(request: HttpRequest, year: int | None):
    qs = visible(Visit.objects.select_related("family", "festival", "budget"), user(request))
    return qs.filter(visited_on__year=year) if year else qs


@router.get("/visits", response={200: list[VisitsVisitOut], **ERROR_RESPONSES}, summary="走访记录")
def visits(request: HttpRequest, q: Query[VisitFilter]):
    qs = _visits(request, q.year)
    if q.family:
        qs = qs.filter(family_id=q.family)
    return [_visit_out(v) for v in qs[q.offset:q.offset + q.limit]]


class YearQuery(Schema):
    year: int | None = Year


@router.get("/visits.csv", response={200: None, **ERROR_RESPONSES}, summary="导出走访记录（CSV）")
def visits_csv(request: HttpRequest, q: Query[YearQuery]):
    return render_csv(visit_rows(_visits(request, q.year)))


class VisitsVisitIn(Schema):
    family: Id
    visited_on: Day
    visitors: Annotated[Text, max_length_of(Visit, "visitors")]
    festival: Code | None = None
    budget: Code | None = None
    consolation_fen: int = Field(0, description="慰问金, fen")
    study_aid_fen: int = Field(0, description="助学帮困费, fen")
    note: Annotated[Text, max_length_of(Visit, "note")] = ""


@router.post("/visits", response={201: VisitsVisitOut, **ERROR_RESPONSES}, summary="登记走访及发放")
def add_visit(request: HttpRequest, payload: VisitsVisitIn):
    """Each amount (fen) is posted to the budget `budget` (a ledger account of kind budget) with the
    visit as its source, in the visit's transaction. A payment over the budget's balance is refused
    (422, field `consolation_fen` or `study_aid_fen`, rule `over_budget_balance`), nothing written."""
    caller = user(request)
    family = get_visible(Family.objects.select_related("unit"), caller, _("困难家庭"), field="family",
                         pk=payload.family)
    budget = None
    if payload.budget:
        budget = get_visible(Account.objects.filter(kind=AccountKind.BUDGET).select_related("unit"), caller,
                             _("预算账户"), field="budget", code=payload.budget)
    festival = None
    if payload.festival:
        festival = Festival.objects.filter(code=payload.festival).first()
        if festival is None:
            raise ApiError(422, _("节日不存在：%(c)s") % {"c": payload.festival}, field="festival", rule="unknown")
    visit = record_visit(family, visited_on=payload.visited_on, visitors=payload.visitors, festival=festival,
                         budget=budget, consolation_fen=payload.consolation_fen, study_aid_fen=payload.study_aid_fen,
                         note=payload.note, actor=caller)
    return Status(201, _visit_out(visit))


class KindFigures(Schema):
    visit_consolation: int
    visit_study_aid: int


class YearFigures(Schema):
    year: int
    visits: int
    visit_consolation: int
    visit_study_aid: int
    paid_fen: int


class BudgetFigures(Schema):
    code: str
    name: str
    visits: int
    paid_fen: int


class VisitsFiguresOut(Schema):
    visits: int
    families: int
    paid_fen: int
    by_kind: KindFigures
    by_year: list[YearFigures]
    by_budget: list[BudgetFigures]


@router.get("/figures", response={200: VisitsFiguresOut, **ERROR_RESPONSES}, summary="走访统计")
def visit_figures(request: HttpRequest, q: Query[YearQuery]):
    """Visits and amounts (fen) per year, per budget and per kind, from the standing ledger entries."""
    f = figures(_visits(request, q.year))
    return {**f, "by_year": [{"year": y, **row} for y, row in f["by_year"].items()],
            "by_budget": [{"code": c, **row} for c, row in f["by_budget"].items()]}


class VisitsDayQuery(Schema):
    day: Day | None = Field(None, alias="date", description="local date (default today)")


class SeasonOut(Schema):
    festival: str
    name: str
    on: date
    season_start: date
    remind_on: date
    due: bool
    families: list[FamilyOut]


@router.get("/reminders", response={200: list[SeasonOut], **ERROR_RESPONSES}, summary="节前走访提醒名单")
def reminders(request: HttpRequest, q: Query[VisitsDayQuery]):
    """The festivals whose visiting season contains `date`, each with the families not yet visited."""
    day = q.day or local_date(timezone.now())
    scoped = visible(Family.objects.select_related("unit"), user(request))
    return [{"festival": occ.festival.code, "name": occ.festival.name, "on": occ.on,
             "season_start": occ.season_start, "remind_on": occ.remind_on, "due": day >= occ.remind_on,
             "families": [_family_out(f) for f in festivals.not_visited(scoped, occ, until=day)]}
            for occ in festivals.upcoming(day)]


