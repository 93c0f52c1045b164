"""Generalised-likelihood-ratio CUSUM for counts, as R's `surveillance::algo.glrnb` (and its sts
wrappers glrnb / glrpois) computes it, Höhle and Paul (2008): Poisson (`glrpois`, R's alpha = 0) or
negative binomial (`glrnb`) with the dispersion alpha given or estimated (R's alpha = NULL).

change="intercept" (R's change, the default): out of control the count at t has mean
mu0_t·exp(kappa) from an unknown change time k on. The statistic at n is max over k of the
log-likelihood ratio of x_k..x_n with kappa at its maximum-likelihood value (kappa >= 0 for
dir="inc", <= 0 for "dec"), k ranging over all earlier periods (M = -1) or the last M (R's M,
window-limited) and leaving at least Mtilde observations after it. An alarm sounds when the
statistic reaches c_ARL (R's c.ARL). With `theta` given the change is known (R's theta): the
likelihood ratio CUSUM of kappa = theta. change="epi": the epidemic chart, mean mu0_t +
lambda·x_{t-1} out of control (see glr_epi); increases only, no theta, no cases (R fails).

After an alarm the chart restarts at the next period with a fresh history, as R's loop does: change
times before the restart are no longer considered, and the epidemic chart's x_{t-1} there is the
alarm's count (R's xm10). With refit=True (R's mu0$refit) the in-control GLM is first fitted again
to every period up to the alarm, with the same alpha.

mu0 (R's mu0): an array of in-control means for the evaluated periods, or None for R's default, a
GLM fitted to every period before the first evaluated one: log mu0_t = b0 [+ b1 t] + sum_s
(cos(2 s pi t / freq), sin(2 s pi t / freq)) for s = 1..S (R's mu0 = list(S, trend, refit)),
Poisson for glrpois, for glrnb negative binomial with theta = 1/alpha (R's glm with
negative.binomial) or, with alpha=None, MASS::glm.nb, whose theta also gives alpha = 1/theta for
the chart (glm_nb); alpha=None needs the fitted mu0, as in R.

ret="value" (R's default when control$ret is not given) puts the statistic in `upperbound`;
ret="cases" the smallest count at n that would give an alarm (at an alarm, the smallest that still
would): closed-form for the known-change CUSUM, a search over counts for the GLR (R's brute force
for glrnb, counts up to x_max = R's xMax: 1e99 when none up to it, or when x_n = 0, as R's loop
never starts there). `expected` is mu0 (refitted after alarms with refit=True).
Where it runs: the Poisson intercept chart in glr_pois and the negative binomial one in glr_nb, a
block of periods at once (their notes say why the result is C's); the epidemic chart in glr_epi, the
known-change CUSUM and glrnb's cases here, one period at a time.
Diagnostics: "statistic" (the GLR statistic, also for ret="cases"), "change" (the 0-based period of
the most likely change time k at an alarm, NaN elsewhere; with theta, the period after the CUSUM
was last 0; R keeps it only in its plots) and, with alpha=None, "alpha" (glm.nb's estimate, R's
control$alpha).
"""

from dataclasses import replace

import numpy as np

from yizhan.detect import glr_nb, glr_pois
from yizhan.detect.dates import with_index
from yizhan.detect.errors import DetectionInputError, check_option, count_panel, evaluation_periods, panel_result
from yizhan.detect.glm_nb import glm_fit, glm_nb
from yizhan.detect.glr_epi import glr_epi
from yizhan.detect.glr_newton import chained, nb_intercept_step, window
from yizhan.detect.result import DetectionResult


def _design(t: np.ndarray, freq: int, S: int, trend: bool) -> np.ndarray:
    cols = [np.ones(t.size)]
    if trend:
        cols.append(t.astype(float))
    for s in range(1, S + 1):
        cols += [np.cos(2 * s * np.pi / freq * t), np.sin(2 * s * np.pi / freq * t)]
    return np.column_stack(cols)


