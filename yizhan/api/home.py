"""The landing page at /: today's figures for the whole center and the ways in."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_date
from yizhan.hall.stats import hall_figures

# The figures shown, in the order of `yizhan hall stats`; rates are shown as percentages.
FIGURES = (
    ("consultations", _("咨询")),
    ("accepted", _("受理")),
    ("completed", _("办结")),
    ("on_the_spot", _("即办件")),
    ("on_the_spot_rate", _("即办率")),
    ("completed_on_time", _("按时办结")),
    ("on_time_rate", _("按时办结率")),
    ("overdue_open", _("超时未办结")),
    ("accountability", _("问责")),
    ("valid_complaints", _("有效投诉")),
)


def home(request: HttpRequest) -> HttpResponse:
    today = local_date(timezone.now())
    figures = hall_figures(today, today).as_dict()
    rows = []
    for key, label in FIGURES:
        value = figures[key]
        if key.endswith("_rate"):
            value = "—" if value is None else f"{value:.0%}"
        rows.append({"key": key, "label": label, "value": value})
    return render(request, "yizhan/home.html", {"today": today, "figures": rows})
