"""The Redis backend (RQ) for larger deployments, against the local Redis on 127.0.0.1:6379 (database
15 or 14, emptied first): the same jobs, retries and run records, worked by an RQ worker."""

import pytest
import redis
from django.db import connection

from tests.jobs.test_jobs import CALLS, runs  # noqa: F401  (registers tests.flaky)
from yizhan.clock.models import AccountabilityRecord
from yizhan.jobs.runner import enqueue
from yizhan.jobs.worker import backend_kind, run_worker

# One Redis database per pass of scripts/test, which run side by side; its tests on one worker of a pass.
URL = f"redis://127.0.0.1:6379/{15 if connection.vendor == 'sqlite' else 14}"
pytestmark = pytest.mark.xdist_group("redis")


@pytest.fixture
def rq_backend(settings):
    redis.Redis.from_url(URL).flushdb()
    settings.RQ_QUEUES = {"default": {"URL": URL, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    yield
    redis.Redis.from_url(URL).flushdb()


@pytest.mark.django_db(transaction=True)
def test_the_rq_worker_runs_the_sweep_through_redis(rq_backend, hall):
    assert backend_kind() == "rq"
    hall.accepted(when="2010-03-01 10:00")
    result = enqueue("hall.accountability_sweep")
    assert redis.Redis.from_url(URL).exists(f"rq:job:{result.id}")
    run_worker(scheduler=False, batch=True)
    assert runs("hall.accountability_sweep") == [(1, "succeeded")]
    assert AccountabilityRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failure_is_retried_through_the_rq_scheduler(rq_backend):
    CALLS.clear()
    enqueue("tests.flaky", fail_times=1)
    run_worker(scheduler=False, batch=True)
    assert runs("tests.flaky") == [(1, "failed")]
    run_worker(scheduler=False, batch=True)  # the retry was scheduled in Redis; this run starts it
    assert runs("tests.flaky") == [(1, "failed"), (2, "succeeded")]
