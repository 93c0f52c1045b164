"""farringtonFlexible: R's surveillance against `yizhan detect`, measured in the same run.

Panel: salmNewport (16 series), weeks 300..528 (229 evaluated weeks), Noufaily et al.'s settings
(noPeriods=10, b=4, w=3, weightsThreshold=2.58, pastWeeksNotIncluded=26, pThresholdTrend=1,
thresholdMethod="nbPlugin"). Prints R's time (measured inside R around the call, and the wall time of
the Rscript process), yizhan's time (the Python function, and the `yizhan detect` command's wall
time), the ratios, and checks that the outputs agree (1e-6 relative, identical alarms).

Also times the Python package pynssp 0.1.0 (a benchmark-only dependency). It has no Farrington
method; its nearest one, alert_nbinom (a negative binomial regression with trend and annual Fourier
terms, fitted once per series on a baseline and forecast over the following weeks), is run on the
same series and weeks. Its output is a different statistic, so only its time is comparable in kind,
and it does 16 fits where Farrington does one per evaluated week and series (3,664).

Usage:  .venv/bin/python benchmarks/detect_vs_r.py [--repeat N]
BLAS runs single-threaded (OPENBLAS_NUM_THREADS=1, as R's reference BLAS): the fits are small and
threads only add contention.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "detect" / "fixtures" / "data" / "salmNewport.csv"
RANGE = (300, 528)
NOUFAILY = dict(no_periods=10, b=4, w=3, weights_threshold=2.58, past_weeks_not_included=26, p_threshold_trend=1,
                threshold_method="nbPlugin")

R_SCRIPT = r"""
suppressMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
panel <- read.csv(args[1], stringsAsFactors = FALSE)
series <- unique(panel$series)
obs <- matrix(sapply(series, function(s) panel$count[panel$series == s]), ncol = length(series),
              dimnames = list(NULL, series))
s <- sts(observed = obs, frequency = 52, start = c(2001, 1))
control <- list(range = as.integer(args[3]):as.integer(args[4]), noPeriods = 10, b = 4, w = 3,
                weightsThreshold = 2.58, pastWeeksNotIncluded = 26, pThresholdTrend = 1,
                thresholdMethod = "nbPlugin", glmWarnings = FALSE)
t0 <- proc.time()[["elapsed"]]
res <- suppressWarnings(farringtonFlexible(s, control = control))
elapsed <- proc.time()[["elapsed"]] - t0
out <- data.frame(expected = as.vector(res@control$expected), upperbound = as.vector(upperbound(res)),
                  alarm = as.integer(as.vector(alarms(res))))
