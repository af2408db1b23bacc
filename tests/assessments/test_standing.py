"""What the unit reaches now is the latest stage's figure: self-assessed, then consolidated, then appraised,
then recognised — read from one selector (``current_standing``) by the home panel, the path across the
years and the 2027/2030 review."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import time_machine

from friendlygov.assessments import selectors, services
from friendlygov.assessments.models import Cycle
from tests.assessments.conftest import YEAR, figures, fresh, score_everything
from tests.factories import World


def walk_to_recognition(world: World, cycle: Cycle) -> Cycle:
    """Self 18,93 (Mức độ 3) → settled 15,93 (Mức độ 2) → the city restores 1.1: appraised 18,93 → Mức độ 3
    recognised: the issue's 85,32 / level 2 then 92,21 / level 3, in the tiny set."""
    figures(world)
    cycle = score_everything(world, cycle)
    stages = [selectors.current_standing(fresh(cycle))]
    services.settle_score(
        actor=world.coordinator, cycle=cycle, criterion_code="1.1", value="1", reason="Thiếu báo cáo quý"
    )
    stages.append(selectors.current_standing(fresh(cycle)))
    services.submit_cycle(actor=world.leader, cycle=fresh(cycle))
    stages.append(selectors.current_standing(fresh(cycle)))
    services.appraise_criterion(
        actor=world.reviewer,
        cycle=fresh(cycle),
        criterion_code="1.1",
        accept=False,
        value="4",
        reason="Đã có báo cáo đủ bốn quý",
    )
    services.finish_appraisal(actor=world.reviewer, cycle=fresh(cycle))
    stages.append(selectors.current_standing(fresh(cycle)))
    services.recognise(
        actor=world.reviewer,
        cycle=fresh(cycle),
        decision_number="15/QĐ-UBND",
        decision_date=dt.date(YEAR, 12, 29),
        signer="Chủ tịch",
        level_code="3",
    )
    stages.append(selectors.current_standing(fresh(cycle)))
    assert [(s.stage, s.total, s.level_code) for s in stages] == [
        ("self", Decimal("18.93"), "3"),
        ("consolidated", Decimal("15.93"), "2"),
        ("consolidated", Decimal("15.93"), "2"),
        ("appraised", Decimal("18.93"), "3"),
        ("recognised", Decimal("18.93"), "3"),
    ]
    return fresh(cycle)


def test_home_page_states_the_recognised_figure(world: World, client_for: Any, scoring: Cycle) -> None:
    cycle = walk_to_recognition(world, scoring)
    assert cycle.status == Cycle.Status.RECOGNISED
    with time_machine.travel(dt.datetime(YEAR, 12, 30, 9, 0), tick=False):
        page = client_for(world.leader).get("/don-vi/thanh-mien/").content.decode()
    start = page.index('id="current-standing"')
    standing = page[start : page.index("</p>", start)]
    assert "18,93" in standing and "Mức độ 3" in standing and "theo quyết định công nhận" in standing
    assert "15,93" not in page and "Mức độ 2" not in standing
    summary = selectors.cycle_summary(unit=world.unit, year=YEAR)
    assert summary is not None and summary.current_stage == "recognised"
    path = {row.year: row for row in selectors.path_across_years(world.unit)}
    assert (path[YEAR].total, path[YEAR].level_name, path[YEAR].basis) == (
        Decimal("18.93"),
        "Mức độ 3",
        "công nhận",
    )


def test_recognised_level_lower_than_appraised_is_what_is_stated(world: World, scoring: Cycle) -> None:
    figures(world)
    cycle = score_everything(world, scoring)
    services.submit_cycle(actor=world.leader, cycle=cycle)
    services.finish_appraisal(actor=world.reviewer, cycle=fresh(cycle))
    services.recognise(
        actor=world.reviewer,
        cycle=fresh(cycle),
        decision_number="16/QĐ-UBND",
        decision_date=dt.date(YEAR, 12, 29),
        signer="Chủ tịch",
        level_code="2",
    )
    standing = selectors.current_standing(fresh(cycle))
    assert (standing.level_code, standing.level_name, standing.stage) == ("2", "Mức độ 2", "recognised")
    path = {row.year: row for row in selectors.path_across_years(world.unit)}
    assert (
        path[YEAR].level_name == "Mức độ 2"
    )  # the path used to name the appraised level with the recognised code


def test_home_page_while_scoring_says_self_assessed(world: World, client_for: Any, scoring: Cycle) -> None:
    figures(world)
    score_everything(world, scoring)
    with time_machine.travel(dt.datetime(YEAR, 6, 1, 9, 0), tick=False):
        page = client_for(world.coordinator).get("/don-vi/thanh-mien/").content.decode()
    start = page.index('id="current-standing"')
    standing = page[start : page.index("</p>", start)]
    assert "18,93" in standing and "theo điểm tự chấm" in standing
