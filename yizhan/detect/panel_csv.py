"""Reading the count panels and writing the results of `yizhan detect`.

Input: a CSV with a header naming the columns period, series, count and optionally population
(other columns are ignored), one row per period and series. Periods are whole numbers, each
series' periods consecutive (no gap, no repeat) and every series covering the same periods; rows
may come in any order. Counts are non-negative whole numbers, populations positive numbers.

Output: period,series,count,expected,upperbound,alarm for the evaluated periods, series in order of
first appearance; numbers written exactly (shortest round-trip form), NA as an empty field,
alarm as 0/1.
"""

import csv
import math
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from yizhan.detect.dates import Epochs, infer_epochs, parse_label, step_of
from yizhan.detect.errors import DetectionInputError
from yizhan.detect.result import DetectionResult

REQUIRED = ("period", "series", "count")


class PanelFormatError(DetectionInputError):
    """A CSV the detection command cannot read; the message names the line and column."""


@dataclass
class Panel:
    series: list[str]
    periods: list[str]  # the period labels as the input wrote them, shared by all series, in order
    counts: np.ndarray  # periods × series, int64
    population: np.ndarray | None  # periods × series, float
    epochs: Epochs | None = None  # the periods' dates when they are dates

    def position(self, label: str, what: str) -> int:
        """0-based position of a period written in the input's form."""
        form = "date" if self.epochs is not None else "integer"
        key = _period_key(label.strip(), form)
        if key is None:
            raise DetectionInputError(f"{what}: {label!r} is not a period in the input's form (e.g. {self.periods[0]})")
        if self.epochs is not None:
            return self.epochs.position(key, what)
        i = key - _period_key(self.periods[0], form)
        if not 0 <= i < len(self.periods):
            raise DetectionInputError(
                f"{what}: period {label} is not in the input (periods {self.periods[0]} to {self.periods[-1]})")
        return i


def _period_key(text: str, form: str):
    """The period as a sortable key: an int, or the first day (datetime64) of a dated period."""
    if form == "integer":
        return _whole(text)
    parsed = parse_label(text)
    return None if parsed is None else parsed[1]


def _whole(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            return None
        return int(value) if math.isfinite(value) and value == int(value) else None


def read_panel(stream: TextIO, name: str = "input") -> Panel:
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None:
        raise PanelFormatError(f"{name}: the file is empty; expected a header with columns period,series,count")
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise PanelFormatError(f"{name}, line 1: missing column(s) {', '.join(missing)}; "
                               "expected a header with columns period,series,count[,population]")
    at = {c: columns.index(c) for c in (*REQUIRED, "population") if c in columns}
    has_population = "population" in at
    rows: dict[str, dict] = {}
    labels: dict = {}  # period key -> the label as first written
    form = None  # "integer" or "date", set by the first data row
    for record in reader:
        line = reader.line_num  # the file's line, even after quoted line breaks
        if not record or all(not cell.strip() for cell in record):
            continue
        if len(record) < len(columns):
            raise PanelFormatError(f"{name}, line {line}: {len(record)} field(s), the header has {len(columns)}")
        text = record[at["period"]].strip()
        try:
            period = _period_key(text, form or "integer")
            if period is None and form is None:
                period = _period_key(text, "date")
                form = None if period is None else "date"
            elif form is None:
                form = "integer"
        except DetectionInputError as exc:
            raise PanelFormatError(f"{name}, line {line}: period {exc}") from None
        if period is None:
            raise PanelFormatError(f"{name}, line {line}: period {text!r} is not " + {
                None: "a whole number, a date (YYYY-MM-DD), an ISO week (YYYY-Www) or a month (YYYY-MM)",
                "integer": "a whole number, like the first row's",
                "date": "a date (YYYY-MM-DD), ISO week (YYYY-Www) or month (YYYY-MM), like the first row's"}[form])
        labels.setdefault(period, text)
        series = record[at["series"]].strip()
        if not series:
            raise PanelFormatError(f"{name}, line {line}: the series name is empty")
        text = record[at["count"]].strip()
        count = _whole(text)
        if count is None or count < 0:
            raise PanelFormatError(f"{name}, line {line}: count {text!r} is not a non-negative whole number")
        population = math.nan
        if has_population:
            ptext = record[at["population"]].strip()
            try:
                population = float(ptext)
            except ValueError:
                population = math.nan
            if not (math.isfinite(population) and population > 0):
                raise PanelFormatError(f"{name}, line {line}: population {ptext!r} is not a positive number")
        seen = rows.setdefault(series, {})
        if period in seen:
            raise PanelFormatError(f"{name}, line {line}: series {series!r} has period {period} twice "
                                   f"(first on line {seen[period][2]})")
        seen[period] = (count, population, line)
    if not rows:
        raise PanelFormatError(f"{name}: no data rows after the header")
    names = list(rows)
    periods = sorted(rows[names[0]])
    step = step_of(periods[0], periods[1]) if form == "date" and len(periods) > 1 else None
    for series in names:
        own = sorted(rows[series])
        for before, after in zip(own, own[1:], strict=False):
            if (after != before + 1) if form == "integer" else (step is None or step_of(before, after) != step):
                unit = "consecutive" if form == "integer" else (
                    f"consecutive {step}s" if step else "consecutive days, weeks or months")
                raise PanelFormatError(
                    f"{name}, line {rows[series][after][2]}: series {series!r} jumps from period {labels[before]} "
                    f"to {labels[after]}; periods must be {unit}"
                )
        if own != periods:
            raise PanelFormatError(
                f"{name}: series {series!r} covers periods {own[0]}..{own[-1]} but series {names[0]!r} covers "
                f"{periods[0]}..{periods[-1]}; every series must cover the same periods"
            )
    counts = np.array([[rows[s][p][0] for s in names] for p in periods], dtype=np.int64)
    populations = np.array([[rows[s][p][1] for s in names] for p in periods]) if has_population else None
    epochs = None
    if form == "date":
        try:
            epochs = infer_epochs(np.array(periods, dtype="datetime64[D]"), None, name)
        except DetectionInputError as exc:
            raise PanelFormatError(str(exc)) from None
    return Panel(series=names, periods=[labels[p] for p in periods], counts=counts, population=populations,
                 epochs=epochs)


def _number(value: float) -> str:
    return "" if math.isnan(value) else repr(float(value))


def write_result(stream: TextIO, panel: Panel, result: DetectionResult) -> None:
    n = len(result.periods)
    expected = np.asarray(result.expected, dtype=float).reshape(n, -1)
    upper = np.asarray(result.upperbound, dtype=float).reshape(n, -1)
    alarm = np.ma.asarray(result.alarm).reshape(n, -1)
    mask = np.ma.getmaskarray(alarm)
    flags = np.ma.filled(alarm, False)
    extra = {k: np.asarray(v, dtype=float).reshape(n, -1) for k, v in result.diagnostics.items()}
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["period", "series", "count", "expected", "upperbound", "alarm", *extra])
    for j, series in enumerate(panel.series):
        for i, t in enumerate(result.periods):
            writer.writerow([
                panel.periods[t], series, int(panel.counts[t, j]), _number(expected[i, j]), _number(upper[i, j]),
                "" if mask[i, j] else int(bool(flags[i, j])), *(_number(v[i, j]) for v in extra.values()),
            ])
