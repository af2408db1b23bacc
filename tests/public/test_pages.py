"""The public pages (no login): what a citizen sees, and — with distinctive markers — what must never show."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from friendlygov.documents import services as documents
from tests.documents.data import make_cycle, make_plan

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 26, 9, 0)

PRIVATE = [
    "Nguyễn Bí Mật",  # a citizen's name
    "0912345678",  # … phone
    "bimat@example.vn",  # … e-mail
    "Số 9 ngõ Kín",  # … address
    "NỘI-DUNG-GỐC-7731",  # the citizen's own text (the published summary replaces it)
    "CHƯA-CÔNG-KHAI-5521",  # a feedback not published
    "VƯỚNG-MẮC-NỘI-BỘ-8812",  # an obstacle reported inside the unit
    "THIẾU-SÓT-NỘI-BỘ-9034",  # a shortfall (internal)
    "CÁCH-LÀM-CHƯA-CÔNG-KHAI",  # a good practice not published
    "DỰ-THẢO-4417",  # a draft (recipients of a draft document)
    "Tự chấm",  # self-scores of the programme
]


@pytest.fixture
def public_world(world: Any) -> Any:
    from friendlygov.feedback import services as feedback
    from friendlygov.operations import services as operations
    from friendlygov.org import services as org
    from friendlygov.plans import services as plans

    with time_machine.travel(NOW, tick=False):
        make_plan(world)
        make_cycle(world, 2026)
        org.update_body(
            actor=world.users["unit_admin"],
            body=world.bodies["PVHCC"],
            phone="0220 3735 111",
            email="pvhcc.thanhmien@haiphong.gov.vn",
            address="Trụ sở UBND xã Thanh Miện",
        )
        answered = feedback.submit_feedback(
            unit=world.unit,
            topic="procedure",
            subject="Đường vào Trung tâm bị ngập khi mưa",
            content="Nước ngập lối vào NỘI-DUNG-GỐC-7731, người già khó đi lại.",
            contact=feedback.ContactInput(
                name="Nguyễn Bí Mật", phone="0912345678", email="bimat@example.vn", address="Số 9 ngõ Kín"
            ),
            consent=True,
        )
        feedback.answer_feedback(
            actor=world.coordinator,
            feedback=answered,
            answer="Ủy ban nhân dân xã đã khơi thông cống thoát nước TRẢ-LỜI-CÔNG-KHAI-1203.",
            publish=True,
            public_summary="Phản ánh về ngập nước trước Trung tâm Phục vụ hành chính công",
        )
        feedback.submit_feedback(
            unit=world.unit,
            topic="conduct",
            subject="Thái độ CHƯA-CÔNG-KHAI-5521",
            content="Nội dung chưa công khai",
        )
        plans.report_obstacle(
            actor=world.member,
            unit=world.unit,
            body=world.bodies["PVHCC"],
            text="Thiếu kinh phí VƯỚNG-MẮC-NỘI-BỘ-8812",
        )
        operations.record_shortfall(
            actor=world.coordinator,
            unit=world.unit,
            year=2026,
            subject="Thôn Tháp Ngạn",
            reason="Chưa niêm yết THIẾU-SÓT-NỘI-BỘ-9034",
            noted_on=dt.date(2026, 12, 1),
        )
        shown = operations.add_good_practice(
            actor=world.coordinator,
            unit=world.unit,
            year=2026,
            title="Tổ tư vấn thủ tục CÁCH-LÀM-HAY-CÔNG-KHAI",
            summary="Cán bộ hướng dẫn người dân tại nhà văn hóa thôn.",
        )
        operations.set_good_practice_published(
            actor=world.coordinator, practice=shown, published=True, expected_version=shown.version
        )
        operations.add_good_practice(
            actor=world.coordinator, unit=world.unit, year=2026, title="CÁCH-LÀM-CHƯA-CÔNG-KHAI", summary="…"
        )
        documents.render_document(
            actor=world.coordinator, unit=world.unit, kind="plan", year=2026, recipients=["DỰ-THẢO-4417"]
        )
        yield world


def test_unit_page_shows_the_public_results(public_world: Any, client: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("public:unit", kwargs={"slug": "thanh-mien"}))
    assert response.status_code == 200
    html = response.content.decode()
    # The sign communes hang: an inline SVG badge with the recognised level and year.
    assert '<svg class="sign"' in html
    assert "CHÍNH QUYỀN" in html and "THÂN THIỆN" in html and "MỨC ĐỘ 2" in html and "NĂM 2026" in html
    assert "được công nhận đạt chuẩn “Chính quyền thân thiện” Mức độ 2 năm 2026" in html
    assert "123/QĐ-UBND ngày 20/12/2026" in html
    assert ">89<" in html  # the appraised total the decision rests on
    # Published answers (the staff's summary, not the citizen's text).
    assert "Phản ánh về ngập nước trước Trung tâm Phục vụ hành chính công" in html
    assert "TRẢ-LỜI-CÔNG-KHAI-1203" in html
    # Published good practice.
    assert "CÁCH-LÀM-HAY-CÔNG-KHAI" in html
    # The commitments ("4 xin", "4 luôn" of QĐ 1847/QĐ-TTg; "5 không").
    for words in (
        "Xin chào",
        "Xin phép",
        "Luôn mỉm cười",
        "Luôn giúp đỡ",
        "Không hách dịch, cửa quyền",
        "Không lợi dụng chức vụ",
    ):
        assert words in html
    # The service centre's office contacts.
    assert "Trung tâm Phục vụ hành chính công" in html and "0220 3735 111" in html
    assert "pvhcc.thanhmien@haiphong.gov.vn" in html
    # Links to the public feedback form.
    assert reverse("feedback:public_submit", kwargs={"slug": "thanh-mien"}) in html
    # No login needed, no staff navigation.
    assert "Đăng nhập" in html and "Chức năng của đơn vị" not in html


def test_nothing_private_on_the_public_pages(public_world: Any, client: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        pages = [
            client.get(reverse("public:unit", kwargs={"slug": "thanh-mien"})).content.decode(),
            client.get(reverse("public:city", kwargs={"slug": "hai-phong"})).content.decode(),
        ]
    for html in pages:
        for marker in PRIVATE:
            assert marker not in html, marker


def test_city_page_lists_every_unit_with_its_level(public_world: Any, client: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        html = client.get(reverse("public:city", kwargs={"slug": "hai-phong"})).content.decode()
    assert reverse("public:unit", kwargs={"slug": "thanh-mien"}) in html
    assert reverse("public:unit", kwargs={"slug": "gia-loc"}) in html
    assert "Mức độ 2" in html
    assert "Chưa được công nhận" in html  # Gia Lộc
    assert html.count('<svg class="sign"') == 1


def test_a_unit_without_recognition(world: Any, client: Any) -> None:
    html = client.get(reverse("public:unit", kwargs={"slug": "gia-loc"})).content.decode()
    assert "chưa có quyết định công nhận" in html
    assert '<svg class="sign"' not in html


def test_unknown_or_inactive_units_are_404(world: Any, client: Any) -> None:
    assert client.get(reverse("public:unit", kwargs={"slug": "khong-co"})).status_code == 404
    world.other.is_active = False
    world.other.save()
    assert client.get(reverse("public:unit", kwargs={"slug": "gia-loc"})).status_code == 404


def test_public_pages_do_not_need_a_session(world: Any, client: Any) -> None:
    response = client.get(reverse("public:unit", kwargs={"slug": "thanh-mien"}))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "style=" not in response.content.decode()
