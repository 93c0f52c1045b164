"""The quality manager's main path in the browser, in Chinese: the audit plan, an audit recorded as
conducted, a finding with its clause, a corrective action with owner and deadline, the status."""

from tests.browser import login, screenshot
from tests.factories import password


def test_the_quality_manager_records_a_finding_and_its_corrective_action(page, live_server, quality):
    login(page, "manager", password("manager"))
    page.goto("/quality/")
    assert "检验科" in page.inner_text("#audit-plan")
    page.click("#audit-plan >> text=检验科")
    page.fill("#id_conducted_on", "2010-06-07")
    page.fill("#conduct-form textarea", "质量体系运行基本有效")
    page.click("#conduct-form button")
    page.wait_for_selector("#finding-form")
    page.select_option("#id_kind", "nonconformity")
    page.fill("#id_clause", "9.1")
    page.fill("#finding-form textarea", "生化分析仪期间核查记录缺失")
    page.click("#finding-form button")
    assert "没有条款 9.1" in page.inner_text("#finding-form .errors")
    page.fill("#id_clause", "5.5.2")
    page.click("#finding-form button")
    page.wait_for_selector("#finding-1")
    page.fill("#finding-1 input[name=title]", "补做期间核查并修订设备程序")
    page.select_option("#finding-1 select[name=owner]", label="labhead")
    page.click("#finding-1 button")
    page.wait_for_selector("#finding-1 >> text=办理中")
    page.goto("/quality/")
    assert "5.5 设备" in page.inner_text("#by-clause")
    assert "补做期间核查并修订设备程序" in page.inner_text("#findings")
    screenshot(page, "quality-overview", full_page=True)
