"""/surveillance/township/: a township health center's screen for its clinics' cards — how many of each
clinic's cards wait for review, were returned, reviewed, excluded or deleted; the returned cards to act
on first (with the reason and the time left to resubmit); and the cards it entered on paper's behalf
(代报) with the paper's 填卡日期, when it reached Yizhan and whether the clinic reported in time."""

from collections import Counter

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yizhan.org.models import Role, UnitKind
from yizhan.surveillance.models import CardState, CaseCard
from yizhan.surveillance.views.common import scope_units
from yizhan.ui.access import require_roles

RECENT = 100


@require_roles(Role.REPORTER, Role.EPIDEMIOLOGIST)
def township_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    townships = [u for u in scope_units(user, (Role.REPORTER, Role.EPIDEMIOLOGIST)) if u.kind == UnitKind.TOWNSHIP]
    wanted = request.GET.get("unit", "")
    township = next((u for u in townships if str(u.pk) == wanted), townships[0] if townships else None)
    if township is None:
        return render(request, "surveillance/township.html", {"township": None})
    cards = CaseCard.objects.restrict(user).filter(reporting_unit__path__startswith=township.path).select_related(
        "disease", "reporting_unit", "entered_by_unit", "resubmit_timer")
    counts = Counter(cards.values_list("reporting_unit__name", "state"))
    clinics = sorted({name for name, _state in counts})
    states = [CardState.PENDING, CardState.RETURNED, CardState.REVIEWED, CardState.EXCLUDED, CardState.DELETED]
    return render(request, "surveillance/township.html", {
        "township": township, "townships": townships,
        "states": [(s, CardState(s).label) for s in states],
        "table": [(name, [counts.get((name, s), 0) for s in states]) for name in clinics],
        "returned": cards.filter(state=CardState.RETURNED).order_by("resubmit_timer__deadline"),
        "proxied": cards.filter(entered_by_unit=township).order_by("-reported_at")[:RECENT],
    })
