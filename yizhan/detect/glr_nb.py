"""algo.glrnb's negative binomial intercept chart (R's C routine glr_nb_window), a block of periods
at once.

At period n and change time k, C finds kappa by Newton-Raphson on the score
S(kappa) = sum_{i=k..n} (x_i - e^kappa mu_i) / (1 + alpha e^kappa mu_i), starting from the previous
k's estimate (clamped to the direction; the first k from 0.5), and evaluates the log-likelihood
ratio l(kappa) = kappa X - sum_i c_i [log(1 + a_i e^kappa) - log(1 + a_i)] with c_i = x_i + 1/alpha,
a_i = alpha mu_i, X = sum_i x_i. The statistic is the largest l over k.

Both are sums over i of c_i softplus(kappa + b_i) (b_i = log a_i) and its derivatives:
S = X - H'(kappa), C's Fisher information is H''(kappa), l = kappa X - H(kappa) + H(0), where
H(t) = sum_i c_i log(1 + e^(t + b_i)). On a grid of t_g (spacing 0.1), with p_i = e^z/(1 + e^z) at
z = t_g + b_i and u = e^(t - t_g) - 1, log(1 + e^(t + b_i)) = log(1 + e^z) + log(1 + p_i u), whose
series in u has the coefficients p_i^m: so H near t_g needs only the window sums of c_i p_i^m,
which are differences of running sums. A change time then costs a few operations instead of
n - k + 1 terms per Newton step, as in R's C code and in the per-period version before this one.

Where C's Newton converges, its estimate is the root of S to well within 1e-9 whatever it started
from, and l is flat there, so the root serves: when C's start is within 0.6 of the root (the
information changes by at most a factor e^|d| over a distance d, so each step at least halves the
distance), or, for dir = inc, when the root is at or below 0 (the clamp gives 0 whether C's Newton
ends near the root or falls below -18). The root's grid cell, and so both conditions, comes from the
signs of S at the grid points; the root itself is computed only where the maximum may lie: l is
concave, so within the cell it lies between the larger of its end values and the point where the end
tangents meet, and only change times whose bound reaches the best end value of their period are
solved. Every other change time follows C's iterations exactly, term by term, from the start C gives
it, one at a time along its chain, and the next change time is checked again with its true start.
The maximum found is summed term by term as C sums it.
"""

import numpy as np
from scipy.special import expit

STEP = 0.1
ORDER = 12  # |u| <= e^0.1 - 1 and p <= 1: the series' remainder is below 2e-14 of its first term
BLOCK = 64


def grid(dir_: int) -> np.ndarray:
    """The t_g: for dir = inc 0..4 (a root at or below 0 is clamped to 0, from any start: C's Newton
    ends near the root or below -18), for dec -4..0.7 (a clamped root still needs its distance to
    the start). Roots outside are followed term by term."""
    return np.arange(0, 41) * STEP if dir_ > 0 else np.arange(-40, 8) * STEP


