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
from yizhan.errors import InvalidInput
from yizhan.org.models import OrgUnit
from yizhan.surveillance.cards import now_or
from yizhan.surveillance.counts import column_of, daily_panel
from yizhan.surveillance.models import DetectionRun, DetectorConfig, Disease, Method, Signal
from yizhan.surveillance.signals import raise_alarm

DAILY = {Method.FIXED: detect.fixed_threshold, Method.MPM: detect.mpm, Method.EARS_C1: detect.ears_c1,
         Method.EARS_C2: detect.ears_c2, Method.EARS_C3: detect.ears_c3}
WEEKLY = {Method.FARRINGTON: detect.farrington}


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
    unit: OrgUnit
    observed: int
    expected: float | None
    threshold: float
    alarm: bool


def evaluate(disease: Disease, method: str, params: dict[str, Any], units: list[OrgUnit], day: date,
             *, columns: dict[int, int] | None = None) -> list[Evaluation]:
    """Run one method over the units' series, evaluating `day` only."""
    first = day - timedelta(days=history_days(method, params))
    counts = daily_panel(disease, units, first, day, columns=columns)
    kwargs = {k: v for k, v in params.items()}
    if method in DAILY:
        fn, freq = DAILY[method], 365
        series = counts
    else:
        fn, freq = WEEKLY[method], 52
        n_blocks = counts.shape[0] // 7
        series = counts[counts.shape[0] - n_blocks * 7:].reshape(n_blocks, 7, -1).sum(axis=1)
    if method == Method.MPM:
        observed = series[-kwargs.get("block", 7):].sum(axis=0)
    else:
        observed = series[-1]
    try:
        result = fn(series, freq=freq, periods=[series.shape[0] - 1], **kwargs)
    except detect.DetectionInputError as exc:
        raise InvalidInput(_("%(d)s 的预警参数不可用：%(e)s") % {"d": disease.name, "e": exc}, field="params",
                           rule="detector_params") from exc
    expected = np.asarray(result.expected).reshape(-1)
    upper = np.asarray(result.upperbound).reshape(-1)
    alarm = np.ma.filled(np.ma.asarray(result.alarm).reshape(-1), False)
    return [Evaluation(unit, int(observed[i]), None if np.isnan(expected[i]) else float(expected[i]),
                       float(upper[i]), bool(alarm[i])) for i, unit in enumerate(units)]


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
    at = now_or(at)
    existing = DetectionRun.objects.filter(day=day).first()
    if existing is not None:
        return existing, False, []
    opened: list[Signal] = []
    series = alarms = 0
    columns_cache: dict[str, dict[int, int]] = {}
    with transaction.atomic():
        run = DetectionRun.objects.create(day=day, ran_at=at)
        for config, units in configured_series():
            if not units:
                continue
            key = ",".join(str(u.pk) for u in units)
            columns = columns_cache.setdefault(key, column_of(units))
            for ev in evaluate(config.disease, config.method, config.params, units, day, columns=columns):
                series += 1
                if ev.alarm:
                    alarms += 1
                    signal, created = raise_alarm(config.disease, ev.unit, config.method, day, ev.observed,
                                                  ev.expected, ev.threshold, at=at)
                    if created:
                        opened.append(signal)
        run.series, run.alarms = series, alarms
        run.save(update_fields=["series", "alarms"])
        record("surveillance.detection.run", run, actor_label=actor_label, at=at, day=day, series=series,
               alarms=alarms, signals=len(opened))
    return run, True, opened
