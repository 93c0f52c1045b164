"""The improved Farrington algorithm of Noufaily et al. (2013), "An improved algorithm for outbreak
detection in multiple surveillance systems", as R's `surveillance::farringtonFlexible` computes it.

Differences from `farrington`: the reference data may cover the whole past b years, split into a
seasonal factor of `no_periods` levels (the windows of 2w+1 periods around t - i*freq form one level,
the stretches between them the other no_periods - 1); the last `past_weeks_not_included` periods are
left out; Anscombe residuals above `weights_threshold` are down-weighted; the trend is kept when its
p-value is below `p_threshold_trend`; an optional log-population offset; and three thresholds:
"delta" (Farrington's one-sided power-transformed bound), "nbPlugin" (the 1 - alpha quantile of a
negative binomial with the fitted mean and dispersion) and "muan" (the same at the upper 1 - alpha
confidence limit of the mean).

As in R: the standard error of the prediction uses the Pearson dispersion estimate itself (not
max(phi, 1)); for "nbPlugin" and "muan" the alarm score (y - fit) / (upper - fit) takes the fit on
the log scale; `expected` is NaN where the upper bound is NaN or limit54 is not met; an alarm also
needs a non-zero count; where no model converges the result is NA with `expected` 0.
"""

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from scipy import special

from yizhan.detect.dates import Epochs, add_years, r_weekday, with_index
from yizhan.detect.errors import DetectionInputError, check_option, count_panel, evaluation_periods, panel_result
from yizhan.detect.farrington_core import (
    check_common_options,
    enough_cases,
    fit_with_trend_choice,
    power_upper,
    qnorm_upper,
)
from yizhan.detect.glm_batch import inverse_link
from yizhan.detect.result import DetectionResult

THRESHOLD_METHODS = ("delta", "nbPlugin", "muan")
BATCH_FITS = 4096


