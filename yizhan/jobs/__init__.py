"""Background and scheduled work, through Django's tasks framework (the django-tasks backport).

An app declares its jobs in its own `tasks.py` (found at start-up, like admin.py):

    from yizhan.jobs import job

    @job("hall.accountability_sweep", every=timedelta(minutes=15))
    def accountability_sweep() -> dict: ...

and anything may start one in the background with `yizhan.jobs.runner.enqueue("hall.accountability_sweep")`
(the package itself imports no model: it is loaded as an app, before the models are ready).
Every job runs through one task (`runner.run_job`), which records each run (JobRun, in the admin),
skips a key that already succeeded, and retries a failure with a growing delay. Jobs with `every`
are started once per period by the scheduler inside `yizhan worker` (scheduler.py).
"""

from yizhan.jobs.registry import Job, job

__all__ = ["Job", "job"]
