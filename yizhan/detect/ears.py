"""EARS C1, C2 and C3 (Hutwagner et al. 2003), computed as R's `surveillance::earsC` does.

For period t, C1 compares the count with the mean and standard deviation of the `baseline`
periods just before it (t-baseline .. t-1); C2 leaves a guard band of two periods
(t-baseline-2 .. t-3). Upper bound: mean + z(1-alpha) * max(sd, min_sigma).

C3 follows R's formula: with C2_s = (x_s - mean_s) / max(sd_s, min_sigma) the C2 statistic,
    upperbound_t = max(0, x_t + max(sd_t, min_sigma) * (z - max(0, C2_{t-2} - 1) - max(0, C2_{t-1} - 1)))
so that x_t > upperbound_t exactly when the two previous periods' excesses sum to more than z.
R's default alpha is 0.001 for C1 and C2 and 0.025 for C3.

`expected` is the baseline mean (C2's baseline for C3); R stores no expected value for earsC.

Window sums come from int64 cumulative sums, so the mean and variance of every window are exact
(the variance numerator b*Σx² - (Σx)² is an exact integer); for counts too large for that, a
float two-pass computation over strided sliding windows is used instead.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.special import ndtri

from yizhan.detect.dates import with_index
from yizhan.detect.errors import check_option, count_panel, evaluation_periods, exceeds, panel_result
from yizhan.detect.result import DetectionResult

# While max count × baseline < 2**31, b²·max² < 2**62: the exact int64 window sums cannot overflow.
_EXACT_LIMIT = 2**31


def _window_stats(x: np.ndarray, ends: np.ndarray, baseline: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sample sd (n-1) of x[e-baseline+1 .. e] for each row index e in `ends`, for every series."""
    peak = int(x.max()) if x.size else 0
    if peak * baseline < _EXACT_LIMIT:
        csum = np.zeros((x.shape[0] + 1, x.shape[1]), dtype=np.int64)
        csq = np.zeros_like(csum)
        np.cumsum(x, axis=0, out=csum[1:])
        np.cumsum(x * x, axis=0, out=csq[1:])
        s = csum[ends + 1] - csum[ends + 1 - baseline]
        q = csq[ends + 1] - csq[ends + 1 - baseline]
        mean = s / baseline
        var = (baseline * q - s * s) / (baseline * (baseline - 1))
        return mean, np.sqrt(var)
    # (n - baseline + 1, series, baseline) view; row r is the window ending at r + baseline - 1.
    windows = sliding_window_view(x.astype(float), baseline, axis=0)[ends - baseline + 1]
    mean = windows.mean(axis=-1)
    var = ((windows - mean[..., None]) ** 2).sum(axis=-1) / (baseline - 1)
    return mean, np.sqrt(var)


def _check(alpha: float, baseline: int, min_sigma: float) -> None:
    check_option("alpha", alpha, isinstance(alpha, int | float) and 0 < alpha < 1, "it must be between 0 and 1")
    check_option(
        "baseline", baseline, isinstance(baseline, int | np.integer) and baseline >= 3,
        "it must be a whole number of at least 3 periods",
    )
    check_option("min_sigma", min_sigma, isinstance(min_sigma, int | float) and min_sigma >= 0, "it must be 0 or more")


def _ears(counts, periods, alpha: float, baseline: int, min_sigma: float, method: str) -> DetectionResult:
    _check(alpha, baseline, min_sigma)
    x, one_series = count_panel(counts)
    guard = 0 if method == "C1" else 2
    lags = {"C1": baseline, "C2": baseline + 2, "C3": baseline + 4}[method]
    t = evaluation_periods(periods, x.shape[0], lags, f"{lags} earlier periods (baseline {baseline} for {method})")
    z = ndtri(1 - alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method != "C3":
            mean, sd = _window_stats(x, t - 1 - guard, baseline)
            upper = mean + z * np.maximum(sd, min_sigma)
        else:
            # The C2 statistic over every period needed (t-2, t-1 and t for each evaluated t), once each.
            span = np.unique(np.concatenate([t - 2, t - 1, t]))
            mean_s, sd_s = _window_stats(x, span - 3, baseline)
            sigma_s = np.maximum(sd_s, min_sigma)
            c2_excess = np.maximum(0.0, (x[span] - mean_s) / sigma_s - 1)
            at = np.searchsorted(span, t)
            excess = c2_excess[np.searchsorted(span, t - 2)] + c2_excess[np.searchsorted(span, t - 1)]
            mean = mean_s[at]
            upper = np.maximum(0.0, x[t] + sigma_s[at] * (z - excess))
    return panel_result(t, mean, upper, exceeds(x[t], upper), one_series)


@with_index
def ears_c1(counts, *, freq: int = 52, periods=None, alpha: float = 0.001, baseline: int = 7,
            min_sigma: float = 0.0) -> DetectionResult:
    """EARS C1 as R's earsC(method="C1"). `freq` is accepted for a uniform signature; C1 does not use it.
    Default periods: from the (baseline+1)-th period to the last, as R."""
    return _ears(counts, periods, alpha, baseline, min_sigma, "C1")


@with_index
def ears_c2(counts, *, freq: int = 52, periods=None, alpha: float = 0.001, baseline: int = 7,
            min_sigma: float = 0.0) -> DetectionResult:
    """EARS C2 as R's earsC(method="C2"): C1 with a two-period guard band. Default periods start
    at the (baseline+3)-th period, as R."""
    return _ears(counts, periods, alpha, baseline, min_sigma, "C2")


@with_index
def ears_c3(counts, *, freq: int = 52, periods=None, alpha: float = 0.025, baseline: int = 7,
            min_sigma: float = 0.0) -> DetectionResult:
    """EARS C3 as R's earsC(method="C3"): the C2 excesses of the two previous periods summed.
    Default periods start at the (baseline+5)-th period, as R."""
    return _ears(counts, periods, alpha, baseline, min_sigma, "C3")
