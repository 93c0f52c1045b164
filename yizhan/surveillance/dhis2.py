"""Aggregate counts in DHIS2's dataValueSets JSON (Web API /api/dataValueSets, idScheme=code):

    {"dataValues": [{"dataElement": "A03", "period": "2024W03", "orgUnit": "440783101", "value": "4"}]}

`dataElement` is the disease code, `period` a DHIS2 period (day 20240115, ISO week 2024W03, month
202401), `orgUnit` a unit code, `value` a whole number of cases. The answer is DHIS2's import summary:
`status`, `importCount` {imported, updated, ignored, deleted} and `conflicts` [{object, value}] naming
each ignored value and why. importStrategy CREATE_AND_UPDATE (default), CREATE, UPDATE or DELETE;
dryRun checks and counts without writing. atomicMode ALL (default) writes nothing when any value
conflicts — bad input is refused whole; NONE imports the good values and ignores the others."""

import re
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate

from yizhan.audit.log import record
from yizhan.calendar.workdays import local_tz
from yizhan.org.models import OrgUnit
from yizhan.surveillance.models import AggregateCount, CardState, CaseCard, Disease, PeriodType
from yizhan.surveillance.quality import day_bounds

STRATEGIES = ("CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE")
ATOMIC_MODES = ("ALL", "NONE")
_DAY, _WEEK, _MONTH = re.compile(r"^(\d{4})(\d{2})(\d{2})$"), re.compile(r"^(\d{4})W(\d{1,2})$"), re.compile(r"^(\d{4})(\d{2})$")


def parse_period(text: str) -> tuple[str, date]:
    """(period type, first day) of a DHIS2 period; ValueError when it is none."""
    if m := _DAY.match(text):
        return PeriodType.DAY, date(int(m[1]), int(m[2]), int(m[3]))
    if m := _WEEK.match(text):
        return PeriodType.WEEK, date.fromisocalendar(int(m[1]), int(m[2]), 1)
    if m := _MONTH.match(text):
        return PeriodType.MONTH, date(int(m[1]), int(m[2]), 1)
    raise ValueError(text)


def format_period(period_type: str, day: date) -> str:
    if period_type == PeriodType.DAY:
        return day.strftime("%Y%m%d")
    if period_type == PeriodType.WEEK:
        year, week, _weekday = day.isocalendar()
        return f"{year}W{week:02d}"
    return day.strftime("%Y%m")


def summary(imported: int = 0, updated: int = 0, ignored: int = 0, deleted: int = 0,
            conflicts: list[dict[str, str]] | None = None, *, dry_run: bool, strategy: str,
            error: str = "") -> dict[str, Any]:
    conflicts = conflicts or []
    status = "ERROR" if error or (conflicts and not (imported or updated or deleted)) else (
        "WARNING" if conflicts else "SUCCESS")
    out = {"responseType": "ImportSummary", "status": status,
           "importOptions": {"idSchemes": {"idScheme": "CODE"}, "dryRun": dry_run, "importStrategy": strategy},
           "importCount": {"imported": imported, "updated": updated, "ignored": ignored, "deleted": deleted},
           "conflicts": conflicts}
    if error:
        out["description"] = error
    return out


