"""The Bayes system of the Robert Koch Institute, as R's `surveillance::algo.bayes` computes it.

The reference values are those of `rki` (the `w` periods before t with `act_y`, R's actY, and the
2w+1 periods around t - i*freq for i = 1..b). With a Gamma(1/2, 0) prior on a Poisson mean their
sum s over n values gives a negative binomial predictive distribution with size s + 1/2 and
probability n / (n + 1); the upper bound is its (1 - alpha) quantile (R's qnbinom), an alarm a
count above it.

R's presets: bayes1 (b=0, w=6, act_y=True; also R's defaults), bayes2 (b=1, w=6, act_y=True),
bayes3 (b=2, w=4, act_y=False), all with alpha = 0.05. Periods are counted, not dated, as in R.
`expected` is the predictive mean (s + 1/2) / n (R keeps no expected value).
"""

import numpy as np

from yizhan.detect.dates import with_index
from yizhan.detect.errors import check_option, count_panel, evaluation_periods, exceeds, panel_result
from yizhan.detect.quantiles import qnbinom
from yizhan.detect.result import DetectionResult
from yizhan.detect.rki import check_reference_options, reference_lags, reference_sums


@with_index
def bayes(counts, *, freq: int = 52, periods=None, b: int = 0, w: int = 6, act_y: bool = True,
          alpha: float = 0.05) -> DetectionResult:
    """algo.bayes on each series of `counts` (periods × series, or one series); by default every
    period with b years and w periods of history."""
    check_reference_options(freq, b, w, act_y)
    check_option("alpha", alpha, isinstance(alpha, int | float) and 0 < alpha < 1, "alpha must lie in (0, 1)")
    panel, one_series = count_panel(counts)
    lags = reference_lags(freq, b, w, act_y)
    idx = evaluation_periods(periods, panel.shape[0], int(lags.max()),
                             f"b={b} years of {freq} periods and w={w} periods back")
    total, _ = reference_sums(panel, idx, lags)
    n = lags.size
    size = total.astype(float) + 0.5
    upper = qnbinom(1 - alpha, size.reshape(-1), np.full(size.size, n / (n + 1))).reshape(size.shape)
    return panel_result(idx, size / n, upper, exceeds(panel[idx], upper), one_series)


def bayes1(counts, **kwargs) -> DetectionResult:
    """R's algo.bayes1: b=0, w=6, act_y=True, alpha=0.05."""
    return bayes(counts, b=0, w=6, act_y=True, **kwargs)


def bayes2(counts, **kwargs) -> DetectionResult:
    """R's algo.bayes2: b=1, w=6, act_y=True, alpha=0.05."""
    return bayes(counts, b=1, w=6, act_y=True, **kwargs)


def bayes3(counts, **kwargs) -> DetectionResult:
    """R's algo.bayes3: b=2, w=4, act_y=False, alpha=0.05."""
    return bayes(counts, b=2, w=4, act_y=False, **kwargs)
