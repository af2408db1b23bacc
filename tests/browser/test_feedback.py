"""A citizen's feedback from a phone to an answer, followed with the tracking code; no contact detail
ever shows on a public page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from tests.browser.conftest import login
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "0966 454 321"
NAME = "Phạm Thị Riêng Tư"


def assert_no_contact(html: str) -> None:
    assert PHONE not in html and "0966454321" not in html and NAME not in html


def test_feedback_from_submission_to_answer(
    world: World, live_server: Any, page: Any, phone_page: Any
) -> None:
    cache.clear()
    citizen = phone_page
    citizen.goto(f"{live_server.url}/phan-anh/thanh-mien/gui/")
    citizen.get_by_label("Thủ tục hành chính").check()
    citizen.get_by_label("Tiêu đề").fill("Bảng hướng dẫn thủ tục khai sinh bị mờ")
    citizen.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Tôi phải đi lại hai lần vì không đọc được thành phần hồ sơ."
    )
    citizen.get_by_label("Họ và tên").fill(NAME)
    citizen.get_by_label("Số điện thoại").fill(PHONE)
    citizen.get_by_label("Tôi đồng ý với nội dung trên").check()
    citizen.get_by_role("button", name="Gửi phản ánh").click()
    citizen.wait_for_load_state()
    code = citizen.locator("#tracking-code").inner_text().strip()
    assert len(code.replace("-", "")) == 10
    assert_no_contact(citizen.content())

    login(page, live_server, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}/don-vi/thanh-mien/phan-anh/")
    page.get_by_role("link", name="Bảng hướng dẫn thủ tục khai sinh bị mờ").click()
    page.get_by_label("Câu trả lời cho người dân").fill(
        "Trung tâm đã thay bảng hướng dẫn mới, in chữ lớn, tại quầy số 1."
    )
    page.get_by_label("Công khai câu trả lời trên trang của đơn vị (không kèm thông tin cá nhân)").check()
    page.get_by_role("button", name="Gửi câu trả lời").click()
    page.wait_for_load_state()
    assert page.locator("#state-name").inner_text() == "Đã trả lời"

    citizen.goto(f"{live_server.url}/phan-anh/tra-cuu/")
    citizen.get_by_label("Mã tra cứu").fill(code.lower())
    citizen.get_by_role("button", name="Tra cứu").click()
    citizen.wait_for_load_state()
    assert citizen.locator("#public-state").inner_text() == "Đã trả lời"
    assert "bảng hướng dẫn mới" in citizen.locator("#public-answer").inner_text()
    assert_no_contact(citizen.content())
    citizen.get_by_label("Hài lòng", exact=True).check()
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    citizen.wait_for_load_state()
    assert "Cảm ơn ông/bà đã đánh giá" in citizen.content()
    assert_no_contact(citizen.content())

    citizen.goto(f"{live_server.url}/phan-anh/thanh-mien/")
    assert "bảng hướng dẫn mới" in citizen.content()
    assert_no_contact(citizen.content())
