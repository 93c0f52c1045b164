"""algo.glrnb's epidemic chart (R's change = "epi", Held et al. 2005; Höhle and Paul 2008): out of
control from an unknown change time k on, the mean at t is mu0_t + lambda·x_{t-1} (an
autoregression on the previous count), lambda > 0 at its maximum-likelihood value; the statistic
at n is the largest log-likelihood ratio of x_k..x_n over the change times k (all earlier ones, or
the last M, leaving Mtilde observations). x_{t-1} of the first period is 0, and after an alarm the
count at the alarm (R's xm10).

Poisson (R's glr_epi_window): lambda = exp(phi) by Newton-Raphson on phi; an alarm when the
statistic exceeds c.ARL. Negative binomial (R's glr_nbgeneral_window): R estimates the parameter
theta (lambda = exp(theta)) with the intercept chart's score and Fisher information, unclamped,
then evaluates the epidemic log-likelihood ratio at it; reproduced as R computes it. An alarm when
the statistic reaches c.ARL. Both detect increases only (R ignores dir).
"""

import numpy as np

from yizhan.detect.glr_newton import Step, chained, nb_intercept_step, window


def _lagged(x: np.ndarray, seg: np.ndarray, xm10: float) -> np.ndarray:
    return np.where(seg == 0, xm10, x[np.maximum(seg - 1, 0)]).astype(float)


def _best(lnk: np.ndarray, ks: np.ndarray) -> tuple[float, int]:
    i = int(np.argmax(np.where(np.isnan(lnk), -np.inf, lnk)))
    if np.isnan(lnk[i]):  # every l_{n,k} NaN: C's maximum stays at its initial -1e99
        return -1e99, int(ks[0])
    return max(float(lnk[i]), -1e99), int(ks[i])


def _pois_step(xs: np.ndarray, xm1: np.ndarray, ms: np.ndarray, inside: np.ndarray) -> Step:
    """C's score / fisher of glr_epi_window, in phi = log(lambda)."""
    def step(phi: np.ndarray, rows: np.ndarray) -> np.ndarray:
        e = np.exp(phi)[:, None]
        mean = e * xm1 + ms
        score = np.exp(phi) * np.where(inside[rows], xs * xm1 / mean - xm1, 0.0).sum(axis=1)
        fisher = -score + np.exp(2.0 * phi) * np.where(inside[rows], xs * xm1**2 / mean**2, 0.0).sum(axis=1)
        return score / fisher
    return step


def glr_epi(x: np.ndarray, mu0: np.ndarray, alpha: float, xm10: float, n: int, M: int, Mtilde: int,
            guess: dict | None) -> tuple[float, int, dict]:
    """The epidemic chart's statistic at n (Poisson when alpha = 0), the change time of its maximum
    and the chain's estimates by k (to seed n + 1)."""
    ks, seg = window(n, M, Mtilde)
    if ks.size == 0:
        return -1e99, -1, {}
    inside = seg[None, :] >= ks[:, None]
    xs, ms, xm1 = x[seg].astype(float), mu0[seg], _lagged(x, seg, xm10)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if alpha == 0:
            phi = chained(ks, np.log(0.5), _pois_step(xs, xm1, ms, inside), 2.0, True,
                          lambda v: np.log(np.exp(v)), guess)
            lam = np.exp(phi)[:, None]
            terms = xs * np.log(lam * xm1 / ms + 1.0) - lam * xm1
            carried = np.log(np.exp(phi))
        else:
            theta = chained(ks, 0.5, nb_intercept_step(xs, ms, inside, alpha), 0.4, False, lambda v: v, guess)
            mu1 = ms + np.exp(theta)[:, None] * xm1
            terms = (xs * (np.log(mu1) - np.log(ms) + np.log(1 + alpha * ms) - np.log(1 + alpha * mu1))
                     + 1 / alpha * (np.log(1 + alpha * ms) - np.log(1 + alpha * mu1)))
            carried = theta
        lnk = np.where(inside, terms, 0.0).sum(axis=1)
    stat, k = _best(lnk, ks)
    return stat, k, dict(zip(ks.tolist(), carried.tolist(), strict=True))
