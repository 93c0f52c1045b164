"""Browser-test fixtures: Playwright driving Debian's Chromium headless against pytest-django's live
server. tests/conftest.py makes the `browser` and `page` fixtures available to every test and marks
each test that uses `page` as `browser`; helpers (`login`, `screenshot`, `use_language`) are imported
from here. Screenshots land in test-artifacts/screenshots/
(override with YIZHAN_SCREENSHOTS), one PNG per name, so a run leaves the screens to look at."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("YIZHAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(os.environ.get("YIZHAN_SCREENSHOTS",
                                  Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"))


# Playwright's sync API keeps an event loop in the test's thread while the test's own ORM calls stay
# synchronous; Django's async-safety check would refuse them. Test processes only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def mark_browser_tests(items: list[pytest.Item]) -> None:
    """Mark every test that uses the `page` fixture as `browser` (called from tests/conftest.py)."""
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context at 1366x768, Chinese first, whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


def screenshot(pg: Any, name: str, *, full_page: bool = False) -> Path:
    """Save the page as test-artifacts/screenshots/<name>.png and return the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=full_page)
    return path


def login(pg: Any, username: str, password: str) -> None:
    """Sign in through the login page, as a person would."""
    pg.goto("/login/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", password)
    pg.click("#login-form button[type=submit]")
    pg.wait_for_url("**/dashboard/")


def use_language(pg: Any, live_server: Any, code: str) -> None:
    """Switch the browser's language the way the language selector does (Django's language cookie)."""
    pg.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])
