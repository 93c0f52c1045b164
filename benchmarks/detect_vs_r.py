"""Every detection method of `yizhan.detect` against R's surveillance, on the same panel, in one run.

Panel: salmNewport (16 weekly series), weeks 300..528 (229 evaluated weeks × 16 series), for
farrington, farringtonFlexible (Noufaily et al.'s settings), earsC C1–C3, cusum, rki1–3, bayes1–3,
outbreakP, glrpois and glrnb (one series at a time, as algo.glrnb takes them; also the epidemic
chart, alpha = NULL estimated by glm.nb, mu0 refitted after alarms, and glrnb's ret = "cases",
which R finds by brute force: window M = 13, the first 4 series); nowcast (bayes.trunc,
bayes.notrunc, unif) on husO104Hosp for the 14 days up to 2011-06-02. R runs every method inside one
Rscript process, each timed with proc.time() around its call; Yizhan times each function (best of
--repeat). For each method it prints both times, their ratio (R / Yizhan: above 1 means Yizhan is
faster) and the agreement of the outputs: the largest relative difference of the upper bounds and
whether the alarms are identical (nowcast's bayes methods sample, so they are compared by their
medians, within 1 case).

Usage:  .venv/bin/python benchmarks/detect_vs_r.py [--repeat N]
BLAS runs single-threaded (OPENBLAS_NUM_THREADS=1, as R's reference BLAS). The last line printed is a
JSON object of the figures.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "detect" / "fixtures" / "data" / "salmNewport.csv"
LINELIST = ROOT / "tests" / "detect" / "fixtures" / "nowcast" / "husO104Hosp.csv"
RANGE = (300, 528)
WHEN = ("2011-05-20", "2011-06-02")
CASES_SERIES = 4  # R's brute-force cases take seconds per series and week: the first 4 series only
NOUFAILY = dict(no_periods=10, b=4, w=3, weights_threshold=2.58, past_weeks_not_included=26, p_threshold_trend=1,
                threshold_method="nbPlugin")
PRIOR = dict(mean_lambda=50, var_lambda=3000)
TIMED = "timed "

R_SCRIPT = r"""
suppressMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
panel <- read.csv(args[1], stringsAsFactors = FALSE)
out_dir <- args[2]
rng <- as.integer(args[3]):as.integer(args[4])
CASES_SERIES <- as.integer(args[7])
series <- unique(panel$series)
obs <- matrix(sapply(series, function(s) panel$count[panel$series == s]), ncol = length(series),
              dimnames = list(NULL, series))
