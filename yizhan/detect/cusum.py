"""CUSUM for counts, computed as R's `surveillance::cusum` / `algo.cusum` does.

The counts x_t of the evaluated periods are standardised against the in-control mean m by one of
R's transformations (`trans`), and the one-sided sum S_t = max(0, S_{t-1} + z_t - k), S_0 = 0,
raises an alarm when S_t >= h. The upper bound is the count at which the sum would reach h at t
given S_{t-1} (R's formula for each transformation, rounded up for "standard"; for "none" and
"anscombeNegBin" R reports h - S_t instead), set to 0 where negative or undefined.

- m=None: the mean of all counts before the first evaluated period (R's default);
  a number or an array broadcastable to (n_evaluated, n_series): that mean;
  m="glm": a Poisson GLM log(m_t) = b0 + b1 cos(2πt/freq) + b2 sin(2πt/freq) fitted, per series, to
  the periods before the first evaluated one and predicted for the evaluated ones (fitted in a
  batch over all series with R's IRLS start values and convergence rule).
- trans: "standard" (x-m)/√m, "rossi" (x-3m+2√(xm))/(2√m) (Rossi et al. 1999), "anscombe",
  "anscombe2nd", "pearsonNegBin" and "anscombeNegBin" (negative binomial with dispersion `alpha`), "none".
- reset: R's cusum does not reset the sum after an alarm (reset=False, the default, reproduces R);
  reset=True starts the sum again from 0 after each alarm, as a CUSUM chart is usually run.

Where R's implementation is inconsistent we compute the evident intent and say so: the first
evaluated period is the earliest one even if `periods` is unsorted (R takes the first given), and
"anscombeNegBin" with a per-period m (glm) is computed period by period (R's table lookup expects
one m).

`expected` is m. Default periods (R has none: its `range` is required): from period `freq`
(0-based, i.e. after one year of history) to the last.
"""

from functools import cache

import numpy as np
from scipy.special import hyp2f1

from yizhan.detect.dates import with_index
from yizhan.detect.errors import DetectionInputError, check_option, count_panel, evaluation_periods, panel_result
from yizhan.detect.result import DetectionResult

TRANSFORMATIONS = ("standard", "rossi", "anscombe", "anscombe2nd", "pearsonNegBin", "anscombeNegBin", "none")


@cache
def _hypergeometric_table() -> tuple[np.ndarray, np.ndarray]:
    """R tabulates 2F1(1/3, 2/3; 5/3; z) on z = 0, -0.01, ..., -10 and -11, ..., -100; we do the same."""
    z = np.concatenate([-np.arange(1001) / 100, -np.arange(11.0, 101.0)])
    return z, hyp2f1(1 / 3, 2 / 3, 5 / 3, z)


def _hypergeometric(x: np.ndarray) -> np.ndarray:
    """R's lookup: the nearest tabulated value for x >= -10 (the one nearer 0 on ties), linear
    interpolation between the neighbouring grid points below -10."""
    z, table = _hypergeometric_table()
    x = np.asarray(x, dtype=float)
    ascending = z[::-1]
    pos = np.clip(np.searchsorted(ascending, x), 1, z.size - 1)
    below, above = z.size - pos, z.size - 1 - pos  # original indices of the grid points under and over x
    nearest = np.where(np.abs(z[below] - x) < np.abs(z[above] - x), below, above)
    out = table[nearest]
    deep = x < -10
    if deep.any():
        xd, idx = x[deep], nearest[deep]
        low = np.where(xd - z[idx] < 0, idx + 1, idx)
        low = np.minimum(low, z.size - 1)
        up = low - 1
        out[deep] = table[low] + (table[up] - table[low]) * (xd - z[low])
    return out


def _anscombe_negbin(x: np.ndarray, m: np.ndarray, alpha: float) -> np.ndarray:
    x, m = np.broadcast_arrays(x.astype(float), m)
    return (1.5 * x ** (2 / 3) * _hypergeometric(-alpha * x) - 1.5 * m ** (2 / 3) * _hypergeometric(-alpha * m)) / (
        m + alpha * m**2
    ) ** (1 / 6)


