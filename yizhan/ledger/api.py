"""Ledgers (资金台账): accounts in the caller's scope, their entries, direct postings by the
treasurer (contributions, grants) and reversals. Payments that belong to an application or a visit
are posted by those apps' own routes."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from yizhan.api.common import Code, Day, Id, Limit, Offset, Text, max_length_of, user
from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.scope import get_visible, visible
from yizhan.ledger import manual
from yizhan.ledger.models import Account, Entry

PREFIX = "/ledger"
router = Router(tags=["ledger"])


class AccountOut(Schema):
    code: str
    name: str
    kind: str
    unit: str
    balance_fen: int
    active: bool


class EntryOut(Schema):
    id: int
    account: str
    booked_at: datetime
    amount_fen: int
    balance_after_fen: int
    category: str
    party: str
    memo: str
    source_type: str
    source_id: str
    reverses: int | None
    reversed_by: int | None


def _account_out(a: Account) -> dict:
    return {"code": a.code, "name": a.name, "kind": a.kind, "unit": a.unit.code, "balance_fen": a.balance_fen,
            "active": a.active}


def _entry_out(e: Entry) -> dict:
    reversed_by = getattr(e, "reversed_by", None)
    return {"id": e.pk, "account": e.account.code, "booked_at": e.booked_at, "amount_fen": e.amount_fen,
            "balance_after_fen": e.balance_after_fen, "category": e.category, "party": e.party, "memo": e.memo,
            "source_type": e.source_type, "source_id": e.source_id, "reverses": e.reverses_id,
            "reversed_by": reversed_by.pk if reversed_by else None}


def _account(request: HttpRequest, code: str) -> Account:
    return get_visible(Account.objects.select_related("unit"), user(request), _("资金账户"), field="code", code=code)


@router.get("/accounts", response={200: list[AccountOut], **ERROR_RESPONSES}, summary="资金账户")
def accounts(request: HttpRequest):
    return [_account_out(a) for a in visible(Account.objects.select_related("unit"), user(request))]


@router.get("/accounts/{code}", response={200: AccountOut, **ERROR_RESPONSES}, summary="资金账户及余额")
def account(request: HttpRequest, code: Code):
    return _account_out(_account(request, code))


class EntryFilter(Schema):
    category: Code | None = None
    first: Day | None = Field(None, alias="from", description="first local date")
    last: Day | None = Field(None, alias="to", description="last local date")
    limit: Limit = 100
    offset: Offset = 0


@router.get("/accounts/{code}/entries", response={200: list[EntryOut], **ERROR_RESPONSES}, summary="台账分录")
def entries(request: HttpRequest, code: Code, q: Query[EntryFilter]):
    """Entries in booking order; `from`/`to` are local dates (inclusive)."""
    acct = _account(request, code)
    qs = acct.entries.select_related("account", "reversed_by").order_by("booked_at", "id")
    if q.category:
        qs = qs.filter(category=q.category)
    if q.first:
        qs = qs.filter(booked_at__date__gte=q.first)
    if q.last:
        qs = qs.filter(booked_at__date__lte=q.last)
    return [_entry_out(e) for e in qs[q.offset:q.offset + q.limit]]


class PostIn(Schema):
    amount_fen: int
    category: Code
    party: Annotated[Text, max_length_of(Entry, "party")] = ""
    memo: Annotated[Text, max_length_of(Entry, "memo")] = ""


@router.post("/accounts/{code}/entries", response={201: EntryOut, **ERROR_RESPONSES}, summary="记账（收入或支出）")
def post_entry(request: HttpRequest, code: Code, payload: PostIn):
    """`amount_fen` > 0 brings money in (a contribution, a grant), < 0 pays out. A payment the
    balance does not cover is refused (422, field `amount_fen`, rule `balance_not_negative`)."""
    entry = manual.post_entry(_account(request, code), payload.amount_fen, category=payload.category,
                              party=payload.party, memo=payload.memo, actor=user(request))
    return Status(201, _entry_out(entry))


class ReverseIn(Schema):
    reason: Annotated[Text, max_length_of(Entry, "memo")]


@router.post("/entries/{entry_id}/reverse", response={201: EntryOut, **ERROR_RESPONSES}, summary="冲销分录")
def reverse_entry(request: HttpRequest, entry_id: Id, payload: ReverseIn):
    entry = get_visible(Entry.objects.select_related("account__unit"), user(request), _("台账分录"), field="entry_id",
                        pk=entry_id)
    return Status(201, _entry_out(manual.reverse_entry(entry, reason=payload.reason, actor=user(request))))
