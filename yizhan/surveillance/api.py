"""The surveillance system's API (/api/surveillance/): the disease catalog, case report cards (report,
check as you type, correct, review, duplicates), signals and their verification, figures, quality,
incidents, and DHIS2 dataValueSets import and export. Every list goes through the one scope rule;
every change calls the surveillance service functions with the caller as actor."""

import io
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from yizhan.api.common import DAY_RANGE, Code, Day, Id, Text, period, user
from yizhan.api.errors import ERROR_RESPONSES, ApiError, not_found
from yizhan.org.models import OrgUnit
from yizhan.org.scope import SURVEILLANCE_STAFF, units
from yizhan.surveillance import cards as card_service
from yizhan.surveillance import deletion, duplicates, returns, review
from yizhan.surveillance.catalog import catalog_rows
from yizhan.surveillance.dhis2 import export_csv, export_data_value_set, import_data_value_set, read_csv
from yizhan.surveillance.dhis2.periods import EXPORT_TYPES
from yizhan.surveillance.dhis2.webmessage import web_message
from yizhan.surveillance.figures import signal_figures
from yizhan.surveillance.his import import_his
from yizhan.surveillance.incidents import close_incident, file_report, set_grade, seven_one_seven
from yizhan.surveillance.models import AggregateCount, CaseCard, DiagnosedCase, Incident, ReportKind, Signal
from yizhan.surveillance.quality import quality
from yizhan.surveillance.signals import respond, signal_rows

PREFIX = "/surveillance"
router = Router(tags=["surveillance"])


class CardIn(Schema):
    """The national card's fields. `reported_at` is refused when given: the report time is the server's."""

    name: str = ""
    guardian: str = ""
    id_number: str = ""
    no_id_number: bool = False
    sex: str = ""
    birth_date: str = ""
    age: int | None = None
    age_unit: str = ""
    work_unit: str = ""
    phone: str = ""
    foreign: bool = False
    address_division: str = Field("", description="现住址的行政区划代码（GB/T 2260 县级 6 位，或本地乡镇 9 位、村 12 位）")
    house_number: str = ""
    occupation: str = ""
    classification: str = ""
    acute_chronic: str = ""
    onset_date: str = ""
    diagnosed_at: str = ""
    death_date: str = ""
    disease: str = ""
    subtype: str = ""
    treated_here: bool = True
    doctor: str = ""
    doctor_phone: str = ""
    filled_on: str = ""
    remarks: str = ""
    reported_at: str = Field("", description="不能填写：报告时间由系统在收到报告卡时记录")
    reporting_unit: str = ""
    entered_by_unit: str = ""


class CardOut(Schema):
    card_no: str
    kind: str
    state: str
    disease: str
    classification: str
    reporting_unit: str
    entered_by_unit: str | None
    residence: str
    residence_unit: str | None
    address: str
    filled_on: str | None
    reported_at: str
    late: bool
    corrects: str | None
    original_disease: str | None
    duplicate_of: str | None
    kept_card: str | None
    review_deadline: str | None
    returned_reason: str
    resubmit_deadline: str | None
    excluded_reason: str
    deleted_reason: str
    remarks: str


def card_out(c: CaseCard) -> dict[str, Any]:
    return {"card_no": c.card_no, "kind": c.kind, "state": c.state, "disease": c.disease.code,
            "classification": c.classification, "reporting_unit": c.reporting_unit.code,
            "entered_by_unit": c.entered_by_unit.code if c.entered_by_unit else None,
            "residence": c.residence, "residence_unit": c.residence_unit.code if c.residence_unit else None,
            "address": c.address, "filled_on": c.filled_on.isoformat() if c.filled_on else None,
            "reported_at": c.reported_at.isoformat(), "late": c.late,
            "corrects": c.corrects.card_no if c.corrects else None,
            "original_disease": c.original_disease.code if c.original_disease else None,
            "duplicate_of": c.duplicate_of.card_no if c.duplicate_of else None,
            "kept_card": c.kept_card.card_no if c.kept_card else None,
            "review_deadline": c.review_timer.deadline.isoformat() if c.review_timer else None,
            "returned_reason": c.returned_reason,
            "resubmit_deadline": c.resubmit_timer.deadline.isoformat() if c.resubmit_timer else None,
            "excluded_reason": c.excluded_reason, "deleted_reason": c.deleted_reason, "remarks": c.remarks}


