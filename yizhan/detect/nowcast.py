"""Nowcasting for reporting delays: R's `surveillance::nowcast` with its closed-form methods.

Counts by onset date (or hospitalisation, R's `dEventCol`) of the last days are incomplete because
cases are reported later (`dReportCol`). Given a line list, `nowcast` estimates for each day of
`when` the distribution of the eventual count N(t, ∞) from what has been reported by `now`:

- `unif` (R "unif"): N(t, ∞) uniform between the count reported so far and `N_tInf_max`;
- `bayes.notrunc` (R "bayes.notrunc"): the reporting-delay distribution gets a generalised
  Dirichlet posterior from the delays seen in the moving window (Höhle & an der Heiden 2014,
  ignoring the truncation of the window), N(t, ∞) a negative-binomial (poisgamma) prior;
- `bayes.trunc` (R "bayes.trunc"): the same, with the posterior that accounts for the truncation.

The predictive distribution of the bayes methods averages over `n_samples` draws of the delay
distribution, as R does, so two runs (and R's) agree within sampling error; `seed` makes a run
repeatable. The delay CDF (R's `delayCDF`), the reporting triangle and everything else is exact.

Options keep R's names (`D`, `m`, `aggregate_by` = aggregate.by, `N_tInf_max` = control$N.tInf.max,
`mean_lambda`/`var_lambda` = the attributes of control$N.tInf.prior = "poisgamma",
`gd_prior_kappa` = control$gd.prior.kappa, `alpha` = control$alpha, `n_samples` =
control$nSamples, `d_range` = control$dRange). R's lawless, bayes.notrunc.bnb and bayes.trunc.ddcp
(MCMC through JAGS) are not provided; only m.interpretation "hoehle_anderheiden2014" applies to
the methods here, as in R.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import special, stats

from yizhan.detect.errors import DetectionInputError

METHODS = ("bayes.notrunc", "bayes.trunc", "unif")
AGGREGATIONS = {"1 day": 1, "1 week": 7}


@dataclass
class NowcastResult:
    """One method's nowcast. `dates` are the days (or Mondays) from the first onset to `now`;
    `reported` the counts by onset reported by `now` (R's N.tT); for each date of `when`, `pmf` is
    the predictive distribution of the eventual count over `support`, `median` R's upperbound and
    (`lower`, `upper`) R's pi at level `alpha`. Diagnostics: the reporting triangle (R's
    reportingTriangle: rows are `dates`, columns delays 0..D, NaN where not yet observable), its
    moving-window sums `n_x` and `N_x`, the delay CDF (None for unif), the number of records
    dropped for a missing date and of cases whose delay over D was set to D."""

    method: str
    dates: np.ndarray
    reported: np.ndarray
    when: np.ndarray
    support: np.ndarray
    pmf: np.ndarray
    median: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    alpha: float
    triangle: np.ndarray
    n_x: np.ndarray
    N_x: np.ndarray
    delay_cdf: np.ndarray | None
    diagnostics: dict = field(default_factory=dict)


def _days(values, name: str) -> np.ndarray:
    """Dates as day numbers since 1970-01-01 (NaT for missing), from dates, datetime64 or ISO strings."""
    out = np.empty(len(values), dtype="datetime64[D]")
    for i, v in enumerate(values):
        if v is None or v == "" or (isinstance(v, float) and np.isnan(v)):
            out[i] = np.datetime64("NaT")
            continue
        try:
            out[i] = np.datetime64(v.isoformat() if isinstance(v, date) else v, "D")
        except (ValueError, TypeError):
            raise DetectionInputError(f"{name}: row {i + 1}: {v!r} is not a date (YYYY-MM-DD)") from None
    return out


def _day(value, name: str) -> int:
    d = _days([value], name)[0]
    if np.isnat(d):
        raise DetectionInputError(f"{name}: a date is required")
    return int(d.astype(int))


def _epoch_start(days: np.ndarray, step: int) -> np.ndarray:
    # 1970-01-01 was a Thursday: (d + 3) % 7 is 0 on Mondays, the first day of an ISO week.
    return days if step == 1 else days - (days + 3) % 7


def _delay(d1: np.ndarray, d2: np.ndarray, step: int) -> np.ndarray:
    return np.floor_divide(d2 - d1, step)


def _r_seq(a: int, b: int) -> range:
    """R's a:b, which counts down when a > b."""
    return range(a, b + 1) if a <= b else range(a, b - 1, -1)


