"""Tells the operator, on every `yizhan check`, `migrate` and server start, when the working-day
calendar lacks a year that deadlines are about to reach."""

from datetime import date, timedelta

from django.core.checks import Warning, register
from django.db import DatabaseError

from yizhan.calendar.workdays import current_calendar

MISSING_YEAR = "yizhan.calendar.W001"


def missing_years(today: date | None = None, horizon_days: int = 120) -> list[int]:
    """Years from today to today + horizon_days with neither official nor imported data."""
    today = today or date.today()
    cal = current_calendar()
    last = today + timedelta(days=horizon_days)
    return [y for y in range(today.year, last.year + 1) if not cal.covers(y)]


@register()
def check_calendar_years(app_configs=None, **kwargs):
    try:
        years = missing_years()
    except DatabaseError:  # tables not migrated yet: nothing to say
        return []
    return [
        Warning(
            f"工作日历缺少 {year} 年的国务院节假日安排：涉及该年的期限按周一至周五临时计算并标记为“临时”。"
            f" / The working-day calendar has no official schedule for {year}: deadlines reaching it"
            " are computed Monday-Friday and flagged provisional.",
            hint="yizhan calendar import FILE.csv  (see `yizhan calendar import --help`)",
            id=MISSING_YEAR,
        )
        for year in years
    ]
