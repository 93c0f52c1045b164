"""Many small quasi-Poisson GLMs (log link) fitted at once by iteratively reweighted least squares.

The iteration is the one of R's `glm.fit`: start from mu = y + 0.1, stop when the relative change of
the deviance |dev - dev_old| / (|dev| + 0.1) falls below `epsilon` (1e-8) or after `maxit` (25)
iterations. As in R, the working weights, the covariance and the hat values of a fit come from the
last weighted least-squares step (weights computed from the fitted means *before* that step), while
the fitted means and the residuals are the ones after it; Farrington's dispersion, reweighting and
trend test depend on that detail.

A batch is G fits sharing one design of n rows and p columns; rows a fit does not use are masked out. Each fit
stops iterating on its own criterion, so the batch gives what G separate `glm.fit` calls give.
Columns should be scaled to order one (the callers centre time at the evaluated period): the
normal equations are then as accurate as R's QR decomposition for these designs.
"""

from dataclasses import dataclass

import numpy as np
from scipy import special

EPSILON = 1e-8
MAXIT = 25
MU_FLOOR = np.finfo(float).eps  # R's poisson()$linkinv and mu.eta floor exp(eta) at machine epsilon


def inverse_link(eta: np.ndarray) -> np.ndarray:
    """exp(eta), floored at machine epsilon as in R's poisson family."""
    return np.maximum(np.exp(eta), MU_FLOOR)


@dataclass
class BatchFit:
    coef: np.ndarray  # (G, p)
    mu: np.ndarray  # (G, n) fitted means, 0 on masked rows
    working_weights: np.ndarray  # (G, n) R's model$weights: prior weight × mu of the last step's start
    cov_unscaled: np.ndarray  # (G, p, p) (X'WX)^-1 of the last step
    hat: np.ndarray  # (G, n) leverages of the last step
    converged: np.ndarray  # (G,) bool
    df_residual: np.ndarray  # (G,) rows with positive prior weight minus p
    dispersion: np.ndarray  # (G,) Pearson estimate sum(w r^2) / df, NaN when df <= 0


