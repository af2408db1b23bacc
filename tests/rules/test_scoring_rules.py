"""The pure scoring engine: scoring rules 1–5 (caps, rounding, conditions, levels), the result's JSON, the
gap to the levels."""

from __future__ import annotations

import json

from friendlygov.rules.scoring import (
    Ratio,
    ScoreValue,
    assess,
    format_vi_number,
    gap_to_levels,
    parse_criteria_set,
    points_lost,
    result_to_json,
)
from tests.rules.scoring_helpers import D, base_set, full_values, simple_set


def test_leaf_kinds() -> None:
    cs = parse_criteria_set(base_set())
    values: dict[str, ScoreValue] = {
        "1.1": D("4.5"),
        "1.2": Ratio(D(40), D(50)),  # 0.8 / 0.9 × 5 = 4.444…
        "1.3": 2,  # 6 × 2 / 3 = 4
        "1.4": True,
        "2": D(70),
        "B": D(3),
        "K1": True,
    }
    result = assess(cs, values)
    group = result.criteria[0]
    assert [c.points for c in group.children] == [D("4.50"), D("4.44"), D("4.00"), D("4.00")]
    assert group.points == D("16.94")  # 16.9444… rounded at the end
    assert result.total == D("89.94") and result.bonus == D("3.00")
    assert result.achieved and result.level is not None and result.level.code == "2"
    # ratio at or above target: full points; d = 0: no points
    assert assess(cs, {**values, "1.2": Ratio(D(45), D(50))}).criteria[0].children[1].points == D(5)
    assert assess(cs, {**values, "1.2": Ratio(D(0), D(0))}).criteria[0].children[1].points == D(0)
    # boolean false: 0
    assert assess(cs, {**values, "1.4": False}).criteria[0].children[3].points == D(0)


def test_ratio_target_defaults_to_one() -> None:
    cs = simple_set([{"code": "1", "name": "R", "max_points": 10, "input": "ratio"}])
    assert assess(cs, {"1": Ratio(D(9), D(10))}).total == D(9)
    assert assess(cs, {"1": Ratio(D("92.5"), D(100))}).total == D("9.25")


def test_parent_capped_at_its_max_and_deep_trees() -> None:
    cs = simple_set(
        [
            {
                "code": "1",
                "name": "A",
                "max_points": 10,
                "children": [
                    {
                        "code": "1.1",
                        "name": "B",
                        "max_points": 8,
                        "children": [
                            {
                                "code": "1.1.1",
                                "name": "C",
                                "max_points": 6,
                                "children": [
                                    {"code": "1.1.1.1", "name": "D", "max_points": 4},
                                    {"code": "1.1.1.2", "name": "E", "max_points": 4},
                                ],
                            },
                            {"code": "1.1.2", "name": "F", "max_points": 3},
                        ],
                    },
                    {"code": "1.2", "name": "G", "max_points": 5},
                ],
            }
        ]
    )
    values = {"1.1.1.1": D(4), "1.1.1.2": D(4), "1.1.2": D(3), "1.2": D(5)}
    result = assess(cs, values)
    by = {c.code: c.points for c in result.walk()}
    assert by == {"1": 10, "1.1": 8, "1.1.1": 6, "1.1.1.1": 4, "1.1.1.2": 4, "1.1.2": 3, "1.2": 5}
    assert result.total == 10
    partial = assess(cs, {"1.1.1.1": D(1)})
    assert partial.total == 1
    assert partial.missing == ["1.1.1.2", "1.1.2", "1.2"]


def test_bonus_capped_and_reported_after_cap() -> None:
    cs = simple_set(
        [
            {"code": "1", "name": "A", "max_points": 100},
            {"code": "B1", "name": "Thưởng 1", "max_points": 4, "bonus": True},
            {"code": "B2", "name": "Thưởng 2", "max_points": 4, "bonus": True},
        ],
        bonus_cap=5,
    )
    result = assess(cs, {"1": D(90), "B1": D(4), "B2": D(3)})
    assert result.bonus == D(5) and result.bonus_uncapped == D(7) and result.total == D(95)
    assert result_to_json(result)["bonus"] == 5.0
    assert [c.points for c in result.criteria] == [90, 4, 3]  # the criteria keep their own points
    result = assess(cs, {"1": D(90), "B1": D("1.5")})
    assert result.bonus == D("1.5") and result.total == D("91.5")


