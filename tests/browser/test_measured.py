"""A measured figure in the browser: the scorer sees the city's PAR INDEX with where it came from, accepts
it in one click from the criteria list, then types another value — refused without a reason, kept with
one and shown beside the measured figure."""

from __future__ import annotations

from typing import Any

import pytest

from friendlygov.assessments import services
from friendlygov.assessments.models import Registration, ScoreEntry
from tests.browser.conftest import login
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2026
CYCLE = f"/don-vi/thanh-mien/danh-gia/{YEAR}/"


def test_the_scorer_accepts_a_measured_value_then_overrides_it_with_a_reason(
    world: World, live_server: Any, page: Any
) -> None:
    row = services.load_template(actor=world.reviewer, city=world.city, name="hai-phong-provisional")
    cycle = services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=row)
    services.register_target(actor=world.leader, cycle=cycle, target_level="3")
    services.decide_registration(
        actor=world.reviewer, registration=Registration.objects.get(cycle=cycle), accept=True
    )
    services.save_city_figure(
        actor=world.reviewer,
        unit=world.unit,
        year=YEAR,
        kind="par_index",
        value="85.6",
        decision="Quyết định 812/QĐ-UBND",
    )
    login(page, live_server, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}{CYCLE}")
    reform = page.locator("#row-1\\.2")
    assert "chưa xác nhận" in reform.inner_text()
    reform.get_by_role("button", name="Dùng số liệu đo được (85,6%)").click()
    page.wait_for_url(f"**{CYCLE}#row-1.2")
    assert "Đã dùng số liệu đo được làm giá trị tự chấm." in page.locator("body").inner_text()
    assert "đã xác nhận số liệu đo được" in page.locator("#row-1\\.2").inner_text()
    entry = ScoreEntry.objects.get(cycle=cycle, criterion_code="1.2")
    assert entry.from_source and entry.value == "85.60%" and entry.measured_at is not None

    page.goto(f"{live_server.url}{CYCLE}tieu-chi/1.2/")
    measured = page.locator("#measured")
    assert "Quyết định 812/QĐ-UBND" in measured.inner_text()
    assert "Đã xác nhận số liệu đo được" in page.locator("#measured-status").inner_text()
    form = page.locator("#override-form")
    form.get_by_label("Hoặc tỷ lệ (%)").fill("90")
    form.get_by_role("button", name="Ghi giá trị khác (kèm lý do)").click()
    assert "ghi lý do không dùng số liệu đo được" in page.locator("#override-form").inner_text()
    assert page.locator("#override-form").get_by_label("Hoặc tỷ lệ (%)").input_value() == "90"  # kept
    page.locator("#override-form").get_by_label("Lý do").fill(
        "Thành phố đã đính chính điểm tại Văn bản 90/SNV."
    )
    page.locator("#override-form").get_by_role("button", name="Ghi giá trị khác (kèm lý do)").click()
    side = page.locator("#measured-override").inner_text()
    assert "90%" in side and "85,6%" in side
    assert "Văn bản 90/SNV" in page.locator("#measured-status").inner_text()
    entry.refresh_from_db()
    assert entry.value == "90%" and entry.measured_value == "85.60%" and not entry.from_source
