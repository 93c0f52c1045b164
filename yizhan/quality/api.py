"""The CDC's quality management: audit plans, audits per department, findings, corrective actions
(follow-up items: complete and verify them through /api/followups), figures, management reviews."""

import io
from datetime import date, datetime
from typing import Annotated

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from yizhan import csvrows
from yizhan.api.common import Code, Day, Id, Limit, Offset, Text, max_length_of, user
from yizhan.api.errors import ERROR_RESPONSES, ApiError
from yizhan.api.scope import get_visible, unit_by_code, visible
from yizhan.followups.api import FollowUpOut
from yizhan.followups.api import out as follow_up_out
from yizhan.followups.models import FollowUp
from yizhan.org.models import UnitKind
from yizhan.quality import audits, findings_csv, reviews
from yizhan.quality.figures import plan_figures
from yizhan.quality.models import Audit, AuditPlan, AuditState, Finding, FindingKind, ManagementReview, ReviewTopic

PREFIX = "/quality"
router = Router(tags=["quality"])


class PlanOut(Schema):
    code: str
    title: str
    year: int
    cdc: str
    standard: str
    audits: int


@router.get("/plans", response={200: list[PlanOut], **ERROR_RESPONSES}, summary="内部审核计划")
def plans(request: HttpRequest):
    return [{"code": p.code, "title": p.title, "year": p.year, "cdc": p.cdc.code, "standard": p.standard,
             "audits": p.audits.count()} for p in visible(AuditPlan.objects.select_related("cdc"), user(request))]


def _plan(request: HttpRequest, code: str) -> AuditPlan:
    return get_visible(AuditPlan.objects.select_related("cdc"), user(request), _("审核计划"), field="code", code=code)


class AuditOut(Schema):
    id: int
    plan: str
    department: str
    department_name: str
    planned_on: date
    lead_auditor: str | None
    state: AuditState
    conducted_on: date | None
    summary: str


def _audit_out(a: Audit) -> dict:
    return {"id": a.pk, "plan": a.plan.code, "department": a.department.code, "department_name": a.department.name,
            "planned_on": a.planned_on, "lead_auditor": a.lead_auditor.username if a.lead_auditor else None,
            "state": a.state, "conducted_on": a.conducted_on, "summary": a.summary}


class AuditFilter(Schema):
    plan: Code | None = None
    department: Code | None = None
    limit: Limit = 100
    offset: Offset = 0


def _audits():
    return Audit.objects.select_related("plan", "department", "lead_auditor")


@router.get("/audits", response={200: list[AuditOut], **ERROR_RESPONSES}, summary="内部审核")
def list_audits(request: HttpRequest, q: Query[AuditFilter]):
    qs = visible(_audits(), user(request))
    if q.plan:
        qs = qs.filter(plan__code=q.plan)
    if q.department:
        qs = qs.filter(department__code=q.department)
    return [_audit_out(a) for a in qs[q.offset:q.offset + q.limit]]


def _audit(request: HttpRequest, audit_id: int) -> Audit:
    return get_visible(_audits(), user(request), _("内部审核"), field="audit_id", pk=audit_id)


class ConductIn(Schema):
    conducted_on: Day
    summary: Text


@router.post("/audits/{audit_id}/conduct", response={200: AuditOut, **ERROR_RESPONSES}, summary="记录审核实施")
def conduct(request: HttpRequest, audit_id: Id, payload: ConductIn):
    return _audit_out(audits.conduct(_audit(request, audit_id), conducted_on=payload.conducted_on,
                                     summary=payload.summary, actor=user(request)))


class FindingOut(Schema):
    id: int
    audit_id: int
    department: str
    seq: int
    kind: FindingKind
    clause: str
    description: str
    raised_at: datetime
    corrective_action: FollowUpOut | None


def _finding_out(f: Finding, action=None) -> dict:
    return {"id": f.pk, "audit_id": f.audit_id, "department": f.audit.department.code, "seq": f.seq, "kind": f.kind,
            "clause": f.clause, "description": f.description, "raised_at": f.raised_at,
            "corrective_action": follow_up_out(action) if action else None}


class QualityFindingIn(Schema):
    kind: FindingKind
    clause: Annotated[Text, max_length_of(Finding, "clause")]
    description: Text


@router.post("/audits/{audit_id}/findings", response={200: FindingOut, **ERROR_RESPONSES}, summary="记录审核发现")
def add_finding(request: HttpRequest, audit_id: Id, payload: QualityFindingIn):
    finding = audits.add_finding(_audit(request, audit_id), kind=payload.kind, clause=payload.clause,
                                 description=payload.description, actor=user(request))
    return _finding_out(finding)


class FindingFilter(Schema):
    plan: Code
    kind: FindingKind | None = None
    limit: Limit = 200
    offset: Offset = 0


def _findings(request: HttpRequest, plan: AuditPlan):
    return visible(Finding.objects.filter(audit__plan=plan).select_related("audit__department"), user(request))


@router.get("/findings", response={200: list[FindingOut], **ERROR_RESPONSES}, summary="审核发现与纠正措施")
def list_findings(request: HttpRequest, q: Query[FindingFilter]):
    qs = _findings(request, _plan(request, q.plan))
    if q.kind:
        qs = qs.filter(kind=q.kind)
    rows = list(qs[q.offset:q.offset + q.limit])
    actions = {int(a.subject_id): a for a in audits.corrective_actions(Finding.objects.filter(
        pk__in=[f.pk for f in rows])).select_related("unit", "owner", "timer")}
    return [_finding_out(f, actions.get(f.pk)) for f in rows]


