"""The surveillance system's API (/api/surveillance/): the disease catalog, case report cards (report,
check as you type, correct, review, duplicates), signals and their verification, figures, quality,
incidents, and DHIS2 dataValueSets import and export. Every list goes through the one scope rule;
every change calls the surveillance service functions with the caller as actor."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from yizhan.api.common import DAY_RANGE, Code, Day, Id, period, user
from yizhan.api.errors import ERROR_RESPONSES, ApiError, not_found
from yizhan.org.models import OrgUnit, Role
from yizhan.org.scope import SURVEILLANCE_STAFF, covers, units
from yizhan.surveillance import cards as card_service
from yizhan.surveillance import duplicates, review
from yizhan.surveillance.catalog import catalog_rows
from yizhan.surveillance.dhis2 import export_data_value_set, import_data_value_set
from yizhan.surveillance.figures import signal_figures
from yizhan.surveillance.incidents import seven_one_seven
from yizhan.surveillance.models import AggregateCount, CaseCard, Incident, Signal
from yizhan.surveillance.quality import quality
from yizhan.surveillance.signals import respond, signal_rows

PREFIX = "/surveillance"
router = Router(tags=["surveillance"])


class CardIn(Schema):
    name: str = ""
    guardian: str = ""
    id_number: str = ""
    sex: str = ""
    birth_date: str = ""
    age: int | None = None
    age_unit: str = ""
    work_unit: str = ""
    phone: str = ""
    residence: str = ""
    address: str = ""
    occupation: str = ""
    classification: str = ""
    acute_chronic: str = ""
    onset_date: str = ""
    diagnosed_at: str = ""
    death_date: str = ""
    disease: str = ""
    subtype: str = ""
    doctor: str = ""
    reported_at: str = ""
    reporting_unit: str = ""
    entered_by_unit: str = ""


class CardOut(Schema):
    card_no: str
    kind: str
    state: str
    disease: str
    reporting_unit: str
    entered_by_unit: str | None
    late: bool
    corrects: str | None
    original_disease: str | None
    duplicate_of: str | None
    kept_card: str | None
    review_deadline: str | None


def card_out(c: CaseCard) -> dict[str, Any]:
    return {"card_no": c.card_no, "kind": c.kind, "state": c.state, "disease": c.disease.code,
            "reporting_unit": c.reporting_unit.code,
            "entered_by_unit": c.entered_by_unit.code if c.entered_by_unit else None, "late": c.late,
            "corrects": c.corrects.card_no if c.corrects else None,
            "original_disease": c.original_disease.code if c.original_disease else None,
            "duplicate_of": c.duplicate_of.card_no if c.duplicate_of else None,
            "kept_card": c.kept_card.card_no if c.kept_card else None,
            "review_deadline": c.review_timer.deadline.isoformat() if c.review_timer else None}


def _unit(code: str, field: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise ApiError(422, _("机构不存在：%(v)s") % {"v": code}, field=field, rule="unknown_unit")
    return unit


def _card(request: HttpRequest, card_no: Code, action: str = "view") -> CaseCard:
    card = CaseCard.objects.restrict(user(request), action).filter(card_no=card_no).select_related(
        "disease", "reporting_unit", "review_timer").first()
    if card is None:
        raise not_found(_("报告卡"), field="card_no")
    return card


def _units_of(payload: CardIn, request: HttpRequest) -> tuple[OrgUnit, OrgUnit | None]:
    unit = _unit(payload.reporting_unit, "reporting_unit")
    proxy = _unit(payload.entered_by_unit, "entered_by_unit") if payload.entered_by_unit else None
    if not covers(user(request), (Role.REPORTER, Role.EPIDEMIOLOGIST), proxy or unit):
        raise ApiError(403, _("无权为该机构报告"), field="reporting_unit", rule="not_permitted")
    return unit, proxy


def _data(payload: CardIn) -> dict[str, Any]:
    return payload.dict(exclude={"reporting_unit", "entered_by_unit"})


@router.get("/diseases", response={200: list[dict[str, Any]], **ERROR_RESPONSES}, summary="法定传染病目录")
def diseases(request: HttpRequest):
    return catalog_rows()


class CheckOut(Schema):
    errors: list[dict[str, str]]
    probable_duplicate: str | None


@router.post("/cards/check", response={200: CheckOut, **ERROR_RESPONSES}, summary="检查报告卡（不保存）")
def check(request: HttpRequest, payload: CardIn):
    """Every broken field of a card being filled in, and the card it would duplicate, without saving."""
    errors, found = duplicates.check_report(_data(payload))
    dup = found.card_no if found is not None and payload.reporting_unit else None
    return {"errors": [e.as_dict() for e in errors], "probable_duplicate": dup}


@router.post("/cards", response={201: CardOut, **ERROR_RESPONSES}, summary="报告传染病报告卡")
def report(request: HttpRequest, payload: CardIn):
    unit, proxy = _units_of(payload, request)
    card = card_service.report_card(_data(payload), unit=unit, entered_by=proxy, actor=user(request))
    return Status(201, card_out(card))


@router.get("/cards", response={200: list[CardOut], **ERROR_RESPONSES}, summary="报告卡列表")
def list_cards(request: HttpRequest, state: str | None = None, limit: int = 200):
    qs = CaseCard.objects.restrict(user(request)).select_related("disease", "reporting_unit", "review_timer")
    if state:
        qs = qs.filter(state=state)
    return [card_out(c) for c in qs[:max(1, min(limit, 1000))]]


@router.get("/cards/{card_no}", response={200: CardOut, **ERROR_RESPONSES}, summary="报告卡")
def get_card(request: HttpRequest, card_no: Code):
    return card_out(_card(request, card_no))


@router.post("/cards/{card_no}/correct", response={201: CardOut, **ERROR_RESPONSES}, summary="订正报告卡")
def correct(request: HttpRequest, card_no: Code, payload: CardIn):
    card = _card(request, card_no, "change")
    return Status(201, card_out(card_service.correct_card(card, _data(payload), actor=user(request))))


@router.post("/cards/{card_no}/review", response={200: CardOut, **ERROR_RESPONSES}, summary="审核报告卡")
def review_one(request: HttpRequest, card_no: Code):
    return card_out(review.review_card(_card(request, card_no, "change"), actor=user(request)))


class DeleteIn(Schema):
    kept: str
    reason: str


@router.post("/cards/{card_no}/delete", response={200: CardOut, **ERROR_RESPONSES}, summary="删除重复卡")
def delete(request: HttpRequest, card_no: Code, payload: DeleteIn):
    card, kept = _card(request, card_no, "change"), _card(request, payload.kept)
    return card_out(duplicates.delete_card(card, kept=kept, actor=user(request), reason=payload.reason))


@router.post("/cards/{card_no}/restore", response={200: CardOut, **ERROR_RESPONSES}, summary="恢复删除的卡片")
def restore(request: HttpRequest, card_no: Code):
    return card_out(duplicates.restore(_card(request, card_no, "change"), actor=user(request)))


@router.post("/cards/{card_no}/release", response={200: CardOut, **ERROR_RESPONSES}, summary="确认不是重复卡")
def release(request: HttpRequest, card_no: Code):
    return card_out(duplicates.release(_card(request, card_no, "change"), actor=user(request)))


@router.get("/signals", response={200: list[dict[str, Any]], **ERROR_RESPONSES}, summary="预警信号")
def signals(request: HttpRequest, state: str | None = None):
    qs = Signal.objects.restrict(user(request))
    if state:
        qs = qs.filter(state=state)
    return signal_rows(qs)


class RespondIn(Schema):
    outcome: str
    reason: str = ""


@router.post("/signals/{signal_id}/respond", response={200: dict[str, Any], **ERROR_RESPONSES},
             summary="记录信号核实结果")
def respond_signal(request: HttpRequest, signal_id: Id, payload: RespondIn):
    signal = Signal.objects.restrict(user(request), "change").filter(pk=signal_id).first()
    if signal is None:
        raise not_found(_("预警信号"), field="signal_id")
    signal, incident = respond(signal, payload.outcome, actor=user(request), reason=payload.reason)
    return {**signal_rows(Signal.objects.filter(pk=signal.pk))[0], "incident": incident.pk if incident else None}


class SurveillancePeriodQuery(Schema):
    first: Day | None = Field(None, alias="from", description=DAY_RANGE)
    last: Day | None = Field(None, alias="to", description=DAY_RANGE)
    unit: Code | None = None


@router.get("/figures", response={200: dict[str, Any], **ERROR_RESPONSES}, summary="预警信号指标（CIDARS 口径）")
def figures(request: HttpRequest, q: Query[SurveillancePeriodQuery]):
    first, last = period(q.first, q.last)
    return signal_figures(first, last, signals=Signal.objects.restrict(user(request)))


@router.get("/quality", response={200: dict[str, Any], **ERROR_RESPONSES}, summary="报告质量")
def quality_figures(request: HttpRequest, q: Query[SurveillancePeriodQuery]):
    first, last = period(q.first, q.last)
    scope = units(user(request), SURVEILLANCE_STAFF)
    unit = scope.filter(code=q.unit).first() if q.unit else scope.order_by("path").first()
    if unit is None:
        raise not_found(_("机构"), field="unit")
    return quality(unit, first, last, cards=CaseCard.objects.restrict(user(request))).as_dict()


@router.get("/incidents", response={200: list[dict[str, Any]], **ERROR_RESPONSES}, summary="突发公共卫生事件")
def incidents(request: HttpRequest):
    return [{"id": i.pk, "title": i.title, "kind": i.kind, "unit": i.unit.code, "place": i.place,
             "started_at": i.started_at.isoformat(), "state": i.state, "cases": i.cases.count(),
             "samples_over_limit": sum(1 for s in i.samples.all() if s.exceeds), "seven_one_seven": seven_one_seven(i)}
            for i in Incident.objects.restrict(user(request)).select_related("unit").prefetch_related("samples")]


class Dhis2Query(Schema):
    dryRun: bool = False  # noqa: N815 — DHIS2's parameter names
    importStrategy: str = "CREATE_AND_UPDATE"  # noqa: N815
    atomicMode: str = "ALL"  # noqa: N815
    idScheme: str = "code"  # noqa: N815


class DataValueSet(Schema):
    dataValues: list[Any]  # noqa: N815 — DHIS2's field names
    period: str | None = None
    orgUnit: str | None = None  # noqa: N815
    dataElement: str | None = None  # noqa: N815


@router.post("/dhis2/dataValueSets", response={**ERROR_RESPONSES, 200: dict[str, Any], 409: dict[str, Any]},
             summary="导入 DHIS2 dataValueSets")
def dhis2_import(request: HttpRequest, q: Query[Dhis2Query], payload: DataValueSet):
    """DHIS2's import summary (status, importCount, conflicts); 409 when nothing was written."""
    if q.idScheme.lower() != "code":
        raise ApiError(422, _("仅支持 idScheme=code"), field="idScheme", rule="id_scheme")
    scope = units(user(request), (Role.EPIDEMIOLOGIST,))
    if not scope.exists():
        raise ApiError(403, _("只有疾控流调人员可以导入汇总数据"), field="", rule="not_permitted")
    result = import_data_value_set(payload.dict(exclude_none=True), dry_run=q.dryRun, strategy=q.importStrategy, atomic_mode=q.atomicMode,
                                   units_in_scope=scope, actor=user(request))
    return Status(409 if result["status"] == "ERROR" else 200, result)


class ExportQuery(Schema):
    startDate: Day  # noqa: N815
    endDate: Day  # noqa: N815
    periodType: str = "week"  # noqa: N815


@router.get("/dhis2/dataValueSets", response={200: dict[str, Any], **ERROR_RESPONSES}, summary="导出 DHIS2 dataValueSets")
def dhis2_export(request: HttpRequest, q: Query[ExportQuery]):
    if q.periodType not in ("day", "week", "month"):
        raise ApiError(422, _("periodType 须为 day、week 或 month"), field="periodType", rule="choice")
    return export_data_value_set(q.startDate, q.endDate, period_type=q.periodType,
                                 cards=CaseCard.objects.restrict(user(request)),
                                 aggregates=AggregateCount.objects.restrict(user(request)))
