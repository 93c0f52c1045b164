"""The quality system's figures for a plan: findings by clause and by department (nonconformities
and observations), and the corrective actions closed on time (`yizhan.followups.service.figures`)."""

from collections import Counter
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from yizhan.followups.service import figures as follow_up_figures
from yizhan.quality.audits import corrective_actions
from yizhan.quality.clauses import CLAUSES, main_clause
from yizhan.quality.models import AuditPlan, Finding, FindingKind


def plan_figures(plan: AuditPlan, findings: QuerySet[Finding] | None = None, *,
                 now: datetime | None = None) -> dict[str, Any]:
    """`findings`: the plan's findings the caller may see (default: all of them)."""
    if findings is None:
        findings = Finding.objects.all()
    findings = findings.filter(audit__plan=plan).select_related("audit__department")
    by_clause: Counter = Counter()
    by_department: Counter = Counter()
    departments: dict[str, str] = {}
    for f in findings:
        by_clause[(main_clause(f.clause), f.kind)] += 1
        by_department[(f.audit.department.code, f.kind)] += 1
        departments[f.audit.department.code] = f.audit.department.name
    nc, obs = FindingKind.NONCONFORMITY, FindingKind.OBSERVATION
    clauses = sorted({c for c, _k in by_clause}, key=lambda c: tuple(int(p) for p in c.split(".")))
    return {
        "findings": findings.count(),
        "nonconformities": sum(v for (_c, k), v in by_clause.items() if k == nc),
        "observations": sum(v for (_c, k), v in by_clause.items() if k == obs),
        "by_clause": [{"clause": c, "title": str(CLAUSES[c]), "nonconformity": by_clause[(c, nc)],
                       "observation": by_clause[(c, obs)]} for c in clauses],
        "by_department": [{"department": code, "name": departments[code], "nonconformity": by_department[(code, nc)],
                           "observation": by_department[(code, obs)]} for code in sorted(departments)],
        "corrective_actions": follow_up_figures(corrective_actions(findings), now=now),
    }
