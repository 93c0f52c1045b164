"""The clock runs for real in a served city: `yizhan demo` starts the worker with its periodic
schedule (held while the build writes history), and a cholera card reported through the screen
raises its single-case signal through the real worker within a minute, with a 2-hour clock."""

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.ops.conftest import ROOT, _migrated_template, free_port, migrated, scratch, wait_for  # noqa: F401
from yizhan.demo.places import TOWNSHIPS
from yizhan.identifiers import resident_id_check_char
from yizhan.jobs import registry
from yizhan.jobs.scheduler import period_start
from yizhan.surveillance.demo import town_division

pytestmark = [pytest.mark.slow, pytest.mark.once_on_sqlite]  # the demo as README serves it


def aware(value) -> datetime:
    """A timestamp as the database returns it (SQLite: naive UTC text or datetime)."""
    value = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Served:
    def __init__(self, db, tmp_path, *command: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"served-{self.port}.log"
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "yizhan", *command, "--port", str(self.port)],
                                         env=db.env(YIZHAN_WEB_WORKERS="2", YIZHAN_WEB_THREADS="2"), cwd=ROOT,
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.jar = jar

    def get(self, path: str) -> str:
        assert self.proc.poll() is None, self.log.read_text()[-3000:]
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict[str, str]) -> str:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()

    def answering(self) -> bool:
        try:
            return bool(self.get("/"))
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def test_every_scheduled_job_runs_within_its_period_in_a_served_demo(scratch, tmp_path):  # noqa: F811
    served = Served(scratch, tmp_path, "demo", "--scale", "0.005", "--no-simulate")
    try:
        wait_for(served.answering, 240, "the demo serves")
        progress = scratch.data_dir / "startup-progress.json"
        wait_for(lambda: progress.exists() and json.loads(progress.read_text())["stage"] == "finished", 600,
                 "the demo city is built")
        built = timezone.now()
        # Nothing periodic ran while the build wrote history (the schedule was held) ...
        early = scratch.query("select count(*) from jobs_periodicrun where enqueued_at < "
                              "(select min(at) from audit_auditevent where action = 'demo.present.finished')")
        assert early[0][0] == 0
        # ... and every job of the schedule has run for its current period since.
        jobs = registry.periodic()
        assert {"hall.accountability_sweep", "surveillance.detect", "surveillance.accountability_sweep"} <= {
            j.name for j in jobs}

        def all_ran() -> bool:
            done = {row[0] for row in scratch.query(
                "select job || ' ' || key from jobs_jobrun where status = 'succeeded'")}
            return all(any(f"{j.name} period:{period_start(at, j.every, j.offset).isoformat()}" in done
                           for at in (built, timezone.now())) for j in jobs)

        wait_for(all_ran, 120, "every scheduled job ran in its period")
    finally:
        served.stop()


def test_a_cholera_card_reported_on_the_screen_raises_its_signal_within_a_minute(migrated, tmp_path):  # noqa: F811
    built = migrated.yizhan("shell", "-c", "from yizhan.surveillance import demo; demo.build(); "
                            "from yizhan.demo.accounts import ensure_demo_accounts; "
                            "ensure_demo_accounts(demo.ACCOUNTS)")
    assert built.returncode == 0, built.stderr
    password = dict(line.split("\t") for line in (migrated.data_dir / "demo-accounts.txt").read_text().splitlines())
    served = Served(migrated, tmp_path, "serve")
    try:
        wait_for(served.answering, 120, "the server answers")
        login = served.get("/login/")
        assert "csrfmiddlewaretoken" in login
        served.post("/login/", {"username": "clinic", "password": password["clinic"]})
        form = served.get("/surveillance/report/")
        unit = re.search(r'name="reporting_unit"[^>]*>.*?<option value="(\d+)"', form, re.S).group(1)
        now = timezone.localtime()
        reported = datetime.now(tz=now.tzinfo)
        first17 = "440783197005011" + "23"
        village = town_division(TOWNSHIPS.index("赤坎")) + "201"  # the clinic account's village
        served.post("/surveillance/report/", {
            "reporting_unit": unit, "name": "谭某", "sex": "M", "id_number": first17 + resident_id_check_char(first17),
            "birth_date": "1970-05-01", "address_division": village, "house_number": "12 号",
            "occupation": "fisherman", "classification": "confirmed", "disease": "A00",
            "onset_date": (now - timedelta(days=1)).date().isoformat(),
            "diagnosed_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "doctor": "赤坎医生",
            "doctor_phone": "13902221234", "filled_on": now.date().isoformat()})
        assert migrated.query("select count(*) from surveillance_casecard c join surveillance_disease d "
                              "on d.id = c.disease_id where d.code = 'A00'")[0][0] == 1
        rows = wait_for(lambda: migrated.query(
            "select s.opened_at, t.deadline, t.limit_amount, t.limit_unit from surveillance_signal s "
            "join surveillance_disease d on d.id = s.disease_id join clock_timer t on t.id = s.timer_id "
            "where d.code = 'A00' and s.method = 'fixed'"), 60, "the cholera signal is raised")
        opened, deadline, amount, unit_kind = rows[0]
        opened, deadline = (aware(v) for v in (opened, deadline))
        assert (amount, unit_kind) == (2, "h") and deadline - opened == timedelta(hours=2)
        assert timedelta(0) <= opened - reported < timedelta(seconds=60)
        # The epidemiologist on duty was told (without a mail host, the mail is written to the worker's log).
        wait_for(lambda: re.search(r"To: epi@cdc\.kaiping\.example.*?【预警信号】霍乱", served.log.read_text(), re.S), 30,
                 "the duty epidemiologist is notified")
    finally:
        served.stop()
