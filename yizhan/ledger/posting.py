"""Posting to a ledger: the only code that changes an account's balance.

Each posting locks its account row, checks the balance rule, inserts the entry and writes its audit
event in one transaction, so two treasurers paying from one fund at once cannot overdraw it: the
second waits for the first and then sees the balance it left.

The balance rule counts what is promised out of the account but not yet paid (a relief fund's
approved applications): an outgoing entry, manual payment or reversal of a contribution alike, may
not take the balance below those commitments. The apps that make such promises register how to
count them (`register_commitments`) and take the same account lock when they promise, so the count
read under the lock is the one that holds."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.ledger.models import Account, Entry
from yizhan.ledger.money import check_fen, yuan
from yizhan.textlimits import field_limit

CATEGORY_MAX = field_limit(Entry, "category")
# Each returns what is committed out of a (locked) account and not yet posted, in fen.
_COMMITMENTS: list[Callable[[Account], int]] = []


def register_commitments(count: Callable[[Account], int]) -> None:
    """Count `count(account)` as committed out of an account (called once, from an AppConfig.ready)."""
    if count not in _COMMITMENTS:
        _COMMITMENTS.append(count)


def committed(account: Account) -> int:
    """What is promised out of `account` and not yet posted (fen), by every registered counter."""
    return sum(count(account) for count in _COMMITMENTS)


def _source(source: models.Model | tuple[str, str] | None) -> tuple[str, str]:
    if source is None:
        return "", ""
    if isinstance(source, tuple):
        return source
    return source._meta.label_lower, str(source.pk)


def _locked(account: Account) -> Account:
    return Account.objects.select_for_update().get(pk=account.pk)


def _insert(account: Account, amount_fen: int, *, category: str, party: str, memo: str,
            source: tuple[str, str], at: datetime, actor: Any, reverses: Entry | None = None,
            settles_fen: int = 0) -> Entry:
    later = account.entries.filter(booked_at__gt=at).order_by("-booked_at").values_list("booked_at", flat=True).first()
    if later is not None:
        # Entries are booked in time order, so each keeps the balance it left.
        raise InvalidInput(_("记账时间早于账户的最后一笔分录（%(t)s）") % {"t": later.isoformat()},
                           field="at", rule="booked_in_order")
    new_balance = account.balance_fen + amount_fen
    if new_balance < 0:
        raise InvalidInput(
            _("余额不足：账户 %(a)s 余额 ¥%(b)s，本次支出 ¥%(x)s") % {
                "a": account.code, "b": yuan(account.balance_fen), "x": yuan(-amount_fen)},
            field="amount_fen", rule="balance_not_negative")
    if amount_fen < 0:
        owed = committed(account) - settles_fen
        if owed > 0 and new_balance < owed:
            raise InvalidInput(
                _("可用余额不足：账户 %(a)s 余额 ¥%(b)s，其中 ¥%(o)s 已批准待拨付，本次支出 ¥%(x)s") % {
                    "a": account.code, "b": yuan(account.balance_fen), "o": yuan(owed), "x": yuan(-amount_fen)},
                field="amount_fen", rule="available_not_negative")
    entry = Entry.objects.create(
        account=account, booked_at=at, amount_fen=amount_fen, balance_after_fen=new_balance,
        category=category, party=party, memo=memo, source_type=source[0], source_id=source[1],
        reverses=reverses, posted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Account.objects.filter(pk=account.pk).update(balance_fen=new_balance)
    account.balance_fen = new_balance
    return entry


def post(
    account: Account,
    amount_fen: int,
    *,
    category: str,
    party: str = "",
    memo: str = "",
    source: models.Model | tuple[str, str] | None = None,
    at: datetime | None = None,
    actor: Any = None,
    actor_label: str = "",
    settles_fen: int = 0,
) -> Entry:
    """Book `amount_fen` (> 0 in, < 0 out) on `account`. Refuses a zero or oversized amount, an
    inactive account, a missing category, a payment the balance does not cover (field `amount_fen`,
    rule `balance_not_negative`) and one that would leave less than is committed (rule
    `available_not_negative`); `settles_fen`: the part of this payment that pays a commitment (the
    approved application being paid). Call it inside the caller's transaction when the posting
    belongs to a change of the caller's own (a relief payment and its application)."""
    at = resolve_at(at)
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        raise InvalidInput(_("金额须为整数（分）"), field="amount_fen", rule="amount_format")
    check_fen(abs(amount_fen), field="amount_fen")
    category = (category or "").strip()
    if not category or len(category) > CATEGORY_MAX:
        raise InvalidInput(_("记账类别不能为空，且不超过 %(n)d 个字符") % {"n": CATEGORY_MAX},
                           field="category", rule="required")
    party, memo = party.strip(), memo.strip()
    if len(party) > 200 or len(memo) > 500:
        raise InvalidInput(_("对方不超过 200 个字符，摘要不超过 500 个字符"),
                           field="party" if len(party) > 200 else "memo", rule="max_length")
    with transaction.atomic():
        account = _locked(account)
        if not account.active:
            raise IllegalTransition(_("账户 %(a)s 已停用") % {"a": account.code}, field="account", rule="inactive")
        entry = _insert(account, amount_fen, category=category, party=party, memo=memo,
                        source=_source(source), at=at, actor=actor, settles_fen=settles_fen)
        record("ledger.entry.posted", entry, actor=actor, actor_label=actor_label, at=at,
               account=account.code, amount_fen=amount_fen, category=category, party=party,
               balance_after_fen=entry.balance_after_fen, source=list(_source(source)))
    return entry


