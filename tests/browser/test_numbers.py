"""The value read is shown back before it counts: typing a number shows "Đọc là: …" next to the field
(the app's own script, no inline code), and the server's echo after saving is the same reading."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from friendlygov.assessments import services
from friendlygov.assessments.models import ScoreEntry
from tests.assessments.conftest import ASSIGN, TINY, YEAR
from tests.browser.conftest import login
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_read_back_shows_while_typing_and_after_saving(world: World, live_server: Any, page: Any) -> None:
    data = copy.deepcopy(TINY)
    data["criteria"][0]["children"][2].pop("source")  # 1.3: a ratio typed in by the unit
    cs = services.add_criteria_set(actor=world.reviewer, city=world.city, data=data, origin="yaml")
    cycle = services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=cs)
    for code, body in ASSIGN.items():
        services.assign_criterion(
            actor=world.coordinator, cycle=cycle, criterion_code=code, body=world.bodies[body]
        )
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    login(page, live_server, "member", PASSWORD)
    page.goto(f"{live_server.url}/don-vi/thanh-mien/danh-gia/{YEAR}/tieu-chi/1.3/")
    form = page.locator("#score-form")
    numerator = form.get_by_label("Tử số")
    readback = form.locator("#id_score-numerator-readback")
    assert readback.is_hidden()
    numerator.fill("1100")
    assert readback.inner_text() == "Đọc là: 1.100"
    numerator.fill("1,100")
    assert readback.inner_text() == "Đọc là: 1,1 — không phải số nguyên"
    numerator.fill("81.48")
    assert "Chưa đọc được số này" in readback.inner_text()
    numerator.fill("1.100")
    assert readback.inner_text() == "Đọc là: 1.100"
    form.get_by_label("Mẫu số").fill("1350")
    assert form.locator("#id_score-denominator-readback").inner_text() == "Đọc là: 1.350"
    percent = form.get_by_label("Hoặc tỷ lệ (%)")
    percent.fill("92,5%")
    assert form.locator("#id_score-percent-readback").inner_text() == "Đọc là: 92,5%"
    percent.fill("")
    assert form.locator("#id_score-percent-readback").is_hidden()
    form.get_by_label("Giải trình").fill("Số liệu của Trung tâm")
    form.locator("button.btn").click()
    page.wait_for_load_state()
    assert "Đọc là: 1.100/1.350" in page.locator(".msg-success").inner_text()
    assert ScoreEntry.objects.get(cycle=cycle, criterion_code="1.3").value == "1100/1350"
    assert page.locator("#score-form").get_by_label("Tử số").input_value() == "1.100"
    # the inline-style CSP report that every page logs today is another item of issue 16 (htmx's own
    # style); once it is gone this filter can go too. Nothing else may be logged.
    assert [e for e in errors if "Applying inline style violates" not in e] == []
