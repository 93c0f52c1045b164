"""The hall's figures as series for charts: per day (or per month over long periods) and per
department, each point computed by `yizhan.hall.stats.hall_figures` so a chart and a table never
disagree with the published figure of the same period."""

from datetime import date, timedelta
from typing import Any

from yizhan.hall.stats import HallFigures, hall_figures
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
    rows = []
    for a, b in period_steps(first, last):
        f = hall_figures(a, b, unit)
        rows.append({"first": a, "last": b, "label": a.isoformat() if a == b else f"{a:%Y-%m}",
                     "accepted": f.accepted, "completed": f.completed})
    return rows


def by_department(first: date, last: date, unit: OrgUnit | None) -> list[tuple[OrgUnit, HallFigures]]:
    """The figures of every department in `unit`'s subtree (or, under a department, of that one)."""
    departments = OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT)
    if unit is not None:
        departments = departments.filter(path__startswith=unit.path) if unit.kind != UnitKind.WINDOW \
            else departments.filter(pk=unit.parent_id)
    return [(d, hall_figures(first, last, d)) for d in departments.order_by("path")]
