"""The hall's figures (`yizhan.hall.stats`), each definition checked on cases built through the engine.

`HallWorld` (tests/factories.py) builds a small hall on the 2010 calendar and drives cases through the
engine's own service functions, so the figures are computed from what a live hall would have stored."""

from datetime import date

import pytest

from tests.factories import HallWorld, at
from yizhan.clock.models import AccountabilityRecord
from yizhan.hall import cases as engine
from yizhan.hall.complaints import file_complaint, reply_complaint
from yizhan.hall.models import Finding
from yizhan.hall.stats import FIGURE_KEYS, hall_figures, window_figures

MARCH = (date(2010, 3, 1), date(2010, 3, 31))


@pytest.fixture
def world(db, django_user_model) -> HallWorld:
    return HallWorld(django_user_model)


LATER = at("2011-01-01 00:00")


def figures(first=MARCH[0], last=MARCH[1], unit=None, now=LATER):
    return hall_figures(first, last, unit, now=now)


def test_acceptance_counts_by_local_date_at_the_midnight_boundary(world):
    world.case(world.prom, world.w11, received="2010-03-31 23:50", accepted="2010-03-31 23:59")
    world.case(world.prom, world.w11, received="2010-03-31 23:55", accepted="2010-04-01 00:01")
    # In UTC both acceptances fall on 31 March; in local time the second belongs to April.
    assert figures().accepted == 1
    assert figures(date(2010, 4, 1), date(2010, 4, 1)).accepted == 1
    assert figures(date(2010, 3, 31), date(2010, 4, 1)).accepted == 2


def test_on_the_spot_means_completed_on_the_local_date_of_acceptance(world):
    world.case(world.spot, world.w11, received="2010-03-02 09:00", accepted="2010-03-02 09:05",
               completed="2010-03-02 09:20")
    # Accepted 23:50, completed 00:10 the next local day: the same UTC date, not on the spot.
    world.case(world.prom, world.w11, received="2010-03-03 23:40", accepted="2010-03-03 23:50",
               completed="2010-03-04 00:10")
    world.case(world.prom, world.w12, received="2010-03-05 09:00", accepted="2010-03-05 09:10")
    f = figures()
    assert (f.accepted, f.completed, f.on_the_spot) == (3, 2, 1)
    assert f.on_the_spot_rate == pytest.approx(1 / 3)


