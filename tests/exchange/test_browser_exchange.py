"""The bureau's staff officer in a real browser: an assignment ending before it starts is refused on
its end date, the town teacher's assignment to a country school is made on the screen, and the staff
balance before and after its first day shows the teacher moved."""

from playwright.sync_api import expect

from tests.browser import login, screenshot
from tests.factories import password
from yizhan.exchange import teachers
from yizhan.exchange.models import Assignment


def balance(page) -> dict[tuple[str, str], list[str]]:
    """(school, 交流前/交流后) → the row's counts as shown: total, male, female, age bands, subjects."""
    rows = page.locator("#balance tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(c => c.innerText.trim()))")
    return {(r[0], r[1]): r[2:] for r in rows if len(r) > 2}


def test_the_officer_assigns_a_town_teacher_to_a_country_school(page, schools):
    teachers.register(code="T1", name="张老师", school=schools.town, sex="F", birth_year=1975, subject="语文")
    teachers.register(code="T2", name="王老师", school=schools.town, sex="M", birth_year=1960, subject="数学")
    teachers.register(code="T3", name="李老师", school=schools.vil1, sex="M", birth_year=1970, subject="数学")

    login(page, "officer", password("officer"))
    page.goto("/exchange/")
    form = page.locator("#assignment-form")
    form.locator("#id_teacher").fill("T1")
    form.locator("#id_to_school").select_option(str(schools.vil1.pk))
    form.locator("#id_start").fill("2009-09-01")
    form.locator("#id_end").fill("2009-08-01")
    form.locator("button[type=submit]").click()
    refused = page.locator("#assignment-form")
    expect(refused.locator("#id_end_error")).to_contain_text("结束日期不能早于开始日期")  # on the end date
    expect(refused.locator("#id_end")).to_have_attribute("aria-invalid", "true")
    assert refused.locator("#id_teacher").input_value() == "T1"
    assert refused.locator("#id_start").input_value() == "2009-09-01"
    screenshot(page, "exchange-assignment-refused", full_page=True)
    assert not Assignment.objects.exists()

    refused.locator("#id_end").fill("2010-01-31")
    refused.locator("button[type=submit]").click()
    expect(page.locator("#assignments")).to_contain_text("张老师")
    row = page.locator("#assignments tr", has_text="张老师")
    expect(row).to_contain_text("松柏镇中心小学")
    expect(row).to_contain_text("红坪村小")
    expect(row).to_contain_text("2009-09-01 – 2010-01-31")
    assignment = Assignment.objects.get()
    assert (assignment.teacher.code, assignment.from_school, assignment.to_school) == ("T1", schools.town,
                                                                                       schools.vil1)

    page.locator("#id_date").fill("2009-09-01")
    page.click("main form.inline button[type=submit]")
    expect(page.locator("main h2").first).to_contain_text("2009-09-01 交流前后师资结构")
    shown = balance(page)
    # total, 男, 女, then age bands, then the subjects 数学 and 语文
    assert shown[("松柏镇中心小学", "交流前")][:3] == ["2", "1", "1"]
    assert shown[("松柏镇中心小学", "交流后")][:3] == ["1", "1", "0"]
    assert shown[("红坪村小", "交流前")][:3] == ["1", "1", "0"]
    assert shown[("红坪村小", "交流后")][:3] == ["2", "1", "1"]
    assert shown[("红坪村小", "交流后")][-2:] == ["1", "1"]
    assert shown[("宋洛村小", "交流后")][0] == "0"
    screenshot(page, "exchange-balance", full_page=True)

    page.locator("#id_date").fill("2010-02-01")
    page.click("main form.inline button[type=submit]")
    assert balance(page)[("松柏镇中心小学", "交流后")][0] == "2"  # back home after the assignment
