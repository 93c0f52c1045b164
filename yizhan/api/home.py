"""The landing page at /: the hall's figures for a period, for the whole center, and the ways in."""

from datetime import date, datetime

from django import forms
from django.conf import settings
from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_date, local_tz
from yizhan.hall.models import Case
from yizhan.hall.public_figures import public_figures
from yizhan.hall.stats import FIGURE_LABELS
from yizhan.ops import startup
from yizhan.sharedcache import remember
from yizhan.ui.forms import DateField

# The figures shown, in the order of `yizhan hall stats`, with its labels; rates as percentages.
FIGURES = ("consultations", "accepted", "completed", "on_the_spot", "on_the_spot_rate", "completed_on_time",
           "on_time_rate", "overdue_open", "accountability", "valid_complaints")


class PeriodForm(forms.Form):
    first = DateField(label=_("从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    last = DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            raise forms.ValidationError(_("起始日期不能晚于结束日期"))
        return data


def default_period(today: date) -> tuple[date, date]:
    """The latest year with cases, from its first acceptance to its last (today, once the hall has
    accepted anything today): the demo city opens on its present, a center restored from history on
    its figures. A span rather than the day alone, so that 超期未办结 (open cases past their promised
    limit) and 问责记录 (records of the statutory limits passed) are counted over the same weeks."""
    latest = Case.objects.aggregate(last=Max("accepted_at"))["last"]
    if latest is None:
        return today, today
    last = local_date(latest)
    year_start = datetime(last.year, 1, 1, tzinfo=local_tz())
    first = Case.objects.filter(accepted_at__gte=year_start).aggregate(first=Min("accepted_at"))["first"]
    return local_date(first), last


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous and public: the period and the figures come from the shared cache (public_figures)."""
    today = local_date(timezone.now())
    form = PeriodForm(request.GET or None)
    first, last = remember(f"home:default-period:{today.isoformat()}", settings.YIZHAN_PUBLIC_FIGURES_SECONDS,
                           lambda: default_period(today))
    if form.is_bound and form.is_valid():
        first = form.cleaned_data["first"] or first
        last = form.cleaned_data["last"] or max(first, last)
    figures = public_figures(first, last) if first <= last else None
    rows = []
    for key in FIGURES if figures is not None else ():
        value = figures[key]
        if key.endswith("_rate"):
            value = "—" if value is None else f"{value:.0%}"
        rows.append({"key": key, "label": FIGURE_LABELS[key], "value": value})
    # A demo city still being built beside the server says how far it has got.
    progress = startup.current()
    building = progress if progress is not None and progress.building else None
    return render(
        request, "yizhan/home.html",
        {"today": today, "first": first, "last": last, "figures": rows, "form": form, "building": building},
    )