def test_worked_example_min_share_uses_rounded_points() -> None:
    cs = simple_set(
        [
            {
                "code": "1",
                "name": "A",
                "max_points": 20,
                "min_share": 0.5,
                "children": [
                    {"code": "1.1", "name": "a", "max_points": 10},
                    {"code": "1.2", "name": "b", "max_points": 10},
                ],
            },
            {"code": "2", "name": "B", "max_points": 80},
        ],
        levels=[{"code": "1", "name": "Mức 1", "min_total": 80}],
    )
    result = assess(cs, {"1.1": D("9.9"), "2": D(80)})  # 9.9 < 10 → fails
    assert result.total == D("89.9")
    assert not result.achieved and result.level is None
    assert [g.code for g in result.failed_gates] == ["1"]
    assert "9,9/20" in result.failed_gates[0].reason and "50%" in result.failed_gates[0].reason
    assert result.levels_reached and result.levels_reached[0].code == "1"
    # 4.9975 + 5 = 9.9975 → rounds to 10.00 → meets 10
    result = assess(cs, {"1.1": D("4.9975"), "1.2": D(5), "2": D(80)})
    assert result.criteria[0].points == D("10.00") and result.achieved


def test_rounding_half_up_at_the_end_only() -> None:
    cs = simple_set(
        [
            {
                "code": "1",
                "name": "A",
                "max_points": 10,
                "children": [
                    {"code": "1.1", "name": "a", "max_points": 5},
                    {"code": "1.2", "name": "b", "max_points": 5},
                ],
            },
            {"code": "2", "name": "B", "max_points": D("4.69"), "input": "ratio"},
        ]
    )
    # 0.004 + 0.004 = 0.008 → 0.01 (rounding each leaf first would give 0.00)
    result = assess(cs, {"1.1": D("0.004"), "1.2": D("0.004")})
    assert [c.points for c in result.criteria[0].children] == [D("0.00"), D("0.00")]
    assert result.criteria[0].points == D("0.01") and result.total == D("0.01")
    # 4.69 × 1/2 = 2.345 → half-up 2.35 (banker's rounding would give 2.34)
    result = assess(cs, {"2": Ratio(D(1), D(2))})
    assert result.criteria[1].points == D("2.35") and result.total == D("2.35")
    # thresholds compare the rounded total: 79.995 → 80.00 reaches 80
    cs2 = simple_set(
        [{"code": "1", "name": "A", "max_points": 100}],
        levels=[{"code": "1", "name": "Mức 1", "min_total": 80}],
    )
    assert assess(cs2, {"1": D("79.995")}).achieved
    assert not assess(cs2, {"1": D("79.994")}).achieved


def test_exact_thirds() -> None:
    cs = simple_set(
        [
            {"code": "1", "name": "A", "max_points": 1, "input": "checklist", "items": ["a", "b", "c"]},
            {"code": "2", "name": "B", "max_points": 1, "input": "checklist", "items": ["a", "b", "c"]},
            {"code": "3", "name": "C", "max_points": 1, "input": "checklist", "items": ["a", "b", "c"]},
        ]
    )
    result = assess(cs, {"1": 1, "2": 1, "3": 1})
    assert [c.points for c in result.criteria] == [D("0.33")] * 3
    assert result.total == D("1.00")


def test_conditions_disqualify() -> None:
    cs = parse_criteria_set(base_set())
    values = full_values(cs)
    assert assess(cs, values).level is not None
    values["K1"] = False
    result = assess(cs, values)
    assert not result.achieved and result.level is None and result.total == 105
    assert [g.code for g in result.failed_gates] == ["K1"]
    assert "không đạt" in result.failed_gates[0].reason
    del values["K1"]
    result = assess(cs, values)
    assert not result.achieved and "chưa có kết quả" in result.failed_gates[0].reason
    # a condition that is not required gates nothing
    data = base_set()
    data["conditions"][0]["required"] = False
    cs = parse_criteria_set(data)
    assert assess(cs, values).achieved


