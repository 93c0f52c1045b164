"""What Farrington et al. (1996) and its improvement by Noufaily et al. (2013) share: the
quasi-Poisson fit with down-weighting of past outbreaks, the choice of keeping the time trend, the
power-transformed upper bound, the "enough cases in the last weeks" rule and the checks of their
options. `farrington.py` and `farrington_flexible.py` differ in how they pick the reference data
and in the threshold; both fit all evaluated periods × series of a panel as one batch.
"""

from dataclasses import dataclass

import numpy as np
from scipy import special

from yizhan.detect.errors import check_option
from yizhan.detect.glm_batch import BatchFit, coef_pvalue, fit_quasipoisson, inverse_link, predict_link

POWERTRANS = {"2/3": 2.0 / 3.0, "1/2": 0.5, "none": 1.0}


def check_common_options(b, w, alpha, limit54, powertrans, freq) -> tuple[int, int]:
    """Checks b, w, alpha, limit54 and powertrans; returns limit54 as (cases, weeks)."""
    check_option("freq", freq, bool(isinstance(freq, int | np.integer) and freq > 0), "freq must be a positive integer")
    check_option("b", b, bool(isinstance(b, int | np.integer) and b >= 1), "b (years back) must be an integer >= 1")
    check_option("w", w, isinstance(w, int | np.integer) and 0 <= 2 * w + 1 <= freq,
                 "w (half window) must be an integer >= 0 with 2*w+1 <= freq")
    check_option("alpha", alpha, isinstance(alpha, float | int) and 0 < alpha < 1, "alpha must lie in (0, 1)")
    check_option("powertrans", powertrans, powertrans in POWERTRANS, "powertrans must be '2/3', '1/2' or 'none'")
    ok = (
        isinstance(limit54, tuple | list)
        and len(limit54) == 2
        and all(isinstance(v, int | np.integer) for v in limit54)
        and limit54[0] >= 0
        and limit54[1] > 0
    )
    check_option("limit54", limit54, ok, "limit54 is (cases, weeks) with cases >= 0 and weeks > 0")
    return int(limit54[0]), int(limit54[1])