def _standardise(x: np.ndarray, m: np.ndarray, trans: str, alpha: float) -> np.ndarray:
    if trans == "rossi":
        return (x - 3 * m + 2 * np.sqrt(x * m)) / (2 * np.sqrt(m))
    if trans == "standard":
        return (x - m) / np.sqrt(m)
    if trans == "anscombe":
        return 1.5 * (x ** (2 / 3) - m ** (2 / 3)) / m ** (1 / 6)
    if trans == "anscombe2nd":
        return (x ** (2 / 3) - (m ** (2 / 3) - m ** (-1 / 3) / 9)) / (2 / 3 * m ** (1 / 6))
    if trans == "pearsonNegBin":
        return (x - m) / np.sqrt(m + alpha * m**2)
    if trans == "anscombeNegBin":
        return _anscombe_negbin(x, m, alpha)
    return x.astype(float)


def _upperbound(m: np.ndarray, before: np.ndarray, after: np.ndarray, trans: str, k: float, h: float,
                alpha: float) -> np.ndarray:
    """R's upper bound given the sum before (S_{t-1}) and after (S_t) period t."""
    room = h + k - before
    if trans == "rossi":
        r = np.sqrt(m)
        m32 = m**1.5
        ub = 2 * h * r + 2 * k * r - 2 * before * r + 5 * m - 2 * np.sqrt(4 * m**2 + 2 * m32 * h + 2 * m32 * k
                                                                         - 2 * m32 * before)
    elif trans == "standard":
        ub = np.ceil(np.sqrt(m) * room + m)
    elif trans in ("anscombe", "anscombe2nd"):
        # R's anscombe2nd bound uses m^(1/3)/9 where its transformation uses m^(-1/3)/9; kept as R has it.
        centre = m ** (2 / 3) if trans == "anscombe" else m ** (2 / 3) - m ** (1 / 3) / 9
        a = 2 / 3 * m ** (1 / 6) * room + centre
        ub = np.where(a < 0, 0.0, a**1.5)
    elif trans == "pearsonNegBin":
        ub = np.sqrt(m + alpha * m**2) * room + m
    else:
        ub = h - after
    ub = np.array(np.broadcast_to(ub, after.shape), dtype=float)
    ub[np.isnan(ub) | (ub < 0)] = 0.0
    return ub


