"""Farrington et al. (1996), "A statistical algorithm for the early detection of outbreaks of
infectious disease", as R's `surveillance::farrington` / `algo.farrington` computes it.

For each evaluated period t the reference values are the counts in windows of 2w+1 periods centred
on t - freq, ..., t - b*freq (indices below the first period are dropped, as R does). A quasi-Poisson
log-linear model with a time trend is fitted to them, past outbreaks are down-weighted by their
Anscombe residuals and the model refitted; the trend is kept only if it is significant at 5%, b >= 3
and it does not predict beyond the largest reference count. The upper bound is the (1 - alpha/2)
limit of a prediction interval made symmetric by the 2/3 power transformation; an alarm needs a count
above it and at least limit54[0] cases in the last limit54[1] periods (otherwise the upper bound is 0,
as in R). `expected` is the fitted mean at t (R keeps it as the second column of control$pd).

With dates (`index=`, see dates.py) the reference values are chosen as R does for an sts whose epochs
are dates (refvalIdxByDate): the same calendar date 1..b years back, a window of w days, weeks or
months around it, each moved to the evaluated period's weekday (weekly data) or day of the month
(monthly data), and only the dates that are periods of the series used. As 52 weeks are not a year,
this differs from counting periods every few years. The time trend stays in periods (R's indices).

Diagnostics (`result.diagnostics`): "trend" (1 where the final model keeps the time trend, R's
survRes$trend), "phi" (the dispersion max(phi, 1) of the final model), "score" ((y - fit) / (upper -
fit), 0 where limit54 is not met, as R's alarm rule computes it) and "n_reference" (the number of
reference values fitted).
"""

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from yizhan.detect.dates import Epochs, add_years, day_of_month, r_weekday, step_periods, with_index
from yizhan.detect.errors import count_panel, evaluation_periods, panel_result
from yizhan.detect.farrington_core import (
    check_common_options,
    enough_cases,
    fit_with_trend_choice,
    power_upper,
    qnorm_upper,
)
from yizhan.detect.glm_batch import inverse_link
from yizhan.detect.result import DetectionResult

# fits per batch: bounds the memory of the stacked designs on large panels
BATCH_FITS = 8192


