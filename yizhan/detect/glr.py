"""Generalised-likelihood-ratio CUSUM for counts, as R's `surveillance::algo.glrnb` (and its sts
wrappers glrnb / glrpois) computes it: the intercept chart of Höhle and Paul (2008), Poisson
(`glrpois`, R's alpha = 0) or negative binomial with a fixed dispersion alpha (`glrnb`).

Under control the count at t has mean mu0_t; out of control it has mean mu0_t·exp(kappa) from an
unknown change time k on. The statistic at n is max over k of the log-likelihood ratio of
x_k..x_n with kappa at its maximum-likelihood value (kappa >= 0 for dir="inc", <= 0 for "dec"),
k ranging over all earlier periods (M = -1) or the last M (R's M, window-limited) and leaving at
least Mtilde observations after it. An alarm sounds when the statistic reaches c_ARL (R's c.ARL);
the chart then restarts at the next period, as R's does. With `theta` given the change is known
(R's theta): the likelihood ratio CUSUM of kappa = theta.

mu0 (R's mu0): an array of in-control means for the evaluated periods, or None for R's default, a
GLM fitted to every period before the first evaluated one: log mu0_t = b0 [+ b1 t] + sum_s
(cos(2 s pi t / freq), sin(2 s pi t / freq)) for s = 1..S (R's mu0 = list(S, trend)), Poisson for
glrpois and negative binomial with theta = 1/alpha for glrnb (R's glm with negative.binomial).

ret="value" (R's default when control$ret is not given) puts the statistic in `upperbound`;
ret="cases" (Poisson only) the smallest count at n that would give an alarm. `expected` is mu0.
Diagnostics: "statistic" (the GLR statistic, also for ret="cases") and "change" (the 0-based
period of the most likely change time k at an alarm, NaN elsewhere; with theta, the period after the
CUSUM was last 0; R keeps it only in its plots).

Not available: R's epidemic chart (change = "epi"), refitting mu0 after an alarm
(mu0$refit = TRUE), ret = "cases" for the negative binomial, alpha estimated by glm.nb.
"""

import numpy as np

from yizhan.detect.dates import with_index
from yizhan.detect.errors import DetectionInputError, check_option, count_panel, evaluation_periods, panel_result
from yizhan.detect.result import DetectionResult


def _glm_fit(y: np.ndarray, X: np.ndarray, alpha: float) -> np.ndarray:
    """Coefficients of R's glm.fit with log link: Poisson (alpha = 0) or negative.binomial(1/alpha)."""
    theta = np.inf if alpha == 0 else 1.0 / alpha
    mu = y + 0.1 if alpha == 0 else y + (y == 0) / 6.0
    eta = np.log(mu)

    def deviance(mu):
        with np.errstate(divide="ignore", invalid="ignore"):
            if alpha == 0:
                r = np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)
            else:
                r = y * np.log(np.maximum(y, 1) / mu) - (y + theta) * np.log((y + theta) / (mu + theta))
        return 2 * r.sum()

    dev_old = deviance(mu)
    coef = np.zeros(X.shape[1])
    for _ in range(25):
        var = mu + alpha * mu * mu
        w = np.sqrt(mu * mu / var)
        z = eta + (y - mu) / mu
        coef = np.linalg.lstsq(X * w[:, None], z * w, rcond=None)[0]
        eta = X @ coef
        mu = np.maximum(np.exp(eta), np.finfo(float).eps)
        dev = deviance(mu)
        if abs(dev - dev_old) / (abs(dev) + 0.1) < 1e-8:
            break
        dev_old = dev
    return coef


def _design(t: np.ndarray, freq: int, S: int, trend: bool) -> np.ndarray:
    cols = [np.ones(t.size)]
    if trend:
        cols.append(t.astype(float))
    for s in range(1, S + 1):
        cols += [np.cos(2 * s * np.pi / freq * t), np.sin(2 * s * np.pi / freq * t)]
    return np.column_stack(cols)


def glm_mu0(x: np.ndarray, first: int, periods: np.ndarray, freq: int, S: int, trend: bool, alpha: float):
    """R's estimateGLRNbHook: the GLM fitted to periods 1..first (1-based t), predicted at `periods`."""
    t_fit = np.arange(1, first + 1)
    coef = _glm_fit(x[:first].astype(float), _design(t_fit, freq, S, trend), alpha)
    return np.maximum(np.exp(_design(periods + 1, freq, S, trend) @ coef), np.finfo(float).eps)  # R's linkinv


def _pois_sums(x, mu0, n, M, Mtilde):
    """The change times k of R's glr (M = -1) or glr_window at n, with the sums of x and mu0 over
    k..n accumulated in the C code's order."""
    if M > 0:
        lo = max(0, n - M)
        head_x = float(x[n - Mtilde + 1: n + 1].sum())
        head_m = 0.0
        for v in mu0[n - Mtilde + 1: n + 1]:
            head_m += v
        ks = np.arange(n - Mtilde, lo - 1, -1)
        return ks, head_x + np.cumsum(x[ks].astype(float)), head_m + np.cumsum(mu0[ks])
    ks = np.arange(n, -1, -1)
    return ks, np.cumsum(x[ks].astype(float)), np.cumsum(mu0[ks])


