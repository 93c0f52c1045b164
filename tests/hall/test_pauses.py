"""Special-procedure pauses (Art. 45): both timers pause with a reason and the deadlines move out."""

import pytest

from tests.factories import at
from yizhan.audit.models import AuditEvent
from yizhan.clock.models import PauseReason
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.hall import cases as engine
from yizhan.hall.case_detail import case_detail
from yizhan.hall.pauses import pause_case, resume_case


def test_pause_pushes_both_deadlines_by_the_working_days_paused(hall):
    case = hall.accepted(when="2010-03-01 10:00")
    case = pause_case(case, reason=PauseReason.EXPERT_REVIEW, note="专家评审", at=at("2010-03-03 10:00"),
                      actor=hall.clerk)
    assert case.promised_timer.paused_since == case.statutory_timer.paused_since == at("2010-03-03 10:00")
    # Wednesday 3 and Thursday 4 March count, Friday 5 (the day it ends) does not: two working days.
    case = resume_case(case, at=at("2010-03-05 10:00"), actor=hall.clerk)
    assert case.promised_timer.deadline == at("2010-03-10 23:59:59.999999")
    assert case.statutory_timer.deadline == at("2010-03-31 23:59:59.999999")
    detail = case_detail(case, now=at("2010-03-05 11:00"))
    assert detail["pauses"] == [{"reason": "expert_review", "reason_label": "专家评审", "note": "专家评审",
                                 "started_at": at("2010-03-03 10:00"), "ended_at": at("2010-03-05 10:00")}]
    actions = AuditEvent.objects.filter(object_id=str(case.pk), object_type="hall.case").values_list("action", flat=True)
    assert list(actions)[-2:] == ["hall.case.paused", "hall.case.resumed"]


def test_pause_needs_a_known_reason_and_an_accepted_case(hall):
    case = hall.accepted()
    with pytest.raises(InvalidInput) as info:
        pause_case(case, reason="lunch", at=at("2010-03-02 10:00"))
    assert info.value.field == "reason"
    submitted = hall.receive()
    with pytest.raises(IllegalTransition):
        pause_case(submitted, reason=PauseReason.HEARING, at=at("2010-03-02 10:00"))


def test_double_pause_and_resume_without_pause_are_refused(hall):
    case = hall.accepted()
    with pytest.raises(IllegalTransition) as info:
        resume_case(case, at=at("2010-03-02 10:00"))
    assert info.value.rule == "not_paused"
    case = pause_case(case, reason=PauseReason.HEARING, at=at("2010-03-02 10:00"))
    with pytest.raises(IllegalTransition) as info:
        pause_case(case, reason=PauseReason.TESTING, at=at("2010-03-02 11:00"))
    assert info.value.rule == "already_paused"
    assert case.promised_timer.pauses.count() == 1


def test_completion_during_a_pause_closes_it(hall):
    case = hall.accepted()
    case = engine.start_review(case, at=at("2010-03-01 10:00"))
    case = pause_case(case, reason=PauseReason.INSPECTION, at=at("2010-03-02 10:00"))
    case = engine.approve_case(case, at=at("2010-03-04 10:00"))
    case = engine.complete_case(case, at=at("2010-03-04 11:00"))
    pause = case.promised_timer.pauses.get()
    assert pause.ended_at == at("2010-03-04 11:00")
    assert case.promised_timer.paused_since is None


def test_a_pause_and_a_resume_read_the_time_after_waiting_for_the_case(hall, monkeypatch):
    """Another transition holds the case for five minutes: the pause starts, and ends, when this one
    gets the case, so two racing pauses and resumes cannot record overlapping intervals."""
    from datetime import timedelta

    from django.utils import timezone

    from yizhan.hall import pauses

    case = hall.accepted(when="2010-03-01 10:00")
    clock = [at("2010-03-02 10:00")]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    take_lock = pauses.locked

    def held_for_five_minutes(*args, **kwargs):
        clock[0] += timedelta(minutes=5)
        return take_lock(*args, **kwargs)

    monkeypatch.setattr(pauses, "locked", held_for_five_minutes)
    case = pause_case(case, reason=PauseReason.HEARING, actor=hall.clerk)
    assert case.promised_timer.paused_since == at("2010-03-02 10:05")
    clock[0] = at("2010-03-02 11:00")
    case = resume_case(case, actor=hall.clerk)
    [pause] = case.promised_timer.pauses.all()
    assert (pause.started_at, pause.ended_at) == (at("2010-03-02 10:05"), at("2010-03-02 11:05"))
