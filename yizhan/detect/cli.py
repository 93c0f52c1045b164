"""`yizhan detect METHOD INPUT.csv [--output OUT.csv] [--freq N] [--range A:B] [options]`.

Runs one detection method over every series of a CSV panel (see panel_csv for the formats) and
writes period,series,count,expected,upperbound,alarm for the evaluated periods. Options keep the
names of R's surveillance package in kebab case. Exit status: 0 done, 2 bad input or options
(one line on stderr naming the option or the line of the file).

Loads no Django: other tools call this command cheaply. Each method's module is imported only
when it runs.

BLAS runs on one thread here. The methods batch many small fits into products of a few million
multiply-adds, where a multi-threaded BLAS spends more on waking and synchronising its threads than
it gains, and loses badly when other processes share the cores: on two busy cores the Farrington
benchmark panel took 4.8 s with OpenBLAS's default threads against 2.0 s with one. The package's
own import has already loaded numpy, so the environment variable is too late; threadpoolctl sets
the limit on the loaded library.
"""

import argparse
import contextlib
import importlib
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from threadpoolctl import threadpool_limits

from yizhan.detect.errors import DetectionInputError
from yizhan.detect.panel_csv import read_panel, write_result

PROG = "yizhan detect"


class UsageError(Exception):
    """A bad command line; carries the one-line message."""


class _Parser(argparse.ArgumentParser):
    # argparse prints the usage and exits; we want one line on stderr and exit status 2.
    def error(self, message: str):
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def _limit54(text: str) -> tuple[int, int]:
    parts = text.split(",")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"{text!r} is not CASES,PERIODS (e.g. 5,4)")
    return _whole(parts[0]), _whole(parts[1])


def _mean_or_glm(text: str) -> float | str:
    return "glm" if text == "glm" else _number(text)


def _range(text: str) -> tuple[str, str]:
    a, sep, b = text.partition(":")
    if not sep or not a.strip() or not b.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not FROM:TO (two periods written as in the input)")
    return a.strip(), b.strip()


@dataclass(frozen=True)
class Option:
    flag: str
    kind: Callable | str  # a converter, "bool" for --x/--no-x, or a tuple of choices
    help: str
    choices: tuple[str, ...] | None = None

    @property
    def dest(self) -> str:
        return self.flag.removeprefix("--").replace("-", "_")


ALPHA_EARS = Option("--alpha", _number, "false alarm probability: the bound is mean + z(1-alpha)*sd "
                    "(default 0.001 for C1 and C2, 0.025 for C3)")
EARS = (
    ALPHA_EARS,
    Option("--baseline", _whole, "number of past periods in the baseline (default 7, at least 3)"),
    Option("--min-sigma", _number, "smallest standard deviation used (default 0)"),
)
FARRINGTON_COMMON = (
    Option("--b", _whole, "number of past years in the reference values (default 5)"),
    Option("--w", _whole, "half-width of the window of reference periods around each past year's period (default 3)"),
    Option("--alpha", _number, "significance level of the prediction interval that gives the bound (default 0.05)"),
    Option("--reweight", "bool", "down-weight past outbreaks in the reference values (default: on)"),
    Option("--trend", "bool", "fit a time trend when significant (default: on)"),
    Option("--limit54", _limit54, "no alarm unless CASES cases in the last PERIODS periods, as CASES,PERIODS "
           "(default 5,4)"),
    Option("--powertrans", str, "power transformation of the prediction interval (default 2/3)",
           ("2/3", "1/2", "none")),
)
FLEXIBLE = (
    Option("--weights-threshold", _number, "Anscombe residual above which a reference value is down-weighted "
           "(default 2.58)"),
    Option("--p-threshold-trend", _number, "p-value below which the trend is kept (default 0.05)"),
    Option("--threshold-method", str, "how the bound is computed (default delta)", ("delta", "nbPlugin", "muan")),
    Option("--no-periods", _whole, "number of levels of the seasonal factor (default 1: none)"),
    Option("--past-weeks-not-included", _whole, "most recent periods left out of the fit (default: w)"),
    Option("--population-offset", "bool", "use the population column as an offset (default: off)"),
)
CUSUM = (
    Option("--k", _number, "reference value subtracted at each period (default 1.04)"),
    Option("--h", _number, "decision interval: alarm when the sum reaches h (default 2.26)"),
    Option("--m", _mean_or_glm, "in-control mean: a number, or glm for a seasonal Poisson fit to the history "
           "(default: mean of the periods before the first evaluated one)"),
    Option("--trans", str, "transformation of the counts (default standard)",
           ("standard", "rossi", "anscombe", "anscombe2nd", "pearsonNegBin", "anscombeNegBin", "none")),
    Option("--alpha", _number, "dispersion of the negative binomial transformations (default 0.1)"),
    Option("--reset", "bool", "restart the sum from 0 after each alarm (default: off, as R)"),
)
MPM = (
    Option("--block", _whole, "periods in a block (default 7 for daily data, otherwise 1)"),
    Option("--neighbours", _whole, "neighbouring blocks on each side of the same block in past years (default 1)"),
    Option("--years", _whole, "past years in the baseline (default 3)"),
    Option("--percentile", _number, "percentile of the past blocks used as the bound, 50-95 in CIDARS (default 80)"),
)


