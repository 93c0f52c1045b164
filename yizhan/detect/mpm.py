"""The moving percentile method (MPM) of China's Infectious Disease Automated-alert and Response
System (CIDARS).

At period t the count of the current block (the `block` periods ending at t: the last 7 days in
CIDARS' daily run) is compared with a percentile of the historical baseline: the counts of the
same block and of its `neighbours` neighbouring blocks on each side in each of the `years`
previous years, i.e. (2·neighbours + 1)·years historical block counts. A year is `freq` periods
(history is counted in periods). An alarm is raised when the current block count is above the
percentile.

Sources for the design and the defaults:
- Yang W, Li Z, Lan Y, et al. "A nationwide web-based automated system for early outbreak
  detection and rapid response in China." Western Pac Surveill Response J 2011;2(1):10-15,
  doi:10.5365/wpsar.2010.1.1.009 — CIDARS' temporal model compares the cases of the current
  7 days with the same period and its adjacent periods in the previous 3 years:
  block=7 days, neighbours=1, years=3 (9 historical blocks).
- Thresholds are set per disease between P50 and P95. A study selecting CIDARS thresholds found
  P75–P80 suitable for common diseases (chickenpox P75, mumps P80, influenza P75, HFMD P75,
  scarlet fever P80; rubella P45): "How to select a proper early warning threshold to detect
  infectious disease outbreaks based on the China infectious disease automated alert and
  response system (CIDARS)", BMC Public Health 2017, doi:10.1186/s12889-017-4488-0 (it used a
  5-week × 5-year window: neighbours=2, years=5 here). Default: percentile=80.
- MPM's performance on CIDARS data against EWMA and CUSUM: Kuang J, Yang WZ, Zhou DL, Li ZJ,
  Lan YJ. "Epidemic features affecting the performance of outbreak detection algorithms."
  BMC Public Health 2012 (PMC3489582).

The percentile is Hyndman & Fan's type 7 (linear interpolation between order statistics, R's
quantile() default and numpy's "linear"): with the K historical block counts sorted v_1 <= ... <= v_K
and h = (K-1)·p/100, the p-th percentile is v_{⌊h⌋+1} + (h-⌊h⌋)·(v_{⌊h⌋+2} - v_{⌊h⌋+1}).

Default block: 7 periods for daily data (freq >= 365), otherwise 1 period (a week or a month).
`expected` is the median (type 7) of the historical block counts, `upperbound` the chosen
percentile; both refer to block totals. Default periods: every period with enough history
(years·freq + neighbours·block + block - 1 earlier periods).
"""

import numpy as np

from yizhan.detect.dates import with_index
from yizhan.detect.errors import check_option, count_panel, evaluation_periods, exceeds, panel_result
from yizhan.detect.result import DetectionResult


def type7_percentile(sorted_values: np.ndarray, p: float) -> np.ndarray:
    """Type-7 percentile p (0-100) of values sorted along the last axis."""
    k = sorted_values.shape[-1]
    h = (k - 1) * p / 100
    lo = int(np.floor(h))
    frac = h - lo
    low = sorted_values[..., lo].astype(float)
    if frac == 0 or lo + 1 >= k:
        return low
    return low + frac * (sorted_values[..., lo + 1] - low)


def default_block(freq: int) -> int:
    return 7 if freq >= 365 else 1


@with_index
def mpm(counts, *, freq: int = 52, periods=None, block: int | None = None, neighbours: int = 1, years: int = 3,
        percentile: float = 80) -> DetectionResult:
    """CIDARS moving percentile method; see the module docstring for the rule, defaults and sources."""
    check_option("freq", freq, isinstance(freq, int) and freq >= 1, "it must be a whole number of periods per year")
    if block is None:
        block = default_block(freq)
    whole = (int, np.integer)
    check_option("block", block, isinstance(block, whole) and block >= 1, "it must be a whole number of periods, 1 or more")
    check_option("neighbours", neighbours, isinstance(neighbours, whole) and neighbours >= 0, "it must be 0 or more")
    check_option("years", years, isinstance(years, whole) and years >= 1, "it must be 1 or more")
    check_option("percentile", percentile, isinstance(percentile, int | float) and 0 < percentile < 100,
                 "it must be between 0 and 100 (CIDARS uses 50 to 95)")
    check_option(
        "neighbours", neighbours, (neighbours + 1) * block <= freq,
        f"the neighbouring blocks of last year's block would overlap the current block "
        f"((neighbours + 1) × block must be at most freq = {freq})",
    )
    x, one_series = count_panel(counts)
    first = years * freq + neighbours * block + block - 1
    t = evaluation_periods(periods, x.shape[0], first,
                           f"{years} year(s) of {freq} periods plus {neighbours} neighbouring block(s) of {block}")
    csum = np.zeros((x.shape[0] + 1, x.shape[1]), dtype=np.int64)
    np.cumsum(x, axis=0, out=csum[1:])
    current = csum[t + 1] - csum[t + 1 - block]
    # Offsets (in periods) of the historical blocks' last periods relative to t.
    offsets = np.array([-y * freq + j * block for y in range(1, years + 1) for j in range(-neighbours, neighbours + 1)])
    ends = t[:, None] + offsets[None, :]
    history = csum[ends + 1] - csum[ends + 1 - block]  # (n_evaluated, K, series)
    history = np.sort(history.transpose(0, 2, 1), axis=-1)  # (n_evaluated, series, K)
    expected = type7_percentile(history, 50)
    upper = type7_percentile(history, percentile)
    return panel_result(t, expected, upper, exceeds(current, upper), one_series)
