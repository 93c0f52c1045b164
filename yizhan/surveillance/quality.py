"""Reporting quality per unit and period (报告质量), over the cards a user may see: timely-report rate,
timely-review rate, duplicate rate, zero-report units, mean report and review delays, and the three
rates of the national assessment — 完整率 (cards with every field the card asks for filled,
`missing_fields`), 准确率 (cards neither returned nor corrected for an error) and 漏报率 (diagnosed
cases of the hospital's HIS list with no card, his.py)."""

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean
from typing import Any

from django.db.models import F

from yizhan.calendar.workdays import local_tz
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.surveillance.his import missed
from yizhan.surveillance.models import CardKind, CardState, CaseCard, Occupation

# The card's own rule of what a student's or child's card also needs.
SCHOOL_GROUPS = (Occupation.STUDENT, Occupation.CHILD_CARE)


def missing_fields(card: dict[str, Any]) -> list[str]:
    """The fields of the card (as `values()` rows) that the national card asks for and this one lacks:
    the ID number unless 无有效证件, a birth date or age, the address down to the township with the house
    number for a patient of the network, the school of a student or child in care, the patient's and the
    doctor's phones, 填卡日期."""
    missing = []
    if not card["id_number"] and not card["no_id_number"]:
        missing.append("id_number")
    if card["birth_date"] is None and card["age"] is None:
        missing.append("birth_date")
    if card["residence_unit_id"] and (card["address_division__level"] not in ("township", "village")
                                      or not card["house_number"]):
        missing.append("address_division")
    if card["occupation"] in SCHOOL_GROUPS and not card["work_unit"]:
        missing.append("work_unit")
    for field in ("phone", "doctor_phone", "filled_on"):
        if not card[field]:
            missing.append(field)
    return missing


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
    complete_rate: float | None = None
    accurate_rate: float | None = None
    diagnosed: int = 0
    missed: int = 0
    missed_rate: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = local_tz()
    return datetime.combine(first, time.min, tz), datetime.combine(last + timedelta(days=1), time.min, tz)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def quality(unit: OrgUnit, first: date, last: date, *, cards=None, cases=None) -> Quality:
    """Figures for the first reports made in [first, last] by `unit`'s subtree. `cards`: the queryset
    to count from (already restricted to the user's scope); default all; `cases`: the HIS list's."""
    start, end = day_bounds(first, last)
    qs = (cards if cards is not None else CaseCard.objects.all()).filter(
        kind=CardKind.FIRST, reporting_unit__path__startswith=unit.path, reported_at__gte=start, reported_at__lt=end)
    rows = list(qs.values("id", "late", "state", "kept_card_id", "diagnosed_at", "reported_at", "reviewed_at",
                          "times_returned", "id_number", "no_id_number", "birth_date", "age", "residence_unit_id",
                          "address_division__level", "house_number", "occupation", "work_unit", "phone",
                          "doctor_phone", "filled_on", deadline=F("review_timer__deadline"),
                          stopped=F("review_timer__stopped_at")))
    corrected = set(CaseCard.objects.filter(corrects__in=qs).values_list("corrects_id", flat=True))
    total = len(rows)
    reviewed = [r for r in rows if r["reviewed_at"]]
    duplicates = sum(1 for r in rows if r["state"] == CardState.DELETED and r["kept_card_id"])
    reporting = set(qs.values_list("reporting_unit__code", flat=True))
    zero = [u.code for u in unit.subtree().filter(kind__in=(UnitKind.VILLAGE, UnitKind.TOWNSHIP), active=True)
            if u.code not in reporting]
    report_delays = [(r["reported_at"] - r["diagnosed_at"]).total_seconds() / 3600 for r in rows]
    review_delays = [(r["reviewed_at"] - r["reported_at"]).total_seconds() / 3600 for r in reviewed]
    accurate = sum(1 for r in rows if not r["times_returned"] and r["id"] not in corrected)
    diagnosed, not_reported = missed(unit, first, last, cards=cards, cases=cases)
    return Quality(
        unit=unit.code, first=first, last=last, cards=total,
        timely_report_rate=_rate(sum(1 for r in rows if not r["late"]), total),
        reviewed=len(reviewed),
        timely_review_rate=_rate(sum(1 for r in reviewed if r["stopped"] and r["stopped"] <= r["deadline"]),
                                 len(reviewed)),
        duplicates_deleted=duplicates, duplicate_rate=_rate(duplicates, total), zero_report_units=zero,
        mean_report_delay_hours=round(mean(report_delays), 2) if report_delays else None,
        mean_review_delay_hours=round(mean(review_delays), 2) if review_delays else None,
        complete_rate=_rate(sum(1 for r in rows if not missing_fields(r)), total),
        accurate_rate=_rate(accurate, total),
        diagnosed=diagnosed, missed=len(not_reported), missed_rate=_rate(len(not_reported), diagnosed),
    )


def quality_by_child(unit: OrgUnit, first: date, last: date, *, cards=None, cases=None) -> list[Quality]:
    return [quality(child, first, last, cards=cards, cases=cases)
            for child in unit.children.filter(active=True).order_by("code")]
