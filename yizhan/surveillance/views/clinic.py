"""/surveillance/report/: the clinic's screen — report a case on the national card in under a minute.
Each field is checked as one types (htmx posts the form to /surveillance/report/check/ with the
field; the answer is the same service rules as saving, `duplicates.check_report`), and the probable
duplicate is shown before saving; saving one anyway needs a second, deliberate click. A township
health center enters cards on its clinics' behalf (代报) by choosing the clinic."""

import json
from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yizhan.divisions.models import Division, Level
from yizhan.errors import InvalidInput, RuleError
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind
from yizhan.surveillance.cards import CARD_FIELDS, card_data, check_units, report_card
from yizhan.surveillance.duplicates import check_report
from yizhan.surveillance.models import (
    AgeUnit,
    CardState,
    CaseCard,
    Classification,
    Disease,
    Occupation,
    Sex,
)
from yizhan.surveillance.returns import resubmit_card
from yizhan.surveillance.views.common import scope_units
from yizhan.ui.access import require_roles
from yizhan.ui.forms import DateField

REPORTERS = (Role.REPORTER,)
FORM_FIELDS = ("reporting_unit", *CARD_FIELDS)
# Fields whose check waits for a pause in typing; the others are checked when they change.
TYPED = ("name", "guardian", "id_number", "age", "work_unit", "phone", "house_number", "doctor", "doctor_phone",
         "remarks")
RECENT = 10


def _label(name: str) -> str:
    return str(cast(models.Field, CaseCard._meta.get_field(name)).verbose_name)


def _choices(choices: Any, blank: bool = True) -> list[tuple[str, Any]]:
    return ([("", "—")] if blank else []) + list(choices)


