"""Counts by disease × unit (any level of the tree) × day or ISO week, by onset, report or review
date: the case cards still standing (not held as duplicates, returned, excluded, deleted or corrected)
plus the aggregate counts imported from DHIS2 or legacy line lists. A card counts at the unit whose
catchment holds the patient's current address (`CaseCard.residence_unit`, residence.py), as the
rules count (按审核日期和现住址统计); the reporting unit is a filter (`reporting_unit`). A card whose
patient lives outside the network counts nowhere here: it belongs to the county where the patient lives."""

from datetime import date, timedelta

import numpy as np
from django.db.models import Count, F
from django.db.models.functions import TruncDate

from yizhan.calendar.workdays import local_tz
from yizhan.org.models import OrgUnit
from yizhan.surveillance.models import AggregateCount, CardState, CaseCard, Disease, PeriodType
from yizhan.surveillance.quality import day_bounds

BASES = ("onset", "report", "review")
STEPS = ("day", "week")
COUNTED = (CardState.PENDING, CardState.REVIEWED)


def column_of(units: list[OrgUnit]) -> dict[int, int]:
    """Map every unit in the subtrees of `units` to the column of the one of `units` above it."""
    by_path = {u.path: i for i, u in enumerate(units)}
    columns: dict[int, int] = {}
    if not units:
        return columns
    prefix = min(len(u.path) for u in units)
    for pk, path in OrgUnit.objects.values_list("pk", "path"):
        if len(path) < prefix:
            continue
        parts = path.strip("/").split("/")
        for depth in range(len(parts), 0, -1):
            col = by_path.get("/" + "/".join(parts[:depth]) + "/")
            if col is not None:
                columns[pk] = col
                break
    return columns


def daily_panel(disease: Disease, units: list[OrgUnit], first: date, last: date, *, basis: str = "onset",
                cards=None, columns: dict[int, int] | None = None,
                reporting_unit: OrgUnit | None = None) -> np.ndarray:
    """Counts per day (rows first..last) and residence unit (columns, in `units` order)."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}")
    n_days = (last - first).days + 1
    panel = np.zeros((n_days, len(units)), dtype=np.int64)
    columns = column_of(units) if columns is None else columns
    qs = (cards if cards is not None else CaseCard.objects.all()).filter(disease=disease)
    if reporting_unit is not None:
        qs = qs.filter(reporting_unit__path__startswith=reporting_unit.path)
    start, end = day_bounds(first, last)
    if basis == "onset":
        qs = qs.filter(state__in=COUNTED, onset_date__gte=first, onset_date__lte=last).annotate(day=F("onset_date"))
    elif basis == "report":
        qs = qs.filter(state__in=COUNTED, reported_at__gte=start, reported_at__lt=end).annotate(
            day=TruncDate("reported_at", tzinfo=local_tz()))
    else:
        qs = qs.filter(state=CardState.REVIEWED, reviewed_at__gte=start, reviewed_at__lt=end).annotate(
            day=TruncDate("reviewed_at", tzinfo=local_tz()))
    rows = list(qs.values_list("residence_unit_id", "day").annotate(n=Count("pk")).values_list(
        "residence_unit_id", "day", "n"))
    rows += AggregateCount.objects.filter(disease=disease, period_type=PeriodType.DAY, start__gte=first,
                                          start__lte=last).values_list("unit_id", "start", "value")
    _add(panel, rows, columns, first, 1)
    return panel


def _add(panel: np.ndarray, rows, columns: dict[int, int], first: date, days_per_row: int) -> None:
    """Add (unit id, day, n) rows into the panel: row (day - first) // days_per_row, column of the unit."""
    picked = [(columns[u], (d - first).days // days_per_row, n) for u, d, n in rows if u in columns]
    if picked:
        cols, idx, values = (np.array(x) for x in zip(*picked, strict=True))
        np.add.at(panel, (idx, cols), values)


def weekly_panel(disease: Disease, units: list[OrgUnit], first: date, last: date, **kwargs) -> tuple[list[date], np.ndarray]:
    """Counts per ISO week (Monday starts) covering first..last, with the Mondays."""
    monday = first - timedelta(days=first.weekday())
    sunday = last + timedelta(days=6 - last.weekday())
    daily = daily_panel(disease, units, monday, sunday, **kwargs)
    weeks = daily.reshape(-1, 7, daily.shape[1]).sum(axis=1)
    mondays = [monday + timedelta(weeks=i) for i in range(weeks.shape[0])]
    rows = AggregateCount.objects.filter(disease=disease, period_type=PeriodType.WEEK, start__gte=monday,
                                         start__lte=sunday).values_list("unit_id", "start", "value")
    _add(weeks, list(rows), kwargs.get("columns") or column_of(units), monday, 7)
    return mondays, weeks


def official_counts(first: date, last: date, *, unit: OrgUnit | None = None, cards=None,
                    reporting_unit: OrgUnit | None = None) -> dict[str, int]:
    """Official counts (法定报告数) by disease code: reviewed cards by review date in [first, last] whose
    patient lives in `unit`'s catchment (default: anywhere in the network), optionally only those
    reported by `reporting_unit`'s subtree."""
    start, end = day_bounds(first, last)
    qs = (cards if cards is not None else CaseCard.objects.all()).filter(
        state=CardState.REVIEWED, reviewed_at__gte=start, reviewed_at__lt=end, residence_unit__isnull=False)
    if unit is not None:
        qs = qs.filter(residence_unit__path__startswith=unit.path)
    if reporting_unit is not None:
        qs = qs.filter(reporting_unit__path__startswith=reporting_unit.path)
    return dict(qs.values_list("disease__code").annotate(n=Count("pk")).values_list("disease__code", "n"))
