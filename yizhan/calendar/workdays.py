"""Working days on the State Council calendar (法定节假日 and 调休 make-up days), with local overrides.

`chinesecalendar` carries the official schedule for the years it knows. A year it does not know and
that no operator has imported is computed Monday–Friday and every result touching it is flagged
provisional, so a deadline is never silently wrong: it is visibly an estimate until the year's
schedule is imported (`yizhan calendar import`), after which provisional deadlines are recomputed.
"""

import threading
import time
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings

from yizhan.calendar.models import CalendarYear, DayOverride

_official_years: frozenset[int] | None = None


def official_years() -> frozenset[int]:
    """Years the installed chinesecalendar release has the State Council schedule for."""
    global _official_years
    if _official_years is None:
        _official_years = frozenset(d.year for d in chinese_calendar.holidays) | frozenset(
            d.year for d in chinese_calendar.workdays
        )
    return _official_years


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime) -> date:
    """The local (Asia/Shanghai) calendar date of an aware datetime."""
    return moment.astimezone(local_tz()).date()


def end_of_day(day: date) -> datetime:
    """23:59:59.999999 local time of `day`, as an aware datetime."""
    return datetime.combine(day, datetime.max.time(), tzinfo=local_tz())


class WorkCalendar:
    """Which days are working days. Pure: built from explicit overrides, no database access.

    Precedence: a local override, then an imported year's schedule, then chinesecalendar; a day in a
    year that none of them covers is a working day if it is Monday–Friday, and is provisional."""

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        imported_years: Iterable[int] = (),
    ) -> None:
        self.overrides = dict(overrides or {})
        self.imported_years = frozenset(imported_years)
        self._lock = threading.Lock()
        self._first_year: int | None = None
        self._last_year: int | None = None
        self._ordinals: list[int] = []  # sorted ordinals of working days over [first_year, last_year]

    def covers(self, year: int) -> bool:
        return year in official_years() or year in self.imported_years

    def is_provisional(self, day: date) -> bool:
        return not self.covers(day.year)

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in official_years():
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def _ensure(self, first: int, last: int) -> None:
        with self._lock:
            if self._first_year is not None and self._last_year is not None and \
                    self._first_year <= first and last <= self._last_year:
                return
            lo = first if self._first_year is None else min(first, self._first_year)
            hi = last if self._last_year is None else max(last, self._last_year)
            day, stop = date(lo, 1, 1), date(hi, 12, 31)
            ordinals = []
            while day <= stop:
                if self.is_workday(day):
                    ordinals.append(day.toordinal())
                day += timedelta(days=1)
            self._ordinals, self._first_year, self._last_year = ordinals, lo, hi

    def add_workdays(self, day: date, n: int) -> date:
        """The n-th working day after `day` (`day` itself does not count); n = 0 gives `day`."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return day
        # n working days never span more than n/200 + 2 years (a year has ~250 of them).
        self._ensure(day.year, day.year + n // 200 + 2)
        index = bisect_right(self._ordinals, day.toordinal()) + n - 1
        return date.fromordinal(self._ordinals[index])

    def workdays_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b (0 when b <= a)."""
        if b <= a:
            return 0
        self._ensure(a.year, b.year)
        return bisect_right(self._ordinals, b.toordinal()) - bisect_right(self._ordinals, a.toordinal())

    def workdays_in(self, start: date, end: date) -> int:
        """Working days d with start <= d < end."""
        one = timedelta(days=1)
        return self.workdays_between(start - one, end - one)

    def provisional_between(self, a: date, b: date) -> bool:
        """True if any year from a to b has no official or imported schedule."""
        return any(not self.covers(y) for y in range(min(a, b).year, max(a, b).year + 1))


_cache_lock = threading.Lock()
_cached: tuple[float, WorkCalendar] | None = None
CACHE_SECONDS = 30.0


def current_calendar() -> WorkCalendar:
    """The calendar in force: official schedule plus the database's imported years and local overrides.

    Cached for CACHE_SECONDS and dropped at once when this process edits an override; another
    process's edit is seen within CACHE_SECONDS."""
    global _cached
    with _cache_lock:
        if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
            return _cached[1]
    overrides: dict[date, bool] = {}
    # Imported schedules first so that a local override on the same date wins.
    for source in (DayOverride.Source.IMPORTED, DayOverride.Source.LOCAL):
        for day, workday in DayOverride.objects.filter(source=source).values_list("date", "is_workday"):
            overrides[day] = workday
    cal = WorkCalendar(overrides, CalendarYear.objects.values_list("year", flat=True))
    with _cache_lock:
        _cached = (time.monotonic(), cal)
    return cal


def invalidate() -> None:
    global _cached
    with _cache_lock:
        _cached = None
