"""Holding the periodic schedule while history is written in bulk (see `Hold`): `held(reason)` keeps
it waiting for as long as the block runs, renewed by `renew()` on each step of a long build."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone

from yizhan.jobs.models import Hold

LEASE = timedelta(minutes=10)


class Lease:
    def __init__(self, hold: Hold) -> None:
        self.hold = hold

    def renew(self) -> None:
        """Keep the hold for another LEASE from now (cheap enough to call on every step)."""
        now = timezone.now()
        if self.hold.until - now < LEASE / 2:
            self.hold.until = now + LEASE
            Hold.objects.filter(pk=self.hold.pk).update(until=self.hold.until)


def take(reason: str) -> Lease:
    now = timezone.now()
    return Lease(Hold.objects.create(reason=reason, since=now, until=now + LEASE))


def release(lease: Lease) -> None:
    Hold.objects.filter(pk=lease.hold.pk).delete()


@contextmanager
def held(reason: str) -> Iterator[Lease]:
    lease = take(reason)
    try:
        yield lease
    finally:
        release(lease)


def in_force(now: datetime | None = None) -> bool:
    return Hold.objects.filter(until__gt=now or timezone.now()).exists()


BUILD_REASON = "demo city build"


def release_all(reason: str) -> None:
    """End every hold taken for `reason` (one process may take it, another end it)."""
    Hold.objects.filter(reason=reason).delete()
