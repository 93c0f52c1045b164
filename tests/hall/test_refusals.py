"""Refusal gatekeeping: reason and legal basis from the handler, confirmation by a second person with
the right role over the window; nothing changes for the applicant before that."""

import pytest

from tests.factories import at
from yizhan.audit.models import AuditEvent
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.hall import cases as engine
from yizhan.hall.case_detail import public_status
from yizhan.hall.models import CaseState, Outcome, RefusalState
from yizhan.hall.refusals import confirm_refusal, reject_refusal, request_refusal

BASIS = "《中华人民共和国行政许可法》第三十二条第一款第（一）项"


def ask(case, by, kind="refuse_to_accept", reason="申请事项依法不需要取得行政许可", basis=BASIS):
    return request_refusal(case, kind=kind, reason=reason, legal_basis=basis, by=by, at=at("2010-03-01 10:00"))


@pytest.mark.parametrize(("field", "kwargs"), [("reason", {"reason": " "}), ("legal_basis", {"basis": ""})])
def test_refusal_needs_reason_and_legal_basis(hall, field, kwargs):
    case = hall.receive()
    with pytest.raises(InvalidInput) as info:
        ask(case, hall.clerk, **kwargs)
    assert info.value.field == field
    assert not case.refusals.exists()


def test_pending_refusal_changes_nothing_the_applicant_sees(hall):
    case = hall.receive()
    before = public_status(case)
    ask(case, hall.clerk)
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED and case.pending_refusal
    assert public_status(case) == before
    # While it waits, the case cannot be pushed on either.
    with pytest.raises(IllegalTransition) as info:
        engine.accept_case(case, at=at("2010-03-01 11:00"))
    assert info.value.rule == "refusal_pending"
    with pytest.raises(IllegalTransition):
        ask(case, hall.clerk)


def test_the_handler_cannot_confirm_their_own_refusal(hall):
    case = hall.receive()
    refusal = ask(case, hall.head)
    with pytest.raises(NotPermitted) as info:
        confirm_refusal(refusal, by=hall.head, at=at("2010-03-01 11:00"))
    assert info.value.rule == "second_person"


@pytest.mark.parametrize("who", ["clerk2", "head2"])
def test_confirmer_needs_head_or_supervisor_role_over_the_window(hall, who):
    case = hall.receive()
    refusal = ask(case, hall.clerk)
    with pytest.raises(NotPermitted) as info:
        confirm_refusal(refusal, by=getattr(hall, who), at=at("2010-03-01 11:00"))
    assert (info.value.field, info.value.rule) == ("by", "reviewer_role")
    refusal.refresh_from_db()
    case.refresh_from_db()
    assert refusal.state == RefusalState.PENDING and case.state == CaseState.SUBMITTED


def test_confirmed_refusal_to_accept_closes_the_case(hall):
    case = hall.receive()
    refusal = confirm_refusal(ask(case, hall.clerk), by=hall.head, note="同意", at=at("2010-03-01 11:00"))
    case.refresh_from_db()
    assert refusal.state == RefusalState.CONFIRMED and refusal.reviewed_by == hall.head
    assert (case.state, case.outcome) == (CaseState.REFUSED_TO_ACCEPT, Outcome.REFUSED_TO_ACCEPT)
    assert case.closed_at == at("2010-03-01 11:00") and case.completed_at is None
    assert case.notice_timer.stopped_at == at("2010-03-01 11:00")
    assert public_status(case)["state"] == "refused_to_accept"
    event = AuditEvent.objects.filter(object_id=str(case.pk), action="hall.case.refused_to_accept").get()
    assert event.changes["legal_basis"] == BASIS and event.changes["confirmed_by"] == hall.head.pk


def test_confirmed_refusal_of_approval_decides_then_completes(hall):
    case = engine.start_review(hall.accepted(), at=at("2010-03-01 09:30"))
    with pytest.raises(IllegalTransition):
        ask(hall.accepted(), hall.clerk, kind="refuse_approval")  # not yet under review
    confirm_refusal(ask(case, hall.clerk, kind="refuse_approval", reason="现场核查不符合条件"),
                    by=hall.supervisor, at=at("2010-03-02 10:00"))
    case.refresh_from_db()
    assert (case.state, case.outcome) == (CaseState.DECIDED, Outcome.REFUSED)
    case = engine.complete_case(case, at=at("2010-03-02 11:00"))
    assert case.state == CaseState.COMPLETED and case.outcome == Outcome.REFUSED


def test_approval_by_the_handler_cannot_bypass_a_pending_refusal(hall):
    case = engine.start_review(hall.accepted(), at=at("2010-03-01 09:30"))
    ask(case, hall.clerk, kind="refuse_approval")
    with pytest.raises(IllegalTransition):
        engine.approve_case(case, at=at("2010-03-01 12:00"))


def test_rejected_refusal_goes_back_to_the_handler(hall):
    case = hall.receive()
    refusal = ask(case, hall.clerk)
    with pytest.raises(InvalidInput) as info:
        reject_refusal(refusal, by=hall.head, note="", at=at("2010-03-01 11:00"))
    assert info.value.field == "note"
    refusal = reject_refusal(refusal, by=hall.head, note="材料可补正，应一次性告知", at=at("2010-03-01 11:00"))
    case.refresh_from_db()
    assert refusal.state == RefusalState.REJECTED and not case.pending_refusal
    assert case.state == CaseState.SUBMITTED
    with pytest.raises(IllegalTransition):
        confirm_refusal(refusal, by=hall.supervisor, at=at("2010-03-01 12:00"))
    assert engine.accept_case(case, at=at("2010-03-01 12:00")).state == CaseState.ACCEPTED


def test_refusal_needs_a_named_person(hall):
    case = hall.receive()
    with pytest.raises(NotPermitted) as info:
        ask(case, None)
    assert info.value.rule == "person_required"


def test_withdrawal_sets_a_pending_refusal_aside(hall):
    case = hall.receive()
    refusal = ask(case, hall.clerk)
    case = engine.withdraw_case(case, reason="申请人撤回", at=at("2010-03-01 12:00"))
    refusal.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN and not case.pending_refusal
    assert refusal.state == RefusalState.REJECTED
    event = AuditEvent.objects.get(object_id=str(case.pk), action="hall.case.withdrawn")
    assert event.changes["refusals_dropped"] == [refusal.pk]
