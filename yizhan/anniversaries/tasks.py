"""The day's anniversary cards, on the periodic schedule of `yizhan worker` (07:00 local time)."""

from datetime import timedelta

from django.utils import timezone

from yizhan.anniversaries.cards import send_day
from yizhan.calendar.workdays import local_date
from yizhan.jobs import job


@job("anniversaries.cards", every=timedelta(days=1), offset=timedelta(hours=7))
def anniversary_cards() -> dict:
    return {"cards": len(send_day(local_date(timezone.now())))}
