"""outbreakP against R's surveillance::outbreakP (fixtures from scripts/r/fixtures_rki_bayes_outbreakp.R):
the statistic (ret="value") and the number of cases needed for an alarm (ret="cases")."""

import numpy as np
import pytest

from tests.detect.r_fixtures import assert_matches_r, load_cases
from yizhan.detect import DetectionInputError
from yizhan.detect.outbreakp import outbreakp

CASES = load_cases("outbreakP")


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_matches_r(case):
    a, b = case.range
    assert_matches_r(case, outbreakp(case.counts, freq=case.freq, periods=range(a - 1, b), **case.options))


def test_fixtures_have_alarms_and_both_returns():
    assert {c.options["ret"] for c in CASES} == {"value", "cases"}
    assert all(np.ma.filled(c.alarm, False).any() for c in CASES)


def test_a_flat_series_never_alarms():
    result = outbreakp(np.full(50, 3))
    np.testing.assert_allclose(result.upperbound, 1.0)
    assert not np.ma.filled(result.alarm, True).any()


def test_bad_options_are_refused():
    with pytest.raises(DetectionInputError, match="ret: 'both' is not allowed"):
        outbreakp(np.ones(5, dtype=int), ret="both")
