"""The assessor's main path in the browser, in Chinese: open the round, open a township's sheet, type
a score above the maximum and see it refused as typed, correct it with its evidence note, save the sheet, see the ranking."""

from tests.browser import login, screenshot
from tests.factories import password


def test_the_assessor_scores_a_sheet_checked_as_typed(page, live_server, grassroots):
    login(page, "assessor", password("assessor"))
    page.goto("/assessment/")
    page.click("text=2010 年基本公共卫生服务考核")
    page.click("#sheet-T1 a")
    page.fill("#score-P03-2", "16")
    page.wait_for_selector("#check-P03-2 .errors")
    assert "超过满分 15.0" in page.inner_text("#check-P03-2")
    page.fill("#score-P03-2", "12")
    page.wait_for_selector("#check-P03-2 >> text=扣分须写明考核记录")  # a deduction needs its evidence
    page.fill("textarea[name=note-P03-2]", "抽查 10 名儿童，2 名漏种")
    page.wait_for_selector("#check-P03-2 >> text=得分率 80%")
    for code in ("P03-1", "P03-3", "P04-1", "P04-2", "P04-3"):
        maximum = page.inner_text(f"#row-{code} td:nth-child(4)")
        page.fill(f"#score-{code}", maximum)
    screenshot(page, "assessment-sheet")
    page.click("#save-sheet")
    page.wait_for_selector("#sheet-saved")
    # 12 of 15 on an indicator of weight 1.5: 100 × (6.5 − 0.3) ÷ 6.5
    assert "总分 95.38" in page.inner_text("#sheet-total")
    page.click("text=← 2010 年基本公共卫生服务考核")
    assert "95.38" in page.inner_text("#sheet-T1")
