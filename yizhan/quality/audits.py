"""Internal audits: a year's plan, an audit per department (an OFFICE under the CDC), the audit
conducted with its findings, and a corrective action for each nonconformity — a follow-up item on
the clock with an owner and a deadline, whose effect a second person verifies
(`yizhan.followups.service.verify`; an action without effect is reopened with a new deadline).

Rules: the department is an office of the plan's CDC and is audited once per plan; the lead auditor
does not audit their own department (an auditor is independent of the activity audited); findings
are recorded on a conducted audit and name a clause of the standard; a corrective action answers a
nonconformity (an observation is a recommendation and needs none)."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.limits import Limit
from yizhan.clock.moments import resolve_at
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.followups.models import FollowUp, FollowUpState
from yizhan.followups.service import open_follow_up
from yizhan.org.models import OrgUnit, StaffRole, UnitKind
from yizhan.org.scope import require_covers, require_permits
from yizhan.quality.clauses import check_clause
from yizhan.quality.models import QUALITY_MANAGERS, Audit, AuditPlan, AuditState, Finding, FindingKind

CORRECTIVE_ACTION = "quality.corrective_action"


NOT_MANAGER = {"field": "department", "rule": "not_quality_manager"}


def _may_manage(actor: Any, obj: Any) -> None:
    require_permits(actor, obj, message=_("您不是该部门的质量负责人"), **NOT_MANAGER)


def _required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("%(f)s 不能为空") % {"f": field}, field=field, rule="required")
    return value


def create_plan(cdc: OrgUnit, *, code: str, title: str, year: int, at: datetime | None = None, actor: Any = None,
                actor_label: str = "") -> AuditPlan:
    require_covers(actor, QUALITY_MANAGERS, cdc, field="cdc", rule="not_quality_manager",
                   message=_("您不是该疾控中心的质量负责人"))
    at = resolve_at(at)
    code, title = _required(code, "code"), _required(title, "title")
    if cdc.kind != UnitKind.CDC:
        raise InvalidInput(_("内部审核计划须属于疾控中心"), field="cdc", rule="not_cdc")
    if AuditPlan.objects.filter(code=code).exists():
        raise InvalidInput(_("审核计划编码已存在：%(c)s") % {"c": code}, field="code", rule="unique")
    with transaction.atomic():
        plan = AuditPlan.objects.create(cdc=cdc, code=code, title=title, year=year, created_at=at)
        record("quality.plan.created", plan, actor=actor, actor_label=actor_label, at=at, code=code, year=year)
    return plan


def schedule_audit(plan: AuditPlan, department: OrgUnit, *, planned_on: date, lead_auditor: Any = None,
                   actor: Any = None, actor_label: str = "", at: datetime | None = None) -> Audit:
    require_covers(actor, QUALITY_MANAGERS, department, message=_("您不是该部门的质量负责人"), **NOT_MANAGER)
    at = resolve_at(at)
    if department.kind != UnitKind.OFFICE or not department.path.startswith(plan.cdc.path):
        raise InvalidInput(_("%(u)s 不是本疾控中心的科室") % {"u": department.name}, field="department",
                           rule="not_office")
    if planned_on.year != plan.year:
        raise InvalidInput(_("计划日期须在 %(y)d 年内") % {"y": plan.year}, field="planned_on", rule="plan_year")
    if Audit.objects.filter(plan=plan, department=department).exists():
        raise InvalidInput(_("本计划已安排审核 %(u)s") % {"u": department.name}, field="department", rule="unique")
    if lead_auditor is not None and StaffRole.objects.filter(
            user=lead_auditor, unit__path__startswith=department.path).exists():
        raise InvalidInput(_("审核员不能审核本部门的工作"), field="lead_auditor", rule="not_independent")
    with transaction.atomic():
        audit = Audit.objects.create(plan=plan, department=department, planned_on=planned_on,
                                     lead_auditor=lead_auditor)
        record("quality.audit.scheduled", audit, actor=actor, actor_label=actor_label, at=at,
               department=department.code, planned_on=planned_on,
               lead_auditor=getattr(lead_auditor, "username", None))
    return audit


def conduct(audit: Audit, *, conducted_on: date, summary: str, at: datetime | None = None, actor: Any = None,
            actor_label: str = "") -> Audit:
    at = resolve_at(at)
    summary = _required(summary, "summary")
    if conducted_on.year != audit.plan.year:
        raise InvalidInput(_("实施日期须在 %(y)d 年内") % {"y": audit.plan.year}, field="conducted_on",
                           rule="plan_year")
    with transaction.atomic():
        audit = Audit.objects.select_for_update().select_related("plan", "department").get(pk=audit.pk)
        _may_manage(actor, audit)
        if audit.state != AuditState.PLANNED:
            raise IllegalTransition(_("该审核已实施"), field="state", rule="conducted")
        audit.state, audit.conducted_on, audit.summary = AuditState.CONDUCTED, conducted_on, summary
        audit.save(update_fields=["state", "conducted_on", "summary"])
        record("quality.audit.conducted", audit, actor=actor, actor_label=actor_label, at=at,
               conducted_on=conducted_on, state=[AuditState.PLANNED, AuditState.CONDUCTED])
    return audit


def check_finding(kind: str, clause: str, description: str) -> tuple[str, str, str]:
    if kind not in FindingKind.values:
        raise InvalidInput(_("类型须为 %(k)s 之一：%(v)s") % {"k": "、".join(FindingKind.values), "v": str(kind)[:20]},
                           field="kind", rule="choice")
    return kind, check_clause(clause), _required(description, "description")


def add_finding(audit: Audit, *, kind: str, clause: str, description: str, at: datetime | None = None,
                actor: Any = None, actor_label: str = "") -> Finding:
    at = resolve_at(at)
    kind, clause, description = check_finding(kind, clause, description)
    with transaction.atomic():
        audit = Audit.objects.select_for_update().select_related("plan", "department").get(pk=audit.pk)
        _may_manage(actor, audit)
        if audit.state != AuditState.CONDUCTED:
            raise IllegalTransition(_("审核实施后才能记录审核发现"), field="audit", rule="not_conducted")
        seq = (audit.findings.aggregate(m=Max("seq"))["m"] or 0) + 1
        finding = Finding.objects.create(audit=audit, seq=seq, kind=kind, clause=clause, description=description,
                                         raised_at=at, raised_by=actor if getattr(actor, "is_authenticated", False)
                                         else None)
        record("quality.finding.raised", finding, actor=actor, actor_label=actor_label, at=at, kind=kind,
               clause=clause, department=audit.department.code)
    return finding


def corrective_actions(findings) -> Any:
    return FollowUp.objects.filter(kind=CORRECTIVE_ACTION, subject_type=Finding._meta.label_lower,
                                   subject_id__in=[str(pk) for pk in findings.values_list("pk", flat=True)])


def raise_corrective_action(finding: Finding, *, title: str, owner: Any, days: int, at: datetime | None = None,
                            actor: Any = None, actor_label: str = "") -> FollowUp:
    """A corrective action for a nonconformity: owned by someone of the audited department, due in
    `days` working days, its effect verified by a second person."""
    _may_manage(actor, finding)
    at = resolve_at(at)
    title = _required(title, "title")
    department = finding.audit.department
    if finding.kind != FindingKind.NONCONFORMITY:
        raise InvalidInput(_("观察项无须纠正措施"), field="finding", rule="not_nonconformity")
    if owner is None:
        raise InvalidInput(_("纠正措施须有责任人"), field="owner", rule="required")
    if not StaffRole.objects.filter(user=owner, unit__path__startswith=department.path).exists():
        raise InvalidInput(_("责任人须为受审核部门 %(u)s 的人员") % {"u": department.name}, field="owner",
                           rule="not_in_department")
    if not 1 <= int(days) <= 365:
        raise InvalidInput(_("整改时限须为 1 至 365 个工作日"), field="days", rule="range")
    if corrective_actions(Finding.objects.filter(pk=finding.pk)).exclude(state=FollowUpState.CANCELLED).exists():
        raise InvalidInput(_("该不符合项已有纠正措施"), field="finding", rule="duplicate")
    if at < finding.raised_at:
        raise InvalidInput(_("纠正措施不能早于审核发现"), field="at", rule="not_before_finding")
    return open_follow_up(finding, kind=CORRECTIVE_ACTION, title=title, unit=department, owner=owner,
                          limit=Limit.days(int(days)), detail=f"{finding.clause} {finding.description}",
                          needs_verification=True, at=at, actor=actor, actor_label=actor_label)
