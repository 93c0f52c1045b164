"""The demo city's present, built at a small scale up to this moment: every default screen of the hall
and the CDC has something of today to show, read through the screens' own responses."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from yizhan.calendar.workdays import current_calendar, local_date
from yizhan.clock.models import AccountabilityRecord
from yizhan.clock.warnings import Level
from yizhan.demo.accounts import DEMO_ACCOUNTS, ensure_demo_accounts
from yizhan.demo.present import CLERK_WINDOW, build_present, present_state
from yizhan.demo.queue_groups import ensure_queue_groups
from yizhan.demo.seed_replay import CENTER_CODE, start_replay
from yizhan.hall.models import OPEN_STATES, Appointment, AppointmentState, Case, Complaint, Rectification
from yizhan.org.models import OrgUnit
from yizhan.surveillance import demo as surveillance_demo
from yizhan.surveillance.models import CardState, Incident, IncidentState, Method, Signal, SignalState

pytestmark = [pytest.mark.slow, pytest.mark.once_on_postgresql]
SCALE = 0.02


@pytest.fixture
def present(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    now = timezone.now()
    start_replay(scale=SCALE, seed=1)
    ensure_queue_groups(OrgUnit.objects.get(code=CENTER_CODE))
    result = build_present(now, scale=SCALE)
    ensure_demo_accounts(DEMO_ACCOUNTS)
    return now, result


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_clerks_worklist_shows_today_at_every_warning_level_with_notices_refusals_and_accountability(present):
    now, result = present
    assert present_state() == "finished" and result.cases > 0
    bench = signed_in("clerk").get("/workbench/")
    assert bench.status_code == 200 and bench.context["window"].code == CLERK_WINDOW
    levels = {row.level for row in bench.context["rows"]}
    wanted = {Level.NORMAL, Level.YELLOW, Level.OVERDUE}
    if current_calendar().is_workday(local_date(now)):
        wanted.add(Level.RED)  # a working-day deadline falls on a working day
    assert wanted <= levels
    at_window = Case.objects.filter(window__code=CLERK_WINDOW, state__in=OPEN_STATES)
    assert at_window.filter(awaiting_supplement=True).exists()  # a one-time notice waiting for materials
    assert at_window.filter(pending_refusal=True).exists()  # a refusal waiting for the head's signature
    # This evening's (or the next) extended hours have appointments booked.
    assert Appointment.objects.filter(state=AppointmentState.BOOKED, starts_at__gt=now).exists()
    # Every case open past its statutory limit has its accountability record, made by the sweep.
    breached = [c for c in Case.objects.filter(state__in=OPEN_STATES).select_related("statutory_timer")
                if c.statutory_timer and c.statutory_timer.deadline < now]
    assert breached
    recorded = set(AccountabilityRecord.objects.filter(subject_type="hall.case").values_list("subject_id", flat=True))
    assert {str(c.pk) for c in breached} <= recorded


def test_the_supervisor_board_and_landing_page_show_the_present(present):
    now, _result = present
    page = signed_in("supervisor").get("/supervisor/")
    tables = page.context["tables"]
    assert tables["warnings"]["table"].rows and tables["refusals"]["table"].rows
    assert any(row[-1] for row in tables["warnings"]["table"].rows)  # a green-channel case among the warnings
    assert tables["ranking"]["table"].rows and tables["daily"]["table"].rows
    assert Rectification.objects.exclude(state="closed").exists()  # a bad rating under rectification
    assert Complaint.objects.filter(replied_at=None).exists()  # a complaint whose reply is due
    home = Client().get("/")
    figures = {f["key"]: f["value"] for f in home.context["figures"]}
    assert home.context["last"] >= local_date(now) - timedelta(days=7)
    assert figures["accepted"] > 0 and figures["consultations"] > 0
    # 超期未办结 and 问责记录 agree: the open cases past the statutory limit are among those overdue, and
    # each has its record in the period shown.
    assert figures["overdue_open"] >= figures["accountability"] > 0
    board = Client().get("/board/")
    assert board.status_code == 200 and board.context["benchmarks"]


def test_the_cdc_sees_this_seasons_cards_signals_an_incident_and_quiet_clinics(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    now = timezone.now()
    surveillance_demo.build()
    made = surveillance_demo.build_present(now)
    assert made["cards"] > 100 and surveillance_demo.build_present(now) == {}  # built once
    ensure_demo_accounts(surveillance_demo.ACCOUNTS)
    epi = signed_in("epidemiologist")
    queue = epi.get("/surveillance/review/")
    counts = {level: n for level, _label, n in queue.context["levels"]}
    assert all(counts[level] >= 1 for level in (Level.NORMAL, Level.YELLOW, Level.RED, Level.OVERDUE))
    assert queue.context["held"] >= 1
    assert all(row["card"].reported_at.year == now.year or row["card"].reported_at > now - timedelta(days=60)
               for row in queue.context["rows"])  # nothing left over from 2010
    dashboard = epi.get("/surveillance/")
    methods = {row["signal"].method for row in dashboard.context["signals"]}
    assert {Method.FIXED, Method.MPM} <= methods
    cholera = Signal.objects.get(disease__code="A00", state=SignalState.OPEN)
    assert cholera.timer.limit_amount == 2 and cholera.timer.deadline > now
    live = [row for row in dashboard.context["incidents"] if row["live"]]
    assert live and live[0]["times"]["response"]["met"] is not None
    assert Incident.objects.filter(state=IncidentState.EVENT, responded_at__isnull=False).exists()
    zero = dict((key, value) for key, _label, value in dashboard.context["quality"])["zero-report"]
    assert int(zero) >= surveillance_demo.QUIET_VILLAGES
    assert dashboard.context["last"] >= local_date(now) - timedelta(days=1)
    assert not Signal.objects.filter(state=SignalState.OPEN, opened_on__year=2010).exists()
    assert not surveillance_demo.CaseCard.objects.filter(state=CardState.PENDING, reported_at__year=2010).exists()
