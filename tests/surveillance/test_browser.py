"""The surveillance screens in a real browser (headless Chromium, 1366x768, Chinese): a village clinic
reports a case, correcting an ID number as it types and meeting the duplicate warning before saving;
the epidemiologist opens the dashboard, sees the signal and responds. Screenshots go to
test-artifacts/screenshots/."""

from datetime import date

from playwright.sync_api import expect

from tests.browser import login, screenshot, use_language
from tests.factories import at, password
from yizhan.surveillance.detection import run_detection
from yizhan.surveillance.models import CardState, CaseCard, Incident, SignalState

from .conftest import HONGXING, LONGTANG, card, report, resident_id


def test_a_clinic_reports_a_case_corrected_as_it_types_and_warned_of_a_duplicate(page, live_server, network, people):
    earlier = report(card(), unit=network["V0102"])  # the same patient, seen at the next village
    login(page, "clinic", password("clinic"))
    page.goto("/surveillance/report/")
    good_id = resident_id(date(1980, 5, 1))
    page.fill("#id_name", "张三")
    page.locator("#id_id_number").press_sequentially(good_id[:-1] + ("0" if good_id[-1] != "0" else "1"))
    expect(page.locator("#err-id_number")).to_contain_text("校验")
    screenshot(page, "surveillance-clinic-id-error")
    page.fill("#id_id_number", good_id)
    expect(page.locator("#err-id_number")).to_have_text("")
    page.check("input[name=sex][value=M]")
    page.fill("#id_birth_date", "1980-05-01")
    page.select_option("#id_address_division", HONGXING)
    page.fill("#id_house_number", "12 号")
    page.select_option("#id_occupation", "farmer")
    page.select_option("#id_disease", "A03")
    page.locator("#id_subtype").select_option("细菌性痢疾")  # appears once the disease asks for it
    page.select_option("#id_classification", "confirmed")
    page.fill("#id_onset_date", "2024-03-01")
    page.fill("#id_diagnosed_at", "2024-03-02T10:00")
    page.fill("#id_doctor", "李医生")
    page.fill("#id_doctor_phone", "13902221234")
    page.fill("#id_filled_on", "2024-03-02")
    page.locator("#id_doctor_phone").blur()
    expect(page.locator("#duplicate-warning")).to_contain_text(earlier.card_no)
    screenshot(page, "surveillance-clinic-duplicate", full_page=True)
    page.click("#save-card")
    expect(page.locator("#save-anyway")).to_be_visible()  # nothing saved without a second, deliberate click
    assert CaseCard.objects.count() == 1
    page.click("#save-anyway")
    expect(page.locator(".message.success")).to_contain_text("疑似重复")
    saved = CaseCard.objects.exclude(pk=earlier.pk).get()
    assert saved.state == CardState.HELD and saved.duplicate_of == earlier and saved.reporting_unit == network["V0101"]
    screenshot(page, "surveillance-clinic-saved")


def test_the_epidemiologist_sees_the_signal_on_the_dashboard_and_responds(page, live_server, network, people):
    report(card(disease="A00", subtype="", onset_date="2024-03-04", diagnosed_at="2024-03-04T08:00",
                     reported_at="2024-03-04T09:00"), unit=network["V0101"])
    _run, _ran, (signal,) = run_detection(date(2024, 3, 4), at=at("2024-03-04 23:30"))
    login(page, "epi", password("epi"))
    page.goto("/surveillance/")
    page.wait_for_selector("#chart-curve canvas")  # ECharts drew the curve
    row = page.locator(f"#signal-{signal.pk}")
    expect(row).to_contain_text("霍乱")
    expect(row).to_contain_text("赤坎镇红星村卫生站")
    screenshot(page, "surveillance-dashboard", full_page=True)
    row.locator("a").click()
    page.wait_for_selector("#respond-form")
    page.check("input[name=outcome][value=excluded]")
    page.click("#respond-submit")
    expect(page.locator("#respond-form .errors")).to_contain_text("排除信号须说明理由")
    page.check("input[name=outcome][value=confirmed]")
    page.fill("textarea[name=reason]", "同村三户饮用同一井水，实验室确认 O1 群霍乱弧菌")
    page.fill("input[name=title]", "红星村霍乱暴发")
    page.click("#respond-submit")
    expect(page.locator(".message.success")).to_contain_text("红星村霍乱暴发")
    expect(page.locator("#signal-state")).to_have_text("确认暴发")
    screenshot(page, "surveillance-signal", full_page=True)
    signal.refresh_from_db()
    assert signal.state == SignalState.CONFIRMED and signal.responded_by == people["epi"]
    assert Incident.objects.get().signal == signal
    page.goto("/surveillance/")
    expect(page.locator(f"#signal-{signal.pk}")).to_have_count(0)
    expect(page.locator("#incidents")).to_contain_text("红星村霍乱暴发")