def glm_mu0(x: np.ndarray, first: int, periods: np.ndarray, freq: int, S: int, trend: bool,
            alpha: float | None) -> tuple[np.ndarray, float | np.ndarray]:
    """R's estimateGLRNbHook: the GLM fitted to periods 1..first (1-based t), predicted at `periods`,
    with the dispersion used: Poisson (alpha = 0), negative.binomial(1/alpha), or for alpha None
    MASS::glm.nb, whose theta gives alpha = 1/theta (R's alpha = NULL). x is one series, or a panel
    (periods x series): then the means are (len(periods), series) and alpha one per series, each
    series fitted on its own as R fits it."""
    t_fit = np.arange(1, first + 1)
    X = _design(t_fit, freq, S, trend)
    y = np.asarray(x[:first], dtype=float).T  # (series, first) for a panel
    if alpha is None:
        fits = [glm_nb(row, X) for row in np.atleast_2d(y)]
        coef = np.array([fit.coef for fit in fits])
        alphas = np.array([1.0 / fit.theta for fit in fits])
    else:
        coef = np.array([glm_fit(row, X, np.inf if alpha == 0 else 1.0 / alpha)[0] for row in np.atleast_2d(y)])
        alphas = np.full(coef.shape[0], alpha)
    Xp = _design(periods + 1, freq, S, trend)
    mu = np.column_stack([np.maximum(np.exp(Xp @ c), np.finfo(float).eps) for c in coef])  # R's linkinv
    if np.ndim(x) == 1:
        return mu[:, 0], float(alphas[0])
    return mu, alphas


def _glr_nb(x, mu0, alpha, n, dir_, M, Mtilde, guess=None):
    """R's glr_nb_window at n: C runs the change times k in order, each Newton-Raphson starting at
    the previous k's estimate clamped to the direction (the first at 0.5); see glr_newton. Returns
    the statistic, the change time and the clamped estimates by k."""
    ks, seg = window(n, M, Mtilde)
    if ks.size == 0:
        return -1e99, -1, {}
    inside = seg[None, :] >= ks[:, None]  # (K, L): i in k..n
    xs, ms = x[seg].astype(float), mu0[seg]
    clamp = lambda kappa: dir_ * np.fmax(0.0, dir_ * kappa)  # noqa: E731 — C's fmax ignores NaN
    kappa = clamp(chained(ks, 0.5, nb_intercept_step(xs, ms, inside, alpha), 0.4, False, clamp, guess))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(kappa)[:, None]
        terms = kappa[:, None] * xs + (xs + 1 / alpha) * np.log((1 + alpha * ms) / (1 + alpha * ms * e))
        lnk = np.where(inside, terms, 0.0).sum(axis=1)
    i = int(np.argmax(np.where(np.isnan(lnk), -np.inf, lnk)))
    return float(lnk[i]), int(ks[i]), dict(zip(ks.tolist(), kappa.tolist(), strict=True))


def _nb_cases(x, mu0, alpha, n, dir_, M, Mtilde, c_arl, x_max, alarmed, guess) -> float:
    """R's brute-force cases for glrnb at n: without an alarm at n, x_n is raised one at a time
    (while 1 <= x_n <= xMax) until it gives one, else 1e99; at the alarm, lowered until it gives
    none, the count one above, else NA (0). The statistic at n is monotone in x_n (rising for
    dir = inc, falling for dec), so the same count is found by bisection; for dec, raising never
    alarms and lowering never stops one."""
    v0 = int(x[n])
    if dir_ < 0 or v0 < 1 or v0 > x_max or n < Mtilde - 1:
        return 0.0 if alarmed else 1e99

    def alarms(v: int) -> bool:
        y = x.copy()
        y[n] = v
        return _glr_nb(y, mu0, alpha, n, dir_, M, Mtilde, guess)[0] >= c_arl

    if alarmed:
        lo, hi = -1, v0  # the smallest alarming count in 0..x_n (0: R's NA, also 0)
    else:
        lo, step = v0, 1
        while True:
            hi = min(v0 + step, x_max + 1)
            if alarms(hi):
                break
            if hi == x_max + 1:
                return 1e99
            lo, step = hi, step * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if alarms(mid) else (mid, hi)
    return float(hi)


