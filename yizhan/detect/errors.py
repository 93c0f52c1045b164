"""The input rules every detection method shares, and the error raised when input breaks them.

Counts are a 1-D array (one series) or a 2-D array (periods × series) of non-negative integers;
the periods to evaluate are 0-based indices with enough history before them for the method.
"""

from collections.abc import Sequence

import numpy as np

from yizhan.detect.result import DetectionResult


class DetectionInputError(ValueError):
    """Input that a detection method cannot use; the message names the row, series or option."""


def count_panel(counts) -> tuple[np.ndarray, bool]:
    """The counts as an int64 (periods × series) array, and whether the caller gave one series (1-D).

    Raises DetectionInputError naming the 0-based period and series of the first bad count."""
    arr = np.asarray(counts)
    if arr.ndim not in (1, 2):
        raise DetectionInputError(f"counts: expected a 1-D or 2-D array (periods × series), got {arr.ndim} dimensions")
    one_series = arr.ndim == 1
    panel = arr.reshape(arr.shape[0], -1) if one_series else arr
    if panel.shape[0] == 0 or panel.shape[1] == 0:
        raise DetectionInputError("counts: the array is empty")
    if panel.dtype.kind in "iu":
        bad = panel < 0
        rule = "is negative"
    else:
        try:
            values = panel.astype(float)
        except (TypeError, ValueError) as exc:
            raise DetectionInputError(f"counts: not numbers ({exc})") from None
        bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values))
        panel = values
        rule = "is not a non-negative integer"
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise DetectionInputError(
            f"counts: the count at period {i} (0-based), series {j} is {panel[i, j]!r}, which {rule}; "
            "counts must be non-negative integers"
        )
    return panel.astype(np.int64, copy=False), one_series


def evaluation_periods(periods: Sequence[int] | range | None, n_periods: int, first: int, history: str) -> np.ndarray:
    """The sorted 0-based periods to evaluate: `periods`, or first..n_periods-1 when None.

    `first` is the earliest period with enough history; `history` says in words what that history is
    (used in the error message)."""
    if periods is None:
        if first >= n_periods:
            raise DetectionInputError(
                f"periods: the series has {n_periods} periods, too few for {history} before the first evaluated one"
            )
        return np.arange(first, n_periods)
    idx = np.asarray(list(periods) if isinstance(periods, range) else periods)
    if idx.ndim != 1 or idx.size == 0:
        raise DetectionInputError("periods: expected a non-empty sequence of 0-based period indices")
    if idx.dtype.kind not in "iu":
        if idx.dtype.kind != "f" or not np.all(idx == np.round(idx)):
            raise DetectionInputError("periods: indices must be integers")
        idx = idx.astype(np.int64)
    idx = np.sort(idx.astype(np.int64))
    if idx[-1] >= n_periods:
        raise DetectionInputError(
            f"periods: period index {idx[-1]} (row {idx[-1] + 1} of each series) is past the last period "
            f"(index {n_periods - 1})"
        )
    if idx[0] < first:
        raise DetectionInputError(
            f"periods: period index {idx[0]} (row {idx[0] + 1} of each series) has too little history; the method "
            f"needs {history}, so the first period it can evaluate is index {first} (row {first + 1})"
        )
    return idx


def check_option(name: str, value, ok: bool, rule: str) -> None:
    if not ok:
        raise DetectionInputError(f"{name}: {value!r} is not allowed; {rule}")


def exceeds(observed: np.ndarray, upperbound: np.ndarray) -> np.ma.MaskedArray:
    """observed > upperbound, masked (R's NA) where the upper bound is NaN."""
    with np.errstate(invalid="ignore"):
        return np.ma.masked_array(observed > upperbound, mask=np.isnan(upperbound))


def panel_result(
    periods: np.ndarray, expected: np.ndarray, upperbound: np.ndarray, alarm: np.ma.MaskedArray, one_series: bool
) -> DetectionResult:
    """A DetectionResult shaped like the input: (n_evaluated,) for one series, else (n_evaluated, n_series)."""
    if one_series:
        expected, upperbound, alarm = expected[:, 0], upperbound[:, 0], alarm[:, 0]
    return DetectionResult(periods=periods, expected=expected, upperbound=upperbound, alarm=alarm)
