"""`yizhan detect nowcast LINELIST.csv --now DATE --when FROM:TO [options]`.

LINELIST.csv has one row per case with its onset and report dates (columns `onset` and `report`,
or those named by --onset-col/--report-col; YYYY-MM-DD; a row missing either is dropped, as R
does). The output has date,method,reported,median,lower,upper for every date of --when: reported
is the count by onset reported by --now, median and lower/upper R's nowcast upperbound and pi.
Options are R's nowcast names (see yizhan.detect.nowcast). Exit status 0, or 2 with one line on
stderr naming the option or the line of the file."""

import argparse
import csv
import sys

import numpy as np

from yizhan.detect.errors import DetectionInputError
from yizhan.detect.nowcast import AGGREGATIONS, METHODS, nowcast

PROG = "yizhan detect nowcast"
# Python option names as the command line writes them, for error messages.
FLAGS = {"now": "--now", "when": "--when", "method": "--method", "D": "--D", "m": "--m",
         "aggregate_by": "--aggregate-by", "N_tInf_max": "--N-tInf-max", "mean_lambda": "--mean-lambda",
         "var_lambda": "--var-lambda", "gd_prior_kappa": "--gd-prior-kappa", "alpha": "--alpha",
         "n_samples": "--n-samples"}


def build_parser(parser_class: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = parser_class(prog=PROG, description=__doc__.split("\n\n", 1)[1],
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", metavar="LINELIST.csv")
    p.add_argument("--now", required=True, help="the day of the nowcast (YYYY-MM-DD)")
    p.add_argument("--when", required=True, metavar="FROM:TO", help="the onset dates to nowcast, inclusive")
    p.add_argument("--method", choices=METHODS, default="bayes.notrunc")
    p.add_argument("--D", type=int, default=15, help="longest delay modelled (R: D, default 15)")
    p.add_argument("--m", type=int, default=None, help="moving window of the delay estimate (R: m; default all)")
    p.add_argument("--aggregate-by", choices=tuple(AGGREGATIONS), default="1 day")
    p.add_argument("--N-tInf-max", dest="N_tInf_max", type=int, default=300,
                   help="largest eventual count considered (R: control$N.tInf.max, default 300)")
    p.add_argument("--mean-lambda", type=float, help="poisgamma prior mean (R: mean.lambda), bayes methods")
    p.add_argument("--var-lambda", type=float, help="poisgamma prior variance (R: var.lambda), bayes methods")
    p.add_argument("--gd-prior-kappa", type=float, default=0.1, help="R: control$gd.prior.kappa (default 0.1)")
    p.add_argument("--alpha", type=float, default=0.05, help="level of the interval (default 0.05)")
    p.add_argument("--n-samples", type=int, default=1000, help="draws of the delay distribution (R: nSamples)")
    p.add_argument("--seed", type=int, default=None, help="makes a bayes run repeatable")
    p.add_argument("--onset-col", default="onset")
    p.add_argument("--report-col", default="report")
    return p


def _read(path: str, onset_col: str, report_col: str) -> tuple[list[str], list[str]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as stream:
            reader = csv.DictReader(stream)
            for column in (onset_col, report_col):
                if column not in (reader.fieldnames or []):
                    raise DetectionInputError(f"{path}: no column {column!r} (see --onset-col/--report-col)")
            rows = list(reader)
    except OSError as exc:
        raise DetectionInputError(f"{path}: cannot read the file ({exc.strerror})") from None
    return [r[onset_col].strip() for r in rows], [r[report_col].strip() for r in rows]


def run(args: argparse.Namespace) -> None:
    first, sep, last = args.when.partition(":")
    if not sep:
        raise DetectionInputError(f"--when: {args.when!r} is not FROM:TO")
    step = AGGREGATIONS[args.aggregate_by]
    try:
        when = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1, step)
    except ValueError:
        raise DetectionInputError(f"--when: {args.when!r} is not FROM:TO with dates YYYY-MM-DD") from None
    onset, report = _read(args.input, args.onset_col, args.report_col)
    try:
        result = nowcast(onset, report, now=args.now, when=when, method=args.method, D=args.D, m=args.m,
                         aggregate_by=args.aggregate_by, N_tInf_max=args.N_tInf_max, mean_lambda=args.mean_lambda,
                         var_lambda=args.var_lambda, gd_prior_kappa=args.gd_prior_kappa, alpha=args.alpha,
                         n_samples=args.n_samples, seed=args.seed)
    except DetectionInputError as exc:
        message = str(exc)
        if message.startswith(("onset:", "report:")):
            message = f"{args.input}: {message.replace('row ', 'line ', 1)}"
        for name, flag in FLAGS.items():
            if message.startswith(f"{name}:") or message.startswith(f"{name},"):
                message = flag + message[len(name):]
                break
        raise DetectionInputError(message) from None
    reported = dict(zip(result.dates.tolist(), result.reported.tolist(), strict=True))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["date", "method", "reported", "median", "lower", "upper"])
    for i, day in enumerate(result.when.tolist()):
        out.writerow([day.isoformat(), result.method, reported[day], result.median[i], result.lower[i],
                      result.upper[i]])