def _pois_lr(sx, sm, dir_):
    """The log-likelihood ratio at kappa's maximum-likelihood value; -inf where R's is NaN (never the max)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = dir_ * np.maximum(0.0, dir_ * np.log(sx / sm))
        value = kappa * sx + (1 - np.exp(kappa)) * sm
    return np.where(np.isnan(value), -np.inf, value)


def _glr_pois(x, mu0, n, dir_, M, Mtilde):
    """Statistic at n and the change time of its maximum (R's glr / glr_window)."""
    ks, sx, sm = _pois_sums(x, mu0, n, M, Mtilde)
    if ks.size == 0:
        return -1e99, -1
    value = _pois_lr(sx, sm, dir_)
    i = int(np.argmax(value))
    return max(float(value[i]), -1e99), int(ks[i])


def _pois_cases(x, mu0, n, dir_, M, Mtilde, c_arl) -> int:
    """R's search for the count at n that gives an alarm: the first v = 0, 1, ... whose statistic
    reaches c_arl (dir = inc; for dec, falls to c_arl), tried in blocks of candidates at once. The
    sums of counts are whole numbers, exact in any order, so replacing x_n shifts them exactly."""
    ks, sx, sm = _pois_sums(x, mu0, n, M, Mtilde)
    if ks.size == 0:
        return 0 if dir_ * -1e99 >= dir_ * c_arl else -1  # -1: R's loop would not end; never reached
    base = sx - float(x[n])
    start, block = 0, 64
    while True:
        v = np.arange(start, start + block, dtype=float)
        value = np.maximum(_pois_lr(base[None, :] + v[:, None], sm[None, :], dir_).max(axis=1), -1e99)
        done = np.nonzero(~(dir_ * value < dir_ * c_arl))[0]
        if done.size:
            return int(v[done[0]])
        start, block = start + block, block * 2


def _nb_newton(kappa, xs, ms, inside, alpha):
    """R's Newton-Raphson loop for kappa (C: while kappa>-18 and |change|>1e-6 and iter<1000), run for
    every change time k at once from the starting values `kappa`."""
    kappa = kappa.copy()
    old = np.full(kappa.size, 0.4)  # C's kappa_old before the first step
    active = np.ones(kappa.size, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(1000):
            active &= (kappa > -18) & (np.abs(kappa - old) > 1e-6)
            if not active.any():
                break
            e = np.exp(kappa[active])[:, None]
            denom = 1 + alpha * e * ms[None, :]
            score = np.where(inside[active], (xs - e * ms) / denom, 0.0).sum(axis=1)
            fisher = e[:, 0] * np.where(inside[active], ms * (alpha * xs + 1) / denom**2, 0.0).sum(axis=1)
            old[active] = kappa[active]
            kappa[active] = kappa[active] + score / fisher
    return kappa


def _glr_nb(x, mu0, alpha, n, dir_, M, Mtilde, guess=None):
    """R's glr_nb_window at n. C runs the change times k in order, each Newton-Raphson starting at the
    previous k's estimate (the first at 0.5). The estimate is the same from any start where the
    iteration converges (the log-likelihood is concave), but not where it overshoots; so the chain of
    starting values is found as a fixed point: run every k at once from the previous k's result, until
    the starts stop changing beyond the iteration's tolerance. `guess` (the previous n's estimates,
    by k) seeds the first round, so one or two short rounds usually suffice. Returns the statistic,
    the change time and the estimates by k."""
    lo = 0 if M == -1 else max(0, n - M)
    ks = np.arange(lo, n - (Mtilde - 1) + 1)
    if ks.size == 0:
        return -1e99, -1, {}
    seg = np.arange(lo, n + 1)
    inside = seg[None, :] >= ks[:, None]  # (K, L): i in k..n
    xs, ms = x[seg].astype(float), mu0[seg]
    clamp = lambda kappa: dir_ * np.fmax(0.0, dir_ * kappa)  # noqa: E731 — C's fmax ignores NaN
    guess = guess or {}
    starts = np.array([0.5] + [guess.get(int(k) - 1, 0.5) for k in ks[1:]])
    for _ in range(ks.size + 1):
        kappa = clamp(_nb_newton(starts, xs, ms, inside, alpha))
        chained = np.concatenate([[0.5], kappa[:-1]])
        # Starts within the iteration's own tolerance lead to the same estimate.
        if np.allclose(chained, starts, rtol=0, atol=1e-5, equal_nan=True):
            break
        starts = chained
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(kappa)[:, None]
        terms = kappa[:, None] * xs + (xs + 1 / alpha) * np.log((1 + alpha * ms) / (1 + alpha * ms * e))
        lnk = np.where(inside, terms, 0.0).sum(axis=1)
    i = int(np.argmax(np.where(np.isnan(lnk), -np.inf, lnk)))
    return float(lnk[i]), int(ks[i]), dict(zip(ks.tolist(), kappa.tolist(), strict=True))


def _segment(x, mu0, alpha, c_arl, dir_, M, Mtilde, theta, ret):
    """One run of R's C routine over a segment: (statistic, cases, change, N) with N the 0-based
    alarm position or len(x) when none; values past N are 0."""
    L = x.size
    stat, cases, change = np.zeros(L), np.zeros(L), np.full(L, np.nan)
    if theta is not None:  # lr_cusum / lr_cusum_nb: known change
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
                change[n] = run_start
                return stat, cases, change, n
        return stat, cases, change, L
    if alpha == 0:
        start = Mtilde if M > 0 else max(Mtilde - 1, 0)
    else:
        start = max(Mtilde - 1, 0)
    xw = x.astype(np.int64)
    guess = None
    for n in range(start, L):
        if alpha == 0:
            stat[n], k = _glr_pois(xw, mu0, n, dir_, M, Mtilde)
        else:
            stat[n], k, guess = _glr_nb(xw, mu0, alpha, n, dir_, M, Mtilde, guess)
        if ret == "cases":
            cases[n] = _pois_cases(xw, mu0, n, dir_, M, Mtilde, c_arl)
        if stat[n] >= c_arl:
            change[n] = k
            return stat, cases, change, n
    return stat, cases, change, L


def _glr(counts, freq, periods, c_arl, mu0, alpha, M, Mtilde, theta, direction, ret, S, trend):
    check_option("c_arl", c_arl, isinstance(c_arl, int | float) and c_arl > 0, "c_arl must be a positive number")
    check_option("direction", direction, direction in ("inc", "dec"), "direction must be 'inc' or 'dec'")
    check_option("ret", ret, ret in ("value", "cases"), "ret must be 'value' or 'cases'")
    check_option("Mtilde", Mtilde, isinstance(Mtilde, int | np.integer) and Mtilde >= 1, "Mtilde must be >= 1")
    check_option("M", M, isinstance(M, int | np.integer) and (M == -1 or M >= Mtilde),
                 "M must be -1 (no window) or at least Mtilde")
    check_option("theta", theta, theta is None or (isinstance(theta, int | float) and theta != 0),
                 "theta must be a non-zero number (the known change in the intercept)")
    check_option("S", S, isinstance(S, int | np.integer) and S >= 0, "S (harmonics) must be a whole number >= 0")
    if alpha > 0 and ret == "cases":
        raise DetectionInputError("ret: 'cases' is available for glrpois only (R computes it by brute force for glrnb)")
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
    statistic, change = np.zeros_like(expected), np.full(expected.shape, np.nan)
    for j in range(n_series):
        x = panel[:, j]
        mu = m[:, j] if mu0 is not None else glm_mu0(x, int(idx[0]), idx, freq, S, trend, alpha)
        expected[:, j] = mu
        xs = x[idx]
        done = 0
        while done < idx.size:
            stat, cases, where, N = _segment(xs[done:], mu[done:], alpha, c_arl, dir_, M, Mtilde, theta, ret)
            end = min(N + 1, idx.size - done)
            statistic[done: done + end, j] = stat[:end]
            upper[done: done + end, j] = (stat if ret == "value" else cases)[:end]
            if N < idx.size - done:
                alarm[done + N, j] = True
                change[done + N, j] = idx[done + int(where[N])]
            done += N + 1
    upper = np.where(np.isnan(upper) | (upper < 0), 0.0, upper)
    result = panel_result(idx, expected, upper, np.ma.masked_array(alarm), one_series)
    diagnostics = {"statistic": statistic, "change": change}
    if one_series:
        diagnostics = {k: v[:, 0] for k, v in diagnostics.items()}
    from dataclasses import replace

    return replace(result, diagnostics=diagnostics)


@with_index
def glrpois(counts, *, freq: int = 52, periods=None, c_arl: float = 5.0, mu0=None, M: int = -1, Mtilde: int = 1,
            theta: float | None = None, direction: str = "inc", ret: str = "value", S: int = 1,
            trend: bool = False) -> DetectionResult:
    """R's glrpois (algo.glrnb with alpha = 0) on each series; `periods` must be consecutive (by
    default from the 5th period on when mu0 is fitted); R's dir is `direction`."""
    return _glr(counts, freq, periods, c_arl, mu0, 0.0, M, Mtilde, theta, direction, ret, S, trend)


@with_index
def glrnb(counts, *, freq: int = 52, periods=None, alpha: float | None = None, c_arl: float = 5.0, mu0=None,
          M: int = -1, Mtilde: int = 1, theta: float | None = None, direction: str = "inc", ret: str = "value", S: int = 1,
          trend: bool = False) -> DetectionResult:
    """R's glrnb (algo.glrnb) with the dispersion alpha > 0 given, on each series."""
    check_option("alpha", alpha, isinstance(alpha, int | float) and alpha > 0,
                 "alpha (the negative binomial dispersion) must be > 0; use glrpois for the Poisson chart")
    return _glr(counts, freq, periods, c_arl, mu0, float(alpha), M, Mtilde, theta, direction, ret, S, trend)
