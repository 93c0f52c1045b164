"""Periods as dates: reading them, the frequency their steps give, and the calendar arithmetic of R's
`surveillance` for an sts whose epochs are dates (epochAsDate = TRUE).

A period is written as the first day of the period, `YYYY-MM-DD` (as R's `epoch()` prints it), an
ISO week `YYYY-Www` (its Monday) or a month `YYYY-MM` (its first day). Consecutive periods step by
one day (365 periods a year, R's daily frequency), seven days (52) or one calendar month (12); any
other step is a gap. Internally dates are numpy datetime64[D].

The Python API takes the dates as a numpy datetime64 array, strings in the forms above, or a pandas
DatetimeIndex / PeriodIndex (read through its own conversion methods, so pandas is never imported).
"""

import functools
import inspect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from yizhan.detect.errors import DetectionInputError

FREQ_OF_STEP = {"day": 365, "week": 52, "month": 12}
STEP_OF_FREQ = {v: k for k, v in FREQ_OF_STEP.items()}

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_label(text: str) -> tuple[str, np.datetime64] | None:
    """(form, first day) of a period written as a date, ISO week or month; None if it is none of them.

    Raises DetectionInputError for a label in one of the forms that names no real day, week or month."""
    text = text.strip()
    if m := _DAY.match(text):
        try:
            return "date", np.datetime64(text, "D")
        except ValueError:
            raise DetectionInputError(f"{text!r} is not a real date") from None
    if m := _WEEK.match(text):
        year, week = int(m.group(1)), int(m.group(2))
        if not 1 <= week <= iso_weeks_in_year(year):
            raise DetectionInputError(f"{text!r}: ISO year {year} has no week {week}")
        return "isoweek", iso_week_monday(year, week)
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise DetectionInputError(f"{text!r} is not a real month")
        return "month", np.datetime64(f"{year:04d}-{month:02d}", "M").astype("datetime64[D]")
    return None


def _days(delta) -> int:
    return int(np.asarray(delta).astype("timedelta64[D]").astype(np.int64))


def iso_week_monday(year: int, week: int) -> np.datetime64:
    jan4 = np.datetime64(f"{year:04d}-01-04", "D")
    return jan4 - int(weekday(jan4)) + 7 * (week - 1)


def iso_weeks_in_year(year: int) -> int:
    dec28 = np.datetime64(f"{year:04d}-12-28", "D")  # always in the year's last ISO week
    return _days(dec28 - iso_week_monday(year, 1)) // 7 + 1


def weekday(days) -> np.ndarray:
    """Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday)."""
    return (np.asarray(days, dtype="datetime64[D]").astype(np.int64) + 3) % 7


def format_label(day: np.datetime64, form: str) -> str:
    if form == "isoweek":
        thursday = day + 3
        year = int(str(thursday)[:4])
        return f"{year:04d}-W{_days(day - iso_week_monday(year, 1)) // 7 + 1:02d}"
    if form == "month":
        return str(day)[:7]
    return str(day)


def step_of(a: np.datetime64, b: np.datetime64) -> str | None:
    """'day', 'week' or 'month' when b is one such period after a, else None."""
    days = _days(b - a)
    if days == 1:
        return "day"
    if days == 7:
        return "week"
    if add_months(a, 1) == b:
        return "month"
    return None


def add_months(day: np.datetime64 | np.ndarray, n) -> np.ndarray:
    """R's seq.Date by months: the same day of the month n months on, overflowing into the next month
    (2010-03-31 minus one month is 2010-03-03)."""
    month = day.astype("datetime64[M]")
    into = day - month.astype("datetime64[D]")
    return (month + np.asarray(n)).astype("datetime64[D]") + into


def add_years(day, n) -> np.ndarray:
    """R's seq.Date by years: Feb 29 to a year without one gives Mar 1."""
    return add_months(np.asarray(day, dtype="datetime64[D]"), 12 * np.asarray(n))