class CardForm(forms.Form):
    """Draws the card; the rules are the service's (every field optional here, checked there)."""

    reporting_unit = forms.ChoiceField(label=_("报告单位"), required=False)
    name = forms.CharField(required=False)
    guardian = forms.CharField(required=False)
    id_number = forms.CharField(required=False, max_length=18)
    sex = forms.ChoiceField(required=False, choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    age = forms.CharField(required=False, widget=forms.NumberInput(attrs={"min": 0, "max": 150}))
    age_unit = forms.ChoiceField(required=False, choices=_choices(AgeUnit.choices))
    work_unit = forms.CharField(required=False)
    phone = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    no_id_number = forms.BooleanField(required=False)
    foreign = forms.BooleanField(required=False)
    address_division = forms.ChoiceField(required=False)
    house_number = forms.CharField(required=False)
    occupation = forms.ChoiceField(required=False, choices=_choices(Occupation.choices))
    classification = forms.ChoiceField(required=False, choices=_choices(Classification.choices))
    disease = forms.ChoiceField(required=False)
    onset_date = forms.CharField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    diagnosed_at = forms.CharField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    death_date = forms.CharField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    treated_here = forms.BooleanField(required=False, initial=True)
    doctor = forms.CharField(required=False)
    doctor_phone = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    filled_on = forms.CharField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    remarks = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reporting_unit"]).choices = [(u.pk, u.name) for u in units]
        # The local townships and villages first, then every county of GB/T 2260 (a patient from elsewhere).
        local = Division.objects.filter(level__in=(Level.TOWNSHIP, Level.VILLAGE), active=True).select_related(
            "parent").order_by("code")
        counties = Division.objects.filter(level=Level.COUNTY, active=True).select_related("parent__parent")
        cast(forms.ChoiceField, self.fields["address_division"]).choices = _choices(
            [(d.code, d.full_name) for d in local] + [(d.code, d.full_name) for d in counties.order_by("code")])
        cast(forms.ChoiceField, self.fields["disease"]).choices = _choices(
            (d.code, f"{d.code} {d.name}") for d in Disease.objects.filter(active=True).order_by("code"))
        check_url = reverse("surveillance:report-check")
        for name, field in self.fields.items():
            if name != "reporting_unit":
                field.label = _label(name)
            field.widget.attrs.update({
                "hx-post": check_url, "hx-target": "#card-check", "hx-sync": "closest form:replace",
                "hx-trigger": "input changed delay:400ms, change" if name in TYPED else "change",
                "hx-vals": json.dumps({"field": name}), "aria-describedby": f"err-{name}"})
        self.fields["name"].widget.attrs["autofocus"] = True


def reporting_units(user: Any) -> list[OrgUnit]:
    return list(scope_units(user, REPORTERS))


def entered_by_for(user: Any, unit: OrgUnit) -> OrgUnit | None:
    """The township entering the card when the person reports for a clinic below their own unit (代报)."""
    held = list(StaffRole.objects.filter(user=user, role=Role.REPORTER).select_related("unit"))
    if any(r.unit_id == unit.pk for r in held):
        return None
    return next((r.unit for r in held if r.unit.kind == UnitKind.TOWNSHIP and r.unit.contains(unit)), None)


def _data(post: Any) -> dict[str, Any]:
    return {name: post.get(name, "").strip() for name in CARD_FIELDS}


def _unit_of(post: Any, units: list[OrgUnit]) -> OrgUnit | None:
    wanted = post.get("reporting_unit", "")
    return next((u for u in units if str(u.pk) == wanted), None)


def examine(request: HttpRequest, units: list[OrgUnit]) -> tuple[dict[str, Any], list[InvalidInput], CaseCard | None,
                                                                 OrgUnit | None, OrgUnit | None]:
    """The card posted, its broken fields (card rules and who reports it) and its probable duplicate."""
    data = _data(request.POST)
    unit = _unit_of(request.POST, units)
    errors, duplicate = check_report(data, unit)
    entered_by = None
    if unit is None:
        errors.insert(0, InvalidInput(_("请选择报告单位"), field="reporting_unit", rule="required"))
    else:
        entered_by = entered_by_for(request.user, unit)
        try:
            check_units(unit, entered_by)
        except InvalidInput as exc:
            errors.insert(0, InvalidInput(exc.message, field="reporting_unit", rule=exc.rule))
    return data, errors, duplicate, unit, entered_by


def _disease_extra(code: str, data: dict[str, Any]) -> dict[str, Any]:
    """The subtype and acute/chronic controls the chosen disease needs (others have none)."""
    # (a code holding a NUL is named by the card's checks; PostgreSQL refuses it even to look it up)
    disease = Disease.objects.filter(code=code, active=True).first() if code.isprintable() else None
    return {"subtypes": disease.subtypes if disease else [], "chronic": bool(disease and disease.acute_chronic),
            "subtype": data.get("subtype", ""), "acute_chronic": data.get("acute_chronic", ""),
            "subtype_label": _label("subtype"), "chronic_label": _label("acute_chronic"),
            "check_url": reverse("surveillance:report-check")}


def as_typed(data: dict[str, Any]) -> dict[str, Any]:
    """A card's values as the form's inputs take them (dates ISO, times local to the minute)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, datetime):
            out[key] = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, date):
            out[key] = value.isoformat()
        elif value is None:
            out[key] = ""
        else:
            out[key] = value
    return out


def returned_card(request: HttpRequest) -> CaseCard | None:
    """The returned card being corrected (`?resubmit=<id>`, kept in the form), if the person may see it."""
    wanted = request.POST.get("resubmit") or request.GET.get("resubmit") or ""
    if not wanted.isdigit():
        return None
    return (CaseCard.objects.restrict(request.user).filter(pk=wanted, state=CardState.RETURNED)
            .select_related("disease", "address_division", "reporting_unit").first())


def _page(request: HttpRequest, units: list[OrgUnit], *, form: CardForm | None = None, errors=None,
          duplicate: CaseCard | None = None, status: int = 200) -> HttpResponse:
    data = _data(request.POST) if request.method == "POST" else {}
    returned = returned_card(request)
    initial: dict[str, Any] = {"doctor": request.user.get_full_name() if request.user.is_authenticated else "",
                               "treated_here": True, "filled_on": timezone.localdate().isoformat()}
    if units:
        wanted = request.GET.get("unit", "")
        initial["reporting_unit"] = next((u.pk for u in units if str(u.pk) == wanted), units[0].pk)
    if returned is not None:
        shown = as_typed(card_data(returned))
        initial.update({k: v for k, v in shown.items() if v != ""}, reporting_unit=returned.reporting_unit_id)
        data = data or shown
    form = form or CardForm(initial=initial, units=units)
    by_field: dict[str, str] = {}
    for e in errors or ():
        by_field.setdefault(e.field if e.field in FORM_FIELDS else "", e.message)
    general = by_field.pop("", "")
    return render(request, "surveillance/report.html", {
        "form": form, "errors": by_field, "general": general, "error_count": len(errors or ()), "duplicate": duplicate,
        "returned": returned,
        "extra": _disease_extra(data.get("disease", ""), data),
        "recent": CaseCard.objects.restrict(request.user).select_related("disease", "reporting_unit")
        .order_by("-reported_at", "-pk")[:RECENT],
    }, status=status)


@require_roles(*REPORTERS)
def report(request: HttpRequest) -> HttpResponse:
    units = reporting_units(request.user)
    if request.method != "POST":
        return _page(request, units)
    form = CardForm(request.POST, units=units)
    data, errors, duplicate, unit, entered_by = examine(request, units)
    if errors:
        return _page(request, units, form=form, errors=errors, status=422)
    returned = returned_card(request)
    if returned is not None:  # a returned card corrected: the same card, back to review
        try:
            card = resubmit_card(returned, data, actor=request.user)
        except RuleError as exc:
            return _page(request, units, form=form, errors=[exc], status=422)
        messages.success(request, gettext("已重新提交：卡片 %(n)s，等待疾控审核") % {"n": card.card_no})
        return redirect("surveillance:card", pk=card.pk)
    if duplicate is not None and not request.POST.get("confirm_duplicate"):
        return _page(request, units, form=form, duplicate=duplicate, status=409)
    try:
        card = report_card(data, unit=unit, entered_by=entered_by, actor=request.user)
    except RuleError as exc:
        return _page(request, units, form=form, errors=[exc], status=422)
    text = gettext("已报告：卡片 %(n)s（%(d)s）") % {"n": card.card_no, "d": card.disease.name}
    if card.proxy:
        text += gettext("，由%(u)s代报") % {"u": card.entered_by_unit.name}
    if card.duplicate_of_id:
        text += gettext("；疑似重复，待疾控审核")
    if card.late:
        text += gettext("；已超过报告时限，记为迟报")
    messages.success(request, text)
    return redirect(f"{reverse('surveillance:report')}?unit={unit.pk}")


@require_roles(*REPORTERS)
def check(request: HttpRequest) -> HttpResponse:
    """Check as one types: with `field`, the errors of that field and of those already filled in;
    without it, of the whole card. The duplicate check shows once the card is complete."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    units = reporting_units(request.user)
    data, errors, duplicate, _unit, _entered_by = examine(request, units)
    field = request.POST.get("field", "")
    if field and field not in FORM_FIELDS:
        field = ""
    by_field: dict[str, str] = {}
    for e in errors:
        by_field.setdefault(e.field, e.message)
    shown = [n for n in FORM_FIELDS if not field or n == field or request.POST.get(n, "").strip()]
    return render(request, "surveillance/_check.html", {
        "fields": [(n, by_field.get(n, "")) for n in shown], "error_count": len(errors), "duplicate": duplicate,
        "whole": not field, "extra": _disease_extra(data["disease"], data) if field in ("", "disease") else None,
    })
