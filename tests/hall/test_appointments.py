"""Extended hours (延时服务): appointments only outside office hours, a half hour's places, the clerk's
day list, and the case received from an appointment on the same clock."""

import pytest

from tests.factories import at
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.hall.appointments import (
    book_appointment,
    cancel_appointment,
    day_list,
    free_slots,
    mark_no_show,
    receive_from_appointment,
)
from yizhan.hall.models import Appointment, Channel

NOW = at("2010-03-01 08:00")  # Monday


def book(hall, when, **kw):
    kw.setdefault("applicant_phone", "13800138000")
    return book_appointment(matter=hall.lic, window=hall.w11, applicant_name="张三", starts_at=at(when), at=NOW, **kw)


@pytest.mark.parametrize(("when", "slot"), [
    ("2010-03-01 12:00", "lunch"), ("2010-03-01 13:30", "lunch"), ("2010-03-02 17:30", "evening"),
    ("2010-03-02 19:30", "evening"), ("2010-03-06 09:00", "weekend"), ("2010-03-07 16:30", "weekend"),
])
def test_lunch_evening_and_weekend_are_bookable(hall, when, slot):
    assert book(hall, when).slot == slot


@pytest.mark.parametrize(("when", "rule"), [
    ("2010-03-01 10:00", "office_hours"), ("2010-03-01 15:00", "office_hours"), ("2010-03-01 20:00", "office_hours"),
    ("2010-03-06 08:00", "office_hours"), ("2010-03-01 12:15", "half_hour"), ("2010-03-01 07:30", "in_the_past"),
    ("2010-03-20 12:00", "too_far_ahead"),
])
def test_office_hours_and_odd_times_are_refused(hall, when, rule):
    with pytest.raises(InvalidInput) as info:
        book(hall, when)
    assert (info.value.field, info.value.rule) == ("starts_at", rule)
    assert not Appointment.objects.exists()


def test_a_half_hour_has_two_places_and_a_window_must_accept_the_matter(hall):
    book(hall, "2010-03-01 12:00")
    book(hall, "2010-03-01 12:00")
    with pytest.raises(InvalidInput) as info:
        book(hall, "2010-03-01 12:00")
    assert info.value.rule == "slot_full"
    free = {s.starts_at: s.free for s in free_slots(hall.w11, NOW.date())}
    assert free[at("2010-03-01 12:00")] == 0 and free[at("2010-03-01 12:30")] == 2
    assert at("2010-03-01 10:00") not in free
    with pytest.raises(InvalidInput) as info:
        book_appointment(matter=hall.build, window=hall.w11, applicant_name="张三", applicant_phone="13800138000",
                         starts_at=at("2010-03-01 12:00"), at=NOW)
    assert info.value.field == "window"


def test_the_clerk_sees_the_days_list_and_receives_a_case_on_the_clock(hall):
    first = book(hall, "2010-03-01 12:30")
    book(hall, "2010-03-02 12:30")
    other = book_appointment(matter=hall.build, window=hall.w21, applicant_name="李四", applicant_phone="13900000000",
                             starts_at=at("2010-03-01 12:30"), at=NOW)
    mine = day_list(Appointment.objects.restrict(hall.clerk), hall.w11, NOW.date())
    assert list(mine) == [first]
    assert not day_list(Appointment.objects.restrict(hall.clerk), hall.w21, NOW.date()).exists()
    with pytest.raises(NotPermitted):
        receive_from_appointment(other, by=hall.clerk, at=at("2010-03-01 12:35"))
    case = receive_from_appointment(first, by=hall.clerk, accept=True, at=at("2010-03-01 12:35"))
    assert (case.channel, case.window, case.applicant_phone) == (Channel.EXTENDED_HOURS, hall.w11, "13800138000")
    assert case.promised_timer.deadline == at("2010-03-08 23:59:59.999999")
    first.refresh_from_db()
    assert (first.state, first.case) == ("received", case)
    with pytest.raises(IllegalTransition):
        receive_from_appointment(first, by=hall.clerk, at=at("2010-03-01 12:40"))


def test_cancel_by_the_applicant_or_no_show_by_staff(hall):
    a = book(hall, "2010-03-01 12:00")
    with pytest.raises(NotPermitted):
        cancel_appointment(a, phone_last4="0000", at=at("2010-03-01 09:00"))
    assert cancel_appointment(a, phone_last4="8000", at=at("2010-03-01 09:00")).state == "cancelled"
    b = book(hall, "2010-03-01 12:00")
    with pytest.raises(InvalidInput):
        mark_no_show(b, by=hall.clerk, at=at("2010-03-01 12:10"))
    assert mark_no_show(b, by=hall.clerk, at=at("2010-03-01 12:45")).state == "no_show"
