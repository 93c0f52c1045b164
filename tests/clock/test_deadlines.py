from datetime import date, timedelta

from tests.factories import at
from yizhan.calendar.workdays import WorkCalendar
from yizhan.clock.deadlines import compute_deadline, is_provisional, overdue_amount, paused_workdays
from yizhan.clock.limits import Limit, LimitUnit

cal = WorkCalendar()


def test_working_day_deadline_ends_at_the_last_moment_of_the_nth_working_day():
    deadline = compute_deadline(at("2010-03-01 10:00"), Limit.days(5), (), cal)  # Monday
    assert deadline.date() == date(2010, 3, 8)
    assert (deadline.hour, deadline.minute, deadline.second) == (23, 59, 59)


def test_start_day_does_not_count_even_when_accepted_at_dawn():
    assert compute_deadline(at("2010-03-01 00:01"), Limit.days(1), (), cal).date() == date(2010, 3, 2)


def test_zero_days_is_the_end_of_the_start_date():
    deadline = compute_deadline(at("2010-03-01 15:00"), Limit.days(0), (), cal)
    assert deadline.date() == date(2010, 3, 1) and deadline.hour == 23


def test_a_limit_spanning_national_day_2010_skips_the_holiday_and_counts_the_makeup_saturday():
    # Tue 28 Sep + 5 working days: 29, 30 Sep, 8 Oct (Fri), 9 Oct (make-up Sat), 11 Oct (Mon).
    assert compute_deadline(at("2010-09-28 10:00"), Limit.days(5), (), cal).date() == date(2010, 10, 11)


def test_accepted_on_a_makeup_saturday():
    # Sat 20 Feb 2010 is a working day; the next is Sun 21 Feb.
    assert compute_deadline(at("2010-02-20 10:00"), Limit.days(1), (), cal).date() == date(2010, 2, 21)


def test_pause_counts_its_start_day_but_not_its_end_day():
    pauses = [(at("2010-03-03 10:00"), at("2010-03-05 10:00"))]  # Wed to Fri: Wed and Thu are paused
    assert paused_workdays(pauses, cal) == 2
    assert compute_deadline(at("2010-03-01 10:00"), Limit.days(5), pauses, cal).date() == date(2010, 3, 10)


def test_pause_over_a_holiday_adds_only_working_days():
    pauses = [(at("2010-09-30 10:00"), at("2010-10-08 10:00"))]  # only Thu 30 Sep is a working day in [30 Sep, 8 Oct)
    assert paused_workdays(pauses, cal) == 1


def test_pause_started_and_ended_on_the_same_day_adds_nothing():
    assert paused_workdays([(at("2010-03-03 09:00"), at("2010-03-03 17:00"))], cal) == 0


def test_open_pause_counts_through_today():
    pauses = [(at("2010-03-03 10:00"), None)]
    assert paused_workdays(pauses, cal, now=at("2010-03-04 10:00")) == 2


def test_hour_limits_run_around_the_clock_and_pauses_add_their_duration():
    start = at("2010-10-01 23:30")  # a holiday night: hours still run
    assert compute_deadline(start, Limit.hours(2), (), cal) == start + timedelta(hours=2)
    pauses = [(start + timedelta(minutes=30), start + timedelta(minutes=75))]
    assert compute_deadline(start, Limit.hours(2), pauses, cal) == start + timedelta(hours=2, minutes=45)


def test_deadline_into_a_year_without_data_is_provisional():
    start = at("2026-12-24 10:00")
    deadline = compute_deadline(start, Limit.days(10), (), cal)
    assert deadline.year == 2027
    assert is_provisional(start, deadline, Limit.days(10), cal)
    assert not is_provisional(at("2026-03-02 10:00"), compute_deadline(at("2026-03-02 10:00"), Limit.days(10), (), cal),
                              Limit.days(10), cal)


def test_overdue_amount_in_working_days_and_hours():
    deadline = compute_deadline(at("2010-03-01 10:00"), Limit.days(1), (), cal)  # end of Tue 2 Mar
    assert overdue_amount(deadline, at("2010-03-02 18:00"), LimitUnit.WORKING_DAYS, cal) == 0
    assert overdue_amount(deadline, at("2010-03-03 09:00"), LimitUnit.WORKING_DAYS, cal) == 1
    assert overdue_amount(deadline, at("2010-03-08 09:00"), LimitUnit.WORKING_DAYS, cal) == 4  # Wed–Fri, Mon
    # Late only by a weekend still counts as one day overdue.
    friday = compute_deadline(at("2010-03-04 10:00"), Limit.days(1), (), cal)
    assert overdue_amount(friday, at("2010-03-06 09:00"), LimitUnit.WORKING_DAYS, cal) == 1
    h = at("2010-03-01 12:00")
    assert overdue_amount(h, h + timedelta(minutes=61), LimitUnit.HOURS, cal) == 2
