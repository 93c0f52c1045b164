"""`yizhan detect`: the command-line contract, end to end against the R fixtures, bad input,
dispatch to the Farrington methods, and a start without Django."""

import csv
import json
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from tests.detect.r_fixtures import FIXTURES, assert_matches_r, load_cases
from yizhan.detect.cli import main
from yizhan.detect.result import DetectionResult

ROOT = Path(__file__).resolve().parents[2]
DATA = FIXTURES / "data"


def _result_of(path: Path, case) -> DetectionResult:
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    a, b = case.range
    shape = (b - a + 1, len(case.series))
    expected, upper = np.full(shape, np.nan), np.full(shape, np.nan)
    alarm = np.ma.masked_all(shape, dtype=bool)
    for r in rows:
        i, j = int(r["period"]) - a, case.series.index(r["series"])
        assert int(r["count"]) == case.counts[int(r["period"]) - 1, j]
        expected[i, j] = float(r["expected"]) if r["expected"] else np.nan
        upper[i, j] = float(r["upperbound"]) if r["upperbound"] else np.nan
        if r["alarm"]:
            alarm[i, j] = r["alarm"] == "1"
    assert len(rows) == shape[0] * shape[1]
    return DetectionResult(np.arange(a - 1, b), expected, upper, alarm)


def _case(method, name):
    return next(c for c in load_cases(method) if c.name == name)


def test_ears_default_range_matches_r(tmp_path):
    out = tmp_path / "out.csv"
    assert main(["ears-c3", str(DATA / "salmNewport.csv"), "--output", str(out)]) == 0
    case = _case("ears-c3", "salmNewport__default")
    assert_matches_r(case, _result_of(out, case))


def test_options_and_range_match_r(tmp_path):
    out = tmp_path / "out.csv"
    argv = ["ears-c2", str(DATA / "ha.csv"), "--output", str(out), "--range", "91:290",
            "--baseline", "10", "--alpha", "0.01", "--min-sigma", "0.5"]
    assert main(argv) == 0
    case = _case("ears-c2", "ha__opts")
    assert_matches_r(case, _result_of(out, case))


def test_cusum_with_glm_mean_matches_r(tmp_path):
    out = tmp_path / "out.csv"
    argv = ["cusum", str(DATA / "ha.csv"), "--output", str(out), "--range", "105:290", "--m", "glm",
            "--trans", "rossi", "--h", "3"]
    assert main(argv) == 0
    case = _case("cusum", "ha__glm_rossi")
    assert_matches_r(case, _result_of(out, case))