@with_index
def farrington_flexible(
    counts,
    *,
    freq: int = 52,
    periods: Sequence[int] | range | None = None,
    b: int = 5,
    w: int = 3,
    reweight: bool = True,
    weights_threshold: float = 2.58,
    alpha: float = 0.05,
    trend: bool = True,
    p_threshold_trend: float = 0.05,
    limit54: tuple[int, int] = (5, 4),
    powertrans: str = "2/3",
    population_offset: bool = False,
    population=None,
    no_periods: int = 1,
    past_weeks_not_included: int | None = None,
    threshold_method: str = "delta",
    epochs: Epochs | None = None,
) -> DetectionResult:
    """farringtonFlexible on each series of `counts` (periods × series, or one series).

    `periods` are 0-based; by default R's range, from period freq*b + w + 1 (1-based) to the end.
    `population` (same shape as counts) is required with `population_offset=True`."""
    panel, one_series = count_panel(counts)
    limit = check_common_options(b, w, alpha, limit54, powertrans, freq)
    check_option("threshold_method", threshold_method, threshold_method in THRESHOLD_METHODS,
                 "threshold_method must be 'delta', 'nbPlugin' or 'muan'")
    check_option("no_periods", no_periods,
                 isinstance(no_periods, int | np.integer) and 1 <= no_periods <= freq - 2 * w,
                 f"no_periods must be an integer from 1 to freq - 2*w = {freq - 2 * w}")
    if past_weeks_not_included is None:
        past_weeks_not_included = w
    check_option("past_weeks_not_included", past_weeks_not_included,
                 isinstance(past_weeks_not_included, int | np.integer) and 0 <= past_weeks_not_included < freq - w,
                 f"past_weeks_not_included must be an integer from 0 to freq - w - 1 = {freq - w - 1}")
    check_option("weights_threshold", weights_threshold, isinstance(weights_threshold, float | int),
                 "weights_threshold must be a number")
    check_option("p_threshold_trend", p_threshold_trend,
                 isinstance(p_threshold_trend, float | int) and 0 <= p_threshold_trend <= 1,
                 "p_threshold_trend must lie in [0, 1]")
    log_pop = _log_population(population, panel.shape) if population_offset else None

    n_periods, n_series = panel.shape
    first = freq * b + w  # R's default range starts at freq*b + w + 1 (1-based)
    idx = evaluation_periods(periods, n_periods, first, f"b={b} years of {freq} periods plus w={w}")

    if epochs is None:
        lags, levels = _reference_layout(freq, b, w, no_periods, past_weeks_not_included)
        layouts = [(lags, levels, -lags / freq)] * idx.size
    else:
        layouts = [reference_layout_by_date(epochs, int(t), b, w, no_periods, past_weeks_not_included)
                   for t in idx]
    names = ("trend", "phi", "score", "n_reference")
    expected = np.empty((idx.size, n_series))
    upper = np.empty((idx.size, n_series))
    alarm = np.ma.masked_all((idx.size, n_series), dtype=bool)
    diagnostics = {name: np.empty((idx.size, n_series)) for name in names}
    step = max(1, BATCH_FITS // n_series)
    # periods sharing a layout are fitted as one batch (with dates, the layouts differ now and then)
    groups: dict[tuple, list[int]] = {}
    for i, (lags, levels, time) in enumerate(layouts):
        groups.setdefault((lags.tobytes(), levels.tobytes(), time.tobytes()), []).append(i)
    for members in groups.values():
        lags, levels, time = layouts[members[0]]
        for lo in range(0, len(members), step):
            sl = np.array(members[lo: lo + step])
            e, u, a, diag = _evaluate(panel, log_pop, idx[sl], lags, levels, time, b, reweight, weights_threshold,
                                      alpha, trend, p_threshold_trend, limit, powertrans, threshold_method)
            expected[sl], upper[sl], alarm[sl] = e, u, a
            for name in names:
                diagnostics[name][sl] = diag[name]
    result = panel_result(idx, expected, upper, alarm, one_series)
    if one_series:
        diagnostics = {k: v[:, 0] for k, v in diagnostics.items()}
    return replace(result, diagnostics=diagnostics)


def reference_layout_by_date(epochs: Epochs, t: int, b: int, w: int, p: int, past_excluded: int):
    """(lags, levels, time in years) of period t's reference data as R's farringtonFlexible builds them
    for dated epochs: the reference points are the same calendar date 0..b years back (weekly data:
    moved to the nearest day with t's weekday), the windows and blocks are then counted in periods
    around them (R's blocks()), and time is measured in days."""
    t0 = epochs.days[t]
    refs = add_years(t0, -np.arange(0, b + 1))
    if epochs.step == "week":
        a = refs - (r_weekday(refs) - r_weekday(t0))
        other = a + np.where(a > refs, -7, 7)
        refs = np.where(np.abs(a - refs) > np.abs(other - refs), other, a)
    pos = np.searchsorted(epochs.days, refs)
    found = (pos < epochs.days.size) & (epochs.days[np.minimum(pos, epochs.days.size - 1)] == refs)
    if not found.all():
        missing = refs[~found][0]
        raise DetectionInputError(
            f"periods: period {t0} needs the reference date {missing}, which is not a period of the series "
            f"(b={b} years back); decrease b or evaluate later periods"
        )
    ref_rows = np.sort(pos)[::-1]  # newest first: t itself, then 1..b years back
    level = np.zeros(t + 1, dtype=int)  # 0 = not a reference period
    level[max(t - w, 0): t + 1] = p
    for i in range(1, b + 1):
        ref = int(ref_rows[i])
        if ref - w < -1:  # R cannot index below the first period (it silently skips only index 0)
            raise DetectionInputError(
                f"periods: period {t0} needs {w} periods before {epochs.days[ref]}, before the series starts; "
                "decrease b or w or evaluate later periods"
            )
        level[max(ref - w, 0): ref + w + 1] = p
        if p > 1:
            gap = int(ref_rows[i - 1]) - 2 * w - 1 - ref
            if gap < p - 1:
                raise DetectionInputError(
                    f"no_periods: {p} blocks do not fit in the {gap} periods between the windows around "
                    f"{epochs.days[ref]} and {epochs.days[ref_rows[i - 1]]}"
                )
            lengths = np.full(p - 1, gap // (p - 1))
            lengths[: gap % (p - 1)] += 1
            start = ref + w + 1
            for j, length in enumerate(lengths, start=1):
                level[start: start + length] = j
                start += length
    level[max(t - past_excluded, 0): t + 1] = 0
    rows = np.nonzero(level)[0]
    days = (epochs.days[rows] - t0).astype(np.int64)
    return t - rows, level[rows], days / 365.25


def _log_population(population, shape) -> np.ndarray:
    if population is None:
        raise DetectionInputError("population: population_offset=True needs a population for every period and series")
    pop = np.asarray(population, dtype=float)
    pop = pop.reshape(pop.shape[0], -1) if pop.ndim == 1 else pop
    if pop.shape != shape:
        raise DetectionInputError(f"population: shape {pop.shape} differs from the counts' {shape}")
    bad = ~np.isfinite(pop) | (pop <= 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise DetectionInputError(
            f"population: the value at period {i} (0-based), series {j} is {pop[i, j]!r}; populations must be > 0"
        )
    return np.log(pop)


def _reference_layout(freq: int, b: int, w: int, p: int, past_excluded: int):
    """The reference rows as lags before the evaluated period and their seasonal level (1..p).

    Level p is the window of 2w+1 periods around each of t - freq, ..., t - b*freq (and the periods up
    to t); the stretch between two consecutive windows is cut into p - 1 blocks as even as possible,
    the longer ones first. The last `past_excluded` periods and t itself are left out."""
    span = b * freq + w
    level = np.zeros(span + 1, dtype=int)  # indexed by lag; 0 = not a reference period
    level[: w + 1] = p
    gap = freq - 2 * w - 1
    for i in range(1, b + 1):
        centre = i * freq
        level[centre - w: centre + w + 1] = p
        if p > 1:
            lengths = np.full(p - 1, gap // (p - 1))
            lengths[: gap % (p - 1)] += 1
            # block j runs forward in time from just after window i
            start = centre - w - 1
            for j, length in enumerate(lengths, start=1):
                level[start - length + 1: start + 1] = j
                start -= length
    level[: past_excluded + 1] = 0
    lags = np.nonzero(level)[0][::-1]  # oldest first
    return lags, level[lags]


def _design(time: np.ndarray, levels: np.ndarray, p: int, with_trend: bool):
    """Design matrix (n, q) and the row x0 of the evaluated period (level p, time 0)."""
    cols = [np.ones(time.size)]
    x0 = [1.0]
    if with_trend:
        cols.append(time)  # time from the evaluated period, in years
        x0.append(0.0)
    if p > 1:
        present = np.unique(levels)
        for lev in present[1:]:  # treatment contrasts against the lowest level, as R's factor
            cols.append((levels == lev).astype(float))
            x0.append(1.0 if lev == p else 0.0)
    return np.stack(cols, axis=1), np.array(x0)


def _evaluate(panel, log_pop, idx, lags, levels, time, b, reweight, weights_threshold, alpha, trend,
              p_threshold_trend, limit, powertrans, method):
    p = int(levels.max())
    n_series = panel.shape[1]
    K, n = idx.size, lags.size
    G = K * n_series
    rows = idx[:, None] - lags[None, :]
    y = panel[rows].transpose(0, 2, 1).reshape(G, n).astype(float)
    mask = np.ones((G, n), dtype=bool)
    if log_pop is not None:
        offset = log_pop[rows].transpose(0, 2, 1).reshape(G, n)
        offset0 = log_pop[idx].reshape(G)
    else:
        offset, offset0 = None, 0.0
    Xt, x0t = _design(time, levels, p, True)
    Xf, x0f = _design(time, levels, p, False)
    fits = fit_with_trend_choice(
        y, mask, offset, offset0, Xt, x0t, Xf, x0f,
        trend=trend, reweight=reweight, weights_threshold=weights_threshold,
        p_threshold=p_threshold_trend, b=b, trend_col=1, outbreak_weights_in_se=True,
    )
    observed = panel[idx].astype(float).reshape(G)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        se_link = np.sqrt(fits.var0 * fits.dispersion)
        if method == "delta":
            fit = inverse_link(fits.eta0)
            up = power_upper(fit, se_link * fit, fits.phi, qnorm_upper(1 - alpha), powertrans)
            expected = fit
        else:
            fit = fits.eta0
            mu_q = np.exp(fit) if method == "nbPlugin" else np.exp(fit + se_link * qnorm_upper(1 - alpha))
            up = _upper_quantile(mu_q, fits.phi, 1 - alpha)
            expected = np.exp(fit)
        score = (observed - fit) / (up - fit)
    null = ~fits.trend & ~fits.flat_converged  # R returns no model: NA, expected left at 0
    enough = enough_cases(panel, idx, limit).reshape(G)
    has_upper = ~np.isnan(up)
    upperbound = np.where(enough & ~null, up, np.nan)
    expected = np.where(null, 0.0, np.where(has_upper & enough, expected, np.nan))
    with np.errstate(invalid="ignore"):
        alarm_val = enough & has_upper & (score > 1) & (observed != 0)
    alarm = np.ma.masked_array(alarm_val, mask=null)
    shape = (K, n_series)
    diagnostics = {
        "trend": np.where(null, np.nan, fits.trend.astype(float)).reshape(shape),
        "phi": np.where(null, np.nan, fits.phi).reshape(shape),
        "score": np.where(null, np.nan, score).reshape(shape),
        "n_reference": np.full(shape, float(n)),
    }
    return expected.reshape(shape), upperbound.reshape(shape), alarm.reshape(shape), diagnostics


def _upper_quantile(mean: np.ndarray, phi: np.ndarray, prob: float) -> np.ndarray:
    """The prob-quantile of a negative binomial with this mean and variance phi*mean (Poisson where
    phi <= 1), found as R's qnbinom/qpois do: a Cornish-Fisher start, then the smallest count whose
    distribution function reaches prob (with R's fuzz of 64 machine epsilons); NaN where the mean is
    infinite or NaN."""
    out = np.full(mean.shape, np.nan)
    ok = np.isfinite(mean) & ~np.isnan(phi)
    target = prob * (1 - 64 * np.finfo(float).eps)
    z = special.ndtri(prob)
    nb = ok & (phi > 1)
    if nb.any():
        mu, ph = mean[nb], phi[nb]
        size, q = mu / (ph - 1), 1.0 / ph
        sd = np.sqrt(mu * ph)
        skew = (2 - q) / np.sqrt(size * (1 - q))
        out[nb] = _search(lambda k, i, s=size, q=q: special.betainc(s[i], k + 1.0, q[i]),
                          mu + sd * (z + skew * (z * z - 1) / 6), target)
    po = ok & ~(phi > 1)
    if po.any():
        lam = mean[po]
        sd = np.sqrt(lam)
        with np.errstate(divide="ignore", invalid="ignore"):
            start = np.where(lam > 0, lam + sd * (z + (z * z - 1) / (6 * sd)), 0.0)
        out[po] = _search(lambda k, i, lam=lam: special.gammaincc(k + 1.0, lam[i]), start, target)
    return out


def _search(cdf, start: np.ndarray, target: float) -> np.ndarray:
    """Smallest integer k >= 0 with cdf(k, i) >= target for each element i, walking from `start`
    in steps of one; from starts of 1e5 and more in shrinking steps, as R does."""
    k = np.maximum(np.round(np.where(np.isfinite(start), start, 0.0)), 0.0)
    large = np.nonzero(k >= 1e5)[0]
    for i in large:
        k[i] = _search_large(lambda x, i=i: cdf(np.array([x]), np.array([i]))[0], k[i], target)
    i = np.nonzero(k < 1e5)[0]
    todo = i
    while todo.size:  # up until the distribution function reaches the target
        todo = todo[cdf(k[todo], todo) < target]
        k[todo] += 1
    todo = i
    while todo.size:  # then down while the count below still reaches it
        todo = todo[k[todo] > 0]
        todo = todo[cdf(k[todo] - 1, todo) >= target]
        k[todo] -= 1
    return k


def _search_large(cdf, y: float, target: float) -> float:
    incr = np.floor(y * 0.001)
    while True:
        if cdf(y) >= target:  # go left while the step below still reaches the target
            while y > 0 and cdf(max(0.0, y - incr)) >= target:
                y = max(0.0, y - incr)
        else:
            y += incr
            while cdf(y) < target:
                y += incr
        old, incr = incr, max(1.0, np.floor(incr / 100))
        if not (old > 1 and incr > y * 1e-15):
            return y
