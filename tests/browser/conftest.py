"""Playwright against the live server, in Debian's chromium (a downloaded browser is never used).

Outside CI a machine without /usr/bin/chromium or the playwright package skips these
tests and says why; with CI=true the same absence fails them, so CI cannot go green
without having driven a browser.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Long enough for a cold live server on a loaded CI machine; a page that never comes still fails.
TIMEOUT_MS = 15_000


def _browser_unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the browser tests", pytrace=False)
    pytest.skip(
        f"{reason}: browser tests skipped (apt-get install chromium; pip install -e .[test])"
    )


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _browser_unavailable("the playwright package cannot be imported")
    if not os.access(CHROMIUM, os.X_OK):
        _browser_unavailable(f"{CHROMIUM} is missing")
    return str(CHROMIUM)


@pytest.fixture
def page(chromium_executable, live_server) -> Iterator:
    """A fresh chromium tab asking for Chinese, as the desks are set up, on the live server."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, and Django then refuses
    # ORM calls from it; the test's own ORM calls are synchronous, so allow them while the loop
    # runs and no longer.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_executable, args=CHROMIUM_ARGS
            )
            try:
                context = browser.new_context(
                    base_url=live_server.url,
                    locale="zh-CN",
                    timezone_id="Asia/Shanghai",
                    viewport={"width": 1366, "height": 768},
                )
                context.set_default_timeout(TIMEOUT_MS)
                yield context.new_page()
                context.close()
            finally:
                browser.close()


@pytest.fixture
def screenshot(request, page) -> Callable[[str], Path]:
    """Save the whole page as test-artifacts/screenshots/<test name>-<step>.png."""
    directory = request.config.rootpath / "test-artifacts" / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)

    def take(step: str) -> Path:
        path = directory / f"{request.node.name}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


@pytest.fixture
def log_in(page, screenshot, cast) -> Callable[[str], None]:
    """Sign in through the login form as one of the cast and land on the home page."""

    def sign_in(username: str) -> None:
        page.goto("/login/")
        form = page.locator("section.login form")
        form.locator("#id_username").fill(username)
        form.locator("#id_password").fill(PASSWORD)
        screenshot("login")
        # The header's language switcher has submit buttons too: press the login form's own.
        form.locator("button[type=submit]").click()
        page.wait_for_url("/")
        screenshot("home")

    return sign_in
