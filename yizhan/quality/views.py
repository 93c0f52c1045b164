"""/quality/: the quality manager's screens — the year's audit plan with its audits per department,
the figures (findings by clause and department, corrective actions closed on time), the findings
with their corrective actions' status (CSV/XLSX export, CSV import of findings); one audit: conduct
it, record findings, give each nonconformity its corrective action."""

from typing import IO, cast

from django import forms
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from yizhan.errors import ImportFailed
from yizhan.followups.models import FollowUp
from yizhan.org.models import StaffRole
from yizhan.org.scope import CHANGE, permits, restrict
from yizhan.quality import audits, findings_csv
from yizhan.quality.clauses import CLAUSES
from yizhan.quality.figures import plan_figures
from yizhan.quality.models import (
    QUALITY_MANAGERS,
    QUALITY_VIEWERS,
    Audit,
    AuditPlan,
    Finding,
    FindingKind,
    ManagementReview,
)
from yizhan.ui.access import require_roles
from yizhan.ui.export import Table, export_response
from yizhan.ui.forms import DateField, IntegerField, attempt


class ConductForm(forms.Form):
    conducted_on = DateField(label=_l("实施日期"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label=_l("审核结论"), widget=forms.Textarea(attrs={"rows": 2}))


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_l("类型"), choices=FindingKind.choices)
    clause = forms.CharField(label=_l("标准条款"), max_length=16, widget=forms.TextInput(attrs={
        "list": "clauses", "size": 8, "placeholder": "4.13.2"}))
    description = forms.CharField(label=_l("事实描述"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(forms.Form):
    title = forms.CharField(label=_l("纠正措施"), max_length=300)
    owner: forms.ModelChoiceField = forms.ModelChoiceField(label=_l("责任人"), queryset=None)
    days = IntegerField(label=_l("整改时限（工作日）"), min_value=1, max_value=365, initial=20)

    def __init__(self, *args, department=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = StaffRole.objects.filter(unit__path__startswith=department.path).values("user")
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = get_user_model().objects.filter(pk__in=people).order_by("username")


def _plans(user):
    return restrict(AuditPlan.objects.select_related("cdc"), user)


def _actions_by_finding(findings) -> dict[int, FollowUp]:
    return {int(a.subject_id): a for a in audits.corrective_actions(findings).select_related("owner", "timer")}


@require_roles(*QUALITY_VIEWERS)
def overview(request: HttpRequest) -> HttpResponse:
    plans = _plans(request.user)
    plan = plans.filter(code=request.GET.get("plan", "")).first() or plans.first()
    context = {"plans": plans, "plan": plan, "reviews": restrict(ManagementReview.objects.all(), request.user)[:10]}
    if plan is not None:
        findings = restrict(Finding.objects.filter(audit__plan=plan), request.user)
        figures = plan_figures(plan, findings)
        tables = [Table("findings", _("审核发现与纠正措施"), findings_csv.EXPORT, findings_csv.export_rows(findings))]
        exported = export_response(request, tables)
        if exported is not None:
            return exported
        audit_rows = restrict(plan.audits.select_related("department", "lead_auditor"), request.user)
        counts: dict[int, list[int]] = {}
        for f in findings:
            counts.setdefault(f.audit_id, [0, 0])[f.kind != FindingKind.NONCONFORMITY] += 1
        actions = _actions_by_finding(findings)
        context.update({
            "figures": figures, "audits": [(a, counts.get(a.pk, [0, 0])) for a in audit_rows],
            "findings": [(f, actions.get(f.pk)) for f in findings.select_related("audit__department")],
            "may_change": permits(request.user, plan, CHANGE),
        })
    return render(request, "quality/overview.html", context)


@require_roles(*QUALITY_MANAGERS)
def import_findings(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request.user), pk=pk)
    if request.method != "POST" or "file" not in request.FILES:
        return redirect(f"{_overview_url()}?plan={plan.code}")
    try:
        result = findings_csv.import_findings(plan, cast(IO[bytes], request.FILES["file"]), actor=request.user)
    except ImportFailed as exc:
        return render(request, "quality/import_failed.html", {"plan": plan, "errors": exc.errors}, status=422)
    return render(request, "quality/import_failed.html", {"plan": plan, "result": result})


def _overview_url() -> str:
    return reverse("quality:overview")


def _audit_page(request: HttpRequest, audit: Audit, *, conduct=None, finding=None, action=None, failed=None,
                status: int = 200) -> HttpResponse:
    findings = audit.findings.all()
    actions = _actions_by_finding(findings)
    return render(request, "quality/audit.html", {
        "audit": audit, "findings": [(f, actions.get(f.pk)) for f in findings],
        "may_change": permits(request.user, audit, CHANGE),
        "conduct": conduct or ConductForm(), "finding_form": finding or FindingForm(),
        "action_form": action or ActionForm(department=audit.department), "failed": failed,
        "clauses": CLAUSES.items(),
    }, status=status)


def _audit(request: HttpRequest, pk: int) -> Audit:
    return get_object_or_404(restrict(Audit.objects.select_related("plan__cdc", "department", "lead_auditor"),
                                      request.user), pk=pk)


@require_roles(*QUALITY_VIEWERS)
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _audit_page(request, _audit(request, pk))


@require_roles(*QUALITY_MANAGERS)
def audit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    audit = _audit(request, pk)
    if request.method != "POST":
        return redirect("quality:audit", pk=pk)
    if action == "conduct":
        form: forms.Form = ConductForm(request.POST)
        if form.is_valid() and attempt(form, lambda: audits.conduct(audit, actor=request.user, **form.cleaned_data)):
            return redirect("quality:audit", pk=pk)
        return _audit_page(request, audit, conduct=form, status=422)
    if action == "finding":
        form = FindingForm(request.POST)
        if form.is_valid() and attempt(form, lambda: audits.add_finding(audit, actor=request.user, **form.cleaned_data)):
            return redirect("quality:audit", pk=pk)
        return _audit_page(request, audit, finding=form, status=422)
    finding = get_object_or_404(audit.findings.all(), pk=request.POST.get("finding") or 0)
    form = ActionForm(request.POST, department=audit.department)
    if form.is_valid() and attempt(form, lambda: audits.raise_corrective_action(
            finding, actor=request.user, **form.cleaned_data)):
        return redirect("quality:audit", pk=pk)
    return _audit_page(request, audit, action=form, failed=finding.pk, status=422)
