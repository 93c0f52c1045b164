"""Complaint screens: the online form (no sign-in), and for staff the list with the registration of
phone and hotline complaints, the investigation and the conclusion with its reason and reply."""

from typing import cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from yizhan.hall import complaints as service
from yizhan.hall.models import Case, Complaint, ComplaintChannel, ComplaintState, Finding
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import HALL_STAFF, restrict, units
from yizhan.ui.access import require_roles
from yizhan.ui.forms import attempt


class ComplaintForm(forms.Form):
    complainant = forms.CharField(label=_("投诉人"), max_length=100)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    case_no = forms.CharField(label=_("办件编号"), max_length=40, required=False)
    window = forms.ModelChoiceField(label=_("被投诉窗口"), required=False, to_field_name="code",
                                    queryset=OrgUnit.objects.filter(kind=UnitKind.WINDOW, active=True))
    badge_no = forms.CharField(label=_("工号"), max_length=32, required=False)
    content = forms.CharField(label=_("投诉内容"), widget=forms.Textarea(attrs={"rows": 4}))

    def target(self) -> dict:
        data, target = self.cleaned_data, {}
        if data.get("case_no"):
            case = Case.objects.filter(case_no=data["case_no"].strip()).first()
            if case is None:
                self.add_error("case_no", _("办件编号不存在"))
                return {}
            target["case"] = case
        if data.get("window"):
            target["window"] = data["window"]
        return target


class StaffComplaintForm(ComplaintForm):
    channel = forms.ChoiceField(label=_("投诉渠道"), choices=[
        (c.value, c.label) for c in (ComplaintChannel.PHONE, ComplaintChannel.SUPERVISION_HOTLINE,
                                     ComplaintChannel.COUNTER)])


def _file(form: ComplaintForm, **extra) -> Complaint | None:
    target = form.target()
    if form.errors:
        return None
    data = form.cleaned_data
    return attempt(form, lambda: service.file_complaint(
        content=data["content"], complainant=data["complainant"], phone=data["phone"], badge_no=data["badge_no"],
        **target, **extra))


def complaint_new(request: HttpRequest) -> HttpResponse:
    """The online complaint form; the receipt gives the date by which the reply is due."""
    form = ComplaintForm(request.POST or None)
    filed = _file(form, actor_label="online") if request.method == "POST" and form.is_valid() else None
    return render(request, "hall/service/complaint_new.html", {"form": form, "filed": filed})


@require_roles(*HALL_STAFF)
def complaint_list(request: HttpRequest) -> HttpResponse:
    form = StaffComplaintForm(request.POST or None)
    cast(forms.ModelChoiceField, form.fields["window"]).queryset = units(request.user, HALL_STAFF).filter(kind=UnitKind.WINDOW)
    if request.method == "POST" and form.is_valid():
        filed = _file(form, channel=form.cleaned_data["channel"], actor=request.user)
        if filed is not None:
            return redirect("hall:complaint", pk=filed.pk)
    state = request.GET.get("state", "")
    qs = restrict(Complaint.objects.select_related("window", "staff", "case", "timer"), request.user)
    if state in ComplaintState.values:
        qs = qs.filter(state=state)
    return render(request, "hall/service/complaints.html", {
        "form": form, "complaints": qs[:200], "states": ComplaintState.choices, "state": state})


class InvestigateForm(forms.Form):
    investigation = forms.CharField(label=_("调查情况"), widget=forms.Textarea(attrs={"rows": 3}))


class ConcludeForm(forms.Form):
    finding = forms.ChoiceField(label=_("认定"), choices=Finding.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("认定理由"), widget=forms.Textarea(attrs={"rows": 2}))
    reply = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 3}))


@require_roles(*HALL_STAFF)
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_object_or_404(restrict(Complaint.objects.select_related("window", "staff", "case", "timer"),
                                           request.user), pk=pk)
    action = request.POST.get("action")
    investigate = InvestigateForm(request.POST if action == "investigate" else None)
    conclude = ConcludeForm(request.POST if action == "conclude" else None)
    if action == "investigate" and investigate.is_valid():
        if attempt(investigate, lambda: service.investigate_complaint(
                complaint, investigation=investigate.cleaned_data["investigation"], by=request.user)):
            return redirect("hall:complaint", pk=pk)
    if action == "conclude" and conclude.is_valid():
        data = conclude.cleaned_data
        if attempt(conclude, lambda: service.reply_complaint(complaint, finding=data["finding"], reason=data["reason"],
                                                             reply=data["reply"], by=request.user)):
            return redirect("hall:complaint", pk=pk)
    return render(request, "hall/service/complaint.html", {
        "complaint": complaint, "investigate": investigate, "conclude": conclude,
        "may_handle": service.may_handle(request.user, complaint)})
