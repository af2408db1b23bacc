"""A year of Thanh Miện's programme recorded end to end in the browser: three communication activities with
photos, two villages' reviews, the budget estimate and spending, a reward decision — then the year's
figures on the overview and the yearly results page."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from friendlygov.operations.demo import tiny_png
from friendlygov.operations.models import CouncilMeeting, VillageReviewItem
from friendlygov.plans.demo import minimal_pdf
from tests.browser.conftest import login
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = minimal_pdf("Chung tu")


def _photo(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "image/png", "buffer": tiny_png()}


def test_a_year_of_operations_end_to_end(world: World, live_server: Any, page: Any) -> None:
    today = timezone.localdate().strftime("%d/%m/%Y")
    base = f"{live_server.url}/don-vi/thanh-mien/hoat-dong/"
    login(page, live_server, "coordinator", PASSWORD)

    # --- three communication activities with photos
    activities = [
        (
            "slogan_panel",
            "Pano “4 xin, 4 luôn, 5 không” tại cổng trụ sở",
            "Cổng trụ sở UBND xã",
            "0",
            "12.000.000",
        ),
        ("briefing", "Hội nghị quán triệt cho cán bộ, công chức", "Hội trường UBND xã", "120", "2.500.000"),
        ("zalo", "Tin về thủ tục trực tuyến trên Zalo", "Nhóm Zalo của xã", "850", "0"),
    ]
    for number, (kind, title, place, reach, cost) in enumerate(activities, start=1):
        page.goto(base)
        page.get_by_role("link", name="Ghi hoạt động", exact=True).click()
        page.get_by_label("Hình thức tuyên truyền").select_option(kind)
        page.get_by_label("Nội dung tuyên truyền").fill(title)
        page.get_by_label("Ngày thực hiện").fill(today)
        page.get_by_label("Địa điểm, kênh").fill(place)
        page.get_by_label("Cơ quan thực hiện").select_option(label="Phòng Văn hóa - Xã hội")
        page.get_by_label("Số lượt người được tuyên truyền").fill(reach)
        page.get_by_label("Kinh phí (đồng)").fill(cost)
        page.get_by_label("Ảnh hoặc tệp PDF").set_input_files([_photo(f"anh-{number}.png")])
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == title
        assert page.locator(".op-photos img").count() == 1

    # --- the year's village items, then two villages' reviews
    for text in ("Không có phản ánh về thái độ của cán bộ thôn", "Bảng tin văn hóa cập nhật hằng tháng"):
        page.goto(base + "thon/")
        page.get_by_role("link", name="Thêm nội dung bình xét").click()
        page.get_by_label("Nội dung bình xét").fill(text)
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_load_state()
    items = list(VillageReviewItem.objects.order_by("position").values_list("pk", flat=True))
    for village, results, title in (("TN", ["1", "1"], "achieved"), ("HB", ["0", "1"], "not_achieved")):
        page.goto(f"{base}thon/{world.bodies[village].pk}/nam-{timezone.localdate().year}/")
        for item_id, value in zip(items, results, strict=True):
            page.locator(f'input[name="result_{item_id}"][value="{value}"]').check()
        page.get_by_label("Kết quả danh hiệu").select_option(title)
        page.get_by_label("Ngày bình xét").fill(today)
        page.get_by_role("button", name="Lưu kết quả bình xét").click()
        page.wait_for_load_state()
        assert "Đã lưu kết quả bình xét" in page.locator(".messages").inner_text()
    assert "1/2 thôn đạt danh hiệu" in page.content()

    # --- the budget estimate and a spending
    page.goto(base + "kinh-phi/")
    page.get_by_role("link", name="Thêm dòng dự toán").click()
    page.get_by_label("Nội dung chi").fill("Làm pano, khẩu hiệu")
    page.get_by_label("Nguồn kinh phí").select_option("state_commune")
    page.get_by_label("Dự toán đề nghị (đồng)").fill("20.000.000")
    page.get_by_label("Được phê duyệt (đồng)").fill("15.000.000")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Ghi khoản chi").first.click()
    page.get_by_label("Dòng dự toán").select_option(
        label=f"Làm pano, khẩu hiệu ({timezone.localdate().year})"
    )
    page.get_by_label("Ngày chi").fill(today)
    page.get_by_label("Số tiền (đồng)").fill("12.000.000")
    page.get_by_label("Nội dung chi").fill("Thanh toán hợp đồng làm pano")
    page.get_by_label("Cho hoạt động tuyên truyền").select_option(label=activities[0][1])
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert "Đã ghi khoản chi" in page.locator(".messages").inner_text()

    # --- a nomination, the council's vote and the reward decision
    page.goto(base + "khen-thuong/")
    page.get_by_role("link", name="Đề nghị khen thưởng", exact=True).click()
    page.get_by_label("Tên cá nhân, tập thể").fill("Nguyễn Văn Tài")
    page.get_by_label("Cơ quan đề nghị").select_option(label="Phòng Văn hóa - Xã hội")
    page.locator("#id_achievements").fill("Vận động 96% hộ tham gia bình xét; duy trì bảng tin văn hóa.")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    page.goto(base + "khen-thuong/")
    page.get_by_role("link", name="Họp Hội đồng Thi đua - Khen thưởng").click()
    page.get_by_label("Ngày họp").fill(today)
    page.get_by_label("Thành viên Hội đồng").fill(
        "Lê Anh Tuấn — Chủ tịch Hội đồng\nNguyễn Thị Hạnh — Ủy viên\nTrần Minh Đức — Ủy viên"
    )
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    meeting = CouncilMeeting.objects.get()
    assert page.url.endswith(f"/hoi-dong/{meeting.pk}/")
    for radio in page.locator('input[type="radio"][value="for"]').all():
        radio.check()
    page.get_by_role("button", name="Ghi biểu quyết").click()
    page.wait_for_load_state()
    assert "Hội đồng đề nghị khen thưởng" in page.locator(".messages").inner_text()
    page.goto(base + "khen-thuong/")
    page.get_by_role("link", name="Ghi quyết định khen thưởng").click()
    page.get_by_label("Số quyết định").fill("215/QĐ-UBND")
    page.get_by_label("Ngày ký").fill(today)
    page.get_by_label("Nguyễn Văn Tài").check()
    page.get_by_label("Tệp quyết định (PDF)").set_input_files(
        [{"name": "qd.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert "215/QĐ-UBND" in page.locator("#decisions").inner_text()

    # --- the year's figures on the overview and the yearly results page
    page.goto(base)
    assert page.locator('[data-figure="communication-count"]').inner_text() == "3"
    assert page.locator('[data-figure="communication-reach"]').inner_text() == "970"
    assert page.locator('[data-figure="villages-achieved"]').inner_text() == "1/2"
    assert page.locator('[data-figure="budget-approved"]').inner_text() == "15.000.000 đồng"
    assert page.locator('[data-figure="budget-spent"]').inner_text() == "12.000.000 đồng"
    assert page.locator('[data-figure="rewards-awarded"]').inner_text() == "1"
    page.get_by_role("link", name="Kết quả năm (tất cả các mặt)").click()
    page.wait_for_load_state()
    assert page.locator('[data-figure="yearly-communication"]').inner_text() == "3"
    assert page.locator('[data-figure="yearly-spent"]').inner_text() == "12.000.000 đồng"
    assert "215/QĐ-UBND" in page.content()


def test_bad_input_keeps_values_on_a_phone(world: World, live_server: Any, phone_page: Any) -> None:
    login(phone_page, live_server, "coordinator", PASSWORD)
    phone_page.goto(f"{live_server.url}/don-vi/thanh-mien/hoat-dong/tuyen-truyen/moi/")
    phone_page.get_by_label("Nội dung tuyên truyền").fill("Bảng tin thôn Hòa Bình")
    phone_page.get_by_label("Ngày thực hiện").fill("31/02/2026")
    phone_page.get_by_label("Địa điểm, kênh").fill("Nhà văn hóa thôn Hòa Bình")
    phone_page.get_by_role("button", name="Lưu").click()
    phone_page.wait_for_load_state()
    assert "Ngày không hợp lệ" in phone_page.content()
    assert phone_page.get_by_label("Nội dung tuyên truyền").input_value() == "Bảng tin thôn Hòa Bình"
    assert phone_page.get_by_label("Địa điểm, kênh").input_value() == "Nhà văn hóa thôn Hòa Bình"


def test_outsider_cannot_open_operations_by_url(world: World, live_server: Any, page: Any) -> None:
    login(page, live_server, "outsider", PASSWORD)
    response = page.goto(f"{live_server.url}/don-vi/thanh-mien/hoat-dong/")
    assert response is not None and response.status == 404
