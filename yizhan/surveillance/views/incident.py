"""/surveillance/incidents/<id>/: one public-health emergency — its grade with the plan's suggestion
and every change with its reason, the 2-hour report clock from discovery, the initial, progress and
closing reports (each printable: /reports/<id>/), the linked cases, the 7-1-7 intervals, the log and
samples. Reached from the signal that opened it and from the dashboard. Every change is the service's."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yizhan.clock.warnings import Level
from yizhan.surveillance.grading import suggest
from yizhan.surveillance.incidents import close_incident, file_report, set_grade, seven_one_seven
from yizhan.surveillance.models import Grade, Incident, IncidentReport, IncidentState, ReportKind
from yizhan.surveillance.views.common import EPIDEMIOLOGIST
from yizhan.ui.access import require_roles
from yizhan.ui.forms import IntegerField, attempt


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("事件分级"), choices=Grade.choices)
    reason = forms.CharField(label=_("定级理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    criterion = forms.CharField(label=_("分级标准"), max_length=300, required=False)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("报告类别"), choices=ReportKind.choices)
    text = forms.CharField(label=_("报告内容"), widget=forms.Textarea(attrs={"rows": 4}))
    cases = IntegerField(label=_("病例数"), min_value=0, required=False)
    deaths = IntegerField(label=_("死亡数"), min_value=0, required=False)


def _post(request: HttpRequest, incident: Incident) -> tuple[forms.Form, forms.Form, bool]:
    """Run the posted action; (grade form, report form, done)."""
    grade_form = GradeForm(request.POST if request.POST.get("action") == "grade" else None, prefix="grade")
    report_form = ReportForm(request.POST if request.POST.get("action") == "report" else None, prefix="report")
    actor = request.user
    if grade_form.is_bound and grade_form.is_valid():
        d = grade_form.cleaned_data
        if attempt(grade_form, lambda: set_grade(incident, d["grade"], reason=d["reason"], criterion=d["criterion"],
                                                 actor=actor)) is not None:
            messages.success(request, gettext("已定为%(g)s") % {"g": Grade(d["grade"]).label})
            return grade_form, report_form, True
    if report_form.is_bound and report_form.is_valid():
        d = report_form.cleaned_data

        def act():
            if d["kind"] == ReportKind.CLOSING:
                return close_incident(incident, report=d["text"], at=timezone.now(), actor=actor)
            return file_report(incident, d["kind"], text=d["text"], cases=d["cases"], deaths=d["deaths"], actor=actor)

        if attempt(report_form, act) is not None:
            messages.success(request, gettext("已提交%(k)s") % {"k": ReportKind(d["kind"]).label})
            return grade_form, report_form, True
    return grade_form, report_form, False


@require_roles(*EPIDEMIOLOGIST)
def incident_page(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident.objects.restrict(request.user).select_related(
        "unit", "signal__disease", "notify_timer", "response_timer"), pk=pk)
    status = 200
    if request.method == "POST":
        grade_form, report_form, done = _post(request, incident)
        if done:
            return redirect("surveillance:incident", pk=incident.pk)
        status = 422
    else:
        grade_form, report_form = GradeForm(prefix="grade"), ReportForm(prefix="report")
    suggested = suggest(incident.kind, cases=incident.cases_count, deaths=incident.deaths)
    timer = incident.notify_timer
    return render(request, "surveillance/incident.html", {
        "incident": incident, "grade_form": grade_form, "report_form": report_form, "suggested": suggested,
        "open": incident.state in (IncidentState.SIGNAL, IncidentState.EVENT),
        "notify_level": Level(timer.level(timezone.now())).label if timer and not timer.stopped_at else "",
        "reports": incident.reports.all(), "grades": incident.grade_changes.all(),
        "cases": incident.cases.select_related("disease", "residence_unit").order_by("onset_date"),
        "times": seven_one_seven(incident), "log": incident.log.all(), "samples": incident.samples.all(),
    }, status=status)


@require_roles(*EPIDEMIOLOGIST)
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One report as printed for the health authority."""
    report = get_object_or_404(IncidentReport.objects.restrict(request.user).select_related("incident__unit"), pk=pk)
    return render(request, "surveillance/incident_report.html", {"report": report, "incident": report.incident})
