"""The maximum-likelihood step shared by algo.glrnb's C charts (glr_nb_window, glr_nbgeneral_window,
glr_epi_window): at period n, for each change time k = low..up in turn, Newton-Raphson for the
out-of-control parameter from the previous k's estimate (the first k from a fixed start).

The estimate is the same from any start where the iteration converges (the log-likelihoods are
concave), but not where it overshoots or starts below C's floor of -18; so the chain of starting
values is found as a fixed point: every k is run at once from the previous k's result, and again
where that start moved beyond the iteration's tolerance, until none moves. Round r makes the first
r starts exact, so it ends; seeded with the previous n's estimates, the later rounds rerun a few k.
"""

from collections.abc import Callable

import numpy as np

Step = Callable[[np.ndarray, np.ndarray], np.ndarray]


def window(n: int, M: int, Mtilde: int) -> tuple[np.ndarray, np.ndarray]:
    """C's change times k = low..up at n and the periods low..n they cover."""
    lo = 0 if M == -1 else max(0, n - M)
    return np.arange(lo, n - (Mtilde - 1) + 1), np.arange(lo, n + 1)


def newton(start: np.ndarray, step: Step, old0: float, on_exp_scale: bool, rows: np.ndarray,
           n_k: int) -> np.ndarray:
    """C's loop for the change times `rows` (ascending indices) at once: while value > -18,
    |change| > 1e-6 (of exp(value) when `on_exp_scale`) and fewer than 1000 steps, value += step.
    `old0` is C's value before the first step; `step(values, mask)` gives the Newton steps of the
    change times selected by the boolean `mask` (over all `n_k` change times)."""
    value = start.copy()
    old = np.full(value.size, old0)
    active = np.ones(value.size, dtype=bool)
    mask = np.zeros(n_k, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(1000):
            gap = np.exp(value) - np.exp(old) if on_exp_scale else value - old
            active &= (value > -18) & (np.abs(gap) > 1e-6)  # NaN stops, as in C
            if not active.any():
                break
            mask[:] = False
            mask[rows[active]] = True
            new = value[active] + step(value[active], mask)
            old[active] = value[active]
            value[active] = new
    return value


def chained(ks: np.ndarray, first: float, step: Step, old0: float, on_exp_scale: bool,
            carry: Callable[[np.ndarray], np.ndarray], guess: dict | None) -> np.ndarray:
    """The estimates of C's chain over the change times `ks`: the first k starts at `first`, each
    next k at carry(previous estimate). `guess` (estimates by k) seeds the starts; after the first
    round only the change times whose start moved are run again."""
    guess = guess or {}
    starts = np.array([first] + [guess.get(int(k) - 1, first) for k in ks[1:]], dtype=float)
    every = np.arange(ks.size)
    value = newton(starts, step, old0, on_exp_scale, every, ks.size)
    for _ in range(ks.size):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            following = np.concatenate([[first], carry(value[:-1])])
        # Starts this close lead to the same estimate, to well within the iteration's own tolerance.
        moved = ~np.isclose(following, starts, rtol=0, atol=1e-8, equal_nan=True)
        if not moved.any():
            break
        starts[moved] = following[moved]
        rows = every[moved]
        value[rows] = newton(starts[rows], step, old0, on_exp_scale, rows, ks.size)
    return value


def nb_intercept_step(xs: np.ndarray, ms: np.ndarray, inside: np.ndarray, alpha: float) -> Step:
    """Newton step of C's nbScore / nbFisher (negative binomial, mean mu0·exp(kappa) over k..n);
    `inside[k, i]` marks the periods i of change time k's sum."""
    def step(kappa: np.ndarray, rows: np.ndarray) -> np.ndarray:
        e = np.exp(kappa)[:, None]
        denom = 1 + alpha * e * ms[None, :]
        score = np.where(inside[rows], (xs - e * ms) / denom, 0.0).sum(axis=1)
        fisher = e[:, 0] * np.where(inside[rows], ms * (alpha * xs + 1) / denom**2, 0.0).sum(axis=1)
        return score / fisher
    return step
