from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_logs_in_and_sees_commune_home(world: World, live_server: Any, page: Any) -> None:
    login(page, live_server, "coordinator", PASSWORD)
    assert page.url.endswith("/don-vi/thanh-mien/")
    assert "Thanh Miện" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Tổ chức").first.click()
    expect(page.get_by_text("Phòng Văn hóa - Xã hội").first).to_be_visible()


def test_wrong_password_shows_vietnamese_message(world: World, live_server: Any, page: Any) -> None:
    login(page, live_server, "coordinator", "sai")
    assert page.get_by_role("alert").inner_text().startswith("Tên đăng nhập")


def test_outsider_cannot_open_neighbour_by_url(world: World, live_server: Any, page: Any) -> None:
    login(page, live_server, "outsider", PASSWORD)
    response = page.goto(f"{live_server.url}/don-vi/thanh-mien/")
    assert response is not None and response.status == 404
