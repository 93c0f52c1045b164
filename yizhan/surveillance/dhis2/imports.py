"""Importing DHIS2 dataValueSets (idScheme=code): `dataElement` is a disease code, `orgUnit` a unit code,
`period` any DHIS2 period (stored in DHIS2's canonical form, so `2024W05` and `2024W5` are one week),
`categoryOptionCombo` and `attributeOptionCombo` codes of `OptionCombo` (absent: `default`), `value` a
whole number of cases. JSON as DHIS2 sends it (set-level `period`, `orgUnit`, `dataElement` and
`attributeOptionCombo` apply to every value that lacks its own) or CSV in DHIS2's column order
(dataelement, period, orgunit, catoptcombo, attroptcombo, value, storedby, lastupdated, comment,
followup; the first row is the header, as DHIS2 reads it). importStrategy CREATE_AND_UPDATE (default),
CREATE, UPDATE or DELETE; dryRun checks and counts without writing; atomicMode ALL (default) writes
nothing when any value conflicts, NONE imports the good values. The answer is the ImportSummary
(webmessage.py); nothing raises for bad values."""

import csv
import io
import re
from typing import Any

from django.db import transaction

from yizhan.audit.log import record
from yizhan.org.models import OrgUnit, Role
from yizhan.org.scope import require_holds, units
from yizhan.surveillance.dhis2.periods import PeriodError, parse_period
from yizhan.surveillance.dhis2.webmessage import Conflicts, import_summary
from yizhan.surveillance.models import DEFAULT_COMBO, AggregateCount, ComboKind, Disease, OptionCombo

STRATEGIES = ("CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE")
ATOMIC_MODES = ("ALL", "NONE")
CSV_COLUMNS = ("dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value",
               "storedBy", "lastUpdated", "comment", "followUp")
SET_DEFAULTS = ("period", "orgUnit", "dataElement", "attributeOptionCombo")


def read_csv(text: str, *, first_row_is_header: bool = True) -> dict[str, Any]:
    """A DHIS2 CSV data value set as the JSON payload: columns by position, the header row skipped."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if first_row_is_header and rows:
        rows = rows[1:]
    return {"dataValues": [{name: value for name, value in zip(CSV_COLUMNS, row, strict=False) if value != ""}
                           for row in rows if any(cell.strip() for cell in row)]}


def _options(dry_run: bool, strategy: str, atomic_mode: str) -> dict[str, Any]:
    return {"idSchemes": {"idScheme": "CODE"}, "dryRun": dry_run, "importStrategy": strategy,
            "atomicMode": atomic_mode, "firstRowIsHeader": True}


def import_data_value_set(payload: Any, *, dry_run: bool = False, strategy: str = "CREATE_AND_UPDATE",
                          atomic_mode: str = "ALL", actor: Any = None, actor_label: str = "dhis2") -> dict[str, Any]:
    """Import the payload and answer DHIS2's ImportSummary. The actor (an epidemiologist; None is an
    operator's import) writes only for units in their subtrees: others are not accessible (E7612)."""
    options = _options(dry_run, strategy, atomic_mode)
    require_holds(actor, (Role.EPIDEMIOLOGIST,), field="orgUnit", rule="not_permitted")
    if strategy not in STRATEGIES:
        return import_summary(options=options, error=f"importStrategy must be one of {', '.join(STRATEGIES)}")
    if atomic_mode not in ATOMIC_MODES:
        return import_summary(options=options, error="atomicMode must be ALL or NONE")
    values = payload.get("dataValues") if isinstance(payload, dict) else None
    if not isinstance(values, list):
        return import_summary(options=options, error="The payload must be an object with a dataValues list")
    defaults = {k: payload[k] for k in SET_DEFAULTS if isinstance(payload.get(k), str)}
    diseases = {d.code: d for d in Disease.objects.all()}
    wanted = {str(v.get("orgUnit", defaults.get("orgUnit", ""))) for v in values if isinstance(v, dict)}
    scope = units(actor, (Role.EPIDEMIOLOGIST,)) if actor is not None else OrgUnit.objects.all()
    unit_of = {u.code: u for u in scope.filter(code__in=wanted)}
    combos = {(c.kind, c.code) for c in OptionCombo.objects.all()} | {
        (ComboKind.CATEGORY, DEFAULT_COMBO), (ComboKind.ATTRIBUTE, DEFAULT_COMBO)}
    conflicts = Conflicts()
    good: dict[tuple, tuple] = {}
    for i, raw in enumerate(values):
        if not isinstance(raw, dict):
            conflicts.add(i, "E7618", "dataValue", f"dataValues[{i}]")
            continue
        v = {**defaults, **{k: str(x).strip() for k, x in raw.items() if x is not None}}
        element, unit_code, period_text = v.get("dataElement", ""), v.get("orgUnit", ""), v.get("period", "")
        coc = v.get("categoryOptionCombo") or DEFAULT_COMBO
        aoc = v.get("attributeOptionCombo") or DEFAULT_COMBO
        disease, unit = diseases.get(element), unit_of.get(unit_code)
        if disease is None:
            conflicts.add(i, "E7610", "dataElement", element)
        try:
            period = parse_period(period_text)
        except PeriodError:
            period = None
            conflicts.add(i, "E7611", "period", period_text)
        if unit is None:
            conflicts.add(i, "E7612", "orgUnit", unit_code)
        if (ComboKind.CATEGORY, coc) not in combos:
            conflicts.add(i, "E7613", "categoryOptionCombo", coc)
        if (ComboKind.ATTRIBUTE, aoc) not in combos:
            conflicts.add(i, "E7615", "attributeOptionCombo", aoc)
        text = v.get("value", "")
        if strategy != "DELETE":
            if text == "":
                conflicts.add(i, "E7618", "value", element)
            elif not re.fullmatch(r"\d+", text):
                conflicts.add(i, "E7619", "value", text, "value_not_zero_or_positive_integer")
        if i in conflicts.bad:
            continue
        key = (disease.pk, unit.pk, period.canonical, coc, aoc)
        good[key] = (disease, unit, period, coc, aoc, int(text) if strategy != "DELETE" else 0)  # the last wins, as DHIS2
    if conflicts.items and atomic_mode == "ALL":
        return import_summary(ignored=len(values), conflicts=conflicts, options=options)
    existing = {(a.disease_id, a.unit_id, a.period, a.category_option_combo, a.attribute_option_combo): a
                for a in AggregateCount.objects.filter(disease_id__in={k[0] for k in good},
                                                       unit_id__in={k[1] for k in good},
                                                       period__in={k[2] for k in good})}
    create, update, delete = [], [], []
    for key, (disease, unit, period, coc, aoc, value) in good.items():
        row = existing.get(key)
        if strategy == "DELETE":
            if row is not None:
                delete.append(row)
        elif row is None:
            if strategy != "UPDATE":
                create.append(AggregateCount(disease=disease, unit=unit, period=period.canonical,
                                             period_type=period.type, start=period.start, end=period.end,
                                             category_option_combo=coc, attribute_option_combo=aoc, value=value))
        elif strategy != "CREATE" and row.value != value:
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
    return import_summary(imported=len(create), updated=len(update), ignored=ignored, deleted=len(delete),
                          conflicts=conflicts, options=options)
