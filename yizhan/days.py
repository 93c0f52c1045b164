"""Days and moments as people type them, within the range Yizhan computes with.

A date is read strictly (YYYY-MM-DD, a day that exists: 2026-02-30 is refused) and must lie between
FIRST_DAY and LAST_DAY: birth dates reach back to 1900, and a day far in the future (9999-12-31) would
overflow the date arithmetic of deadlines, leases and anniversaries (a year past 9999 does not
exist). The screens' form fields (`yizhan.ui.forms`), the CSV imports (`yizhan.csvrows`), the case
cards and the query parameters of the screens all check with these functions, so each refuses the
same values with the same rule."""

import re
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from yizhan.errors import InvalidInput

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2099, 12, 31)
_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def range_error(day: date, field: str) -> InvalidInput | None:
    """The error for a day (or a moment's day) outside FIRST_DAY–LAST_DAY, None when within."""
    if isinstance(day, datetime):
        day = day.date()
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return InvalidInput(_("日期须在 %(first)s 至 %(last)s 之间") % {
        "first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}, field=field, rule="date_range")


def check_day(day: Any, field: str) -> Any:
    """`day` (a date or datetime) when within range; InvalidInput naming `field` otherwise."""
    if (error := range_error(day, field)) is not None:
        raise error
    return day


def parse_day(value: Any, field: str) -> date:
    """A date written YYYY-MM-DD (or YYYY-M-D) that exists and lies within range; InvalidInput naming
    `field` otherwise."""
    text = str(value).strip()
    try:
        if (match := _DAY.fullmatch(text)) is None:
            raise ValueError(text)
        day = date(*(int(part) for part in match.groups()))
    except ValueError:
        raise InvalidInput(_("不是有效的日期（如 2024-01-15）：%(v)s") % {"v": text[:40]}, field=field,
                           rule="date") from None
    return check_day(day, field)


def day_or_none(value: Any) -> date | None:
    """A query parameter's day, None when absent, malformed or out of range (the screen's default then)."""
    try:
        return parse_day(value, "") if value else None
    except InvalidInput:
        return None