write.csv(out, args[2], row.names = FALSE)
cat(sprintf("%.6f\n", elapsed))
"""


def read_counts() -> tuple[list[str], np.ndarray]:
    with DATA.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    series = list(dict.fromkeys(r["series"] for r in rows))
    counts = np.array([[int(r["count"]) for r in rows if r["series"] == s] for s in series]).T
    return series, counts


def run_r(tmp: Path) -> tuple[float, float, np.ndarray, np.ndarray, np.ndarray]:
    script, out = tmp / "bench.R", tmp / "r_out.csv"
    script.write_text(R_SCRIPT)
    t0 = time.perf_counter()
    proc = subprocess.run(["Rscript", str(script), str(DATA), str(out), *map(str, RANGE)],
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    inside = float(proc.stdout.strip().splitlines()[-1])
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    n = RANGE[1] - RANGE[0] + 1

    def col(name: str) -> np.ndarray:
        return np.array([float("nan") if r[name] in ("", "NA") else float(r[name]) for r in rows]).reshape(-1, n).T

    return inside, wall, col("expected"), col("upperbound"), col("alarm")


def run_python(counts: np.ndarray, repeat: int):
    from yizhan.detect.farrington_flexible import farrington_flexible

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = farrington_flexible(counts, periods=range(RANGE[0] - 1, RANGE[1]), **NOUFAILY)
        times.append(time.perf_counter() - t0)
    return min(times), result


def run_cli(tmp: Path, repeat: int) -> tuple[float, dict]:
    out = tmp / "cli_out.csv"
    cmd = [str(ROOT / ".venv" / "bin" / "yizhan"), "detect", "farrington-flexible", str(DATA), "--output", str(out),
           "--range", f"{RANGE[0]}:{RANGE[1]}", "--no-periods", "10", "--b", "4", "--w", "3",
           "--weights-threshold", "2.58", "--past-weeks-not-included", "26", "--p-threshold-trend", "1",
           "--threshold-method", "nbPlugin"]
    walls = []
    for _ in range(repeat):  # best of `repeat`, as for the function: one short run is at the mercy of the load
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, text=True)
        walls.append(time.perf_counter() - t0)
    wall = min(walls)
    with out.open(newline="") as fh:
        rows = {(int(r["period"]), r["series"]): r for r in csv.DictReader(fh)}
    return wall, rows


def largest_rel_diff(got: np.ndarray, want: np.ndarray) -> float:
    same_na = np.isnan(got) == np.isnan(want)
    if not same_na.all():
        return float("inf")
    ok = ~np.isnan(want)
    return float((np.abs(got[ok] - want[ok]) / np.maximum(np.abs(want[ok]), 1e-12)).max())


def run_pynssp(series: list[str], counts: np.ndarray) -> float | str:
    """Seconds for pynssp's alert_nbinom on every series, or why it could not run."""
    try:
        import pandas as pd
        from pynssp import alert_nbinom
    except ImportError as exc:
        return f"not installed ({exc}; pip install pynssp==0.1.0 requests)"
    dates = pd.date_range("2004-01-04", periods=counts.shape[0], freq="W")
    frame = pd.DataFrame({"date": np.tile(dates, len(series)), "series": np.repeat(series, counts.shape[0]),
                          "count": counts.T.reshape(-1)})
    frame = frame[frame["date"] <= dates[RANGE[1] - 1]]
    baseline_end = dates[RANGE[0] - 2]
    t0 = time.perf_counter()
    try:
        for _, group in frame.groupby("series"):
            alert_nbinom(group.reset_index(drop=True), baseline_end=baseline_end)
    except Exception as exc:  # its code predates the installed pandas; report instead of failing the benchmark
        return f"alert_nbinom failed: {type(exc).__name__}: {exc}"
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of the Python function and of the CLI (the best of each is kept)")
    args = parser.parse_args()
    series, counts = read_counts()
    n_eval = RANGE[1] - RANGE[0] + 1
    print(f"salmNewport: {counts.shape[1]} series, weeks {RANGE[0]}..{RANGE[1]} ({n_eval} evaluated), Noufaily settings")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        r_inside, r_wall, r_exp, r_up, r_alarm = run_r(tmp)
        py_time, result = run_python(counts, args.repeat)
        cli_wall, cli_rows = run_cli(tmp, args.repeat)

    d_exp, d_up = largest_rel_diff(result.expected, r_exp), largest_rel_diff(result.upperbound, r_up)
    alarms_same = bool((np.ma.filled(result.alarm, False).astype(int) == r_alarm).all())
    cli_up = np.array([[float(cli_rows[(t, s)]["upperbound"] or "nan") for s in series]
                       for t in range(RANGE[0], RANGE[1] + 1)])
    cli_same = largest_rel_diff(cli_up, r_up)

    print(f"R surveillance::farringtonFlexible  inside R {r_inside:8.3f} s   Rscript wall {r_wall:8.3f} s")
    print(f"yizhan farrington_flexible (Python) {py_time:8.3f} s   (best of {args.repeat})")
    print(f"yizhan detect farrington-flexible   wall     {cli_wall:8.3f} s   (CLI, incl. start-up and CSV; "
          f"best of {args.repeat})")
    print(f"ratio R/yizhan: function {r_inside / py_time:6.1f}x   wall (Rscript vs CLI) {r_wall / cli_wall:6.1f}x")
    print(f"agreement with R: expected max rel diff {d_exp:.2e}, upperbound {d_up:.2e}, "
          f"alarms identical: {alarms_same}; CLI upperbound max rel diff {cli_same:.2e}")
    t_nssp = run_pynssp(series, counts)
    if isinstance(t_nssp, str):
        print(f"pynssp 0.1.0: {t_nssp}")
    else:
        print(f"pynssp 0.1.0 alert_nbinom (16 fits, not Farrington; time only) {t_nssp:8.3f} s   "
              f"ratio pynssp/yizhan {t_nssp / py_time:6.1f}x")
    ok = d_exp <= 1e-6 and d_up <= 1e-6 and alarms_same and cli_same <= 1e-6
    print("outputs agree" if ok else "OUTPUTS DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
