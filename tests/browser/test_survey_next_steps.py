"""The survey's thank-you page on a 390 px phone: no dead end, no console error, no sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from friendlygov.surveys import services
from friendlygov.surveys.models import Questionnaire
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))  # type: ignore[attr-defined]
    yield page
    context.close()


def test_thank_you_page_leads_on(world: World, live_server: Any, phone: Any) -> None:
    services.ensure_library()
    sipas = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    model = Questionnaire.objects.get(unit__isnull=True, code="MH-CQTT")
    desk = services.create_link(actor=world.coordinator, unit=world.unit, questionnaire=sipas, label="Bàn")
    other = services.create_link(
        actor=world.coordinator, unit=world.unit, questionnaire=model, label="Mô hình"
    )
    phone.goto(f"{live_server.url}/ks/{desk.token}/cam-on/")
    expect(phone.get_by_text("Xin cảm ơn ông/bà!")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    steps = phone.get_by_role("navigation", name="Ông/bà có thể tiếp tục")
    another = steps.get_by_role("link", name=f"Trả lời khảo sát khác: {model.name}")
    assert another.get_attribute("href") == f"/ks/{other.token}/"
    box = another.bounding_box()
    assert box is not None and box["height"] >= 44  # a finger-sized target
    expect(steps.get_by_role("link", name="Tra cứu phản ánh đã gửi (theo mã tra cứu)")).to_be_visible()
    expect(steps.get_by_role("link", name="Trang thông tin của xã Thanh Miện")).to_be_visible()
    assert phone.console_errors == []  # type: ignore[attr-defined]
    steps.get_by_role("link", name="Gửi phản ánh, kiến nghị tới Ủy ban nhân dân").click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/phan-anh/thanh-mien/gui/")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
