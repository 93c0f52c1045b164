"""Screens of the union's welfare officer: the families and the visit register with the form that
records a visit (checked as it is typed, through htmx), and the festival reminder list. Views parse
a form and call the services; the rules live in payments.py and festivals.py."""

from typing import cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_date
from yizhan.errors import InvalidInput
from yizhan.ledger.models import Account, AccountKind
from yizhan.ledger.money import parse_yuan, yuan
from yizhan.org.scope import CHANGE, restrict
from yizhan.ui.access import require_roles
from yizhan.ui.export import export_response
from yizhan.ui.forms import DateField, attempt, day_param
from yizhan.visits import festivals
from yizhan.visits.export import visit_rows
from yizhan.visits.figures import figures
from yizhan.visits.models import VISIT_ROLES, Family, Festival, FestivalReminder, Visit
from yizhan.visits.payments import CONSOLATION, STUDY_AID, check_covered, record_visit


class YuanField(forms.CharField):
    """An amount typed in yuan (200 or 1,200.50), cleaned to fen; empty is zero."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return 0
        try:
            return parse_yuan(value)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None


CHECKED = ("budget", "consolation_fen", "study_aid_fen")



def _budget_label(account: Account) -> str:
    return _("%(name)s（余额 ¥%(b)s）") % {"name": account.name, "b": yuan(account.balance_fen)}

class VisitForm(forms.Form):
    family = forms.ModelChoiceField(label=_("困难家庭"), queryset=Family.objects.none())
    visited_on = DateField(label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    visitors = forms.CharField(label=_("走访人"), max_length=200)
    festival = forms.ModelChoiceField(label=_("节日"), queryset=Festival.objects.filter(active=True), required=False)
    budget = forms.ModelChoiceField(label=_("经费来源"), queryset=Account.objects.none(), required=False)
    consolation_fen = YuanField(label=_("慰问金（元）"), required=False)
    study_aid_fen = YuanField(label=_("助学帮困费（元）"), required=False)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["family"]).queryset = restrict(Family.objects.filter(active=True), user, CHANGE)
        cast(forms.ModelChoiceField, self.fields["budget"]).queryset = restrict(Account.objects.filter(kind=AccountKind.BUDGET, active=True),
                                                  user).order_by("code")
        # Django's way to label a choice is to override label_from_instance: here for this form's field.
        budget = cast(forms.ModelChoiceField, self.fields["budget"])
        budget.label_from_instance = _budget_label  # type: ignore[method-assign, assignment]
        # The amounts and the budget are checked against the balance as soon as they change; only the
        # error slots are swapped in, so what is being typed elsewhere stays as it is.
        slots = ",".join(f"#errors-{name}" for name in CHECKED)
        for name in CHECKED:
            self.fields[name].widget.attrs.update({
                "hx-post": reverse("visits:record"), "hx-trigger": "change", "hx-vals": '{"check": "1"}',
                "hx-swap": "none", "hx-select-oob": slots,
                # A newer check replaces one still under way, so an older answer never lands last.
                "hx-sync": "closest form:replace"})


def _page(request: HttpRequest, form: VisitForm, status: int = 200) -> HttpResponse:
    families = restrict(Family.objects.select_related("unit"), request.user)
    visits = restrict(Visit.objects.select_related("family", "festival", "budget"), request.user)
    year = request.GET.get("year", "")
    if year.isdigit():
        visits = visits.filter(visited_on__year=int(year))
    exported = export_response(request, [visit_rows(visits)])
    if exported is not None:
        return exported
    counts = figures(visits)
    years = [{"year": y, "visits": row["visits"], "consolation": yuan(row[CONSOLATION]),
              "study_aid": yuan(row[STUDY_AID]), "paid": yuan(row["paid_fen"])} for y, row in counts["by_year"].items()]
    return render(request, "visits/register.html", {
        "form": form, "families": families.filter(active=True)[:500], "visits": visits[:200], "year": year,
        "figures": counts, "paid": yuan(counts["paid_fen"]), "years": years,
    }, status=status)


@require_roles(*VISIT_ROLES)
def register(request: HttpRequest) -> HttpResponse:
    return _page(request, VisitForm(request.user, initial={"visited_on": local_date(timezone.now())}))


def _attempt_record(request: HttpRequest, form: VisitForm) -> Visit | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return attempt(form, lambda: record_visit(
        data["family"], visited_on=data["visited_on"], visitors=data["visitors"], festival=data["festival"],
        budget=data["budget"], consolation_fen=data["consolation_fen"], study_aid_fen=data["study_aid_fen"],
        note=data["note"], actor=request.user))


@require_roles(*VISIT_ROLES)
def record(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("visits:register")
    form = VisitForm(request.user, request.POST)
    htmx = bool(request.headers.get("HX-Request"))
    if request.POST.get("check") and htmx:
        # Checked as typed: the fields and the budget's balance, nothing recorded.
        if form.is_valid() and form.cleaned_data["budget"]:
            data = form.cleaned_data
            attempt(form, lambda: check_covered(data["family"], data["budget"], {
                "consolation_fen": data["consolation_fen"], "study_aid_fen": data["study_aid_fen"]}))
        return render(request, "visits/_visit_form.html", {"form": form})
    visit = _attempt_record(request, form)
    if visit is None:
        if htmx:
            return render(request, "visits/_visit_form.html", {"form": form})
        return _page(request, form, status=422)
    # A new query string, so the browser loads the register again (a bare #fragment would not).
    target = reverse("visits:register") + f"?recorded={visit.pk}#visit-{visit.pk}"
    if htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


@require_roles(*VISIT_ROLES)
def reminders(request: HttpRequest) -> HttpResponse:
    """The festivals whose visiting season is on, each with the families not yet visited."""
    day = day_param(request) or local_date(timezone.now())
    families = restrict(Family.objects.select_related("unit"), request.user)
    seasons = [{"occurrence": occ, "families": list(festivals.not_visited(families, occ, until=day)),
                "due": day >= occ.remind_on} for occ in festivals.upcoming(day)]
    sent = restrict(FestivalReminder.objects.select_related("festival", "unit"), request.user)[:50]
    return render(request, "visits/reminders.html", {"day": day, "seasons": seasons, "sent": sent})
