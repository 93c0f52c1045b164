from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from yizhan.clock.accountability import breached_timers, open_record, refresh_days_overdue
from yizhan.clock.errors import ClockError
from yizhan.clock.limits import Limit
from yizhan.clock.models import AccountabilityRecord, PauseReason
from yizhan.clock.timers import pause_timer, resume_timer, start_timer, stop_timer, timers_for
from yizhan.clock.warnings import Level
from yizhan.org.models import OrgUnit

TZ = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(m, d, h=10):
    return datetime(2010, m, d, h, tzinfo=TZ)


@pytest.fixture
def subject():
    return OrgUnit.objects.create(code="C", name="中心", kind="center")


def test_pause_for_expert_review_pushes_the_deadline(subject):
    t = start_timer(subject, "statutory", Limit.days(5), at=at(3, 1))
    assert t.deadline.astimezone(TZ).date() == date(2010, 3, 8)
    pause_timer(t, reason=PauseReason.EXPERT_REVIEW, at=at(3, 2), note="专家评审会")
    assert t.level(at(3, 20)) == Level.PAUSED
    resume_timer(t, at=at(3, 5))  # Tue, Wed, Thu paused
    t.refresh_from_db()
    assert t.deadline.astimezone(TZ).date() == date(2010, 3, 11)
    assert [p.reason for p in t.pauses.all()] == [PauseReason.EXPERT_REVIEW]
    assert timers_for(subject).get() == t


def test_illegal_clock_operations_are_refused(subject):
    t = start_timer(subject, "promised", Limit.days(5), at=at(3, 1))
    with pytest.raises(ClockError):
        resume_timer(t, at=at(3, 2))
    pause_timer(t, reason=PauseReason.SUPPLEMENT, at=at(3, 2))
    with pytest.raises(ClockError):
        pause_timer(t, reason=PauseReason.HEARING, at=at(3, 3))
    stop_timer(t, at=at(3, 4))  # closes the open pause first
    assert t.pauses.get().ended_at == at(3, 4)
    with pytest.raises(ClockError):
        stop_timer(t, at=at(3, 5))
    with pytest.raises(ClockError):
        pause_timer(t, reason=PauseReason.HEARING, at=at(3, 5))


def test_accountability_record_is_created_once_with_days_overdue(subject):
    t = start_timer(subject, "statutory", Limit.days(1), at=at(3, 1), accountable=True, responsible_unit=subject)
    other = start_timer(subject, "promised", Limit.days(1), at=at(3, 1))  # not accountable
    assert list(breached_timers(at(3, 2, 23))) == []
    assert list(breached_timers(at(3, 4))) == [t]
    record, created = open_record(t, now=at(3, 4))
    assert created and record.days_overdue == 2 and record.responsible_unit == subject
    again, created = open_record(t, now=at(3, 5))
    assert not created and again.pk == record.pk
    assert list(breached_timers(at(3, 10))) == []
    assert refresh_days_overdue(at(3, 8)) == 1
    record.refresh_from_db()
    assert record.days_overdue == 4
    assert AccountabilityRecord.objects.count() == 1
    assert other.accountable is False


def test_a_timer_stopped_late_is_a_breach_and_one_stopped_in_time_is_not(subject):
    late = start_timer(subject, "statutory", Limit.days(1), at=at(3, 1), accountable=True)
    on_time = start_timer(subject, "statutory", Limit.days(1), at=at(3, 1), accountable=True)
    stop_timer(late, at=at(3, 3))
    stop_timer(on_time, at=at(3, 2, 16))
    assert list(breached_timers(at(3, 10))) == [late]
    record, _ = open_record(late, now=at(3, 10))
    assert record.days_overdue == 1  # measured at the stop, not at the sweep
