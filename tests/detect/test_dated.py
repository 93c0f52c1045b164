"""Dated periods: R's Farrington methods on the surveillance package's data sets as they ship
(epochAsDate = TRUE; fixtures from scripts/r/fixtures_dated.R), R's diagnostics, the date index of
the Python API, and the date forms of the period column."""

import numpy as np
import pytest

from tests.detect.dated_fixtures import load_dated
from tests.detect.r_fixtures import assert_matches_r
from yizhan.detect import DetectionInputError, ears_c1, farrington, farrington_flexible
from yizhan.detect.dates import format_label, infer_epochs, parse_label

FARRINGTON = load_dated("farrington")
FLEXIBLE = load_dated("farrington-flexible")
METHODS = {"farrington": farrington, "farrington-flexible": farrington_flexible}


def run(case, **extra):
    opts = dict(case.options)
    if "limit54" in opts:
        opts["limit54"] = tuple(opts["limit54"])
    if opts.get("population_offset"):
        opts["population"] = case.population
    a, b = case.range
    periods = None if case.default_range else case.dates[a - 1: b]
    return METHODS[case.method](case.counts, index=case.dates, periods=periods, **opts, **extra)


def assert_diagnostics(case, result):
    for name, want in case.diagnostics.items():
        if np.isnan(want).all():  # R keeps no such figure for this method
            continue
        got = result.diagnostics[name]
        assert (np.isnan(got) == np.isnan(want)).all(), f"{case}: {name} NA pattern differs"
        ok = ~np.isnan(want)
        # a score near 0 is a difference of nearly equal numbers: compare it on the scale of 1 (alarms need > 1)
        floor = 1.0 if name == "score" else 1e-12
        rel = np.abs(got[ok] - want[ok]) / np.maximum(np.abs(want[ok]), floor)
        assert rel.max() <= 1e-6, f"{case}: {name} differs by {rel.max():.3g}"


@pytest.mark.parametrize("case", FARRINGTON + FLEXIBLE, ids=repr)
def test_matches_r_on_dated_data(case):
    result = run(case)
    assert_matches_r(case, result)
    assert_diagnostics(case, result)
    a, b = case.range
    np.testing.assert_array_equal(result.dates, case.dates[a - 1: b])


def test_fixtures_cover_weekly_monthly_and_population():
    cases = FARRINGTON + FLEXIBLE
    assert {c.freq for c in cases} == {12, 52}
    assert any(c.options.get("population_offset") and c.freq == 12 for c in FLEXIBLE)
    assert any(c.options.get("population_offset") and c.freq == 52 for c in FLEXIBLE)
    assert {c.name.split("__")[1] for c in cases} >= {"salmNewport", "stsNewport", "momo", "rotaBB"}


def test_counting_periods_instead_of_dates_gives_other_bounds():
    # the difference the dates make: 52 weeks are not a year
    case = next(c for c in FARRINGTON if c.name == "farrington__salmNewport__default")
    undated = farrington(case.counts)
    bounded = case.upperbound > 0  # limit54 met
    differ = ~np.isclose(undated.upperbound, case.upperbound, rtol=1e-6) & bounded
    assert differ.sum() > 0.05 * bounded.sum()


def test_a_date_index_infers_the_frequency_and_accepts_dated_periods():
    case = next(c for c in FLEXIBLE if c.name == "farrington-flexible__rotaBB__default")
    months = np.array([format_label(d, "month") for d in case.dates])
    result = farrington_flexible(case.counts, index=months)
    assert_matches_r(case, result)
    later = farrington_flexible(case.counts, index=case.dates, periods=["2012-01-01", "2012-02-01"])
    np.testing.assert_array_equal(later.dates, np.array(["2012-01-01", "2012-02-01"], dtype="datetime64[D]"))
    start = list(result.dates).index(later.dates[0])
    np.testing.assert_allclose(later.upperbound, result.upperbound[start: start + 2], rtol=1e-12)
    with pytest.raises(DetectionInputError, match="freq: 52 does not fit periods one month apart"):
        farrington_flexible(case.counts, index=case.dates, freq=52)


