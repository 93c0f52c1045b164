"""The local (Asia/Shanghai) calendar date of a datetime column, in SQL.

Django's TruncDate does it natively on PostgreSQL, but on SQLite it calls a Python function for every
row, which made a figure over a season's 60,000 cases take seconds. The hall's zone has kept one UTC
offset since 1991 (China ended daylight saving time then), so on SQLite a row from a year in which
the offset never changes is shifted by that offset with SQLite's own date(); older rows, or a zone
whose offset changes, still take Django's function, so the result is always TruncDate's."""

from datetime import datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models.functions import TruncDate

FIRST_CHECKED, LAST_CHECKED = 1992, 2100


@cache
def fixed_offset(zone: str) -> int | None:
    """Seconds east of UTC that `zone` keeps from FIRST_CHECKED through LAST_CHECKED, or None if it
    changes in between (daylight saving time, a new law)."""
    tz = ZoneInfo(zone)
    offsets = {datetime(year, month, 1, tzinfo=tz).utcoffset() or timedelta(0)
               for year in range(FIRST_CHECKED, LAST_CHECKED + 1) for month in (1, 4, 7, 10)}
    if len(offsets) != 1:
        return None
    [offset] = offsets
    return int(offset / timedelta(seconds=1))


class LocalDate(TruncDate):
    """TruncDate(column, tzinfo=zone), without a Python call per row on SQLite where that is exact."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        offset = fixed_offset(str(self.tzinfo)) if self.tzinfo is not None else None
        generic, generic_params = self.as_sql(compiler, connection, **extra)
        if offset is None:
            return generic, generic_params
        column, params = compiler.compile(self.lhs)
        # Stored datetimes are UTC text ("YYYY-MM-DD HH:MM:SS[.ffffff]"), which compares as it sorts.
        since = f"{FIRST_CHECKED}-01-01 00:00:00"
        return (f"(CASE WHEN {column} >= %s THEN date({column}, %s) ELSE {generic} END)",
                [*params, since, *params, f"{offset:+d} seconds", *generic_params])
