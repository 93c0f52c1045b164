"""Screens of the welfare officer: the anniversaries of the month ahead, the cards sent lately, and
the printable A5 card of a member for a year (the card sent, or a preview before the day)."""


from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yizhan.anniversaries.cards import anniversary_in, find_member, greeting, month_ahead
from yizhan.anniversaries.models import ANNIVERSARY_ROLES, Card, PartyMember
from yizhan.calendar.workdays import local_date
from yizhan.errors import InvalidInput
from yizhan.org.scope import restrict
from yizhan.ui.access import require_roles
from yizhan.ui.forms import day_param


@require_roles(*ANNIVERSARY_ROLES)
def month(request: HttpRequest) -> HttpResponse:
    day = day_param(request) or local_date(timezone.now())
    members = restrict(PartyMember.objects.all(), request.user)
    cards = restrict(Card.objects.select_related("member"), request.user)
    sent = {(c.member_id, c.year) for c in cards.filter(sent_on__gte=day)}
    ahead = [{"on": on, "member": m, "years": on.year - m.joined_on.year, "sent": (m.pk, on.year) in sent}
             for on, m in month_ahead(day, members)]
    return render(request, "anniversaries/month.html", {
        "day": day, "ahead": ahead, "recent": cards.filter(sent_on__lte=day)[:30], "members": members.count(),
        "cards_this_year": cards.filter(year=day.year).count(),
    })


@require_roles(*ANNIVERSARY_ROLES)
def print_card(request: HttpRequest, member_no: str, year: int) -> HttpResponse:
    try:
        member = find_member(member_no, restrict(PartyMember.objects.select_related("unit"), request.user))
    except InvalidInput as exc:
        raise Http404(exc.message) from None
    if year <= member.joined_on.year:
        raise Http404
    card = Card.objects.filter(member=member, year=year).first()
    years = year - member.joined_on.year
    return render(request, "anniversaries/print_card.html", {
        "member": member, "card": card, "years": years, "on": anniversary_in(member, year),
        "message": card.message if card else greeting(member, years),
    })
