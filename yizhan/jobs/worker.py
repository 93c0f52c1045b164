"""Running the queue: the database backend's worker loop or an RQ worker, with the scheduler beside it."""

import logging
import time

import django_rq
import rq
from django.conf import settings
from django.db.utils import OperationalError
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.utils import is_locked_database_exception
from django_tasks_rq import Job

from yizhan.jobs.scheduler import SchedulerThread, tick

logger = logging.getLogger(__name__)


def backend_kind() -> str:
    """"database" or "rq": which queue the default task backend is."""
    return "rq" if str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_rq") else "database"


def run_worker(*, scheduler: bool = True, batch: bool = False, max_tasks: int | None = None,
               interval: float = 1.0, scheduler_interval: float = 30.0) -> None:
    """Work the default backend's queue until stopped (or, with `batch`, until it is empty)."""
    ticker = SchedulerThread(scheduler_interval) if scheduler and not batch else None
    if scheduler and batch:
        tick()  # once, here, so that a batch run also starts what is due
    if ticker is not None:
        ticker.start()
    try:
        if backend_kind() == "rq":
            _run_rq(batch=batch, max_tasks=max_tasks)
        else:
            _run_database(batch=batch, max_tasks=max_tasks, interval=interval)
    finally:
        if ticker is not None:
            ticker.stop()


def _run_database(*, batch: bool, max_tasks: int | None, interval: float) -> None:
    worker = Worker(queue_names=["*"], interval=interval, batch=batch, backend_name="default",
                    startup_delay=not batch, max_tasks=max_tasks, worker_id=get_random_string(32),
                    excluded_queue_names=[])
    if not batch:
        worker.configure_signals()
    while True:
        try:
            worker.run()
            return
        except OperationalError as exc:
            # django-tasks-db keeps polling when its claim meets a locked SQLite database, but not when
            # the transaction around the claim cannot begin: a long write elsewhere (an import, the
            # demo's replay) would end the worker, and `yizhan serve` with it. Wait and poll again.
            if batch or not is_locked_database_exception(exc) or not worker.running:
                raise
            logger.warning("worker: database busy (%s); polling again in %.0f s", exc, interval)
            time.sleep(interval)


def _run_rq(*, batch: bool, max_tasks: int | None) -> None:
    # A batch run works in this process (tests, one-off runs); a long-running worker forks per job
    # so that a job that leaks memory or hangs cannot take the worker with it.
    worker_class = rq.SimpleWorker if batch else rq.Worker
    worker = django_rq.get_worker(*settings.TASKS["default"].get("QUEUES", ["default"]), job_class=Job,
                                  worker_class=worker_class)  # type: ignore[arg-type]  # any rq worker class
    worker.work(burst=batch, with_scheduler=True, max_jobs=max_tasks)
