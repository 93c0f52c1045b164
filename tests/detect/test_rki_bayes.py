"""rki and bayes against R's surveillance::rki and surveillance::bayes (fixtures from
scripts/r/fixtures_rki_bayes_outbreakp.R): R's presets 1-3 and other options, on weekly and monthly data."""

import numpy as np
import pytest

from tests.detect.r_fixtures import assert_matches_r, load_cases
from yizhan.detect import DetectionInputError
from yizhan.detect.bayes import bayes, bayes1, bayes2, bayes3
from yizhan.detect.rki import rki, rki1, rki2, rki3

RKI = load_cases("rki")
BAYES = load_cases("bayes")
PRESETS = {"rki1": rki1, "rki2": rki2, "rki3": rki3, "bayes1": bayes1, "bayes2": bayes2, "bayes3": bayes3}


@pytest.mark.parametrize("case", RKI + BAYES, ids=repr)
def test_matches_r(case):
    method = rki if case.method == "rki" else bayes
    a, b = case.range
    assert_matches_r(case, method(case.counts, freq=case.freq, periods=range(a - 1, b), **case.options))


@pytest.mark.parametrize("case", [c for c in RKI + BAYES if c.name.split("__")[1] in PRESETS], ids=repr)
def test_presets_are_rs_and_the_default_range_starts_where_history_allows(case):
    result = PRESETS[case.name.split("__")[1]](case.counts, freq=case.freq)
    assert (result.periods[0], result.periods[-1]) == (case.range[0] - 1, case.range[1] - 1)
    assert_matches_r(case, result)


def test_fixtures_cover_weekly_and_monthly_data_and_options():
    assert {c.freq for c in RKI} == {12, 52} and {c.freq for c in BAYES} == {12, 52}
    assert any(c.options.get("alpha") == 0.01 for c in BAYES)
    assert any(np.ma.filled(c.alarm, False).any() for c in RKI)
    assert any(np.ma.filled(c.alarm, False).any() for c in BAYES)


def test_large_means_use_two_standard_deviations():
    x = np.array([30, 40, 50, 60, 20, 40, 100])
    result = rki(x, b=0, w=6, act_y=True, periods=[6])
    assert result.upperbound[0] == pytest.approx(40 + 2 * np.std(x[:6], ddof=1))
    assert bool(result.alarm[0])


@pytest.mark.parametrize(("method", "kwargs", "message"), [
    (rki, {"b": 0, "act_y": False}, "act_y: False is not allowed"),
    (rki, {"w": 0, "act_y": True}, "w: 0 is not allowed"),
    (bayes, {"alpha": 1.5}, "alpha: 1.5 is not allowed"),
    (bayes, {"periods": [3]}, "periods: period index 3 (row 4 of each series) has too little history"),
])
def test_bad_options_are_refused(method, kwargs, message):
    with pytest.raises(DetectionInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        method(np.ones(200, dtype=int), **kwargs)