def day_of_month(day) -> np.ndarray:
    d = np.asarray(day, dtype="datetime64[D]")
    return (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1


@dataclass(frozen=True)
class Epochs:
    """The dates of a series' periods, their step and R's frequency for it."""

    days: np.ndarray  # datetime64[D], one per period
    step: str  # 'day', 'week' or 'month'
    freq: int

    def position(self, day: np.datetime64, what: str) -> int:
        i = int(np.searchsorted(self.days, day))
        if i >= self.days.size or self.days[i] != day:
            raise DetectionInputError(
                f"{what}: {day} is not one of the periods ({self.days[0]} to {self.days[-1]}, one {self.step} apart)"
            )
        return i


def infer_epochs(days: np.ndarray, freq: int | None, what: str = "index", row_offset: int = 0,
                 row_word: str = "position") -> Epochs:
    """Checks that `days` (sorted, datetime64[D]) step by one day, week or month and returns their
    Epochs; the first different step is refused naming its position (row_offset + i) in `what`."""
    days = np.asarray(days, dtype="datetime64[D]")
    if days.size < 2:
        raise DetectionInputError(f"{what}: at least two periods are needed to tell their frequency")
    step = step_of(days[0], days[1])
    if step is None:
        raise DetectionInputError(
            f"{what}, {row_word} {row_offset + 1}: {days[0]} to {days[1]} is not one day, week or month; "
            "dated periods must be consecutive days, weeks or months"
        )
    if step == "month":
        expect = add_months(days[0], np.arange(days.size))
    else:
        expect = days[0] + np.arange(days.size) * (1 if step == "day" else 7)
    bad = np.nonzero(days != expect)[0]
    if bad.size:
        i = int(bad[0])
        raise DetectionInputError(
            f"{what}, {row_word} {row_offset + i}: the periods jump from {days[i - 1]} to {days[i]}; "
            f"periods must be consecutive {step}s"
        )
    inferred = FREQ_OF_STEP[step]
    if freq is not None and freq != inferred:
        raise DetectionInputError(f"freq: {freq} does not fit periods one {step} apart (they give {inferred})")
    return Epochs(days, step, inferred)


def as_days(index, n_periods: int) -> np.ndarray:
    """An index of dates as datetime64[D]: numpy datetime64, strings, or a pandas index (duck-typed)."""
    if hasattr(index, "to_timestamp"):  # pandas PeriodIndex: the first day of each period
        index = index.to_timestamp(how="start")
    if hasattr(index, "tz") and getattr(index, "tz", None) is not None:
        index = index.tz_localize(None)
    if hasattr(index, "to_numpy"):
        index = index.to_numpy()
    arr = np.asarray(index)
    if arr.ndim != 1 or arr.size != n_periods:
        raise DetectionInputError(f"index: expected {n_periods} dates, one per period, got shape {arr.shape}")
    if arr.dtype.kind == "M":
        days = arr.astype("datetime64[D]")
        if (days != arr).any():
            raise DetectionInputError("index: dates must fall on whole days")
        return days
    if arr.dtype.kind in "UO":
        out = np.empty(arr.size, dtype="datetime64[D]")
        for i, text in enumerate(arr):
            parsed = parse_label(str(text))
            if parsed is None:
                raise DetectionInputError(f"index: position {i}: {text!r} is not YYYY-MM-DD, YYYY-Www or YYYY-MM")
            out[i] = parsed[1]
        return out
    raise DetectionInputError(f"index: expected dates (numpy datetime64, strings or a pandas index), got {arr.dtype}")


def dated_positions(periods: Sequence | None, epochs: Epochs) -> Sequence | None:
    """Evaluation periods given as dates (datetime64 or labels) turned into 0-based positions; integer
    positions pass unchanged."""
    if periods is None or isinstance(periods, range):
        return periods
    arr = np.asarray(periods)
    if arr.dtype.kind == "M":
        days = arr.astype("datetime64[D]")
    elif arr.dtype.kind in "UO":
        days = as_days(arr, arr.size)
    else:
        return periods
    return [epochs.position(d, "periods") for d in np.atleast_1d(days)]


def r_weekday(days) -> np.ndarray:
    """R's format(date, "%w"): Sunday = 0 ... Saturday = 6."""
    return (np.asarray(days, dtype="datetime64[D]").astype(np.int64) + 4) % 7


def step_periods(day: np.datetime64, n: np.ndarray, step: str) -> np.ndarray:
    """seq(day, by = n steps) as R's seq.Date gives it: n days, weeks or months on."""
    if step == "month":
        return add_months(day, n)
    return day + np.asarray(n) * (1 if step == "day" else 7)


def with_index(function):
    """Lets a detection method take its periods as dates: `index=` (one date per period, see as_days),
    or the index of a pandas Series/DataFrame given as the counts. Then `freq` follows from the
    dates' step (a different `freq` is refused), `periods` may be dates, the method gets the Epochs
    as `epochs=` when it takes them, and the result's `dates` are the evaluated periods' dates."""
    takes_epochs = "epochs" in inspect.signature(function).parameters

    @functools.wraps(function)
    def wrapper(counts, *, index=None, freq: int | None = None, periods=None, **options):
        if index is None and hasattr(counts, "to_numpy") and hasattr(counts, "index"):
            own = counts.index  # a pandas object: its index counts when it holds dates
            if hasattr(own, "to_timestamp") or getattr(getattr(own, "dtype", None), "kind", "") == "M":
                index = own
        if hasattr(counts, "to_numpy"):
            counts = counts.to_numpy()
        epochs = None
        if index is not None:
            n = np.shape(counts)[0] if np.ndim(counts) else 0
            epochs = infer_epochs(as_days(index, n), freq)
            freq = epochs.freq
            periods = dated_positions(periods, epochs)
        if takes_epochs:
            options["epochs"] = epochs
        if freq is not None:
            options["freq"] = freq
        result = function(counts, periods=periods, **options)
        if epochs is not None:
            result = replace(result, dates=epochs.days[result.periods])
        return result

    return wrapper
