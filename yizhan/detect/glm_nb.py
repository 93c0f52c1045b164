"""Log-link count GLMs as R fits them for algo.glrnb's in-control mean: stats::glm.fit (Poisson or
negative binomial with a known theta) and MASS::glm.nb (theta estimated by maximum likelihood,
alternating with the GLM fit), with R's starting values, convergence rules and iteration limits
(glm.control(): epsilon 1e-8, maxit 25), so that the estimates agree with R's to its tolerance.
"""

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


def theta_ml(y: np.ndarray, mu: np.ndarray, limit: int = MAXIT) -> float:
    """MASS::theta.ml: Newton-Raphson for the negative binomial theta given the means, from the
    moment estimate, until a step is below eps = double.eps^0.25 or `limit` - 1 steps; truncated at 0."""
    n = y.size
    t0 = n / np.sum((y / mu - 1) ** 2)
    delta, it = 1.0, 0
    while (it := it + 1) < limit and abs(delta) > np.finfo(float).eps ** 0.25:
        t0 = abs(t0)
        score = np.sum(digamma(t0 + y) - digamma(t0) + np.log(t0) + 1 - np.log(t0 + mu) - (y + t0) / (mu + t0))
        info = np.sum(-polygamma(1, t0 + y) + polygamma(1, t0) - 1 / t0 + 2 / (mu + t0) - (y + t0) / (mu + t0) ** 2)
        delta = score / info
        t0 = t0 + delta
    return max(float(t0), 0.0)


def _loglik(theta: float, mu: np.ndarray, y: np.ndarray) -> float:
    return float(np.sum(gammaln(theta + y) - gammaln(theta) - gammaln(y + 1) + theta * np.log(theta)
                        + y * np.log(mu + (y == 0)) - (theta + y) * np.log(theta + mu)))


def glm_nb(y: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, float]:
    """MASS::glm.nb: (coefficients, theta). A Poisson fit, then GLM fits with theta fixed alternating
    with theta.ml until the log-likelihood and theta settle. As in R, theta.ml is given the means of
    the fit before the one just made, and the coefficients are those of the last fit."""
    coef, mu = glm_fit(y, X, np.inf)
    theta = theta_ml(y, mu)
    d1 = np.sqrt(2 * max(1, y.size - np.linalg.matrix_rank(X)))
    d2 = delta = 1.0
    lm = _loglik(theta, mu, y)
    lm0 = lm + 2 * d1
    it = 0
    while (it := it + 1) <= MAXIT and abs(lm0 - lm) / d1 + abs(delta) / d2 > EPSILON:
        coef, mu_new = glm_fit(y, X, theta, eta=np.log(mu))
        t0, theta = theta, theta_ml(y, mu)
        mu = mu_new
        delta = t0 - theta
        lm0, lm = lm, _loglik(theta, mu, y)
    return coef, theta
