"""Scheduled detection (`yizhan surveillance detect [--date D]`): for each disease and level of the
tree with a detector configured in the admin, the counts by onset date up to day D go through the
method of `yizhan.detect`; each alarm opens a signal or attaches to one (see `signals.py`).
Idempotent: a day already run is not run again.

Daily methods (fixed threshold, MPM, EARS) see daily counts (MPM compares 7-day blocks, as CIDARS);
Farrington sees consecutive 7-day blocks ending on D, 52 to a year."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan import detect
from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.errors import InvalidInput
from yizhan.org.models import OrgUnit
from yizhan.surveillance.counts import column_of, daily_panel
from yizhan.surveillance.models import DetectionRun, DetectorConfig, Disease, Method, Signal
from yizhan.surveillance.signals import raise_alarm

DAILY: dict[str, Any] = {Method.FIXED: detect.fixed_threshold, Method.MPM: detect.mpm, Method.EARS_C1: detect.ears_c1,
         Method.EARS_C2: detect.ears_c2, Method.EARS_C3: detect.ears_c3}
WEEKLY: dict[str, Any] = {Method.FARRINGTON: detect.farrington}


def history_days(method: str, params: dict[str, Any]) -> int:
    """Days of counts a method needs before the evaluated day."""
    if method == Method.FIXED:
        return 0
    if method == Method.MPM:
        block, neighbours, years = params.get("block", 7), params.get("neighbours", 1), params.get("years", 3)
        return years * 365 + neighbours * block + block - 1
    if method in (Method.EARS_C1, Method.EARS_C2, Method.EARS_C3):
        return params.get("baseline", 7) + 4
    return (params.get("b", 3) * 52 + params.get("w", 3) + 1) * 7 + 6


@dataclass(frozen=True)
class Evaluation:
    day: date
    unit: OrgUnit
    observed: int
    expected: float | None
    threshold: float
    alarm: bool


def evaluate(disease: Disease, method: str, params: dict[str, Any], units: list[OrgUnit], first_day: date,
             last_day: date | None = None, *, columns: dict[int, int] | None = None) -> list[Evaluation]:
    """Run one method over the units' series, evaluating each day from `first_day` to `last_day`
    (default: that day only) from one read of the counts."""
    last_day = last_day or first_day
    days = [first_day + timedelta(days=k) for k in range((last_day - first_day).days + 1)]
    observed, expected, upper, alarm = _grid(disease, method, params, units, first_day, last_day, columns)
    out = []
    for k, day in enumerate(days):
        for i in np.flatnonzero(alarm[k]):
            out.append(Evaluation(day, units[i], int(observed[k, i]),
                                  None if np.isnan(expected[k, i]) else float(expected[k, i]), float(upper[k, i]), True))
    return out


Grid = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _grid(disease: Disease, method: str, params: dict[str, Any], units: list[OrgUnit], first_day: date,
          last_day: date, columns: dict[int, int] | None) -> Grid:
    """(observed, expected, upper bound, alarm), each days × units, for the evaluated days: what the
    method compared (a 7-day block sum for MPM and Farrington, the day's count otherwise)."""
    n_eval = (last_day - first_day).days + 1
    first = first_day - timedelta(days=history_days(method, params))
    counts = daily_panel(disease, units, first, last_day, columns=columns)
    kwargs = dict(params)
    if method not in DAILY:
        # Farrington on 7-day blocks ending on each evaluated day: one block series per day.
        rows = [_weekly(WEEKLY[method], 52, counts, first, first_day + timedelta(days=k), kwargs, disease)
                for k in range(n_eval)]
        return tuple(np.vstack([row[j] for row in rows]) for j in range(4))  # type: ignore[return-value]
    periods = list(range(counts.shape[0] - n_eval, counts.shape[0]))
    if method == Method.MPM:
        block = kwargs.get("block", 7)
        csum = np.vstack([np.zeros((1, counts.shape[1]), dtype=np.int64), np.cumsum(counts, axis=0)])
        observed = np.stack([csum[t + 1] - csum[t + 1 - block] for t in periods])
    else:
        observed = counts[periods]
    result = _run(DAILY[method], counts, 365, periods, kwargs, disease)
    return _arrays(result, observed, (n_eval, len(units)))


def _run(fn, series: np.ndarray, freq: int, periods: list[int], kwargs: dict[str, Any], disease: Disease):
    try:
        return fn(series, freq=freq, periods=periods, **kwargs)
    except detect.DetectionInputError as exc:
        raise InvalidInput(_("%(d)s 的预警参数不可用：%(e)s") % {"d": disease.name, "e": exc}, field="params",
                           rule="detector_params") from exc


def _weekly(fn, freq, counts, first: date, day: date, kwargs, disease) -> Grid:
    upto = counts[: (day - first).days + 1]
    n_blocks = upto.shape[0] // 7
    series = upto[upto.shape[0] - n_blocks * 7:].reshape(n_blocks, 7, -1).sum(axis=1)
    result = _run(fn, series, freq, [series.shape[0] - 1], kwargs, disease)
    return _arrays(result, series[-1:], (1, series.shape[1]))


def _arrays(result, observed: np.ndarray, shape: tuple[int, int]) -> Grid:
    expected = np.asarray(result.expected, dtype=float).reshape(shape)
    upper = np.asarray(result.upperbound, dtype=float).reshape(shape)
    alarm = np.ma.filled(np.ma.asarray(result.alarm).reshape(shape), False)
    return np.asarray(observed).reshape(shape), expected, upper, alarm


def config_for(disease: Disease, unit: OrgUnit) -> DetectorConfig | None:
    """The detector watching `unit` for `disease`: the unit's own setting, else its level's."""
    active = DetectorConfig.objects.filter(disease=disease, active=True).exclude(method=Method.NONE)
    return active.filter(unit=unit).first() or active.filter(unit=None, level=unit.kind).first()


@dataclass(frozen=True)
class Curve:
    """An epidemic curve of a disease at a unit by onset date, with what its detector compared each
    day (`observed`) against its upper bound; all None where no detector watches the unit."""

    days: list[date]
    counts: list[int]
    method: str | None
    observed: list[int] | None
    upper: list[float | None] | None
    alarms: list[bool] | None


def curve(disease: Disease, unit: OrgUnit, first: date, last: date) -> Curve:
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    counts = [int(n) for n in daily_panel(disease, [unit], first, last)[:, 0]]
    config = config_for(disease, unit)
    if config is None:
        return Curve(days, counts, None, None, None, None)
    observed, _expected, upper, alarm = _grid(disease, config.method, config.params, [unit], first, last, None)
    return Curve(days, counts, config.method, [int(v) for v in observed[:, 0]],
                 [None if np.isnan(v) else round(float(v), 2) for v in upper[:, 0]], [bool(a) for a in alarm[:, 0]])


def configured_series() -> list[tuple[DetectorConfig, list[OrgUnit]]]:
    """Each active detector with the units it watches: a unit's own setting replaces its level's."""
    configs = list(DetectorConfig.objects.filter(active=True, disease__active=True).select_related("disease", "unit")
                   .exclude(method=Method.NONE))
    overridden = {(c.disease_id, c.unit_id) for c in configs if c.unit_id}
    by_kind: dict[str, list[OrgUnit]] = {}
    out = []
    for config in configs:
        if config.unit_id:
            out.append((config, [config.unit]))
            continue
        units = by_kind.setdefault(config.level, list(OrgUnit.objects.filter(kind=config.level, active=True)
                                                      .order_by("path")))
        out.append((config, [u for u in units if (config.disease_id, u.pk) not in overridden]))
    return out


def run_detection(day: date, *, at: datetime | None = None, actor_label: str = "detect") -> tuple[DetectionRun, bool, list[Signal]]:
    """Run every detector for `day`. Returns (run, ran now, signals opened now); a day already run
    returns its run, False and no signals."""
    runs = run_detection_range(day, day, at=at, actor_label=actor_label)
    if runs:
        return runs[0]
    return DetectionRun.objects.get(day=day), False, []


def run_detection_range(first: date, last: date, *, at: datetime | None = None, actor_label: str = "detect",
                        at_of: Any = None) -> list[tuple[DetectionRun, bool, list[Signal]]]:
    """Run the days first..last not run yet, in order, each as if run on its own (signals of an
    earlier day are open when a later day's alarms arrive), reading each series once.
    `at_of(day)`: when each day's run is recorded (default `at`)."""
    at = resolve_at(at)
    done = set(DetectionRun.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True))
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    days = [d for d in days if d not in done]
    if not days:
        return []
    by_day: dict[date, list[tuple[DetectorConfig, Evaluation]]] = {d: [] for d in days}
    series = 0
    columns_cache: dict[str, dict[int, int]] = {}
    for config, units in configured_series():
        if not units:
            continue
        key = ",".join(str(u.pk) for u in units)
        columns = columns_cache.setdefault(key, column_of(units))
        series += len(units)
        for ev in evaluate(config.disease, config.method, config.params, units, days[0], days[-1], columns=columns):
            if ev.day in by_day:
                by_day[ev.day].append((config, ev))
    out = []
    for day in days:
        when = at_of(day) if at_of else at
        opened: list[Signal] = []
        with transaction.atomic():
            run = DetectionRun.objects.create(day=day, ran_at=when, series=series, alarms=len(by_day[day]))
            for config, ev in by_day[day]:
                signal, created = raise_alarm(config.disease, ev.unit, config.method, day, ev.observed,
                                              ev.expected, ev.threshold, at=when)
                if created:
                    opened.append(signal)
            record("surveillance.detection.run", run, actor_label=actor_label, at=when, day=day, series=series,
                   alarms=run.alarms, signals=len(opened))
        out.append((run, True, opened))
    return out
