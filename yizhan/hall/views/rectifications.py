"""The department head's rectification items (差评整改): verify the bad rating, then rectify or explain
and reply to the applicant, before the deadline on the clock."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from yizhan.hall import rectification as service
from yizhan.hall.models import Rectification, RectificationState
from yizhan.org.scope import HALL_SUPERVISION, restrict
from yizhan.ui.access import require_roles
from yizhan.ui.forms import attempt


class VerifyForm(forms.Form):
    substantiated = forms.TypedChoiceField(label=_("情况属实"), coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                           choices=[("1", _("属实")), ("0", _("不属实"))])
    verification = forms.CharField(label=_("核实情况"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    measures = forms.CharField(label=_("整改措施或情况说明"), widget=forms.Textarea(attrs={"rows": 2}))
    reply = forms.CharField(label=_("回复申请人"), widget=forms.Textarea(attrs={"rows": 2}))


def _items(user):
    return restrict(Rectification.objects.select_related("rating", "rating__case", "window", "department", "timer"),
                    user)


@require_roles(*HALL_SUPERVISION)
def rectification_list(request: HttpRequest) -> HttpResponse:
    items = _items(request.user)
    return render(request, "hall/service/rectifications.html", {
        "open": items.exclude(state=RectificationState.CLOSED),
        "closed": items.filter(state=RectificationState.CLOSED).order_by("-closed_at")[:50],
        "verify": VerifyForm(), "close": CloseForm(),
    })


@require_roles(*HALL_SUPERVISION)
def rectification_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = get_object_or_404(_items(request.user), pk=pk)
    if action == "verify":
        form: forms.Form = VerifyForm(request.POST)
        if form.is_valid() and attempt(form, lambda: service.verify_rectification(
                item, substantiated=form.cleaned_data["substantiated"],
                verification=form.cleaned_data["verification"], by=request.user)):
            return redirect("hall:rectifications")
    else:
        form = CloseForm(request.POST)
        if form.is_valid() and attempt(form, lambda: service.close_rectification(
                item, measures=form.cleaned_data["measures"], reply=form.cleaned_data["reply"], by=request.user)):
            return redirect("hall:rectifications")
    return render(request, "hall/service/rectifications.html", {
        "open": _items(request.user).exclude(state=RectificationState.CLOSED), "closed": [],
        "verify": form if action == "verify" else VerifyForm(), "close": form if action != "verify" else CloseForm(),
        "failed": item.pk,
    }, status=422)
