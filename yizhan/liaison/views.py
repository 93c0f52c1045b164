"""The liaison leader's screens: my school (the point I follow now, its visits and problems), record
a visit; the bureau's brief issues, compiled and printed."""

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_date
from yizhan.liaison import briefs, points, visits
from yizhan.liaison.models import LIAISON_ROLES, BriefIssue, LiaisonPoint
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import restrict, units
from yizhan.ui.access import require_roles
from yizhan.ui.forms import DateField, IntegerField, attempt


class VisitForm(forms.Form):
    visited_on = DateField(label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(label=_("走访情况"), widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label=_("反映问题（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    days = IntegerField(label=_("办理时限（工作日）"), min_value=1, max_value=365, initial=visits.DEFAULT_DAYS)


class AssignForm(forms.Form):
    school = forms.ModelChoiceField(label=_("学校"), queryset=OrgUnit.objects.none())
    leader = forms.ModelChoiceField(label=_("联系领导"), queryset=get_user_model().objects.none())
    started_on = DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))


def _assign_form(user, data=None) -> AssignForm:
    """Schools of the bureaus where `user` is a leader, and the leaders of those bureaus."""
    form = AssignForm(data)
    bureaus = units(user, LIAISON_ROLES).filter(kind=UnitKind.BUREAU)
    cast(forms.ModelChoiceField, form.fields["school"]).queryset = OrgUnit.objects.filter(kind=UnitKind.SCHOOL, parent__in=bureaus)
    cast(forms.ModelChoiceField, form.fields["leader"]).queryset = get_user_model().objects.filter(
        staff_roles__role__in=LIAISON_ROLES, staff_roles__unit__in=bureaus).distinct().order_by("username")
    return form


class BriefForm(forms.Form):
    bureau: forms.ModelChoiceField = forms.ModelChoiceField(label=_("主管局"), queryset=None)
    first_day = DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("标题"), required=False, max_length=200)


def _page(request: HttpRequest, *, form: VisitForm | None = None, failed: int | None = None,
          assign: AssignForm | None = None, status: int = 200):
    today = local_date(timezone.now())
    mine = points.current_points(request.user, today) or list(
        LiaisonPoint.objects.filter(leader_id=request.user.pk).select_related("school").order_by("-started_on")[:1])
    return render(request, "liaison/index.html", {
        "mine": [(p, p.visits.prefetch_related("problems__follow_up__timer")[:20]) for p in mine],
        "form": form or VisitForm(initial={"visited_on": today}), "failed": failed,
        "points": restrict(LiaisonPoint.objects.select_related("school", "leader"), request.user)[:100],
        "assign": assign or _assign_form(request.user),
    }, status=status)


@require_roles(*LIAISON_ROLES)
def assign(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("liaison:index")
    form = _assign_form(request.user, request.POST)
    if form.is_valid() and attempt(form, lambda: points.assign(actor=request.user, **form.cleaned_data)):
        return redirect("liaison:index")
    return _page(request, assign=form, status=422)


@require_roles(*LIAISON_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_roles(*LIAISON_ROLES)
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_object_or_404(restrict(LiaisonPoint.objects.select_related("school"), request.user), pk=pk)
    if request.method != "POST":
        return redirect("liaison:index")
    form = VisitForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if attempt(form, lambda: visits.record_visit(
                point, visited_on=data["visited_on"], findings=data["findings"],
                problems=data["problems"].splitlines(), days=data["days"], actor=request.user)):
            return redirect("liaison:index")
    return _page(request, form=form, failed=point.pk, status=422)


@require_roles(*LIAISON_ROLES)
def brief_list(request: HttpRequest) -> HttpResponse:
    form = BriefForm(request.POST or None)
    cast(forms.ModelChoiceField, form.fields["bureau"]).queryset = units(request.user, LIAISON_ROLES).filter(kind=UnitKind.BUREAU)
    if request.method == "POST" and form.is_valid():
        made = attempt(form, lambda: briefs.issue(actor=request.user, **form.cleaned_data))
        if made:
            return redirect("liaison:brief", made.pk)
    return render(request, "liaison/briefs.html", {
        "form": form, "issues": restrict(BriefIssue.objects.select_related("bureau"), request.user),
    }, status=422 if form.errors else 200)


@require_roles(*LIAISON_ROLES)
def brief(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(restrict(BriefIssue.objects.select_related("bureau"), request.user), pk=pk)
    return render(request, "liaison/brief.html", {"issue": issue, **briefs.entries(issue)})
