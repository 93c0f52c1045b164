"""DHIS2's periods (Web API, "Date and period format"; parsed as dhis2-core's DateUnitPeriodTypeParser
does): every period type DHIS2 registers, each parsed to its first and last day and written back in
DHIS2's canonical form, so that one period is one string however it was written — `2024W05` and
`2024W5` are both week 5 of 2024, stored as DHIS2 writes it, `2024W5` (WeeklyAbstractPeriodType.getIsoDate:
"%d%s%d"). Weeks start on their type's weekday; week 1 is the week holding January 4 (WeekFields with
four minimal days), bi-week n is ISO weeks 2n−1 and 2n."""

import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    type: str  # DHIS2's period type name: Daily, Weekly, WeeklyWednesday, BiWeekly, Monthly, ...
    start: date
    end: date
    canonical: str


class PeriodError(ValueError):
    pass


WEEK_TYPES = {"": ("Weekly", 0), "Wed": ("WeeklyWednesday", 2), "Thu": ("WeeklyThursday", 3),
              "Fri": ("WeeklyFriday", 4), "Sat": ("WeeklySaturday", 5), "Sun": ("WeeklySunday", 6)}
# (type, first month, whether the period's year is the year it ends in: DHIS2's November types start in
# the year before the one they are named for).
SIX_MONTHLY = {"": ("SixMonthly", 1, False), "April": ("SixMonthlyApril", 4, False), "Nov": ("SixMonthlyNov", 11, True)}
FINANCIAL = {"April": ("FinancialApril", 4, False), "July": ("FinancialJuly", 7, False),
             "Oct": ("FinancialOct", 10, False), "Nov": ("FinancialNov", 11, True)}
TYPES = ("Daily", *(t for t, _d in WEEK_TYPES.values()), "BiWeekly", "Monthly", "BiMonthly", "Quarterly",
         "QuarterlyNov", *(t for t, _m, _p in SIX_MONTHLY.values()), "Yearly", *(t for t, _m, _p in FINANCIAL.values()))

_DAILY = re.compile(r"(\d{4})(\d{2})(\d{2})")
_WEEKLY = re.compile(r"(\d{4})(Wed|Thu|Fri|Sat|Sun)?W(\d{1,2})")
_BIWEEKLY = re.compile(r"(\d{4})BiW(\d{1,2})")
_MONTHLY = re.compile(r"(\d{4})-?(\d{2})")
_BIMONTHLY = re.compile(r"(\d{4})(\d{2})B")
_QUARTERLY = re.compile(r"(\d{4})(Nov)?Q(\d)")
_SIX_MONTHLY = re.compile(r"(\d{4})(April|Nov)?S(\d)")
_YEARLY = re.compile(r"(\d{4})")
_FINANCIAL = re.compile(r"(\d{4})(April|July|Oct|Nov)")


def week_one(year: int, first_weekday: int) -> date:
    """The first day of week 1 of `year` for weeks starting on `first_weekday` (Monday 0)."""
    jan4 = date(year, 1, 4)
    return jan4 - timedelta(days=(jan4.weekday() - first_weekday) % 7)


def weeks_in(year: int, first_weekday: int) -> int:
    return (week_one(year + 1, first_weekday) - week_one(year, first_weekday)).days // 7


