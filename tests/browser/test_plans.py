"""In the browser: a coordinator pastes the seed appendix and confirms; a body member marks an occurrence done
with a PDF; the plan page shows the progress. The plan years are 2026–2030, and the 2026 deadlines are read
from the 2026 tab, so the dates do not depend on today."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from friendlygov.plans import services
from friendlygov.plans.demo import minimal_pdf
from friendlygov.plans.models import Occurrence, Task
from tests.browser.conftest import login
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = (
    Path(__file__).resolve().parents[2] / "friendlygov" / "rules" / "data" / "thanh-mien-appendix.tsv"
).read_text(encoding="utf-8")


def test_paste_confirm_do_the_work_and_see_progress(
    world: World, live_server: Any, page: Any, tmp_path: Path
) -> None:
    plan = services.create_plan(
        actor=world.coordinator,
        unit=world.unit,
        title="Triển khai thực hiện mô hình “Chính quyền thân thiện” giai đoạn 2026-2030",
        start_year=2026,
        end_year=2030,
        open_ended=True,
        targets=[{"year": 2026, "level_code": "3"}, {"year": 2030, "level_code": "4"}],
    )

    # The coordinator pastes the appendix, previews, confirms.
    login(page, live_server, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}/don-vi/thanh-mien/ke-hoach/{plan.pk}/")
    page.get_by_role("link", name="Nhập phụ lục nhiệm vụ").click()
    page.get_by_label("Dán bảng phụ lục").fill(SEED)
    page.get_by_role("button", name="Xem trước").click()
    assert "Xem trước: 10 nhiệm vụ" in page.locator("#preview-title").inner_text()
    assert "13/02/2026" in page.locator('#preview tr[data-task-number="3"]').inner_text()
    assert not Task.objects.exists()
    page.get_by_role("button", name="Xác nhận, lưu 10 nhiệm vụ").click()
    page.wait_for_url(f"**/ke-hoach/{plan.pk}/")
    assert "Đã lưu phụ lục: 10 nhiệm vụ mới" in page.locator(".messages").inner_text()
    page.locator(".year-tabs").get_by_role("link", name="2026", exact=True).click()
    rows = page.locator("#task-table tbody tr")
    assert rows.count() == 10
    assert "13/02/2026" in page.locator('#task-table tr[data-task-number="3"]').inner_text()
    assert "11/11/2026" in page.locator('#task-table tr[data-task-number="5"]').inner_text()

    # A member of the public-service centre marks its 2026 occurrence done with a PDF.
    page.context.clear_cookies()
    login(page, live_server, "member", PASSWORD)
    item = Occurrence.objects.get(task__plan=plan, task__number="9", period="2026")
    page.goto(f"{live_server.url}/don-vi/thanh-mien/ke-hoach/viec-cua-toi/")
    page.locator(f'a[href$="/viec/{item.pk}/"]').first.click()
    page.get_by_role("radio", name="Hoàn thành").check()
    page.get_by_label("Ghi chú kết quả").fill("Đã niêm yết đầy đủ thủ tục hành chính")
    pdf = tmp_path / "bien-ban-kiem-tra.pdf"
    pdf.write_bytes(minimal_pdf("Bien ban kiem tra"))
    page.get_by_label("Tệp minh chứng").set_input_files(str(pdf))
    page.get_by_label("Ngày hiệu lực của minh chứng").fill("20/12/2026")
    page.get_by_role("button", name="Lưu cập nhật").click()
    page.wait_for_load_state()
    assert "Đã lưu cập nhật." in page.locator(".messages").inner_text()
    assert "Hoàn thành" in page.locator("#occurrence-status").inner_text()
    assert page.get_by_role("link", name="Nhiệm vụ 9 — Năm 2026").count() == 1
    assert "bien-ban-kiem-tra.pdf" in page.content()

    # The plan page shows the progress.
    page.goto(f"{live_server.url}/don-vi/thanh-mien/ke-hoach/{plan.pk}/?nam=2026")
    assert page.locator('#task-table tr[data-task-number="9"] progress').get_attribute("value") == "100"
    assert "Hoàn thành" in page.locator('#task-table tr[data-task-number="9"]').inner_text()
    assert (
        page.locator("#year-progress progress").get_attribute("value") == "11"
    )  # 100 ÷ 9 tasks with a 2026 deadline
