"""Which years the calendar knows: the one answer behind `yizhan calendar status` and the API."""

from dataclasses import dataclass

from yizhan.calendar.models import CalendarYear
from yizhan.calendar.workdays import official_years


@dataclass(frozen=True)
class YearStatus:
    year: int
    source: str  # "official" (chinesecalendar), "imported", or "missing" (provisional, Monday–Friday)
    note: str


def year_statuses(first: int, last: int) -> list[YearStatus]:
    imported = dict(CalendarYear.objects.filter(year__range=(first, last)).values_list("year", "source_note"))
    statuses = []
    for year in range(first, last + 1):
        if year in official_years():
            statuses.append(YearStatus(year, "official", "chinesecalendar"))
        elif year in imported:
            statuses.append(YearStatus(year, "imported", imported[year]))
        else:
            statuses.append(YearStatus(year, "missing", ""))
    return statuses
