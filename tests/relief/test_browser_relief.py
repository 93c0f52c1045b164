"""The committee's decision in the browser, in Chinese: a member of the committee approves an
application within the ceiling (one over it is refused on the page), what the fund can still pay
drops at once, and the treasurer's payment moves the balance on the fund's ledger."""

from playwright.sync_api import expect

from tests.browser import login, screenshot
from tests.factories import password
from yizhan.relief.models import Application, ApplicationState


def test_the_committee_decides_and_the_balance_moves(page, bh):
    application = bh.apply(1)
    login(page, "chair", password("chair"))
    page.goto(f"/relief/applications/{application.pk}/")
    expect(page.locator("#available")).to_have_text("¥200,000.00")
    page.locator("#id_amount").fill("30000.01")
    page.click("#approve-form button[type=submit]")
    expect(page.locator("#errors")).to_contain_text("超过每人每年救助上限")
    page.locator("#id_amount").fill("25000")
    page.click("#approve-form button[type=submit]")
    expect(page.locator("#state")).to_contain_text("已批准待拨付")
    expect(page.locator("#available")).to_have_text("¥175,000.00")
    expect(page.locator("#balance")).to_have_text("¥200,000.00")
    screenshot(page, "relief-approved")

    page.context.clear_cookies()
    login(page, "treasurer", password("treasurer"))
    page.goto(f"/relief/applications/{application.pk}/")
    page.click("#pay-form button[type=submit]")
    expect(page.locator("#state")).to_contain_text("已拨付")
    expect(page.locator("#balance")).to_have_text("¥175,000.00")
    page.goto("/relief/BH-RELIEF/")
    expect(page.locator("#balance")).to_have_text("¥175,000.00")
    expect(page.locator("#ledger")).to_contain_text("-25,000.00")
    screenshot(page, "relief-fund")
    assert Application.objects.get(pk=application.pk).state == ApplicationState.PAID