def _segment(x, mu0, alpha, c_arl, dir_, M, Mtilde, theta, ret, change, xm10, x_max, tables=None):
    """One run of R's C routine over a segment: (statistic, cases, change, N) with N the 0-based
    alarm position or len(x) when none; values past N are 0."""
    L = x.size
    stat, cases, where = np.zeros(L), np.zeros(L), np.full(L, np.nan)
    if theta is not None and change == "intercept":  # lr_cusum / lr_cusum_nb: known change
        before, run_start = 0.0, 0  # the CUSUM's change-time estimate: just after it was last 0
        for n in range(L):
            if alpha == 0:
                z = theta * x[n] + (1 - np.exp(theta)) * mu0[n]
                cases[n] = (c_arl - before + mu0[n] * (np.exp(theta) - 1)) / theta
            else:
                r = np.log((1 + alpha * mu0[n]) / (1 + alpha * mu0[n] * np.exp(theta)))
                z = theta * x[n] + (x[n] + 1 / alpha) * r
                cases[n] = -(before * alpha + r - c_arl * alpha) / alpha / (theta + r)
            stat[n] = before = max(0.0, before + z)
            if stat[n] == 0:
                run_start = n + 1
            if stat[n] > c_arl:
                where[n] = run_start
                return stat, cases, where, n
        return stat, cases, where, L
    xw = x.astype(np.int64)
    if alpha == 0 and change == "intercept":  # a block of periods at a time (glr_pois), to the first alarm
        start = Mtilde if M > 0 else max(Mtilde - 1, 0)
        for a in range(start, L, glr_pois.BLOCK):
            rows = range(a, min(a + glr_pois.BLOCK, L))
            value, k = glr_pois.statistics(xw, mu0, rows, dir_, M, Mtilde)
            alarms = np.nonzero(value >= c_arl)[0]
            if alarms.size:
                rows = range(a, a + int(alarms[0]) + 1)
            stat[rows.start: rows.stop] = value[: len(rows)]
            if ret == "cases":
                cases[rows.start: rows.stop] = glr_pois.cases(xw, mu0, rows, dir_, M, Mtilde, c_arl)
            if alarms.size:
                where[rows.stop - 1] = k[len(rows) - 1]
                return stat, cases, where, rows.stop - 1
        return stat, cases, where, L
    start = max(Mtilde - 1, 0)
    if tables is not None:  # negative binomial intercept chart: a block of periods at a time (glr_nb)
        for a in range(start, L, glr_nb.BLOCK):
            rows = range(a, min(a + glr_nb.BLOCK, L))
            value, k = glr_nb.statistics(tables, rows, dir_, M, Mtilde)
            alarms = np.nonzero(value >= c_arl)[0]
            if alarms.size:
                rows = range(a, a + int(alarms[0]) + 1)
            stat[rows.start: rows.stop] = value[: len(rows)]
            if alarms.size:
                where[rows.stop - 1] = k[len(rows) - 1]
                return stat, cases, where, rows.stop - 1
        return stat, cases, where, L
    if ret == "cases" and alpha > 0:
        cases[:start] = 1e99  # R's search finds no alarm where the chart has not started
    guess = None
    for n in range(start, L):
        if change == "epi":
            stat[n], k, guess = glr_epi(xw, mu0, alpha, xm10, n, M, Mtilde, guess)
            alarm = stat[n] > c_arl if alpha == 0 else stat[n] >= c_arl  # as each C routine tests
        else:
            seed = guess
            stat[n], k, guess = _glr_nb(xw, mu0, alpha, n, dir_, M, Mtilde, seed)
            alarm = stat[n] >= c_arl
            if ret == "cases":
                cases[n] = _nb_cases(xw, mu0, alpha, n, dir_, M, Mtilde, c_arl, x_max, alarm, seed)
        if alarm:
            where[n] = k
            return stat, cases, where, n
    return stat, cases, where, L


