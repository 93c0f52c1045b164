"""The day's anniversary cards: every member on the register who joined the party on this day of an
earlier year gets a card (a printable A5 page) and a message through the one sender
(yizhan.jobs.notify: SMS to the mobile number, else mail), each exactly once a year.

Exactly once: the card is inserted under the unique (member, year) constraint, so a second run — or
two at once — finds it there and stands back; the message's notify key is the card's, so a retry
after a failed send sends it, and never twice. A member who joined on 29 February is greeted on
28 February in other years."""

from calendar import isleap
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yizhan.anniversaries.models import Card, PartyMember
from yizhan.audit.log import record
from yizhan.errors import InvalidInput
from yizhan.jobs import notify
from yizhan.org.models import Role
from yizhan.org.scope import VIEW, require_holds, restrict


def anniversary_in(member: PartyMember, year: int) -> date:
    joined = member.joined_on
    if joined.month == 2 and joined.day == 29 and not isleap(year):
        return date(year, 2, 28)
    return joined.replace(year=year)


def due_on(day: date, members: QuerySet[PartyMember] | None = None) -> QuerySet[PartyMember]:
    """Members on the register whose anniversary is `day` (joined in an earlier year)."""
    members = PartyMember.objects.all() if members is None else members
    same_day = Q(joined_on__month=day.month, joined_on__day=day.day)
    if day.month == 2 and day.day == 28 and not isleap(day.year):
        same_day |= Q(joined_on__month=2, joined_on__day=29)
    return members.filter(same_day, active=True, joined_on__year__lt=day.year).order_by("member_no")


def month_ahead(day: date, members: QuerySet[PartyMember] | None = None, days: int = 30) -> list[tuple[date, PartyMember]]:
    """(anniversary, member) for the anniversaries from `day` to `day + days`, soonest first."""
    members = PartyMember.objects.all() if members is None else members
    found = []
    for member in members.filter(active=True, joined_on__lt=day).select_related("unit"):
        for year in (day.year, day.year + 1):
            when = anniversary_in(member, year)
            if day <= when <= day + timedelta(days=days) and member.joined_on.year < year:
                found.append((when, member))
    return sorted(found, key=lambda pair: (pair[0], pair[1].member_no))


def greeting(member: PartyMember, years: int) -> str:
    return _("%(name)s同志：今天是您光荣加入中国共产党 %(n)d 周年的纪念日。感谢您多年来的坚守与奉献，"
             "祝您工作顺利、身体健康！——中共金山石化建筑公司委员会") % {"name": member.name, "n": years}


def card_key(member: PartyMember, year: int) -> str:
    return f"anniversaries.card:{member.member_no}:{year}"


def send_card(member: PartyMember, day: date) -> tuple[Card, bool]:
    """The member's card for `day`'s year, generated and sent unless it already was. (card, made now)."""
    years = day.year - member.joined_on.year
    key = card_key(member, day.year)
    channel = "sms" if member.phone else ("mail" if member.email else "")
    made = False
    try:
        with transaction.atomic():
            card = Card.objects.create(member=member, year=day.year, sent_on=day, years=years,
                                       message=greeting(member, years), channel=channel,
                                       notification_key=key if channel else "", created_at=timezone.now())
            record("anniversaries.card.sent", card, actor_label="anniversaries.send", member=member.member_no,
                   year=day.year, years=years, channel=channel)
            made = True
    except IntegrityError:
        card = Card.objects.get(member=member, year=day.year)
    if card.channel:
        # Sent here or by the run that made the card; the key keeps it to one message.
        recipient = member.phone if card.channel == "sms" else member.email
        notify.send(card.notification_key, card.channel, recipient, card.message,
                    _("入党 %(n)d 周年纪念") % {"n": card.years})
    return card, made


def send_day(day: date, members: QuerySet[PartyMember] | None = None) -> list[Card]:
    """Generate and send `day`'s cards (of `members`, default all); returns the cards made by this run
    (none on a second run)."""
    return [card for member in due_on(day, members) for card, made in [send_card(member, day)] if made]


def send_for(day: date, *, actor: Any) -> list[Card]:
    """`day`'s cards sent at a welfare officer's request: of the members in the officer's scope only
    (the system, actor None, sends every member's, as the daily job does). Idempotent as `send_day`."""
    require_holds(actor, (Role.WELFARE_OFFICER,), rule="welfare_officer_only",
                  message=_("只有工会福利干事可以发送贺卡"))
    members = PartyMember.objects.select_related("unit")
    return send_day(day, members if actor is None else restrict(members, actor, VIEW))


def find_member(member_no: str, members: QuerySet[PartyMember] | None = None) -> PartyMember:
    members = PartyMember.objects.all() if members is None else members
    member = members.filter(member_no=(member_no or "").strip()).first()
    if member is None:
        raise InvalidInput(_("没有编号为 %(n)s 的党员") % {"n": member_no}, field="member_no", rule="unknown_member")
    return member
