"""Surveillance's scheduled and queued work: the accountability sweep of its clocks (card review,
signal verification, incident notification and response) every half hour — the record of a breach
only has to follow it (the warning levels on the screens come from the timers themselves, at any
moment); the daily detection run for yesterday; and the single-case alert of a card just saved."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from yizhan.calendar.workdays import local_date
from yizhan.jobs import job
from yizhan.surveillance.accountability import sweep
from yizhan.surveillance.counts import daily_panel
from yizhan.surveillance.detection import run_detection
from yizhan.surveillance.models import CardState, CaseCard, Method
from yizhan.surveillance.signals import raise_alarm
from yizhan.surveillance.single_case import JOB, watch_for


@job("surveillance.accountability_sweep", every=timedelta(minutes=30))
def accountability_sweep() -> dict:
    """Open the accountability records of reviews, verifications and incident steps past their limit."""
    return sweep()


@job("surveillance.detect", every=timedelta(days=1), offset=timedelta(minutes=30))
def detect_yesterday() -> dict:
    """Every configured detector over yesterday's counts (`yizhan surveillance detect`; a day already
    run is not run again), at 00:30 as docs/surveillance.md's cron line has it."""
    day = local_date(timezone.now()) - timedelta(days=1)
    run, ran, opened = run_detection(day)
    return {"day": day.isoformat(), "ran": ran, "alarms": run.alarms, "signals": len(opened)}


@job(JOB, retries=5, backoff=timedelta(seconds=10))
def single_case_alert(card: int) -> dict:
    """Raise (or join) the single-case signal of card `card` if its day's count reaches the threshold."""
    card_row = CaseCard.objects.select_related("disease", "reporting_unit").filter(pk=card).first()
    if card_row is None or card_row.state not in (CardState.PENDING, CardState.REVIEWED):
        return {"signal": None}  # held as a probable duplicate, deleted or corrected meanwhile
    watch = watch_for(card_row.disease, card_row.reporting_unit)
    if watch is None:
        return {"signal": None}
    day = card_row.onset_date
    observed = int(daily_panel(card_row.disease, [watch.unit], day, day)[0, 0])
    if observed < watch.threshold:
        return {"signal": None, "observed": observed}
    with transaction.atomic():
        signal, created = raise_alarm(card_row.disease, watch.unit, Method.FIXED, day, observed, None,
                                      watch.threshold, at=timezone.now())
    return {"signal": signal.pk, "opened": created, "observed": observed}