def test_pandas_index_is_accepted():
    pd = pytest.importorskip("pandas")
    case = next(c for c in FARRINGTON if c.name == "farrington__stsNewport__default")
    series = pd.Series(case.counts[:, 0], index=pd.DatetimeIndex(case.dates))
    from_series = farrington(series)
    assert_matches_r(case, from_series)
    weeks = pd.PeriodIndex(case.dates, freq="W-SUN")
    assert_matches_r(case, farrington(case.counts, index=weeks))


def test_other_methods_take_dates_too():
    days = np.arange("2020-01-01", "2020-03-01", dtype="datetime64[D]")
    counts = np.tile([1, 2, 3, 2], days.size // 4 + 1)[: days.size]
    dated = ears_c1(counts, index=days)
    plain = ears_c1(counts, freq=365)
    np.testing.assert_array_equal(dated.upperbound, plain.upperbound)
    assert dated.dates[0] == days[7]


def test_gaps_in_a_date_index_are_refused_naming_the_position():
    days = np.array(["2020-01-06", "2020-01-13", "2020-01-27"], dtype="datetime64[D]")
    with pytest.raises(DetectionInputError, match="position 2: the periods jump from 2020-01-13 to 2020-01-27"):
        ears_c1(np.ones(3), index=days)


@pytest.mark.parametrize(("text", "day"), [
    ("2021-W01", "2021-01-04"), ("2020-W53", "2020-12-28"), ("2009-W01", "2008-12-29"),
    ("2021-03", "2021-03-01"), ("2021-03-15", "2021-03-15"),
])
def test_period_forms(text, day):
    form, parsed = parse_label(text)
    assert parsed == np.datetime64(day)
    assert format_label(parsed, form) == text


@pytest.mark.parametrize("text", ["2021-W54", "2021-02-30", "2021-13"])
def test_impossible_periods_are_refused(text):
    with pytest.raises(DetectionInputError):
        parse_label(text)


def test_iso_weeks_step_over_week_53():
    days = np.array([parse_label(t)[1] for t in ("2020-W52", "2020-W53", "2021-W01")])
    assert infer_epochs(days, None).freq == 52


def _relabel(src, dest, form):
    """The input CSV with its dates rewritten in another form (ISO weeks or months)."""
    import csv

    with src.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    with dest.open("w", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=list(rows[0]))
        out.writeheader()
        for r in rows:
            out.writerow({**r, "period": format_label(np.datetime64(r["period"], "D"), form)})


def _cli_result(path, case):
    import csv

    from yizhan.detect.result import DetectionResult

    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    a, b = case.range
    n = b - a + 1
    labels = list(dict.fromkeys(r["period"] for r in rows))
    col = {k: np.array([float(r[k]) if r[k] else np.nan for r in rows]).reshape(len(case.series), n).T
           for k in ("expected", "upperbound", "alarm")}
    alarm = np.ma.masked_array(col["alarm"] == 1, mask=np.isnan(col["alarm"]))
    return labels, DetectionResult(np.arange(a - 1, b), col["expected"], col["upperbound"], alarm)


@pytest.mark.parametrize(("name", "form", "argv"), [
    ("farrington__stsNewport__b4w2_notrend", "isoweek",
     ["--b", "4", "--w", "2", "--no-trend", "--powertrans", "1/2", "--limit54", "0,1"]),
    ("farrington-flexible__rotaBB__monthly_population", "month",
     ["--population-offset", "--b", "3", "--w", "1", "--no-periods", "3", "--threshold-method", "muan",
      "--past-weeks-not-included", "2"]),
])
def test_cli_reads_iso_weeks_and_months_and_echoes_them(tmp_path, name, form, argv):
    from tests.detect.dated_fixtures import DATED
    from yizhan.detect.cli import main

    case = next(c for c in FARRINGTON + FLEXIBLE if c.name == name)
    src = tmp_path / "in.csv"
    _relabel(DATED / f"input-{name.split('__')[1]}.csv", src, form)
    out = tmp_path / "out.csv"
    a, b = case.range
    first, last = (format_label(case.dates[i], form) for i in (a - 1, b - 1))
    assert main([case.method, str(src), "--output", str(out), "--range", f"{first}:{last}", *argv]) == 0
    labels, result = _cli_result(out, case)
    assert labels[0] == first and labels[-1] == last
    assert_matches_r(case, result)
