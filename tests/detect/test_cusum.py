"""CUSUM against R's cusum: every committed fixture (all of R's transformations, numeric and GLM
in-control means), hand-computed sums, the reset option and the input rules."""

import json

import numpy as np
import pytest

from tests.detect.r_fixtures import FIXTURES, assert_matches_r, load_cases
from yizhan.detect.cusum import TRANSFORMATIONS, cusum
from yizhan.detect.errors import DetectionInputError

CASES = load_cases("cusum")


def _default_range(case) -> bool:
    manifest = json.loads((FIXTURES / "cusum" / "manifest.json").read_text())
    return next(entry for entry in manifest if entry["name"] == case.name)["default_range"]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_matches_r_fixture(case):
    a, b = case.range
    result = cusum(case.counts, freq=case.freq, periods=range(a - 1, b), **case.options)
    assert_matches_r(case, result)
    if _default_range(case):
        default = cusum(case.counts, freq=case.freq, **case.options)
        assert default.periods.tolist() == list(range(a - 1, b))


def test_fixtures_cover_every_transformation_and_glm():
    used = {case.options.get("trans", "standard") for case in CASES}
    assert used == set(TRANSFORMATIONS)
    assert any(case.options.get("m") == "glm" for case in CASES)
    # a series whose history is all zeros (m = 0) is among them: R's NA alarms
    assert any(np.ma.getmaskarray(case.alarm).any() for case in CASES)


COUNTS = np.array([2, 2, 2, 2, 0, 5])


def test_sum_without_reset_as_r():
    result = cusum(COUNTS, periods=range(6), m=1, trans="none", k=1, h=3)
    # x - k = 1, 1, 1, 1, -1, 4 -> S = 1, 2, 3, 4, 3, 7
    assert result.alarm.tolist() == [False, False, True, True, True, True]
    np.testing.assert_array_equal(result.upperbound, [2, 1, 0, 0, 0, 0])  # h - S_t, floored at 0
    np.testing.assert_array_equal(result.expected, np.ones(6))


def test_sum_restarts_after_an_alarm_with_reset():
    result = cusum(COUNTS, periods=range(6), m=1, trans="none", k=1, h=3, reset=True)
    # S = 1, 2, 3 (alarm, restart), 1, 0, 4
    assert result.alarm.tolist() == [False, False, True, False, False, True]
    np.testing.assert_array_equal(result.upperbound, [2, 1, 0, 2, 3, 0])


def test_standard_upper_bound_by_hand():
    counts = np.array([4, 4, 4, 4, 9, 4])  # m = mean of the first 4 periods = 4, sqrt(m) = 2
    result = cusum(counts, periods=range(4, 6), k=1, h=2)
    # t=4: z = (9-4)/2 = 2.5, S = 1.5; bound = ceil(2*(2+1-0)+4) = 10; t=5: z = 0, S = 0.5, bound = ceil(2*1.5+4) = 7
    np.testing.assert_array_equal(result.upperbound, [10, 7])
    assert result.alarm.tolist() == [False, False]


def test_one_series_and_panel_agree():
    case = next(c for c in CASES if c.name == "ha__rossi")
    a, b = case.range
    panel = cusum(case.counts, periods=range(a - 1, b), trans="rossi")
    single = cusum(case.counts[:, 5], periods=range(a - 1, b), trans="rossi")
    np.testing.assert_array_equal(single.upperbound, panel.upperbound[:, 5])


@pytest.mark.parametrize(
    ("options", "named"),
    [({"trans": "log"}, "trans"), ({"m": "median"}, "m"), ({"m": -1.0}, "m"), ({"m": [1.0, 2.0]}, "m"),
     ({"alpha": -0.1}, "alpha")],
)
def test_bad_options_are_named(options, named):
    with pytest.raises(DetectionInputError, match=f"^{named}:"):
        cusum(np.arange(60) % 4, periods=range(50, 60), **options)


def test_needs_history_for_the_mean():
    with pytest.raises(DetectionInputError, match="too little history"):
        cusum(np.arange(10), periods=range(0, 10))
    with pytest.raises(DetectionInputError, match="too few"):
        cusum(np.arange(30))  # default periods start after one year (52 periods)
