"""The pure scoring engine: parsing and round trip of the criteria-set format friendlygov.criteria/1
(criteria-set-format.md), and every validation problem of rule 6."""

from __future__ import annotations

import json
from datetime import date

import pytest

from friendlygov.rules.scoring import (
    FORMAT,
    Condition,
    CriteriaSetError,
    criteria_set_to_dict,
    dump_criteria_set_yaml,
    load_criteria_set_yaml,
    parse_criteria_set,
)
from tests.rules.scoring_helpers import D, base_set, one_problem, problems_of


def test_parse_base_set() -> None:
    cs = parse_criteria_set(base_set())
    assert cs.code == "HD-2024" and cs.version == 1 and cs.scale == 100 and cs.bonus_cap == 5
    assert cs.effective_from == date(2026, 1, 1)
    assert [c.code for c in cs.walk()] == ["1", "1.1", "1.2", "1.3", "1.4", "2", "B"]
    assert [c.code for c in cs.leaves()] == ["1.1", "1.2", "1.3", "1.4", "2", "B"]
    leaf = cs.criterion("1.2")
    assert leaf is not None and leaf.kind == "ratio" and leaf.target == D("0.9")
    assert cs.criterion("1.1") is not None and cs.criterion("1.1").kind == "points"  # type: ignore[union-attr]
    assert cs.criterion("1") is not None and cs.criterion("1").input is None  # type: ignore[union-attr]
    assert cs.conditions == [Condition("K1", "Không ai bị kỷ luật", True)]
    assert cs.max_total == 105


def test_round_trip_dict_and_yaml_keeps_extra_keys() -> None:
    data = base_set()
    data["guidance"] = {"note": "hướng dẫn", "when": date(2026, 2, 1)}
    data["criteria"][0]["excel"] = {"row": 5}
    data["criteria"][0]["children"][0]["evidence"] = "Biên bản"
    data["criteria"][0]["children"][1]["source"] = "survey.sipas"
    data["conditions"][0]["note"] = "ghi chú"
    data["levels"][0]["badge"] = "bronze"
    cs = parse_criteria_set(data)
    assert cs.extra == {"guidance": {"note": "hướng dẫn", "when": "2026-02-01"}}
    assert cs.criteria[0].extra == {"excel": {"row": 5}}
    assert cs.conditions[0].extra == {"note": "ghi chú"}
    assert cs.levels[0].extra == {"badge": "bronze"}
    as_dict = criteria_set_to_dict(cs)
    json.dumps(as_dict)  # JSON-compatible
    assert parse_criteria_set(as_dict) == cs
    text = dump_criteria_set_yaml(cs)
    assert "effective_from: 2026-01-01" in text and "Bộ tiêu chí thử" in text
    assert load_criteria_set_yaml(text) == cs


def test_to_dict_numbers_and_defaults() -> None:
    data = base_set()
    data["criteria"][1]["max_points"] = 79.5
    data["criteria"].insert(
        2, {"code": "3", "name": "Ba", "max_points": "0,5"}
    )  # numeric text, decimal comma
    cs = parse_criteria_set(data)
    out = criteria_set_to_dict(cs)
    assert out["criteria"][1]["max_points"] == 79.5
    assert out["criteria"][2]["max_points"] == 0.5
    assert out["criteria"][0]["max_points"] == 20 and isinstance(out["criteria"][0]["max_points"], int)
    assert out["criteria"][0]["min_share"] == 0.5
    assert "input" not in out["criteria"][1]
    assert out["conditions"][0]["required"] is True


def test_condition_required_defaults_to_true() -> None:
    data = base_set()
    del data["conditions"][0]["required"]
    assert parse_criteria_set(data).conditions[0].required is True


def test_format_key_must_be_v1() -> None:
    data = base_set()
    data["format"] = "friendlygov.criteria/2"
    one_problem(data, "format", FORMAT)
    del data["format"]
    one_problem(data, "format")


def test_codes_must_be_strings_with_hint() -> None:
    data = base_set()
    data["criteria"][0]["children"][0]["code"] = 1.1  # YAML `code: 1.10` unquoted
    message = one_problem(data, "mã phải là chuỗi", "dấu nháy", "1.1")
    assert message.startswith('Tiêu chí con thứ 1 của tiêu chí "1"')