def _products(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct columns U (n, r) of the row-wise outer products x_i x_j of X, and for each of the
    p*p entries the column it equals. X'WX of every fit is then (w @ U)[:, index]: with a time column
    and a seasonal factor most products repeat (1, t, t^2 per level), which saves most of the work."""
    n, p = X.shape
    outer = (X[:, :, None] * X[:, None, :]).reshape(n, p * p)
    U, index = np.unique(outer, axis=1, return_inverse=True)
    return U, index.reshape(-1)


def fit_quasipoisson(
    y: np.ndarray,
    X: np.ndarray,
    mask: np.ndarray,
    prior: np.ndarray | None = None,
    offset: np.ndarray | None = None,
    *,
    epsilon: float = EPSILON,
    maxit: int = MAXIT,
) -> BatchFit:
    """Fit G log-linear quasi-Poisson GLMs sharing the design X (n, p): responses y (G, n), mask
    (G, n) of the rows each fit uses, prior weights and offset (G, n)."""
    G, n = y.shape
    p = X.shape[1]
    U, index = _products(X)
    mask = np.asarray(mask, dtype=bool)
    y = np.where(mask, y, 0.0).astype(float)
    prior = np.where(mask, 1.0 if prior is None else prior, 0.0)
    offset_used = offset is not None
    offset = np.zeros((G, n)) if offset is None else np.where(mask, offset, 0.0)
    log_floor = np.log(MU_FLOOR)

    # deviance = 2 sum prior (y log(y/mu) - (y - mu)) = 2 (const - sum prior y log mu + sum prior mu)
    py = prior * y
    with np.errstate(divide="ignore", invalid="ignore"):
        const = (py * np.where(y > 0, np.log(np.where(y > 0, y, 1.0)), 0.0) - py).sum(axis=1)
    mu = np.where(mask, y + 0.1, 1.0)
    eta = np.log(mu)
    dev_old = 2.0 * (const - (py * eta).sum(axis=1) + (prior * mu).sum(axis=1))

    coef = np.full((G, p), np.nan)
    w2_last = np.zeros((G, n))
    xtwx_last = np.zeros((G, p, p))
    converged = np.zeros(G, dtype=bool)
    XT = np.ascontiguousarray(X.T)
    # working copies of the fits still iterating; a fit's results are stored once, when it stops
    active = np.arange(G)
    ya, pa, pya, oa, ca, dva = y, prior, py, offset, const, dev_old
    mua, etaa = mu, eta
    last = None
    for _ in range(maxit):
        w2 = pa * mua  # prior × mu.eta² / V(mu) for the log link and Poisson variance
        # X'W z with z = eta - offset + (y - mu)/mu, i.e. W z = w2 (eta - offset) + prior (y - mu)
        wz = w2 * (etaa - oa) + pa * (ya - mua)
        xtwx = (w2 @ U)[:, index].reshape(-1, p, p)
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            beta = cholesky_solve(xtwx, wz @ X)
            eta_new = beta @ XT
            if offset_used:
                eta_new += oa
            mu_new = np.maximum(np.exp(eta_new), MU_FLOOR)
            log_mu = np.maximum(eta_new, log_floor)
            dev = 2.0 * (ca - np.einsum("gn,gn->g", pya, log_mu) + np.einsum("gn,gn->g", pa, mu_new))
        finite = np.isfinite(dev) & np.isfinite(beta).all(axis=1)
        conv = finite & (np.abs(dev - dva) / (np.abs(dev) + 0.1) < epsilon)
        # a fit whose step failed keeps the previous step's results, as R reports them
        mu_keep = np.where(finite[:, None], mu_new, mua)
        last = (beta, mu_keep, w2, xtwx)
        stop = conv | ~finite
        if stop.any():
            i = np.nonzero(stop)[0]
            g = active[i]
            ok = finite[i]
            coef[g[ok]] = beta[i[ok]]
            mu[g], w2_last[g], xtwx_last[g] = mu_keep[i], w2[i], xtwx[i]
            converged[g] = conv[i]
            keep = ~stop
            active = active[keep]
            if active.size == 0:
                last = None
                break
            ya, pa, pya, oa, ca = ya[keep], pa[keep], pya[keep], oa[keep], ca[keep]
            dva, mua, etaa = dev[keep], mu_new[keep], eta_new[keep]
            last = (beta[keep], mu_keep[keep], w2[keep], xtwx[keep])
        else:
            dva, mua, etaa = dev, mu_new, eta_new
    if last is not None:  # fits still iterating at maxit: not converged
        coef[active], mu[active], w2_last[active], xtwx_last[active] = last

    with np.errstate(invalid="ignore", divide="ignore"):
        try:
            cov = np.linalg.inv(xtwx_last)
        except np.linalg.LinAlgError:
            cov = _inv_each(xtwx_last)
        hat = w2_last * (cov.reshape(G, p * p) @ (X[:, :, None] * X[:, None, :]).reshape(n, p * p).T)
        hat = np.where(hat > 1 - 10 * np.finfo(float).eps, 1.0, hat)
        mu = np.where(mask, mu, 0.0)
        resid = np.where(mask, (y - mu) / mu, 0.0)
        df = (prior > 0).sum(axis=1) - p
        pearson = np.where(w2_last > 0, w2_last * resid**2, 0.0).sum(axis=1)
        dispersion = np.where(df > 0, pearson / np.maximum(df, 1), np.nan)
    return BatchFit(coef, mu, w2_last, cov, hat, converged, df, dispersion)


def cholesky_solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve a x = b for a stack of small symmetric positive definite a (G, p, p), b (G, p).

    Vectorised over the stack, one column at a time: for p around 10 this is far cheaper than a
    LAPACK call per matrix. A matrix that is not positive definite gives NaN."""
    G, p, _ = a.shape
    L = np.zeros_like(a)
    for j in range(p):
        d = a[:, j, j] - np.einsum("gk,gk->g", L[:, j, :j], L[:, j, :j])
        L[:, j, j] = np.sqrt(np.where(d > 0, d, np.nan))
        if j + 1 < p:
            L[:, j + 1:, j] = (a[:, j + 1:, j] - np.einsum("gik,gk->gi", L[:, j + 1:, :j], L[:, j, :j])) / L[:, j, j, None]
    z = np.empty((G, p))
    for j in range(p):
        z[:, j] = (b[:, j] - np.einsum("gk,gk->g", L[:, j, :j], z[:, :j])) / L[:, j, j]
    x = np.empty((G, p))
    for j in range(p - 1, -1, -1):
        x[:, j] = (z[:, j] - np.einsum("gk,gk->g", L[:, j + 1:, j], x[:, j + 1:])) / L[:, j, j]
    return x


def _inv_each(a: np.ndarray) -> np.ndarray:
    out = np.full(a.shape, np.nan)
    for g in range(a.shape[0]):
        try:
            out[g] = np.linalg.inv(a[g])
        except np.linalg.LinAlgError:
            pass  # as above: NaN covariance for a singular design
    return out


def coef_pvalue(fit: BatchFit, j: int, dispersion: np.ndarray | None = None) -> np.ndarray:
    """Two-sided t-test p-value of coefficient j with the estimated dispersion (or the one given),
    as R's summary.glm gives for a quasi family (NaN when there are no residual degrees of freedom)."""
    disp = fit.dispersion if dispersion is None else dispersion
    with np.errstate(invalid="ignore", divide="ignore"):
        t = fit.coef[:, j] / np.sqrt(fit.cov_unscaled[:, j, j] * disp)
        df = fit.df_residual.astype(float)
        p = 2.0 * special.stdtr(np.where(df > 0, df, np.nan), -np.abs(t))
    return p


def predict_link(fit: BatchFit, x0: np.ndarray, offset0: np.ndarray | float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Linear predictor at the design row x0 (p,) and x0' (X'WX)^-1 x0, the unscaled variance of it."""
    eta0 = fit.coef @ x0 + offset0
    var0 = np.einsum("i,gij,j->g", x0, fit.cov_unscaled, x0)
    return eta0, var0
