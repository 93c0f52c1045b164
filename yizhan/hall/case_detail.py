"""What a case looks like from outside the engine: the staff view (everything, pauses included) and
the applicant's view (no pending refusal, no internal names)."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from yizhan.calendar.workdays import current_calendar
from yizhan.clock.models import Timer
from yizhan.clock.warnings import warning_level
from yizhan.hall.models import Case
from yizhan.hall.pauses import pauses_of


def _timer(timer: Timer | None, now: datetime) -> dict[str, Any] | None:
    if timer is None:
        return None
    return {
        "purpose": timer.purpose, "limit": str(timer.limit), "started_at": timer.started_at,
        "deadline": timer.deadline, "provisional": timer.provisional, "paused_since": timer.paused_since,
        "stopped_at": timer.stopped_at, "level": warning_level(timer, now, current_calendar()).value,
    }


def case_detail(case: Case, now: datetime | None = None) -> dict[str, Any]:
    """Everything staff see on a case: state, dates, timers with their levels, pauses, notices, refusals."""
    now = now or timezone.now()
    return {
        "case_no": case.case_no,
        "state": case.state,
        "outcome": case.outcome,
        "matter": case.matter.code,
        "window": case.window.code,
        "department": case.department.code,
        "handler": case.handler.get_username() if case.handler else None,
        "channel": case.channel,
        "applicant": {"kind": case.applicant_kind, "name": case.applicant_name, "id": case.applicant_id},
        "green_channel": case.green_channel,
        "green_project": case.green_project,
        "received_at": case.received_at,
        "accepted_at": case.accepted_at,
        "decided_at": case.decided_at,
        "completed_at": case.completed_at,
        "closed_at": case.closed_at,
        "pending_refusal": case.pending_refusal,
        "awaiting_supplement": case.awaiting_supplement,
        "timers": {name: _timer(getattr(case, f"{name}_timer"), now) for name in ("notice", "promised", "statutory")},
        "pauses": pauses_of(case),
        "notices": [
            {"seq": n.seq, "state": n.state, "issued_at": n.issued_at,
             "materials": [i.name for i in n.items.all()], "override_reason": n.override_reason}
            for n in case.notices.prefetch_related("items").order_by("seq")
        ],
        "refusals": [
            {"kind": r.kind, "state": r.state, "reason": r.reason, "legal_basis": r.legal_basis,
             "requested_at": r.requested_at, "reviewed_at": r.reviewed_at, "review_note": r.review_note}
            for r in case.refusals.order_by("requested_at", "id")
        ],
    }


def public_status(case: Case) -> dict[str, Any]:
    """What the applicant sees when looking the case up by its number. A refusal shows only once a
    second person has confirmed it, because only then has the case's state changed."""
    promised = case.promised_timer
    return {
        "case_no": case.case_no,
        "matter": case.matter.name,
        "state": case.state,
        "state_label": str(case.get_state_display()),
        "outcome": case.outcome,
        "received_at": case.received_at,
        "accepted_at": case.accepted_at,
        "completed_at": case.completed_at,
        "promised_deadline": promised.deadline if promised else None,
        "paused": bool(promised and promised.paused_since),
        "awaiting_supplement": case.awaiting_supplement,
        "notices": [{"seq": n.seq, "materials": [i.name for i in n.items.all()]}
                    for n in case.notices.prefetch_related("items").order_by("seq")],
    }
