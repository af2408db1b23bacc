"""The pure scoring engine: properties on generated criteria sets and values (hypothesis)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import Context, Decimal, localcontext
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from friendlygov.rules.scoring import (
    FORMAT,
    INPUT_KINDS,
    CriteriaSet,
    Criterion,
    Ratio,
    ScoreValue,
    assess,
    assess_total,
    criteria_set_to_dict,
    dump_criteria_set_yaml,
    load_criteria_set_yaml,
    parse_criteria_set,
    result_to_json,
)
from tests.rules.scoring_helpers import D


@st.composite
def criteria_sets(draw: st.DrawFn) -> CriteriaSet:
    def node(code: str, depth: int) -> dict[str, Any]:
        if depth < 3 and draw(st.booleans()):
            children = [node(f"{code}.{i + 1}", depth + 1) for i in range(draw(st.integers(1, 3)))]
            child_sum = sum(Decimal(str(c["max_points"])) for c in children)
            max_points = draw(st.decimals(min_value=D("0.01"), max_value=child_sum, places=2))
            out: dict[str, Any] = {"code": code, "name": f"Tiêu chí {code}", "max_points": max_points}
            out["children"] = children
        else:
            kind = draw(st.sampled_from(INPUT_KINDS))
            max_points = draw(st.decimals(min_value=D("0.5"), max_value=D(20), places=2))
            out = {"code": code, "name": f"Tiêu chí {code}", "max_points": max_points, "input": kind}
            if kind == "ratio" and draw(st.booleans()):
                out["target"] = draw(st.decimals(min_value=D("0.1"), max_value=D(1), places=2))
            if kind == "checklist":
                out["items"] = [f"mục {i}" for i in range(draw(st.integers(1, 5)))]
        if draw(st.integers(0, 4)) == 0:
            out["min_share"] = draw(st.decimals(min_value=D(0), max_value=D(1), places=2))
        return out

    top = [node(str(i + 1), 0) for i in range(draw(st.integers(1, 4)))]
    scale = sum(Decimal(str(c["max_points"])) for c in top)
    bonus = [
        {"code": f"B{i + 1}", "name": "Thưởng", "max_points": draw(st.integers(1, 5)), "bonus": True}
        for i in range(draw(st.integers(0, 2)))
    ]
    bonus_cap = draw(st.integers(0, 6)) if bonus else None
    cap = bonus_cap or 0
    totals = sorted(draw(st.sets(st.integers(0, int(scale) + cap), min_size=1, max_size=4)))
    levels = []
    for i, total in enumerate(totals):
        level: dict[str, Any] = {"code": str(i + 1), "name": f"Mức {i + 1}", "min_total": total}
        if draw(st.integers(0, 3)) == 0:
            level["min_share"] = draw(st.decimals(min_value=D(0), max_value=D(1), places=2))
        levels.append(level)
    data: dict[str, Any] = {
        "format": FORMAT,
        "code": "P",
        "version": 1,
        "name": "Thuộc tính",
        "scale": scale,
        "criteria": top + bonus,
        "levels": levels,
        "conditions": [{"code": "K1", "name": "Điều kiện", "required": draw(st.booleans())}],
    }
    if bonus_cap is not None:
        data["bonus_cap"] = bonus_cap
    return parse_criteria_set(data)


def value_for(draw: st.DrawFn, node: Criterion) -> ScoreValue | None:
    if draw(st.integers(0, 5)) == 0:
        return None
    if node.kind == "boolean":
        return draw(st.booleans())
    if node.kind == "ratio":
        denominator = draw(st.integers(0, 40))
        return Ratio(D(draw(st.integers(0, denominator))), D(denominator))
    if node.kind == "checklist":
        return draw(st.integers(0, len(node.items or [])))
    return draw(st.decimals(min_value=D(0), max_value=node.max_points, places=3))


@st.composite
def sets_and_values(draw: st.DrawFn) -> tuple[CriteriaSet, dict[str, ScoreValue | None]]:
    cs = draw(criteria_sets())
    values: dict[str, ScoreValue | None] = {node.code: value_for(draw, node) for node in cs.leaves()}
    values["K1"] = draw(st.sampled_from([True, False, None]))
    return cs, values


def raised(draw: Callable[..., Any], node: Criterion, value: ScoreValue | None) -> ScoreValue:
    """A value for the leaf that is at least as good as ``value``."""
    if node.kind == "boolean":
        return True if value is None else draw(st.sampled_from([True, value]))
    if node.kind == "ratio":
        if not isinstance(value, Ratio) or value.denominator == 0:
            denominator = draw(st.integers(1, 40))
            return Ratio(D(draw(st.integers(0, denominator))), D(denominator))
        return Ratio(D(draw(st.integers(int(value.numerator), int(value.denominator)))), value.denominator)
    if node.kind == "checklist":
        low = value if isinstance(value, int) else 0
        return draw(st.integers(low, len(node.items or [])))
    low_points = value if isinstance(value, Decimal) else D(0)
    return draw(st.decimals(min_value=low_points, max_value=node.max_points, places=3))


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(sets_and_values())
def test_total_never_exceeds_scale_plus_bonus_cap(case: tuple[CriteriaSet, dict[str, Any]]) -> None:
    cs, values = case
    result = assess(cs, values)
    assert D(0) <= result.total <= cs.scale + (cs.bonus_cap or 0)
    assert result.bonus <= (cs.bonus_cap or 0)
    for item in result.walk():
        assert D(0) <= item.points <= item.max_points
        if item.children:
            with localcontext(Context(prec=60)):
                assert item.points_exact == min(item.max_points, sum(c.points_exact for c in item.children))
    data = result_to_json(result)
    assert json.loads(json.dumps(data)) == data
    assert (result.level is None) == (not result.achieved)


@PROPERTY
@given(sets_and_values())
def test_total_and_level_alone_equal_the_full_assessment(case: tuple[CriteriaSet, dict[str, Any]]) -> None:
    """assess_total (the city's table) decides as assess does: the same total and level, always."""
    cs, values = case
    result = assess(cs, values)
    assert assess_total(cs, values) == (result.total, result.level)


@PROPERTY
@given(st.data())
def test_raising_a_leaf_never_lowers_total_or_level(data: st.DataObject) -> None:
    cs, values = data.draw(sets_and_values())
    leaves = list(cs.leaves())
    node = data.draw(st.sampled_from(leaves))
    better = copy.copy(values)
    better[node.code] = raised(data.draw, node, values.get(node.code))
    before, after = assess(cs, values), assess(cs, better)
    assert after.total >= before.total
    rank = {level.code: index for index, level in enumerate(cs.levels)}

    def level_rank(level: Any) -> int:
        return -1 if level is None else rank[level.code]

    assert level_rank(after.level) >= level_rank(before.level)
    assert len(after.levels_reached) >= len(before.levels_reached)
    assert after.achieved or not before.achieved


@PROPERTY
@given(criteria_sets())
def test_generated_sets_round_trip(cs: CriteriaSet) -> None:
    assert parse_criteria_set(criteria_set_to_dict(cs)) == cs
    assert load_criteria_set_yaml(dump_criteria_set_yaml(cs)) == cs
