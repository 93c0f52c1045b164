"""The present in a real browser, on a demo built at a small scale up to this moment: the board, a
clerk's workbench, the supervisor view, the lookup, the CDC dashboard and review queue show today's
items, and the board's figures change within a minute while the city works (the simulator acting
beside it). Screenshots go to test-artifacts/screenshots/present-*.png."""

import threading

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import login, screenshot
from yizhan.demo.accounts import DEMO_ACCOUNTS, ensure_demo_accounts
from yizhan.demo.present import build_present
from yizhan.demo.queue_groups import ensure_queue_groups
from yizhan.demo.seed_replay import CENTER_CODE, start_replay
from yizhan.demo.simulate import Simulator
from yizhan.hall.models import Case, CaseState
from yizhan.org.models import OrgUnit
from yizhan.surveillance import demo as surveillance_demo

pytestmark = pytest.mark.slow
CLERK_WINDOW_NAME = "企业登记窗口"


@pytest.fixture
def city(transactional_db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    now = timezone.now()
    start_replay(scale=0.01, seed=1)
    ensure_queue_groups(OrgUnit.objects.get(code=CENTER_CODE))
    build_present(now, scale=0.01)
    surveillance_demo.build()
    surveillance_demo.build_present(now)
    accounts = ensure_demo_accounts(DEMO_ACCOUNTS + tuple(surveillance_demo.ACCOUNTS))
    return {username: password for username, password, _label, _created in accounts}


def test_the_first_screens_show_the_present_and_the_board_moves(page, live_server, city):
    # The lookup: an applicant finds a case of last week by its number and phone.
    case = Case.objects.filter(state__in=(CaseState.ACCEPTED, CaseState.UNDER_REVIEW),
                               received_at__gte=timezone.now() - timezone.timedelta(days=10)).exclude(
        applicant_phone="").first()
    page.goto("/lookup/")
    page.fill("#id_case_no", case.case_no)
    page.fill("#id_last4", "".join(ch for ch in case.applicant_phone if ch.isdigit())[-4:])
    page.click("#lookup-form button[type=submit]")
    expect(page.locator("#case-status")).to_be_visible()
    screenshot(page, "present-lookup")

    # The clerk's workbench: open cases at every warning level of the window.
    login(page, "clerk", city["clerk"])
    page.goto("/workbench/")
    for level in ("normal", "yellow", "overdue"):
        expect(page.locator(f"tr.level-{level}").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("已超时")
    expect(page.locator("main")).to_contain_text(CLERK_WINDOW_NAME)
    screenshot(page, "present-workbench", full_page=True)

    # The supervisor: warnings, refusals waiting, accountability, this month's figures and charts.
    page.context.clear_cookies()
    login(page, "supervisor", city["supervisor"])
    page.goto("/supervisor/")
    text = page.locator("main").inner_text()
    assert "已超时" in text and "经审查" in text
    screenshot(page, "present-supervisor", full_page=True)

    # The CDC: open signals (the single-case cholera signal among them), the incident, the queue.
    page.context.clear_cookies()
    login(page, "epidemiologist", city["epidemiologist"])
    page.goto("/surveillance/")
    expect(page.locator("#open-signals")).to_contain_text("霍乱")
    expect(page.locator("main")).to_contain_text("诺如病毒")
    screenshot(page, "present-cdc-dashboard", full_page=True)
    page.goto("/surveillance/review/")
    expect(page.locator("#queue-levels")).to_contain_text("红色预警")
    screenshot(page, "present-review-queue", full_page=True)

    # The board (no sign-in): this month's benchmark windows, today's numbers.
    page.context.clear_cookies()
    page.goto("/board/")
    expect(page.locator("#board-benchmarks li").first).to_be_visible()
    screenshot(page, "present-board")
    calls = page.locator("#board-calls").inner_text()
    # The city at work: a few hundred actions (tickets taken and called among them) while one watches.
    simulator = Simulator(speed=1_000_000, seed=5, around_the_clock=True)

    def work() -> None:
        try:
            simulator.run(max_steps=300)
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(120)
    assert simulator.stats.errors == 0
    expect(page.locator("#board-calls")).not_to_have_text(calls, timeout=60_000)
    screenshot(page, "present-board-moved")

