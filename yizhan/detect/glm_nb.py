"""Log-link count GLMs as R fits them for algo.glrnb's in-control mean: stats::glm.fit (Poisson or
negative binomial with a known theta) and MASS::glm.nb (theta estimated by maximum likelihood,
alternating with the GLM fit), with R's starting values, convergence rules and iteration limits
(glm.control(): epsilon 1e-8, maxit 25), so that the estimates agree with R's to its tolerance.
"""

from typing import NamedTuple

import numpy as np
from scipy.special import digamma, gammaln, polygamma

EPSILON, MAXIT = 1e-8, 25


def _deviance(y: np.ndarray, mu: np.ndarray, theta: float) -> float:
    """R's dev.resids summed: poisson() for theta = inf, negative.binomial(theta) otherwise."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if np.isinf(theta):
            r = np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)
        else:
            r = y * np.log(np.maximum(y, 1) / mu) - (y + theta) * np.log((y + theta) / (mu + theta))
    return float(2 * r.sum())


def glm_fit(y: np.ndarray, X: np.ndarray, theta: float, eta: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """R's glm.fit with log link (Poisson for theta = inf): (coefficients, fitted means). Starts from
    the family's mustart (y + 0.1 Poisson, y + (y == 0)/6 negative binomial) or from `eta` (etastart)."""
    if eta is None:
        eta = np.log(y + 0.1 if np.isinf(theta) else y + (y == 0) / 6.0)
    mu = np.maximum(np.exp(eta), np.finfo(float).eps)
    alpha = 0.0 if np.isinf(theta) else 1.0 / theta
    dev_old = _deviance(y, mu, theta)
    coef = np.zeros(X.shape[1])
    for _ in range(MAXIT):
        w = np.sqrt(mu * mu / (mu + alpha * mu * mu))
        z = eta + (y - mu) / mu
        coef = np.linalg.lstsq(X * w[:, None], z * w, rcond=None)[0]
        eta = X @ coef
        mu = np.maximum(np.exp(eta), np.finfo(float).eps)  # R's linkinv
        dev = _deviance(y, mu, theta)
        if abs(dev - dev_old) / (abs(dev) + 0.1) < EPSILON:
            break
        dev_old = dev
    return coef, mu


EPS_THETA = np.finfo(float).eps ** 0.25  # theta.ml's eps: it stops after a Newton step smaller than this


def score_info(t: float, y: np.ndarray, mu: np.ndarray) -> tuple[float, float]:
    """theta.ml's score and information at theta = t, summed over the observations. R writes each
    term with digamma, trigamma and logs of size log(t) that cancel to size 1/t^2 when the counts are
    nearly Poisson (large t), so R's sums keep few correct digits there and their last bits follow
    the platform's arithmetic. The same quantities are computed here without that cancellation: for
    whole counts psi(t + y) - psi(t) = sum_{j<y} 1/(t + j) and trigamma likewise, and
    log(t) + 1 - log(t + mu) - (y + t)/(mu + t) = (mu - y)/(mu + t) - log1p(mu/t),
    -1/t + 2/(mu + t) - (y + t)/(mu + t)^2 = -(mu^2 + t y) / (t (mu + t)^2)."""
    if np.all(y == np.round(y)) and y.min() >= 0:
        inv = 1.0 / (t + np.arange(int(y.max())))
        counts = y.astype(np.int64)
        dpsi = np.concatenate([[0.0], np.cumsum(inv)])[counts]
        dtri = np.concatenate([[0.0], np.cumsum(inv * inv)])[counts]
    else:
        dpsi = digamma(t + y) - digamma(t)
        dtri = polygamma(1, t) - polygamma(1, t + y)
    score = np.sum(dpsi + (mu - y) / (mu + t) - np.log1p(mu / t))
    info = np.sum(dtri - (mu * mu + t * y) / (t * (mu + t) ** 2))
    return float(score), float(info)


def theta_ml_path(y: np.ndarray, mu: np.ndarray, limit: int = MAXIT) -> list[float]:
    """MASS::theta.ml's iterates: the moment estimate n / sum((y/mu - 1)^2), then t <- |t| + score/info
    while fewer than `limit` - 1 steps have been taken and the last step exceeded EPS_THETA. With
    limit steps used the Newton iteration has not settled (R warns "iteration limit reached"): for
    nearly Poisson counts theta grows without bound and R returns where the limit stopped it."""
    t0 = y.size / np.sum((y / mu - 1) ** 2)
    path = [float(t0)]
    delta, it = 1.0, 0
    while (it := it + 1) < limit and abs(delta) > EPS_THETA:
        t0 = abs(t0)
        score, info = score_info(t0, y, mu)
        delta = score / info
        t0 = t0 + delta
        path.append(float(t0))
    return path


def theta_ml(y: np.ndarray, mu: np.ndarray, limit: int = MAXIT) -> float:
    """MASS::theta.ml: the last of theta_ml_path's iterates, truncated at 0."""
    return max(theta_ml_path(y, mu, limit)[-1], 0.0)


def _loglik(theta: float, mu: np.ndarray, y: np.ndarray) -> float:
    return float(np.sum(gammaln(theta + y) - gammaln(theta) - gammaln(y + 1) + theta * np.log(theta)
                        + y * np.log(mu + (y == 0)) - (theta + y) * np.log(theta + mu)))


class NegativeBinomialFit(NamedTuple):
    coef: np.ndarray
    theta: float
    theta_mu: np.ndarray  # the means the last theta.ml was given (the fit before the last one, as in R)


def glm_nb(y: np.ndarray, X: np.ndarray) -> NegativeBinomialFit:
    """MASS::glm.nb: coefficients and theta. A Poisson fit, then GLM fits with theta fixed alternating
    with theta.ml until the log-likelihood and theta settle. As in R, theta.ml is given the means of
    the fit before the one just made, and the coefficients are those of the last fit."""
    coef, mu = glm_fit(y, X, np.inf)
    theta = theta_ml(y, mu)
    theta_mu = mu
    d1 = np.sqrt(2 * max(1, y.size - np.linalg.matrix_rank(X)))
    d2 = delta = 1.0
    lm = _loglik(theta, mu, y)
    lm0 = lm + 2 * d1
    it = 0
    while (it := it + 1) <= MAXIT and abs(lm0 - lm) / d1 + abs(delta) / d2 > EPSILON:
        coef, mu_new = glm_fit(y, X, theta, eta=np.log(mu))
        t0, theta, theta_mu = theta, theta_ml(y, mu), mu
        mu = mu_new
        delta = t0 - theta
        lm0, lm = lm, _loglik(theta, mu, y)
    return NegativeBinomialFit(coef, theta, theta_mu)
