"""/surveillance/signals/<id>/: one signal — its alarms, its curve, its verification clock — and the
response (核实结论): excluded with a reason, a suspected event, or a confirmed outbreak, which opens
an incident. The outcome is recorded by `signals.respond`, with the person as actor."""

from collections import Counter
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yizhan.clock.warnings import Level
from yizhan.divisions.models import Level as DivisionLevel
from yizhan.surveillance.models import CaseCard, Signal, SignalState
from yizhan.surveillance.signals import cards_behind, respond
from yizhan.surveillance.views.common import EPIDEMIOLOGIST
from yizhan.surveillance.views.dashboard import curve_data
from yizhan.ui.access import require_roles
from yizhan.ui.forms import attempt

CURVE_AFTER = timedelta(days=14)


class RespondForm(forms.Form):
    outcome = forms.ChoiceField(label=_("核实结论"), widget=forms.RadioSelect, choices=[
        (SignalState.EXCLUDED, _("排除（须说明理由）")), (SignalState.SUSPECTED, _("疑似事件，继续调查")),
        (SignalState.CONFIRMED, _("确认暴发，建立突发事件"))])
    reason = forms.CharField(label=_("核实情况说明"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))
    title = forms.CharField(label=_("事件名称（确认暴发时，可留空）"), required=False, max_length=200)
    place = forms.CharField(label=_("地点（确认暴发时，可留空）"), required=False, max_length=200)


@require_roles(*EPIDEMIOLOGIST)
def signal_page(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(Signal.objects.restrict(request.user).select_related(
        "disease", "unit", "timer", "responded_by"), pk=pk)
    form = RespondForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            details = {k: form.cleaned_data[k] for k in ("title", "place") if form.cleaned_data[k].strip()}
            done = attempt(form, lambda: respond(signal, form.cleaned_data["outcome"], actor=request.user,
                                                 reason=form.cleaned_data["reason"], incident=details or None))
            if done is not None:
                _signal, incident = done
                text = gettext("已记录核实结论：%(s)s") % {"s": SignalState(_signal.state).label}
                if incident is not None:
                    text += gettext("；已建立突发事件“%(t)s”") % {"t": incident.title}
                messages.success(request, text)
                return redirect("surveillance:signal", pk=signal.pk)
        status = 422
    cards, first, last = signal_cards(request.user, signal)
    level = signal.timer.level(timezone.now()) if signal.timer else Level.NORMAL
    last = min(signal.opened_on + CURVE_AFTER, max(signal.opened_on, timezone.localdate()))
    return render(request, "surveillance/signal.html", {
        "signal": signal, "form": form, "level": level, "level_label": Level(level).label,
        "alarms": signal.alarms.all(), "incidents": signal.incidents.all(),
        "open": signal.state in (SignalState.OPEN, SignalState.SUSPECTED),
        "curve": curve_data(request.user, signal.disease, signal.unit, last),
        "cards": cards, "window_first": first, "window_last": last, "breakdown": breakdown(cards),
    }, status=status)


def signal_cards(user, signal: Signal) -> tuple[list[CaseCard], date, date]:
    qs, first, last = cards_behind(signal, CaseCard.objects.restrict(user))
    return list(qs.select_related("reporting_unit", "residence_unit", "address_division__parent").order_by(
        "onset_date", "pk")), first, last


def breakdown(cards: list[CaseCard]) -> list[tuple[str, str, int]]:
    """Cases by township and village of the address (the division, else the residence unit)."""
    counts: Counter = Counter()
    for c in cards:
        division = c.address_division
        town = division.at_level(DivisionLevel.TOWNSHIP) if division else None
        village = division.at_level(DivisionLevel.VILLAGE) if division else None
        counts[(town.name if town else c.residence_unit.name, village.name if village else "—")] += 1
    return [(town, village, n) for (town, village), n in sorted(counts.items())]
