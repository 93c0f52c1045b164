"""Party-membership anniversaries (入党纪念日): the members in the caller's scope, one member by number,
the anniversaries of the month ahead, the cards sent, and the day's run (idempotent)."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from yizhan.anniversaries.cards import month_ahead, send_for
from yizhan.anniversaries.models import Card, PartyMember
from yizhan.api.common import FIRST_DAY, LAST_DAY, Code, Day, Limit, Offset, user
from yizhan.api.errors import ERROR_RESPONSES, not_found
from yizhan.api.scope import visible
from yizhan.calendar.workdays import local_date

PREFIX = "/anniversaries"
router = Router(tags=["anniversaries"])


class MemberOut(Schema):
    member_no: str
    name: str
    unit: str
    joined_on: date
    active: bool


class AnniversaryCardOut(Schema):
    member_no: str
    name: str
    year: int
    sent_on: date
    years: int
    channel: str
    message: str


def _member_out(m: PartyMember) -> dict:
    return {"member_no": m.member_no, "name": m.name, "unit": m.unit.code, "joined_on": m.joined_on,
            "active": m.active}


def _card_out(c: Card) -> dict:
    return {"member_no": c.member.member_no, "name": c.member.name, "year": c.year, "sent_on": c.sent_on,
            "years": c.years, "channel": c.channel, "message": c.message}


def _members(request: HttpRequest):
    return visible(PartyMember.objects.select_related("unit"), user(request))


class Page(Schema):
    limit: Limit = 100
    offset: Offset = 0


@router.get("/members", response={200: list[MemberOut], **ERROR_RESPONSES}, summary="党员名册")
def members(request: HttpRequest, q: Query[Page]):
    return [_member_out(m) for m in _members(request)[q.offset:q.offset + q.limit]]


@router.get("/members/{member_no}", response={200: MemberOut, **ERROR_RESPONSES}, summary="党员")
def member(request: HttpRequest, member_no: Code):
    """An unknown member number (or one outside the caller's scope) is 404, field `member_no`."""
    found = _members(request).filter(member_no=member_no).first()
    if found is None:
        raise not_found(_("党员 %(n)s ") % {"n": member_no}, field="member_no")
    return _member_out(found)


class AnniversaryDayQuery(Schema):
    day: Day | None = Field(None, alias="date", description="local date (default today)")


class UpcomingOut(Schema):
    on: date
    years: int
    member: MemberOut


@router.get("/upcoming", response={200: list[UpcomingOut], **ERROR_RESPONSES}, summary="今后 30 天的入党纪念日")
def upcoming(request: HttpRequest, q: Query[AnniversaryDayQuery]):
    day = q.day or local_date(timezone.now())
    return [{"on": on, "years": on.year - m.joined_on.year, "member": _member_out(m)}
            for on, m in month_ahead(day, _members(request))]


class CardFilter(Schema):
    year: int | None = Field(None, ge=FIRST_DAY.year, le=LAST_DAY.year)
    limit: Limit = 100
    offset: Offset = 0


@router.get("/cards", response={200: list[AnniversaryCardOut], **ERROR_RESPONSES}, summary="已发送的贺卡")
def cards(request: HttpRequest, q: Query[CardFilter]):
    qs = visible(Card.objects.select_related("member"), user(request))
    if q.year:
        qs = qs.filter(year=q.year)
    return [_card_out(c) for c in qs[q.offset:q.offset + q.limit]]


class SendIn(Schema):
    day: Day | None = Field(None, alias="date", description="local date (default today)")


class SendOut(Schema):
    date: date
    sent: list[AnniversaryCardOut]


@router.post("/send", response={200: SendOut, **ERROR_RESPONSES}, summary="生成并发送当天的贺卡")
def send(request: HttpRequest, payload: SendIn):
    """The caller's members only. Idempotent: the cards already made that year are not made or sent again (the daily job does the same)."""
    day = payload.day or local_date(timezone.now())
    return {"date": day, "sent": [_card_out(c) for c in send_for(day, actor=user(request))]}
