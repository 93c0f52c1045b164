from datetime import date

import pytest

from tests.factories import TZ, at
from yizhan.clock.accountability import breached_timers, open_record, refresh_days_overdue
from yizhan.clock.errors import ClockError
from yizhan.clock.limits import Limit
from yizhan.clock.models import AccountabilityRecord, PauseReason
from yizhan.clock.timers import pause_timer, resume_timer, start_timer, stop_timer, timers_for
from yizhan.clock.warnings import Level
from yizhan.org.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return OrgUnit.objects.create(code="C", name="中心", kind="center")


def test_pause_for_expert_review_pushes_the_deadline(subject):
    t = start_timer(subject, "statutory", Limit.days(5), at=at("2010-03-01 10:00"))
    assert t.deadline.astimezone(TZ).date() == date(2010, 3, 8)
    pause_timer(t, reason=PauseReason.EXPERT_REVIEW, at=at("2010-03-02 10:00"), note="专家评审会")
    assert t.level(at("2010-03-20 10:00")) == Level.PAUSED
    resume_timer(t, at=at("2010-03-05 10:00"))  # Tue, Wed, Thu paused
    t.refresh_from_db()
    assert t.deadline.astimezone(TZ).date() == date(2010, 3, 11)
    assert [p.reason for p in t.pauses.all()] == [PauseReason.EXPERT_REVIEW]
    assert timers_for(subject).get() == t


def test_illegal_clock_operations_are_refused(subject):
    t = start_timer(subject, "promised", Limit.days(5), at=at("2010-03-01 10:00"))
    with pytest.raises(ClockError):
        resume_timer(t, at=at("2010-03-02 10:00"))
    pause_timer(t, reason=PauseReason.SUPPLEMENT, at=at("2010-03-02 10:00"))
    with pytest.raises(ClockError):
        pause_timer(t, reason=PauseReason.HEARING, at=at("2010-03-03 10:00"))
    stop_timer(t, at=at("2010-03-04 10:00"))  # closes the open pause first
    assert t.pauses.get().ended_at == at("2010-03-04 10:00")
    with pytest.raises(ClockError):
        stop_timer(t, at=at("2010-03-05 10:00"))
    with pytest.raises(ClockError):
        pause_timer(t, reason=PauseReason.HEARING, at=at("2010-03-05 10:00"))


def test_accountability_record_is_created_once_with_days_overdue(subject):
    t = start_timer(subject, "statutory", Limit.days(1), at=at("2010-03-01 10:00"), accountable=True, responsible_unit=subject)
    other = start_timer(subject, "promised", Limit.days(1), at=at("2010-03-01 10:00"))  # not accountable
    assert list(breached_timers(at("2010-03-02 23:00"))) == []
    assert list(breached_timers(at("2010-03-04 10:00"))) == [t]
    record, created = open_record(t, now=at("2010-03-04 10:00"))
    assert created and record.days_overdue == 2 and record.responsible_unit == subject
    again, created = open_record(t, now=at("2010-03-05 10:00"))
    assert not created and again.pk == record.pk
    assert list(breached_timers(at("2010-03-10 10:00"))) == []
    assert refresh_days_overdue(at("2010-03-08 10:00")) == 1
    record.refresh_from_db()
    assert record.days_overdue == 4
    assert AccountabilityRecord.objects.count() == 1
    assert other.accountable is False


def test_a_timer_stopped_late_is_a_breach_and_one_stopped_in_time_is_not(subject):
    late = start_timer(subject, "statutory", Limit.days(1), at=at("2010-03-01 10:00"), accountable=True)
    on_time = start_timer(subject, "statutory", Limit.days(1), at=at("2010-03-01 10:00"), accountable=True)
    stop_timer(late, at=at("2010-03-03 10:00"))
    stop_timer(on_time, at=at("2010-03-02 16:00"))
    assert list(breached_timers(at("2010-03-10 10:00"))) == [late]
    record, _ = open_record(late, now=at("2010-03-10 10:00"))
    assert record.days_overdue == 1  # measured at the stop, not at the sweep