def test_review_return_correction_and_approval(page, live_server, network, people):
    """The CDC returns a card with a wrong onset date; the clinic sees the reason, corrects it and
    resubmits it in time; the CDC approves it. Screens in Chinese, the card page also in English."""
    c = report(card(onset_date="2024-02-01"), unit=network["V0101"])
    login(page, "epi", password("epi"))
    page.goto("/surveillance/review/")
    page.click(f"#card-{c.pk} a")
    expect(page.locator("#national-card")).to_contain_text("中华人民共和国传染病报告卡")
    expect(page.locator("#card-address")).to_contain_text("开平市赤坎镇红星村12 号")
    screenshot(page, "surveillance-card-review", full_page=True)
    page.click("#return-card")
    expect(page.locator(".message.error")).to_contain_text("须说明退卡原因")
    page.fill("#reason", "发病日期与病程不符，请核实")
    page.click("#return-card")
    expect(page.locator("#card-state")).to_have_text("已退回")
    page.context.clear_cookies()
    login(page, "clinic", password("clinic"))
    page.goto(f"/surveillance/cards/{c.pk}/")
    expect(page.locator("#returned-reason")).to_contain_text("发病日期与病程不符")
    page.click("#correct-returned")
    expect(page.locator("#returned-reason")).to_contain_text("发病日期与病程不符")
    page.fill("#id_onset_date", "2024-03-01")
    page.locator("#id_onset_date").blur()
    screenshot(page, "surveillance-card-resubmit", full_page=True)
    page.click("#resubmit-card")
    expect(page.locator("#card-state")).to_have_text("待审核")
    c.refresh_from_db()
    assert c.onset_date == date(2024, 3, 1) and c.times_returned == 1 and c.state == CardState.PENDING
    page.context.clear_cookies()
    login(page, "epi", password("epi"))
    page.goto(f"/surveillance/cards/{c.pk}/")
    page.click("#approve")
    expect(page.locator("#card-state")).to_have_text("已审核")
    use_language(page, live_server, "en")
    page.reload()
    expect(page.locator("#national-card")).to_contain_text("Infectious Disease Report Card")
    screenshot(page, "surveillance-card-en", full_page=True)


def test_signal_to_incident_to_closing_report(page, live_server, network, people):
    report(card(disease="A00", subtype="", address_division=LONGTANG, onset_date="2024-03-04",
                diagnosed_at="2024-03-04T08:00", reported_at="2024-03-04T09:00"), unit=network["V0101"])
    _run, _ran, (signal,) = run_detection(date(2024, 3, 4), at=at("2024-03-04 23:30"))
    login(page, "epi", password("epi"))
    page.goto(f"/surveillance/signals/{signal.pk}/")
    expect(page.locator("#signal-breakdown")).to_contain_text("龙塘村")
    expect(page.locator("#signal-card-list")).to_contain_text("水口镇龙塘村")
    page.check("input[name=outcome][value=confirmed]")
    page.fill("input[name=title]", "龙塘村霍乱疫情")
    page.click("#respond-submit")
    page.click("#signal-incidents a")
    expect(page.locator("h1")).to_contain_text("龙塘村霍乱疫情")
    page.select_option("#id_grade-grade", "IV")
    page.fill("#id_grade-reason", "1 周内 1 例，限于一个村")
    page.click("#grade-form button")
    expect(page.locator("#incident-grade")).to_contain_text("Ⅳ")
    for kind, text in (("initial", "龙塘村确诊霍乱 1 例"), ("progress", "密切接触者 12 人采样均阴性"),
                       ("closing", "最长潜伏期内无续发病例，结案")):
        page.select_option("#id_report-kind", kind)
        page.fill("#id_report-text", text)
        page.click("#report-form button")
        expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator("#incident-state")).to_have_text("已结案")
    screenshot(page, "surveillance-incident", full_page=True)
    page.locator("#reports a").last.click()
    expect(page.locator("#report-sheet")).to_contain_text("结案报告")
    screenshot(page, "surveillance-closing-report", full_page=True)
    use_language(page, live_server, "en")
    page.go_back()
    page.reload()
    expect(page.locator("#reports")).to_contain_text("Progress report")
    screenshot(page, "surveillance-incident-en", full_page=True)
