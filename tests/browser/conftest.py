"""End-to-end tests in Debian's chromium through Playwright (its own browser download cannot work here)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = (
    os.environ.get("FRIENDLYGOV_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
SKIP_REASON = "Chưa cài chromium (Debian): bỏ qua kiểm thử trình duyệt — cài bằng `apt-get install chromium`"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM:
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


class ConsoleWatch:
    """Collects a page's console errors (CSP violations, failed loads, logged errors) and uncaught exceptions.

    The ``page``, ``phone_page`` and ``phone_page_390`` fixtures watch every page they open and fail the test
    at its end if anything was collected. A page the browser navigates to that answers 4xx on purpose (an
    outsider's probe, a form sent back with its errors; the test asserts what it shows) is not counted; the
    files and requests of any page are.
    ``console.allow("…")`` ignores errors containing that text; ``console.errors`` lists what was seen.
    """

    def __init__(self, page: Any) -> None:
        self.errors: list[tuple[str, str]] = []  # (message, the URL it came from)
        self.allowed: list[str] = []
        self.failed_documents: set[str] = set()
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("response", self._on_response)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append((message.text, (message.location or {}).get("url", "")))

    def _on_page_error(self, error: Any) -> None:
        self.errors.append((f"uncaught: {error}", ""))

    def _on_response(self, response: Any) -> None:
        if response.status >= 400 and response.request.is_navigation_request():
            self.failed_documents.add(response.url.split("#")[0])

    def allow(self, fragment: str) -> None:
        """Ignore errors containing ``fragment`` (for errors the test provokes on purpose)."""
        self.allowed.append(fragment)

    def unexpected(self) -> list[str]:
        found = []
        for text, url in self.errors:
            if text.startswith("Failed to load resource") and url.split("#")[0] in self.failed_documents:
                continue  # the page itself, opened by the test expecting that status (or a form sent back)
            if any(fragment in f"{text} ({url})" for fragment in self.allowed):
                continue
            found.append(f"{text} ({url})")
        return found

    def assert_clean(self) -> None:
        found = self.unexpected()
        assert not found, "browser console errors:\n" + "\n".join(found)


def _watched_page(browser: Any, request: pytest.FixtureRequest, **options: Any) -> Iterator[Any]:
    context = browser.new_context(**options)
    context.set_default_timeout(15000)
    page = context.new_page()
    page.console_watch = ConsoleWatch(page)
    yield page
    context.close()
    failed = getattr(request.node, "rep_call", None)
    if failed is None or not failed.failed:  # the test's own failure says more than its console
        page.console_watch.assert_clean()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _watched_page(browser, request, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")


@pytest.fixture
def phone_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _watched_page(
        browser,
        request,
        locale="vi-VN",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def phone_page_390(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A common phone's width (390 CSS pixels): public pages must fit it without sideways scrolling."""
    yield from _watched_page(
        browser,
        request,
        locale="vi-VN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def console(page: Any) -> ConsoleWatch:
    """The console watch of ``page`` (to allow an error the test provokes, or to check it mid-test)."""
    return page.console_watch  # type: ignore[no-any-return]


def scroll_width(page: Any) -> int:
    """How wide the page's content is (wider than the viewport: the page scrolls sideways)."""
    return int(page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"))


def login(page: Any, live_server: Any, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập hoặc thư điện tử").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