RKI_COMMON = (
    Option("--b", _whole, "number of past years in the reference values (R's b)"),
    Option("--w", _whole, "half-width of each past year's window; with --act-y also the number of periods just "
           "before (R's w)"),
    Option("--act-y", "bool", "include the w periods just before the evaluated one (R's actY)"),
)
RKI = tuple(Option(o.flag, o.kind, o.help + {"--b": " (default 2)", "--w": " (default 4)",
                                             "--act-y": " (default: off)"}[o.flag]) for o in RKI_COMMON)
BAYES = tuple(Option(o.flag, o.kind, o.help + {"--b": " (default 0)", "--w": " (default 6)",
                                               "--act-y": " (default: on)"}[o.flag]) for o in RKI_COMMON) + (
    Option("--alpha", _number, "the bound is the 1-alpha quantile of the predictive distribution (default 0.05)"),
)
ALPHA_ONLY = (BAYES[-1],)
OUTBREAKP = (
    Option("--k", _number, "alarm when the likelihood-ratio statistic exceeds k (default 100)"),
    Option("--ret", str, "what upperbound holds: the statistic (value, default) or the count needed for an alarm "
           "(cases)", ("value", "cases")),
    Option("--max-upperbound-cases", _whole, "largest count tried for ret=cases (default 100000)"),
)


GLR = (
    Option("--c-arl", _number, "alarm when the GLR statistic reaches this (R's c.ARL, default 5)"),
    Option("--change", str, "the chart: a change in the intercept (default) or the epidemic chart, mean "
           "mu0 + lambda x[t-1] (epi)", ("intercept", "epi")),
    Option("--M", _whole, "window: change times at most M periods back, -1 for no limit (default -1)"),
    Option("--Mtilde", _whole, "observations needed after a change time (default 1)"),
    Option("--theta", _number, "known change in the intercept: the LR CUSUM instead of the GLR (default: estimated)"),
    Option("--dir", str, "direction of the change (default inc; epi: inc only)", ("inc", "dec")),
    Option("--ret", str, "what upperbound holds: the statistic (value, default) or the count needed for an alarm "
           "(cases; intercept chart only)", ("value", "cases")),
    Option("--S", _whole, "harmonics of the in-control GLM fitted to the periods before --range (R's mu0$S, "
           "default 1)"),
    Option("--trend", "bool", "time trend in the in-control GLM (R's mu0$trend, default: off)"),
    Option("--refit", "bool", "refit the in-control GLM up to each alarm before restarting (R's mu0$refit, "
           "default: off)"),
)
GLRNB = (Option("--alpha", _number, "negative binomial dispersion (variance mu + alpha mu^2); default: "
                "estimated by MASS::glm.nb on the periods before --range (R's alpha = NULL)"),) + GLR + (
    Option("--x-max", _whole, "largest count tried for --ret cases (R's xMax, default 10000)"),
)


@dataclass(frozen=True)
class Method:
    module: str
    function: str
    summary: str
    options: tuple[Option, ...]


