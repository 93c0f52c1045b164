from dataclasses import dataclass
from datetime import datetime, timedelta

from tests.factories import TZ, at
from yizhan.calendar.workdays import WorkCalendar
from yizhan.clock.deadlines import compute_deadline
from yizhan.clock.limits import Limit
from yizhan.clock.warnings import Level, WarningPolicy, warning_level

cal = WorkCalendar()


@dataclass
class T:
    limit_amount: int
    limit_unit: str
    deadline: datetime
    paused_since: datetime | None = None
    stopped_at: datetime | None = None


def timer(start: datetime, limit: Limit) -> T:
    return T(limit.amount, limit.unit, compute_deadline(start, limit, (), cal))


def test_twenty_day_limit_goes_yellow_with_four_working_days_left():
    t = timer(at("2010-03-01 10:00"), Limit.days(20))  # Mon 1 Mar → Mon 29 Mar
    assert t.deadline.date().day == 29
    assert warning_level(t, at("2010-03-22 10:00"), cal) == Level.NORMAL  # 5 working days left
    assert warning_level(t, at("2010-03-23 10:00"), cal) == Level.YELLOW  # 4 left = 20 %
    assert warning_level(t, at("2010-03-29 08:00"), cal) == Level.RED  # the deadline day
    assert warning_level(t, datetime(2010, 3, 30, 0, 0, tzinfo=TZ), cal) == Level.OVERDUE


def test_short_limit_goes_yellow_one_working_day_before():
    t = timer(at("2010-03-01 10:00"), Limit.days(3))  # → Thu 4 Mar
    assert warning_level(t, at("2010-03-02 10:00"), cal) == Level.NORMAL
    assert warning_level(t, at("2010-03-03 10:00"), cal) == Level.YELLOW
    assert warning_level(t, at("2010-03-04 10:00"), cal) == Level.RED


def test_share_is_configurable():
    t = timer(at("2010-03-01 10:00"), Limit.days(20))
    assert warning_level(t, at("2010-03-22 10:00"), cal, WarningPolicy(yellow_share=0.5)) == Level.YELLOW


def test_paused_and_stopped_timers_do_not_warn():
    t = timer(at("2010-03-01 10:00"), Limit.days(1))
    t.paused_since = at("2010-03-02 10:00")
    assert warning_level(t, at("2010-03-20 10:00"), cal) == Level.PAUSED
    t.paused_since, t.stopped_at = None, at("2010-03-02 10:00")
    assert warning_level(t, at("2010-03-20 10:00"), cal) == Level.STOPPED


def test_hour_limits_warn_on_the_clock():
    start = at("2010-03-01 10:00")
    t = timer(start, Limit.hours(24))  # e.g. a signal to verify within 24 hours
    assert warning_level(t, start + timedelta(hours=19), cal) == Level.NORMAL
    assert warning_level(t, start + timedelta(hours=20), cal) == Level.YELLOW  # 4 h left ≤ 20 %
    assert warning_level(t, start + timedelta(hours=22), cal) == Level.RED  # 2 h left ≤ 10 %
    assert warning_level(t, start + timedelta(hours=24, seconds=1), cal) == Level.OVERDUE
    short = timer(start, Limit.hours(2))  # a Class A report: yellow in the last hour
    assert warning_level(short, start + timedelta(minutes=59), cal) == Level.NORMAL
    assert warning_level(short, start + timedelta(minutes=61), cal) == Level.YELLOW
