"""The welfare officer's day in the browser, in Chinese: a payment over the budget is flagged on its
field as it is typed, the visit is recorded with a payment the budget covers, and the reminder list
shows the families still to visit before the Spring Festival."""

from playwright.sync_api import expect

from tests.browser import login, screenshot
from tests.factories import password
from yizhan.visits.models import Visit


def test_the_welfare_officer_records_a_visit_and_sees_the_reminder_list(page, company):
    login(page, "welfare", password("welfare"))
    page.goto("/visits/")
    form = page.locator("#visit-form")
    form.locator("#id_family").select_option(str(company.zhang.pk))
    form.locator("#id_visited_on").fill("2009-01-20")
    form.locator("#id_visitors").fill("工会主席 沈美华")
    form.locator("#id_budget").select_option(str(company.budget.pk))
    form.locator("#id_consolation_fen").fill("300")
    page.locator("#id_study_aid_fen").fill("800")
    page.locator("#id_study_aid_fen").dispatch_event("change")
    expect(page.locator("#errors-study_aid_fen")).to_contain_text("预算余额不足")
    screenshot(page, "visits-over-budget")
    page.locator("#id_study_aid_fen").fill("500")
    page.click("#visit-form button[type=submit]")
    page.wait_for_selector("#visit-list tr[id^=visit-]")
    assert "张建国" in page.locator("#visit-list").inner_text()
    assert Visit.objects.get().study_aid_fen == 50_000
    screenshot(page, "visits-register", full_page=True)
    page.goto("/visits/reminders/?date=2010-01-31")
    assert "李秀英" in page.locator("#season-spring").inner_text()
    screenshot(page, "visits-reminders")