def reverse(entry: Entry, *, reason: str, at: datetime | None = None, actor: Any = None,
            actor_label: str = "") -> Entry:
    """Cancel `entry` with a reversing entry of the opposite amount. Refuses a reversal of a
    reversal, a second reversal of the same entry, a missing reason, and a reversal of a
    contribution the balance no longer holds."""
    at = resolve_at(at)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("冲销须说明原因"), field="reason", rule="required")
    if len(reason) > 500:
        raise InvalidInput(_("原因不超过 500 个字符"), field="reason", rule="max_length")
    with transaction.atomic():
        account = _locked(entry.account)
        entry = Entry.objects.get(pk=entry.pk)
        if entry.is_reversal:
            raise IllegalTransition(_("冲销分录不能再冲销；请重新记账"), field="entry", rule="reversal_of_reversal")
        if Entry.objects.filter(reverses=entry).exists():
            raise IllegalTransition(_("该分录已冲销"), field="entry", rule="already_reversed")
        if at < entry.booked_at:
            raise InvalidInput(_("冲销时间不能早于原分录"), field="at", rule="not_before_entry")
        reversal = _insert(account, -entry.amount_fen, category=entry.category, party=entry.party,
                           memo=reason, source=(entry.source_type, entry.source_id), at=at, actor=actor,
                           reverses=entry)
        record("ledger.entry.reversed", reversal, actor=actor, actor_label=actor_label, at=at,
               account=account.code, reverses=entry.pk, amount_fen=reversal.amount_fen, reason=reason,
               balance_after_fen=reversal.balance_after_fen)
    return reversal


def net_of(entries: models.QuerySet[Entry]) -> models.QuerySet[Entry]:
    """Entries that stand: neither reversed nor reversals (for reports of what was paid)."""
    return entries.filter(reverses__isnull=True, reversed_by__isnull=True)


def totals(entries: models.QuerySet[Entry], by: str = "category") -> dict[str, int]:
    """Sum of amounts (fen) per value of `by` over `entries`, reversals included (they net out)."""
    return {row[by]: row["total"] for row in entries.values(by).annotate(total=Sum("amount_fen")).order_by(by)}


def balance_at(account: Account, at: datetime) -> int:
    """The balance as it stood at `at` (the last entry booked at or before it)."""
    last = account.entries.filter(booked_at__lte=at).order_by("-booked_at", "-id").first()
    return last.balance_after_fen if last else 0
