"""In a real browser: an applicant looks a case up on a phone, rates it 不满意, and the department
head sees and handles the rectification item; a complaint ends valid and the figure moves."""

import pytest
from django.core.cache import cache

from tests.browser import PHONE, login, screenshot, use_language
from tests.factories import at, password
from yizhan.hall import cases as engine
from yizhan.hall.models import Complaint
from yizhan.hall.stats import hall_figures


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def completed_case(hall):
    case = hall.receive(hall.spot, accept=True, applicant_phone="13800138000")
    return engine.complete_on_the_spot(case, at=at("2010-03-01 09:30"), actor=hall.clerk)


def test_applicant_rates_dissatisfied_and_the_head_sees_the_rectification(page, live_server, hall):
    case = completed_case(hall)
    page.set_viewport_size(PHONE)
    page.goto("/lookup/")
    screenshot(page, "lookup-phone")
    page.fill("#id_case_no", case.case_no)
    page.fill("#id_last4", "0000")
    page.click("#lookup-form button[type=submit]")
    assert "办件编号或后四位不正确" in page.locator("#lookup-error").inner_text()
    page.fill("#id_last4", "8000")
    page.click("#lookup-form button[type=submit]")
    assert page.locator("#case-state").inner_text() == "已办结"
    assert "张三" not in page.content()
    screenshot(page, "lookup-result-phone", full_page=True)
    page.check("#rating-form input[name=score][value='2']")
    page.fill("#id_comment", "材料要求没讲清楚")
    page.click("#rate")
    page.locator("#rated").wait_for()  # waits for the page the click posts to
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "head", password("head"))
    page.goto("/rectifications/")
    row = page.locator("#rectification-list tr", has_text=case.case_no)
    assert "不满意" in row.inner_text() and "材料要求没讲清楚" in row.inner_text()
    screenshot(page, "rectifications")
    row.locator("input[name=substantiated][value='1']").check()
    row.locator("textarea[name=verification]").fill("窗口未一次性告知，属实")
    row.locator("button[type=submit]").click()
    row = page.locator("#rectification-list tr", has_text=case.case_no)
    assert "已核实" in row.inner_text()
    row.locator("textarea[name=measures]").fill("组织一次性告知制度培训")
    row.locator("textarea[name=reply]").fill("感谢监督，已整改")
    row.locator("button[type=submit]").click()
    assert "感谢监督，已整改" in page.locator("#rectification-closed").inner_text()


def test_lookup_in_english(page, live_server, hall):
    case = completed_case(hall)
    use_language(page, live_server, "en")
    page.set_viewport_size(PHONE)
    page.goto("/lookup/")
    page.fill("#id_case_no", case.case_no)
    page.fill("#id_last4", "8000")
    page.click("#lookup-form button[type=submit]")
    assert page.locator("#case-state").inner_text() == "Completed"
    assert "Very dissatisfied" in page.locator("#rating-form").inner_text()
    screenshot(page, "lookup-result-phone-en", full_page=True)


def test_a_complaint_ends_valid_and_the_figure_moves(page, live_server, hall):
    page.goto("/complaints/new/")
    page.fill("#id_complainant", "王五")
    page.select_option("#id_window", "W11")
    page.fill("#id_content", "窗口人员态度生硬")
    page.click("#complaint-form button[type=submit]")
    page.locator("#complaint-filed").wait_for()  # waits for the page the click posts to
    complaint = Complaint.objects.get()
    day = complaint.received_at.astimezone(at("2010-03-01 00:00").tzinfo).date()
    assert hall_figures(day, day).valid_complaints == 0

    def published() -> int:  # the figure as the supervisor's browser reads it from the API
        response = page.request.get(f"/api/hall/figures?from={day}&to={day}")
        return response.json()["valid_complaints"]

    login(page, "supervisor", password("supervisor"))
    assert published() == 0
    page.goto("/complaints/")
    page.click("#complaint-list a")
    page.fill("#investigate-form textarea", "调取窗口录像核查")
    page.click("#investigate-form button[type=submit]")
    assert page.locator("#complaint-state").inner_text() == "调查中"
    page.check("#conclude-form input[name=finding][value=valid]")
    page.fill("#conclude-form textarea[name=reason]", "录像显示态度生硬，属实")
    page.fill("#conclude-form textarea[name=reply]", "已对窗口人员批评教育，向您致歉")
    page.click("#conclude-form button[type=submit]")
    assert "有效投诉" in page.locator("#complaint-finding").inner_text()
    screenshot(page, "complaint-concluded")
    assert published() == 1 == hall_figures(day, day).valid_complaints
