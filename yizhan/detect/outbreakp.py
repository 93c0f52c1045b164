"""The outbreakP method of Frisén, Andersson and Schiöler (2009), as R's
`surveillance::algo.outbreakP` computes it: a semiparametric likelihood-ratio statistic for a
monotone increase from a constant level.

For period t the statistic uses all counts x_1..x_t: with yhat the monotone increasing least-squares
fit (pool adjacent violators) and xbar the mean, it is prod_j (yhat_j / xbar)^x_j, and an alarm is a
statistic above `k` (R's k, default 100). The monitoring never restarts: each period's statistic
uses the whole history, as R's.

ret="value" (R's default when control$ret is not given) puts the statistic in `upperbound`;
ret="cases" puts there the smallest count at t that would give an alarm, found as R finds it (with
max_upperbound_cases, R's maxUpperboundCases, as the limit of the search; NA beyond it). The
product and the mean are formed in R's order, so that they round, overflow and underflow as R's do:
a statistic R gives as NaN (an underflow to 0 times an overflow) is NaN here, with a NA alarm.
`expected` is NaN (R has none).
"""

import numpy as np

from yizhan.detect.dates import with_index
from yizhan.detect.errors import check_option, count_panel, evaluation_periods, panel_result
from yizhan.detect.result import DetectionResult


def _push(sums: list[float], sizes: list[int], value: float) -> None:
    """Adds a count to the pool-adjacent-violators stack of blocks (R's leftl/meanl walk)."""
    s, n = value, 1
    while sums and s / n <= sums[-1] / sizes[-1]:
        s += sums.pop()
        n += sizes.pop()
    sums.append(s)
    sizes.append(n)


def _statistic(x: np.ndarray, sums: list[float], sizes: list[int], xbar: float) -> float:
    """R's product over the prefix x of (yhat_j / xbar)^x_j, in R's order, so that it over- and
    underflows where R's does (0 times infinity gives NaN there too)."""
    yhat = np.repeat(np.array(sums) / np.array(sizes), sizes)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        div = np.where((yhat == 0) & (xbar == 0), 1.0, yhat / xbar)
        factors = np.power(div, x)
        return float(np.multiply.accumulate(np.concatenate([[1.0], factors]))[-1])


def statistics(x: np.ndarray, upto: np.ndarray) -> np.ndarray:
    """The outbreakP statistic of each prefix x[:t+1] for t in `upto` (sorted, 0-based).

    The fit of a prefix is the stack of pooled blocks after adding its last count (R's algorithm
    is incremental in the same way), so one pass builds every prefix's fit; the mean is updated
    as R updates it (xbar + (x - xbar) / i)."""
    sums: list[float] = []
    sizes: list[int] = []
    out = np.empty(upto.size)
    xf = x.astype(float)
    want, xbar = 0, 0.0
    for t in range(int(upto[-1]) + 1 if upto.size else 0):
        xbar = xbar + (xf[t] - xbar) / (t + 1)
        _push(sums, sizes, xf[t])
        if t == upto[want]:
            out[want] = _statistic(xf[: t + 1], sums, sizes, xbar)
            want += 1
    return out


@with_index
def outbreakp(counts, *, freq: int = 52, periods=None, k: float = 100, ret: str = "value",
              max_upperbound_cases: int = 100000) -> DetectionResult:
    """algo.outbreakP on each series of `counts` (periods × series, or one series); by default every
    period. `freq` is accepted for a uniform signature and not used."""
    check_option("k", k, isinstance(k, int | float) and k > 0, "k must be a positive number")
    check_option("ret", ret, ret in ("value", "cases"), "ret must be 'value' or 'cases'")
    check_option("max_upperbound_cases", max_upperbound_cases,
                 isinstance(max_upperbound_cases, int | np.integer) and max_upperbound_cases >= 1,
                 "max_upperbound_cases must be a whole number >= 1")
    panel, one_series = count_panel(counts)
    idx = evaluation_periods(periods, panel.shape[0], 0, "no history")
    n_series = panel.shape[1]
    upper = np.empty((idx.size, n_series))
    alarm = np.zeros((idx.size, n_series), dtype=bool)
    nan = np.zeros((idx.size, n_series), dtype=bool)  # R's statistic is NaN: alarm NA
    for j in range(n_series):
        x = panel[:, j]
        stat = statistics(x, idx)
        alarm[:, j] = stat > k
        nan[:, j] = np.isnan(stat)
        if ret == "value":
            upper[:, j] = stat
            continue
        for i, t in enumerate(idx):
            upper[i, j] = np.nan if nan[i, j] else _cases_bound(x[:t + 1], bool(alarm[i, j]), k,
                                                                max_upperbound_cases)
    expected = np.full(upper.shape, np.nan)
    return panel_result(idx, expected, upper, np.ma.masked_array(alarm, mask=nan), one_series)


def _cases_bound(x: np.ndarray, alarmed: bool, k: float, limit: int) -> float:
    """R's search: from the observed count step down (after an alarm) or up until the alarm flips;
    the bound is the smallest count with an alarm (NA when the search reaches 0 or `limit`, or the
    statistic is NaN)."""
    if x.size <= 1:
        return np.nan if k >= 1 else 0.0
    xf = x.astype(float)
    sums: list[float] = []
    sizes: list[int] = []
    xbar = 0.0
    for t, v in enumerate(xf[:-1]):
        xbar = xbar + (v - xbar) / (t + 1)
        _push(sums, sizes, v)

    def alarm_at(value: int) -> bool | None:
        s, n = sums.copy(), sizes.copy()
        _push(s, n, float(value))
        xf[-1] = value
        stat = _statistic(xf, s, n, xbar + (value - xbar) / x.size)
        return None if np.isnan(stat) else stat > k

    value = int(x[-1])
    while (value > 0) if alarmed else (value < limit):
        value += -1 if alarmed else 1
        now = alarm_at(value)
        if now is None:  # R gives up: NaN statistic
            return np.nan
        if now != alarmed:
            return float(value + 1 if alarmed else value)
    return np.nan
