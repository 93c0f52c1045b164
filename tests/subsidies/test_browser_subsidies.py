"""The subsidy term in a real browser: the school clerk applies for a batch of pupils (a malformed
resident ID and a pupil already counted are refused, each named by its line and field, nothing
stored), the bureau's subsidy officer approves the batch in the queue, and the pupil's record shows
the grant."""

from playwright.sync_api import expect

from tests.browser import login, screenshot
from tests.factories import password
from tests.subsidies.conftest import rid
from yizhan.subsidies import applications
from yizhan.subsidies.models import Batch, BatchState, Grant


def test_the_clerk_applies_and_the_officer_approves_the_batch(page, bureau):
    counted = applications.apply(programme=bureau.free, term=bureau.term, school=bureau.s1, resident_ids=[rid(3)])
    bad_id = rid(1)[:-1] + ("0" if rid(1)[-1] != "0" else "1")

    login(page, "clerk1", password("clerk1"))
    page.goto("/subsidies/")
    form = page.locator("#apply-form")
    form.locator("#id_school").select_option(str(bureau.s1.pk))
    form.locator("#id_programme").select_option("LMYB")
    form.locator("#id_term").select_option(str(bureau.term.pk))
    form.locator("#id_resident_ids").fill(f"{rid(1)}\n{bad_id}\n{rid(3)}")
    form.locator("button[type=submit]").click()
    errors = page.locator("#row-errors")
    expect(errors).to_contain_text("名单有误，未提交任何内容")
    expect(errors.locator("li").nth(0)).to_contain_text("第 2 行 resident_id")
    expect(errors.locator("li").nth(1)).to_contain_text(f"第 3 行 resident_id：{rid(3)} 已计入 两免一补")
    expect(errors.locator("li").nth(1)).to_contain_text(counted.case.case_no)
    assert rid(3) in page.locator("#id_resident_ids").input_value()  # the list typed is kept for correcting
    screenshot(page, "subsidies-apply-refused", full_page=True)
    assert Batch.objects.count() == 1

    page.locator("#id_resident_ids").fill(f"{rid(1)}\n{rid(2)}")
    page.locator("#apply-form button[type=submit]").click()
    expect(page.locator("#done")).to_contain_text("已提交")
    batch = Batch.objects.exclude(pk=counted.pk).get()
    assert (batch.pupils, batch.amount_fen, batch.state) == (2, 50_000, BatchState.SUBMITTED)
    expect(page.locator("#done")).to_contain_text(batch.case.case_no)
    expect(page.locator(f"#batch-{batch.pk}")).to_contain_text("两免一补")
    screenshot(page, "subsidies-apply-done", full_page=True)

    page.context.clear_cookies()
    login(page, "officer", password("officer"))
    page.goto("/subsidies/queue/")
    row = page.locator(f"#batch-{batch.pk}")
    expect(row).to_contain_text("松柏镇中心小学")
    expect(row).to_contain_text("500.00")
    screenshot(page, "subsidies-queue")
    row.locator("button", has_text="批准并拨付").click()
    expect(page.locator(f"#batch-{batch.pk}")).to_have_count(0)
    batch.refresh_from_db()
    assert batch.state == BatchState.PAID and batch.entry.amount_fen == -50_000

    page.goto("/subsidies/pupil/")
    page.fill("input[name=resident_id]", rid(1))
    page.click("main form button[type=submit]")
    expect(page.locator("#pupil-name")).to_contain_text("学生1")
    expect(page.locator("#received")).to_contain_text("250.00")
    record = page.locator("#record")
    expect(record).to_contain_text("两免一补")
    expect(record).to_contain_text(batch.case.case_no)
    screenshot(page, "subsidies-pupil-record")
    assert Grant.objects.get(pupil=bureau.pupils[1]).batch == batch
