"""The pages anyone opens (public unit and city pages, the survey and feedback forms, the lookup) fit a 390 px
phone and log nothing in the browser console; the city reviewer has the city's navigation; error pages are
the friendly ones."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from friendlygov.surveys import services as surveys
from friendlygov.surveys.models import Questionnaire, SurveyLink
from tests.browser.conftest import login, scroll_width
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def desk(world: World) -> SurveyLink:
    surveys.ensure_library()
    return surveys.create_link(
        actor=world.coordinator,
        unit=world.unit,
        questionnaire=Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV"),
        label="Bàn tiếp nhận — Trung tâm Phục vụ hành chính công",
        receipt_mode=SurveyLink.ReceiptMode.OPTIONAL,
    )


def test_public_pages_fit_a_390px_phone(
    world: World, desk: SurveyLink, live_server: Any, phone_page_390: Any
) -> None:
    centre = world.bodies["PVHCC"]
    centre.email = "trungtamphucvuhanhchinhcong.thanhmien@haiphong.gov.vn"  # long words must wrap, not widen
    centre.phone, centre.address = "0220 3 812 345", "Khu 1, thị trấn Thanh Miện, thành phố Hải Phòng"
    centre.head_name = "Nguyễn Thị Phương Thảo"
    centre.save()
    pages = [
        "/cong-khai/thanh-mien/",
        "/cong-khai/hai-phong/",
        f"/ks/{desk.token}/",
        "/phan-anh/thanh-mien/gui/",
        "/phan-anh/tra-cuu/",
    ]
    for path in pages:
        response = phone_page_390.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        phone_page_390.wait_for_load_state("networkidle")
        assert scroll_width(phone_page_390) <= 390, path
        phone_page_390.console_watch.assert_clean()


def test_city_reviewer_finds_the_city_navigation(world: World, live_server: Any, page: Any) -> None:
    login(page, live_server, "reviewer", PASSWORD)
    assert page.url.endswith("/thanh-pho/hai-phong/")
    nav = page.get_by_role("navigation", name="Chức năng của đơn vị")
    assert nav.get_by_role("link", name="Tổng quan").get_attribute("aria-current") == "page"
    nav.get_by_role("link", name="Đánh giá, chấm điểm").click()
    page.wait_for_load_state()
    assert page.url.endswith("/thanh-pho/hai-phong/danh-gia/")
    nav.get_by_role("link", name="Khảo sát SIPAS").click()
    page.wait_for_load_state()
    assert page.url.endswith("/thanh-pho/hai-phong/khao-sat/")


def test_a_missing_page_is_the_friendly_one(world: World, live_server: Any, page: Any) -> None:
    response = page.goto(f"{live_server.url}/khong-co-trang-nay/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    assert "URLconf" not in page.content()
    # The layout's own files load (served by the app itself, debug off).
    assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "flex"