def _check_options(c_arl, direction, ret, M, Mtilde, theta, S, change, x_max, fitted, refit):
    check_option("c_arl", c_arl, isinstance(c_arl, int | float) and c_arl > 0, "c_arl must be a positive number")
    check_option("direction", direction, direction in ("inc", "dec"), "direction must be 'inc' or 'dec'")
    check_option("ret", ret, ret in ("value", "cases"), "ret must be 'value' or 'cases'")
    check_option("Mtilde", Mtilde, isinstance(Mtilde, int | np.integer) and Mtilde >= 1, "Mtilde must be >= 1")
    check_option("M", M, isinstance(M, int | np.integer) and (M == -1 or M >= Mtilde),
                 "M must be -1 (no window) or at least Mtilde")
    check_option("theta", theta, theta is None or (isinstance(theta, int | float) and theta != 0),
                 "theta must be a non-zero number (the known change in the intercept)")
    check_option("S", S, isinstance(S, int | np.integer) and S >= 0, "S (harmonics) must be a whole number >= 0")
    check_option("change", change, change in ("intercept", "epi"), "change must be 'intercept' or 'epi'")
    check_option("x_max", x_max, isinstance(x_max, int | np.integer) and x_max >= 1,
                 "x_max must be a whole number >= 1")
    check_option("refit", refit, isinstance(refit, bool | np.bool_), "refit must be True or False")
    if change == "epi":
        if ret == "cases":
            raise DetectionInputError("ret: 'cases' is not available with change='epi' (R's epidemic chart "
                                      "returns no cases and algo.glrnb fails)")
        if theta is not None:
            raise DetectionInputError("theta: a known change applies to the intercept chart only "
                                      "(R ignores theta with change='epi')")
        if direction != "inc":
            raise DetectionInputError("direction: the epidemic chart (change='epi') detects increases only "
                                      "(R ignores dir there)")
    if refit and not fitted:
        raise DetectionInputError("refit: refitting after an alarm needs the fitted in-control mean; "
                                  "leave mu0 unset")


def _glr(counts, freq, periods, c_arl, mu0, alpha, M, Mtilde, theta, direction, ret, S, trend, change="intercept",
         x_max=10000, refit=False):
    _check_options(c_arl, direction, ret, M, Mtilde, theta, S, change, x_max, mu0 is None, refit)
    if alpha is None and mu0 is not None:
        raise DetectionInputError("alpha: estimating it (alpha=None, R's alpha = NULL) needs the fitted "
                                  "in-control mean; give alpha with mu0")
    panel, one_series = count_panel(counts)
    n_periods, n_series = panel.shape
    p = 2 + (1 if trend else 0) + 2 * S  # parameters of the default mu0 model, plus one period to spare
    idx = evaluation_periods(periods, n_periods, p if mu0 is None else 0,
                             f"{p} periods to fit the in-control mean")
    if np.any(np.diff(idx) != 1):
        raise DetectionInputError("periods: the GLR chart runs over consecutive periods; give a range")
    if mu0 is not None:
        m = np.asarray(mu0, dtype=float)
        m = m.reshape(m.shape[0], -1) if m.ndim == 1 else m
        if m.shape[0] != idx.size or m.shape[1] not in (1, n_series):
            raise DetectionInputError(f"mu0: expected one in-control mean per evaluated period ({idx.size}), "
                                      f"got shape {np.shape(mu0)}")
        if not (np.isfinite(m) & (m > 0)).all():
            raise DetectionInputError("mu0: in-control means must be positive numbers")
        m = np.broadcast_to(m, (idx.size, n_series))
    dir_ = 1 if direction == "inc" else -1
    expected = np.empty((idx.size, n_series))
    upper, alarm = np.zeros_like(expected), np.zeros(expected.shape, dtype=bool)
    statistic, where = np.zeros_like(expected), np.full(expected.shape, np.nan)
    dispersion = np.empty((idx.size, n_series))
    if mu0 is None:  # every series' in-control GLM at once
        fitted, alphas = glm_mu0(panel, int(idx[0]), idx, freq, S, trend, alpha)
    for j in range(n_series):
        x = panel[:, j]
        if mu0 is not None:
            mu, a = m[:, j].copy(), alpha
        else:
            mu, a = fitted[:, j].copy(), float(alphas[j])
        dispersion[:, j] = a
        xs = x[idx]
        done, xm10 = 0, 0.0
        tables = base = None  # glr_nb's running sums, built once for the means in force from period `base` on
        while done < idx.size:
            if a > 0 and change == "intercept" and theta is None and ret == "value" and tables is None:
                tables, base = glr_nb.Tables(xs[done:], mu[done:], a, dir_), done
            stat, cases, at, N = _segment(xs[done:], mu[done:], a, c_arl, dir_, M, Mtilde, theta, ret, change, xm10,
                                          x_max, None if tables is None else tables.at(done - base))
            end = min(N + 1, idx.size - done)
            statistic[done: done + end, j] = stat[:end]
            upper[done: done + end, j] = (stat if ret == "value" else cases)[:end]
            if N < idx.size - done:
                alarm[done + N, j] = True
                where[done + N, j] = idx[done + int(at[N])]
                xm10 = float(xs[done + N])  # R's xm10: the epidemic chart's x_{t-1} at the restart
                if refit and done + N + 1 < idx.size:  # R's mu0$refit: the GLM again, up to the alarm
                    rest = idx[done + N + 1:]
                    mu[done + N + 1:] = glm_mu0(x, int(rest[0]), rest, freq, S, trend, a)[0]
                    tables = None
            done += N + 1
        expected[:, j] = mu
    upper = np.where(np.isnan(upper) | (upper < 0), 0.0, upper)
    result = panel_result(idx, expected, upper, np.ma.masked_array(alarm), one_series)
    diagnostics = {"statistic": statistic, "change": where}
    if alpha is None:
        diagnostics["alpha"] = dispersion
    if one_series:
        diagnostics = {k: v[:, 0] for k, v in diagnostics.items()}
    return replace(result, diagnostics=diagnostics)


