"""Background jobs on the database backend, worked by the real worker loop against the test database
(SQLite or PostgreSQL): scheduling once per period, retries, idempotency, reminders, the admin."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db.utils import OperationalError
from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests.factories import at
from yizhan.clock.models import AccountabilityRecord
from yizhan.jobs import job, notify
from yizhan.jobs.models import JobRun, Notification, PeriodicRun
from yizhan.jobs.registry import REGISTRY
from yizhan.jobs.runner import enqueue
from yizhan.jobs.scheduler import period_start, tick
from yizhan.jobs.worker import run_worker

# The worker checks its connection between tasks as in production (close_old_connections), which
# would close a test's open transaction: the tests that run it commit for real (then a flush).
worker_test = pytest.mark.django_db(transaction=True)

CALLS: list[str] = []


@job("tests.flaky", retries=2, backoff=timedelta(0))
def flaky(fail_times: int) -> dict:
    """Fails its first `fail_times` calls (counted in CALLS), then succeeds."""
    CALLS.append("call")
    if len(CALLS) <= fail_times:
        raise RuntimeError(f"failure {len(CALLS)}")
    return {"calls": len(CALLS)}


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()
    yield
    CALLS.clear()


def work() -> None:
    run_worker(scheduler=False, batch=True)


def runs(name: str) -> list[tuple[int, str]]:
    return [(r.attempt, r.status) for r in JobRun.objects.filter(job=name).order_by("attempt", "pk")]


def test_periods_are_local_and_aligned():
    assert period_start(at("2026-12-02 14:37"), timedelta(minutes=15)) == at("2026-12-02 14:30")
    assert period_start(at("2026-12-02 02:59"), timedelta(days=1), timedelta(hours=3)) == at("2026-12-01 03:00")
    assert period_start(at("2026-12-02 03:00"), timedelta(days=1), timedelta(hours=3)) == at("2026-12-02 03:00")
    assert period_start(at("2026-12-02 14:37"), timedelta(weeks=1)) == at("2026-11-30 00:00")  # a Monday


def test_the_scheduler_starts_each_periodic_job_once_per_period(db):
    periodic = {name for name, j in REGISTRY.items() if j.every}
    assert {"hall.accountability_sweep", "hall.warning_reminders", "jobs.prune"} <= periodic
    first = tick(at("2026-12-02 14:31"))
    assert {r.job for r in first} == periodic
    assert tick(at("2026-12-02 14:44")) == []  # same periods: a second tick (or worker) starts nothing
    later = tick(at("2026-12-02 14:46"))
    assert {r.job for r in later} == {"hall.accountability_sweep"}  # only its 15-minute period turned
    assert PeriodicRun.objects.filter(job="hall.accountability_sweep").count() == 2
    assert DBTaskResult.objects.count() == len(first) + len(later)


@worker_test
def test_the_worker_runs_the_sweep_and_the_run_is_recorded(hall):
    case = hall.accepted(when="2010-03-01 10:00")  # long past its statutory deadline
    result = enqueue("hall.accountability_sweep")
    work()
    assert runs("hall.accountability_sweep") == [(1, "succeeded")]
    assert JobRun.objects.get().result == {"created": 1}
    assert AccountabilityRecord.objects.get().subject_id == str(case.pk)
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    enqueue("hall.accountability_sweep")
    work()
    assert AccountabilityRecord.objects.count() == 1  # idempotent: the second sweep creates nothing
    assert JobRun.objects.filter(result={"created": 0}).count() == 1


@worker_test
def test_a_failing_job_is_retried_until_it_succeeds(db):
    enqueue("tests.flaky", fail_times=2)
    work()
    assert runs("tests.flaky") == [(1, "failed"), (2, "failed"), (3, "succeeded")]
    failed = JobRun.objects.filter(job="tests.flaky", status="failed").order_by("attempt").first()
    assert "RuntimeError: failure 1" in failed.error and failed.retry_at is not None
    assert list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True)) == [
        "FAILED", "FAILED", "SUCCESSFUL"]


@worker_test
def test_retries_stop_after_the_last_attempt(db):
    enqueue("tests.flaky", fail_times=10)
    work()
    assert runs("tests.flaky") == [(1, "failed"), (2, "failed"), (3, "failed")]
    assert JobRun.objects.filter(job="tests.flaky").order_by("attempt").last().retry_at is None
    assert DBTaskResult.objects.filter(status="READY").count() == 0


@worker_test
def test_a_key_that_succeeded_is_not_run_again(db):
    enqueue("tests.flaky", key="once", fail_times=0)
    enqueue("tests.flaky", key="once", fail_times=0)
    work()
    assert runs("tests.flaky") == [(1, "succeeded"), (1, "skipped")]
    assert CALLS == ["call"]


def test_an_unknown_job_is_refused_when_queued(db):
    from yizhan.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        enqueue("no.such.job")
    assert error.value.field == "job"
    assert DBTaskResult.objects.count() == 0


@worker_test
def test_warning_reminders_mail_each_handler_once_per_level(hall):
    hall.clerk.email = "clerk@example.org"
    hall.clerk.save()
    case = hall.accepted(when="2010-03-01 10:00")
    enqueue("hall.warning_reminders")
    work()
    assert len(mail.outbox) >= 1
    assert {m.to[0] for m in mail.outbox} == {"clerk@example.org"}
    assert all(case.case_no in m.subject and case.case_no in m.body for m in mail.outbox)
    sent = len(mail.outbox)
    assert Notification.objects.count() == sent
    enqueue("hall.warning_reminders")
    work()
    assert len(mail.outbox) == sent  # already sent: a second run sends nothing
    assert JobRun.objects.filter(job="hall.warning_reminders", status="succeeded").count() == 2


class Recorder:
    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))


class Broken:
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("gateway down")


@worker_test
def test_sms_goes_through_the_configured_sender_once(db, settings):
    settings.YIZHAN_SMS_BACKEND = "tests.jobs.test_jobs.Recorder"
    Recorder.sent.clear()
    for _ in range(2):
        enqueue("jobs.notify", topic="case-1-done", channel="sms", recipient="13812345678", body="您的办件已办结")
    work()
    assert Recorder.sent == [("13812345678", "您的办件已办结")]
    assert runs("jobs.notify") == [(1, "succeeded"), (1, "succeeded")]
    assert [r.result for r in JobRun.objects.filter(job="jobs.notify").order_by("pk")] == [{"sent": True}, {"sent": False}]


def test_a_failed_send_leaves_no_record_so_the_retry_sends(db, settings):
    settings.YIZHAN_SMS_BACKEND = "tests.jobs.test_jobs.Broken"
    with pytest.raises(ConnectionError):
        notify.send("k", "sms", "13812345678", "text")
    assert not Notification.objects.exists()
    settings.YIZHAN_SMS_BACKEND = "tests.jobs.test_jobs.Recorder"
    Recorder.sent.clear()
    assert notify.send("k", "sms", "13812345678", "text") is True
    assert notify.send("k", "sms", "13812345678", "text") is False
    assert len(Recorder.sent) == 1


@worker_test
def test_runs_are_visible_read_only_in_the_admin(db, admin_user):
    enqueue("tests.flaky", fail_times=1)
    work()
    client = Client()
    client.force_login(admin_user)
    page = client.get("/admin/jobs/jobrun/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "tests.flaky" in html and "失败" in html and "成功" in html
    assert client.get("/admin/jobs/jobrun/add/").status_code == 403
    assert client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 200


def test_the_worker_outlasts_a_database_locked_by_a_long_write(db, monkeypatch, caplog):
    """A replay or an import holding SQLite's write lock used to end the worker, and `yizhan serve`
    with it; the worker now polls again once the lock is gone."""
    runs = []

    def run(self):
        runs.append(self)
        if len(runs) == 1:
            raise OperationalError("database is locked")

    monkeypatch.setattr(Worker, "run", run)
    monkeypatch.setattr(Worker, "configure_signals", lambda self: None)
    run_worker(scheduler=False, interval=0)
    assert len(runs) == 2 and runs[0] is runs[1]
    assert "database busy" in caplog.text

    def broken(self):
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(Worker, "run", broken)
    with pytest.raises(OperationalError, match="no such table"):
        run_worker(scheduler=False, interval=0)
