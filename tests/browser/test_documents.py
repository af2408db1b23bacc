from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from friendlygov.documents.models import IssuedDocument
from friendlygov.documents.render import is_draft_docx
from tests.browser.conftest import login
from tests.documents.data import make_plan
from tests.documents.docx_reading import open_docx
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_downloads_a_draft_then_issues_the_plan(
    world: World, live_server: Any, page: Any, tmp_path: Path
) -> None:
    make_plan(world)
    login(page, live_server, "coordinator", PASSWORD)
    page.get_by_role("link", name="Văn bản").first.click()
    assert "Văn bản — Xã Thanh Miện" in page.locator("h1").inner_text()
    plan = page.locator("#lap-plan")
    plan.locator("summary").click()
    assert plan.get_by_label("Số văn bản").input_value() == "1"  # the next free number, proposed
    with page.expect_download() as info:
        plan.get_by_role("button", name="Tải dự thảo").click()
    path = tmp_path / "du-thao.docx"
    info.value.save_as(path)
    assert info.value.suggested_filename.startswith("du-thao-ke-hoach-thanh-mien-")
    assert is_draft_docx(path.read_bytes())
    plan.get_by_label("Số văn bản").fill("12")
    plan.get_by_role("button", name="Ban hành (ghi số) và lưu").click()
    page.wait_for_load_state()
    assert "Đã ban hành văn bản số 12/KH-UBND" in page.get_by_role("status").inner_text()
    row = page.locator("tr.doc-new")
    assert "12/KH-UBND" in row.inner_text()
    with page.expect_download() as info:
        row.get_by_role("link", name="Tải .docx").click()
    issued = tmp_path / "ban-hanh.docx"
    info.value.save_as(issued)
    assert open_docx(issued.read_bytes()).tables[0].cell(1, 0).paragraphs[0].text == "Số: 12/KH-UBND"
    assert IssuedDocument.objects.get().number == 12
    # The same number again, on another kind: refused with the reason next to the field.
    registration = page.locator("#lap-registration")
    registration.locator("summary").click()
    assert registration.get_by_label("Số văn bản").input_value() == "13"
    registration.get_by_label("Số văn bản").fill("12")
    registration.get_by_role("button", name="Ban hành (ghi số) và lưu").click()
    page.wait_for_load_state()
    assert "Số 12 đã được dùng" in page.locator("#lap-registration").inner_text()


def test_documents_page_on_a_phone(world: World, live_server: Any, phone_page: Any) -> None:
    login(phone_page, live_server, "leader", PASSWORD)
    phone_page.goto(f"{live_server.url}/don-vi/thanh-mien/van-ban/")
    expect(phone_page.get_by_text("Văn bản đã ban hành")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380


def test_public_page_without_login(world: World, live_server: Any, page: Any) -> None:
    page.goto(f"{live_server.url}/cong-khai/thanh-mien/")
    assert "Chính quyền thân thiện — Xã Thanh Miện" in page.locator("h1").inner_text()
    expect(page.get_by_text("4 xin").first).to_be_visible()
    page.goto(f"{live_server.url}/cong-khai/hai-phong/")
    page.get_by_role("link", name="Xã Thanh Miện").click()
    assert page.url.endswith("/cong-khai/thanh-mien/")
