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
    p*p entries the column it equals. X'WX of every fit is then (U' W)[index]: with a time column
    and a seasonal factor most products repeat (1, t, t^2 per level), which saves most of the work."""
    n, p = X.shape
    outer = (X[:, :, None] * X[:, None, :]).reshape(n, p * p)
    U, index = np.unique(outer, axis=1, return_inverse=True)
    return U, index.reshape(-1)


# Stopped fits stay in the working arrays (their results already stored) until they make up this share
# of them: compacting copies every array, which is only worth it once enough rows are dead weight.
COMPACT_SHARE = 1 / 16


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
    X = np.asarray(X, dtype=float)
    U, index = _products(X)
    lower = [[int(index[i * p + j]) for j in range(i + 1)] for i in range(p)]  # row of U' W holding (X'WX)_ij
    mask = np.asarray(mask, dtype=bool)
    y = np.where(mask, y, 0.0).astype(float)
    unit_prior = prior is None and bool(mask.all())  # then prior × anything is that thing
    prior = np.where(mask, 1.0 if prior is None else prior, 0.0)
    offset_used = offset is not None
    offset = np.zeros((G, n)) if offset is None else np.where(mask, offset, 0.0)
    log_floor = np.log(MU_FLOOR)

    # deviance = 2 sum prior (y log(y/mu) - (y - mu)) = 2 (const - sum prior y log mu + sum prior mu)
    py = y if unit_prior else prior * y
    with np.errstate(divide="ignore", invalid="ignore"):
        const = (py * np.where(y > 0, np.log(np.where(y > 0, y, 1.0)), 0.0) - py).sum(axis=1)
    mu = np.where(mask, y + 0.1, 1.0)
    eta = np.log(mu)
    dev_old = 2.0 * (const - (py * eta).sum(axis=1) + (prior * mu).sum(axis=1))
    # X'W z = X'(W (eta - offset)) + X'(prior (y - mu)), and X'(prior (y - mu)) = X'(prior y) - X'W 1:
    # X'(prior y) is fixed, X'W 1 is a row of X'WX when X has an intercept column
    intercept = bool((X[:, 0] == 1.0).all())
    pyX = (py @ X).T  # (p, G)

    coef = np.full((G, p), np.nan)
    w2_last = np.zeros((G, n))
    xtwx_last = np.zeros((G, p, p))
    converged = np.zeros(G, dtype=bool)
    XT = np.ascontiguousarray(X.T)
    # working arrays over the fits still held: `held` maps them to the batch, `live` marks those still iterating
    held = np.arange(G)
    live = np.ones(G, dtype=bool)
    pa = None if unit_prior else prior
    pya, oa, ca, dva, mua = py, offset, const, dev_old, mu
    lin = eta - offset if offset_used else eta  # X beta, the linear predictor without the offset
    pyXa = pyX
    last = None
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        for _ in range(maxit):
            w2 = mua if pa is None else pa * mua  # prior × mu.eta² / V(mu) for the log link and Poisson variance
            uw = U.T @ w2.T  # (r, G): the distinct entries of each X'WX
            xtw1 = uw[index[:p]] if intercept else (w2 @ X).T
            rhs = (X.T @ (w2 * lin).T) + pyXa - xtw1
            beta = _cholesky_solve_rows(uw, lower, rhs)  # (p, G)
            lin_new = beta.T @ XT
            eta_new = lin_new + oa if offset_used else lin_new
            # exp floored at machine epsilon, as R's linkinv; the floor is rarely reached, and a check is cheaper
            log_mu = eta_new if eta_new.min() >= log_floor else np.maximum(eta_new, log_floor)
            mu_new = np.exp(log_mu)
            total_mu = mu_new.sum(axis=1) if pa is None else np.einsum("gn,gn->g", pa, mu_new)
            dev = 2.0 * (ca - np.einsum("gn,gn->g", pya, log_mu) + total_mu)
            finite = np.isfinite(dev) & np.isfinite(beta).all(axis=0)
            conv = finite & (np.abs(dev - dva) / (np.abs(dev) + 0.1) < epsilon)
            # a fit whose step failed keeps the previous step's results, as R reports them
            mu_keep = mu_new if finite.all() else np.where(finite[:, None], mu_new, mua)
            stop = live & (conv | ~finite)
            if stop.any():
                i = np.nonzero(stop)[0]
                g = held[i]
                ok = finite[i]
                coef[g[ok]] = beta[:, i[ok]].T
                mu[g], w2_last[g] = mu_keep[i], w2[i]
                xtwx_last[g] = uw[:, i][index].T.reshape(-1, p, p)
                converged[g] = conv[i]
                live &= ~stop
                n_live = int(live.sum())
                if n_live == 0:
                    last = None
                    break
                if held.size - n_live >= COMPACT_SHARE * held.size:
                    keep = live
                    held, live = held[keep], live[keep]
                    pya, ca, pyXa = pya[keep], ca[keep], pyXa[:, keep]
                    if pa is not None:
                        pa = pa[keep]
                    if offset_used:
                        oa = oa[keep]
                    dev, mu_new, lin_new = dev[keep], mu_new[keep], lin_new[keep]
                    beta, mu_keep, w2, uw = beta[:, keep], mu_keep[keep], w2[keep], uw[:, keep]
            dva, mua, lin = dev, mu_new, lin_new
            last = (beta, mu_keep, w2, uw)
    if last is not None:  # fits still iterating at maxit: not converged
        beta, mu_keep, w2, uw = last
        g = held[live]
        coef[g], mu[g], w2_last[g] = beta[:, live].T, mu_keep[live], w2[live]
        xtwx_last[g] = uw[:, live][index].T.reshape(-1, p, p)

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


def _cholesky_solve_rows(a: np.ndarray, lower: list[list[int]], b: np.ndarray) -> np.ndarray:
    """Solve A x = b for G small symmetric positive definite A at once, b (p, G); entry (i, j), i >= j, of
    every A is the row a[lower[i][j]] (length G). A that is not positive definite gives NaN.

    The fits run along the last axis, so each step of the Cholesky factorisation and of the two
    triangular solves is one vector operation over all G: for p around 10 this is far cheaper than a
    LAPACK call per matrix."""
    p, G = b.shape
    L = np.empty((p, p, G))  # only the lower triangle is written and read
    for j in range(p):
        row = L[j, :j]
        d = a[lower[j][j]] - np.einsum("kg,kg->g", row, row)
        L[j, j] = np.sqrt(np.where(d > 0, d, np.nan))
        if j + 1 < p:
            below = a[[lower[i][j] for i in range(j + 1, p)]]
            L[j + 1:, j] = (below - np.einsum("ikg,kg->ig", L[j + 1:, :j], row)) / L[j, j]
    z = np.empty((p, G))
    for j in range(p):
        z[j] = (b[j] - np.einsum("kg,kg->g", L[j, :j], z[:j])) / L[j, j]
    x = np.empty((p, G))
    for j in range(p - 1, -1, -1):
        x[j] = (z[j] - np.einsum("kg,kg->g", L[j + 1:, j], x[j + 1:])) / L[j, j]
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
