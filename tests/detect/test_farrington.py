"""farrington against R's surveillance::farrington (fixtures from scripts/r/fixtures_farrington.R)."""

import numpy as np
import pytest
import statsmodels.api as sm

from tests.detect.r_fixtures import RCase, assert_matches_r, load_cases
from yizhan.detect.errors import DetectionInputError
from yizhan.detect.farrington import farrington
from yizhan.detect.glm_batch import coef_pvalue, fit_quasipoisson

CASES = load_cases("farrington")


def python_options(case: RCase) -> dict:
    """The manifest's options as keyword arguments (JSON lists back to tuples, the population array)."""
    opts = dict(case.options)
    if "limit54" in opts:
        opts["limit54"] = tuple(opts["limit54"])
    if opts.get("population_offset"):
        opts["population"] = case.population
    return opts


def run_case(method, case: RCase):
    a, b = case.range
    return method(case.counts, freq=case.freq, periods=range(a - 1, b), **python_options(case))


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_matches_r(case):
    assert_matches_r(case, run_case(farrington, case))


def test_fixtures_cover_the_four_data_sets_and_options():
    assert {c.name.split("__")[0] for c in CASES} == {"salmonella.agona", "salmNewport", "ha", "stsNewport"}
    assert {k for c in CASES for k in c.options} >= {"b", "w", "alpha", "reweight", "trend", "limit54", "powertrans"}
    assert max(len(c.series) for c in CASES) == 16


@pytest.mark.parametrize("case", [c for c in CASES if not c.options], ids=repr)
def test_default_range_is_rs(case):
    result = farrington(case.counts, freq=case.freq)
    assert result.periods[0] == case.range[0] - 1 and result.periods[-1] == case.range[1] - 1
    assert_matches_r(case, result)


def test_one_series_gives_the_panel_column():
    case = next(c for c in CASES if c.name == "salmNewport__default")
    panel = run_case(farrington, case)
    a, b = case.range
    one = farrington(case.counts[:, 1], periods=range(a - 1, b))
    assert one.expected.shape == (b - a + 1,)
    np.testing.assert_array_equal(one.upperbound, panel.upperbound[:, 1])
    np.testing.assert_array_equal(one.alarm, panel.alarm[:, 1])


def test_alarms_need_limit54_cases():
    case = next(c for c in CASES if c.name == "stsNewport__default")
    strict = farrington(case.counts, periods=range(300, 773), limit54=(10**6, 4))
    assert not strict.alarm.any()
    assert (strict.upperbound == 0).all()  # R reports 0 where the limit54 rule is not met
    loose = farrington(case.counts, periods=range(300, 773))
    assert loose.alarm.any()


def test_batched_fit_agrees_with_statsmodels():
    rng = np.random.default_rng(7)
    t = np.arange(35.0)
    X = np.column_stack([np.ones(35), (t - 35) / 52])
    ys = rng.poisson(np.exp(1.5 + 0.8 * X[:, 1])[None, :] * rng.gamma(2, 0.5, (6, 35)))
    fit = fit_quasipoisson(ys.astype(float), X, np.ones((6, 35), bool))
    for g in range(6):
        ref = sm.GLM(ys[g], X, family=sm.families.Poisson()).fit(scale="X2", tol=1e-12, use_t=True)
        np.testing.assert_allclose(fit.coef[g], ref.params, rtol=1e-6)
        # R (and so glm_batch) weights the Pearson residuals with the last step's starting means,
        # statsmodels with the final ones: equal up to the convergence tolerance
        np.testing.assert_allclose(fit.dispersion[g], ref.scale, rtol=1e-4)
        np.testing.assert_allclose(coef_pvalue(fit, 1)[g], ref.pvalues[1], rtol=1e-3)
    assert fit.converged.all()


@pytest.mark.parametrize(
    "options, named",
    [
        ({"powertrans": "3/4"}, "powertrans"),
        ({"alpha": 1.5}, "alpha"),
        ({"limit54": (5, 0)}, "limit54"),
        ({"b": 0}, "b"),
        ({"w": -1}, "w"),
    ],
)
def test_bad_option_is_named(options, named):
    counts = np.ones(400, dtype=int)
    with pytest.raises(DetectionInputError, match=rf"^{named}:"):
        farrington(counts, **options)


def test_too_little_history_for_b_years():
    counts = np.ones(300, dtype=int)
    with pytest.raises(DetectionInputError, match=r"periods: .*b=5 years"):
        farrington(counts, periods=range(200, 300))
    with pytest.raises(DetectionInputError, match=r"periods: the series has 200 periods"):
        farrington(np.ones(200, dtype=int))


def test_negative_count_is_named():
    counts = np.ones((300, 2), dtype=int)
    counts[280, 1] = -3
    with pytest.raises(DetectionInputError, match=r"period 280.*series 1"):
        farrington(counts)