class Tables:
    """Running sums over a run of periods, per grid point: sums[g, i, 0] of c softplus(t_g + b),
    sums[g, i, m] of c p^m (m = 1..ORDER), over the periods before i; X of the counts. Built once
    for a series and its in-control means; `at(offset)` reads them for a segment starting there."""

    def __init__(self, x: np.ndarray, mu0: np.ndarray, alpha: float, dir_: int, offset: int = 0, parent=None):
        if parent is not None:
            self.__dict__.update(parent.__dict__)
            self.offset = offset
            return
        self._x, self._mu0, self.alpha, self.offset = x.astype(float), mu0, alpha, 0
        self.grid = grid(dir_)
        self.zero = int(np.argmin(np.abs(self.grid)))
        c = self._x + 1 / alpha
        z = self.grid[:, None] + np.log(alpha * mu0)[None, :]
        p = expit(z)
        terms = np.empty((self.grid.size, x.size + 1, ORDER + 1))
        terms[:, 0] = 0.0
        terms[:, 1:, 0] = c * np.logaddexp(0.0, z)
        power = c * p
        for m in range(1, ORDER + 1):
            terms[:, 1:, m] = power
            power = power * p
        self.sums = np.cumsum(terms, axis=1)
        self.first = np.ascontiguousarray(self.sums[:, :, 1])
        self._X = np.concatenate([[0.0], np.cumsum(self._x)])
        self._M = np.concatenate([[0.0], np.cumsum(mu0)])

    def at(self, offset: int) -> "Tables":
        return Tables(None, None, self.alpha, 0, offset, parent=self)

    @property
    def x(self) -> np.ndarray:
        return self._x[self.offset:]

    @property
    def mu0(self) -> np.ndarray:
        return self._mu0[self.offset:]

    def X(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        return self._X[hi + self.offset] - self._X[lo + self.offset]

    def window(self, lo: np.ndarray, hi: np.ndarray, g: np.ndarray) -> np.ndarray:
        """Window sums over lo..hi-1 at grid points g: (..., ORDER + 1)."""
        return self.sums[g, hi + self.offset] - self.sums[g, lo + self.offset]

    def mu_sum(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        return self._M[hi + self.offset] - self._M[lo + self.offset]

    def score_at_grid(self, lo: np.ndarray, hi: np.ndarray, g: np.ndarray) -> np.ndarray:
        """Window sums of c p at grid points g."""
        return self.first[g, hi + self.offset] - self.first[g, lo + self.offset]

    def logsum_at_grid(self, lo: np.ndarray, hi: np.ndarray, g: np.ndarray) -> np.ndarray:
        """Window sums of c softplus(t_g + b): H(t_g)."""
        return self.sums[g, hi + self.offset, 0] - self.sums[g, lo + self.offset, 0]

    def logsum_at_zero(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        return self.sums[self.zero, hi + self.offset, 0] - self.sums[self.zero, lo + self.offset, 0]


def _score(M: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """H'(t) = sum c p e^D / (1 + p u) and C's information H''(t), from the window's power sums
    M[..., m] = sum c p^m at t_g (D = t - t_g, u = e^D - 1): with A(u) = sum c p / (1 + p u) =
    sum_m (-1)^(m+1) u^(m-1) M_m, H' = (1 + u) A and H'' = (1 + u) (A + (1 + u) A')."""
    A = np.zeros_like(u)
    dA = np.zeros_like(u)
    for m in range(ORDER, 0, -1):
        dA = dA * u + A
        A = A * u + (M[..., m] if m % 2 else -M[..., m])
    e = 1 + u
    return e * A, e * (A + e * dA)


def _logsum(M: np.ndarray, u: np.ndarray) -> np.ndarray:
    """H(t) = sum c softplus(t + b) = M[..., 0] + sum c log(1 + p u) = M_0 + sum_m (-1)^(m+1) u^m M_m / m."""
    total = np.zeros_like(u)
    for m in range(ORDER, 0, -1):
        total = total * u + (M[..., m] if m % 2 else -M[..., m]) / m
    return M[..., 0] + total * u


def _windows(x, mu0, lo, hi):
    width = int((hi - lo).max())
    idx = lo[:, None] + np.arange(width)[None, :]
    inside = idx < hi[:, None]
    idx = np.where(inside, idx, 0)
    return np.where(inside, x[idx], 0.0), np.where(inside, mu0[idx], 0.0), inside


def lnk_direct(x: np.ndarray, mu0: np.ndarray, alpha: float, lo: np.ndarray, hi: np.ndarray, kappa: np.ndarray
               ) -> np.ndarray:
    """C's nblnk: l_{n,k} at kappa for the change times lo..hi-1, summed term by term."""
    xs, ms, inside = _windows(x, mu0, lo, hi)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(kappa)[:, None]
        terms = kappa[:, None] * xs + (xs + 1 / alpha) * np.log((1 + alpha * ms) / (1 + alpha * ms * e))
    return np.where(inside, terms, 0.0).sum(axis=1)


def newton_direct(x: np.ndarray, mu0: np.ndarray, alpha: float, lo: np.ndarray, hi: np.ndarray, start: np.ndarray,
                  dir_: int) -> np.ndarray:
    """C's Newton-Raphson for the change times lo..hi-1 from `start`, term by term (nbScore,
    nbFisher): while kappa > -18, |step| > 1e-6 (the first against C's kappa_old = 0.4) and fewer
    than 1000 steps. Returns the estimate clamped to the direction."""
    xs, ms, inside = _windows(x, mu0, lo, hi)
    value, old = start.astype(float).copy(), np.full(start.size, 0.4)
    active = np.ones(start.size, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(1000):
            active &= (value > -18) & (np.abs(value - old) > 1e-6)  # NaN stops, as in C
            if not active.any():
                break
            v, xa, ma, ia = value[active], xs[active], ms[active], inside[active]
            e = np.exp(v)[:, None]
            denom = 1 + alpha * e * ma
            score = np.where(ia, (xa - e * ma) / denom, 0.0).sum(axis=1)
            fisher = e[:, 0] * np.where(ia, ma * (alpha * xa + 1) / denom**2, 0.0).sum(axis=1)
            old[active] = v
            value[active] = v + score / fisher
    return dir_ * np.fmax(0.0, dir_ * value)  # C's fmax ignores NaN


def _roots(tables: Tables, k, hi, X, g, s_below, s_above) -> np.ndarray:
    """The roots of S in the cells [t_g, t_g+1]: Newton on the series about t_g from the secant
    through the cell's ends, to within 1e-10."""
    Mw = tables.window(k, hi, g)
    D = STEP * s_below / (s_below - s_above)
    for _ in range(8):
        H1, H2 = _score(Mw, np.expm1(D))
        step = (X - H1) / H2
        D = np.clip(D + step, 0.0, STEP)
        if not (np.abs(step) > 1e-10).any():
            break
    return tables.grid[g] + D


def statistics(tables: Tables, rows: range, dir_: int, M: int, Mtilde: int) -> tuple[np.ndarray, np.ndarray]:
    """The statistic at the periods n in `rows` and the change time of its maximum (C's first)."""
    G = tables.grid.size
    n = np.arange(rows.start, rows.stop)
    low = np.zeros_like(n) if M == -1 else np.maximum(0, n - M)
    up = n - (Mtilde - 1)
    width = int((up - low).max()) + 1
    k = low[:, None] + np.arange(width)[None, :]
    valid = k <= up[:, None]
    k = np.where(valid, k, up[:, None])
    hi = np.broadcast_to(n[:, None] + 1, k.shape)
    X = tables.X(k, hi)

    # the cell [t_g, t_g+1] of each root of S (decreasing): from the Poisson estimate log(X / sum mu),
    # which is within a cell of it, step until S(t_g) > 0 >= S(t_g+1)
    with np.errstate(divide="ignore", invalid="ignore"):
        guess = np.floor((np.log(X / tables.mu_sum(k, hi)) - tables.grid[0]) / STEP)
    g = np.clip(np.where(np.isfinite(guess), guess, 0), 0, G - 2).astype(int)
    s_below = X - tables.score_at_grid(k, hi, g)
    s_above = X - tables.score_at_grid(k, hi, g + 1)
    while True:
        down = valid & (s_below <= 0) & (g > 0)
        up_ = valid & (s_above > 0) & (g < G - 2)
        if not (down.any() or up_.any()):
            break
        g = g - down + up_
        s_above = np.where(down, s_below, s_above)
        s_below = np.where(up_, s_above, s_below)
        s_below = np.where(down, X - tables.score_at_grid(k, hi, g), s_below)
        s_above = np.where(up_, X - tables.score_at_grid(k, hi, g + 1), s_above)
    inside = valid & (s_below > 0) & (s_above <= 0)
    # where the root lies: the cell, or below / above the grid
    r_lo = np.where(inside, tables.grid[g], np.where(s_below > 0, tables.grid[-1], -np.inf))
    r_hi = np.where(inside, tables.grid[g] + STEP, np.where(s_below > 0, np.inf, tables.grid[0]))
    root = np.full(k.shape, np.nan)  # computed where needed

    def clamp(v):
        return dir_ * np.fmax(0.0, dir_ * v)

    def follows(s_lo, s_hi, r_lo, r_hi, inside):
        """C's Newton from a start in [s_lo, s_hi] surely ends at the clamped root in [r_lo, r_hi]
        (True), surely not (False), or it depends (None): the start within 0.6 of the root, or for
        inc a root at or below 0; and the start not within 1e-6 of C's kappa_old = 0.4."""
        clear = (s_hi < 0.4 - 1e-6) | (s_lo > 0.4 + 1e-6)
        with np.errstate(invalid="ignore"):  # infinite ends: the root outside the grid
            near = inside & (np.maximum(np.abs(s_hi - r_lo), np.abs(r_hi - s_lo)) < 0.6)
            far = ~inside | (s_lo - r_hi >= 0.6) | (r_lo - s_hi >= 0.6)
        stuck = (s_lo == s_hi) & ~clear
        zero = (dir_ > 0) & (r_hi <= 0)
        sure = clear & (zero | near)
        never = stuck | (~zero & far)
        return sure, never

    def pin(mask):
        """Compute the roots (inside the grid) where `mask` and not yet known."""
        need = mask & inside & np.isnan(root)
        if need.any():
            root[need] = _roots(tables, k[need], hi[need], X[need], g[need], s_below[need], s_above[need])
        return np.where(inside, root, np.where(s_below > 0, np.inf, -np.inf))

    # C's chain: the first k starts at 0.5, each next at the previous estimate clamped
    s_lo = np.concatenate([np.full((k.shape[0], 1), 0.5), clamp(r_lo[:, :-1])], axis=1)
    s_hi = np.concatenate([np.full((k.shape[0], 1), 0.5), clamp(r_hi[:, :-1])], axis=1)
    sure, never = follows(s_lo, s_hi, r_lo, r_hi, inside)
    doubt = valid & ~sure & ~never
    if doubt.any():  # decide with the roots themselves
        exact = pin(doubt | np.concatenate([doubt[:, 1:], np.zeros((k.shape[0], 1), bool)], axis=1))
        start = np.concatenate([np.full((k.shape[0], 1), 0.5), clamp(exact[:, :-1])], axis=1)
        sure = np.where(doubt, follows(start, start, exact, exact, inside)[0], sure)
    regular = valid & sure
    zero = regular & ((r_hi <= 0) if dir_ > 0 else (r_lo >= 0))  # clamped to 0: l = 0
    cell = regular & ~zero

    # bounds on l at the other regular roots: l(t) = t X - H(t) + H(0) is concave with l' = S, so in
    # the cell it lies between its larger end value and the meeting point of the two end tangents
    lnk = np.full(k.shape, -np.inf)
    lower = np.where(zero, 0.0, -np.inf)
    upper = lower.copy()
    lnk[zero] = 0.0
    kappa = np.where(zero, 0.0, np.nan)
    if cell.any():
        kk, hh, gg = k[cell], hi[cell], g[cell]
        h0 = tables.logsum_at_zero(kk, hh)
        t0 = tables.grid[gg]
        l0 = t0 * X[cell] - (tables.logsum_at_grid(kk, hh, gg) - h0)
        l1 = (t0 + STEP) * X[cell] - (tables.logsum_at_grid(kk, hh, gg + 1) - h0)
        sb, sa = s_below[cell], s_above[cell]
        lower[cell] = np.maximum(l0, l1)
        upper[cell] = l0 + sb * np.clip((l1 - l0 - sa * STEP) / (sb - sa), 0.0, STEP)

    def estimate(r, j):
        """C's estimate at (r, j), a regular one: its clamped root."""
        unknown = np.isnan(kappa[r, j])
        if unknown.any():
            mask = np.zeros(k.shape, dtype=bool)
            mask[r[unknown], j[unknown]] = True
            kappa[r[unknown], j[unknown]] = clamp(pin(mask)[r[unknown], j[unknown]])
        return kappa[r, j]

    # the rest follow C's iterations from the start C gives them, in order along each chain
    todo = valid & ~regular
    while todo.any():
        r = np.nonzero(todo.any(axis=1))[0]  # each chain's first change time still to follow: all before it are known
        j = np.argmax(todo[r], axis=1)
        s = np.full(r.size, 0.5)
        s[j > 0] = estimate(r[j > 0], j[j > 0] - 1)
        kappa[r, j] = newton_direct(tables.x, tables.mu0, tables.alpha, k[r, j], hi[r, j], s, dir_)
        lnk[r, j] = lnk_direct(tables.x, tables.mu0, tables.alpha, k[r, j], hi[r, j], kappa[r, j])
        lower[r, j] = upper[r, j] = lnk[r, j]
        todo[r, j] = False
        # the next change time's start is now known: does C's Newton still end at its root?
        keep = j + 1 < k.shape[1]
        r2, j2 = r[keep], j[keep] + 1
        keep = regular[r2, j2]
        r2, j2 = r2[keep], j2[keep]
        mask = np.zeros(k.shape, dtype=bool)
        mask[r2, j2] = True
        exact = pin(mask)[r2, j2]
        st = kappa[r2, j2 - 1]
        moved = ~follows(st, st, exact, exact, inside[r2, j2])[0]
        r2, j2 = r2[moved], j2[moved]
        regular[r2, j2] = zero[r2, j2] = cell[r2, j2] = False
        todo[r2, j2] = True
        kappa[r2, j2], lnk[r2, j2], lower[r2, j2], upper[r2, j2] = np.nan, -np.inf, -np.inf, -np.inf

    # l exactly where its upper bound reaches the best lower bound of its period
    best_lower = np.max(np.where(valid & ~np.isnan(lower), lower, -np.inf), axis=1, keepdims=True)
    candidates = cell & (upper >= best_lower - 1e-9)
    if candidates.any():
        r, j = np.nonzero(candidates)
        kap = estimate(r, j)
        gk = np.clip(np.round((kap - tables.grid[0]) / STEP).astype(int), 0, G - 1)
        H = _logsum(tables.window(k[r, j], hi[r, j], gk), np.expm1(kap - tables.grid[gk]))
        lnk[r, j] = kap * X[r, j] - (H - tables.logsum_at_zero(k[r, j], hi[r, j]))
    best = np.argmax(np.where(valid & ~np.isnan(lnk), lnk, -np.inf), axis=1)
    at = np.arange(k.shape[0])
    kb, hb = k[at, best], hi[at, best]
    # the maximum as C sums it, term by term, at the estimate
    return lnk_direct(tables.x, tables.mu0, tables.alpha, kb, hb, kappa[at, best]), kb