RELATED = ("disease", "reporting_unit", "entered_by_unit", "residence_unit", "review_timer", "resubmit_timer",
           "corrects", "original_disease", "duplicate_of", "kept_card")


def _unit(code: str, field: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise ApiError(422, _("机构不存在：%(v)s") % {"v": code}, field=field, rule="unknown_unit")
    return unit


def _card(request: HttpRequest, card_no: Code, action: str = "view") -> CaseCard:
    card = CaseCard.objects.restrict(user(request), action).filter(card_no=card_no).select_related(*RELATED).first()
    if card is None:
        raise not_found(_("报告卡"), field="card_no")
    return card


def _units_of(payload: CardIn) -> tuple[OrgUnit, OrgUnit | None]:
    unit = _unit(payload.reporting_unit, "reporting_unit")
    proxy = _unit(payload.entered_by_unit, "entered_by_unit") if payload.entered_by_unit else None
    return unit, proxy


def _data(payload: CardIn) -> dict[str, Any]:
    return payload.dict(exclude={"reporting_unit", "entered_by_unit"})


@router.get("/diseases", response={200: list[dict[str, Any]], **ERROR_RESPONSES}, summary="传染病目录（2025 年起施行的分类及调整记录）")
def diseases(request: HttpRequest):
    return catalog_rows()


class CheckOut(Schema):
    errors: list[dict[str, str]]
    probable_duplicate: str | None


@router.post("/cards/check", response={200: CheckOut, **ERROR_RESPONSES}, summary="检查报告卡（不保存）")
def check(request: HttpRequest, payload: CardIn):
    """Every broken field of a card being filled in, and the card it would duplicate, without saving."""
    unit = OrgUnit.objects.filter(code=payload.reporting_unit).first() if payload.reporting_unit else None
    errors, found = duplicates.check_report(_data(payload), unit)
    dup = found.card_no if found is not None and payload.reporting_unit else None
    return {"errors": [e.as_dict() for e in errors], "probable_duplicate": dup}


@router.post("/cards", response={201: CardOut, **ERROR_RESPONSES}, summary="报告传染病报告卡")
def report(request: HttpRequest, payload: CardIn):
    """The report time is when the card reached Yizhan; a `reported_at` in the body is refused (422)."""
    unit, proxy = _units_of(payload)
    card = card_service.report_card(_data(payload), unit=unit, entered_by=proxy, actor=user(request))
    return Status(201, card_out(card))


@router.get("/cards", response={200: list[CardOut], **ERROR_RESPONSES}, summary="报告卡列表")
def list_cards(request: HttpRequest, state: str | None = None, limit: int = 200):
    qs = CaseCard.objects.restrict(user(request)).select_related(*RELATED)
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


@router.post("/cards/{card_no}/resubmit", response={200: CardOut, **ERROR_RESPONSES}, summary="修改后重新提交退回的报告卡")
def resubmit(request: HttpRequest, card_no: Code, payload: CardIn):
    card = _card(request, card_no, "change")
    return card_out(returns.resubmit_card(card, _data(payload), actor=user(request)))


@router.post("/cards/{card_no}/review", response={200: CardOut, **ERROR_RESPONSES}, summary="审核报告卡")
def review_one(request: HttpRequest, card_no: Code):
    return card_out(review.review_card(_card(request, card_no, "change"), actor=user(request)))


class ReasonIn(Schema):
    reason: str


@router.post("/cards/{card_no}/return", response={200: CardOut, **ERROR_RESPONSES}, summary="退卡（说明原因）")
def return_one(request: HttpRequest, card_no: Code, payload: ReasonIn):
    return card_out(returns.return_card(_card(request, card_no, "change"), reason=payload.reason, actor=user(request)))


@router.post("/cards/{card_no}/exclude", response={200: CardOut, **ERROR_RESPONSES}, summary="排除疑似病例")
def exclude(request: HttpRequest, card_no: Code, payload: ReasonIn):
    return card_out(review.exclude_card(_card(request, card_no, "change"), reason=payload.reason, actor=user(request)))


class DeleteIn(Schema):
    reason: str
    kept: str = Field("", description="重复卡：保留的卡片编号")


@router.post("/cards/{card_no}/delete", response={200: CardOut, **ERROR_RESPONSES}, summary="删除报告卡（说明原因）")
def delete(request: HttpRequest, card_no: Code, payload: DeleteIn):
    card = _card(request, card_no, "change")
    kept = _card(request, payload.kept) if payload.kept else None
    return card_out(deletion.delete_card(card, kept=kept, actor=user(request), reason=payload.reason))


@router.post("/cards/{card_no}/restore", response={200: CardOut, **ERROR_RESPONSES}, summary="恢复经审核删除的卡片")
def restore(request: HttpRequest, card_no: Code):
    return card_out(deletion.restore(_card(request, card_no, "change"), actor=user(request)))


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
    return quality(unit, first, last, cards=CaseCard.objects.restrict(user(request)),
                   cases=DiagnosedCase.objects.restrict(user(request))).as_dict()


class HisIn(Schema):
    csv: Text = Field(..., max_length=2_000_000, description="unit,his_id,name,id_number,disease,diagnosed_on")


@router.post("/quality/his", response={200: dict[str, int], **ERROR_RESPONSES}, summary="导入医院 HIS 诊断病例（CSV）")
def his_import(request: HttpRequest, payload: HisIn):
    """The cases a hospital diagnosed (its HIS export as CSV), against which 漏报率 is measured. Every
    broken row is listed (422) and nothing written."""
    result = import_his(io.StringIO(payload.csv), actor=user(request))
    return {"created": result.created, "updated": result.updated}


class GradeIn(Schema):
    grade: str
    reason: str
    criterion: str = ""


class IncidentReportIn(Schema):
    kind: str
    text: str
    cases: int | None = None
    deaths: int | None = None


def _incident(request: HttpRequest, incident_id: int) -> Incident:
    incident = Incident.objects.restrict(user(request), "change").filter(pk=incident_id).first()
    if incident is None:
        raise not_found(_("突发公共卫生事件"), field="incident_id")
    return incident


@router.post("/incidents/{incident_id}/grade", response={200: dict[str, Any], **ERROR_RESPONSES},
             summary="事件定级或调整分级（说明理由）")
def grade_incident(request: HttpRequest, incident_id: Id, payload: GradeIn):
    incident = set_grade(_incident(request, incident_id), payload.grade, reason=payload.reason,
                         criterion=payload.criterion, actor=user(request))
    return incident_row(incident)


@router.post("/incidents/{incident_id}/reports", response={201: dict[str, Any], **ERROR_RESPONSES},
             summary="事件初次、进程或结案报告")
def report_incident(request: HttpRequest, incident_id: Id, payload: IncidentReportIn):
    incident = _incident(request, incident_id)
    if payload.kind == ReportKind.CLOSING:
        close_incident(incident, report=payload.text, at=timezone.now(), actor=user(request))
        report = incident.reports.filter(kind=ReportKind.CLOSING).latest("at")
    else:
        report = file_report(incident, payload.kind, text=payload.text, cases=payload.cases, deaths=payload.deaths,
                             actor=user(request))
    return Status(201, {"id": report.pk, "kind": report.kind, "number": report.number, "at": report.at.isoformat(),
                        "late": report.late, "grade": report.grade})


def incident_row(i: Incident) -> dict[str, Any]:
    return {"id": i.pk, "title": i.title, "kind": i.kind, "unit": i.unit.code, "place": i.place,
            "started_at": i.started_at.isoformat(), "detected_at": i.detected_at.isoformat(), "state": i.state,
            "grade": i.grade, "cases_count": i.cases_count, "deaths": i.deaths, "cases": i.cases.count(),
            "notify_deadline": i.notify_timer.deadline.isoformat() if i.notify_timer else None,
            "reports": [{"kind": r.kind, "number": r.number, "at": r.at.isoformat(), "late": r.late}
                        for r in i.reports.all()],
            "samples_over_limit": sum(1 for s in i.samples.all() if s.exceeds), "seven_one_seven": seven_one_seven(i)}


@router.get("/incidents", response={200: list[dict[str, Any]], **ERROR_RESPONSES}, summary="突发公共卫生事件")
def incidents(request: HttpRequest):
    return [incident_row(i) for i in Incident.objects.restrict(user(request)).select_related(
        "unit", "notify_timer").prefetch_related("samples", "reports")]


class Dhis2Query(Schema):
    dryRun: bool = False  # noqa: N815 — DHIS2's parameter names
    importStrategy: str = "CREATE_AND_UPDATE"  # noqa: N815
    atomicMode: str = "ALL"  # noqa: N815
    idScheme: str = "code"  # noqa: N815
    firstRowIsHeader: bool = True  # noqa: N815


DATA_VALUE_SET_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object", "required": ["dataValues"], "properties": {
        "dataValues": {"type": "array", "items": {"type": "object"}}, "period": {"type": "string"},
        "orgUnit": {"type": "string"}, "dataElement": {"type": "string"},
        "attributeOptionCombo": {"type": "string"}}}},
    "application/csv": {"schema": {"type": "string", "description": "DHIS2 CSV: dataelement,period,orgunit,"
                                                                   "catoptcombo,attroptcombo,value,…"}}}}}


