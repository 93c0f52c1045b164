"""The one task every job runs through (`run_job`), and how jobs are put on the queue."""

import logging
import traceback
from datetime import datetime
from typing import Any

from django.utils import timezone
from django_tasks import TaskContext, TaskResult, task

from yizhan.jobs import registry
from yizhan.jobs.models import JobRun

log = logging.getLogger("yizhan.jobs")


def enqueue(name: str, *, key: str = "", **kwargs: Any) -> TaskResult:
    """Start job `name` in the background with `kwargs`; `key` makes it run at most once successfully.
    Returns the backend's TaskResult."""
    return put(name, key=key, kwargs=kwargs)


def put(name: str, *, key: str = "", attempt: int = 1, run_after: datetime | None = None,
        kwargs: dict[str, Any] | None = None) -> TaskResult:
    """Put job `name` on the queue (after `run_after`, when given): a first run or a retry."""
    registry.get(name)  # an unknown name fails here, in the caller, not later in a worker
    target = run_job if run_after is None else run_job.using(run_after=run_after)
    return target.enqueue(name, key, attempt, kwargs or {})


@task(takes_context=True)
def run_job(context: TaskContext, name: str, key: str, attempt: int, kwargs: dict[str, Any]) -> Any:
    job = registry.get(name)
    result = context.task_result
    run = JobRun(job=name, key=key, attempt=attempt, task_id=str(result.id), backend=result.backend,
                 started_at=timezone.now())
    if key and JobRun.objects.filter(job=name, key=key, status=JobRun.Status.SUCCEEDED).exists():
        run.status, run.finished_at = JobRun.Status.SKIPPED, run.started_at
        run.save()
        return None
    run.save()
    try:
        value = job.func(**kwargs)
    except Exception as exc:
        run.status, run.finished_at = JobRun.Status.FAILED, timezone.now()
        run.error = "".join(traceback.format_exception(exc))[-20000:]
        if attempt <= job.retries:
            run.retry_at = run.finished_at + job.retry_delay(attempt)
            try:
                put(name, key=key, attempt=attempt + 1, run_after=run.retry_at, kwargs=kwargs)
            except Exception:
                log.exception("job %s: could not queue attempt %d", name, attempt + 1)
                run.retry_at = None
        run.save()
        log.exception("job %s (key %r) failed on attempt %d", name, key, attempt)
        raise
    run.status, run.finished_at, run.result = JobRun.Status.SUCCEEDED, timezone.now(), value
    run.save()
    return value
