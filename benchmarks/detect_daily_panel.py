"""EARS C1–C3 and the CIDARS moving percentile method on a large daily panel.

A synthetic panel of daily Poisson counts (100,000 series × 3 years by default, fixed seed, each
series with its own mean) is processed in chunks of series to bound memory; the script prints the
evaluated series-days per second of each method. In the same run, R's surveillance::earsC
evaluates a subset of the series (100 by default) through Rscript; its series-days per second,
the ratio, and the largest relative difference between R's upper bounds and ours on that subset
are printed too. MPM runs with years=2, the most a 3-year panel allows (it evaluates the last
year; the other options are the CIDARS defaults).

    .venv/bin/python benchmarks/detect_daily_panel.py [--series 100000] [--years 3] [--r-series 100]
"""

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from yizhan.detect.ears import ears_c1, ears_c2, ears_c3
from yizhan.detect.mpm import mpm

DAYS_PER_YEAR = 365
SEED = 20240601

R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(surveillance))
x <- as.matrix(read.csv(args[1], header = FALSE))
s <- sts(observed = x, frequency = 365)
for (method in c("C1", "C2", "C3")) {
  elapsed <- system.time(res <- earsC(s, control = list(method = method)))[["elapsed"]]
  cat(method, elapsed, nrow(upperbound(res)), "\n")
  write.table(upperbound(res), file.path(args[2], paste0(method, ".csv")), sep = ",", na = "nan",
              row.names = FALSE, col.names = FALSE)
}
"""

METHODS = {
    "EARS C1": lambda x: ears_c1(x, freq=DAYS_PER_YEAR),
    "EARS C2": lambda x: ears_c2(x, freq=DAYS_PER_YEAR),
    "EARS C3": lambda x: ears_c3(x, freq=DAYS_PER_YEAR),
    "MPM (years=2)": lambda x: mpm(x, freq=DAYS_PER_YEAR, years=2),
}


def chunk_counts(index: int, n_series: int, days: int) -> np.ndarray:
    """Daily counts (days × n_series) of one chunk; every chunk has its own seeded stream."""
    rng = np.random.default_rng([SEED, index])
    means = rng.gamma(shape=1.5, scale=1.5, size=n_series)
    return rng.poisson(means, size=(days, n_series))


def run_python(n_series: int, days: int, chunk: int) -> tuple[dict[str, float], dict[str, int]]:
    seconds = dict.fromkeys(METHODS, 0.0)
    evaluated = dict.fromkeys(METHODS, 0)
    for index, start in enumerate(range(0, n_series, chunk)):
        counts = chunk_counts(index, min(chunk, n_series - start), days)
        for name, method in METHODS.items():
            began = time.perf_counter()
            result = method(counts)
            seconds[name] += time.perf_counter() - began
            evaluated[name] += result.upperbound.size
    return seconds, evaluated


def run_r(counts: np.ndarray) -> tuple[dict[str, float], dict[str, float]]:
    """R's earsC on `counts`; returns its seconds per method and the largest relative difference
    between its upper bounds and ours."""
    seconds, worst = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "counts.csv"
        np.savetxt(data, counts, fmt="%d", delimiter=",")
        script = Path(tmp) / "ears.R"
        script.write_text(R_SCRIPT)
        run = subprocess.run(["Rscript", str(script), str(data), tmp], capture_output=True, text=True, check=True)
        for line in run.stdout.splitlines():
            method, elapsed, _rows = line.split()
            seconds[f"EARS {method}"] = float(elapsed)
            theirs = np.loadtxt(Path(tmp) / f"{method}.csv", delimiter=",", ndmin=2)
            ours = METHODS[f"EARS {method}"](counts).upperbound
            ok = ~np.isnan(theirs)
            if not (np.isnan(ours) == ~ok).all():
                raise SystemExit(f"EARS {method}: NA pattern differs from R's")
            worst[f"EARS {method}"] = float(
                (np.abs(ours[ok] - theirs[ok]) / np.maximum(np.abs(theirs[ok]), 1e-12)).max()
            )
    return seconds, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", type=int, default=100_000, help="number of daily series (default 100000)")
    parser.add_argument("--years", type=int, default=3, help="years of daily counts per series (default 3)")
    parser.add_argument("--chunk", type=int, default=1_000, help="series per chunk (default 1000)")
    parser.add_argument("--r-series", type=int, default=100, help="series given to R's earsC (default 100)")
    args = parser.parse_args()
    days = args.years * DAYS_PER_YEAR

    print(f"panel: {args.series:,} daily series x {days} days (seed {SEED}), chunks of {args.chunk:,} series")
    seconds, evaluated = run_python(args.series, days, args.chunk)
    rates = {}
    for name in METHODS:
        rates[name] = evaluated[name] / seconds[name]
        print(f"  yizhan {name:<14} {evaluated[name]:>13,} series-days in {seconds[name]:7.2f} s "
              f"= {rates[name]:>14,.0f} series-days/s")

    subset = chunk_counts(0, min(args.chunk, args.series), days)[:, : args.r_series]
    r_seconds, worst = run_r(subset)
    print(f"peer: R surveillance::earsC on {args.r_series} of the series (same counts), timed inside R")
    for name, elapsed in r_seconds.items():
        n = (days - {"EARS C1": 7, "EARS C2": 9, "EARS C3": 11}[name]) * args.r_series
        r_rate = n / elapsed if elapsed > 0 else float("inf")
        print(f"  R      {name:<14} {n:>13,} series-days in {elapsed:7.2f} s = {r_rate:>14,.0f} series-days/s; "
              f"yizhan/R = {rates[name] / r_rate:,.0f}x; largest relative difference of upper bounds {worst[name]:.1e}")


if __name__ == "__main__":
    main()
