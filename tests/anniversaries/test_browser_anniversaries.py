"""The month's anniversaries in the browser, in Chinese: the welfare officer opens the list and prints
the A5 card of a member whose card was sent on the day."""

from datetime import date

from tests.browser import login, screenshot
from tests.factories import password
from yizhan.anniversaries.cards import send_day


def test_the_welfare_officer_opens_the_month_and_prints_a_card(page, party):
    send_day(date(2009, 7, 1))
    login(page, "welfare", password("welfare"))
    page.goto("/anniversaries/?date=2009-06-25")
    assert "王卫东" in page.locator("#month-ahead").inner_text()
    screenshot(page, "anniversaries-month")
    page.goto(page.locator("#month-ahead a").first.get_attribute("href"))
    assert "光荣加入中国共产党 24 周年" in page.locator("#card-message").inner_text()
    screenshot(page, "anniversaries-card", full_page=True)
