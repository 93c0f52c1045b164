"""/followups/: the follow-up items of the person's scope, soonest deadline first, with their own
items marked; complete an open one, verify a done one (a second person), as the API does."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from yizhan.clock.limits import Limit
from yizhan.followups import service
from yizhan.followups.models import FOLLOW_UP_ROLES, FollowUp, FollowUpState
from yizhan.org.scope import restrict
from yizhan.ui.access import require_roles
from yizhan.ui.forms import IntegerField, attempt


class CompleteForm(forms.Form):
    note = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    effective = forms.TypedChoiceField(label=_("效果"), coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                       choices=[("1", _("有效，验证通过")), ("0", _("未见成效，退回"))])
    note = forms.CharField(label=_("验证意见"), widget=forms.Textarea(attrs={"rows": 2}))
    reopen_days = IntegerField(label=_("退回后办理时限（工作日）"), min_value=1, max_value=365, required=False)


def _items(user):
    return restrict(FollowUp.objects.select_related("unit", "owner", "timer"), user)


def _page(request: HttpRequest, *, failed: int | None = None, complete=None, verify=None, status: int = 200):
    items = _items(request.user)
    kind = request.GET.get("kind", "")
    if kind:
        items = items.filter(kind=kind)
    live = items.filter(state__in=(FollowUpState.OPEN, FollowUpState.DONE)).order_by("state", "timer__deadline")
    return render(request, "followups/list.html", {
        "items": live[:300], "kind": kind, "figures": service.figures(items),
        "kinds": _items(request.user).values_list("kind", flat=True).distinct().order_by("kind"),
        "complete": complete or CompleteForm(), "verify": verify or VerifyForm(), "failed": failed,
    }, status=status)


@require_roles(*FOLLOW_UP_ROLES)
def follow_up_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_roles(*FOLLOW_UP_ROLES)
def follow_up_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("followups:list")
    item = get_object_or_404(_items(request.user), pk=pk)
    if action == "complete":
        form: forms.Form = CompleteForm(request.POST)
        if form.is_valid() and attempt(form, lambda: service.complete(item, note=form.cleaned_data["note"],
                                                                      actor=request.user)):
            return redirect("followups:list")
        return _page(request, failed=item.pk, complete=form, status=422)
    form = VerifyForm(request.POST)
    if form.is_valid():
        days = form.cleaned_data["reopen_days"]
        if attempt(form, lambda: service.verify(
                item, effective=form.cleaned_data["effective"], note=form.cleaned_data["note"],
                reopen_limit=Limit.days(days) if days else None, actor=request.user)):
            return redirect("followups:list")
    return _page(request, failed=item.pk, verify=form, status=422)
