"""The Robert Koch Institute's method, as R's `surveillance::algo.rki` computes it (Altmann 2003).

For period t the reference values are the `w` periods just before t (when `act_y`, R's actY) and,
for each of the past `b` years, the 2w+1 periods centred on t - i*freq. With mu their mean, the
upper bound is mu + 2*sd when mu > 20 (sd the sample standard deviation), and otherwise the upper
limit of R's table CIdata for floor(mu). An alarm is a count above the bound.

R's presets: rki1 (b=0, w=6, act_y=True), rki2 (b=1, w=6, act_y=True), rki3 (b=2, w=4,
act_y=False; also R's defaults). Periods are counted, not dated: R's rki does the same (it warns that
it cannot use dates). `expected` is mu (R keeps no expected value).
"""

import numpy as np

from yizhan.detect.dates import with_index
from yizhan.detect.errors import check_option, count_panel, evaluation_periods, exceeds, panel_result
from yizhan.detect.result import DetectionResult

# R's surveillance:::CIdata$O, indexed by floor(mu) = 0..20: the table algo.rki reads for small means.
CI_UPPER = np.array([
    3.285, 5.323, 6.686, 8.102, 9.598, 11.177, 12.817, 13.765, 14.921, 16.768, 17.633,
    19.050, 20.335, 21.364, 22.945, 23.762, 25.400, 26.306, 27.735, 28.966, 30.017,
])


def reference_lags(freq: int, b: int, w: int, act_y: bool) -> np.ndarray:
    """Lags (t minus the reference period) of R's basevec for algo.rki and algo.bayes."""
    lags = list(range(w, 0, -1)) if act_y else []
    for i in range(1, b + 1):
        lags += [i * freq - j for j in range(-w, w + 1)]
    return np.array(lags, dtype=np.int64)


def check_reference_options(freq: int, b: int, w: int, act_y: bool) -> None:
    check_option("freq", freq, isinstance(freq, int | np.integer) and freq >= 1, "freq must be a positive integer")
    check_option("b", b, isinstance(b, int | np.integer) and b >= 0, "b (years back) must be an integer >= 0")
    check_option("w", w, isinstance(w, int | np.integer) and w >= (1 if act_y else 0),
                 "w must be an integer >= 0, and >= 1 with act_y (R would then use the current count)")
    check_option("act_y", act_y, isinstance(act_y, bool) and (act_y or b >= 1),
                 "act_y must be True or False, and True when b = 0 (else there are no reference values)")


def reference_sums(panel: np.ndarray, idx: np.ndarray, lags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum and sum of squares of the reference values of each evaluated period (K, series), as int64."""
    values = panel[idx[:, None] - lags[None, :]]  # (K, n, S)
    return values.sum(axis=1), (values * values).sum(axis=1)


@with_index
def rki(counts, *, freq: int = 52, periods=None, b: int = 2, w: int = 4, act_y: bool = False) -> DetectionResult:
    """algo.rki on each series of `counts` (periods × series, or one series); by default every period
    with b years and w periods of history (R's range must be given; its first possible period)."""
    check_reference_options(freq, b, w, act_y)
    panel, one_series = count_panel(counts)
    lags = reference_lags(freq, b, w, act_y)
    idx = evaluation_periods(periods, panel.shape[0], int(lags.max()),
                             f"b={b} years of {freq} periods and w={w} periods back")
    total, squares = reference_sums(panel, idx, lags)
    n = lags.size
    mu = total / n
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt((n * squares - total * total) / (n * (n - 1)))
    small = total <= 20 * n  # mu <= 20, decided exactly on the integer sums
    table = CI_UPPER[np.minimum(total // n, 20)]
    upper = np.where(small, table, mu + 2 * sd)
    return panel_result(idx, mu, upper, exceeds(panel[idx], upper), one_series)


def rki1(counts, **kwargs) -> DetectionResult:
    """R's algo.rki1: b=0, w=6, act_y=True."""
    return rki(counts, b=0, w=6, act_y=True, **kwargs)


def rki2(counts, **kwargs) -> DetectionResult:
    """R's algo.rki2: b=1, w=6, act_y=True."""
    return rki(counts, b=1, w=6, act_y=True, **kwargs)


def rki3(counts, **kwargs) -> DetectionResult:
    """R's algo.rki3: b=2, w=4, act_y=False."""
    return rki(counts, b=2, w=4, act_y=False, **kwargs)
