"""The council secretary's quarter in a real browser: record the meeting, submit two proposals,
adopt one (a follow-up item on the clock), be told a rejection needs a reason, publish, and read the
public page without signing in."""

from playwright.sync_api import expect

from tests.browser import login, screenshot
from tests.factories import password
from yizhan.councils.models import Outcome, Proposal


def test_the_secretary_holds_the_quarter_and_publishes_it(page, company):
    login(page, "secretary", password("secretary"))
    page.goto("/councils/")
    form = page.locator("#meeting-form")
    form.locator("select[name=council]").select_option(label="第一支部议事会")
    form.locator("input[name=year]").fill("2009")
    form.locator("select[name=quarter]").select_option("3")
    form.locator("input[name=held_on]").fill("2009-10-12")
    form.locator("textarea[name=agenda]").fill("审议本季度提案")
    form.locator("button[type=submit]").click()
    expect(page.locator("#meeting-form .errorlist")).to_contain_text("不在 2009 年第 3 季度内")
    form.locator("input[name=held_on]").fill("2009-08-12")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#proposal-form")

    for proposer, title in (("王强", "食堂增加夜班供餐"), ("李梅", "更换工作服")):
        proposal = page.locator("#proposal-form")
        proposal.locator("select[name=proposer]").select_option(label=proposer)
        proposal.locator("input[name=title]").fill(title)
        proposal.locator("input[name=submitted_on]").fill("2009-08-01")
        proposal.locator("button[type=submit]").click()
        page.wait_for_selector(f"#proposals td:has-text('{title}')")

    first = page.locator("#proposal-1 form.decide")
    first.locator("select[name=outcome]").select_option("adopted")
    first.locator("select[name=owner]").select_option(label="owner")
    first.locator("input[name=days]").fill("10")
    first.locator("button[type=submit]").click()
    expect(page.locator("#proposal-1 .outcome")).to_contain_text("办理期限")

    second = page.locator("#proposal-2 form.decide")
    second.locator("select[name=outcome]").select_option("rejected")
    second.locator("button[type=submit]").click()
    expect(page.locator("#proposal-2 [role=alert]")).to_contain_text("不予采纳须说明理由")
    page.locator("#proposal-2 textarea[name=reason]").fill("本年度已更换")
    page.locator("#proposal-2 form.decide button[type=submit]").click()
    expect(page.locator("#proposal-2 .outcome")).to_contain_text("本年度已更换")
    screenshot(page, "councils-meeting", full_page=True)

    page.click("#publish-form button[type=submit]")
    page.click("#public-link")
    page.context.clear_cookies()
    page.reload()
    expect(page.locator("main, body").first).to_contain_text("食堂增加夜班供餐")
    screenshot(page, "councils-public")
    assert list(Proposal.objects.order_by("number").values_list("outcome", flat=True)) == [
        Outcome.ADOPTED, Outcome.REJECTED]
    assert Proposal.objects.get(number=1).follow_up.kind == "councils.proposal"
