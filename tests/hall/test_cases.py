"""The case state machine: every legal transition, the illegal ones refused, timers, numbers, audit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import at
from yizhan.audit.models import AuditEvent
from yizhan.clock.models import Timer
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.hall import cases as engine
from yizhan.hall.models import Case, CaseState, Outcome


def events(case):
    return list(AuditEvent.objects.filter(object_type="hall.case", object_id=str(case.pk)).values_list("action", flat=True))


def test_receipt_numbers_cases_by_local_date_and_daily_sequence(hall):
    first = hall.receive(when="2010-03-01 09:00")
    second = hall.receive(when="2010-03-01 23:30")
    # 00:30 local on 2 March is still 1 March in UTC: the number follows the local date.
    third = hall.receive(when="2010-03-02 00:30")
    assert [first.case_no, second.case_no, third.case_no] == [
        "KP-20100301-00001", "KP-20100301-00002", "KP-20100302-00001"]


def test_case_prefix_is_a_setting(hall, settings):
    settings.YIZHAN_CASE_PREFIX = "TS"
    assert hall.receive().case_no == "TS-20100301-00001"


def test_receipt_starts_the_notice_timer_and_denormalises_the_department(hall):
    case = hall.receive()
    assert case.state == CaseState.SUBMITTED
    assert case.department == hall.d1
    assert case.handler == hall.clerk
    assert case.notice_timer.purpose == "notice"
    assert case.notice_timer.deadline == at("2010-03-08 23:59:59.999999")
    assert events(case) == ["hall.case.received"]


def test_full_path_submitted_to_completed(hall):
    case = hall.receive()
    case = engine.accept_case(case, at=at("2010-03-01 10:00"), actor=hall.clerk)
    assert case.state == CaseState.ACCEPTED
    assert case.notice_timer.stopped_at == at("2010-03-01 10:00")
    assert case.promised_timer.deadline == at("2010-03-08 23:59:59.999999")
    assert case.statutory_timer.deadline == at("2010-03-29 23:59:59.999999")
    assert case.statutory_timer.accountable and not case.promised_timer.accountable
    assert case.promised_timer.responsible_user == hall.clerk
    assert case.promised_timer.responsible_unit == hall.w11
    case = engine.start_review(case, at=at("2010-03-02 09:00"), actor=hall.clerk)
    assert case.state == CaseState.UNDER_REVIEW
    case = engine.approve_case(case, at=at("2010-03-04 09:00"), actor=hall.clerk)
    assert (case.state, case.outcome, case.decided_at) == (CaseState.DECIDED, Outcome.APPROVED,
                                                          at("2010-03-04 09:00"))
    case = engine.complete_case(case, at=at("2010-03-05 09:00"), actor=hall.clerk)
    assert case.state == CaseState.COMPLETED
    assert case.completed_at == case.closed_at == at("2010-03-05 09:00")
    assert case.promised_timer.stopped_at == case.statutory_timer.stopped_at == at("2010-03-05 09:00")
    assert events(case) == ["hall.case.received", "hall.case.accepted", "hall.case.under_review",
                            "hall.case.decided", "hall.case.completed"]
    # The figures can compare in SQL: completed by the promised deadline.
    assert Case.objects.filter(completed_at__lte=F_promised()).count() == 1


def F_promised():
    from django.db.models import F

    return F("promised_timer__deadline")


def test_receive_with_accept_does_both_in_one_step_without_a_notice_timer(hall):
    case = hall.accepted(when="2010-03-01 09:00")
    assert case.state == CaseState.ACCEPTED and case.accepted_at == at("2010-03-01 09:00")
    assert case.notice_timer is None
    assert events(case) == ["hall.case.received", "hall.case.accepted"]


ILLEGAL = [
    # (how far the case gets, the forbidden step)
    ("submitted", engine.start_review),
    ("submitted", engine.approve_case),
    ("submitted", engine.complete_case),
    ("accepted", engine.accept_case),
    ("accepted", engine.approve_case),
    ("accepted", engine.complete_case),
    ("under_review", engine.accept_case),
    ("under_review", engine.complete_case),
    ("decided", engine.withdraw_case),
    ("decided", engine.start_review),
    ("completed", engine.withdraw_case),
    ("completed", engine.complete_case),
    ("withdrawn", engine.accept_case),
]


def advance(hall, state):
    case = hall.receive()
    steps = [engine.accept_case, engine.start_review, engine.approve_case, engine.complete_case]
    if state == "withdrawn":
        return engine.withdraw_case(case, at=at("2010-03-01 10:00"))
    for step in steps:
        if case.state == state:
            break
        case = step(case, at=at("2010-03-01 10:00"), actor=hall.clerk)
    return case


@pytest.mark.parametrize(("state", "step"), ILLEGAL, ids=[f"{s}-{f.__name__}" for s, f in ILLEGAL])
def test_illegal_transitions_are_refused_and_change_nothing(hall, state, step):
    case = advance(hall, state)
    before = (case.state, len(events(case)), Timer.objects.count())
    with pytest.raises(IllegalTransition) as info:
        step(case, at=at("2010-03-02 10:00"), actor=hall.clerk)
    assert info.value.field == "state"
    assert info.value.rule.startswith("illegal_transition.")
    case.refresh_from_db()
    assert (case.state, len(events(case)), Timer.objects.count()) == before


def test_withdrawal_from_each_open_state_stops_every_timer(hall):
    for state in ("submitted", "accepted", "under_review"):
        case = advance(hall, state)
        case = engine.withdraw_case(case, reason="申请人撤回", at=at("2010-03-02 10:00"), actor=hall.clerk)
        assert (case.state, case.outcome, case.closed_at) == (CaseState.WITHDRAWN, Outcome.WITHDRAWN,
                                                              at("2010-03-02 10:00"))
        assert case.completed_at is None
        running_until_now = [case.promised_timer, case.statutory_timer] if case.accepted_at else [case.notice_timer]
        assert [t.stopped_at for t in running_until_now] == [at("2010-03-02 10:00")] * len(running_until_now)


def test_on_the_spot_completion_in_one_step_on_the_day_of_acceptance(hall):
    case = hall.accepted(hall.spot, when="2010-03-01 09:00")
    case = engine.complete_on_the_spot(case, at=at("2010-03-01 09:20"), actor=hall.clerk)
    assert (case.state, case.outcome) == (CaseState.COMPLETED, Outcome.APPROVED)
    assert case.decided_at == case.completed_at == at("2010-03-01 09:20")
    # On-the-spot matters promise the day of acceptance: 0 working days.
    assert case.promised_timer.deadline == at("2010-03-01 23:59:59.999999")


def test_on_the_spot_completion_refused_the_next_day_and_for_promised_matters(hall):
    spot = hall.accepted(hall.spot, when="2010-03-01 23:50")
    with pytest.raises(IllegalTransition) as info:
        engine.complete_on_the_spot(spot, at=at("2010-03-02 00:10"))
    assert info.value.rule == "on_the_spot_same_day"
    promised = hall.accepted(hall.lic)
    with pytest.raises(IllegalTransition) as info:
        engine.complete_on_the_spot(promised, at=at("2010-03-01 10:00"))
    assert (info.value.field, info.value.rule) == ("matter", "not_on_the_spot")


def test_time_cannot_run_backwards(hall):
    case = hall.receive(when="2010-03-02 09:00")
    with pytest.raises(InvalidInput) as info:
        engine.accept_case(case, at=at("2010-03-01 09:00"))
    assert info.value.field == "at"
    assert Case.objects.get(pk=case.pk).state == CaseState.SUBMITTED


def test_window_must_accept_the_matter(hall):
    with pytest.raises(InvalidInput) as info:
        hall.receive(hall.lic, hall.w21)
    assert (info.value.field, info.value.rule) == ("window", "window_does_not_accept")
    hall.lic.windows.set([hall.w12])
    with pytest.raises(InvalidInput):
        hall.receive(hall.lic, hall.w11)
    assert hall.receive(hall.lic, hall.w12).window == hall.w12
    assert not Case.objects.filter(window=hall.w11).exists()


def test_applicant_identifiers_are_checked_and_name_the_field(hall):
    person = hall.receive(applicant_id="11010519491231002x")
    assert person.applicant_id == "11010519491231002X"
    org = hall.receive(applicant_kind="organisation", applicant_id="91350100M000100Y43", applicant_name="某公司")
    assert org.applicant_id == "91350100M000100Y43"
    with pytest.raises(InvalidInput) as info:
        hall.receive(applicant_id="110105194912310021")
    assert (info.value.field, info.value.rule) == ("applicant_id", "resident_id_check_digit")
    with pytest.raises(InvalidInput) as info:
        hall.receive(applicant_kind="organisation", applicant_id="91350100M000100Y44")
    assert (info.value.field, info.value.rule) == ("applicant_id", "uscc_check_digit")
    with pytest.raises(InvalidInput) as info:
        hall.receive(applicant_name="", applicant_id="")
    assert info.value.field == "applicant_name"
    assert Case.objects.count() == 2


def test_failure_midway_leaves_nothing_half_written(hall, monkeypatch):
    case = hall.receive()
    counts = (Timer.objects.count(), AuditEvent.objects.count())

    def broken_audit(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine, "audit", broken_audit)
    monkeypatch.setattr(engine, "audit_event", broken_audit)
    with pytest.raises(RuntimeError):
        engine.accept_case(case, at=at("2010-03-01 10:00"), actor=hall.clerk)
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED and case.promised_timer_id is None
    assert case.notice_timer.stopped_at is None
    assert (Timer.objects.count(), AuditEvent.objects.count()) == counts


def test_handler_change_moves_responsibility_on_the_clock(hall):
    case = hall.accepted()
    case = engine.assign_handler(case, hall.clerk2, at=at("2010-03-02 09:00"), actor=hall.head)
    assert case.handler == hall.clerk2
    assert Timer.objects.get(pk=case.statutory_timer_id).responsible_user == hall.clerk2
    assert events(case)[-1] == "hall.case.handler_changed"


def test_a_case_cannot_be_handed_to_someone_from_another_department(hall):
    case = hall.accepted()
    with pytest.raises(InvalidInput) as err:
        engine.assign_handler(case, hall.head2, at=at("2010-03-02 09:00"), actor=hall.head)
    assert err.value.field == "handler" and err.value.rule == "not_at_window"
    case.refresh_from_db()
    assert case.handler == hall.clerk and events(case)[-1] != "hall.case.handler_changed"


def test_transitions_take_a_handful_of_queries(hall):
    case = hall.receive()
    with CaptureQueriesContext(connection) as accept_queries:
        case = engine.accept_case(case, at=at("2010-03-01 10:00"), actor=hall.clerk)
    with CaptureQueriesContext(connection) as receive_queries:
        hall.accepted(when="2010-03-01 11:00")
    # A replay pushes tens of thousands of cases through these: no per-case N+1 work.
    assert len(accept_queries) <= 10
    assert len(receive_queries) <= 14


def test_a_kept_legacy_number_must_be_unique(hall):
    hall.receive(case_no="KP-20100301-00007")
    with pytest.raises(InvalidInput) as info:
        hall.receive(case_no="KP-20100301-00007")
    assert (info.value.field, info.value.rule) == ("case_no", "duplicate")
    assert Case.objects.count() == 1
