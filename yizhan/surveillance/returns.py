"""退卡: the CDC returns a card it cannot confirm to the reporting unit with the reason; the reporter
sees it on their screen (and the township for its clinics), corrects the fields and resubmits it within
`RESUBMIT_HOURS` on the clock (accountable when late). The resubmitted card keeps its number and goes
back to review on a new review clock; what it said before is kept in the audit event. A returned card
counts against the unit's 准确率 (quality.py)."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.clock.limits import Limit
from yizhan.clock.timers import start_timer, stop_timer
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.org.models import Role
from yizhan.org.scope import require_covers
from yizhan.surveillance.cards import RESUBMIT_HOURS, card_data, check_or_raise, now_or, start_review_clock
from yizhan.surveillance.models import CardState, CaseCard
from yizhan.surveillance.review import lock_for_review, stop_review_clock


def return_card(card: CaseCard, *, reason: str, actor: Any, at: datetime | None = None) -> CaseCard:
    at = now_or(at)
    if not (reason or "").strip():
        raise InvalidInput(_("须说明退卡原因"), field="reason", rule="required")
    with transaction.atomic():
        card = lock_for_review(card, actor, (CardState.PENDING, CardState.HELD), _("退回"))
        card.state, card.returned_reason, card.returned_at = CardState.RETURNED, reason.strip(), at
        card.times_returned += 1
        stop_review_clock(card, at)
        card.resubmit_timer = start_timer(card, "resubmit", Limit.hours(RESUBMIT_HOURS), at=at,
                                          responsible_unit=card.entered_by_unit or card.reporting_unit,
                                          accountable=True)
        card.save(update_fields=["state", "returned_reason", "returned_at", "times_returned", "resubmit_timer"])
        record("surveillance.card.returned", card, actor=actor, at=at, card_no=card.card_no, reason=card.returned_reason)
    return card


def resubmit_card(card: CaseCard, data: dict[str, Any], *, actor: Any, at: datetime | None = None) -> CaseCard:
    """The reporter's corrected card: checked by every rule of the card, then back to review."""
    at = now_or(at)
    require_covers(actor, (Role.REPORTER,), card.entered_by_unit or card.reporting_unit, field="card",
                   rule="not_permitted", message=_("只有报告单位可以修改退回的报告卡"))
    checked = check_or_raise(data, unit=card.reporting_unit, at=at)
    with transaction.atomic():
        card = CaseCard.objects.select_for_update().get(pk=card.pk)
        if card.state != CardState.RETURNED:
            raise IllegalTransition(_("卡片 %(n)s 未被退回") % {"n": card.card_no}, field="card")
        before = {k: str(v) for k, v in card_data(card).items()}
        for key, value in checked.fields.items():
            setattr(card, key, value)
        card.disease = checked.disease
        card.state = CardState.PENDING
        card.save()
        late = None
        if card.resubmit_timer and card.resubmit_timer.stopped_at is None:
            stop_timer(card.resubmit_timer, at=at)
            late = card.resubmit_timer.overdue_at_stop
        start_review_clock(card, at)
        after = {k: str(v) for k, v in card_data(card).items()}
        record("surveillance.card.resubmitted", card, actor=actor, at=at, card_no=card.card_no, late=late,
               changed={k: [before[k], after[k]] for k in after if before.get(k) != after[k]})
    return card


__all__ = ["return_card", "resubmit_card", "stop_review_clock"]
