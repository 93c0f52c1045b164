"""The liaison leader in a real browser: a visit dated before the liaison period is refused on its
date, the visit to the leader's school is recorded with a problem raised (a follow-up item on the
clock, shown with its deadline), and the bureau's brief issue collects the visit."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import login, screenshot
from tests.factories import password
from yizhan.followups.models import FollowUp, FollowUpState
from yizhan.liaison import points
from yizhan.liaison.models import BriefIssue, Visit


def test_the_leader_records_a_visit_with_a_problem_and_the_brief_shows_it(page, bureau):
    today = timezone.localdate()
    start = today - timedelta(days=30)
    point = points.assign(bureau.s1, bureau.chen, started_on=start)

    login(page, "chen", password("chen"))
    page.goto("/liaison/")
    section = page.locator(f"#point-{point.pk}")
    expect(section.locator("h2")).to_have_text("松柏小学")
    form = section.locator("form.visit-form")
    form.locator("#id_visited_on").fill((start - timedelta(days=1)).isoformat())
    form.locator("#id_findings").fill("听课两节，查看食堂")
    form.locator("#id_problems").fill("食堂冷库温度记录不全")
    form.locator("#id_days").fill("10")
    form.locator("button[type=submit]").click()
    refused = page.locator(f"#point-{point.pk} form.visit-form")
    expect(refused.locator("#id_visited_on_error")).to_contain_text("走访日期不在联系期内")  # on the date
    assert refused.locator("#id_problems").input_value() == "食堂冷库温度记录不全"
    screenshot(page, "liaison-visit-refused", full_page=True)
    assert not Visit.objects.exists()

    refused.locator("#id_visited_on").fill(today.isoformat())
    refused.locator("button[type=submit]").click()
    visits = page.locator(f"#point-{point.pk} table.visits")
    expect(visits).to_contain_text("听课两节，查看食堂")
    item = FollowUp.objects.get(kind="liaison.problem")
    assert (item.title, item.state, item.unit, item.owner) == ("食堂冷库温度记录不全", FollowUpState.OPEN, bureau.s1,
                                                               bureau.chen)
    deadline = timezone.localtime(item.timer.deadline).date()
    assert deadline > today
    expect(visits).to_contain_text(f"食堂冷库温度记录不全 · {item.get_state_display()} · {deadline.isoformat()}")
    screenshot(page, "liaison-visit", full_page=True)

    page.goto("/liaison/briefs/")
    brief = page.locator("main form")
    brief.locator("#id_bureau").select_option(str(bureau.bureau.pk))
    brief.locator("#id_first_day").fill(start.isoformat())
    brief.locator("#id_last_day").fill(today.isoformat())
    brief.locator("#id_title").fill("联系点工作简报")
    brief.locator("button[type=submit]").click()
    expect(page.locator("#brief-number")).to_contain_text("第 1 期 · 神农架林区教育局")
    expect(page.locator("#brief-summary")).to_contain_text("走访 1 次，反映问题 1 个，办结 0 个")
    visit_row = page.locator("tr", has_text="松柏小学")
    expect(visit_row).to_contain_text("陈局长")
    expect(visit_row).to_contain_text("食堂冷库温度记录不全")
    screenshot(page, "liaison-brief", full_page=True)
    assert BriefIssue.objects.get().number == 1
