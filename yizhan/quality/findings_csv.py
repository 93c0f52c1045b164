"""Findings of a plan's audits from a CSV file (the audit team's sheet), and the findings with their
corrective actions as CSV.

Import columns: `department_code,kind,clause,description` (kind: nonconformity or observation); the
department's audit must be conducted. Every broken row is reported with its line and field and
nothing is written; otherwise all findings are recorded in one transaction."""

from datetime import datetime
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.clock.moments import resolve_at
from yizhan.csvrows import ImportResult, Rows
from yizhan.errors import RuleError
from yizhan.org.scope import CHANGE, restrict
from yizhan.quality import audits
from yizhan.quality.models import Audit, AuditPlan, AuditState, Finding

COLUMNS = ["department_code", "kind", "clause", "description"]
EXPORT = ["department_code", "department", "seq", "kind", "clause", "description", "action", "owner", "deadline",
          "state", "on_time"]


def import_findings(plan: AuditPlan, stream: IO[str] | IO[bytes], *, at: datetime | None = None, actor: Any = None,
                    actor_label: str = "import-findings") -> ImportResult:
    at = resolve_at(at)
    rows = Rows(stream, COLUMNS, codes=("department_code",))
    by_department = {a.department.code: a for a in plan.audits.select_related("department")}
    mine = None
    if actor is not None:
        mine = set(restrict(Audit.objects.filter(plan=plan), actor, CHANGE).values_list("pk", flat=True))
    parsed = []
    for line, row in rows:
        code = rows.required(line, row, "department_code")
        audit = by_department.get(code)
        if code and audit is None:
            rows.error(line, "department_code", _("本计划没有对 %(d)s 的审核") % {"d": code})
        elif audit is not None and mine is not None and audit.pk not in mine:
            rows.error(line, "department_code", _("您不是该部门的质量负责人：%(d)s") % {"d": code})
        elif audit is not None and audit.state != AuditState.CONDUCTED:
            rows.error(line, "department_code", _("对 %(d)s 的审核尚未实施") % {"d": code})
        try:
            checked = audits.check_finding(row.get("kind", ""), row.get("clause", ""), row.get("description", ""))
        except RuleError as exc:
            rows.error(line, exc.field, exc.message)
            continue
        if audit is not None:
            parsed.append((audit, checked))
    rows.raise_if_any()
    with transaction.atomic():
        for audit, (kind, clause, description) in parsed:
            audits.add_finding(audit, kind=kind, clause=clause, description=description, at=at, actor=actor,
                               actor_label=actor_label)
    return ImportResult(len(parsed), 0)


def export_rows(findings) -> list[list[Any]]:
    findings = list(findings.select_related("audit__department").order_by("audit__department__code", "seq"))
    actions = {int(a.subject_id): a for a in audits.corrective_actions(Finding.objects.filter(
        pk__in=[f.pk for f in findings])).select_related("owner", "timer")}
    out = []
    for f in findings:
        a = actions.get(f.pk)
        out.append([f.audit.department.code, f.audit.department.name, f.seq, f.get_kind_display(), f.clause,
                    f.description, a.title if a else "", (a.owner.get_full_name() or a.owner.username)
                    if a and a.owner else "", a.timer.deadline if a else None, a.get_state_display() if a else "",
                    {True: _("是"), False: _("否")}.get(a.on_time, "") if a else ""])
    return out
