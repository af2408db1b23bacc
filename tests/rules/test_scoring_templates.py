"""The pure scoring engine: the bundled criteria-set templates."""

from __future__ import annotations

import copy

import pytest

from friendlygov.rules.scoring import (
    INPUT_KINDS,
    Ratio,
    assess,
    criteria_set_to_dict,
    dump_criteria_set_yaml,
    list_bundled_criteria_sets,
    load_bundled_criteria_set,
    load_criteria_set_yaml,
    parse_criteria_set,
)
from tests.rules.scoring_helpers import D, full_values


def test_bundled_templates_validate() -> None:
    bundled = dict(list_bundled_criteria_sets())
    assert set(bundled) == {"hai-phong-provisional", "dong-nai-54-2025", "bac-giang"}
    for name, cs in bundled.items():
        assert isinstance(cs.extra.get("source"), str) and cs.extra["source"], name
        assert cs.extra.get("status"), name
        assumptions = cs.extra.get("assumptions")
        assert isinstance(assumptions, list) and assumptions and all(isinstance(a, str) for a in assumptions)
        assert parse_criteria_set(criteria_set_to_dict(cs)) == cs
        assert load_criteria_set_yaml(dump_criteria_set_yaml(cs)) == cs
        for node in cs.leaves():
            assert node.evidence, (name, node.code)
        # a perfect unit reaches the highest level
        result = assess(cs, full_values(cs))
        assert result.total == cs.max_total and result.level == cs.levels[-1], name
    assert load_bundled_criteria_set("bac-giang") == bundled["bac-giang"]
    with pytest.raises(KeyError):
        load_bundled_criteria_set("nowhere")


def test_hai_phong_provisional_template() -> None:
    cs = load_bundled_criteria_set("hai-phong-provisional")
    assert "Tạm thời: thay bằng văn bản chính thức 5049/QĐ-UBND" in cs.name
    assert cs.scale == 100 and cs.bonus_cap == 5
    assert [(lv.code, lv.name, lv.min_total) for lv in cs.levels] == [
        ("1", "Mức độ 1", 80),
        ("2", "Mức độ 2", 85),
        ("3", "Mức độ 3", 90),
        ("4", "Mức độ 4", 95),
    ]
    assert [c.code for c in cs.criteria] == ["1", "2", "3", "4", "5", "B"]
    assert cs.criteria[-1].bonus and cs.criteria[-1].name == "Sáng kiến, mô hình mới"
    assert [c.required for c in cs.conditions] == [True]
    sources = {n.source: n for n in cs.leaves() if n.source}
    assert set(sources) == {
        "survey.sipas",
        "city.par_index",
        "service.on_time",
        "service.online_share",
        "service.digitisation",
        "feedback.on_time",
        "villages.cultural_share",
        "communication.panels",
        "communication.channels",
    }
    assert {n.kind for n in sources.values()} == {"ratio", "checklist"}
    kinds = {n.kind for n in cs.leaves()}
    assert kinds == set(INPUT_KINDS)
    targets = {n.code: n.target for n in cs.leaves() if n.target is not None}
    assert D("0.5") in targets.values() and D("0.8") in targets.values()
    conduct = [n for n in cs.leaves() if n.kind == "checklist" and "4 xin" in n.name and n.items]
    assert conduct and any(len(n.items or []) == 13 for n in conduct)


def test_dong_nai_and_bac_giang_templates() -> None:
    dn = load_bundled_criteria_set("dong-nai-54-2025")
    assert [c.max_points for c in dn.criteria] == [15, 15, 20, 50, 5]
    assert dn.criteria[-1].bonus and dn.bonus_cap == 5
    assert [(lv.name, lv.min_total) for lv in dn.levels] == [
        ("1 sao", 0),
        ("2 sao", 80),
        ("3 sao", 90),
        ("4 sao", 95),
    ]
    values = full_values(dn)
    values["4"] = Ratio(D(50), D(100))  # reform index 50% → 25 of 50
    result = assess(dn, values)
    assert result.total == 80 and result.level is not None and result.level.name == "2 sao"
    bg = load_bundled_criteria_set("bac-giang")
    assert [c.max_points for c in bg.criteria] == [20, 25, 20, 15, 20]
    assert [lv.min_total for lv in bg.levels] == [80, 85, 90, 95]


@pytest.mark.parametrize("name", [name for name, _cs in list_bundled_criteria_sets()])
def test_indexed_lookups_find_what_a_walk_finds(name: str) -> None:
    cs = load_bundled_criteria_set(name)
    for node in cs.walk():
        assert cs.criterion(node.code) is next(n for n in cs.walk() if n.code == node.code)
    for cond in cs.conditions:
        assert cs.condition(cond.code) is cond
    assert cs.criterion("no-such-code") is None and cs.condition("no-such-code") is None
    assert list(cs.leaf_list) == list(cs.leaves())
    # the index is not part of the set's value: equal sets stay equal, copies compare equal
    assert cs == load_bundled_criteria_set(name) and copy.deepcopy(cs) == cs
