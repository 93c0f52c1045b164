"""The login page and the start page in a real browser, in both languages, at 1366x768."""

from tests.browser import login, screenshot, use_language
from tests.ui.conftest import PASSWORD


def test_clerk_signs_in_switches_to_english_and_signs_out(page, live_server, staff_hall):
    login(page, "clerk", PASSWORD)
    assert page.locator("h1").inner_text().startswith("你好")
    page.select_option("#language", "en")
    page.wait_for_selector("text=Sign out")
    assert page.locator("h1").inner_text().startswith("Hello")
    screenshot(page, "dashboard-en")
    page.click("#logout")
    page.wait_for_url("**/login/")
    assert page.locator("#login-form").is_visible()


def test_login_page_in_both_languages(page, live_server, db):
    page.goto("/login/")
    assert page.locator("h1").inner_text() == "登录"
    screenshot(page, "login-zh")
    use_language(page, live_server, "en")
    page.goto("/login/")
    assert page.locator("h1").inner_text() == "Sign in"
    # htmx came from the npm install through the static files, not from a CDN.
    assert page.evaluate("typeof window.htmx") == "object"