def _poisson_deviance(y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return 2 * (term - (y - mu)).sum(axis=0)


def _inverse_link(eta: np.ndarray) -> np.ndarray:
    # R's poisson()$linkinv keeps fitted means at least machine epsilon.
    return np.maximum(np.exp(eta), np.finfo(float).eps)


def seasonal_poisson_mean(y: np.ndarray, t_fit: np.ndarray, t_new: np.ndarray, freq: int) -> np.ndarray:
    """Fit log(mu_t) = b0 + b1 cos(2πt/freq) + b2 sin(2πt/freq) to each column of y (periods × series)
    by IRLS, batched over the series, and return exp(linear predictor) at t_new (n_new × series).

    Start values, stopping rule and the floor of the fitted means are R's glm.fit's: mu = y + 0.1, stop when
    |dev - dev_old| / (|dev| + 0.1) < 1e-8, at most 25 iterations, each series on its own."""
    def design(t):
        w = 2 * np.pi / freq * t
        return np.column_stack([np.ones_like(w), np.cos(w), np.sin(w)])

    x = design(t_fit.astype(float))
    y = y.astype(float)
    mu = y + 0.1
    eta = np.log(mu)
    dev = _poisson_deviance(y, mu)
    beta = np.zeros((3, y.shape[1]))
    active = np.ones(y.shape[1], dtype=bool)
    for _ in range(25):
        cols = np.flatnonzero(active)
        if cols.size == 0:
            break
        mu_a, eta_a, y_a = mu[:, cols], eta[:, cols], y[:, cols]
        z = eta_a + (y_a - mu_a) / mu_a
        # Weighted least squares by QR of sqrt(w)·X (as R does), not the normal equations: a fit that
        # diverges (a series with almost no cases) stays on the same path as R's.
        root_w = np.sqrt(mu_a).T[:, :, None]
        q, r = np.linalg.qr(root_w * x[None])
        b = np.linalg.solve(r, q.transpose(0, 2, 1) @ (root_w * z.T[:, :, None]))[..., 0].T
        beta[:, cols] = b
        eta[:, cols] = x @ b
        mu[:, cols] = _inverse_link(eta[:, cols])
        new_dev = _poisson_deviance(y_a, mu[:, cols])
        done = np.abs(new_dev - dev[cols]) / (np.abs(new_dev) + 0.1) < 1e-8
        dev[cols] = new_dev
        active[cols[done]] = False
    return _inverse_link(design(t_new.astype(float)) @ beta)


def _in_control_mean(x: np.ndarray, t: np.ndarray, m, freq: int) -> np.ndarray:
    if m is None:
        return x[: t[0]].mean(axis=0)[None, :]
    if isinstance(m, str):
        # Shifting t by the series' start week only rotates the harmonic basis: the fit is the same.
        return seasonal_poisson_mean(x[: t[0]], np.arange(1, t[0] + 1), t + 1, freq)
    try:
        means = np.broadcast_to(np.asarray(m, dtype=float), (t.size, x.shape[1]))
    except ValueError:
        raise DetectionInputError(
            f"m: shape {np.shape(m)} does not fit {t.size} evaluated periods × {x.shape[1]} series"
        ) from None
    check_option("m", m, bool(np.all(np.isfinite(means)) and np.all(means >= 0)), "in-control means must be 0 or more")
    return means


@with_index
def cusum(counts, *, freq: int = 52, periods=None, k: float = 1.04, h: float = 2.26, m=None,
          trans: str = "standard", alpha: float = 0.1, reset: bool = False) -> DetectionResult:
    """CUSUM as R's cusum(sts, control=list(range, k, h, m, trans, alpha)); see the module docstring."""
    check_option("trans", trans, trans in TRANSFORMATIONS, f"it must be one of {', '.join(TRANSFORMATIONS)}")
    check_option("k", k, isinstance(k, int | float) and np.isfinite(k), "it must be a number")
    check_option("h", h, isinstance(h, int | float) and np.isfinite(h), "it must be a number")
    check_option("alpha", alpha, isinstance(alpha, int | float) and alpha >= 0, "it must be 0 or more")
    check_option("m", m, not isinstance(m, str) or m == "glm", 'it must be a number, "glm" or None')
    check_option("freq", freq, isinstance(freq, int) and freq >= 1, "it must be a whole number of periods per year")
    x, one_series = count_panel(counts)
    if periods is None:
        t = evaluation_periods(None, x.shape[0], freq, f"one year ({freq} periods) of history by default")
    else:
        first = 1 if m is None else 3 if isinstance(m, str) else 0
        t = evaluation_periods(periods, x.shape[0], first,
                               f"{first} period(s) before the first evaluated one to estimate the in-control mean m")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        means = _in_control_mean(x, t, m, freq)
        z = np.broadcast_to(_standardise(x[t].astype(float), means, trans, alpha), (t.size, x.shape[1]))
        total = np.zeros(x.shape[1])
        before = np.empty((t.size, x.shape[1]))
        after = np.empty_like(before)
        # The sum is sequential in time; each step is one vector operation over all series.
        for i in range(t.size):
            before[i] = total
            total = np.maximum(0.0, total + (z[i] - k))
            after[i] = total
            if reset:
                total = np.where(total >= h, 0.0, total)
        upper = _upperbound(means, before, after, trans, k, h, alpha)
    alarm = np.ma.masked_array(np.nan_to_num(after, nan=0.0) >= h, mask=np.isnan(after))
    expected = np.array(np.broadcast_to(means, upper.shape), dtype=float)
    return panel_result(t, expected, upper, alarm, one_series)
