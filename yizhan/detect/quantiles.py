"""Quantiles of count distributions computed as R's qnbinom and qpois compute them, so that
thresholds that are quantiles agree with R's to the integer."""

import numpy as np
from scipy import special


def upper_quantile(mean: np.ndarray, phi: np.ndarray, prob: float) -> np.ndarray:
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
        out[nb] = qnbinom(prob, mu / (ph - 1), 1.0 / ph)
    po = ok & ~(phi > 1)
    if po.any():
        lam = mean[po]
        sd = np.sqrt(lam)
        with np.errstate(divide="ignore", invalid="ignore"):
            start = np.where(lam > 0, lam + sd * (z + (z * z - 1) / (6 * sd)), 0.0)
        out[po] = _search(lambda k, i, lam=lam: special.gammaincc(k + 1.0, lam[i]), start, target)
    return out


def qnbinom(prob: float, size: np.ndarray, q: np.ndarray) -> np.ndarray:
    """R's qnbinom(prob, size, q) for arrays of size > 0 and 0 < q < 1 (q is R's prob)."""
    target = prob * (1 - 64 * np.finfo(float).eps)
    z = special.ndtri(prob)
    mu = size * (1 - q) / q
    sd = np.sqrt(mu / q)
    skew = (2 - q) / np.sqrt(size * (1 - q))
    return _search(lambda k, i: special.betainc(size[i], k + 1.0, q[i]), mu + sd * (z + skew * (z * z - 1) / 6),
                   target)


def _search(cdf, start: np.ndarray, target: float) -> np.ndarray:
    """Smallest integer k >= 0 with cdf(k, i) >= target for each element i, walking from `start`
    in steps of one; from starts of 1e5 and more in shrinking steps, as R does."""
    k = np.maximum(np.round(np.where(np.isfinite(start), start, 0.0)), 0.0)
    large = np.nonzero(k >= 1e5)[0]
    for i in large:
        k[i] = _search_large(lambda x, i=i: cdf(np.array([x]), np.array([i]))[0], k[i], target)
    small = np.nonzero(k < 1e5)[0]
    todo = small
    while todo.size:  # up until the distribution function reaches the target
        todo = todo[cdf(k[todo], todo) < target]
        k[todo] += 1
    todo = small
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
