"""The moment an action happened: every service function takes `at` (default now) so that imports and
replays of history go through the same code as live work."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.errors import InvalidInput


def resolve_at(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise InvalidInput(_("时间必须带时区"), field="at", rule="naive_datetime")
    return at
