"""The benchmark-window ranking (`yizhan.hall.ranking`): score, order, ties, who is ranked."""

from datetime import date

import pytest

from tests.factories import HallWorld, at
from yizhan.hall.models import Finding
from yizhan.hall.ranking import rank_windows
from yizhan.org.models import UnitKind

MARCH = (date(2010, 3, 1), date(2010, 3, 31))
NOW = at("2011-01-01 00:00")


@pytest.fixture
def world(db, django_user_model) -> HallWorld:
    world = HallWorld(django_user_model)
    world.w13 = world.unit("W13", "市场监管三号窗", UnitKind.WINDOW, world.d1)
    return world


def on_the_spot(world: HallWorld, window, day: int = 2) -> None:
    world.case(world.spot, window, received=f"2010-03-{day:02d} 09:00", accepted=f"2010-03-{day:02d} 09:00",
               completed=f"2010-03-{day:02d} 09:30")


def promised_on_time(world: HallWorld, window) -> None:
    world.case(world.prom, window, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-03 10:00")


def ranking(unit=None):
    return rank_windows(*MARCH, unit, now=NOW)


def test_score_follows_the_documented_formula_and_idle_windows_are_unranked(world):
    on_the_spot(world, world.w11, 2)
    on_the_spot(world, world.w11, 3)  # all on time, all on the spot, busiest: 50 + 20 + 30
    promised_on_time(world, world.w12)
    promised_on_time(world, world.w12)  # on time, none on the spot, as busy: 50 + 0 + 30
    # TWO: statutory 10 working days from 1 March, completed 16 March: late, an accountability record,
    # half the volume: 0 + 0 + 15 - 10.
    world.case(world.two, world.w21, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-16 10:00")
    rows = ranking()
    assert [(r.rank, r.window, r.score) for r in rows] == [
        (1, "W11", 100.0), (2, "W12", 80.0), (3, "W21", 5.0), (None, "W13", None),
    ]
    assert rows[2].figures.accountability == 1 and rows[2].department == "D2"
    assert rows[3].figures.completed == 0


def test_complaints_and_overdue_cases_cost_points(world):
    on_the_spot(world, world.w11)
    on_the_spot(world, world.w12)
    world.complaint(world.w11, "2010-03-10 10:00", Finding.VALID)
    world.complaint(world.w12, "2010-03-10 10:00", Finding.INVALID)  # an invalid one costs nothing
    # An open case past its promised deadline (8 March) at the end of March: -2.
    world.case(world.two, world.w21, received="2010-03-01 09:00", accepted="2010-03-01 09:00")
    world.case(world.two, world.w21, received="2010-03-01 09:00", accepted="2010-03-01 09:00",
               completed="2010-03-05 10:00")
    scores = {r.window: r.score for r in ranking()}
    assert scores == {"W12": 100.0, "W11": 90.0, "W21": 50 + 0 + 30 - 2.0, "W13": None}


def test_equal_scores_are_ordered_by_fewer_complaints_before_the_window_code(world):
    # W11: two on-the-spot cases and a valid complaint: 50 + 20 + 30 - 10 = 90.
    on_the_spot(world, world.w11, 2)
    on_the_spot(world, world.w11, 3)
    world.complaint(world.w11, "2010-03-10 10:00", Finding.VALID)
    # W12: one on the spot, one promised, no complaint: 50 + 10 + 30 = 90.
    on_the_spot(world, world.w12, 2)
    promised_on_time(world, world.w12)
    rows = ranking(world.d1)
    assert [(r.rank, r.window, r.score) for r in rows] == [(1, "W12", 90.0), (2, "W11", 90.0), (None, "W13", None)]


def test_identical_windows_are_ordered_by_code_every_time(world):
    for window in (world.w13, world.w12, world.w11):
        on_the_spot(world, window)
    for _ in range(3):
        assert [(r.rank, r.window, r.score) for r in ranking(world.d1)] == [
            (1, "W11", 100.0), (2, "W12", 100.0), (3, "W13", 100.0),
        ]


def test_volume_is_measured_against_the_busiest_window_of_the_same_ranking(world):
    on_the_spot(world, world.w11)
    for day in (2, 3, 4):  # TWO promises 5 working days: all three on time, none on the spot
        world.case(world.two, world.w21, received=f"2010-03-{day:02d} 09:00", accepted=f"2010-03-{day:02d} 09:00",
                   completed="2010-03-05 10:00")
    hall = [(r.rank, r.window, r.score) for r in ranking()]
    # W11: 50 + 20 + 30/3; W21: 50 + 0 + 30. Equal scores: the one with more completed cases first.
    assert hall[:2] == [(1, "W21", 80.0), (2, "W11", 80.0)]
    department = {r.window: r.score for r in ranking(world.d1)}
    assert department["W11"] == 100.0 and "W21" not in department


def test_as_dict_carries_rank_score_and_the_figures(world):
    on_the_spot(world, world.w11)
    row = ranking(world.w11)[0].as_dict()
    assert row["rank"] == 1 and row["window"] == "W11" and row["score"] == 100.0
    assert row["accepted"] == 1 and row["on_time_rate"] == 1.0 and "first" not in row
