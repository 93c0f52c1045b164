"""The periodic scheduler inside `yizhan worker`: starts each job with `every` once per period.

django-tasks has no scheduler of its own. Periods are counted in local time from a Monday midnight,
so a daily job runs once per local day and a weekly one once per week. The PeriodicRun row and the
queued task are written in one transaction, and the row is unique per (job, period): any number of
workers on any number of machines start each period's run once, and a worker that was down starts
the current period's run as soon as it is back. While a hold is in force (`holds.py`: history being
written in bulk) nothing is started; the current period's runs start at the first tick after it."""

import logging
import threading
from datetime import datetime, timedelta

from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from yizhan.calendar.workdays import local_tz
from yizhan.jobs import holds, registry
from yizhan.jobs.models import Hold, PeriodicRun
from yizhan.jobs.runner import enqueue

log = logging.getLogger("yizhan.jobs")
EPOCH = datetime(2001, 1, 1)  # a Monday; made local-aware where it is used


def period_start(at: datetime, every: timedelta, offset: timedelta = timedelta(0)) -> datetime:
    """The start of the period of length `every` (shifted by `offset`) that contains `at`."""
    local = timezone.localtime(at, local_tz()).replace(tzinfo=None)
    start = EPOCH + offset + ((local - EPOCH - offset) // every) * every
    return timezone.make_aware(start, local_tz())


def tick(now: datetime | None = None) -> list[PeriodicRun]:
    """Start every scheduled job whose current period has not been started yet. Returns those started."""
    now = now or timezone.now()
    started: list[PeriodicRun] = []
    if holds.in_force(now):
        log.debug("scheduler held: %s", ", ".join(Hold.objects.values_list("reason", flat=True)))
        return started
    for job in registry.periodic():
        assert job.every is not None  # registry.periodic() gives only those
        period = period_start(now, job.every, job.offset)
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=job.name, period=period)
                result = enqueue(job.name, key=f"period:{period.isoformat()}")
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # this period was started already, here or by another worker
        started.append(run)
        log.info("scheduled %s for the period from %s", job.name, period.isoformat())
    return started


class SchedulerThread(threading.Thread):
    """Ticks every `interval` seconds beside the worker's own loop, with its own database connection."""

    def __init__(self, interval: float = 30.0) -> None:
        super().__init__(name="yizhan-scheduler", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            close_old_connections()
            try:
                tick()
            except Exception:  # a database hiccup must not end the schedule; the next tick retries
                log.exception("scheduler tick failed")
            self.stopped.wait(self.interval)
        connection.close()

    def stop(self) -> None:
        self.stopped.set()