def anscombe_residuals(fit: BatchFit, y: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Anscombe residuals of a Poisson fit, scaled by sqrt(phi (1 - h))."""
    mu = fit.mu
    with np.errstate(divide="ignore", invalid="ignore"):
        a = 1.5 * (y ** (2.0 / 3.0) * mu ** (-1.0 / 6.0) - np.sqrt(mu))
        return a / np.sqrt(phi[:, None] * (1.0 - fit.hat))


def outbreak_weights(s: np.ndarray, mask: np.ndarray, threshold: float) -> np.ndarray:
    """Weights s^-2 for residuals above the threshold and 1 below, rescaled to average one per fit."""
    high = mask & (s > threshold)
    raw = mask.astype(float)
    raw[high] = s[high] ** -2.0  # only the few high ones: a negative power is slow over a whole panel
    gamma = mask.sum(axis=1) / raw.sum(axis=1)
    return gamma[:, None] * raw


@dataclass
class ReweightedFit:
    fit: BatchFit
    phi: np.ndarray  # max(dispersion, 1)
    first_converged: np.ndarray  # the unweighted fit converged
    se_dispersion: np.ndarray  # the dispersion the trend test and the prediction's standard error use


def fit_reweighted(y, X, mask, offset, reweight: bool, weights_threshold: float, outbreak_weights_in_se: bool
                   ) -> ReweightedFit:
    """The quasi-Poisson fit, refitted with outbreak weights when `reweight`.

    `outbreak_weights_in_se`: R's farringtonFlexible stores the outbreak weights in place of the
    working weights of the refitted model, so its later dispersion estimate (for the trend test and
    the standard error of the prediction, not for phi) is sum(omega * ((y - mu) / mu)^2) / df."""
    first = fit_quasipoisson(y, X, mask, offset=offset)
    phi = np.maximum(first.dispersion, 1.0)  # NaN stays NaN, as R's max(NaN, 1)
    if not reweight:
        return ReweightedFit(first, phi, first.converged, first.dispersion)
    omega = outbreak_weights(anscombe_residuals(first, y, phi), mask, weights_threshold)
    second = fit_quasipoisson(y, X, mask, prior=omega, offset=offset)
    se_disp = second.dispersion
    if outbreak_weights_in_se:
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(mask, (y - second.mu) / second.mu, 0.0)
            df = second.df_residual
            se_disp = np.where(df > 0, (omega * r**2).sum(axis=1) / np.maximum(df, 1), np.nan)
    return ReweightedFit(second, np.maximum(second.dispersion, 1.0), first.converged, se_disp)


@dataclass
class FinalFits:
    eta0: np.ndarray  # linear predictor at the evaluated period
    var0: np.ndarray  # its unscaled variance x0'(X'WX)^-1 x0
    dispersion: np.ndarray  # dispersion of the final model for its standard errors (see fit_reweighted)
    phi: np.ndarray  # max(dispersion, 1)
    trend: np.ndarray  # bool: the final model keeps the time trend
    flat_converged: np.ndarray  # bool: for fits without trend, the unweighted fit converged


def fit_with_trend_choice(
    y, mask, offset, offset0, X_trend, x0_trend, X_flat, x0_flat, *, trend: bool, reweight: bool,
    weights_threshold: float, p_threshold: float, b: int, trend_col: int, outbreak_weights_in_se: bool = False,
) -> FinalFits:
    """Fits with the time trend, keeps it only where it converged, is significant (p < p_threshold),
    b >= 3 and its prediction does not exceed the largest reference count; refits the others without."""
    G = y.shape[0]
    eta0 = np.full(G, np.nan)
    var0, disp, phi = eta0.copy(), eta0.copy(), eta0.copy()
    keep = np.zeros(G, dtype=bool)
    if trend:
        with_trend = fit_reweighted(y, X_trend, mask, offset, reweight, weights_threshold, outbreak_weights_in_se)
        e, v = predict_link(with_trend.fit, x0_trend, offset0)
        pval = coef_pvalue(with_trend.fit, trend_col, with_trend.se_dispersion)
        max_resp = np.where(mask, y, -np.inf).max(axis=1)
        with np.errstate(invalid="ignore", over="ignore"):
            keep = with_trend.first_converged & (b >= 3) & (pval < p_threshold) & (inverse_link(e) <= max_resp)
        eta0[keep], var0[keep] = e[keep], v[keep]
        disp[keep], phi[keep] = with_trend.se_dispersion[keep], with_trend.phi[keep]
    flat_converged = np.ones(G, dtype=bool)
    rest = np.where(~keep)[0]
    if rest.size:
        off = None if offset is None else offset[rest]
        flat = fit_reweighted(y[rest], X_flat, mask[rest], off, reweight, weights_threshold,
                              outbreak_weights_in_se)
        o0 = np.asarray(offset0, dtype=float)
        if o0.ndim:
            o0 = o0[rest]
        eta0[rest], var0[rest] = predict_link(flat.fit, x0_flat, o0)
        disp[rest], phi[rest] = flat.se_dispersion, flat.phi
        flat_converged[rest] = flat.first_converged
    return FinalFits(eta0, var0, disp, phi, keep, flat_converged)


def power_upper(mu0: np.ndarray, se: np.ndarray, phi: np.ndarray, z: float, powertrans: str) -> np.ndarray:
    """Upper end of Farrington's prediction interval on the power-transformed scale, transformed back.

    tau = phi + se^2/mu0 is the variance of y - mu0 in units of mu0; the transformation y^e makes it
    near-normal. The lower end is never needed: the upper end is the larger of the two."""
    e = POWERTRANS[powertrans]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        tau = phi + se**2 / mu0
        if powertrans == "none":
            sd = np.sqrt(mu0 * tau)
        elif powertrans == "1/2":
            sd = np.sqrt(0.25 * tau)
        else:
            sd = np.sqrt(4.0 / 9.0 * mu0 ** (1.0 / 3.0) * tau)
        hi = (mu0**e + z * sd) ** (1.0 / e)
        lo = (mu0**e - z * sd) ** (1.0 / e)
    # R sorts the pair with NaN first and takes the second element
    return np.where(np.isnan(hi), lo, np.where(np.isnan(lo), hi, np.maximum(hi, lo)))


def enough_cases(counts: np.ndarray, periods: np.ndarray, limit54: tuple[int, int]) -> np.ndarray:
    """(n_periods, n_series) bool: at least limit54[0] cases in the limit54[1] periods ending at each period."""
    cases, weeks = limit54
    csum = np.vstack([np.zeros((1, counts.shape[1]), dtype=np.int64), np.cumsum(counts, axis=0)])
    start = np.maximum(periods - weeks + 1, 0)
    return (csum[periods + 1] - csum[start]) >= cases


def qnorm_upper(p: float) -> float:
    """The standard normal quantile at p."""
    return float(special.ndtri(p))
