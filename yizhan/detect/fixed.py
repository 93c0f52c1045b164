"""Fixed threshold: an alarm as soon as the count of a period reaches a threshold.

CIDARS raises a signal for every single case of the diseases under fixed-threshold watch
(Class A diseases such as plague and cholera, and diseases managed as Class A), so the default
threshold is 1. `upperbound` is the threshold, `expected` is NaN (there is no model), and
`alarm` is count >= threshold. Default periods: all of them.
"""

import numpy as np

from yizhan.detect.dates import with_index
from yizhan.detect.errors import check_option, count_panel, evaluation_periods, panel_result
from yizhan.detect.result import DetectionResult


@with_index
def fixed_threshold(counts, *, freq: int = 52, periods=None, threshold: int = 1) -> DetectionResult:
    """Alarm where count >= threshold. `freq` is accepted for a uniform signature and not used."""
    check_option("threshold", threshold, isinstance(threshold, int | np.integer) and threshold >= 1,
                 "it must be a whole number of cases, 1 or more")
    x, one_series = count_panel(counts)
    t = evaluation_periods(periods, x.shape[0], 0, "no history")
    observed = x[t]
    upper = np.full(observed.shape, float(threshold))
    expected = np.full(observed.shape, np.nan)
    alarm = np.ma.masked_array(observed >= threshold, mask=np.zeros(observed.shape, dtype=bool))
    return panel_result(t, expected, upper, alarm, one_series)