def _months(start_year: int, start_month: int, months: int) -> tuple[date, date]:
    index = start_year * 12 + start_month - 1
    first = date(index // 12, index % 12 + 1, 1)
    after = index + months
    return first, date(after // 12, after % 12 + 1, 1) - timedelta(days=1)


def parse_period(text: str) -> Period:
    """The period `text` names; PeriodError when it names none (a bad format, week 54, month 13)."""
    text = str(text).strip()
    try:
        return _parse(text)
    except ValueError as exc:  # date() of a day that does not exist
        raise PeriodError(text) from exc


def _parse(text: str) -> Period:
    if m := _DAILY.fullmatch(text):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return Period("Daily", day, day, day.strftime("%Y%m%d"))
    if m := _WEEKLY.fullmatch(text):
        year, prefix, week = int(m[1]), m[2] or "", int(m[3])
        name, weekday = WEEK_TYPES[prefix]
        if not 1 <= week <= weeks_in(year, weekday):
            raise PeriodError(text)
        start = week_one(year, weekday) + timedelta(weeks=week - 1)
        return Period(name, start, start + timedelta(days=6), f"{year}{prefix}W{week}")
    if m := _BIWEEKLY.fullmatch(text):
        year, n = int(m[1]), int(m[2])
        if not 1 <= 2 * n - 1 <= weeks_in(year, 0):
            raise PeriodError(text)
        start = week_one(year, 0) + timedelta(weeks=2 * n - 2)
        return Period("BiWeekly", start, start + timedelta(days=13), f"{year}BiW{n}")
    if m := _BIMONTHLY.fullmatch(text):
        year, n = int(m[1]), int(m[2])
        if not 1 <= n <= 6:
            raise PeriodError(text)
        return Period("BiMonthly", *_months(year, 2 * n - 1, 2), f"{year}{n:02d}B")
    if m := _QUARTERLY.fullmatch(text):
        year, nov, q = int(m[1]), bool(m[2]), int(m[3])
        if not 1 <= q <= 4:
            raise PeriodError(text)
        if nov:  # Q1 of year Y is November Y-1 to January Y
            return Period("QuarterlyNov", *_months(year - 1, 11 + 3 * (q - 1), 3), f"{year}NovQ{q}")
        return Period("Quarterly", *_months(year, 3 * q - 2, 3), f"{year}Q{q}")
    if m := _SIX_MONTHLY.fullmatch(text):
        year, kind, n = int(m[1]), m[2] or "", int(m[3])
        if n not in (1, 2):
            raise PeriodError(text)
        name, month, before = SIX_MONTHLY[kind]
        return Period(name, *_months(year - before, month + 6 * (n - 1), 6), f"{year}{kind}S{n}")
    if m := _FINANCIAL.fullmatch(text):
        year, kind = int(m[1]), m[2]
        name, month, before = FINANCIAL[kind]
        return Period(name, *_months(year - before, month, 12), f"{year}{kind}")
    if m := _YEARLY.fullmatch(text):
        year = int(m[1])
        return Period("Yearly", date(year, 1, 1), date(year, 12, 31), str(year))
    if (m := _MONTHLY.fullmatch(text)) and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return Period("Monthly", *_months(year, month, 1), f"{year}{month:02d}")
    raise PeriodError(text)


def period_of(period_type: str, day: date) -> Period:
    """The period of `period_type` holding `day` (for the export)."""
    if period_type == "Daily":
        return parse_period(day.strftime("%Y%m%d"))
    for prefix, (name, weekday) in WEEK_TYPES.items():
        if name == period_type:
            year = day.year + 1 if day >= week_one(day.year + 1, weekday) else (
                day.year if day >= week_one(day.year, weekday) else day.year - 1)
            return parse_period(f"{year}{prefix}W{(day - week_one(year, weekday)).days // 7 + 1}")
    if period_type == "BiWeekly":
        week = period_of("Weekly", day)
        year, number = int(week.canonical[:4]), int(week.canonical[5:])
        return parse_period(f"{year}BiW{(number + 1) // 2}")
    if period_type == "Monthly":
        return parse_period(day.strftime("%Y%m"))
    if period_type == "Quarterly":
        return parse_period(f"{day.year}Q{(day.month - 1) // 3 + 1}")
    if period_type == "Yearly":
        return parse_period(str(day.year))
    raise PeriodError(period_type)


EXPORT_TYPES = ("Daily", "Weekly", "WeeklyWednesday", "WeeklyThursday", "WeeklyFriday", "WeeklySaturday",
                "WeeklySunday", "BiWeekly", "Monthly", "Quarterly", "Yearly")
