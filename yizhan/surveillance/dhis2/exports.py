"""Exporting official counts as DHIS2 dataValueSets: reviewed cards by review date, counted at the unit
of the patient's current address (按审核日期和现住址统计; the reporting unit is a filter), each in the
category option combo of its sex and age group and the attribute option combo of its classification
(`OptionCombo`; `default` where none is set up), plus the imported aggregates of that period type
whose period overlaps the range. JSON as DHIS2 answers GET /api/dataValueSets, or CSV in DHIS2's
column order."""

import io
from collections import Counter
from datetime import date
from typing import Any

from yizhan import csvrows
from yizhan.calendar.workdays import local_date
from yizhan.org.models import OrgUnit
from yizhan.surveillance.cards import age_in_years
from yizhan.surveillance.dhis2.periods import EXPORT_TYPES, PeriodError, period_of
from yizhan.surveillance.models import DEFAULT_COMBO, AggregateCount, CardState, CaseCard, ComboKind, OptionCombo
from yizhan.surveillance.quality import day_bounds


def _combo(combos: list[OptionCombo], card: CaseCard, age: int | None) -> str:
    return next((c.code for c in combos if c.matches(card, age)), DEFAULT_COMBO)


def export_data_value_set(first: date, last: date, *, period_type: str = "Weekly", cards=None, aggregates=None,
                          reporting_unit: OrgUnit | None = None) -> dict[str, Any]:
    if period_type not in EXPORT_TYPES:
        raise PeriodError(period_type)
    start, end = day_bounds(first, last)
    qs = (cards if cards is not None else CaseCard.objects.all()).filter(
        state=CardState.REVIEWED, reviewed_at__gte=start, reviewed_at__lt=end, residence_unit__isnull=False)
    if reporting_unit is not None:
        qs = qs.filter(reporting_unit__path__startswith=reporting_unit.path)
    all_combos = list(OptionCombo.objects.exclude(code=DEFAULT_COMBO))
    cocs = [c for c in all_combos if c.kind == ComboKind.CATEGORY]
    aocs = [c for c in all_combos if c.kind == ComboKind.ATTRIBUTE]
    totals: Counter = Counter()
    for card in qs.select_related("disease", "residence_unit").only(
            "disease__code", "residence_unit__code", "reviewed_at", "sex", "classification", "birth_date", "age",
            "age_unit", "onset_date"):
        age = age_in_years({"birth_date": card.birth_date, "age": card.age, "age_unit": card.age_unit},
                           card.onset_date)
        period = period_of(period_type, local_date(card.reviewed_at)).canonical
        totals[(card.disease.code, period, card.residence_unit.code, _combo(cocs, card, age),
                _combo(aocs, card, age))] += 1
    agg = (aggregates if aggregates is not None else AggregateCount.objects.all()).filter(
        period_type=period_type, start__lte=last, end__gte=first)
    for code, unit, period, coc, aoc, value in agg.values_list(
            "disease__code", "unit__code", "period", "category_option_combo", "attribute_option_combo", "value"):
        totals[(code, period, unit, coc, aoc)] += value
    return {"dataValues": [{"dataElement": d, "period": p, "orgUnit": u, "categoryOptionCombo": c,
                            "attributeOptionCombo": a, "value": str(n)}
                           for (d, p, u, c, a), n in sorted(totals.items())]}


def export_csv(data_value_set: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csvrows.writer(out, lineterminator="\n")
    writer.writerow(["dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value"])
    for v in data_value_set["dataValues"]:
        writer.writerow([v["dataElement"], v["period"], v["orgUnit"], v["categoryOptionCombo"],
                         v["attributeOptionCombo"], v["value"]])
    return out.getvalue()
