"""The pure scoring engine: reading score values of every kind and the scores CSV."""

from __future__ import annotations

import pytest

from friendlygov.rules.scoring import (
    Condition,
    Ratio,
    ScoresError,
    ScoreValueError,
    assess,
    parse_criteria_set,
    parse_score_value,
    parse_scores_csv,
)
from tests.rules.scoring_helpers import D, base_set, leaf


def test_points_values() -> None:
    node = leaf("points")
    assert parse_score_value(node, "4,5") == D("4.5")
    assert parse_score_value(node, " 4.5 ") == D("4.5")
    assert parse_score_value(node, "10") == D(10)
    assert parse_score_value(node, "") is None
    with pytest.raises(ScoreValueError, match="vượt quá điểm tối đa 10"):
        parse_score_value(node, "10,01")
    with pytest.raises(ScoreValueError, match="nhỏ hơn 0"):
        parse_score_value(node, "-1")
    with pytest.raises(ScoreValueError, match="không đọc được"):
        parse_score_value(node, "bốn")
    with pytest.raises(ScoreValueError):
        parse_score_value(node, "1.234,5")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("Có", True),
        ("CÓ", True),
        ("đạt", True),
        ("ĐẠT", True),
        ("x", True),
        ("X", True),
        ("1", True),
        ("false", False),
        ("False", False),
        ("không", False),
        ("KHÔNG", False),
        ("không đạt", False),
        ("Không  Đạt", False),
        ("", False),
        ("0", False),
        ("Co\u0301", True),  # decomposed "Có"
    ],
)
def test_boolean_values_any_case(raw: str, expected: bool) -> None:
    assert parse_score_value(leaf("boolean"), raw) is expected
    assert parse_score_value(Condition("K1", "k"), raw) is expected


def test_boolean_unreadable() -> None:
    with pytest.raises(ScoreValueError, match="có/không"):
        parse_score_value(leaf("boolean"), "chắc chắn")
    with pytest.raises(ScoreValueError):
        parse_score_value(Condition("K1", "k"), "2")


def test_ratio_values() -> None:
    node = leaf("ratio")
    assert parse_score_value(node, "45/50") == Ratio(D(45), D(50))
    assert parse_score_value(node, "92,5%") == Ratio(D("92.5"), D(100))
    assert parse_score_value(node, "0/0") == Ratio(D(0), D(0))
    assert Ratio(D(0), D(0)).rate == 0
    assert parse_score_value(node, "") is None
    with pytest.raises(ScoreValueError, match="vượt quá 100%"):
        parse_score_value(node, "101%")
    with pytest.raises(ScoreValueError, match="tử số lớn hơn mẫu số"):
        parse_score_value(node, "51/50")
    with pytest.raises(ScoreValueError, match="nhỏ hơn 0"):
        parse_score_value(node, "-1%")
    with pytest.raises(ScoreValueError, match="tử/mẫu"):
        parse_score_value(node, "0,9")


def test_checklist_values() -> None:
    node = leaf("checklist", items=["a", "b", "c"])
    assert parse_score_value(node, "2") == 2
    assert parse_score_value(node, "3") == 3
    with pytest.raises(ScoreValueError, match="nhiều hơn số mục"):
        parse_score_value(node, "4")
    with pytest.raises(ScoreValueError, match="số nguyên"):
        parse_score_value(node, "1,5")
    with pytest.raises(ScoreValueError, match="nhỏ hơn 0"):
        parse_score_value(node, "-1")


def test_parent_value_refused() -> None:
    cs = parse_criteria_set(base_set())
    parent = cs.criterion("1")
    assert parent is not None
    with pytest.raises(ScoreValueError, match="tiêu chí cha"):
        parse_score_value(parent, "5")


