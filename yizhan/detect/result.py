"""What every detection method returns."""

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class DetectionResult:
    """Per evaluated period (and per series for a panel): the expected count, the upper bound of
    the method's prediction interval (the threshold) and whether the observed count is an alarm.

    Arrays have shape (n_evaluated,) for one series or (n_evaluated, n_series) for a panel.
    NaN in `expected`/`upperbound` and a masked `alarm` stand where R gives NA."""

    periods: np.ndarray  # 0-based indices of the evaluated periods
    expected: np.ndarray
    upperbound: np.ndarray
    alarm: np.ma.MaskedArray
    # dates (datetime64[D]) of the evaluated periods when the input's periods were dates
    dates: np.ndarray | None = None
    # R's diagnostics where R keeps them (see each method), same shape as `expected`
    diagnostics: dict[str, np.ndarray] = field(default_factory=dict)