class ActionIn(Schema):
    title: Annotated[Text, max_length_of(FollowUp, "title")]
    owner: Code
    days: int = Field(..., ge=1, le=365, description="working days")


@router.post("/findings/{finding_id}/action", response={200: FollowUpOut, **ERROR_RESPONSES},
             summary="下达纠正措施")
def corrective_action(request: HttpRequest, finding_id: Id, payload: ActionIn):
    """A follow-up item on the clock; complete it and verify its effect (a second person) through
    /api/followups/{id}/complete and /verify."""
    finding = get_visible(Finding.objects.select_related("audit__department"), user(request), _("审核发现"),
                          field="finding_id", pk=finding_id)
    owner = get_user_model().objects.filter(username=payload.owner).first()
    if owner is None:
        raise ApiError(422, _("用户 %(u)s 不存在") % {"u": payload.owner}, field="owner", rule="unknown_user")
    item = audits.raise_corrective_action(finding, title=payload.title, owner=owner, days=payload.days,
                                          actor=user(request))
    return follow_up_out(item)


class ClauseCount(Schema):
    clause: str
    title: str
    nonconformity: int
    observation: int


class DepartmentCount(Schema):
    department: str
    name: str
    nonconformity: int
    observation: int


class QualityFiguresOut(Schema):
    plan: str
    findings: int
    nonconformities: int
    observations: int
    by_clause: list[ClauseCount]
    by_department: list[DepartmentCount]
    corrective_actions: dict


class PlanQuery(Schema):
    plan: Code


@router.get("/figures", response={200: QualityFiguresOut, **ERROR_RESPONSES}, summary="质量统计")
def figures(request: HttpRequest, q: Query[PlanQuery]):
    plan = _plan(request, q.plan)
    return {"plan": plan.code, **plan_figures(plan, _findings(request, plan))}


@router.get("/findings.csv", response={200: None, **ERROR_RESPONSES}, summary="导出审核发现（CSV）")
def export_findings(request: HttpRequest, q: Query[PlanQuery]):
    plan = _plan(request, q.plan)
    buffer = io.StringIO()
    writer = csvrows.writer(buffer)
    writer.writerow(findings_csv.EXPORT)
    writer.writerows(findings_csv.export_rows(_findings(request, plan)))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.code}-findings.csv"'
    return response


class QualityCsvIn(Schema):
    csv: Text = Field(..., max_length=2_000_000)


class QualityImportOut(Schema):
    created: int


@router.post("/plans/{code}/findings.csv", response={200: QualityImportOut, **ERROR_RESPONSES}, summary="导入审核发现（CSV）")
def import_findings(request: HttpRequest, code: Code, payload: QualityCsvIn):
    result = findings_csv.import_findings(_plan(request, code), io.StringIO(payload.csv), actor=user(request))
    return {"created": result.created}


class ReviewInputIn(Schema):
    topic: ReviewTopic
    summary: Text


class QualityDecisionIn(Schema):
    title: Annotated[Text, max_length_of(FollowUp, "title")]
    unit: Code
    owner: Code | None = None
    days: int = Field(..., ge=1, le=365)


class QualityReviewIn(Schema):
    cdc: Code
    code: Annotated[Text, max_length_of(ManagementReview, "code")]
    held_on: Day
    chair: Annotated[Text, max_length_of(ManagementReview, "chair")]
    conclusion: Text
    inputs: list[ReviewInputIn] = Field(..., min_length=1, max_length=20)
    decisions: list[QualityDecisionIn] = Field(default_factory=list, max_length=50)


class ReviewOut(Schema):
    code: str
    cdc: str
    held_on: date
    chair: str
    conclusion: str
    inputs: dict[str, str]
    decisions: list[FollowUpOut]


def _review_out(r: ManagementReview) -> dict:
    return {"code": r.code, "cdc": r.cdc.code, "held_on": r.held_on, "chair": r.chair, "conclusion": r.conclusion,
            "inputs": {i.topic: i.summary for i in r.inputs.all()},
            "decisions": [follow_up_out(d) for d in reviews.decisions_of(r)]}


@router.get("/reviews", response={200: list[ReviewOut], **ERROR_RESPONSES}, summary="管理评审")
def list_reviews(request: HttpRequest):
    return [_review_out(r) for r in visible(ManagementReview.objects.select_related("cdc"), user(request))]


@router.post("/reviews", response={200: ReviewOut, **ERROR_RESPONSES}, summary="记录管理评审")
def hold_review(request: HttpRequest, payload: QualityReviewIn):
    """Inputs one per topic (the internal-audit results required); each decision becomes a follow-up
    item with an owner and a deadline on the clock."""
    cdc = unit_by_code(payload.cdc, field="cdc", kind=UnitKind.CDC)
    users = get_user_model().objects
    decisions = []
    for d in payload.decisions:
        owner = users.filter(username=d.owner).first() if d.owner else None
        if d.owner and owner is None:
            raise ApiError(422, _("用户 %(u)s 不存在") % {"u": d.owner}, field="decisions", rule="unknown_user")
        decisions.append(reviews.Decision(d.title, unit_by_code(d.unit, field="decisions"), owner, d.days))
    topics = [i.topic for i in payload.inputs]
    if len(set(topics)) != len(topics):
        raise ApiError(422, _("每项评审输入只能出现一次"), field="inputs", rule="duplicate")
    review = reviews.hold_review(cdc, code=payload.code, held_on=payload.held_on, chair=payload.chair,
                                 conclusion=payload.conclusion, inputs={i.topic: i.summary for i in payload.inputs},
                                 decisions=decisions, actor=user(request))
    return _review_out(review)
