"""Helpers shared by the scoring engine's tests: a base criteria set, one-line sets, the problems of a set."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from friendlygov.rules.scoring import (
    FORMAT,
    CriteriaSet,
    CriteriaSetError,
    Criterion,
    Ratio,
    ScoreValue,
    parse_criteria_set,
)

D = Decimal


def base_set() -> dict[str, Any]:
    """A small valid set: 1 (20, min_share 0.5) with four leaves of every kind, 2 (80), bonus B, K1."""
    return {
        "format": FORMAT,
        "code": "HD-2024",
        "version": 1,
        "name": "Bộ tiêu chí thử",
        "issued_by": "UBND tỉnh",
        "decision": "1/QĐ-UBND",
        "effective_from": date(2026, 1, 1),
        "scale": 100,
        "bonus_cap": 5,
        "criteria": [
            {
                "code": "1",
                "name": "Nhóm 1",
                "max_points": 20,
                "min_share": 0.5,
                "children": [
                    {"code": "1.1", "name": "Điểm", "max_points": 5},
                    {"code": "1.2", "name": "Tỷ lệ", "max_points": 5, "input": "ratio", "target": 0.9},
                    {
                        "code": "1.3",
                        "name": "Danh mục",
                        "max_points": 6,
                        "input": "checklist",
                        "items": ["a", "b", "c"],
                    },
                    {"code": "1.4", "name": "Có/không", "max_points": 4, "input": "boolean"},
                ],
            },
            {"code": "2", "name": "Nhóm 2", "max_points": 80},
            {"code": "B", "name": "Sáng kiến", "max_points": 5, "bonus": True},
        ],
        "conditions": [{"code": "K1", "name": "Không ai bị kỷ luật", "required": True}],
        "levels": [
            {"code": "1", "name": "Mức độ 1", "min_total": 80},
            {"code": "2", "name": "Mức độ 2", "min_total": 85},
            {"code": "3", "name": "Mức độ 3", "min_total": 90, "min_share": 0.6},
            {"code": "4", "name": "Mức độ 4", "min_total": 95},
        ],
    }


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(CriteriaSetError) as info:
        parse_criteria_set(data)
    return info.value.problems


def one_problem(data: dict[str, Any], *fragments: str) -> str:
    problems = problems_of(data)
    assert len(problems) == 1, problems
    for fragment in fragments:
        assert fragment in problems[0], (fragment, problems[0])
    return problems[0]


def simple_set(
    criteria: list[dict[str, Any]], levels: list[dict[str, Any]] | None = None, **extra: Any
) -> CriteriaSet:
    scale = sum(Decimal(str(c["max_points"])) for c in criteria if not c.get("bonus"))
    data: dict[str, Any] = {
        "format": FORMAT,
        "code": "T",
        "version": 1,
        "name": "Thử",
        "scale": scale,
        "criteria": criteria,
        "levels": levels or [{"code": "1", "name": "Mức 1", "min_total": 0}],
    }
    data.update(extra)
    return parse_criteria_set(data)


def leaf(kind: str, max_points: str = "10", **keys: Any) -> Criterion:
    return Criterion(code="x", name="x", max_points=D(max_points), input=kind, **keys)


def full_values(cs: CriteriaSet) -> dict[str, ScoreValue]:
    values: dict[str, ScoreValue] = {}
    for node in cs.leaves():
        if node.kind == "boolean":
            values[node.code] = True
        elif node.kind == "ratio":
            values[node.code] = Ratio(D(1), D(1))
        elif node.kind == "checklist":
            values[node.code] = len(node.items or [])
        else:
            values[node.code] = node.max_points
    for condition in cs.conditions:
        values[condition.code] = True
    return values
