"""farrington_flexible against R's surveillance::farringtonFlexible (fixtures from
scripts/r/fixtures_farrington.R)."""

import numpy as np
import pytest

from tests.detect.r_fixtures import assert_matches_r, load_cases
from tests.detect.test_farrington import run_case
from yizhan.detect.errors import DetectionInputError
from yizhan.detect.farrington_flexible import farrington_flexible

CASES = load_cases("farrington-flexible")
NOUFAILY = dict(no_periods=10, b=4, w=3, weights_threshold=2.58, past_weeks_not_included=26, p_threshold_trend=1,
                threshold_method="nbPlugin")


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_matches_r(case):
    assert_matches_r(case, run_case(farrington_flexible, case))


def test_fixtures_cover_settings_and_threshold_methods():
    names = {c.name for c in CASES}
    for data in ("salmonella.agona", "salmNewport", "ha", "stsNewport"):
        assert f"{data}__noufaily" in names and f"{data}__default" in names
    assert {c.options.get("threshold_method", "delta") for c in CASES} == {"delta", "nbPlugin", "muan"}
    assert any(c.options.get("population_offset") for c in CASES)
    assert any(c.freq == 12 for c in CASES)
    noufaily = next(c for c in CASES if c.name == "salmNewport__noufaily")
    assert noufaily.options == NOUFAILY and noufaily.range == (300, 528) and len(noufaily.series) == 16


@pytest.mark.parametrize("case", [c for c in CASES if not c.options], ids=repr)
def test_default_range_is_rs(case):
    result = farrington_flexible(case.counts, freq=case.freq)
    assert result.periods[0] == case.range[0] - 1 and result.periods[-1] == case.range[1] - 1
    assert_matches_r(case, result)


def test_population_offset_changes_the_fit():
    case = next(c for c in CASES if c.name == "momo__noufaily_population")
    with_pop = run_case(farrington_flexible, case)
    opts = {k: v for k, v in case.options.items() if k != "population_offset"}
    without = farrington_flexible(case.counts, periods=range(case.range[0] - 1, case.range[1]), **opts)
    assert not np.allclose(with_pop.expected, without.expected)


@pytest.mark.parametrize(
    "options, named",
    [
        ({"threshold_method": "quantile"}, "threshold_method"),
        ({"no_periods": 60}, "no_periods"),
        ({"past_weeks_not_included": -1}, "past_weeks_not_included"),
        ({"p_threshold_trend": 2.0}, "p_threshold_trend"),
        ({"powertrans": "log"}, "powertrans"),
        ({"limit54": (-1, 4)}, "limit54"),
        ({"population_offset": True}, "population"),
    ],
)
def test_bad_option_is_named(options, named):
    counts = np.ones((400, 2), dtype=int)
    with pytest.raises(DetectionInputError, match=rf"^{named}:"):
        farrington_flexible(counts, **options)


def test_population_must_be_positive_and_shaped_like_counts():
    counts = np.ones((400, 2), dtype=int)
    pop = np.full((400, 2), 1000.0)
    pop[10, 1] = 0
    with pytest.raises(DetectionInputError, match=r"population: .*period 10.*series 1"):
        farrington_flexible(counts, population_offset=True, population=pop)
    with pytest.raises(DetectionInputError, match=r"population: shape"):
        farrington_flexible(counts, population_offset=True, population=np.ones((400, 3)))


def test_too_little_history_for_b_years():
    counts = np.ones(300, dtype=int)
    with pytest.raises(DetectionInputError, match=r"periods: .*b=5 years"):
        farrington_flexible(counts, periods=range(250, 300))
    with pytest.raises(DetectionInputError, match=r"periods: the series has 200 periods"):
        farrington_flexible(np.ones(200, dtype=int), **NOUFAILY)