def test_level_min_share_applies_to_each_top_level_criterion_and_cumulates() -> None:
    cs = simple_set(
        [
            {"code": "1", "name": "A", "max_points": 50},
            {"code": "2", "name": "B", "max_points": 50},
            {"code": "B", "name": "Thưởng", "max_points": 5, "bonus": True},
        ],
        levels=[
            {"code": "1", "name": "Mức 1", "min_total": 50},
            {"code": "2", "name": "Mức 2", "min_total": 60, "min_share": 0.6},
            {"code": "3", "name": "Mức 3", "min_total": 70},
        ],
        bonus_cap=5,
    )
    # criterion 1 at 29/50 < 30: level 2 (and so level 3) out of reach despite the total
    result = assess(cs, {"1": D(29), "2": D(50), "B": D(0)})
    assert result.total == 79 and result.achieved and result.level is not None and result.level.code == "1"
    assert [(g.code, "Mức 2" in g.reason) for g in result.level_limits] == [("1", True)]
    assert "29/50" in result.level_limits[0].reason and "30" in result.level_limits[0].reason
    # the bonus criterion is not subject to level shares
    result = assess(cs, {"1": D(30), "2": D(40)})
    assert result.level is not None and result.level.code == "3" and result.level_limits == []
    # level 3 has no min_share of its own but level 2's still applies
    result = assess(cs, {"1": D("29.99"), "2": D(50), "B": D(5)})
    assert result.total == D("84.99") and result.level is not None and result.level.code == "1"


def test_lowest_level_not_reached() -> None:
    cs = parse_criteria_set(base_set())
    values = full_values(cs)
    values["2"] = D(50)
    result = assess(cs, values)
    assert result.total == 75 and not result.achieved and result.level is None
    assert result.failed_gates == []
    assert [g.code for g in result.level_limits] == ["1"]
    assert "80" in result.level_limits[0].reason and "còn thiếu 5" in result.level_limits[0].reason


def test_level_limits_next_level_min_total_and_share() -> None:
    cs = parse_criteria_set(base_set())
    values = full_values(cs)
    values.update({"1.1": D(0), "1.3": 0, "2": D(80), "B": D(2)})  # group 1: 5 + 4 = 9 → < 50% fails
    result = assess(cs, values)
    assert [g.code for g in result.failed_gates] == ["1"]
    values.update({"1.3": 1})  # group 1: 11; level 3 needs 60% → 12
    result = assess(cs, values)
    assert result.total == 93 and result.achieved and result.level is not None and result.level.code == "2"
    assert [g.code for g in result.level_limits] == ["1"]
    values.update({"1.3": 3, "B": D(0)})
    result = assess(cs, values)
    assert result.total == 95 and result.level is not None and result.level.code == "4"
    assert result.level_limits == []


def test_missing_in_tree_order_and_explanation() -> None:
    cs = parse_criteria_set(base_set())
    result = assess(cs, {"1.2": Ratio(D(1), D(2)), "K1": True})
    assert result.missing == ["1.1", "1.3", "1.4", "2", "B"]
    assert result.criterion("1.1") is not None and result.criterion("1.1").missing  # type: ignore[union-attr]
    lost = points_lost(result)
    assert [c.code for c in lost] == ["2", "1.3", "1.1", "1.4", "1.2"]
    assert lost[-1].lost == D("2.22")  # 5 − 2.78
    assert [c.code for c in points_lost(result, leaves_only=False)][:2] == ["2", "1"]