@with_index
def glrpois(counts, *, freq: int = 52, periods=None, c_arl: float = 5.0, mu0=None, M: int = -1, Mtilde: int = 1,
            theta: float | None = None, direction: str = "inc", ret: str = "value", S: int = 1,
            trend: bool = False, change: str = "intercept", refit: bool = False) -> DetectionResult:
    """R's glrpois (algo.glrnb with alpha = 0) on each series; `periods` must be consecutive (by
    default from the 5th period on when mu0 is fitted). R's names: c.ARL is `c_arl`, dir is
    `direction`, mu0$S, mu0$trend, mu0$refit are `S`, `trend`, `refit`; `change` is "intercept"
    or "epi"."""
    return _glr(counts, freq, periods, c_arl, mu0, 0.0, M, Mtilde, theta, direction, ret, S, trend, change,
                refit=refit)


@with_index
def glrnb(counts, *, freq: int = 52, periods=None, alpha: float | None = None, c_arl: float = 5.0, mu0=None,
          M: int = -1, Mtilde: int = 1, theta: float | None = None, direction: str = "inc", ret: str = "value", S: int = 1,
          trend: bool = False, change: str = "intercept", x_max: int = 10000, refit: bool = False) -> DetectionResult:
    """R's glrnb (algo.glrnb) on each series: the dispersion `alpha` > 0 given, or None (R's
    alpha = NULL, its default) for MASS::glm.nb's estimate from the periods before `periods`
    (then diagnostics["alpha"] holds it). `x_max` is R's xMax, the largest count tried for
    ret="cases"; the other options as glrpois."""
    check_option("alpha", alpha, alpha is None or (isinstance(alpha, int | float) and alpha > 0),
                 "alpha (the negative binomial dispersion) must be > 0, or None to estimate it; "
                 "use glrpois for the Poisson chart")
    return _glr(counts, freq, periods, c_arl, mu0, None if alpha is None else float(alpha), M, Mtilde, theta,
                direction, ret, S, trend, change, x_max, refit)
