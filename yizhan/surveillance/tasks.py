"""Surveillance's scheduled work: the accountability sweep of its clocks (card review, signal
verification, incident notification and response). Every half hour: the record of a breach only has
to follow it (the warning levels on the screens come from the timers themselves, at any moment)."""

from datetime import timedelta

from yizhan.jobs import job
from yizhan.surveillance.accountability import sweep


@job("surveillance.accountability_sweep", every=timedelta(minutes=30))
def accountability_sweep() -> dict:
    """Open the accountability records of reviews, verifications and incident steps past their limit."""
    return sweep()
