"""Loading the fixtures that `scripts/r/*.R` write from R's `surveillance` package.

Layout: tests/detect/fixtures/<method>/manifest.json lists the cases:
    [{"name": "salmNewport__noufaily", "data": "salmNewport.csv" (input, in fixtures/data/),
      "freq": 52, "range": [A, B] (1-based inclusive, R's control$range),
      "options": {python snake_case option: value, ...}, "result": "salmNewport__noufaily.csv"}]
and each result CSV has columns period,series,count,expected,upperbound,alarm (R's NA as empty)
for the evaluated range only. Input data CSVs have columns period,series,count[,population].
"""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class RCase:
    method: str
    name: str
    freq: int
    range: tuple[int, int]
    options: dict
    series: list[str]
    counts: np.ndarray  # periods × series
    population: np.ndarray | None
    expected: np.ndarray  # evaluated periods × series, NaN for NA
    upperbound: np.ndarray
    alarm: np.ma.MaskedArray

    def __repr__(self) -> str:
        return f"{self.method}:{self.name}"


def _float(text: str) -> float:
    return float("nan") if text in ("", "NA") else float(text)


def read_panel(path: Path) -> tuple[list[str], np.ndarray, np.ndarray | None]:
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    series = list(dict.fromkeys(r["series"] for r in rows))
    n = len(rows) // len(series)
    counts = np.zeros((n, len(series)))
    has_pop = bool(rows) and "population" in rows[0] and rows[0]["population"] != ""
    population = np.zeros((n, len(series))) if has_pop else None
    index = {s: 0 for s in series}
    for r in rows:
        j = series.index(r["series"])
        counts[index[r["series"]], j] = float(r["count"])
        if population is not None:
            population[index[r["series"]], j] = float(r["population"])
        index[r["series"]] += 1
    return series, counts, population


def load_cases(method: str) -> list[RCase]:
    folder = FIXTURES / method
    manifest = json.loads((folder / "manifest.json").read_text())
    cases = []
    for entry in manifest:
        series, counts, population = read_panel(FIXTURES / "data" / entry["data"])
        with (folder / entry["result"]).open(newline="") as fh:
            rows = list(csv.DictReader(fh))
        a, b = entry["range"]
        n = b - a + 1
        shape = (n, len(series))
        expected, upper = np.full(shape, np.nan), np.full(shape, np.nan)
        alarm = np.ma.masked_all(shape, dtype=bool)
        for r in rows:
            i, j = int(r["period"]) - a, series.index(r["series"])
            expected[i, j] = _float(r["expected"])
            upper[i, j] = _float(r["upperbound"])
            if r["alarm"] not in ("", "NA"):
                alarm[i, j] = r["alarm"] in ("1", "TRUE", "true")
        cases.append(
            RCase(method, entry["name"], entry["freq"], (a, b), entry.get("options", {}), series,
                  counts, population, expected, upper, alarm)
        )
    return cases


def assert_matches_r(case: RCase, result, rtol: float = 1e-6) -> None:
    """Expected and upperbound within `rtol` of R's, NA exactly where R has NA, identical alarms."""
    got_e = np.asarray(result.expected, dtype=float).reshape(case.expected.shape)
    got_u = np.asarray(result.upperbound, dtype=float).reshape(case.upperbound.shape)
    for label, got, want in (("expected", got_e, case.expected), ("upperbound", got_u, case.upperbound)):
        na_want, na_got = np.isnan(want), np.isnan(got)
        assert (na_want == na_got).all(), f"{case}: {label} NA pattern differs at {np.argwhere(na_want != na_got)[:5]}"
        ok = ~na_want
        rel = np.abs(got[ok] - want[ok]) / np.maximum(np.abs(want[ok]), 1e-12)
        worst = float(rel.max()) if rel.size else 0.0
        assert worst <= rtol, f"{case}: largest relative difference in {label} is {worst:.3g}"
    got_a = np.ma.asarray(result.alarm).reshape(case.alarm.shape)
    mask_want = np.ma.getmaskarray(case.alarm)
    assert (np.ma.getmaskarray(got_a) == mask_want).all(), f"{case}: alarm NA pattern differs"
    diff = np.argwhere((np.ma.filled(got_a, False) != np.ma.filled(case.alarm, False)) & ~mask_want)
    assert diff.size == 0, f"{case}: alarms differ at (period, series) {diff[:10].tolist()}"
