"""Probable duplicates (重卡), by the national system's 查重规则: the same ID number and disease, or
without an ID the same name, sex, occupation group, disease, birth date and address. A probable
duplicate is held for review, not counted twice; deleting one names the card kept. Which card is kept
(排除重卡时保留唯一报告卡的处理原则): of one unit's cards, the higher diagnostic classification; of two
units' cards, the card of the unit treating and managing the patient, else the higher-level unit's, and
at the same level the higher classification; HIV/AIDS keeps the first report (先报保留、补全资料、删除后报).
For a disease that recurs, cards whose onsets lie more than `episode_days` apart are two courses of
illness, not duplicates. Deletion and restoration: `deletion.py`."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.surveillance.cards import check_card, now_or
from yizhan.surveillance.deletion import delete_card
from yizhan.surveillance.duplicate_match import probable_duplicate
from yizhan.surveillance.models import DIAGNOSTIC_RANK, CardState, CaseCard
from yizhan.surveillance.review import require_epidemiologist
from yizhan.surveillance.units import responsible_cdc

UNIT_RANK: dict[str, int] = {UnitKind.CDC: 2, UnitKind.TOWNSHIP: 1, UnitKind.VILLAGE: 0}
FIRST_REPORT_KEPT = ("B24",)  # HIV/AIDS


def check_report(data: dict[str, Any], unit: OrgUnit | None = None) -> tuple[list[InvalidInput], CaseCard | None]:
    """What reporting `data` would meet, without saving: every broken field, or else the card it
    would duplicate (then it would be held for review). The API's check and the clinic screen's."""
    checked, errors = check_card(data, unit=unit)
    if errors:
        return errors, None
    return [], probable_duplicate(CaseCard(**checked.fields, disease=checked.disease))


def keeps_first(a: CaseCard, b: CaseCard) -> bool:
    """Whether `a` is the card to keep over `b`."""
    earlier = (a.reported_at, a.pk) < (b.reported_at, b.pk)
    if a.disease.code in FIRST_REPORT_KEPT:
        return earlier
    rank_a, rank_b = DIAGNOSTIC_RANK[a.classification], DIAGNOSTIC_RANK[b.classification]
    if a.reporting_unit_id != b.reporting_unit_id:
        if a.treated_here != b.treated_here:
            return a.treated_here
        level_a, level_b = UNIT_RANK.get(a.reporting_unit.kind, 0), UNIT_RANK.get(b.reporting_unit.kind, 0)
        if level_a != level_b:
            return level_a > level_b
    if rank_a != rank_b:
        return rank_a > rank_b
    return earlier


def resolve(held: CaseCard, *, actor: Any, at: datetime | None = None) -> CaseCard:
    """Settle a held card against the card it duplicates by the rule: delete the lesser one, naming
    the one kept. Returns the card kept."""
    require_epidemiologist(actor, responsible_cdc(held.reporting_unit))
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
    at = now_or(at)
    require_epidemiologist(actor, responsible_cdc(held.reporting_unit))
    with transaction.atomic():
        held = CaseCard.objects.select_for_update().get(pk=held.pk)
        if held.state != CardState.HELD:
            raise IllegalTransition(_("卡片 %(n)s 不是待查的疑似重复卡") % {"n": held.card_no})
        held.state = CardState.PENDING
        held.save(update_fields=["state"])
        record("surveillance.card.released", held, actor=actor, at=at, card_no=held.card_no)
    return held