@router.post("/dhis2/dataValueSets", response={**ERROR_RESPONSES, 200: dict[str, Any], 409: dict[str, Any]},
             summary="导入 DHIS2 dataValueSets（JSON 或 CSV）", openapi_extra=DATA_VALUE_SET_BODY)
def dhis2_import(request: HttpRequest, q: Query[Dhis2Query]):
    """DHIS2's WebMessage wrapping the import summary: 200 OK, or 409 Conflict with status WARNING (some
    values conflict) or ERROR (nothing written); each conflict names object, value, errorCode, property
    and indexes. CSV when the Content-Type is application/csv or text/csv, else JSON."""
    if q.idScheme.lower() != "code":
        raise ApiError(422, _("仅支持 idScheme=code"), field="idScheme", rule="id_scheme")
    content_type = request.content_type or ""
    try:
        text = request.body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError(422, _("请求内容须为 UTF-8"), field="body", rule="encoding") from None
    if content_type in ("application/csv", "text/csv"):
        payload: Any = read_csv(text, first_row_is_header=q.firstRowIsHeader)
    else:
        try:
            payload = json.loads(text)
        except json.JSONDecodeError:
            raise ApiError(422, _("请求内容不是有效的 JSON"), field="body", rule="json") from None
    message = web_message(import_data_value_set(payload, dry_run=q.dryRun, strategy=q.importStrategy,
                                                atomic_mode=q.atomicMode, actor=user(request)))
    return Status(message["httpStatusCode"], message)


