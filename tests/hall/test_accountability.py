"""Accountability: one record per case past its statutory deadline, naming handler, window and department."""

from django.core.management import call_command

from tests.factories import at
from yizhan.audit.models import AuditEvent
from yizhan.clock.models import AccountabilityRecord, PauseReason
from yizhan.hall import cases as engine
from yizhan.hall.accountability import sweep
from yizhan.hall.pauses import pause_case


def test_sweep_records_an_overdue_case_once(hall):
    case = hall.accepted(when="2010-03-01 10:00")  # statutory deadline: end of Monday 29 March
    on_time = hall.accepted(when="2010-03-15 10:00")
    assert sweep(at("2010-03-29 18:00")) == []
    records = sweep(at("2010-03-31 10:00"))
    assert len(records) == 1
    record = records[0]
    assert record.subject_id == str(case.pk)
    assert (record.responsible_user, record.responsible_unit, record.department) == (hall.clerk, hall.w11, hall.d1)
    assert record.days_overdue == 2
    assert sweep(at("2010-04-01 10:00")) == []
    assert AccountabilityRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action="hall.case.accountability", object_id=str(case.pk)).count() == 1
    assert not AccountabilityRecord.objects.filter(subject_id=str(on_time.pk)).exists()


def test_late_completion_records_at_once_and_the_sweep_adds_nothing(hall):
    case = engine.start_review(hall.accepted(when="2010-03-01 10:00"), at=at("2010-03-01 11:00"))
    case = engine.approve_case(case, at=at("2010-03-30 10:00"))
    case = engine.complete_case(case, at=at("2010-04-01 10:00"))
    record = AccountabilityRecord.objects.get()
    assert record.subject_id == str(case.pk) and record.days_overdue == 3
    assert sweep(at("2010-04-02 10:00")) == []
    assert AccountabilityRecord.objects.count() == 1


def test_paused_case_is_not_overdue(hall):
    case = hall.accepted(when="2010-03-01 10:00")
    pause_case(case, reason=PauseReason.HEARING, at=at("2010-03-25 10:00"))
    assert sweep(at("2010-03-31 10:00")) == []


def test_completion_on_time_creates_no_record(hall):
    case = engine.start_review(hall.accepted(), at=at("2010-03-01 11:00"))
    engine.complete_case(engine.approve_case(case, at=at("2010-03-29 10:00")), at=at("2010-03-29 17:00"))
    assert sweep(at("2010-05-01 10:00")) == []


def test_sweep_command_with_at(hall, capsys):
    hall.accepted(when="2010-03-01 10:00")
    call_command("hall", "sweep", "--at", "2010-03-31T10:00")
    call_command("hall", "sweep", "--at", "2010-03-31T11:00")
    out = capsys.readouterr().out
    assert "新建问责记录 1 条" in out and "新建问责记录 0 条" in out
    assert AccountabilityRecord.objects.count() == 1


def test_days_overdue_follow_an_open_case_and_are_final_at_completion(hall):
    case = hall.accepted(when="2010-03-01 10:00")  # statutory deadline: end of Monday 29 March
    (record,) = sweep(at("2010-03-31 10:00"))
    assert record.days_overdue == 2
    assert sweep(at("2010-04-02 10:00")) == []
    record.refresh_from_db()
    assert record.days_overdue == 4  # Tue 30 Mar – Fri 2 Apr
    assert AuditEvent.objects.filter(action="clock.accountability.days_overdue_refreshed").count() == 1
    case = engine.start_review(case, at=at("2010-04-05 09:00"))
    case = engine.approve_case(case, at=at("2010-04-05 10:00"))
    engine.complete_case(case, at=at("2010-04-06 10:00"))
    record.refresh_from_db()
    assert record.days_overdue == 5  # at the completion, Tue 6 April (Mon 5 April 2010 is Qingming)
    sweep(at("2010-05-03 10:00"))
    record.refresh_from_db()
    assert record.days_overdue == 5 and AccountabilityRecord.objects.count() == 1
