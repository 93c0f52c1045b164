"""One-time notice (Art. 32): all missing materials at once, printable, within 5 working days, and no
new demands later without a supervisor's recorded override."""

import pytest

from tests.factories import at
from yizhan.audit.models import AuditEvent
from yizhan.clock.models import PauseReason
from yizhan.errors import IllegalTransition, NotPermitted
from yizhan.hall import cases as engine
from yizhan.hall.errors import NoticeRefused
from yizhan.hall.models import NoticeState
from yizhan.hall.notices import (
    issue_notice,
    mark_applicable,
    missing_materials,
    receive_materials,
    render_notice,
)


def test_missing_is_checklist_minus_received_with_conditionals_only_when_applicable(hall):
    case = hall.receive()
    assert missing_materials(case) == [hall.a, hall.b]
    mark_applicable(case, hall.c, at=at("2010-03-01 09:05"), actor=hall.clerk)
    receive_materials(case, [hall.a], at=at("2010-03-01 09:10"), actor=hall.clerk)
    assert missing_materials(case) == [hall.b, hall.c]


def test_notice_lists_everything_missing_at_once_and_prints(hall):
    case = hall.receive()
    mark_applicable(case, hall.c, at=at("2010-03-01 09:05"))
    receive_materials(case, [hall.a], at=at("2010-03-01 09:10"))
    notice = issue_notice(case, at=at("2010-03-03 10:00"), actor=hall.clerk)
    assert [i.name for i in notice.items.all()] == ["营业执照", "授权委托书"]
    html = render_notice(notice)
    assert case.case_no in html and "营业执照" in html and "授权委托书" in html and "复印件" in html
    assert "第三十二条" in html and "2010年3月1日" in html
    event = AuditEvent.objects.filter(action="hall.notice.issued").get()
    assert event.changes["materials"] == ["营业执照", "授权委托书"] and event.changes["late"] is False


def test_notice_timer_runs_five_working_days_from_receipt_and_stops_on_issue(hall):
    case = hall.receive(when="2010-03-01 09:00")
    assert case.notice_timer.deadline == at("2010-03-08 23:59:59.999999")
    assert case.notice_timer.level(at("2010-03-08 10:00")) == "red"
    issue_notice(case, at=at("2010-03-05 16:00"), actor=hall.clerk)
    case.notice_timer.refresh_from_db()
    assert case.notice_timer.stopped_at == at("2010-03-05 16:00")
    assert not case.notice_timer.overdue_at_stop


def test_late_notice_is_recorded_as_late(hall):
    case = hall.receive(when="2010-03-01 09:00")
    issue_notice(case, at=at("2010-03-09 09:00"), actor=hall.clerk)
    case.notice_timer.refresh_from_db()
    assert case.notice_timer.overdue_at_stop
    assert AuditEvent.objects.get(action="hall.notice.issued").changes["late"] is True


def test_nothing_missing_means_no_notice(hall):
    case = hall.receive()
    receive_materials(case, [hall.a, hall.b], at=at("2010-03-01 09:10"))
    with pytest.raises(NoticeRefused) as info:
        issue_notice(case, at=at("2010-03-01 09:20"))
    assert info.value.rule == "nothing_missing"


def test_case_waits_for_supplements_and_accepts_once_they_arrive(hall):
    case = hall.receive()
    issue_notice(case, at=at("2010-03-01 10:00"), actor=hall.clerk)
    with pytest.raises(IllegalTransition) as info:
        engine.accept_case(case, at=at("2010-03-02 10:00"))
    assert info.value.rule == "awaiting_supplement"
    receive_materials(case, [hall.a], at=at("2010-03-03 10:00"))
    case.refresh_from_db()
    assert case.awaiting_supplement
    receive_materials(case, [hall.b], at=at("2010-03-04 10:00"))
    case.refresh_from_db()
    assert not case.awaiting_supplement
    assert case.notices.get().state == NoticeState.SATISFIED
    assert engine.accept_case(case, at=at("2010-03-04 11:00")).state == "accepted"


def test_notice_on_an_accepted_case_pauses_its_clock_until_supplied(hall):
    case = hall.accepted(when="2010-03-01 09:00")
    issue_notice(case, at=at("2010-03-02 10:00"), actor=hall.clerk)
    case.refresh_from_db()
    assert case.promised_timer.paused_since == at("2010-03-02 10:00")
    assert case.promised_timer.pauses.get().reason == PauseReason.SUPPLEMENT
    receive_materials(case, [hall.a, hall.b], at=at("2010-03-04 10:00"))
    case.refresh_from_db()
    assert case.promised_timer.paused_since is None
    # Paused Tuesday 2 and Wednesday 3 March: the promised deadline moves from 8 to 10 March.
    assert case.promised_timer.deadline == at("2010-03-10 23:59:59.999999")


def test_later_notice_cannot_add_a_material_the_first_did_not_list(hall):
    case = hall.receive()
    first = issue_notice(case, at=at("2010-03-01 10:00"), actor=hall.clerk)
    mark_applicable(case, hall.c, at=at("2010-03-02 09:00"), actor=hall.clerk)
    with pytest.raises(NoticeRefused) as info:
        issue_notice(case, at=at("2010-03-02 10:00"), actor=hall.clerk)
    assert (info.value.field, info.value.rule) == ("materials", "not_in_first_notice")
    assert "授权委托书" in info.value.message
    # A clerk or department head cannot override; a supervisor must, and must say why.
    with pytest.raises(NotPermitted):
        issue_notice(case, at=at("2010-03-02 10:00"), actor=hall.clerk, override_by=hall.head,
                     override_reason="申请人后来说明由他人代办")
    with pytest.raises(NoticeRefused) as info:
        issue_notice(case, at=at("2010-03-02 10:00"), actor=hall.clerk, override_by=hall.supervisor)
    assert info.value.field == "override_reason"
    assert case.notices.count() == 1
    second = issue_notice(case, at=at("2010-03-02 10:00"), actor=hall.clerk, override_by=hall.supervisor,
                          override_reason="申请人后来说明由他人代办")
    assert second.seq == 2 and second.override_by == hall.supervisor
    assert [i.name for i in second.items.all()] == ["申请书", "营业执照", "授权委托书"]
    first.refresh_from_db()
    assert first.state == NoticeState.SUPERSEDED
    event = AuditEvent.objects.filter(action="hall.notice.issued").last()
    assert event.changes["override_reason"] == "申请人后来说明由他人代办"
    assert event.changes["override_by"] == hall.supervisor.pk


def test_repeating_the_first_notice_needs_no_override(hall):
    case = hall.receive()
    issue_notice(case, at=at("2010-03-01 10:00"), actor=hall.clerk)
    receive_materials(case, [hall.a], at=at("2010-03-02 10:00"))
    reminder = issue_notice(case, at=at("2010-03-03 10:00"), actor=hall.clerk)
    assert [i.name for i in reminder.items.all()] == ["营业执照"]
