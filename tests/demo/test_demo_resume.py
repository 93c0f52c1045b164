"""`yizhan demo` killed mid-replay (kill -9): the next start says so, finishes the replay and shows the
engine's figures equal to the plan, instead of serving a half-built city."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 600  # seconds any start may take (the present and the other systems come before 2010)


def table(text: str) -> dict[str, list[str]]:
    """The seed table's rows: label → [engine, plan] cells."""
    labels = ("咨询事项", "受理事项", "办结事项", "即办事项", "即办率", "按时办结率", "有效投诉")
    rows = {}
    for line in text.splitlines():
        cells = line.split()
        if cells and cells[0] in labels:
            rows[cells[0]] = cells[1:]
    return rows


def days_recorded(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM audit_auditevent WHERE action = 'demo.replay.day'").fetchone()[0]
    except sqlite3.OperationalError:  # not migrated yet
        return 0


@pytest.mark.slow
@pytest.mark.once_on_sqlite  # the demo as README starts it
def test_a_demo_killed_mid_replay_finishes_it_on_the_next_start(tmp_path):
    db = tmp_path / "demo.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yizhan.settings", "YIZHAN_DATA_DIR": str(tmp_path),
           "YIZHAN_DATABASE_URL": f"sqlite:///{db}"}
    command = [sys.executable, "-m", "yizhan", "demo", "--no-serve"]
    # Its output goes to a file: a pipe nobody reads would stop the build once full.
    log = tmp_path / "first-start.log"
    with open(log, "w") as out:
        first = subprocess.Popen([*command, "--scale", "0.02"], env=env, cwd=ROOT, stdout=out,
                                 stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + LIMIT
    while days_recorded(db) < 20:
        assert first.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline
        time.sleep(0.1)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=LIMIT)

    second = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=LIMIT)
    assert second.returncode == 0, second.stderr
    assert "重放未完成" in second.stdout
    rows = table(second.stdout)
    assert len(rows) == 7
    for label, (engine, plan, *_rest) in ((k, v) for k, v in rows.items() if not k.endswith("率")):
        assert engine == plan, (label, engine, plan)
    assert rows["受理事项"][0] != "0"

    third = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=LIMIT)
    assert third.returncode == 0 and "跳过重放" in third.stdout
