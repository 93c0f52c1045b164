"""The hall's screens in a real browser (headless Chromium, 1366x768): a clerk calls a number,
accepts, notifies and completes a case; a supervisor confirms a refusal; the board shows the new
figure; every screen in Chinese and English. Screenshots go to test-artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from tests.browser import login, screenshot, use_language
from tests.ui.conftest import PASSWORD
from yizhan.hall.cases import accept_case, receive_case
from yizhan.hall.models import Case, CaseState, RefusalState
from yizhan.hall.refusals import request_refusal


def test_clerk_calls_a_number_then_notifies_accepts_and_completes(page, live_server, staff_hall, groups):
    # The applicant takes a number at the kiosk.
    page.goto("/queue/ticket/")
    screenshot(page, "ticket-kiosk")
    page.click("#group-A")
    assert page.locator("#ticket-number").inner_text() == "A001"
    screenshot(page, "ticket-issued")

    login(page, "clerk", PASSWORD)
    page.goto("/workbench/")
    page.click("#call-next")
    assert page.locator("#current-ticket").inner_text() == "A001"
    page.click("#ticket-serve")

    # Receive the application; the applicant lacks the business licence.
    form = page.locator("#receive-form")
    form.locator("select[name=matter]").select_option(label="LIC 食品经营许可")
    form.locator("input[name=applicant_name]").fill("李四")
    form.locator("input[name=applicant_phone]").fill("13800001234")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#checklist-form")
    case = Case.objects.get(applicant_name="李四")
    assert page.locator("#case-no").inner_text().startswith(case.case_no)
    page.uncheck(f"#m-{staff_hall.b.pk}")
    page.click("#issue-notice")
    page.wait_for_selector(".print-notice")
    case.refresh_from_db()
    assert case.awaiting_supplement

    # The licence arrives: tick it and accept.
    page.check(f"#m-{staff_hall.b.pk}")
    page.click("#accept")
    page.wait_for_selector("#start-review")
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED
    for button in ("#start-review", "#approve", "#complete"):
        page.click(button)
    page.wait_for_selector("#print-completion")
    assert Case.objects.get(pk=case.pk).state == CaseState.COMPLETED

    page.goto(page.locator("#print-receipt").get_attribute("href"))
    assert case.case_no in page.locator("#print-case-no").inner_text()
    screenshot(page, "print-receipt", full_page=True)

    page.goto("/workbench/")
    screenshot(page, "workbench")
    assert "A001" not in page.locator("#queue-panel").inner_text() or page.locator("#ticket-finish").count() == 1


def test_supervisor_confirms_a_refusal(page, live_server, staff_hall):
    case = receive_case(matter=staff_hall.lic, window=staff_hall.w11, applicant_name="张三", actor=staff_hall.clerk)
    accepted = receive_case(matter=staff_hall.lic, window=staff_hall.w11, applicant_name="王五",
                            actor=staff_hall.clerk, accept=True)
    assert accepted.state == CaseState.ACCEPTED
    refusal = request_refusal(case, kind="refuse_to_accept", reason="不属于本部门职权",
                              legal_basis="《行政许可法》第三十二条", by=staff_hall.clerk)
    login(page, "head", PASSWORD)
    page.goto("/supervisor/")
    page.wait_for_selector("#chart-daily canvas")  # ECharts drew the chart from the npm install
    screenshot(page, "supervisor", full_page=True)
    page.locator(f"#refusal-{refusal.pk} input[name=note]").fill("同意")
    page.locator(f"#refusal-{refusal.pk} .confirm-refusal").click()
    page.wait_for_selector(".message.success")
    refusal.refresh_from_db()
    assert refusal.state == RefusalState.CONFIRMED
    assert page.locator(f"#refusal-{refusal.pk}").count() == 0


def test_the_board_shows_the_new_figure_by_itself(page, live_server, staff_hall, settings):
    settings.YIZHAN_BOARD_REFRESH_SECONDS = 1
    settings.YIZHAN_PUBLIC_FIGURES_SECONDS = 0  # the board computes its figures afresh at each refresh
    case = receive_case(matter=staff_hall.lic, window=staff_hall.w11, applicant_name="张三", actor=staff_hall.clerk)
    page.goto("/board/")
    value = page.locator("#board-accepted .value")
    assert value.inner_text() == "0"
    accept_case(case, actor=staff_hall.clerk)
    expect(value).to_have_text("1", timeout=8000)  # htmx reloaded the board's body by itself
    screenshot(page, "board")


@pytest.mark.parametrize("path, who, heading", [
    ("/workbench/", "clerk", "Clerk workbench"),
    ("/supervisor/", "supervisor", "Supervisor view"),
    ("/board/", None, "Numbers called"),
    ("/queue/ticket/", None, "Take a queue number"),
])
def test_every_screen_speaks_english_and_fits_1366(page, live_server, staff_hall, groups, path, who, heading):
    if who:
        login(page, who, PASSWORD)
    use_language(page, live_server, "en")
    page.goto(path)
    assert heading in page.locator("body").inner_text()
    # Nothing wider than the 1366-pixel screen: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, f"en-{path.strip('/').replace('/', '-')}")
