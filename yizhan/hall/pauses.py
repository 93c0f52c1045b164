"""Pausing a case's clock (行政许可法 Art. 45 special procedures, or waiting for supplements): both the
promised and the statutory timer stop counting; resuming pushes both deadlines out by the working
days of the pause. Every pause carries a reason and shows on the case."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.clock.errors import ClockError
from yizhan.clock.models import PauseReason
from yizhan.clock.timers import pause_timer, resume_timer
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.hall.models import Case, CaseState
from yizhan.hall.service import LOCK_RELATED, audit, locked, require_state, resolve_at

PAUSABLE = (CaseState.ACCEPTED, CaseState.UNDER_REVIEW)


def is_paused(case: Case) -> bool:
    return case.promised_timer is not None and case.promised_timer.paused_since is not None


def pause_case(case: Case, *, reason: str, note: str = "", at: datetime | None = None, actor: Any = None,
               actor_label: str = "") -> Case:
    """Pause both timers of an accepted or under-review case. `reason` is a clock PauseReason value
    (hearing, inspection, testing, expert_review, public_notice, tender, supplement). "Now" is read
    once the case is locked: a transition that waited for the lock starts its pause after the one it
    waited for ended, so no two intervals of one timer overlap."""
    if reason not in PauseReason.values:
        raise InvalidInput(_("暂停原因无效，可选：%(choices)s") % {"choices": ", ".join(PauseReason.values)},
                           field="reason", rule="choice")
    with transaction.atomic():
        case = locked(case, *LOCK_RELATED)
        at = resolve_at(at)
        require_state(case, PAUSABLE, "pause")
        pause_locked(case, reason=reason, note=note, at=at, actor=actor)
        audit("hall.case.paused", case, actor=actor, actor_label=actor_label, at=at, reason=reason, note=note)
    return case


def resume_case(case: Case, *, at: datetime | None = None, actor: Any = None, actor_label: str = "") -> Case:
    """End the running pause; both deadlines move out by the pause's working days ("now" read once the
    case is locked, as in pause_case)."""
    with transaction.atomic():
        case = locked(case, *LOCK_RELATED)
        at = resolve_at(at)
        require_state(case, PAUSABLE, "resume")
        before = case.promised_timer.deadline
        resume_locked(case, at=at)
        audit("hall.case.resumed", case, actor=actor, actor_label=actor_label, at=at,
              promised_deadline=[before, case.promised_timer.deadline],
              statutory_deadline=case.statutory_timer.deadline)
    return case


def pause_locked(case: Case, *, reason: str, note: str, at: datetime, actor: Any) -> None:
    """Pause both timers of a case already locked by the caller's transaction."""
    if is_paused(case):
        raise IllegalTransition(_("办件 %(no)s 已暂停计时") % {"no": case.case_no}, field="state",
                                rule="already_paused")
    by = actor if getattr(actor, "is_authenticated", False) else None
    try:
        for timer in case.timers():
            pause_timer(timer, reason=reason, at=at, note=note, by=by)
    except ClockError as exc:
        raise IllegalTransition(str(exc), field="at", rule="clock") from exc


def resume_locked(case: Case, *, at: datetime) -> None:
    if not is_paused(case):
        raise IllegalTransition(_("办件 %(no)s 未暂停计时") % {"no": case.case_no}, field="state", rule="not_paused")
    try:
        for timer in case.timers():
            resume_timer(timer, at=at)
    except ClockError as exc:
        raise IllegalTransition(str(exc), field="at", rule="clock") from exc


def pauses_of(case: Case) -> list[dict[str, Any]]:
    """The case's pauses (of its promised timer; the statutory one pauses alongside), oldest first."""
    if case.promised_timer_id is None:
        return []
    return [
        {"reason": p.reason, "reason_label": str(p.get_reason_display()), "note": p.note,
         "started_at": p.started_at, "ended_at": p.ended_at}
        for p in case.promised_timer.pauses.all()
    ]
