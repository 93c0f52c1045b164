"""nowcast against R's surveillance::nowcast (fixtures from scripts/r/fixtures_nowcast.R) on the
husO104Hosp line list, daily and weekly, with and without a moving window: the reporting triangle's
sums and the delay CDFs exactly; unif's predictive distribution exactly; the bayes methods' within
the sampling error of 20,000 draws on each side."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from yizhan.detect import DetectionInputError
from yizhan.detect.nowcast import nowcast

FIXTURES = Path(__file__).parent / "fixtures" / "nowcast"
CASES = sorted(p.stem for p in FIXTURES.glob("*.json"))


def line_list() -> tuple[list[str], list[str]]:
    with open(FIXTURES / "husO104Hosp.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["onset"] for r in rows], [r["report"] for r in rows]


def run(fixture: dict, method: str, **extra):
    o = fixture["options"]
    onset, report = line_list()
    return nowcast(onset, report, now=o["now"], when=o["when"], method=method, D=o["D"], m=o["m"],
                   aggregate_by=o["aggregate_by"], N_tInf_max=o["N_tInf_max"], mean_lambda=o["mean_lambda"],
                   var_lambda=o["var_lambda"], gd_prior_kappa=o["gd_prior_kappa"], alpha=o["alpha"],
                   n_samples=o["n_samples"], seed=1, **extra)


@pytest.fixture(scope="module", params=CASES)
def fixture(request) -> dict:
    return json.loads((FIXTURES / f"{request.param}.json").read_text())


def test_the_reporting_triangle_matches_r(fixture):
    result = run(fixture, "unif")
    assert [str(d) for d in result.dates] == fixture["dates"]
    np.testing.assert_array_equal(result.reported, fixture["N_tT"])
    np.testing.assert_array_equal(result.n_x, fixture["n_x"])
    np.testing.assert_array_equal(result.N_x, fixture["N_x"])


def test_unif_matches_r_exactly(fixture):
    result = run(fixture, "unif")
    for i, day in enumerate(fixture["options"]["when"]):
        r = fixture["when"][day]["unif"]
        np.testing.assert_allclose(result.pmf[i], r["pmf"], rtol=1e-12)
        assert (result.median[i], result.lower[i], result.upper[i]) == (r["median"], r["lower"], r["upper"])


@pytest.mark.parametrize("method", ["bayes.notrunc", "bayes.trunc"])
def test_bayes_methods_match_r(fixture, method):
    result = run(fixture, method)
    np.testing.assert_allclose(result.delay_cdf, fixture["delay_cdf"][method], rtol=1e-12)
    for i, day in enumerate(fixture["options"]["when"]):
        r = fixture["when"][day][method]
        # Total variation distance between two Monte Carlo averages of 20,000 draws each.
        assert 0.5 * np.abs(result.pmf[i] - np.array(r["pmf"])).sum() < 0.02, day
        assert abs(result.median[i] - r["median"]) <= 1, day
        assert abs(result.upper[i] - r["upper"]) <= max(2, 0.03 * r["upper"]), day


def test_the_nowcast_corrects_the_last_days_upwards():
    onset, report = line_list()
    result = nowcast(onset, report, now="2011-06-02", when=["2011-05-30", "2011-06-01"], method="bayes.trunc",
                     D=15, mean_lambda=50, var_lambda=3000, seed=3)
    assert (result.median >= result.reported[-4:][[0, 2]]).all()
    assert result.median[1] > result.reported[-2]  # reported so far: a fraction of the eventual count
    again = nowcast(onset, report, now="2011-06-02", when=["2011-05-30", "2011-06-01"], method="bayes.trunc",
                    D=15, mean_lambda=50, var_lambda=3000, seed=3)
    np.testing.assert_array_equal(result.pmf, again.pmf)  # a seed makes a run repeatable


@pytest.mark.parametrize(("options", "message"), [
    ({"method": "lawless"}, "method: 'lawless' is not one of"),
    ({"D": 400}, "D: 400 is more than"),
    ({"when": ["2011-06-03"]}, "when: every date must lie on or before now"),
    ({"method": "bayes.trunc", "mean_lambda": None}, "mean_lambda, var_lambda"),
    ({"method": "bayes.trunc", "var_lambda": 10}, "var_lambda: must exceed"),
    ({"aggregate_by": "1 week"}, "must be Mondays"),
    ({"m": 0}, "m: 0 is not allowed"),
    ({"N_tInf_max": 5}, "N_tInf_max: 5 is below"),
])
def test_bad_options_are_refused(options, message):
    onset, report = line_list()
    kwargs = {"now": "2011-06-02", "when": ["2011-06-01"], "method": "unif", "D": 15, "mean_lambda": 50,
              "var_lambda": 3000} | options
    with pytest.raises(DetectionInputError, match=message):
        nowcast(onset, report, **kwargs)


def test_a_bad_date_names_its_row():
    with pytest.raises(DetectionInputError, match="onset: row 2: 'x' is not a date"):
        nowcast(["2011-05-01", "x"], ["2011-05-02", "2011-05-03"], now="2011-05-03", when=["2011-05-02"], D=1,
                method="unif")


def test_the_command_line_nowcasts_a_line_list(capsys):
    from yizhan.detect.cli import main

    path = str(FIXTURES / "husO104Hosp.csv")
    assert main(["nowcast", path, "--now", "2011-06-02", "--when", "2011-05-31:2011-06-02", "--method", "unif"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "date,method,reported,median,lower,upper"
    assert lines[1:] == ["2011-05-31,unif,2,151,9,293", "2011-06-01,unif,0,150,7,293", "2011-06-02,unif,0,150,7,293"]
    assert main(["nowcast", path, "--now", "2011-06-02", "--when", "2011-06-01:2011-06-09"]) == 2
    assert "--when: every date must lie on or before now" in capsys.readouterr().err
    assert main(["nowcast", path, "--now", "2011-06-02", "--when", "2011-06-01:2011-06-02", "--onset-col", "x"]) == 2
    assert "no column 'x'" in capsys.readouterr().err
