"""Conflicting transitions sent at the same moment through the real API by 20–50 clients, each on its
own database connection, in a separate process against a real database file (SQLite) or server
(PostgreSQL): exactly one wins, every other gets 409 with the error envelope, nothing answers 500,
and the case's clock stays whole."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 180  # seconds: no storm process may run longer


@pytest.fixture
def hall_process(tmp_path: Path):
    """Runs tests.hall.storm against this test's database: a function (mode, *args, stdin) → JSON, with
    the environment of such processes as its `env`."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yizhan.settings", "YIZHAN_DATA_DIR": str(tmp_path)}
    if connection.vendor == "sqlite":
        # The test database is in memory; the clients share a database file of their own.
        env["YIZHAN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'hall.sqlite3'}"
        subprocess.run([sys.executable, "-m", "yizhan", "migrate", "-v0"], env=env, check=True, timeout=LIMIT)
    else:
        s = connection.settings_dict
        env["YIZHAN_DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        # Fewer pooled connections than clients: the pool, not the server's limit, makes them wait.
        env["YIZHAN_DB_POOL_SIZE"] = "5"

    def run(mode: str, *args: str, stdin: dict | None = None):
        done = subprocess.run([sys.executable, "-m", "tests.hall.storm", mode, *args], env=env, cwd=ROOT,
                              input=json.dumps(stdin) if stdin is not None else None, capture_output=True,
                              text=True, timeout=LIMIT)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout)

    run.env = env
    return run


def pause_path(case_no: str) -> str:
    return f"/api/hall/cases/{case_no}/pause"


def assert_one_winner(answers: list, what: str) -> None:
    statuses = [status for status, _body in answers]
    assert 500 not in statuses, answers
    assert statuses.count(200) == 1, (what, statuses)
    for status, body in answers:
        if status != 200:
            assert status == 409, (what, status, body)
            assert body["errors"] and {"field", "rule", "message"} <= set(body["errors"][0]), body


def assert_clock_whole(state: dict, *, paused: bool) -> None:
    for timer in state["timers"].values():
        assert timer["open_pauses"] == (1 if paused else 0), state
        assert (timer["paused_since"] is not None) == paused, state


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_thirty_pauses_of_one_case_one_wins_and_resume_works(hall_process):
    hall = hall_process("setup", "1")
    [case_no] = hall["cases"]
    answers = hall_process("storm", stdin={"key": hall["key"], "requests": [
        [pause_path(case_no), {"reason": "expert_review", "note": f"第 {i} 次"}] for i in range(30)]})
    assert_one_winner(answers, "pause")
    state = hall_process("state", case_no)[case_no]
    assert_clock_whole(state, paused=True)
    assert state["actions"].count("hall.case.paused") == 1

    answers = hall_process("storm", stdin={"key": hall["key"], "requests": [
        [f"/api/hall/cases/{case_no}/resume", {}] for _ in range(30)]})
    assert_one_winner(answers, "resume")
    state = hall_process("state", case_no)[case_no]
    assert_clock_whole(state, paused=False)
    assert [t["pauses"] for t in state["timers"].values()] == [1, 1]
    assert state["actions"].count("hall.case.resumed") == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_many_cases_at_once_each_has_one_winner(hall_process):
    hall = hall_process("setup", "10")
    cases = hall["cases"]
    # Per case: two pauses, a start of review twice and a withdrawal: pauses conflict with each other,
    # reviews with each other; the withdrawal may land before or after them.
    requests = []
    for case_no in cases:
        requests += [[pause_path(case_no), {"reason": "hearing"}]] * 2
        requests += [[f"/api/hall/cases/{case_no}/review", {}]] * 2
    answers = hall_process("storm", stdin={"key": hall["key"], "requests": requests})
    assert len(answers) == 40
    for i, case_no in enumerate(cases):
        pauses, reviews = answers[4 * i:4 * i + 2], answers[4 * i + 2:4 * i + 4]
        assert_one_winner(pauses, f"pause {case_no}")
        assert_one_winner(reviews, f"review {case_no}")
    states = hall_process("state", *cases)
    for case_no in cases:
        assert states[case_no]["state"] == "under_review"
        assert_clock_whole(states[case_no], paused=True)

    answers = hall_process("storm", stdin={"key": hall["key"], "requests": [
        [f"/api/hall/cases/{case_no}/withdraw", {"reason": "申请人撤回"}] for case_no in cases for _ in range(3)]})
    for i, case_no in enumerate(cases):
        assert_one_winner(answers[3 * i:3 * i + 3], f"withdraw {case_no}")
    states = hall_process("state", *cases)
    for case_no in cases:
        state = states[case_no]
        assert state["state"] == "withdrawn"
        assert all(t["stopped"] for t in state["timers"].values())
        assert_clock_whole(state, paused=False)
        assert state["actions"].count("hall.case.withdrawn") == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_fifty_clients_at_once_meet_no_connection_error(hall_process):
    """Fifty clients, each on a different case: on PostgreSQL through a pool of five connections."""
    hall = hall_process("setup", "50")
    answers = hall_process("storm", stdin={"key": hall["key"], "requests": [
        [pause_path(case_no), {"reason": "inspection"}] for case_no in hall["cases"]]})
    assert [status for status, _body in answers] == [200] * 50, [a for a in answers if a[0] != 200][:3]
    states = hall_process("state", *hall["cases"])
    for state in states.values():
        assert_clock_whole(state, paused=True)
