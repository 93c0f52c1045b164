"""`yizhan simulate`: the city's people at work through the services, many times faster than real time
without an error, and stopped cleanly by SIGTERM between two actions."""

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.ops.conftest import ROOT, _migrated_template, migrated, wait_for  # noqa: F401  (fixtures)
from yizhan.demo.queue_groups import ensure_queue_groups
from yizhan.demo.seed_replay import CENTER_CODE, start_replay
from yizhan.demo.simulate import Simulator
from yizhan.hall.models import Case, CaseState, Consultation, Ticket, TicketState
from yizhan.org.models import OrgUnit
from yizhan.surveillance import demo as surveillance_demo
from yizhan.surveillance.models import CaseCard

pytestmark = [pytest.mark.slow, pytest.mark.once_on_postgresql]


def test_a_thousand_actions_at_full_speed_move_the_figures_without_an_error(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    start_replay(scale=0.01, seed=1)
    ensure_queue_groups(OrgUnit.objects.get(code=CENTER_CODE))
    surveillance_demo.build()
    before = (Case.objects.count(), Ticket.objects.count(), Consultation.objects.count(), CaseCard.objects.count())
    simulator = Simulator(speed=1_000_000, seed=7, around_the_clock=True)
    stats = simulator.run(max_steps=1_000)
    assert stats.errors == 0, stats.as_dict()
    assert stats.done >= 800  # the rest refused by a rule: nothing waiting for that action then
    after = (Case.objects.count(), Ticket.objects.count(), Consultation.objects.count(), CaseCard.objects.count())
    assert all(a > b for a, b in zip(after, before, strict=True)), (before, after)
    assert Case.objects.filter(state=CaseState.COMPLETED).exists() and {"review", "decision", "call"} <= set(
        stats.actions)
    # Each action is whole: no case left decided without its completion, no number called but not served.
    assert not Case.objects.filter(state=CaseState.DECIDED).exists()
    assert not Ticket.objects.filter(state=TicketState.CALLED).exists()


def test_sigterm_stops_the_simulator_after_the_action_under_way(migrated):  # noqa: F811
    built = migrated.yizhan("shell", "-c", "from yizhan.demo.seed_replay import start_replay; "
                            "from yizhan.demo.queue_groups import ensure_queue_groups; "
                            "from yizhan.org.models import OrgUnit; start_replay(scale=0.01, seed=1); "
                            "ensure_queue_groups(OrgUnit.objects.get(code='440783'))")
    assert built.returncode == 0, built.stderr
    proc = subprocess.Popen([sys.executable, "-m", "yizhan", "simulate", "--speed", "1000000", "--around-the-clock",
                             "--seed", "3"], env=migrated.env(), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        wait_for(lambda: migrated.query("select count(*) from hall_case")[0][0] >= 20, 120, "the simulator acts")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, err
    stats = json.loads(out.strip().splitlines()[-1])
    assert stats["errors"] == 0 and stats["actions"] >= 20
    assert migrated.query("select count(*) from hall_case where state = 'decided'")[0][0] == 0
    assert migrated.query("select count(*) from hall_ticket where state = 'called'")[0][0] == 0