s <- sts(observed = obs, frequency = 52, start = c(2001, 1))
per_series <- function(control, columns = seq_len(ncol(obs))) {
  res <- lapply(columns, function(j) suppressMessages(algo.glrnb(sts2disProg(s[, j]), control = control)))
  list(upper = sapply(res, function(r) as.vector(r$upperbound)), alarm = sapply(res, function(r) as.vector(r$alarm)))
}
wrap <- function(res) list(upper = upperbound(res), alarm = alarms(res))
methods <- list(
  farrington = function() wrap(suppressWarnings(farrington(s, control = list(range = rng, b = 5, w = 3)))),
  farringtonFlexible = function() wrap(suppressWarnings(farringtonFlexible(s, control = list(
    range = rng, noPeriods = 10, b = 4, w = 3, weightsThreshold = 2.58, pastWeeksNotIncluded = 26,
    pThresholdTrend = 1, thresholdMethod = "nbPlugin", glmWarnings = FALSE)))),
  earsC1 = function() wrap(earsC(s, control = list(range = rng, method = "C1"))),
  earsC2 = function() wrap(earsC(s, control = list(range = rng, method = "C2"))),
  earsC3 = function() wrap(earsC(s, control = list(range = rng, method = "C3"))),
  cusum = function() wrap(suppressWarnings(cusum(s, control = list(range = rng)))),
  rki1 = function() wrap(rki(s, control = list(range = rng, b = 0, w = 6, actY = TRUE))),
  rki2 = function() wrap(rki(s, control = list(range = rng, b = 1, w = 6, actY = TRUE))),
  rki3 = function() wrap(rki(s, control = list(range = rng, b = 2, w = 4, actY = FALSE))),
  bayes1 = function() wrap(bayes(s, control = list(range = rng, b = 0, w = 6, actY = TRUE, alpha = 0.05))),
  bayes2 = function() wrap(bayes(s, control = list(range = rng, b = 1, w = 6, actY = TRUE, alpha = 0.05))),
  bayes3 = function() wrap(bayes(s, control = list(range = rng, b = 2, w = 4, actY = FALSE, alpha = 0.05))),
  outbreakP = function() wrap(outbreakP(s, control = list(range = rng, k = 100, ret = "value"))),
  glrpois = function() per_series(list(range = rng, c.ARL = 5, alpha = 0)),
  glrnb = function() per_series(list(range = rng, c.ARL = 5, alpha = 0.5)),
  glrpois.epi = function() per_series(list(range = rng, c.ARL = 5, alpha = 0, change = "epi")),
  glrnb.epi = function() per_series(list(range = rng, c.ARL = 5, alpha = 0.5, change = "epi")),
  glrnb.alphaNULL = function() per_series(list(range = rng, c.ARL = 5)),
  glrnb.refit = function() per_series(list(range = rng, c.ARL = 5, alpha = 0.5, mu0 = list(refit = TRUE))),
  glrnb.cases = function() per_series(list(range = rng, c.ARL = 3, alpha = 0.5, M = 13, ret = "cases"), 1:CASES_SERIES)
)
data("husO104Hosp")
when <- seq(as.Date(args[5]), as.Date(args[6]), by = "1 day")
for (m in c("bayes.trunc", "bayes.notrunc", "unif")) {
  local({
    method <- m
    methods[[paste0("nowcast.", method)]] <<- function() {
      invisible(capture.output(res <- suppressWarnings(suppressMessages(nowcast(
        now = as.Date(args[6]), when = when, data = husO104Hosp, dEventCol = "dHosp", dReportCol = "dReport",
        method = method, D = 15, control = list(N.tInf.prior = structure("poisgamma", mean.lambda = 50,
        var.lambda = 3000), nSamples = 1000, N.tInf.max = 300))))))
      idx <- which(as.character(epoch(res)) %in% as.character(when))
      list(upper = matrix(upperbound(res)[idx], ncol = 1), alarm = matrix(0L, length(idx), 1))
    }
  })
}
for (name in names(methods)) {
  t0 <- proc.time()[["elapsed"]]
  res <- methods[[name]]()
  elapsed <- proc.time()[["elapsed"]] - t0
  write.csv(data.frame(upper = as.vector(res$upper), alarm = as.integer(as.vector(res$alarm))),
            file.path(out_dir, paste0(name, ".csv")), row.names = FALSE)
  cat(sprintf("timed %s %.6f\n", name, elapsed))
}
"""


def read_counts() -> np.ndarray:
    with DATA.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    series = list(dict.fromkeys(r["series"] for r in rows))
    return np.array([[int(r["count"]) for r in rows if r["series"] == s] for s in series]).T


def python_methods(counts: np.ndarray) -> dict:
    from yizhan import detect
    from yizhan.detect.nowcast import nowcast

    periods = range(RANGE[0] - 1, RANGE[1])
    with LINELIST.open(newline="") as fh:
        cases = list(csv.DictReader(fh))
    onset, report = [c["onset"] for c in cases], [c["report"] for c in cases]
    when = np.arange(np.datetime64(WHEN[0]), np.datetime64(WHEN[1]) + 1)

    def nc(method: str):
        return lambda: nowcast(onset, report, now=WHEN[1], when=when, method=method, D=15, n_samples=1000, seed=1,
                               **PRIOR)

    return {
        "farrington": lambda: detect.farrington(counts, periods=periods, b=5, w=3),
        "farringtonFlexible": lambda: detect.farrington_flexible(counts, periods=periods, **NOUFAILY),
        "earsC1": lambda: detect.ears_c1(counts, periods=periods),
        "earsC2": lambda: detect.ears_c2(counts, periods=periods),
        "earsC3": lambda: detect.ears_c3(counts, periods=periods),
        "cusum": lambda: detect.cusum(counts, periods=periods),
        "rki1": lambda: detect.rki1(counts, periods=periods),
        "rki2": lambda: detect.rki2(counts, periods=periods),
        "rki3": lambda: detect.rki3(counts, periods=periods),
        "bayes1": lambda: detect.bayes1(counts, periods=periods),
        "bayes2": lambda: detect.bayes2(counts, periods=periods),
        "bayes3": lambda: detect.bayes3(counts, periods=periods),
        "outbreakP": lambda: detect.outbreakp(counts, periods=periods),
        "glrpois": lambda: detect.glrpois(counts, periods=periods, c_arl=5),
        "glrnb": lambda: detect.glrnb(counts, periods=periods, c_arl=5, alpha=0.5),
        "glrpois.epi": lambda: detect.glrpois(counts, periods=periods, c_arl=5, change="epi"),
        "glrnb.epi": lambda: detect.glrnb(counts, periods=periods, c_arl=5, alpha=0.5, change="epi"),
        "glrnb.alphaNULL": lambda: detect.glrnb(counts, periods=periods, c_arl=5),
        "glrnb.refit": lambda: detect.glrnb(counts, periods=periods, c_arl=5, alpha=0.5, refit=True),
        "glrnb.cases": lambda: detect.glrnb(counts[:, :CASES_SERIES], periods=periods, c_arl=3, alpha=0.5, M=13,
                                            ret="cases"),
        "nowcast.bayes.trunc": nc("bayes.trunc"),
        "nowcast.bayes.notrunc": nc("bayes.notrunc"),
        "nowcast.unif": nc("unif"),
    }


def run_r(tmp: Path) -> dict[str, float]:
    script = tmp / "bench.R"
    script.write_text(R_SCRIPT)
    proc = subprocess.run(["Rscript", str(script), str(DATA), str(tmp), *map(str, RANGE), *WHEN, str(CASES_SERIES)],
                          capture_output=True, text=True, check=True)
    # R's methods print progress of their own; the timings are the lines "<method> <seconds>".
    timed = (line.split()[1:] for line in proc.stdout.splitlines() if line.startswith(TIMED))
    return {name: float(t) for name, t in timed}


def r_output(tmp: Path, name: str) -> tuple[np.ndarray, np.ndarray]:
    with (tmp / f"{name}.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    upper = np.array([float("nan") if r["upper"] in ("", "NA") else float(r["upper"]) for r in rows])
    return upper, np.array([-1 if r["alarm"] in ("", "NA") else int(r["alarm"]) for r in rows])  # -1: R's NA


def agreement(name: str, result, r_upper: np.ndarray, r_alarm: np.ndarray) -> tuple[float, bool]:
    if name.startswith("nowcast."):
        diff = np.abs(result.median - r_upper)
        return float(diff.max()), bool(diff.max() <= (0 if name == "nowcast.unif" else 1))
    upper = np.asarray(np.ma.filled(np.ma.asarray(result.upperbound, dtype=float), np.nan), dtype=float)
    got = upper.T.reshape(-1)  # R writes column by column (series after series)
    same_na = np.isnan(got) == np.isnan(r_upper)
    ok = ~np.isnan(r_upper) & same_na
    rel = float((np.abs(got[ok] - r_upper[ok]) / np.maximum(np.abs(r_upper[ok]), 1e-12)).max()) if ok.any() else 0.0
    if not same_na.all():
        rel = float("inf")
    alarms = np.ma.filled(np.ma.asarray(result.alarm).astype(int), -1).T.reshape(-1)
    return rel, bool((alarms == r_alarm).all())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each Python function (the best is kept)")
    args = parser.parse_args()
    counts = read_counts()
    print(f"salmNewport: {counts.shape[1]} series, weeks {RANGE[0]}..{RANGE[1]}; nowcast: husO104Hosp {WHEN[0]}..{WHEN[1]}")
    figures: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        r_times = run_r(tmp)
        for name, call in python_methods(counts).items():
            best, result = float("inf"), None
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                result = call()
                best = min(best, time.perf_counter() - t0)
            diff, same = agreement(name, result, *r_output(tmp, name))
            figures[name] = {"r_s": round(r_times[name], 4), "yizhan_s": round(best, 4),
                             "ratio_r_over_yizhan": round(r_times[name] / best, 2) if best > 0 else None,
                             "max_rel_diff" if not name.startswith("nowcast.") else "max_median_diff": diff,
                             "agrees": same}
            print(f"{name:24s} R {r_times[name]:8.3f} s   yizhan {best:8.3f} s   ratio {r_times[name] / best:7.1f}x   "
                  f"{'agrees' if same else 'DIFFERS'} (diff {diff:.2e})")
    ok = all(f["agrees"] and (f.get("max_rel_diff", 0) <= 1e-6) for f in figures.values())
    total_r = sum(f["r_s"] for f in figures.values())
    total_y = sum(f["yizhan_s"] for f in figures.values())
    print("outputs agree" if ok else "OUTPUTS DIFFER")
    print(json.dumps({"panel": "salmNewport weeks 300-528 x 16 series; nowcast husO104Hosp", "methods": figures,
                      "total_r_s": round(total_r, 3), "total_yizhan_s": round(total_y, 3),
                      "total_ratio_r_over_yizhan": round(total_r / total_y, 2), "all_agree": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
