"""EARS C1–C3 against R's earsC: every committed fixture, the figures pinned in R's own tests, and
the input rules."""

import json
from datetime import date, timedelta

import numpy as np
import pytest

from tests.detect.r_fixtures import FIXTURES, assert_matches_r, load_cases, read_panel
from yizhan.detect.ears import ears_c1, ears_c2, ears_c3
from yizhan.detect.errors import DetectionInputError

METHODS = {"ears-c1": ears_c1, "ears-c2": ears_c2, "ears-c3": ears_c3}
CASES = [case for method in METHODS for case in load_cases(method)]


def _default_range(case) -> bool:
    manifest = json.loads((FIXTURES / case.method / "manifest.json").read_text())
    return next(entry for entry in manifest if entry["name"] == case.name)["default_range"]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_matches_r_fixture(case):
    a, b = case.range
    result = METHODS[case.method](case.counts, freq=case.freq, periods=range(a - 1, b), **case.options)
    assert_matches_r(case, result)
    if _default_range(case):
        default = METHODS[case.method](case.counts, freq=case.freq, **case.options)
        assert default.periods.tolist() == list(range(a - 1, b))
        assert_matches_r(case, default)


def test_fixtures_cover_every_method_and_dataset():
    for method in METHODS:
        names = {case.name.split("__")[0] for case in load_cases(method)}
        assert names == {"salmonella.agona", "salmNewport", "ha", "stsNewport"}


def _salmnewport_germany():
    _, counts, _ = read_panel(FIXTURES / "data" / "salmNewport.csv")
    return counts.sum(axis=1)


def test_upper_bounds_pinned_in_r_unit_tests():
    # surveillance's tests/testthat/test-earsc.R: C1, alpha 0.05, salmNewport summed over the
    # federal states, the weeks of ISO year 2011 (the series starts on Monday 2004-01-05).
    germany = _salmnewport_germany()
    start = date(2004, 1, 5)
    in2011 = [i for i in range(germany.size) if (start + timedelta(weeks=i)).isocalendar()[0] == 2011]
    result = ears_c1(germany, periods=in2011, alpha=0.05)
    np.testing.assert_allclose(result.upperbound[:4], [3.278854, 3.278854, 3.436517, 3.855617], atol=1e-6)


def test_default_range_as_in_r_unit_tests():
    germany = _salmnewport_germany()
    assert ears_c1(germany, baseline=10).upperbound.size == germany.size - 10


@pytest.mark.parametrize(
    ("options", "named"),
    [({"baseline": 2}, "baseline"), ({"min_sigma": -2}, "min_sigma"), ({"alpha": 1.5}, "alpha")],
)
def test_bad_options_are_named(options, named):
    with pytest.raises(DetectionInputError, match=named):
        ears_c1(_salmnewport_germany(), **options)


def test_too_little_history_is_refused():
    with pytest.raises(DetectionInputError, match="too little history"):
        ears_c1(_salmnewport_germany(), periods=range(365, 417), baseline=1500)
    with pytest.raises(DetectionInputError, match="first period it can evaluate is index 11"):
        ears_c3(np.arange(40), periods=[10])


@pytest.mark.parametrize(
    ("counts", "where"),
    [([1, 2, -1, 3], "period 2 \\(0-based\\), series 0"), ([1, 2.5, 1, 3], "period 1"), ([1, np.nan, 1], "period 1")],
)
def test_bad_counts_are_named(counts, where):
    with pytest.raises(DetectionInputError, match=where):
        ears_c1(np.array(counts * 5, dtype=float))


def test_one_series_and_panel_agree():
    _, counts, _ = read_panel(FIXTURES / "data" / "ha.csv")
    panel = ears_c2(counts)
    single = ears_c2(counts[:, 3])
    assert single.upperbound.shape == (counts.shape[0] - 9,)
    np.testing.assert_array_equal(single.upperbound, panel.upperbound[:, 3])
    np.testing.assert_array_equal(np.ma.getmaskarray(single.alarm), np.ma.getmaskarray(panel.alarm[:, 3]))


def test_huge_counts_use_the_floating_point_windows():
    rng = np.random.default_rng(3)
    counts = rng.integers(10**9, 10**10, size=(40, 3))
    result = ears_c1(counts, alpha=0.01)
    windows = np.stack([counts[t - 7 : t] for t in range(7, 40)]).astype(float)
    want = windows.mean(axis=1) + 2.3263478740408408 * windows.std(axis=1, ddof=1)
    np.testing.assert_allclose(result.upperbound, want, rtol=1e-12)
    np.testing.assert_array_equal(result.alarm, counts[7:] > want)


def test_c3_with_periods_apart_uses_each_periods_own_lags():
    # R's earsC assumes a contiguous range for C3; each period here uses its own two previous periods.
    rng = np.random.default_rng(5)
    counts = rng.poisson(4, size=(80, 2))
    apart = ears_c3(counts, periods=[30, 50])
    contiguous = ears_c3(counts, periods=range(30, 51))
    np.testing.assert_array_equal(apart.upperbound, contiguous.upperbound[[0, 20]])


def test_spike_raises_an_alarm_flat_history_does_not():
    counts = np.array([3, 4, 3, 4, 3, 4, 3, 4, 3, 4, 30, 4])
    alarms = ears_c1(counts).alarm
    assert alarms.tolist() == [False, False, False, True, False]
