"""审核: the responsible CDC reviews each card within its limit (2 or 24 hours, on the shared clock,
accountable when late). Official counts are of reviewed cards by their final-review date."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.clock.timers import stop_timer
from yizhan.errors import IllegalTransition, NotPermitted
from yizhan.org.models import Role
from yizhan.org.scope import covers
from yizhan.surveillance.accountability import sweep
from yizhan.surveillance.models import CardState, CaseCard
from yizhan.surveillance.units import responsible_cdc

CARD_TYPE = CaseCard._meta.label_lower


def require_epidemiologist(actor: Any, unit) -> None:
    if actor is None or not covers(actor, (Role.EPIDEMIOLOGIST,), unit):
        raise NotPermitted(_("只有负责该地区的疾控流调人员可以进行此操作"), field="actor")


def review_card(card: CaseCard, *, actor: Any, at: datetime | None = None, actor_label: str = "") -> CaseCard:
    at = resolve_at(at)
    require_epidemiologist(actor, responsible_cdc(card.reporting_unit))
    with transaction.atomic():
        card = CaseCard.objects.select_for_update().get(pk=card.pk)
        if card.state != CardState.PENDING:
            raise IllegalTransition(_("卡片 %(n)s 状态为%(s)s，不能审核") % {
                "n": card.card_no, "s": CardState(card.state).label})
        card.state, card.reviewed_at, card.reviewed_by = CardState.REVIEWED, at, actor
        card.save(update_fields=["state", "reviewed_at", "reviewed_by"])
        timer = card.review_timer
        if timer.stopped_at is None:  # a restored card's clock stopped when it was deleted
            stop_timer(timer, at=at)
        record("surveillance.card.reviewed", card, actor=actor, actor_label=actor_label, at=at,
               card_no=card.card_no, late=timer.overdue_at_stop)
    return card


def sweep_reviews(at: datetime | None = None) -> int:
    """Open an accountability record for every card review past its limit. Idempotent."""
    return sweep(at, purposes=("review",))["review"]