def test_green_channel_case_is_on_time_only_by_its_shortened_limit(world):
    # Accepted Monday 1 March: the green limit of 3 working days ends Thursday 4 March, the promised
    # 10 on Monday 15 March.
    world.case(world.prom, world.w11, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-04 23:00", green=True)
    world.case(world.prom, world.w11, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-05 10:00", green=True)
    world.case(world.prom, world.w11, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-05 10:00")
    f = figures()
    assert (f.completed, f.completed_on_time) == (3, 2)
    assert f.on_time_rate == pytest.approx(2 / 3)


def test_a_pause_extends_the_promised_deadline_so_a_late_looking_completion_is_on_time(world):
    # Promised 10 working days from Monday 1 March: Monday 15 March. An expert review from Monday 8
    # to Wednesday 10 March (Monday and Tuesday count) moves it to Wednesday 17 March.
    world.case(world.prom, world.w11, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-17 16:00", pauses=(("2010-03-08 09:00", "2010-03-10 09:00"),))
    world.case(world.prom, world.w11, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-17 16:00")
    f = figures()
    assert (f.completed, f.completed_on_time) == (2, 1)


def test_withdrawn_and_refused_to_accept_cases_are_figures_of_their_own(world):
    world.case(world.prom, world.w11, received="2010-03-01 09:00", accepted="2010-03-01 09:30",
               completed="2010-03-03 10:00", outcome="withdrawn")
    world.case(world.prom, world.w11, received="2010-03-01 09:00", completed="2010-03-01 11:00",
               outcome="refused_to_accept")
    refused = world.case(world.prom, world.w11, received="2010-03-01 09:00", accepted="2010-03-01 09:30",
                         completed="2010-03-05 10:00", outcome="refused")
    assert refused.outcome == "refused"
    f = figures()
    # The withdrawn case was accepted in March and stays counted; the refused-to-accept one never was.
    assert (f.accepted, f.completed, f.completed_on_time) == (2, 1, 1)
    assert (f.withdrawn, f.refused_to_accept) == (1, 1)
    assert f.on_the_spot == 0 and f.on_the_spot_rate == 0.0


def test_a_figure_of_an_ended_period_never_changes(world):
    """March's figures computed at the end of March are March's figures forever: a withdrawal, a
    complaint's finding or a rectification in April changes April's figures only."""
    case = world.case(world.prom, world.w11, received="2010-03-29 09:00", accepted="2010-03-29 09:00")
    complaint = file_complaint(content="窗口态度差", complainant="王五", window=world.w11, at=at("2010-03-30 10:00"))
    at_end = figures(now=at("2010-04-01 00:00")).as_dict()
    assert (at_end["accepted"], at_end["complaints"], at_end["valid_complaints"]) == (1, 1, 0)
    engine.withdraw_case(case, reason="申请人撤回", at=at("2010-04-02 10:00"), actor=world.clerk)
    reply_complaint(complaint, finding=Finding.VALID, reason="经查属实", reply="已致歉", by=world.supervisor,
                    at=at("2010-04-02 11:00"))
    assert figures().as_dict() == at_end
    april = figures(date(2010, 4, 1), date(2010, 4, 30))
    assert (april.accepted, april.withdrawn, april.valid_complaints) == (0, 1, 1)


def test_subtree_filter_takes_a_unit_and_everything_under_it(world):
    world.case(world.spot, world.w11, received="2010-03-02 09:00", accepted="2010-03-02 09:00",
               completed="2010-03-02 09:30")
    world.case(world.spot, world.w12, received="2010-03-02 09:00", accepted="2010-03-02 09:00",
               completed="2010-03-02 09:30")
    world.case(world.two, world.w21, received="2010-03-02 09:00", accepted="2010-03-02 09:00")
    world.consultation(world.w12, "2010-03-03 10:00")
    world.consultation(world.w21, "2010-03-03 10:00")
    world.complaint(world.w21, "2010-03-04 10:00", Finding.VALID)
    assert figures().accepted == 3
    assert figures(unit=world.center).accepted == 3
    d1, d2, w12 = figures(unit=world.d1), figures(unit=world.d2), figures(unit=world.w12)
    assert (d1.accepted, d1.completed, d1.consultations, d1.valid_complaints) == (2, 2, 1, 0)
    assert (d2.accepted, d2.completed, d2.consultations, d2.valid_complaints) == (1, 0, 1, 1)
    assert (w12.accepted, w12.completed, w12.unit) == (1, 1, "W12")
    assert d2.on_time_rate is None and d2.median_days is None


def test_overdue_open_is_judged_at_the_end_of_the_period(world):
    # TWO promises 5 working days: accepted Monday 1 March, due Monday 8 March.
    world.case(world.two, world.w21, received="2010-03-01 09:00", accepted="2010-03-01 09:00")
    # Completed after the period: still open and overdue on 31 March.
    world.case(world.two, world.w21, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-04-02 10:00")
    # Paused (expert review) since 5 March and never resumed: not overdue while paused.
    world.case(world.two, world.w21, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               pauses=(("2010-03-05 09:00", None),))
    # Due 8 March but paused from 1 April on: its stored deadline moved past March, yet on 31 March
    # it was overdue.
    world.case(world.two, world.w21, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               pauses=(("2010-04-01 09:00", "2010-04-20 09:00"),))
    assert figures().overdue_open == 3
    # Due at the very end of 8 March: a period ending 7 March has none, one ending 8 March has them.
    assert figures(date(2010, 3, 1), date(2010, 3, 7)).overdue_open == 0
    assert figures(date(2010, 3, 1), date(2010, 3, 8)).overdue_open == 3
    # `now` before the period's end: judged now.
    assert figures(now=at("2010-03-08 12:00")).overdue_open == 0
    # After every case closed or was paused, nothing is overdue in April... except the open one.
    assert figures(date(2010, 4, 1), date(2010, 4, 30)).overdue_open == 2


def test_accountability_counts_records_created_in_the_period(world):
    # TWO: statutory 10 working days from 1 March → 15 March. Completed on 16 March: a record then.
    world.case(world.two, world.w21, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-16 10:00")
    world.case(world.two, world.w21, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-15 10:00")
    assert AccountabilityRecord.objects.count() == 1
    assert figures().accountability == 1
    assert figures(date(2010, 3, 1), date(2010, 3, 15)).accountability == 0
    assert figures(unit=world.d1).accountability == 0
    assert figures(unit=world.w21).accountability == 1


def test_median_days_are_working_days_from_acceptance_to_completion(world):
    world.case(world.spot, world.w11, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-01 10:00")  # 0
    world.case(world.prom, world.w11, received="2010-03-05 09:00", accepted="2010-03-05 09:00",
               completed="2010-03-08 10:00")  # Friday → Monday: 1
    world.case(world.prom, world.w11, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-11 10:00")  # 8
    world.case(world.prom, world.w11, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-12 10:00")  # 9
    assert figures().median_days == 4.5


def test_consultations_and_valid_complaints_in_the_period(world):
    world.consultation(world.w11, "2010-02-28 23:59")
    world.consultation(world.w11, "2010-03-01 00:00")
    world.consultation(world.w12, "2010-03-31 23:59")
    world.consultation(world.w12, "2010-04-01 00:00")
    world.complaint(world.w11, "2010-03-10 10:00", Finding.VALID)
    world.complaint(world.w11, "2010-03-11 10:00", Finding.INVALID)
    world.complaint(world.w11, "2010-04-01 10:00", Finding.VALID)
    f = figures()
    assert (f.consultations, f.valid_complaints) == (2, 1)


def test_as_dict_has_exactly_the_issue_keys(world):
    world.case(world.spot, world.w11, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-01 10:00")
    d = figures(unit=world.d1).as_dict()
    assert list(d) == ["first", "last", "unit", *FIGURE_KEYS]
    assert d["first"] == "2010-03-01" and d["last"] == "2010-03-31" and d["unit"] == "D1"
    assert d["on_the_spot_rate"] == 1.0 and d["median_days"] == 0.0


def test_window_figures_add_up_to_the_whole(world):
    world.case(world.spot, world.w11, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-01 10:00")
    world.case(world.prom, world.w12, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-20 10:00")
    world.case(world.two, world.w21, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-16 10:00")
    world.consultation(world.w21, "2010-03-03 10:00")
    per_window = window_figures(*MARCH, now=at("2011-01-01 00:00"))
    assert [w.code for w in per_window] == ["W11", "W12", "W21"]
    whole = figures()
    for key in ("consultations", "accepted", "completed", "on_the_spot", "completed_on_time", "overdue_open",
                "accountability", "valid_complaints"):
        assert sum(getattr(f, key) for f in per_window.values()) == getattr(whole, key), key
    assert per_window[world.w21].accountability == 1 and per_window[world.w12].completed_on_time == 0


def test_an_empty_period_has_no_rates(world):
    f = figures()
    assert (f.accepted, f.completed, f.on_the_spot_rate, f.on_time_rate, f.median_days) == (0, 0, None, None, None)


def test_a_period_ending_before_it_starts_is_refused(world):
    with pytest.raises(ValueError):
        figures(date(2010, 3, 2), date(2010, 3, 1))
