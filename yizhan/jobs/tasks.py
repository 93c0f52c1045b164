"""The jobs app's own jobs: sending one message in the background, pruning old run records."""

from datetime import timedelta

from django.utils import timezone

from yizhan.jobs import job, notify
from yizhan.jobs.models import JobRun, PeriodicRun

KEEP_DAYS = 90


@job("jobs.notify", retries=5)
def send_notification(topic: str, channel: str, recipient: str, body: str, subject: str = "") -> dict:
    """Queue with enqueue("jobs.notify", topic=..., ...): `topic` is the message's notify key."""
    return {"sent": notify.send(topic, channel, recipient, body, subject)}


@job("jobs.prune", every=timedelta(days=1), offset=timedelta(hours=3))
def prune_runs() -> dict:
    """Forget run records older than 90 days (the audit log keeps what the jobs changed)."""
    cutoff = timezone.now() - timedelta(days=KEEP_DAYS)
    runs, _ = JobRun.objects.filter(started_at__lt=cutoff).delete()
    periods, _ = PeriodicRun.objects.filter(period__lt=cutoff).delete()
    return {"runs": runs, "periods": periods}
