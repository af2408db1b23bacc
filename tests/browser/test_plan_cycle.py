"""The cycle completes the plan, in the browser: the coordinator issues the self-assessment report, the
leader submits the self-assessment from the cycle's page, and the plan page shows this year's task 5
("Xây dựng báo cáo tự đánh giá…") done with the issued report as its evidence."""

from __future__ import annotations

from typing import Any

import pytest

from friendlygov.plans.models import local_today
from tests.browser.conftest import login
from tests.documents.data import make_cycle, make_plan
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username, PASSWORD)


def test_submitting_the_self_assessment_completes_task_5(world: World, live_server: Any, page: Any) -> None:
    year = local_today().year
    plan = make_plan(world)
    make_cycle(world, year, until="scored")

    # the coordinator issues the self-assessment report with its number
    as_user(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/don-vi/thanh-mien/van-ban/")
    report = page.locator("#lap-self-assessment")
    report.locator("summary").click()
    report.get_by_label("Số văn bản").fill("21")
    report.get_by_role("button", name="Ban hành (ghi số) và lưu").click()
    page.wait_for_load_state()
    assert "Đã ban hành văn bản số 21/BC-UBND" in page.get_by_role("status").inner_text()

    # before the submission, task 5 is not done
    page.goto(f"{live_server.url}/don-vi/thanh-mien/ke-hoach/{plan.pk}/?nam={year}")
    row = page.locator('tr[data-task-number="5"]')
    assert "Hoàn thành" not in row.locator("td").nth(5).inner_text()

    # the leader submits from the cycle's pages
    as_user(page, live_server, "leader")
    page.goto(f"{live_server.url}/don-vi/thanh-mien/danh-gia/{year}/nop/")
    acknowledge = page.get_by_label("Tôi đã xem các vấn đề")
    if acknowledge.count():
        acknowledge.check()
    page.get_by_role("button", name="Nộp bản tự đánh giá").click()
    assert "Đã nộp, chờ thẩm định" in page.locator("#cycle-status").inner_text()

    # the plan page: this year's task 5 done, the issued report and the submission as its evidence
    page.goto(f"{live_server.url}/don-vi/thanh-mien/ke-hoach/{plan.pk}/?nam={year}")
    row = page.locator('tr[data-task-number="5"]')
    assert "Hoàn thành" in row.locator("td").nth(5).inner_text()
    evidence = row.locator("[data-task-events]")
    link = evidence.get_by_role("link", name="Báo cáo tự đánh giá, chấm điểm số 21/BC-UBND", exact=False)
    assert link.count() == 1 and link.get_attribute("href").endswith("/tai-ve/")
    assert f"Nộp bản tự đánh giá, chấm điểm năm {year}" in evidence.inner_text()
    # the occurrence page says the same
    row.locator("td").nth(5).get_by_role("link").first.click()
    assert "Hoàn thành" in page.locator("#occurrence-status").inner_text()
    assert "21/BC-UBND" in page.get_by_label("Theo sự kiện của chu kỳ").inner_text()
