"""The city dashboard in a browser: its charts render (inline SVG, drawn by the app itself) and the page
passes axe-core's WCAG 2.1 A and AA rules. axe-core comes from npm (``js/package.json``, installed by
``make install-test`` with ``npm ci --prefix js``)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from friendlygov.assessments import services
from tests.assessments.conftest import ASSIGN, YEAR, score_everything
from tests.assessments.test_city_dashboard import _add_units, _no_sources_set
from tests.browser.conftest import login
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("FRIENDLYGOV_AXE_JS") or ROOT / "js" / "node_modules" / "axe-core" / "axe.min.js")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _city(world: World) -> None:
    """Units of the three kinds, registered at different levels, with SIPAS answers; Thanh Miện scored,
    submitted and appraised."""
    criteria_set = _no_sources_set(world)
    _add_units(world, criteria_set, 6, start=1)
    cycle = services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=criteria_set)
    services.register_target(actor=world.leader, cycle=cycle, target_level="2")
    for code, body in ASSIGN.items():
        services.assign_criterion(
            actor=world.coordinator, cycle=cycle, criterion_code=code, body=world.bodies[body]
        )
    cycle = services.submit_cycle(
        actor=world.leader, cycle=score_everything(world, cycle), acknowledge_issues=True
    )
    services.update_deadlines(
        actor=world.reviewer,
        cycle=cycle,
        registration_deadline=dt.date(YEAR, 1, 10),
        submission_deadline=dt.date(YEAR, 1, 20),
        appraisal_deadline=dt.date(YEAR, 12, 31),
    )


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page (loaded through the DevTools protocol: the page's CSP allows no injected
    script tag) and return its violations of WCAG 2.1 A/AA."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return result["violations"]  # type: ignore[no-any-return]


def test_dashboard_charts_render_and_pass_axe(world: World, live_server: Any, page: Any) -> None:
    _city(world)
    login(page, live_server, "reviewer", PASSWORD)
    page.goto(f"{live_server.url}/thanh-pho/hai-phong/toan-canh/?nam={YEAR}")
    assert page.get_by_role("link", name="Toàn cảnh").count() >= 1
    charts = page.locator("svg.chart")
    assert charts.count() == 5
    for index in range(5):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 40
    # the charts' accessible names come from their titles
    assert page.get_by_role("img", name="Mức đạt được so với mức đăng ký").count() == 1
    assert page.locator("#chart-scores svg rect").count() >= 7  # a bar per scored unit
    assert page.locator("#chart-sipas svg circle").count() == 6  # a dot per unit with answers

    page.get_by_label("Loại đơn vị").select_option("ward")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state()
    assert "loai=ward" in page.url
    assert page.locator("#dash-count").inner_text().startswith("2 đơn vị được chọn trong 8")

    if not AXE.exists():
        pytest.skip(
            f"axe-core chưa được cài ({AXE.relative_to(ROOT) if AXE.is_relative_to(ROOT) else AXE} không có): "
            "chạy `npm ci --prefix js` (cần npm) để kiểm tra WCAG 2.1 AA"
        )
    page.goto(f"{live_server.url}/thanh-pho/hai-phong/toan-canh/?nam={YEAR}")
    page.locator("details").evaluate_all("(all) => all.forEach((d) => { d.open = true; })")
    violations = axe_violations(page)
    assert not violations, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    )
