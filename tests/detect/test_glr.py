"""glrpois and glrnb against R's surveillance::algo.glrnb (fixtures from scripts/r/fixtures_glr.R):
intercept and epidemic charts, in-control mean from R's GLM (harmonics, trend, refitted after
alarms), alpha given or estimated by glm.nb, window-limited and unlimited, both directions, known
change (theta), statistic and cases, series with several alarms."""

import json

import numpy as np
import pytest

from tests.detect.r_fixtures import FIXTURES, assert_matches_r, load_cases
from yizhan.detect import DetectionInputError
from yizhan.detect.glr import glm_mu0, glrnb, glrpois

POIS = load_cases("glrpois")
NB = load_cases("glrnb")


def run(case, **extra):
    method = glrpois if case.method == "glrpois" else glrnb
    a, b = case.range
    return method(case.counts, freq=case.freq, periods=range(a - 1, b), **case.options, **extra)


@pytest.mark.parametrize("case", POIS + NB, ids=repr)
def test_matches_r(case):
    assert_matches_r(case, run(case))


def test_given_mu0_is_used_and_the_change_time_is_kept():
    case = next(c for c in POIS if c.name == "salmonella.agona__default")
    fitted = run(case)
    given = run(case, mu0=fitted.expected)
    np.testing.assert_allclose(given.upperbound, fitted.upperbound, rtol=1e-12)
    alarmed = np.ma.filled(given.alarm, False)[:, 0]
    alarms = np.nonzero(alarmed)[0]
    assert alarms.size
    change = given.diagnostics["change"][:, 0]
    assert np.isnan(change[~alarmed]).all()
    assert (change[alarms] <= given.periods[alarms]).all() and (change[alarms] >= given.periods[0]).all()
    np.testing.assert_allclose(given.diagnostics["statistic"], given.upperbound)


@pytest.mark.parametrize(("method", "kwargs", "message"), [
    (glrpois, {"M": 0}, "M: 0 is not allowed"),
    (glrpois, {"direction": "up"}, "direction: 'up' is not allowed"),
    (glrnb, {"alpha": 0}, "alpha: 0 is not allowed"),
    (glrnb, {"alpha": -1}, "alpha: -1 is not allowed"),
    (glrnb, {"alpha": None, "mu0": np.ones(96)}, "alpha: estimating it .* needs the fitted"),
    (glrpois, {"change": "trend"}, "change: 'trend' is not allowed"),
    (glrnb, {"alpha": 0.1, "change": "epi", "ret": "cases"}, "ret: 'cases' is not available with change='epi'"),
    (glrpois, {"change": "epi", "theta": 0.5}, "theta: a known change applies to the intercept chart only"),
    (glrnb, {"change": "epi", "direction": "dec"}, "direction: the epidemic chart"),
    (glrnb, {"ret": "cases", "x_max": 0}, "x_max: 0 is not allowed"),
    (glrpois, {"refit": True, "mu0": np.ones(96)}, "refit: refitting after an alarm needs the fitted"),
    (glrpois, {"periods": [50, 52]}, "periods: the GLR chart runs over consecutive periods"),
    (glrpois, {"mu0": [1.0, 2.0]}, "mu0: expected one in-control mean per evaluated period"),
])
def test_bad_options_are_refused(method, kwargs, message):
    with pytest.raises(DetectionInputError, match=message):
        method(np.ones(100, dtype=int), **kwargs)


def test_glm_nb_dispersion_is_r_s():
    manifest = json.loads((FIXTURES / "glrnb" / "manifest.json").read_text())
    estimated = [e for e in manifest if "r_alpha" in e]
    assert len(estimated) >= 3
    for entry in estimated:
        case = next(c for c in NB if c.name == entry["name"])
        a, b = case.range
        periods = np.arange(a - 1, b)
        S, trend = case.options.get("S", 1), case.options.get("trend", False)
        got = [glm_mu0(case.counts[:, j], a - 1, periods, case.freq, S, trend, None)[1]
               for j in range(len(case.series))]
        want = [entry["r_alpha"][s] for s in case.series]
        np.testing.assert_allclose(got, want, rtol=1e-6, err_msg=case.name)


def test_estimated_alpha_is_a_diagnostic():
    case = next(c for c in NB if c.name == "stsNewport__epi_alpha_null_window")
    alpha = run(case).diagnostics["alpha"]
    assert alpha.shape == case.expected.shape and np.all(alpha == alpha[0, 0]) and alpha[0, 0] > 0


def test_fixtures_have_series_with_several_alarms():
    for name in ("glrpois:ha__epi", "glrpois:stsNewport__epi_window", "glrpois:salmNewport__refit",
                 "glrnb:salmNewport__alpha_null", "glrnb:stsNewport__epi_alpha_null_window", "glrnb:stsNewport__refit"):
        case = next(c for c in POIS + NB if repr(c) == name)
        assert np.ma.filled(case.alarm, False).sum(axis=0).max() >= 3, name
