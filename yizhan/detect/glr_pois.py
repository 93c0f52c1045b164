"""algo.glrnb's Poisson intercept chart (R's C routines glr_cusum and glr_cusum_window, alpha = 0),
every period of a segment at once.

The maximum-likelihood change kappa has a closed form, so the log-likelihood ratio of change time k
at n needs only the sums of x and mu0 over k..n. C accumulates them from n backwards (the window
version first sums the last Mtilde periods forwards); here one cumulative sum along each row of a
period x offset matrix gives every n's sums, added in C's order, so the statistic is the one C
computes, not merely close to it.

ret="cases" (R's ret = 2): the smallest count at n that gives an alarm. R tries x_n = 0, 1, 2, ...
until the statistic reaches c.ARL (for dir = "dec", until it no longer exceeds it). For "inc" each
change time's ratio grows with x_n, so its threshold is a root of s log(s/sm) - s + sm = c.ARL,
solved for all change times at once, rounded to a count and checked with the ratio as C computes
it; the count found is checked again against the statistic at it and one below. A period where a
check fails, and every period for "dec", is searched as R does.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

FLOOR = -1e99  # C's initial maximum: the statistic when every ratio is NaN
BLOCK = 64  # periods computed at once: few enough that little is computed past an alarm


def window_sums(x: np.ndarray, mu0: np.ndarray, rows: range, M: int, Mtilde: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sums of x and of mu0 over C's change times k..n for the periods n in `rows`: (sx, sm, k),
    each (periods, width), k = -1 where n has fewer change times than the row's width. Column
    order is C's loop order (k from n backwards); every n has at least one change time. The terms
    are read through a strided view, so the only arrays built are the cumulative sums."""
    v = np.stack([x.astype(float), mu0])
    P = v.shape[1] + max(M, 0)
    padded = np.concatenate([np.zeros((2, P)), v], axis=1)  # padded[:, P + i] = v[:, i]; before 0 reads 0
    n = np.arange(rows.start, rows.stop)[:, None]
    if M > 0:
        # glr_window: the last Mtilde periods summed forwards, then k = n-Mtilde down to max(0, n-M)
        width = min(M, rows.stop - 1) - Mtilde + 1
        k = n - Mtilde + 1 - np.arange(1, width + 1)[None, :]
        k = np.where(k >= np.maximum(0, n - M), k, -1)
        head = np.zeros((2, len(rows)))
        for j in range(Mtilde):
            head = head + v[:, n[:, 0] - Mtilde + 1 + j]
        # column d = 1..width holds v[n - Mtilde + 1 - d]
        first = P + rows.start - Mtilde + 1 - width
        terms = sliding_window_view(padded, width, axis=1)[:, first: first + len(rows), ::-1]
        sums = np.cumsum(np.concatenate([head[:, :, None], terms], axis=2), axis=2)[:, :, 1:]
        return sums[0], sums[1], k
    width = rows.stop  # glr: k = n down to 0, so at most rows.stop change times
    k = n - np.arange(width)[None, :]
    first = P + rows.start - width + 1
    sums = np.cumsum(sliding_window_view(padded, width, axis=1)[:, first: first + len(rows), ::-1], axis=2)
    return sums[0], sums[1], np.where(k >= 0, k, -1)


def ratio(sx: np.ndarray, sm: np.ndarray, dir_: int) -> np.ndarray:
    """C's log-likelihood ratio at kappa's maximum-likelihood value (kappa >= 0 for inc, <= 0 for
    dec); -inf where C's is NaN, which its maximum skips (only for dec, where sx = 0)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        kappa = dir_ * np.maximum(0.0, dir_ * np.log(sx / sm))
        value = kappa * sx + (1 - np.exp(kappa)) * sm
    return value if dir_ > 0 else np.where(np.isnan(value), -np.inf, value)


def statistics(x: np.ndarray, mu0: np.ndarray, rows: range, dir_: int, M: int, Mtilde: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """The statistic at the periods n in `rows` and the change time of its maximum (C's first
    maximum). Past a row's last change time the sums repeat its last ones (the padding adds 0), so
    those columns repeat a ratio already seen and change neither the maximum nor its first place."""
    sx, sm, k = window_sums(x, mu0, rows, M, Mtilde)
    value = ratio(sx, sm, dir_)
    best = np.argmax(value, axis=1)
    at = np.arange(value.shape[0])
    return np.maximum(value[at, best], FLOOR), k[at, best]


def _search(base: np.ndarray, sm: np.ndarray, dir_: int, c_arl: float) -> int:
    """R's loop at one n: the first x_n = 0, 1, ... whose statistic reaches c_arl (dir = inc) or
    no longer exceeds it (dec), tried in blocks of candidates at once."""
    start, block = 0, 64
    while True:
        v = np.arange(start, start + block, dtype=float)
        value = np.maximum(ratio(base[None, :] + v[:, None], sm[None, :], dir_).max(axis=1), FLOOR)
        done = np.nonzero(~(dir_ * value < dir_ * c_arl))[0]
        if done.size:
            return int(v[done[0]])
        start, block = start + block, block * 2


def _threshold(base: np.ndarray, sm: np.ndarray, c_arl: float) -> np.ndarray:
    """For dir = inc: each change time's smallest count at n whose ratio reaches c_arl. The root s*
    of s log(s/sm) - s + sm = c_arl from the right (the function is convex and increasing past sm;
    sm + c + sqrt(c^2 + 2 c sm) lies right of the root), then the count next to it as C rounds."""
    s = sm + c_arl + np.sqrt(c_arl * c_arl + 2 * c_arl * sm)
    for _ in range(100):
        step = (s * np.log(s / sm) - s + sm - c_arl) / np.log(s / sm)
        s = s - step
        if (np.abs(step) <= 1e-12 * s).all():
            break
    v = np.maximum(np.ceil(s - base), 0.0)
    for _ in range(3):  # the count next to the root, by C's arithmetic
        low = (v > 0) & (ratio(base + v - 1, sm, 1) >= c_arl)
        high = ratio(base + v, sm, 1) < c_arl
        v = v - low + high
    return v


def cases(x: np.ndarray, mu0: np.ndarray, rows: range, dir_: int, M: int, Mtilde: int, c_arl: float) -> np.ndarray:
    """R's cases at the periods n in `rows`."""
    sx, sm, k = window_sums(x, mu0, rows, M, Mtilde)
    base = sx - x[rows.start: rows.stop, None]  # sums of whole numbers: exact in any order
    valid = k >= 0
    out = np.full(base.shape[0], -1.0)
    if dir_ > 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            per_k = np.where(valid, _threshold(np.where(valid, base, 0.0), np.where(valid, sm, 1.0), c_arl), np.inf)
        v = per_k.min(axis=1)
        at = np.where(valid, ratio(base + v[:, None], sm, 1), -np.inf).max(axis=1)
        below = np.where(valid, ratio(base + v[:, None] - 1, sm, 1), -np.inf).max(axis=1)
        ok = np.isfinite(v) & (np.maximum(at, FLOOR) >= c_arl) & ((v == 0) | (np.maximum(below, FLOOR) < c_arl))
        out[ok] = v[ok]
    else:
        ok = np.zeros(base.shape[0], dtype=bool)
    for i in np.nonzero(~ok)[0]:
        out[i] = _search(base[i][valid[i]], sm[i][valid[i]], dir_, c_arl)
    return out
