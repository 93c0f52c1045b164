"""突发公共卫生事件: type, place, start, status signal → event → closed (or dropped), its grade (I–IV,
set and changed with reasons, grading.py), linked cases, investigation log, control measures,
monitoring samples against their limits, the reports (初次、进程、结案), and the 7-1-7 times (emergence →
detection ≤ 7 days, detection → notification ≤ 1 day, notification → early response ≤ 7 days).

The initial report is due within 2 hours of discovery: 《突发公共卫生事件应急条例》 第二十条 (突发事件监测
机构、医疗卫生机构和有关单位发现有本条例第十九条规定情形之一的，应当在2小时内向所在地县级人民政府卫生
行政主管部门报告) and 《突发公共卫生事件相关信息报告管理工作规范（试行）》 (获得相关信息的责任报告单位和
责任报告人，应当在2小时内…报告). The notification clock runs from discovery; a report after it is late
and accountable. 7-1-7's "1 day" is a separate, looser target for the figure."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.clock.limits import Limit
from yizhan.clock.moments import resolve_at
from yizhan.clock.timers import start_timer, stop_timer
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.org.models import OrgUnit
from yizhan.surveillance.models import (
    CaseCard,
    Grade,
    GradeChange,
    Incident,
    IncidentKind,
    IncidentLog,
    IncidentReport,
    IncidentState,
    LogKind,
    MonitoringSample,
    ReportKind,
    Signal,
)
from yizhan.surveillance.review import require_epidemiologist
from yizhan.surveillance.units import responsible_cdc

NOTIFY_HOURS = 2  # 《突发公共卫生事件应急条例》 第二十条
RESPONSE_HOURS = 7 * 24  # the last "7"
TARGETS = {"detection": timedelta(days=7), "notification": timedelta(days=1), "response": timedelta(days=7)}


def open_incident(*, title: str, kind: str, unit: OrgUnit, place: str, started_at: datetime, detected_at: datetime,
                  signal: Signal | None = None, actor: Any = None, at: datetime | None = None) -> Incident:
    at = resolve_at(at)
    require_epidemiologist(actor, responsible_cdc(unit))
    if kind not in IncidentKind.values:
        raise InvalidInput(_("事件类型须为以下之一：%(c)s") % {"c": "、".join(IncidentKind.values)}, field="kind",
                           rule="choice")
    if not title.strip():
        raise InvalidInput(_("不能为空"), field="title", rule="required")
    if detected_at < started_at:
        raise InvalidInput(_("发现时间不能早于发生时间"), field="detected_at", rule="date_order")
    with transaction.atomic():
        incident = Incident.objects.create(title=title.strip(), kind=kind, unit=unit, place=place,
                                           started_at=started_at, detected_at=detected_at, signal=signal,
                                           state=IncidentState.EVENT if signal else IncidentState.SIGNAL)
        incident.notify_timer = start_timer(incident, "incident_notify", Limit.hours(NOTIFY_HOURS), at=detected_at,
                                            responsible_unit=responsible_cdc(unit), accountable=True)
        incident.save(update_fields=["notify_timer"])
        record("surveillance.incident.opened", incident, actor=actor, at=at, title=incident.title, kind=kind,
               unit=unit.code, signal=signal.pk if signal else None)
    return incident


def _locked(incident: Incident) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.state in (IncidentState.CLOSED, IncidentState.DROPPED):
        raise IllegalTransition(_("事件已%(s)s") % {"s": IncidentState(incident.state).label})
    return incident


def _label(actor: Any) -> str:
    return getattr(actor, "username", "") if actor is not None else ""


def set_grade(incident: Incident, grade: str, *, reason: str, criterion: str = "", actor: Any = None,
              at: datetime | None = None) -> Incident:
    """Set or change the grade, with the reason (and the plan's criterion it rests on); kept in history."""
    at = resolve_at(at)
    require_epidemiologist(actor, responsible_cdc(incident.unit))
    if grade not in Grade.values:
        raise InvalidInput(_("事件分级须为 I、II、III 或 IV"), field="grade", rule="choice")
    if not (reason or "").strip():
        raise InvalidInput(_("须说明定级或调整分级的理由"), field="reason", rule="required")
    with transaction.atomic():
        incident = _locked(incident)
        if incident.grade == grade:
            raise InvalidInput(_("事件已是%(g)s") % {"g": Grade(grade).label}, field="grade", rule="unchanged")
        previous = incident.grade
        GradeChange.objects.create(incident=incident, grade=grade, previous=previous, reason=reason.strip(),
                                   criterion=criterion.strip(), at=at, actor_label=_label(actor))
        incident.grade = grade
        incident.save(update_fields=["grade"])
        record("surveillance.incident.graded", incident, actor=actor, at=at, grade=grade, previous=previous,
               reason=reason.strip(), criterion=criterion)
    return incident


def file_report(incident: Incident, kind: str, *, text: str, at: datetime | None = None, cases: int | None = None,
                deaths: int | None = None, actor: Any = None) -> IncidentReport:
    """初次报告 (stops the 2-hour clock, starts the response clock; late when after it), 进程报告 (any number,
    numbered), 结案报告 (closes the event: `close_incident`)."""
    at = resolve_at(at)
    require_epidemiologist(actor, responsible_cdc(incident.unit))
    if kind not in ReportKind.values:
        raise InvalidInput(_("报告类别须为初次、进程或结案报告"), field="kind", rule="choice")
    if not (text or "").strip():
        raise InvalidInput(_("须填写报告内容"), field="text", rule="required")
    if (cases is not None and cases < 0) or (deaths is not None and deaths < 0):
        raise InvalidInput(_("病例数和死亡数不能为负数"), field="cases", rule="negative")
    with transaction.atomic():
        incident = _locked(incident)
        has_initial = incident.reports.filter(kind=ReportKind.INITIAL).exists()
        if kind == ReportKind.INITIAL and has_initial:
            raise IllegalTransition(_("事件已有初次报告；后续情况请作进程报告"), field="kind", rule="initial_exists")
        if kind != ReportKind.INITIAL and not has_initial:
            raise IllegalTransition(_("须先作初次报告"), field="kind", rule="initial_first")
        if cases is not None:
            incident.cases_count = cases
        if deaths is not None:
            incident.deaths = deaths
        late = False
        if kind == ReportKind.INITIAL:
            incident.notified_at, incident.state = at, IncidentState.EVENT
            stop_timer(incident.notify_timer, at=at)
            late = incident.notify_timer.overdue_at_stop
            incident.response_timer = start_timer(incident, "incident_response", Limit.hours(RESPONSE_HOURS), at=at,
                                                  responsible_unit=responsible_cdc(incident.unit), accountable=True)
        incident.save()
        report = IncidentReport.objects.create(
            incident=incident, kind=kind, at=at, text=text.strip(), grade=incident.grade,
            cases_count=incident.cases_count, deaths=incident.deaths, late=late, actor_label=_label(actor),
            number=incident.reports.filter(kind=kind).count() + 1)
        record("surveillance.incident.reported", incident, actor=actor, at=at, kind=kind, number=report.number,
               late=late, grade=incident.grade, cases=incident.cases_count, deaths=incident.deaths)
    return report


def notify_incident(incident: Incident, *, at: datetime, actor: Any = None, text: str = "") -> Incident:
    """报告 (notification to the health authority) is the initial report."""
    file_report(incident, ReportKind.INITIAL, text=text or str(_("初次报告")), at=at, actor=actor)
    return Incident.objects.get(pk=incident.pk)


def respond_incident(incident: Incident, *, at: datetime, actor: Any = None) -> Incident:
    """Early response in place (the first control measure counts as one)."""
    require_epidemiologist(actor, responsible_cdc(incident.unit))
    with transaction.atomic():
        incident = _locked(incident)
        if not incident.notified_at:
            raise IllegalTransition(_("事件尚未报告"))
        if not incident.responded_at:
            incident.responded_at = at
            stop_timer(incident.response_timer, at=at)
            incident.save(update_fields=["responded_at"])
            record("surveillance.incident.responded", incident, actor=actor, at=at)
    return incident


def add_log(incident: Incident, kind: str, text: str, *, at: datetime, actor: Any = None,
            actor_label: str = "") -> IncidentLog:
    require_epidemiologist(actor, responsible_cdc(incident.unit))
    if kind not in LogKind.values:
        raise InvalidInput(_("记录类别须为 investigation 或 measure"), field="kind", rule="choice")
    if not text.strip():
        raise InvalidInput(_("不能为空"), field="text", rule="required")
    with transaction.atomic():
        incident = _locked(incident)
        entry = IncidentLog.objects.create(incident=incident, kind=kind, at=at, text=text.strip(),
                                           actor_label=actor_label or getattr(actor, "username", ""))
        record("surveillance.incident.logged", incident, actor=actor, at=at, kind=kind, text=entry.text)
    if kind == LogKind.MEASURE and incident.notified_at and not incident.responded_at:
        respond_incident(incident, at=at, actor=actor)
    return entry


def add_sample(incident: Incident, *, taken_at: datetime, site: str, parameter: str, value: float, limit: float,
               unit_label: str = "", actor: Any = None) -> MonitoringSample:
    require_epidemiologist(actor, responsible_cdc(incident.unit))
    if value < 0 or limit < 0:
        raise InvalidInput(_("测定值和限值不能为负数"), field="value", rule="negative")
    with transaction.atomic():
        incident = _locked(incident)
        sample = MonitoringSample.objects.create(incident=incident, taken_at=taken_at, site=site, parameter=parameter,
                                                 value=value, limit=limit, unit_label=unit_label)
        record("surveillance.incident.sampled", incident, actor=actor, at=taken_at, site=site, parameter=parameter,
               value=value, limit=limit, exceeds=sample.exceeds)
    return sample


def link_cases(incident: Incident, cards: list[CaseCard], *, actor: Any = None, at: datetime | None = None) -> None:
    at = resolve_at(at)
    require_epidemiologist(actor, responsible_cdc(incident.unit))
    with transaction.atomic():
        incident = _locked(incident)
        incident.cases.add(*cards)
        record("surveillance.incident.cases_linked", incident, actor=actor, at=at, cards=[c.card_no for c in cards])


def close_incident(incident: Incident, *, report: str, at: datetime, actor: Any = None,
                   dropped: bool = False) -> Incident:
    """Close with the closing report (结案报告), or drop a signal that proved no event."""
    require_epidemiologist(actor, responsible_cdc(incident.unit))
    if not report.strip():
        raise InvalidInput(_("须填写结案报告"), field="report", rule="required")
    with transaction.atomic():
        if not dropped:
            file_report(incident, ReportKind.CLOSING, text=report, at=at, actor=actor)
        incident = _locked(incident)
        incident.state = IncidentState.DROPPED if dropped else IncidentState.CLOSED
        incident.closure_report, incident.closed_at = report.strip(), at
        incident.save(update_fields=["state", "closure_report", "closed_at"])
        for timer in (incident.notify_timer, incident.response_timer):
            if timer and timer.stopped_at is None:
                stop_timer(timer, at=at)
        record("surveillance.incident.closed", incident, actor=actor, at=at, state=incident.state)
    return incident


def seven_one_seven(incident: Incident) -> dict[str, Any]:
    """Hours of each 7-1-7 interval and whether it met its target (None while not reached)."""
    spans = {"detection": (incident.started_at, incident.detected_at),
             "notification": (incident.detected_at, incident.notified_at),
             "response": (incident.notified_at, incident.responded_at)}
    out = {}
    for name, (start, end) in spans.items():
        if start and end:
            out[name] = {"hours": round((end - start).total_seconds() / 3600, 1), "met": end - start <= TARGETS[name]}
        else:
            out[name] = {"hours": None, "met": None}
    return out
