"""Probable duplicates (重卡): the same ID number and disease, or without an ID the same name, sex,
occupation group, disease, birth date and address. A probable duplicate is held for review, not
counted twice; deleting one names the card kept (higher diagnostic level first, then the treating
unit's level, then the earlier report), and a deleted card can be restored. For a disease that
recurs, cards whose onsets lie more than `episode_days` apart are two episodes, not duplicates."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.clock.timers import stop_timer
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.org.models import UnitKind
from yizhan.surveillance.cards import check_card
from yizhan.surveillance.duplicate_match import LIVE, probable_duplicate
from yizhan.surveillance.models import DIAGNOSTIC_RANK, CardState, CaseCard
from yizhan.surveillance.review import require_epidemiologist
from yizhan.surveillance.units import responsible_cdc

UNIT_RANK: dict[str, int] = {UnitKind.CDC: 2, UnitKind.TOWNSHIP: 1, UnitKind.VILLAGE: 0}


def check_report(data: dict[str, Any]) -> tuple[list[InvalidInput], CaseCard | None]:
    """What reporting `data` would meet, without saving: every broken field, or else the card it
    would duplicate (then it would be held for review). The API's check and the clinic screen's."""
    checked, errors = check_card(data)
    if errors:
        return errors, None
    return [], probable_duplicate(CaseCard(**checked.fields, disease=checked.disease))


def keeps_first(a: CaseCard, b: CaseCard) -> bool:
    """Whether `a` is the card to keep over `b`."""
    def key(c: CaseCard) -> tuple:
        return (DIAGNOSTIC_RANK[c.classification], UNIT_RANK.get(c.reporting_unit.kind, 0),
                -c.reported_at.timestamp(), -c.pk)
    return key(a) > key(b)


def resolve(held: CaseCard, *, actor: Any, at: datetime | None = None) -> CaseCard:
    """Settle a held card against the card it duplicates by the rule: delete the lesser one, naming
    the one kept. Returns the card kept."""
    other = held.duplicate_of
    if held.state != CardState.HELD or other is None:
        raise IllegalTransition(_("卡片 %(n)s 不是待查的疑似重复卡") % {"n": held.card_no})
    if keeps_first(held, other):
        return _swap(held, other, actor=actor, at=at)
    delete_card(held, kept=other, actor=actor, at=at, reason=str(_("重复报告")))
    return other


def _swap(held: CaseCard, other: CaseCard, *, actor: Any, at: datetime | None) -> CaseCard:
    with transaction.atomic():
        delete_card(other, kept=held, actor=actor, at=at, reason=str(_("重复报告")))
        release(held, actor=actor, at=at)
    return held


def release(held: CaseCard, *, actor: Any, at: datetime | None = None) -> CaseCard:
    """Not a duplicate after all: the held card goes on to review as usual."""
    at = resolve_at(at)
    require_epidemiologist(actor, responsible_cdc(held.reporting_unit))
    with transaction.atomic():
        held = CaseCard.objects.select_for_update().get(pk=held.pk)
        if held.state != CardState.HELD:
            raise IllegalTransition(_("卡片 %(n)s 不是待查的疑似重复卡") % {"n": held.card_no})
        held.state = CardState.PENDING
        held.save(update_fields=["state"])
        record("surveillance.card.released", held, actor=actor, at=at, card_no=held.card_no)
    return held


def delete_card(card: CaseCard, *, kept: CaseCard, actor: Any, reason: str, at: datetime | None = None) -> CaseCard:
    at = resolve_at(at)
    require_epidemiologist(actor, responsible_cdc(card.reporting_unit))
    if not (reason or "").strip():
        raise InvalidInput(_("须说明删除原因"), field="reason", rule="required")
    with transaction.atomic():
        card = CaseCard.objects.select_for_update().get(pk=card.pk)
        kept = CaseCard.objects.get(pk=kept.pk)
        if card.state not in LIVE:
            raise IllegalTransition(_("卡片 %(n)s 状态为%(s)s，不能删除") % {
                "n": card.card_no, "s": CardState(card.state).label})
        if kept.pk == card.pk or kept.state not in LIVE or kept.disease_id != card.disease_id:
            raise InvalidInput(_("保留的卡片须为同一疾病的有效卡片"), field="kept", rule="kept_card")
        card.state_before_delete, card.state = card.state, CardState.DELETED
        card.kept_card, card.deleted_reason = kept, reason.strip()
        card.save(update_fields=["state", "state_before_delete", "kept_card", "deleted_reason"])
        if card.review_timer and card.review_timer.stopped_at is None:
            stop_timer(card.review_timer, at=at)
        record("surveillance.card.deleted", card, actor=actor, at=at, card_no=card.card_no,
               kept=kept.card_no, reason=card.deleted_reason)
    return card


def restore(card: CaseCard, *, actor: Any, at: datetime | None = None) -> CaseCard:
    at = resolve_at(at)
    require_epidemiologist(actor, responsible_cdc(card.reporting_unit))
    with transaction.atomic():
        card = CaseCard.objects.select_for_update().get(pk=card.pk)
        if card.state != CardState.DELETED:
            raise IllegalTransition(_("卡片 %(n)s 未被删除") % {"n": card.card_no})
        # A card deleted before review waits for review again; its clock stays stopped (it was not
        # the CDC's to review while deleted), so the review is timed from the restore.
        card.state = CardState.REVIEWED if card.state_before_delete == CardState.REVIEWED else CardState.PENDING
        card.kept_card, card.deleted_reason = None, ""
        card.save(update_fields=["state", "kept_card", "deleted_reason"])
        record("surveillance.card.restored", card, actor=actor, at=at, card_no=card.card_no, state=card.state)
    return card