def test_result_goes_to_stdout_by_default(capsys):
    assert main(["fixed", str(DATA / "salmonella.agona.csv"), "--range", "1:3", "--threshold", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "period,series,count,expected,upperbound,alarm",
        "1,observed1,1,,2.0,0",
        "2,observed1,0,,2.0,0",
        "3,observed1,5,,2.0,1",
    ]


def test_mpm_on_daily_counts(tmp_path, capsys):
    days = 3 * 365 + 20
    rows = ["period,series,count"] + [f"{d + 1},county-1,{1 if d % 7 == 0 else 0}" for d in range(days)]
    rows[-1] = f"{days},county-1,9"
    src = tmp_path / "daily.csv"
    src.write_text("\n".join(rows) + "\n")
    assert main(["mpm", str(src), "--freq", "365", "--range", f"{days}:{days}"]) == 0
    last = capsys.readouterr().out.splitlines()[-1].split(",")
    assert last[0] == str(days) and last[-1] == "1"  # 9 + 1 cases this week, 1 in each past week


def _write(tmp_path, text: str) -> str:
    path = tmp_path / "in.csv"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    ("text", "argv", "message"),
    [
        ("period,series,count\n1,a,1\n2,a,-3\n", [], "line 3: count '-3' is not a non-negative whole number"),
        ("period,series,count\n1,a,1\n2,a,1.5\n", [], "line 3: count '1.5'"),
        ("period,series,count\n1,a,1\n2,a,2\n4,a,1\n", [], "line 4: series 'a' jumps from period 2 to 4"),
        ("period,series,count\n1,a,1\n1,a,2\n", [], "line 3: series 'a' has period 1 twice"),
        ("period,series\n1,a\n", [], "line 1: missing column(s) count"),
        ("period,series,count\n1,a,1\n1,b,1\n2,a,1\n", [], "series 'b' covers periods 1..1"),
        ("period,series,count\nx,a,1\n", [], "line 2: period 'x' is not a whole number, a date (YYYY-MM-DD)"),
        ("period,series,count\n" + "".join(f"{i},a,1\n" for i in range(1, 20)), ["--range", "2:19"],
         "--range: period index 1 (row 2 of each series) has too little history"),
        ("period,series,count\n1,a,1\n2,a,1\n", ["--range", "1:5"],
         "--range 1:5: period 5 is not in the input (periods 1 to 2)"),
        ("period,series,count\n1,a,1\n2,a,1\n", ["--range", "2:1"], "--range 2:1: 1 comes before 2"),
        ("period,series,count\n1,a,1\n", ["--range", "3"], "argument --range: '3' is not FROM:TO"),
        ("period,series,count\n2020-01-06,a,1\n2020-01-13,a,1\n2020-01-27,a,1\n", [],
         "line 4: series 'a' jumps from period 2020-01-13 to 2020-01-27; periods must be consecutive weeks"),
        ("period,series,count\n2020-01-06,a,1\n2020-01-13,a,1\n3,a,1\n", [],
         "line 4: period '3' is not a date (YYYY-MM-DD), ISO week (YYYY-Www) or month (YYYY-MM), like the first"),
        ("period,series,count\n2020-W01,a,1\n2020-W02,a,1\n", ["--freq", "12"],
         "--freq: 12 does not fit periods one week apart (they give 52)"),
        ("period,series,count\n2020-01,a,1\n2020-02,a,1\n", ["--range", "2020-01:2020-05"],
         "--range 2020-01:2020-05: 2020-05-01 is not one of the periods"),
        ("period,series,count\n2020-01-01,a,1\n2020-01-03,a,1\n", [],
         "line 3: series 'a' jumps from period 2020-01-01 to 2020-01-03; periods must be consecutive days, weeks or"),
        ("period,series,count\n1,a,1\n", ["--baseline", "2"], "--baseline: 2 is not allowed"),
        ("period,series,count\n1,a,1\n", ["--bogus", "1"], "unrecognized arguments: --bogus 1"),
        ("period,series,count\n1,a,1\n", ["--alpha", "abc"], "argument --alpha: 'abc' is not a number"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, text, argv, message):
    assert main(["ears-c1", _write(tmp_path, text), *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert "\n" not in err
    assert err.startswith("yizhan detect: error: ")
    assert message in err


def test_missing_file_and_unknown_method(tmp_path, capsys):
    assert main(["cusum", str(tmp_path / "none.csv")]) == 2
    assert "cannot read the file" in capsys.readouterr().err
    assert main(["holt-winters", str(DATA / "ha.csv")]) == 2
    assert "invalid choice: 'holt-winters'" in capsys.readouterr().err


def test_failed_run_leaves_no_output_file(tmp_path):
    out = tmp_path / "out.csv"
    assert main(["ears-c1", _write(tmp_path, "period,series,count\n1,a,1\n"), "--output", str(out)]) == 2
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "in.csv"]


def test_help_lists_the_methods(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for method in ("ears-c1", "ears-c2", "ears-c3", "farrington", "farrington-flexible", "cusum", "mpm", "fixed"):
        assert method in out


def _fake_module(monkeypatch, module: str, function: str) -> dict:
    calls = {}

    def fake(counts, **kwargs):
        calls.update(kwargs, counts=counts)
        n = len(kwargs["periods"]) if kwargs["periods"] is not None else counts.shape[0]
        shape = (n, counts.shape[1])
        return DetectionResult(np.arange(n), np.zeros(shape), np.ones(shape), np.ma.masked_array(np.zeros(shape, bool)))

    monkeypatch.setitem(sys.modules, module, types.SimpleNamespace(**{function: fake}))
    return calls


def test_farrington_options_are_passed_with_python_names(monkeypatch, capsys):
    calls = _fake_module(monkeypatch, "yizhan.detect.farrington", "farrington")
    argv = ["farrington", str(DATA / "salmNewport.csv"), "--range", "300:310", "--b", "4", "--w", "2",
            "--alpha", "0.01", "--no-reweight", "--trend", "--limit54", "3,2", "--powertrans", "1/2"]
    assert main(argv) == 0
    assert calls["periods"] == range(299, 310)
    assert calls["freq"] == 52
    assert {k: calls[k] for k in ("b", "w", "alpha", "reweight", "trend", "limit54", "powertrans")} == {
        "b": 4, "w": 2, "alpha": 0.01, "reweight": False, "trend": True, "limit54": (3, 2), "powertrans": "1/2"}
    assert calls["counts"].shape == (528, 16)


def test_farrington_flexible_options_and_population(monkeypatch, capsys):
    calls = _fake_module(monkeypatch, "yizhan.detect.farrington_flexible", "farrington_flexible")
    argv = ["farrington-flexible", str(DATA / "salmNewport.csv"), "--no-periods", "10", "--b", "4", "--w", "3",
            "--weights-threshold", "2.58", "--past-weeks-not-included", "26", "--p-threshold-trend", "1",
            "--threshold-method", "nbPlugin", "--population-offset", "--freq", "52"]
    assert main(argv) == 0
    assert calls["periods"] is None
    assert {k: calls[k] for k in ("no_periods", "b", "w", "weights_threshold", "past_weeks_not_included",
                                  "p_threshold_trend", "threshold_method", "population_offset")} == {
        "no_periods": 10, "b": 4, "w": 3, "weights_threshold": 2.58, "past_weeks_not_included": 26,
        "p_threshold_trend": 1.0, "threshold_method": "nbPlugin", "population_offset": True}
    np.testing.assert_allclose(calls["population"], 0.0625)
    # options left out are not passed: the function's own (R's) defaults apply
    assert "alpha" not in calls and "reweight" not in calls


def test_population_offset_needs_a_population_column(tmp_path, capsys):
    src = _write(tmp_path, "period,series,count\n1,a,1\n")
    assert main(["farrington-flexible", src, "--population-offset"]) == 2
    assert "--population-offset: the input has no population column" in capsys.readouterr().err


WRAPPER = """
import json, sys
from yizhan.cli import main
sys.argv = ["yizhan", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    status = done.code
print(json.dumps({"status": status, "django": [m for m in sys.modules if m.split(".")[0] == "django"],
                  "ears": "yizhan.detect.ears" in sys.modules}), file=sys.stderr)
"""


def test_detect_starts_without_django(tmp_path):
    out = tmp_path / "out.csv"
    run = subprocess.run(
        [sys.executable, "-c", WRAPPER, "detect", "ears-c1", str(DATA / "ha.csv"), "--output", str(out)],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    report = json.loads(run.stderr.strip().splitlines()[-1])
    assert report == {"status": 0, "django": [], "ears": True}
    case = _case("ears-c1", "ha__default")
    assert_matches_r(case, _result_of(out, case))


def test_console_script_runs(tmp_path):
    out = tmp_path / "out.csv"
    script = ROOT / ".venv" / "bin" / "yizhan"
    run = subprocess.run([str(script), "detect", "cusum", str(DATA / "salmNewport.csv"), "--trans", "anscombe",
                          "--range", "53:528", "--output", str(out)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    case = _case("cusum", "salmNewport__anscombe")
    assert_matches_r(case, _result_of(out, case))


def test_console_script_bad_input_exit_status(tmp_path):
    src = _write(tmp_path, "period,series,count\n1,a,oops\n")
    run = subprocess.run([str(ROOT / ".venv" / "bin" / "yizhan"), "detect", "mpm", src],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [f"yizhan detect: error: {src}, line 2: count 'oops' is not a "
                                               "non-negative whole number"]


def test_package_re_exports_every_method():
    import importlib

    import yizhan.detect as detect

    homes = {"ears_c1": "ears", "ears_c2": "ears", "ears_c3": "ears", "cusum": "cusum", "mpm": "mpm",
             "fixed_threshold": "fixed", "farrington": "farrington", "farrington_flexible": "farrington_flexible"}
    for name, module in homes.items():
        function = getattr(importlib.import_module(f"yizhan.detect.{module}"), name)
        assert getattr(detect, name) is function
        assert name in detect.__all__


@pytest.mark.parametrize(("method", "name", "argv"), [
    ("rki", "ha__custom", ["rki", "--b", "1", "--w", "3", "--no-act-y"]),
    ("rki", "stsNewport__rki2", ["rki2"]),
    ("bayes", "stsNewport__custom", ["bayes", "--b", "3", "--w", "2", "--act-y", "--alpha", "0.01"]),
    ("bayes", "ha__bayes3", ["bayes3"]),
    ("glrpois", "ha__cases", ["glrpois", "--c-arl", "4", "--ret", "cases"]),
    ("glrnb", "stsNewport__window", ["glrnb", "--alpha", "0.1", "--c-arl", "3", "--M", "26", "--Mtilde", "2"]),
    ("glrnb", "ha__theta", ["glrnb", "--alpha", "0.5", "--c-arl", "2", "--theta", "0.7", "--S", "2"]),
    ("glrnb", "stsNewport__epi_alpha_null_window", ["glrnb", "--c-arl", "4", "--change", "epi", "--M", "30"]),
    ("glrnb", "ha__theta_cases", ["glrnb", "--alpha", "0.5", "--c-arl", "2", "--theta", "0.7", "--ret", "cases"]),
    ("glrnb", "salmonella.agona__cases_alpha_null", ["glrnb", "--c-arl", "2.5", "--ret", "cases", "--x-max", "40",
                                                     "--Mtilde", "2"]),
    ("glrpois", "salmNewport__refit", ["glrpois", "--c-arl", "3", "--trend", "--refit"]),
    ("outbreakP", "ha__cases_k20", ["outbreakP", "--k", "20", "--ret", "cases", "--max-upperbound-cases", "200"]),
])
def test_rki_bayes_outbreakp_glr_match_r(tmp_path, method, name, argv):
    case = _case(method, name)
    out = tmp_path / "out.csv"
    a, b = case.range
    data = DATA / f"{name.split('__')[0]}.csv"
    assert main([argv[0], str(data), "--output", str(out), "--range", f"{a}:{b}", *argv[1:]]) == 0
    assert_matches_r(case, _result_of(out, case))


def test_glr_option_clash_names_the_flag(capsys):
    assert main(["glrnb", str(DATA / "ha.csv"), "--change", "epi", "--ret", "cases"]) == 2
    assert capsys.readouterr().err.startswith("yizhan detect: error: --ret: 'cases' is not available with change='epi'")
    assert main(["glrnb", str(DATA / "ha.csv"), "--ret", "cases", "--x-max", "0"]) == 2
    assert capsys.readouterr().err.startswith("yizhan detect: error: --x-max: 0 is not allowed")
