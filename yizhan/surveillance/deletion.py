"""Deleting a card with its reason (删除), and restoring a deletion. The CDC deletes in review (审核删除:
a duplicate, a card entered by mistake): the deletion is itself reviewed and may be undone by the CDC.
A reporter may delete its own card still waiting for review (a card keyed twice, the wrong patient);
that deletion was never reviewed, so it cannot be restored — the reporter reports the card again. A
deleted card is kept with its reason and the card kept in its place, if any; it is not counted."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.org.models import Role
from yizhan.org.scope import covers, require_covers
from yizhan.surveillance.cards import now_or, start_review_clock
from yizhan.surveillance.duplicate_match import LIVE
from yizhan.surveillance.models import CardState, CaseCard
from yizhan.surveillance.review import lock_for_review, stop_review_clock
from yizhan.surveillance.units import responsible_cdc


def delete_card(card: CaseCard, *, reason: str, actor: Any, kept: CaseCard | None = None,
                at: datetime | None = None) -> CaseCard:
    """Delete `card`, naming the card `kept` in its place when it is a duplicate. The responsible CDC's
    epidemiologist (or the system) deletes any live card, a reviewed deletion; the reporting unit only
    its own card not yet reviewed."""
    at = now_or(at)
    if not (reason or "").strip():
        raise InvalidInput(_("须说明删除原因"), field="reason", rule="required")
    by_cdc = actor is None or covers(actor, (Role.EPIDEMIOLOGIST,), responsible_cdc(card.reporting_unit))
    with transaction.atomic():
        if by_cdc:
            card = lock_for_review(card, actor, LIVE, _("删除"))
        else:
            require_covers(actor, (Role.REPORTER,), card.entered_by_unit or card.reporting_unit, field="card",
                           rule="not_permitted", message=_("只有报告单位或负责的疾控中心可以删除该卡"))
            card = CaseCard.objects.select_for_update().get(pk=card.pk)
            if card.state not in (CardState.PENDING, CardState.RETURNED):
                raise IllegalTransition(_("卡片 %(n)s 已审核，须由疾控中心删除") % {"n": card.card_no}, field="card")
        if kept is not None:
            kept = CaseCard.objects.get(pk=kept.pk)
            if kept.pk == card.pk or kept.state not in LIVE or kept.disease_id != card.disease_id:
                raise InvalidInput(_("保留的卡片须为同一疾病的有效卡片"), field="kept", rule="kept_card")
        card.state_before_delete, card.state = card.state, CardState.DELETED
        card.kept_card, card.deleted_reason, card.deleted_at = kept, reason.strip(), at
        card.deletion_reviewed = by_cdc
        card.save(update_fields=["state", "state_before_delete", "kept_card", "deleted_reason", "deleted_at",
                                 "deletion_reviewed"])
        stop_review_clock(card, at)
        record("surveillance.card.deleted", card, actor=actor, at=at, card_no=card.card_no,
               kept=kept.card_no if kept else None, reason=card.deleted_reason, reviewed=by_cdc)
    return card


def restore(card: CaseCard, *, actor: Any, at: datetime | None = None) -> CaseCard:
    """Undo a reviewed deletion: the card goes back to the state it had (a card deleted before review
    waits for review again, its review timed from now: it was not the CDC's to review while deleted)."""
    at = now_or(at)
    with transaction.atomic():
        card = lock_for_review(card, actor, (CardState.DELETED,), _("恢复"))
        if not card.deletion_reviewed:
            raise IllegalTransition(_("卡片 %(n)s 是报告单位自行删除的，未经审核，不能恢复；请重新报告") % {
                "n": card.card_no}, field="card", rule="unreviewed_deletion")
        card.state = CardState.REVIEWED if card.state_before_delete == CardState.REVIEWED else CardState.PENDING
        card.kept_card, card.deleted_reason, card.deleted_at, card.deletion_reviewed = None, "", None, False
        card.save(update_fields=["state", "kept_card", "deleted_reason", "deleted_at", "deletion_reviewed"])
        if card.state == CardState.PENDING:
            start_review_clock(card, at)
        record("surveillance.card.restored", card, actor=actor, at=at, card_no=card.card_no, state=card.state)
    return card