@with_index
def farrington(
    counts,
    *,
    freq: int = 52,
    periods: Sequence[int] | range | None = None,
    b: int = 5,
    w: int = 3,
    reweight: bool = True,
    alpha: float = 0.05,
    trend: bool = True,
    limit54: tuple[int, int] = (5, 4),
    powertrans: str = "2/3",
    epochs: Epochs | None = None,
) -> DetectionResult:
    """Farrington's algorithm on each series of `counts` (periods × series, or one series).

    `periods` are 0-based; by default R's range, from period freq*b - w (1-based) to the end."""
    panel, one_series = count_panel(counts)
    limit = check_common_options(b, w, alpha, limit54, powertrans, freq)
    n_periods, n_series = panel.shape
    first = freq * b - w - 1  # R's default range starts at freq*b - w (1-based)
    idx = evaluation_periods(
        periods, n_periods, max(first, 0), f"b={b} years of {freq} periods back minus w={w}"
    )

    if epochs is None:
        # reference rows, oldest year first; 0-based row = t - freq*i + j
        lags = np.array([freq * i - j for i in range(b, 0, -1) for j in range(-w, w + 1)])
        rows = idx[:, None] - lags[None, :]
    else:
        rows = np.stack([reference_rows_by_date(epochs, int(t), b, w) for t in idx])
    names = ("trend", "phi", "score", "n_reference")
    expected = np.empty((idx.size, n_series))
    upper = np.empty((idx.size, n_series))
    alarm = np.ma.masked_all((idx.size, n_series), dtype=bool)
    diagnostics = {name: np.empty((idx.size, n_series)) for name in names}
    step = max(1, BATCH_FITS // n_series)
    # one batch per pattern of lags: with dates the reference weeks a year back move by one now and then
    lag_rows = np.where(rows >= 0, idx[:, None] - rows, -1)
    _, group = np.unique(lag_rows, axis=0, return_inverse=True)
    for g in np.unique(group):
        members = np.nonzero(group.reshape(-1) == g)[0]
        for lo in range(0, members.size, step):
            sl = members[lo: lo + step]
            e, u, a, diag = _evaluate(panel, idx[sl], rows[sl], freq, b, reweight, alpha, trend, limit, powertrans)
            expected[sl], upper[sl], alarm[sl] = e, u, a
            for name in names:
                diagnostics[name][sl] = diag[name]
    result = panel_result(idx, expected, upper, alarm, one_series)
    if one_series:
        diagnostics = {k: v[:, 0] for k, v in diagnostics.items()}
    return replace(result, diagnostics=diagnostics)


def reference_rows_by_date(epochs: Epochs, t: int, b: int, w: int) -> np.ndarray:
    """0-based rows of period t's reference values as R's refvalIdxByDate finds them (-1 where the
    date is no period of the series): for each of 1..b years back, the periods -w..w around that date."""
    t0 = epochs.days[t]
    centres = add_years(t0, -np.arange(1, b + 1))
    days = np.concatenate([step_periods(c, np.arange(-w, w + 1), epochs.step) for c in centres])
    if epochs.step == "week":  # to the nearest day with t0's weekday
        forward = (r_weekday(t0) - r_weekday(days)) % 7
        backward = (r_weekday(days) - r_weekday(t0)) % 7
        days = days + np.where(forward < backward, forward, -backward)
    elif epochs.step == "month":  # to t0's day of the month
        days = days - (day_of_month(days) - day_of_month(t0))
    pos = np.searchsorted(epochs.days, days)
    found = (pos < epochs.days.size) & (epochs.days[np.minimum(pos, epochs.days.size - 1)] == days)
    return np.where(found, pos, -1)


def _evaluate(panel, idx, rows, freq, b, reweight, alpha, trend, limit, powertrans):
    n_series = panel.shape[1]
    present = rows >= 0
    lags = np.where(present, idx[:, None] - rows, -1).max(axis=0)  # the batch shares its lags
    rows_c = np.where(present, rows, 0)
    K, n = rows.shape
    G = K * n_series

    y = panel[rows_c].transpose(0, 2, 1).reshape(G, n).astype(float)  # (K, n, S) -> (K*S, n)
    mask = np.repeat(present, n_series, axis=0)
    # time measured from the evaluated period in years: same fit as R's raw index, better conditioned
    X_trend = np.column_stack([np.ones(n), -lags / freq])
    X_flat = np.ones((n, 1))
    x0_trend, x0_flat = np.array([1.0, 0.0]), np.array([1.0])

    fits = fit_with_trend_choice(
        y, mask, None, 0.0, X_trend, x0_trend, X_flat, x0_flat, trend=trend, reweight=reweight,
        weights_threshold=1.0, p_threshold=0.05, b=b, trend_col=1,
    )
    with np.errstate(over="ignore", invalid="ignore"):
        mu0 = inverse_link(fits.eta0)
        se = np.sqrt(fits.var0 * fits.phi) * mu0  # R passes phi = max(dispersion, 1) to predict
        up = power_upper(mu0, se, fits.phi, qnorm_upper(1 - alpha / 2), powertrans)
        mu0, up = mu0.reshape(K, n_series), up.reshape(K, n_series)
        observed = panel[idx].astype(float)
        enough = enough_cases(panel, idx, limit)
        score = np.where(enough, (observed - mu0) / (up - mu0), 0.0)
        alarm = np.ma.masked_array(score > 1, mask=np.isnan(score))
    diagnostics = {
        "trend": fits.trend.reshape(K, n_series).astype(float),
        "phi": fits.phi.reshape(K, n_series),
        "score": score,
        "n_reference": np.repeat(present.sum(axis=1), n_series).reshape(K, n_series).astype(float),
    }
    return mu0, np.where(enough, up, 0.0), alarm, diagnostics