def test_codes_unique_across_criteria_and_conditions() -> None:
    data = base_set()
    data["criteria"][0]["children"][1]["code"] = "1.1"
    one_problem(data, 'Tiêu chí "1.1"', "trùng")
    data = base_set()
    data["conditions"][0]["code"] = "2"
    one_problem(data, 'Điều kiện "2"', 'trùng với tiêu chí "2"')


def test_level_codes_unique_but_may_equal_criterion_codes() -> None:
    data = base_set()
    data["levels"][1]["code"] = "1"
    one_problem(data, 'Mức "1"', "trùng")


def test_numbers_in_range() -> None:
    data = base_set()
    data["criteria"][0]["children"][0]["max_points"] = 0
    data["criteria"][0]["children"][0]["name"] = "x"
    problems = problems_of(data)
    assert any('Tiêu chí "1.1"' in p and "max_points" in p and "lớn hơn 0" in p for p in problems)

    data = base_set()
    data["criteria"][1]["max_points"] = "nhiều"
    problems = problems_of(data)
    assert any('Tiêu chí "2"' in p and "phải là một số" in p for p in problems)

    data = base_set()
    data["scale"] = -5
    assert any("scale" in p and "lớn hơn 0" in p for p in problems_of(data))

    data = base_set()
    data["bonus_cap"] = -1
    assert any("bonus_cap" in p for p in problems_of(data))

    data = base_set()
    data["version"] = 0
    one_problem(data, "version")
    data["version"] = "1"
    one_problem(data, "version")


def test_min_share_between_0_and_1() -> None:
    data = base_set()
    data["criteria"][0]["min_share"] = 1.5
    one_problem(data, 'Tiêu chí "1"', "min_share", "từ 0 đến 1")
    data = base_set()
    data["levels"][2]["min_share"] = -0.1
    one_problem(data, 'Mức "3"', "min_share")


def test_children_maxima_at_least_parent() -> None:
    data = base_set()
    data["criteria"][0]["children"][0]["max_points"] = 4  # 4 + 5 + 6 + 4 = 19 < 20
    one_problem(data, 'Tiêu chí "1"', "19", "20")
    # more than the parent is allowed (the parent caps)
    data["criteria"][0]["children"][0]["max_points"] = 9
    parse_criteria_set(data)


def test_top_level_maxima_add_up_to_scale() -> None:
    data = base_set()
    data["scale"] = 90
    one_problem(data, "scale", "100", "90")


def test_levels_strictly_increasing_and_within_max_total() -> None:
    data = base_set()
    data["levels"][2]["min_total"] = 85
    one_problem(data, 'Mức "3"', "min_total", "lớn hơn")
    data = base_set()
    data["levels"][3]["min_total"] = 106  # scale 100 + bonus cap 5
    one_problem(data, 'Mức "4"', "105")
    data = base_set()
    data["levels"] = []
    one_problem(data, "levels")


def test_items_only_on_checklists_and_required_there() -> None:
    data = base_set()
    data["criteria"][0]["children"][0]["items"] = ["a"]
    one_problem(data, 'Tiêu chí "1.1"', "items", "checklist")
    data = base_set()
    del data["criteria"][0]["children"][2]["items"]
    one_problem(data, 'Tiêu chí "1.3"', "items")
    data = base_set()
    data["criteria"][0]["children"][2]["items"] = ["a", ""]
    one_problem(data, 'Tiêu chí "1.3"', "mục thứ 2")


def test_target_only_on_ratios_and_in_range() -> None:
    data = base_set()
    data["criteria"][0]["children"][0]["target"] = 0.5
    one_problem(data, 'Tiêu chí "1.1"', "target", "ratio")
    data = base_set()
    data["criteria"][0]["children"][1]["target"] = 0
    one_problem(data, 'Tiêu chí "1.2"', "target")
    data["criteria"][0]["children"][1]["target"] = 1.2
    one_problem(data, 'Tiêu chí "1.2"', "target")


def test_input_only_on_leaves_and_known() -> None:
    data = base_set()
    data["criteria"][0]["input"] = "points"
    one_problem(data, 'Tiêu chí "1"', "input", "tiêu chí lá")
    data = base_set()
    data["criteria"][1]["input"] = "score"
    one_problem(data, 'Tiêu chí "2"', "input", "points, boolean, ratio, checklist")