METHODS = {
    "ears-c1": Method("yizhan.detect.ears", "ears_c1", "EARS C1: the last `baseline` periods (R's earsC)", EARS),
    "ears-c2": Method("yizhan.detect.ears", "ears_c2", "EARS C2: C1 with a 2-period guard band (R's earsC)", EARS),
    "ears-c3": Method("yizhan.detect.ears", "ears_c3", "EARS C3: C2 summed over 3 periods (R's earsC)", EARS),
    "farrington": Method("yizhan.detect.farrington", "farrington", "Farrington et al. 1996 (R's farrington)",
                         FARRINGTON_COMMON),
    "farrington-flexible": Method("yizhan.detect.farrington_flexible", "farrington_flexible",
                                  "Noufaily et al. 2013 (R's farringtonFlexible)", FARRINGTON_COMMON + FLEXIBLE),
    "cusum": Method("yizhan.detect.cusum", "cusum", "CUSUM for counts (R's cusum)", CUSUM),
    "mpm": Method("yizhan.detect.mpm", "mpm", "CIDARS moving percentile method", MPM),
    "rki": Method("yizhan.detect.rki", "rki", "Robert Koch Institute method (R's algo.rki)", RKI),
    "rki1": Method("yizhan.detect.rki", "rki1", "R's algo.rki1: rki with b=0, w=6, act-y", ()),
    "rki2": Method("yizhan.detect.rki", "rki2", "R's algo.rki2: rki with b=1, w=6, act-y", ()),
    "rki3": Method("yizhan.detect.rki", "rki3", "R's algo.rki3: rki with b=2, w=4, no act-y", ()),
    "bayes": Method("yizhan.detect.bayes", "bayes", "Bayes system (R's algo.bayes)", BAYES),
    "bayes1": Method("yizhan.detect.bayes", "bayes1", "R's algo.bayes1: bayes with b=0, w=6, act-y", ALPHA_ONLY),
    "bayes2": Method("yizhan.detect.bayes", "bayes2", "R's algo.bayes2: bayes with b=1, w=6, act-y", ALPHA_ONLY),
    "bayes3": Method("yizhan.detect.bayes", "bayes3", "R's algo.bayes3: bayes with b=2, w=4, no act-y", ALPHA_ONLY),
    "outbreakP": Method("yizhan.detect.outbreakp", "outbreakp", "Frisen's outbreakP (R's algo.outbreakP)", OUTBREAKP),
    "glrpois": Method("yizhan.detect.glr", "glrpois", "Poisson GLR CUSUM, intercept or epidemic chart "
                      "(R's glrpois)", GLR),
    "glrnb": Method("yizhan.detect.glr", "glrnb", "negative binomial GLR CUSUM, intercept or epidemic chart "
                    "(R's glrnb)", GLRNB),
    "fixed": Method("yizhan.detect.fixed", "fixed_threshold", "alarm when a period's count reaches a threshold",
                    (Option("--threshold", _whole, "count that raises an alarm (default 1)"),)),
}

DESCRIPTION = """\
Outbreak detection over a CSV of counts.

INPUT.csv has the columns period,series,count (and optionally population): one row per period
and series, periods numbered consecutively or written as dates: YYYY-MM-DD (the first day of the
period), ISO weeks YYYY-Www or months YYYY-MM, one day, week or month apart (the frequency follows
from the step). The result has the columns period,series,count,expected,upperbound,alarm for the
evaluated periods (periods as the input wrote them), then the method's diagnostics if it keeps
any; an empty field means "not available" (R's NA), alarm is 1 or 0. For mpm, expected and
upperbound refer to the total of the block ending at the period.

`yizhan detect METHOD --help` lists the options of a method. `yizhan detect nowcast` corrects
counts by onset date for reporting delays from a line list (`yizhan detect nowcast --help`).
"""


