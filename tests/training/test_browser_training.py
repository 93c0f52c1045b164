"""The training officer's session in a real browser: negative hours are refused on their field, the
session is recorded, attendance entered (a score over 100 refused on the person's line, with what was
typed kept), and the person's training record shows the hours."""

from playwright.sync_api import expect

from tests.browser import login, screenshot
from tests.factories import password
from yizhan.training.models import Attendance, Session


def test_the_officer_records_a_session_and_its_attendance(page, cdc):
    login(page, "officer", password("officer"))
    page.goto("/training/")
    page.click("summary")
    form = page.locator("#session-form")
    form.locator("#id_course").select_option(str(cdc.course.pk))
    form.locator("#id_date").fill("2010-07-06")
    form.locator("#id_title").fill("检验质量控制")
    form.locator("#id_trainer").fill("陈主任")
    form.locator("#id_hours").fill("-2")
    form.locator("#id_topics").fill("室内质控\n能力验证")
    form.locator("button[type=submit]").click()
    assert form.locator("#id_hours").evaluate("e => e.validity.rangeUnderflow")  # the browser holds it back
    assert form.locator("#id_hours").evaluate("e => e.validationMessage")
    assert not Session.objects.exists()

    # The browser's check switched off, the server refuses it on the same field.
    form.evaluate("f => f.noValidate = true")
    form.locator("button[type=submit]").click()
    expect(page.locator("#session-form .errorlist")).to_contain_text("0.5")
    assert page.locator("#id_title").input_value() == "检验质量控制"
    screenshot(page, "training-session-refused")
    assert not Session.objects.exists()

    page.locator("#id_hours").fill("2.5")
    page.locator("#session-form button[type=submit]").click()
    page.wait_for_selector("#attendance-form")
    session = Session.objects.get()
    assert (session.title, str(session.hours)) == ("检验质量控制", "2.5")
    expect(page.locator("main, body").first).to_contain_text("室内质控、能力验证")

    rows = page.locator("#attendance")
    rows.locator(f"input[name=attended-{cdc.p1.pk}]").check()
    rows.locator(f"input[name=score-{cdc.p1.pk}]").fill("150")
    rows.locator(f"input[name=attended-{cdc.p2.pk}]").check()
    page.click("#attendance-form button[type=submit]")
    expect(page.locator("#error-P1")).to_contain_text("score 须在 0 至 100 之间")
    expect(page.locator("[role=alert]")).to_contain_text("P1 张检验")
    assert page.locator(f"input[name=score-{cdc.p1.pk}]").input_value() == "150"
    assert page.locator(f"input[name=attended-{cdc.p2.pk}]").is_checked()  # the other lines typed are kept
    screenshot(page, "training-attendance-refused", full_page=True)
    assert not Attendance.objects.exists()

    page.locator(f"input[name=score-{cdc.p1.pk}]").fill("88")
    page.click("#attendance-form button[type=submit]")
    expect(page.locator("#person-P1")).to_contain_text("合格")
    assert page.locator("#error-P1").count() == 0
    assert {(a.trainee.code, a.attended, str(a.score) if a.score is not None else None)
            for a in Attendance.objects.select_related("trainee")} == {("P1", True, "88.0"), ("P2", True, None)}

    page.goto("/training/person/")
    page.locator("select[name=code]").select_option("P1")
    page.click("main form button[type=submit]")
    expect(page.locator("#person-name")).to_contain_text("张检验（P1）")
    expect(page.locator("main, body").first).to_contain_text("岗位要求每年 24.0 学时")
    expect(page.locator("#years tr", has_text="2010")).to_contain_text("2.5")
    expect(page.locator("#attended")).to_contain_text("检验质量控制")
    screenshot(page, "training-person-record")