def test_source_only_on_leaves() -> None:
    data = base_set()
    data["criteria"][0]["source"] = "survey.sipas"
    one_problem(data, 'Tiêu chí "1"', "source")


def test_bonus_only_top_level_and_needs_bonus_cap() -> None:
    data = base_set()
    data["criteria"][0]["children"][0]["bonus"] = True
    one_problem(data, 'Tiêu chí "1.1"', "bonus", "cấp cao nhất")
    data = base_set()
    del data["bonus_cap"]
    one_problem(data, "bonus_cap", '"B"')
    data = base_set()
    data["criteria"][2]["bonus"] = "có"
    assert any("bonus" in p and "true hoặc false" in p for p in problems_of(data))


def test_empty_children_and_missing_keys() -> None:
    data = base_set()
    data["criteria"][1]["children"] = []
    one_problem(data, 'Tiêu chí "2"', "children")
    data = base_set()
    del data["criteria"][1]["name"]
    assert any('Tiêu chí "2"' in p and "name" in p for p in problems_of(data))
    data = base_set()
    del data["criteria"][1]["code"]
    assert any("Tiêu chí thứ 2 ở cấp cao nhất" in p and "code" in p for p in problems_of(data))
    data = base_set()
    data["criteria"] = []
    assert any("criteria" in p for p in problems_of(data))
    data = base_set()
    data["conditions"][0]["required"] = "có"
    one_problem(data, 'Điều kiện "K1"', "required")
    data = base_set()
    data["effective_from"] = "01/01/2026"
    one_problem(data, "effective_from", "YYYY-MM-DD")


def test_not_a_mapping() -> None:
    with pytest.raises(CriteriaSetError) as info:
        parse_criteria_set([1, 2])  # type: ignore[arg-type]
    assert "bảng khóa" in info.value.problems[0]


def test_all_problems_reported_together_with_lines() -> None:
    text = """\
format: friendlygov.criteria/1
code: X
version: 1
name: Thử
scale: 100
criteria:
  - code: "1"
    name: Một
    max_points: 60
    children:
      - code: "1.1"
        name: A
        max_points: 50
        items: [a]
  - code: 2
    name: Hai
    max_points: 40
  - code: "1.1"
    name: Trùng
    max_points: 5
    bonus: true
conditions:
  - code: K1
    name: Điều kiện
    name: Lặp
levels:
  - {code: "1", name: Mức 1, min_total: 90}
  - {code: "2", name: Mức 2, min_total: 80}
"""
    with pytest.raises(CriteriaSetError) as info:
        load_criteria_set_yaml(text)
    problems = info.value.problems
    expected = [
        ('Tiêu chí "1" (dòng 10)', "50"),  # children sum 50 < 60, reported at the "children" key
        ('Tiêu chí "1.1" (dòng 14)', "items"),
        ("Tiêu chí thứ 2 ở cấp cao nhất (dòng 15)", "chuỗi"),
        ('Tiêu chí "1.1" (dòng 18)', 'trùng với tiêu chí "1.1" ở dòng 11'),
        ('Điều kiện "K1" (dòng 25)', 'khóa "name" lặp lại (đã có ở dòng 24)'),
        ('Mức "2" (dòng 28)', "min_total"),
        ("Bộ tiêu chí", "bonus_cap"),
    ]
    for where, what in expected:
        assert any(p.startswith(where) and what in p for p in problems), (where, what, problems)
    assert len(problems) == len(expected), problems


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: [1", "dòng 1"),
        ("a:\n\tb: 1", "tab"),
        ("a: b: c", "dấu hai chấm"),
        ("- 1\n- 2", "bảng khóa"),
        ("", "bảng khóa"),
    ],
)
def test_yaml_syntax_errors_in_vietnamese(text: str, fragment: str) -> None:
    with pytest.raises(CriteriaSetError) as info:
        load_criteria_set_yaml(text)
    assert len(info.value.problems) == 1
    assert fragment in info.value.problems[0]


def test_yaml_bom_and_bad_date() -> None:
    text = "\ufeff" + dump_criteria_set_yaml(parse_criteria_set(base_set()))
    assert load_criteria_set_yaml(text).code == "HD-2024"
    with pytest.raises(CriteriaSetError) as info:
        load_criteria_set_yaml(text.replace("effective_from: 2026-01-01", "effective_from: 2026-13-01"))
    assert any("effective_from" in p and "dòng" in p for p in info.value.problems)
