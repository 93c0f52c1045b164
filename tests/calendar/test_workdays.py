from datetime import date

import pytest

from yizhan.calendar.workdays import WorkCalendar

cal = WorkCalendar()


def test_spring_festival_2010_is_off_and_its_makeup_weekend_is_worked():
    assert not any(cal.is_workday(date(2010, 2, d)) for d in range(13, 20))
    assert cal.is_workday(date(2010, 2, 20)) and cal.is_workday(date(2010, 2, 21))  # 调休 Sat and Sun


def test_counting_across_spring_festival_2010():
    # Friday 12 Feb: the next working day is the make-up Saturday 20 Feb.
    assert cal.add_workdays(date(2010, 2, 12), 1) == date(2010, 2, 20)
    assert cal.add_workdays(date(2010, 2, 12), 3) == date(2010, 2, 22)


def test_national_day_2010_and_makeup_days():
    assert not any(cal.is_workday(date(2010, 10, d)) for d in range(1, 8))
    assert cal.is_workday(date(2010, 9, 26))  # Sunday worked before the holiday
    assert cal.is_workday(date(2010, 10, 9))  # Saturday worked after it
    # Thursday 30 Sep + 2 working days = Friday 8 Oct, then the make-up Saturday 9 Oct.
    assert cal.add_workdays(date(2010, 9, 30), 1) == date(2010, 10, 8)
    assert cal.add_workdays(date(2010, 9, 30), 2) == date(2010, 10, 9)


def test_national_day_2026_makeup_saturday():
    assert cal.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert not cal.is_workday(date(2026, 10, 11))


def test_zero_working_days_is_the_start_day_even_on_a_holiday():
    assert cal.add_workdays(date(2010, 10, 3), 0) == date(2010, 10, 3)


def test_workdays_between_is_half_open_on_the_left():
    assert cal.workdays_between(date(2010, 2, 12), date(2010, 2, 22)) == 3
    assert cal.workdays_between(date(2010, 2, 22), date(2010, 2, 12)) == 0
    assert cal.workdays_in(date(2010, 2, 12), date(2010, 2, 21)) == 2  # 12th and 20th


def test_a_year_without_official_data_is_weekdays_and_provisional():
    assert cal.is_provisional(date(2027, 1, 4))
    assert not cal.is_provisional(date(2026, 12, 31))
    assert cal.is_workday(date(2027, 1, 1))  # a Friday: unknown holiday, counted as worked meanwhile
    assert not cal.is_workday(date(2027, 1, 2))
    assert cal.provisional_between(date(2026, 12, 20), date(2027, 1, 10))
    # Counting into 2027 works (Monday–Friday) instead of failing.
    assert cal.add_workdays(date(2026, 12, 30), 3) == date(2027, 1, 4)


def test_overrides_win_over_the_official_calendar():
    local = WorkCalendar({date(2010, 3, 1): False, date(2010, 3, 6): True})
    assert not local.is_workday(date(2010, 3, 1))
    assert local.is_workday(date(2010, 3, 6))
    assert local.add_workdays(date(2010, 2, 26), 1) == date(2010, 3, 2)


def test_imported_year_is_no_longer_provisional():
    imported = WorkCalendar({date(2027, 1, 1): False}, imported_years=[2027])
    assert not imported.is_provisional(date(2027, 6, 1))
    assert not imported.is_workday(date(2027, 1, 1))


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        cal.add_workdays(date(2010, 1, 4), -1)
