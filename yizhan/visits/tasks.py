"""The daily festival reminder, on the periodic schedule of `yizhan worker` (08:00 local time)."""

from datetime import timedelta

from django.utils import timezone

from yizhan.calendar.workdays import local_date
from yizhan.jobs import job
from yizhan.visits.festivals import send_reminders


@job("visits.festival_reminders", every=timedelta(days=1), offset=timedelta(hours=8))
def festival_reminders() -> dict:
    sent = send_reminders(local_date(timezone.now()))
    return {"reminders": len(sent), "families": sum(r.families for r in sent)}
