"""Loading the fixtures of scripts/r/fixtures_dated.R: R's Farrington methods on the surveillance
package's data sets as they ship, with dates as periods (tests/detect/fixtures/dated/)."""

import csv
import json

import numpy as np

from tests.detect.r_fixtures import FIXTURES, RCase, _float

DATED = FIXTURES / "dated"


def read_dated_panel(path) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(series, dates as datetime64[D], counts, population) of an input-<dataset>.csv."""
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    series = list(dict.fromkeys(r["series"] for r in rows))
    dates = np.array(list(dict.fromkeys(r["period"] for r in rows)), dtype="datetime64[D]")
    at = {d: i for i, d in enumerate(dates.astype(str))}
    counts = np.zeros((dates.size, len(series)))
    population = np.zeros_like(counts)
    for r in rows:
        i, j = at[r["period"]], series.index(r["series"])
        counts[i, j], population[i, j] = float(r["count"]), float(r["population"])
    return series, dates, counts, population


class DatedCase(RCase):
    dates: np.ndarray
    default_range: bool
    diagnostics: dict

    def __repr__(self) -> str:
        return self.name


def load_dated(method: str) -> list[DatedCase]:
    cases = []
    for entry in json.loads((DATED / "manifest.json").read_text()):
        if entry["method"] != method:
            continue
        series, dates, counts, population = read_dated_panel(DATED / entry["data"])
        a, b = entry["range"]
        shape = (b - a + 1, len(series))
        columns = {k: np.full(shape, np.nan) for k in ("expected", "upperbound", "trend", "score", "phi")}
        alarm = np.ma.masked_all(shape, dtype=bool)
        at = {d: i for i, d in enumerate(dates.astype(str))}
        with (DATED / entry["result"]).open(newline="") as fh:
            for r in csv.DictReader(fh):
                i, j = at[r["period"]] - (a - 1), series.index(r["series"])
                for k, v in columns.items():
                    v[i, j] = _float(r[k])
                if r["alarm"] not in ("", "NA"):
                    alarm[i, j] = r["alarm"] == "1"
        case = DatedCase(method, entry["name"], entry["freq"], (a, b), entry.get("options", {}), series,
                         counts, population, columns["expected"], columns["upperbound"], alarm)
        case.dates = dates
        case.default_range = entry["default_range"]
        case.diagnostics = {k: columns[k] for k in ("trend", "score", "phi")}
        cases.append(case)
    return cases