def test_scores_csv_happy_path_with_bom_and_missing() -> None:
    cs = parse_criteria_set(base_set())
    text = '\ufeffCode,Value\n1.1,"4,5"\n1.2,40/50\n1.3,2\n1.4,Có\n\n2,\nK1,ĐẠT\n'
    values = parse_scores_csv(text, cs)
    assert values == {"1.1": D("4.5"), "1.2": Ratio(D(40), D(50)), "1.3": 2, "1.4": True, "K1": True}
    result = assess(cs, values)
    assert result.missing == ["2", "B"]


def test_scores_csv_semicolon_delimiter() -> None:
    cs = parse_criteria_set(base_set())
    values = parse_scores_csv("code;value\n1.1;4,5\n", cs)
    assert values == {"1.1": D("4.5")}


def test_scores_csv_every_problem_listed() -> None:
    cs = parse_criteria_set(base_set())
    text = "\n".join(
        [
            "code,value",
            "1.1,5.5",  # 2: above max
            "1.2,-1%",  # 3: below 0
            "1.3,4",  # 4: more ticks than items
            "9.9,1",  # 5: unknown code
            "1,10",  # 6: parent criterion
            "1.4,có",  # 7
            "1.4,không",  # 8: duplicate
            "2,mười",  # 9: unreadable
            "K1,có lẽ",  # 10: unreadable boolean
            ",3",  # 11: no code
            "B,4,5",  # 12: unquoted decimal comma → three columns
            "2,-0,5",  # 13: three columns too
        ]
    )
    with pytest.raises(ScoresError) as info:
        parse_scores_csv(text, cs)
    problems = info.value.problems
    expected = [
        ('Dòng 2, mã "1.1"', "vượt quá điểm tối đa 5"),
        ('Dòng 3, mã "1.2"', "nhỏ hơn 0"),
        ('Dòng 4, mã "1.3"', "nhiều hơn số mục"),
        ('Dòng 5, mã "9.9"', "không có tiêu chí"),
        ('Dòng 6, mã "1"', "tiêu chí cha"),
        ('Dòng 8, mã "1.4"', "trùng với dòng 7"),
        ('Dòng 9, mã "2"', "không đọc được"),
        ('Dòng 10, mã "K1"', "không đọc được"),
        ("Dòng 11", "thiếu mã"),
        ('Dòng 12, mã "B"', "dấu nháy"),
        ('Dòng 13, mã "2"', "3 cột"),
    ]
    for where, what in expected:
        assert any(p.startswith(where) and what in p for p in problems), (where, what, problems)
    assert len(problems) == len(expected), problems


def test_scores_csv_header_problems() -> None:
    cs = parse_criteria_set(base_set())
    with pytest.raises(ScoresError) as info:
        parse_scores_csv("ma,diem\n1.1,4\n2,99\n", cs)
    problems = info.value.problems
    assert problems[0].startswith("Dòng 1") and "code,value" in problems[0]
    assert any(p.startswith('Dòng 3, mã "2"') and "vượt quá" in p for p in problems)
    with pytest.raises(ScoresError) as info:
        parse_scores_csv("1.1,4\n2,99\n", cs)
    assert "thiếu dòng tiêu đề" in info.value.problems[0]
    assert any(p.startswith('Dòng 2, mã "2"') for p in info.value.problems)
    with pytest.raises(ScoresError) as info:
        parse_scores_csv("", cs)
    assert info.value.problems == ['Tệp điểm trống: thiếu dòng tiêu đề "code,value".']


def test_scores_never_clamped_when_given_by_code() -> None:
    cs = parse_criteria_set(base_set())
    with pytest.raises(ScoresError) as info:
        assess(cs, {"1.1": D(6), "1.3": 7, "1.4": D(1), "X": True, "1": D(1), "K1": "có"})  # type: ignore[dict-item]
    text = "\n".join(info.value.problems)
    for code in ("1.1", "1.3", "1.4", "X", '"1"', "K1"):
        assert code in text
    assert len(info.value.problems) == 6
