"""A long case import, in its own process against a real database: a clerk's write goes through while
it runs, and an import killed midway (kill -9) leaves whole cases only, which the same command run
again completes without importing any case twice."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.hall.test_concurrency import LIMIT, ROOT, hall_process  # noqa: F401  (fixture)

HEADER = "case_no,matter_code,window_code,received_at,accepted_at,completed_at,outcome\n"
CASES = 800


def history(path: Path) -> Path:
    lines = [f"IMP-{n:05d},LIC,W11,2010-03-{1 + n % 20:02d}T09:00,2010-03-{1 + n % 20:02d}T09:30,"
             f"2010-03-{5 + n % 20:02d}T10:00,approved\n" for n in range(CASES)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def imported(env: dict[str, str]) -> list[tuple[str, str]]:
    """(case_no, state) of every imported case, read over a connection of its own."""
    sql = "SELECT case_no, state FROM hall_case WHERE case_no LIKE 'IMP-%' ORDER BY case_no"
    if connection.vendor == "sqlite":
        with sqlite3.connect(env["YIZHAN_DATABASE_URL"].removeprefix("sqlite:///"), timeout=30) as db:
            return db.execute(sql).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def start_import(env: dict[str, str], path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "yizhan", "hall", "import-cases", str(path)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_cases(env: dict[str, str], process: subprocess.Popen, at_least: int) -> None:
    deadline = time.monotonic() + LIMIT
    while len(imported(env)) < at_least:
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_clerk_writes_while_an_import_runs(hall_process, tmp_path):  # noqa: F811
    hall = hall_process("setup", "1")
    env = hall_process.env
    importing = start_import(env, history(tmp_path / "cases.csv"))
    try:
        wait_for_cases(env, importing, 1)
        answers = hall_process("storm", stdin={"key": hall["key"], "requests": [
            [f"/api/hall/cases/{hall['cases'][0]}/pause", {"reason": "hearing"}]]})
        still_importing = importing.poll() is None
    finally:
        importing.wait(timeout=LIMIT)
    assert answers[0][0] == 200, answers
    assert still_importing, "the clerk's write had to wait for the whole import"
    assert importing.returncode == 0, importing.stderr.read()
    assert len(imported(env)) == CASES


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_import_killed_midway_is_completed_by_running_it_again(hall_process, tmp_path):  # noqa: F811
    hall_process("setup", "1")
    env = hall_process.env
    path = history(tmp_path / "cases.csv")
    importing = start_import(env, path)
    wait_for_cases(env, importing, 30)
    os.kill(importing.pid, signal.SIGKILL)
    importing.wait(timeout=LIMIT)
    halfway = imported(env)
    assert 30 <= len(halfway) < CASES
    assert {state for _no, state in halfway} == {"completed"}  # whole cases only

    again = start_import(env, path)
    out, err = again.communicate(timeout=LIMIT)
    assert again.returncode == 0, err
    assert f"导入办件 {CASES - len(halfway)} 件" in out and f"{len(halfway)} 件此前已导入" in out
    done = imported(env)
    assert [no for no, _state in done] == [f"IMP-{n:05d}" for n in range(CASES)]
    assert {state for _no, state in done} == {"completed"}