def import_data_value_set(payload: Any, *, dry_run: bool = False, strategy: str = "CREATE_AND_UPDATE",
                          atomic_mode: str = "ALL", units_in_scope=None, actor: Any = None,
                          actor_label: str = "dhis2") -> dict[str, Any]:
    """Import the payload and answer DHIS2's import summary (never raises for bad values).
    `units_in_scope`: the units the caller may write for (default all); others are not accessible."""
    if strategy not in STRATEGIES:
        return summary(dry_run=dry_run, strategy=strategy, error=f"importStrategy must be one of {', '.join(STRATEGIES)}")
    if atomic_mode not in ATOMIC_MODES:
        return summary(dry_run=dry_run, strategy=strategy, error="atomicMode must be ALL or NONE")
    values = payload.get("dataValues") if isinstance(payload, dict) else None
    if not isinstance(values, list):
        return summary(dry_run=dry_run, strategy=strategy, error="the payload must be an object with a dataValues list")
    defaults = {k: payload.get(k) for k in ("period", "orgUnit", "dataElement") if isinstance(payload.get(k), str)}
    diseases = {d.code: d for d in Disease.objects.all()}
    wanted_units = {str(v.get("orgUnit", defaults.get("orgUnit", ""))) for v in values if isinstance(v, dict)}
    units = {u.code: u for u in (units_in_scope if units_in_scope is not None else OrgUnit.objects.all()).filter(
        code__in=wanted_units)}
    conflicts: list[dict[str, str]] = []
    good: dict[tuple[int, int, str], tuple[Disease, OrgUnit, str, str, date, int]] = {}
    for i, raw in enumerate(values):
        if not isinstance(raw, dict):
            conflicts.append({"object": f"dataValues[{i}]", "value": "Data value must be an object"})
            continue
        v = {**defaults, **{k: str(x) for k, x in raw.items() if x is not None}}
        element, unit_code, period = v.get("dataElement", ""), v.get("orgUnit", ""), v.get("period", "")
        disease, unit = diseases.get(element), units.get(unit_code)
        if disease is None:
            conflicts.append({"object": element, "value": "Data element not found or not accessible"})
            continue
        if unit is None:
            conflicts.append({"object": unit_code, "value": "Organisation unit not found or not accessible"})
            continue
        try:
            period_type, start = parse_period(period)
        except ValueError:
            conflicts.append({"object": period, "value": "Period not valid"})
            continue
        text = v.get("value", "")
        if strategy != "DELETE":
            if not re.fullmatch(r"\d+", text.strip()):
                why = "Value must be zero or positive integer" if re.fullmatch(r"-\d+", text.strip()) else (
                    "Value must be a whole number of cases")
                conflicts.append({"object": f"{element}/{unit_code}/{period}", "value": f"{why}: {text}"})
                continue
        key = (disease.pk, unit.pk, period)
        if key in good:
            conflicts.append({"object": f"{element}/{unit_code}/{period}", "value": "Duplicate data value in payload"})
            continue
        good[key] = (disease, unit, period, period_type, start, int(text) if strategy != "DELETE" else 0)
    ignored = len(values) - len(good)
    if conflicts and atomic_mode == "ALL":
        return summary(ignored=len(values), conflicts=conflicts, dry_run=dry_run, strategy=strategy)
    existing = {(a.disease_id, a.unit_id, a.period): a for a in AggregateCount.objects.filter(
        disease_id__in={k[0] for k in good}, unit_id__in={k[1] for k in good}, period__in={k[2] for k in good})}
    create, update, delete = [], [], []
    for key, (disease, unit, period, period_type, start, value) in good.items():
        row = existing.get(key)
        name = f"{disease.code}/{unit.code}/{period}"
        if strategy == "DELETE":
            if row is None:
                conflicts.append({"object": name, "value": "Data value to delete not found"})
            else:
                delete.append(row)
        elif row is None:
            if strategy == "UPDATE":
                conflicts.append({"object": name, "value": "Data value not found"})
                continue
            create.append(AggregateCount(disease=disease, unit=unit, period=period, period_type=period_type,
                                         start=start, value=value))
        elif strategy == "CREATE":
            conflicts.append({"object": name, "value": "Data value already exists"})
        elif row.value != value:
            row.value = value
            update.append(row)
    ignored = len(values) - len(create) - len(update) - len(delete)
    if not dry_run and (create or update or delete):
        with transaction.atomic():
            AggregateCount.objects.bulk_create(create, batch_size=5000)
            AggregateCount.objects.bulk_update(update, ["value"], batch_size=5000)
            AggregateCount.objects.filter(pk__in=[r.pk for r in delete]).delete()
            record("surveillance.dhis2.imported", ("surveillance.aggregatecount", "dataValueSets"), actor=actor,
                   actor_label=actor_label, imported=len(create), updated=len(update), deleted=len(delete),
                   ignored=ignored)
    return summary(len(create), len(update), ignored, len(delete), conflicts, dry_run=dry_run, strategy=strategy)


def export_data_value_set(first: date, last: date, *, period_type: str = PeriodType.WEEK, cards=None,
                          aggregates=None) -> dict[str, Any]:
    """Official counts (reviewed cards by final-review date, per reporting unit) plus the imported
    aggregates of that period type, as a dataValueSets payload."""
    if period_type not in PeriodType.values:
        raise ValueError(period_type)
    totals: dict[tuple[str, str, str], int] = {}
    start, end = day_bounds(first, last)
    qs = (cards if cards is not None else CaseCard.objects.all()).filter(
        state=CardState.REVIEWED, reviewed_at__gte=start, reviewed_at__lt=end)
    for code, unit, day, n in qs.annotate(day=TruncDate("reviewed_at", tzinfo=local_tz())).values_list(
            "disease__code", "reporting_unit__code", "day").annotate(n=Count("pk")).values_list(
            "disease__code", "reporting_unit__code", "day", "n"):
        key = (code, unit, format_period(period_type, day))
        totals[key] = totals.get(key, 0) + n
    agg = (aggregates if aggregates is not None else AggregateCount.objects.all()).filter(
        period_type=period_type, start__gte=first - timedelta(days=31), start__lte=last)
    for code, unit, period, value in agg.values_list("disease__code", "unit__code", "period", "value"):
        _ptype, begin = parse_period(period)
        if begin >= first - timedelta(days=begin.weekday() if period_type == PeriodType.WEEK else 0) and begin <= last:
            totals[(code, unit, period)] = totals.get((code, unit, period), 0) + value
    return {"dataValues": [{"dataElement": c, "period": p, "orgUnit": u, "value": str(n)}
                           for (c, u, p), n in sorted(totals.items())]}
