"""Entries a treasurer books by hand (a contribution, a grant) and reversals of entries: the
treasurer of the account's unit only. Payments that belong to an application or a visit are
posted by those apps' services, which check their own rule."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from yizhan.ledger import posting
from yizhan.ledger.models import Account, Entry
from yizhan.org.scope import require_permits


def _require_treasurer(actor: Any, account: Account) -> None:
    require_permits(actor, account, field="code", rule="treasurer_only", message=_("只有本单位的基金出纳可以记账"))


def post_entry(account: Account, amount_fen: int, *, category: str, party: str = "", memo: str = "",
               actor: Any) -> Entry:
    """Book `amount_fen` (> 0 in, < 0 out) on `account` by its treasurer (`posting.post`'s rules)."""
    _require_treasurer(actor, account)
    return posting.post(account, amount_fen, category=category, party=party, memo=memo, actor=actor)


def reverse_entry(entry: Entry, *, reason: str, actor: Any) -> Entry:
    """Reverse `entry` by its account's treasurer (`posting.reverse`'s rules)."""
    _require_treasurer(actor, entry.account)
    return posting.reverse(entry, reason=reason, actor=actor)
