"""What the surveillance screens share: whose screen it is (the top unit of the person's scope) and
the period looked at (by default the eight weeks up to the last detection run)."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_date
from yizhan.org.models import OrgUnit, Role
from yizhan.org.scope import units
from yizhan.surveillance.cards import REPORTING_KINDS
from yizhan.surveillance.models import DetectionRun
from yizhan.ui.forms import DateField

EPIDEMIOLOGIST = (Role.EPIDEMIOLOGIST,)
PERIOD_DAYS = 56


def scope_units(user: Any, roles: tuple[str, ...] = EPIDEMIOLOGIST):
    """The network's units (CDC, townships, villages) in `user`'s subtrees, tree order."""
    return units(user, roles).filter(kind__in=REPORTING_KINDS, active=True).order_by("path")


def home_unit(user: Any, wanted: Any = None) -> OrgUnit | None:
    """The unit asked for if in scope, else the highest unit of the person's network."""
    units = scope_units(user)
    if wanted:
        chosen = units.filter(pk=wanted).first() if str(wanted).isdigit() else None
        if chosen is not None:
            return chosen
    return min(units, key=lambda u: (u.path.count("/"), u.path), default=None)


def default_last() -> date:
    """The last day detection ran (the figures stand there), else today."""
    last = DetectionRun.objects.order_by("-day").values_list("day", flat=True).first()
    return last or local_date(timezone.now())


class PeriodForm(forms.Form):
    first = DateField(label=_("从"), required=False)
    last = DateField(label=_("至"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            raise forms.ValidationError(_("开始日期不能晚于结束日期"))
        return data


def period(request: HttpRequest) -> tuple[date, date, PeriodForm]:
    form = PeriodForm(request.GET or None)
    first = last = None
    if form.is_bound and form.is_valid():
        first, last = form.cleaned_data.get("first"), form.cleaned_data.get("last")
    last = last or default_last()
    first = first or last - timedelta(days=PERIOD_DAYS - 1)
    return first, last, form
