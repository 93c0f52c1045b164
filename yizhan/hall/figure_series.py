"""The hall's figures as series for charts: per day (or per month over long periods) and per
department, each point counted as `yizhan.hall.stats.hall_figures` counts it (from one grouped query
per series, `daily_counts`, or one `FigureSet` for all departments) so a chart and a table never
disagree with the published figure of the same period."""

from datetime import date, timedelta
from typing import Any

from yizhan.hall.stats import FigureSet, HallFigures, daily_counts
from yizhan.org.models import OrgUnit, UnitKind

DAILY_UP_TO = 62  # days; longer periods are shown per month


def _months(first: date, last: date) -> list[tuple[date, date]]:
    out, start = [], first
    while start <= last:
        nxt = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        out.append((start, min(last, nxt - timedelta(days=1))))
        start = nxt
    return out


def period_steps(first: date, last: date) -> list[tuple[date, date]]:
    if (last - first).days < DAILY_UP_TO:
        return [(first + timedelta(days=i), first + timedelta(days=i)) for i in range((last - first).days + 1)]
    return _months(first, last)


def series(first: date, last: date, unit: OrgUnit | None) -> list[dict[str, Any]]:
    """Acceptances and completions per step of the period."""
    days = daily_counts(first, last, unit)
    rows = []
    for a, b in period_steps(first, last):
        counts = [v for d, v in days.items() if a <= d <= b]
        rows.append({"first": a, "last": b, "label": a.isoformat() if a == b else f"{a:%Y-%m}",
                     "accepted": sum(v[0] for v in counts), "completed": sum(v[1] for v in counts)})
    return rows


def by_department(first: date, last: date, unit: OrgUnit | None,
                  figures: FigureSet | None = None) -> list[tuple[OrgUnit, HallFigures]]:
    """The figures of every department in `unit`'s subtree (or, under a department, of that one);
    `figures`: the subtree's FigureSet of the same period, when the caller has it."""
    found = OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT)
    if unit is not None:
        found = found.filter(path__startswith=unit.path) if unit.kind != UnitKind.WINDOW \
            else found.filter(pk=unit.parent_id)
    departments = list(found.order_by("path"))
    if unit is not None and unit.kind == UnitKind.WINDOW:
        figures = None  # the window's set does not cover its department
        unit = departments[0] if departments else unit
    figures = figures or FigureSet(first, last, unit)
    return [(d, figures.of(d)) for d in departments]
