"""Option parsing shared by sub-commands."""

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_tz


def moment(value: str | None, option: str = "--at") -> datetime | None:
    """An ISO 8601 date-time; without an offset it is local time (Asia/Shanghai)."""
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise CommandError(_("%(option)s：不是有效的时间（ISO 8601，如 2010-03-01T17:00）：%(v)s") % {"option": option, "v": value})
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=local_tz())
