"""审核: the responsible CDC opens the whole card and, within its limit (2 or 24 hours, on the shared
clock, accountable when late), approves it (审核确认), returns it to the reporter with a reason (退卡,
`returns.py`), excludes a suspected case ruled out (排除), corrects it (订正, `cards.correct_card`) or
deletes a mistaken card with a reason (`deletion.py`). 《传染病信息报告管理规范（2015年版）》: 县级
疾病预防控制机构…对辖区内报告的传染病信息进行审核确认; 对有疑问的报告卡…及时向填卡人核实. Official
counts are of reviewed cards by their review date and the patient's address (`counts.py`)."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.clock.timers import stop_timer
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.org.models import Role
from yizhan.org.scope import require_covers
from yizhan.surveillance.accountability import sweep
from yizhan.surveillance.models import CardState, CaseCard, Classification
from yizhan.surveillance.units import responsible_cdc

CARD_TYPE = CaseCard._meta.label_lower


def require_epidemiologist(actor: Any, unit) -> None:
    require_covers(actor, (Role.EPIDEMIOLOGIST,), unit, field="actor", rule="not_permitted",
                   message=_("只有负责该地区的疾控流调人员可以进行此操作"))


def lock_for_review(card: CaseCard, actor: Any, allowed: tuple[str, ...], action: Any) -> CaseCard:
    """The card, locked, after checking the actor is the responsible CDC's and the card's state allows it."""
    require_epidemiologist(actor, responsible_cdc(card.reporting_unit))
    card = CaseCard.objects.select_for_update().get(pk=card.pk)
    if card.state not in allowed:
        raise IllegalTransition(_("卡片 %(n)s 状态为%(s)s，不能%(a)s") % {
            "n": card.card_no, "s": CardState(card.state).label, "a": action})
    return card


def stop_review_clock(card: CaseCard, at: datetime) -> bool | None:
    """Stop the card's review clock if it runs; whether it was overdue."""
    timer = card.review_timer
    if timer is not None and timer.stopped_at is None:
        stop_timer(timer, at=at)
    return timer.overdue_at_stop if timer is not None else None


def review_card(card: CaseCard, *, actor: Any, at: datetime | None = None, actor_label: str = "") -> CaseCard:
    at = resolve_at(at)
    with transaction.atomic():
        card = lock_for_review(card, actor, (CardState.PENDING,), _("审核"))
        card.state, card.reviewed_at, card.reviewed_by = CardState.REVIEWED, at, actor
        card.save(update_fields=["state", "reviewed_at", "reviewed_by"])
        late = stop_review_clock(card, at)
        record("surveillance.card.reviewed", card, actor=actor, actor_label=actor_label, at=at,
               card_no=card.card_no, late=late)
    return card


def exclude_card(card: CaseCard, *, reason: str, actor: Any, at: datetime | None = None) -> CaseCard:
    """排除: a suspected case that investigation or testing ruled out is kept with the reason and no
    longer counted. Only a suspected case can be excluded; a diagnosed one is corrected or deleted."""
    at = resolve_at(at)
    if not (reason or "").strip():
        raise InvalidInput(_("须说明排除原因"), field="reason", rule="required")
    with transaction.atomic():
        card = lock_for_review(card, actor, (CardState.PENDING, CardState.REVIEWED), _("排除"))
        if card.classification != Classification.SUSPECTED:
            raise IllegalTransition(_("只有疑似病例可以排除；%(c)s须订正或删除") % {
                "c": Classification(card.classification).label}, field="classification", rule="not_suspected")
        previous = card.state
        card.state, card.excluded_reason = CardState.EXCLUDED, reason.strip()
        card.save(update_fields=["state", "excluded_reason"])
        stop_review_clock(card, at)
        record("surveillance.card.excluded", card, actor=actor, at=at, card_no=card.card_no, previous=previous,
               reason=card.excluded_reason)
    return card


def sweep_reviews(at: datetime | None = None) -> int:
    """Open an accountability record for every card review past its limit. Idempotent."""
    return sweep(at, purposes=("review",))["review"]