def _check(D: int, m: int | None, N_tInf_max: int, n_samples: int, gd_prior_kappa: float, alpha: float) -> None:
    for name, value, low in (("D", D, 1), ("N_tInf_max", N_tInf_max, 1), ("n_samples", n_samples, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise DetectionInputError(f"{name}: {value!r} is not allowed; it must be a whole number ≥ {low}")
    if m is not None and (isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1):
        raise DetectionInputError(f"m: {m!r} is not allowed; it must be a whole number ≥ 1 (R: m>=1)")
    if not gd_prior_kappa > 0:
        raise DetectionInputError(f"gd_prior_kappa: {gd_prior_kappa!r} must be positive")
    if not 0 < alpha < 1:
        raise DetectionInputError(f"alpha: {alpha!r} must lie between 0 and 1")


def _delay_prior(D: int, kappa: float) -> tuple[np.ndarray, np.ndarray]:
    alpha = np.full(D, kappa)
    beta = np.zeros(D)
    beta[D - 1] = kappa
    for i in range(D - 2, -1, -1):
        beta[i] = alpha[i + 1] + beta[i + 1]
    return alpha, beta


def _expected_gd(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """R's Egd: the mean of a generalised Dirichlet, by stick breaking."""
    mu = alpha / (alpha + beta)
    left = np.concatenate([[1.0], np.cumprod(1 - mu)])
    return np.concatenate([mu * left[:-1], [left[-1]]])


def _sample_gd(rng: np.random.Generator, n: int, alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """R's rgd: n draws of a generalised Dirichlet (columns as alpha, then the remainder)."""
    out = np.empty((n, len(alpha) + 1))
    taken = np.zeros(n)
    for j in range(len(alpha)):
        out[:, j] = rng.beta(alpha[j], beta[j], size=n) * (1 - taken)
        taken += out[:, j]
    out[:, -1] = 1 - taken
    return out


def _predictive(
    reported: np.ndarray, T: int, D: int, alpha_star: np.ndarray, beta_star: np.ndarray, *, support: np.ndarray,
    mean_lambda: float, size: float, n_samples: int, rng: np.random.Generator,
) -> np.ndarray:
    """R's pmfBySampling: for every date, the predictive PMF of N(t, ∞) (columns: dates)."""
    p = _sample_gd(rng, n_samples, alpha_star, beta_star)[:, ::-1]  # columns: delays 0..D
    cdf = np.minimum(np.cumsum(p, axis=1)[:, ::-1], 1.0)  # P(delay ≤ D), …, P(delay ≤ 0)
    log_prior = stats.nbinom.logpmf(support, size, size / (size + mean_lambda))
    pmf = np.zeros((len(support), T + 1))
    first = max(0, T - D)
    for t in range(T + 1):
        k = reported[t]
        if t < first:
            pmf[k, t] = 1.0  # old enough to be complete
            continue
        sumpd = cdf[:, t - (T - D)]
        # binom.pmf(k, N, F) · nbinom.pmf(N) for every draw F and every N of the support, in logs.
        log_choose = special.gammaln(support + 1) - special.gammaln(k + 1) - special.gammaln(support - k + 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_joint = (log_choose + log_prior)[None, :] + k * np.log(sumpd)[:, None] \
                + (support - k)[None, :] * np.log1p(-sumpd)[:, None]
        log_joint[:, support < k] = -np.inf
        log_joint[:, support == k] = np.where(sumpd >= 1.0, (log_choose + log_prior)[k] + k * 0.0,
                                              log_joint[:, support == k][:, 0])[:, None]
        joint = np.exp(log_joint - log_joint.max(axis=1, keepdims=True))
        pmf[:, t] = (joint / joint.sum(axis=1, keepdims=True)).mean(axis=0)
    return pmf


def nowcast(
    onset: Sequence,
    report: Sequence,
    *,
    now,
    when: Sequence | np.ndarray,
    method: str = "bayes.notrunc",
    D: int = 15,
    m: int | None = None,
    m_interpretation: str = "hoehle_anderheiden2014",
    aggregate_by: str = "1 day",
    d_range: tuple | None = None,
    N_tInf_max: int = 300,
    N_tInf_prior: str = "poisgamma",
    mean_lambda: float | None = None,
    var_lambda: float | None = None,
    gd_prior_kappa: float = 0.1,
    alpha: float = 0.05,
    n_samples: int = 1000,
    seed: int | None = None,
) -> NowcastResult:
    """Nowcast the counts by `onset` date for the dates of `when` from the cases reported by `now`.

    `onset` and `report` are one date per case (dates, numpy datetime64 or YYYY-MM-DD; a case missing
    either is dropped, as R does). Raises DetectionInputError naming the option or row at fault."""
    if method not in METHODS:
        raise DetectionInputError(f"method: {method!r} is not one of {', '.join(METHODS)}")
    if aggregate_by not in AGGREGATIONS:
        raise DetectionInputError(f"aggregate_by: {aggregate_by!r} is not one of {', '.join(AGGREGATIONS)}")
    if m_interpretation != "hoehle_anderheiden2014":
        raise DetectionInputError("m_interpretation: only 'hoehle_anderheiden2014' applies to these methods "
                                  "(R: 'lawless1994' is for the lawless method)")
    _check(D, m, N_tInf_max, n_samples, gd_prior_kappa, alpha)
    if len(onset) != len(report):
        raise DetectionInputError(f"report: {len(report)} dates for {len(onset)} onset dates")
    step = AGGREGATIONS[aggregate_by]
    onset_d = _days(onset, "onset").astype("int64", copy=False)
    report_d = _days(report, "report").astype("int64", copy=False)
    missing = np.isnat(_days(onset, "onset")) | np.isnat(_days(report, "report"))
    onset_d, report_d = onset_d[~missing], report_d[~missing]
    if len(onset_d) == 0:
        raise DetectionInputError("onset: no case has both dates")
    onset_d, report_d = _epoch_start(onset_d, step), _epoch_start(report_d, step)
    now_d = _day(now, "now")
    when_d = np.array([_day(w, "when") for w in when], dtype="int64")
    if step == 7 and (_epoch_start(np.array([now_d]), 7)[0] != now_d
                      or (_epoch_start(when_d, 7) != when_d).any()):
        raise DetectionInputError("now, when: with aggregate_by '1 week' they must be Mondays (R: first of each epoch)")
    if len(when_d) == 0 or (when_d > now_d).any():
        raise DetectionInputError("when: every date must lie on or before now (R: when <= now)")
    if d_range is not None:
        d_min, d_max = _day(d_range[0], "d_range"), _day(d_range[-1], "d_range")
    else:
        d_min, d_max = int(onset_d.min()), int(onset_d.max())
    if step == 7 and (_epoch_start(np.array([d_min, d_max]), 7) != [d_min, d_max]).any():
        raise DetectionInputError("d_range: the dates must be Mondays with aggregate_by '1 week'")
    date_range = np.arange(d_min, d_max + 1, step)
    grid = np.arange(d_min, now_d + 1, step)  # R's t02s
    T = len(grid) - 1
    if D > T:
        raise DetectionInputError(f"D: {D} is more than the {T} periods between the first onset and now "
                                  "(R: D>T. Cannot estimate the long delays.)")
    m = T if m is None else m
    for w in when_d:
        if w not in set(date_range.tolist()):
            raise DetectionInputError(f"when: {np.datetime64(int(w), 'D')} lies outside the onset dates "
                                      f"{np.datetime64(d_min, 'D')} to {np.datetime64(d_max, 'D')}")

    delay = _delay(onset_d, report_d, step)
    known = _delay(report_d, np.full_like(report_d, now_d), step) >= 0
    sub_onset, sub_delay = onset_d[known], delay[known]
    if len(sub_onset) == 0:
        raise DetectionInputError(f"now: no case was reported by {np.datetime64(now_d, 'D')}")
    full = np.full((T + 1, T + 1), np.nan)
    for t in range(T + 1):
        delays = sub_delay[sub_onset == grid[t]]
        counts = np.bincount(delays[delays >= 0], minlength=T + 1)[: T - t + 1]
        full[t, : T - t + 1] = counts
    long_delay = np.nansum(full[:, D + 1:], axis=1)
    triangle = full[:, : D + 1].copy()
    triangle[:, D] = triangle[:, D] + long_delay  # R forces delays over D to D

    n_x, N_x = np.zeros(D + 1), np.zeros(D + 1)
    for x in range(D + 1):
        for t in _r_seq(max(0, T - m), T - x):
            n_x[x] += triangle[t, x]
            N_x[x] += triangle[t, : x + 1].sum()
    reported = np.array([int(np.nansum(triangle[t, : min(D, T - t) + 1])) for t in range(T + 1)])
    if reported.max() > N_tInf_max:
        raise DetectionInputError(f"N_tInf_max: {N_tInf_max} is below the {reported.max()} cases already reported "
                                  "for one date")
    support = np.arange(N_tInf_max + 1)

    delay_cdf = None
    if method == "unif":
        pmf = np.zeros((len(support), T + 1))
        for t in range(T + 1):
            lo = min(reported[t], N_tInf_max)
            pmf[lo:, t] = 1.0 / (N_tInf_max - lo + 1)
    else:
        if N_tInf_prior != "poisgamma":
            raise DetectionInputError("N_tInf_prior: only 'poisgamma' is available for the bayes methods "
                                      "(as in R's sampling step)")
        if mean_lambda is None or var_lambda is None:
            raise DetectionInputError("mean_lambda, var_lambda: the poisgamma prior needs both "
                                      "(R: mean.lambda and var.lambda not part of prior specification)")
        if not mean_lambda > 0 or not var_lambda > mean_lambda:
            raise DetectionInputError("var_lambda: must exceed mean_lambda > 0 (a negative binomial prior)")
        size = mean_lambda**2 / (var_lambda - mean_lambda)  # R finds the same root with uniroot
        a_prior, b_prior = _delay_prior(D, gd_prior_kappa)
        a_data = np.array([n_x[D - d] for d in range(D)])
        if method == "bayes.trunc":
            b_data = np.array([N_x[D - d] - n_x[D - d] for d in range(D)])
        else:
            b_data = np.array([n_x[: D - d].sum() for d in range(D)])
        if np.isnan(a_data).any() or np.isnan(b_data).any():
            raise DetectionInputError("m: the moving window reaches delays not yet observable; choose m ≥ D")
        a_star, b_star = a_prior + a_data, b_prior + b_data
        delay_cdf = np.cumsum(_expected_gd(a_star, b_star)[::-1])
        pmf = _predictive(reported, T, D, a_star, b_star, support=support, mean_lambda=mean_lambda, size=size,
                          n_samples=n_samples, rng=np.random.default_rng(seed))

    columns = np.searchsorted(grid, when_d)
    chosen = pmf[:, columns].T
    # R's cumsum adds in long double; so must this, or a median at an exact tie moves by one.
    cdf = np.cumsum(chosen.astype(np.longdouble), axis=1).astype(float)
    first_above = lambda level: support[np.argmax(cdf > level, axis=1)]  # noqa: E731 — R's which.max(cdf > level)
    return NowcastResult(
        method=method, dates=grid.astype("datetime64[D]"), reported=reported, when=when_d.astype("datetime64[D]"),
        support=support, pmf=chosen, median=first_above(0.5), lower=first_above(alpha / 2),
        upper=first_above(1 - alpha / 2), alpha=alpha, triangle=triangle, n_x=n_x, N_x=N_x, delay_cdf=delay_cdf,
        diagnostics={"removed_missing_dates": int(missing.sum()), "long_delays_set_to_D": int(long_delay.sum()),
                     "T": T, "m": m, "cases_reported_by_now": int(known.sum())},
    )
