"""Gap analysis, "what if" (never saved) and the path across years against the plan's targets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from friendlygov.assessments import selectors, services, sources
from friendlygov.assessments.models import Cycle, ScoreEntry
from tests.assessments.conftest import YEAR, figures, score_everything
from tests.factories import World


def test_points_missing_to_each_level_sorted_by_stake(world: World, scoring: Cycle) -> None:
    services.save_score(actor=world.member, cycle=scoring, criterion_code="1.1", value="4")
    services.save_score(actor=world.users["village"], cycle=scoring, criterion_code="2.1", value="2")
    services.save_score(actor=world.coordinator, cycle=scoring, criterion_code="K1", value="có")
    view = selectors.gap_view(selectors.load_cycle_data(scoring), "self")
    assert view.result.total == Decimal("7.00")
    assert [(g.level.code, g.points_needed) for g in view.levels] == [
        ("1", Decimal("5.00")),
        ("2", Decimal("8.00")),
        ("3", Decimal("11.00")),
    ]
    # group 2 has min_share 0,5: 3 < 5 → a shortfall of 2 points at every level
    assert [(s.code, s.needed) for s in view.levels[0].share_shortfalls] == [("2", Decimal("2.0"))]
    stakes = [(c.code, c.at_stake) for c in view.criteria]
    assert stakes[:3] == [("2.2", Decimal("4")), ("1.2", Decimal("3")), ("1.3", Decimal("3"))]
    assert [s for _, s in stakes] == sorted((s for _, s in stakes), reverse=True)
    assert view.criteria[0].body == world.bodies["TN"]
    assert view.target_code == "3"
    assert [g.code for g in view.result.failed_gates] == ["2"]


def test_what_if_gives_the_result_without_saving(world: World, scoring: Cycle) -> None:
    figures(world)
    cycle = score_everything(world, scoring)
    data = selectors.load_cycle_data(cycle)
    outcome = selectors.what_if(data, {"1.1": "2", "2.1": "4", "1.2": "có"})
    assert outcome.after is not None and not outcome.problems
    # 18,93 − 2 (1.1) + 1,5 (2.1: 3 → 4 ticks) = 18,43
    assert outcome.after.total == Decimal("18.43")
    assert [c[0] for c in outcome.changes] == ["1.1", "2.1"]
    assert ScoreEntry.objects.get(cycle=cycle, criterion_code="1.1").value == "4"
    wrong = selectors.what_if(data, {"1.1": "9"})
    assert wrong.after is None and "vượt quá" in wrong.problems["1.1"]


def test_path_across_years_against_the_plan(
    world: World, scoring: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = {2026: "3", 2027: "3", 2030: "4"}
    monkeypatch.setattr(sources, "plan_target_level", lambda *, unit, year: targets.get(year))
    monkeypatch.setattr(selectors.gap, "plan_target_level", lambda *, unit, year: targets.get(year))
    figures(world)
    score_everything(world, scoring)
    path = {row.year: row for row in selectors.path_across_years(world.unit, horizon=6)}
    assert path[2026].target_code == "3" and path[2026].registered == "Mức độ 3"
    assert path[2026].level_code == "3" and path[2026].on_track is True and path[2026].basis == "tự chấm"
    assert (
        path[2030].target_name == "Mức 4"
    )  # the tiny set has no level 4 and path[2030].cycle is None and path[2030].on_track is None
    assert 2028 not in path or path[2028].target_code is None


def test_gap_when_everything_is_full(world: World, scoring: Cycle) -> None:
    figures(world)
    cycle = score_everything(world, scoring)
    data = selectors.load_cycle_data(cycle)
    outcome = selectors.what_if(data, {"1.1": "4", "2.1": "4", "B": "2"})
    assert outcome.after is not None and outcome.after.level is not None and outcome.after.level.code == "3"
    assert cycle.year == YEAR