def test_result_json_shape() -> None:
    cs = parse_criteria_set(base_set())
    values = full_values(cs)
    values.update({"1.1": D("4.5"), "2": D(69), "K1": False})
    del values["1.4"]
    data = result_to_json(assess(cs, values))
    assert list(data) == [
        "criteria_set",
        "version",
        "total",
        "bonus",
        "achieved",
        "level",
        "criteria",
        "failed_gates",
        "level_limits",
        "missing",
    ]
    assert data["criteria_set"] == "HD-2024" and data["version"] == 1
    assert data["total"] == 89.5 and isinstance(data["total"], float)
    assert data["bonus"] == 5.0 and isinstance(data["bonus"], float)
    assert data["achieved"] is False and data["level"] is None
    assert data["criteria"][0] == {
        "code": "1",
        "points": 15.5,
        "max_points": 20,
        "children": [
            {"code": "1.1", "points": 4.5, "max_points": 5, "children": []},
            {"code": "1.2", "points": 5.0, "max_points": 5, "children": []},
            {"code": "1.3", "points": 6.0, "max_points": 6, "children": []},
            {"code": "1.4", "points": 0.0, "max_points": 4, "children": []},
        ],
    }
    assert data["failed_gates"] == [{"code": "K1", "reason": data["failed_gates"][0]["reason"]}]
    assert data["level_limits"] == [{"code": "3", "reason": data["level_limits"][0]["reason"]}]
    assert data["missing"] == ["1.4"]
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    values["K1"] = True
    data = result_to_json(assess(cs, values))
    assert data["achieved"] is True and data["level"] == {"code": "2", "name": "Mức độ 2"}


def test_json_max_points_as_given() -> None:
    cs = simple_set(
        [{"code": "1", "name": "A", "max_points": 2.5}, {"code": "2", "name": "B", "max_points": 7.5}]
    )
    data = result_to_json(assess(cs, {"1": D(1)}))
    assert [c["max_points"] for c in data["criteria"]] == [2.5, 7.5]
    assert data["total"] == 1.0


def test_gap_to_levels() -> None:
    cs = parse_criteria_set(base_set())
    values = full_values(cs)
    values.update({"1.3": 1, "2": D(75), "B": D(0)})  # group 1: 16; total 91
    gaps = gap_to_levels(cs, values)
    assert [g.level.code for g in gaps] == ["1", "2", "3", "4"]
    assert [g.points_needed for g in gaps] == [0, 0, 0, 4]
    assert [g.reached for g in gaps] == [True, True, True, False]
    assert [g.achieved for g in gaps] == [True, True, True, False]
    # the at-stake list: 2 (5), B (5 bonus), 1.3 (4) — gain of 1.3 is 4, of B is 5
    assert [(c.code, c.at_stake, c.gain) for c in gaps[3].criteria] == [
        ("2", D(5), D(5)),
        ("B", D(5), D(5)),
        ("1.3", D(4), D(4)),
    ]
    values.update({"1.3": 0})  # group 1: 14 → below level 3's 60% (12)? no: 14 ≥ 12, fine
    values.update({"1.1": D(0)})  # group 1: 9 → below own 50% and level 3's 60%
    gaps = gap_to_levels(cs, values)
    assert gaps[0].share_shortfalls[0].code == "1" and gaps[0].share_shortfalls[0].needed == 1
    assert gaps[2].share_shortfalls[0].needed == 3
    assert [g.code for g in gaps[0].gates] == ["1"]
    assert not any(g.achieved for g in gaps)


def test_gain_respects_parent_cap_and_bonus_cap() -> None:
    cs = simple_set(
        [
            {
                "code": "1",
                "name": "A",
                "max_points": 5,
                "children": [
                    {"code": "1.1", "name": "a", "max_points": 5},
                    {"code": "1.2", "name": "b", "max_points": 5},
                ],
            },
            {"code": "B1", "name": "Thưởng", "max_points": 5, "bonus": True},
            {"code": "B2", "name": "Thưởng", "max_points": 5, "bonus": True},
        ],
        bonus_cap=5,
    )
    gaps = gap_to_levels(cs, {"1.1": D(4), "B1": D(4)})
    by = {c.code: c for c in gaps[0].criteria}
    assert by["1.2"].at_stake == 5 and by["1.2"].gain == 1
    assert by["B2"].at_stake == 5 and by["B2"].gain == 1


def test_format_vi_number() -> None:
    assert format_vi_number(D("91.50")) == "91,5"
    assert format_vi_number(D("18.00")) == "18"
    assert format_vi_number(D("1234.567")) == "1.234,57"
    assert format_vi_number(D("-0.001")) == "0"
    assert format_vi_number(D("2.345")) == "2,35"
    assert format_vi_number(100) == "100"