class ExportQuery(Schema):
    startDate: Day  # noqa: N815
    endDate: Day  # noqa: N815
    periodType: str = "Weekly"  # noqa: N815
    reportingUnit: Code | None = None  # noqa: N815


@router.get("/dhis2/dataValueSets", response={200: dict[str, Any], **ERROR_RESPONSES},
            summary="导出 DHIS2 dataValueSets（按审核日期和现住址）")
def dhis2_export(request: HttpRequest, q: Query[ExportQuery]):
    """JSON by default; CSV in DHIS2's column order with `Accept: application/csv`."""
    if q.periodType not in EXPORT_TYPES:
        raise ApiError(422, _("periodType 须为 %(t)s 之一") % {"t": "、".join(EXPORT_TYPES)}, field="periodType",
                       rule="choice")
    reporting = _unit(q.reportingUnit, "reportingUnit") if q.reportingUnit else None
    data = export_data_value_set(q.startDate, q.endDate, period_type=q.periodType, reporting_unit=reporting,
                                 cards=CaseCard.objects.restrict(user(request)),
                                 aggregates=AggregateCount.objects.restrict(user(request)))
    if "csv" in request.headers.get("Accept", ""):
        return HttpResponse(export_csv(data), content_type="application/csv; charset=utf-8")
    return data
