"""Reporting quality per unit and period (报告质量): timely-report rate, timely-review rate, duplicate
rate, zero-report units and mean report and review delays, over the cards a user may see."""

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean
from typing import Any

from django.db.models import F

from yizhan.calendar.workdays import local_tz
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.surveillance.models import CardKind, CardState, CaseCard


@dataclass(frozen=True)
class Quality:
    unit: str
    first: date
    last: date
    cards: int
    timely_report_rate: float | None
    reviewed: int
    timely_review_rate: float | None
    duplicates_deleted: int
    duplicate_rate: float | None
    zero_report_units: list[str]
    mean_report_delay_hours: float | None
    mean_review_delay_hours: float | None

    def as_dict(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = local_tz()
    return datetime.combine(first, time.min, tz), datetime.combine(last + timedelta(days=1), time.min, tz)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def quality(unit: OrgUnit, first: date, last: date, *, cards=None) -> Quality:
    """Figures for the first reports made in [first, last] by `unit`'s subtree. `cards`: the queryset
    to count from (already restricted to the user's scope); default all."""
    start, end = day_bounds(first, last)
    qs = (cards if cards is not None else CaseCard.objects.all()).filter(
        kind=CardKind.FIRST, reporting_unit__path__startswith=unit.path, reported_at__gte=start, reported_at__lt=end)
    rows = list(qs.values("late", "state", "kept_card_id", "diagnosed_at", "reported_at", "reviewed_at",
                          deadline=F("review_timer__deadline"), stopped=F("review_timer__stopped_at")))
    total = len(rows)
    reviewed = [r for r in rows if r["reviewed_at"]]
    duplicates = sum(1 for r in rows if r["state"] == CardState.DELETED and r["kept_card_id"])
    reporting = set(qs.values_list("reporting_unit__code", flat=True))
    zero = [u.code for u in unit.subtree().filter(kind__in=(UnitKind.VILLAGE, UnitKind.TOWNSHIP), active=True)
            if u.code not in reporting]
    report_delays = [(r["reported_at"] - r["diagnosed_at"]).total_seconds() / 3600 for r in rows]
    review_delays = [(r["reviewed_at"] - r["reported_at"]).total_seconds() / 3600 for r in reviewed]
    return Quality(
        unit=unit.code, first=first, last=last, cards=total,
        timely_report_rate=_rate(sum(1 for r in rows if not r["late"]), total),
        reviewed=len(reviewed),
        timely_review_rate=_rate(sum(1 for r in reviewed if r["stopped"] and r["stopped"] <= r["deadline"]),
                                 len(reviewed)),
        duplicates_deleted=duplicates, duplicate_rate=_rate(duplicates, total), zero_report_units=zero,
        mean_report_delay_hours=round(mean(report_delays), 2) if report_delays else None,
        mean_review_delay_hours=round(mean(review_delays), 2) if review_delays else None,
    )


def quality_by_child(unit: OrgUnit, first: date, last: date, *, cards=None) -> list[Quality]:
    return [quality(child, first, last, cards=cards) for child in unit.children.filter(active=True).order_by("code")]