# command-line names whose Python keyword differs (R's dir is a Python built-in)
PYTHON_NAME = {"dir": "direction"}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    methods = parser.add_subparsers(dest="method", metavar="METHOD", required=True, parser_class=_Parser)
    for name, method in METHODS.items():
        sub = methods.add_parser(name, help=method.summary, description=method.summary,
                                 argument_default=argparse.SUPPRESS)
        sub.add_argument("input", metavar="INPUT.csv", help="the counts (columns period,series,count[,population])")
        sub.add_argument("--output", metavar="OUT.csv", help="write the result here (default: standard output)")
        sub.add_argument("--freq", type=_whole, help="periods per year: 52 weekly (default), 12 monthly, 365 daily; "
                         "with dated periods it follows from their step")
        sub.add_argument("--range", type=_range, metavar="FROM:TO",
                         help="evaluate only periods FROM to TO (inclusive, written as in the period column; "
                              "default: every period with enough history)")
        for option in method.options:
            if option.kind == "bool":
                sub.add_argument(option.flag, action=argparse.BooleanOptionalAction, help=option.help)
            else:
                sub.add_argument(option.flag, type=option.kind, choices=option.choices, help=option.help,
                                 metavar=None if option.choices else option.dest.upper())
    return parser


def _detect(args: argparse.Namespace):
    method = METHODS[args.method]
    options = {PYTHON_NAME.get(o.dest, o.dest): getattr(args, o.dest) for o in method.options if hasattr(args, o.dest)}
    freq = getattr(args, "freq", None)
    if freq is not None and freq < 1:
        raise DetectionInputError(f"--freq: {freq} is not allowed; it must be 1 or more periods per year")
    try:
        with open(args.input, newline="", encoding="utf-8-sig") as stream:
            panel = read_panel(stream, args.input)
    except OSError as exc:
        raise DetectionInputError(f"{args.input}: cannot read the file ({exc.strerror})") from None
    periods = None
    if hasattr(args, "range"):
        first, last = args.range
        what = f"--range {first}:{last}"
        a, b = panel.position(first, what), panel.position(last, what)
        if b < a:
            raise DetectionInputError(f"{what}: {last} comes before {first}")
        periods = range(a, b + 1)
    if panel.epochs is not None:
        options["index"] = panel.epochs.days
    elif freq is None:
        freq = 52
    if args.method == "farrington-flexible" and options.get("population_offset"):
        if panel.population is None:
            raise DetectionInputError("--population-offset: the input has no population column")
        options["population"] = panel.population
    function = getattr(importlib.import_module(method.module), method.function)
    try:
        result = function(panel.counts, freq=freq, periods=periods, **options)
    except DetectionInputError as exc:
        # Name options as they are written on the command line.
        message = str(exc)
        for option in method.options:
            name = PYTHON_NAME.get(option.dest, option.dest)
            if message.startswith(f"{name}:"):
                message = option.flag + message[len(name):]
        if message.startswith("periods:"):
            message = ("--range" if periods is not None else args.input) + message[len("periods"):]
        if message.startswith("freq:"):
            message = "--freq" + message[len("freq"):]
        raise DetectionInputError(message) from None
    return panel, result


def _write(path: str | None, panel, result) -> None:
    if path is None:
        write_result(sys.stdout, panel, result)
        return
    # Write beside the target and rename, so a failed run never leaves half a file.
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".detect-", suffix=".csv")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as stream:
            write_result(stream, panel, result)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _one_blas_thread() -> contextlib.AbstractContextManager:
    return threadpool_limits(limits=1, user_api="blas")


def main(argv: list[str]) -> int:
    """Run `yizhan detect` with `argv` (the words after `detect`); return the exit status."""
    try:
        if argv[:1] == ["nowcast"]:
            # A line list, not a count panel: its own parser (yizhan.detect.nowcast_cli). Imported here:
            # the nowcast's statsmodels adds about 1 s (python -X importtime) to every other method.
            from yizhan.detect import nowcast_cli  # noqa: PLC0415

            try:
                args = nowcast_cli.build_parser(_Parser).parse_args(argv[1:])
            except SystemExit as done:
                return int(done.code or 0)
            nowcast_cli.run(args)
            return 0
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as done:  # --help
            return int(done.code or 0)
        with _one_blas_thread():
            panel, result = _detect(args)
        _write(getattr(args, "output", None), panel, result)
    except (UsageError, DetectionInputError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, and keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        print(f"{PROG}: error: cannot write {exc.filename or 'the output'} ({exc.strerror})", file=sys.stderr)
        return 2
    return 0
