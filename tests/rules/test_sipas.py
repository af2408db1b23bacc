"""SIPAS figures: parsing, the default method, Wilson intervals, sample size."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from friendlygov.rules import sipas
from friendlygov.rules.sipas import (
    DEFAULT_QUESTIONNAIRE,
    DEFAULT_QUESTIONNAIRE_PATH,
    Answer,
    Questionnaire,
    SipasInputError,
    compute_indices,
    compute_indices_from_counts,
    item_natural_key,
    overall_index_from_counts,
    parse_answers_csv,
    parse_questionnaire_yaml,
    result_to_json,
    round_half_up,
    sample_size,
    wilson_interval,
)

D = Decimal

HAND_CSV = """respondent,item,answer
r1,TC.1,5
r1,TC.2,4
r1,TT.1,3
r2,TC.1,2
r2,TC.2,5
r2,TT.1,4
r3,TC.1,4
r3,TC.2,
r3,TT.1,0
r4,PA.1,
"""


def rows(*triples: tuple[str, str, int | None]) -> list[Answer]:
    return [Answer(respondent, item, answer) for respondent, item, answer in triples]


# -- default questionnaire ---------------------------------------------------------------------------


def test_default_questionnaire_structure() -> None:
    q = DEFAULT_QUESTIONNAIRE
    assert q.satisfied == (4, 5)
    assert [e.code for e in q.elements] == ["TC", "TT", "CC", "KQ", "PA"]
    assert [e.name for e in q.elements] == [
        "Tiếp cận dịch vụ",
        "Thủ tục hành chính",
        "Công chức giải quyết công việc",
        "Kết quả giải quyết",
        "Tiếp nhận, xử lý phản ánh, kiến nghị",
    ]
    assert [[i.code for i in e.items] for e in q.elements] == [
        ["TC.1", "TC.2", "TC.3"],
        ["TT.1", "TT.2", "TT.3", "TT.4"],
        ["CC.1", "CC.2", "CC.3", "CC.4"],
        ["KQ.1", "KQ.2", "KQ.3"],
        ["PA.1", "PA.2"],
    ]
    assert all(e.weight == 1 for e in q.elements)
    assert all(i.text for e in q.elements for i in e.items)


def test_shipped_yaml_parses_to_default() -> None:
    parsed = parse_questionnaire_yaml(DEFAULT_QUESTIONNAIRE_PATH.read_text(encoding="utf-8"))
    assert parsed == DEFAULT_QUESTIONNAIRE


# -- questionnaire YAML ------------------------------------------------------------------------------


SMALL_YAML = """\
format: friendlygov.questionnaire/1
code: THU
name: Bảng hỏi thử
satisfied: [3, 4, 5]
elements:
  - code: A
    name: Yếu tố A
    weight: 2.5
    items:
      - {code: A.10, text: Câu mười}
      - {code: A.2, text: Câu hai}
  - code: B
    items:
      - {code: B.1}
"""


def test_parse_questionnaire_fields() -> None:
    q = parse_questionnaire_yaml(SMALL_YAML)
    assert q.code == "THU" and q.name == "Bảng hỏi thử"
    assert q.satisfied == (3, 4, 5)
    assert q.elements[0].weight == D("2.5")
    assert q.elements[0].name == "Yếu tố A"
    assert q.elements[1].name is None and q.elements[1].weight == 1
    assert q.elements[1].items[0].text == ""


def test_parse_questionnaire_collects_every_problem() -> None:
    text = """\
format: friendlygov.questionnaire/2
satisfied: [4, 6, 4]
elements:
  - code: A.B
    weight: -1
    items:
      - {code: X.1}
  - code: C
    weigth: 1
    items: []
  - code: C
    items:
      - {code: C1}
      - {code: C.1}
      - {code: C.1}
"""
    with pytest.raises(SipasInputError) as info:
        parse_questionnaire_yaml(text)
    problems = info.value.problems
    joined = "\n".join(problems)
    assert "Trường format" in joined
    assert "Trường code: bắt buộc" in joined
    assert "Trường satisfied[2]" in joined and "Trường satisfied[3]: mức 4 bị lặp lại" in joined
    assert "Trường elements[1].code" in joined and "dấu chấm" in joined
    assert "Trường elements[1].weight" in joined
    assert "Trường elements[2].weigth: không thuộc định dạng" in joined
    assert "Trường elements[2].items" in joined
    assert "Trường elements[3].code: mã yếu tố 'C' bị lặp lại" in joined
    assert "Trường elements[3].items[1].code: mã câu hỏi 'C1'" in joined
    assert "Trường elements[3].items[3].code: mã câu hỏi 'C.1' bị lặp lại" in joined


@pytest.mark.parametrize("text", ["[1, 2]", "a: [", ""])
def test_parse_questionnaire_not_a_mapping(text: str) -> None:
    with pytest.raises(SipasInputError) as info:
        parse_questionnaire_yaml(text)
    assert "Tệp bảng hỏi" in info.value.problems[0]


# -- answers CSV -------------------------------------------------------------------------------------


def test_parse_answers_basic_and_bom_and_crlf() -> None:
    text = "\ufeffrespondent,item,answer\r\nr1,TC.1,5\r\nr1,TC.2,\r\n\r\nr2, TC.1 ,0\r\n"
    answers = parse_answers_csv(text)
    assert answers == [
        Answer("r1", "TC.1", 5, row=2),
        Answer("r1", "TC.2", None, row=3),
        Answer("r2", "TC.1", None, row=5),
    ]


def test_parse_answers_header_any_order_and_case() -> None:
    answers = parse_answers_csv("Item, ANSWER ,respondent\nTC.1,4,r9\n")
    assert answers == [Answer("r9", "TC.1", 4, row=2)]


def test_parse_answers_every_problem_with_row() -> None:
    text = (
        "respondent,item,answer\n"
        "r1,TC.1,5\n"  # 2 ok
        "r1,TC1,4\n"  # 3 no dot
        "r1,TC.2,6\n"  # 4 out of range
        "r1,TC.3,4.0\n"  # 5 not an integer answer
        "r1,TC.1,4\n"  # 6 duplicate of row 2
        ",TC.4,1\n"  # 7 no respondent
        "r2,,1\n"  # 8 no item
        "r2,TC.5\n"  # 9 two cells
        "r2,.5,3\n"  # 10 nothing before the dot
        "r2,TC.6,hài lòng\n"  # 11
        "r3,TC.1,\n"  # 12 ok (no answer)
        "r3,TC.1,0\n"  # 13 duplicate, even empty
    )
    with pytest.raises(SipasInputError) as info:
        parse_answers_csv(text)
    problems = info.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "Dòng 3",
        "Dòng 4",
        "Dòng 5",
        "Dòng 6",
        "Dòng 7",
        "Dòng 8",
        "Dòng 9",
        "Dòng 10",
        "Dòng 11",
        "Dòng 13",
    ]
    assert "ở dòng 2" in problems[3]
    assert "ở dòng 12" in problems[-1]
    assert "cột answer" in problems[1] and "'6'" in problems[1]


def test_parse_answers_bad_header_and_empty() -> None:
    with pytest.raises(SipasInputError) as info:
        parse_answers_csv("nguoi,cau,tra_loi\nr1,TC.1,5\n")
    assert info.value.problems[0].startswith("Dòng 1: dòng tiêu đề")
    with pytest.raises(SipasInputError) as info:
        parse_answers_csv("respondent,item,answer,extra\n")
    assert "Dòng 1" in info.value.problems[0]
    with pytest.raises(SipasInputError) as info:
        parse_answers_csv("")
    assert "thiếu dòng tiêu đề" in info.value.problems[0]


def test_parse_answers_header_only_is_empty_result() -> None:
    answers = parse_answers_csv("respondent,item,answer\n")
    result = compute_indices(answers)
    assert result_to_json(result) == {"respondents": 0, "overall": None, "elements": []}


def test_parse_answers_with_questionnaire_refuses_other_items() -> None:
    with pytest.raises(SipasInputError) as info:
        parse_answers_csv("respondent,item,answer\nr1,TC.1,5\nr1,XX.1,5\nr1,TC.4,1\n", DEFAULT_QUESTIONNAIRE)
    assert info.value.problems == [
        "Dòng 3: cột item: câu hỏi 'XX.1' không có trong bảng hỏi SIPAS-DV.",
        "Dòng 4: cột item: câu hỏi 'TC.4' không có trong bảng hỏi SIPAS-DV.",
    ]


# -- the method --------------------------------------------------------------------------------------


def test_hand_computed_example() -> None:
    result = compute_indices(parse_answers_csv(HAND_CSV))
    data = result_to_json(result)
    # TC.1: 5,2,4 → 2/3; TC.2: 4,5,(empty) → 2/2; TT.1: 3,4,(0) → 1/2; PA.1 only empty.
    assert data["respondents"] == 4
    assert [e["code"] for e in data["elements"]] == ["TC", "TT", "PA"]
    tc, tt, pa = data["elements"]
    assert tc["index"] == 83.33  # (66.666… + 100) / 2
    assert [(i["code"], i["index"], i["valid"]) for i in tc["items"]] == [
        ("TC.1", 66.67, 3),
        ("TC.2", 100.0, 2),
    ]
    assert tt["index"] == 50.0
    assert pa == {
        "code": "PA",
        "index": None,
        "items": [{"code": "PA.1", "index": None, "valid": 0, "ci95": None}],
    }
    assert data["overall"] == 66.67  # (83.333… + 50) / 2, PA left out
    assert result.exact_overall == Fraction(200, 3)


def test_json_shape_is_exactly_the_contract() -> None:
    data = result_to_json(compute_indices(parse_answers_csv(HAND_CSV)))
    assert list(data) == ["respondents", "overall", "elements"]
    for element in data["elements"]:
        assert list(element) == ["code", "index", "items"]
        for item in element["items"]:
            assert list(item) == ["code", "index", "valid", "ci95"]
    # Serialisable as plain JSON numbers.
    assert json.loads(json.dumps(data)) == data
    assert isinstance(data["overall"], float)
    assert data["elements"][0]["items"][1]["ci95"] == [34.24, 100.0]


def test_rounding_only_at_the_end() -> None:
    # A.1: 1/1 = 100; A.2: 1/6 = 16.666…; element = 58.333… → 58.33 (rounding items first gives 58.34).
    answers = rows(("r1", "A.1", 5), *[(f"r{n}", "A.2", 5 if n == 1 else 1) for n in range(1, 7)])
    result = compute_indices(answers)
    assert result.elements[0].index == D("58.33")
    assert result.overall == D("58.33")


def test_round_half_up() -> None:
    # 1 of 32 = 3.125 % → 3.13 (banker's rounding would give 3.12).
    result = compute_indices(rows(*[(f"r{n}", "A.1", 5 if n == 0 else 1) for n in range(32)]))
    assert result.elements[0].items[0].index == D("3.13")
    assert round_half_up(Fraction(-5, 1000)) == D("-0.01")
    assert round_half_up(Decimal("2.675")) == D("2.68")
    assert str(round_half_up(Fraction(90))) == "90.00"


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=0, max_value=4),
)
def test_round_half_up_in_integers_equals_decimal_rounding(
    numerator: int, denominator: int, places: int
) -> None:
    """The integer formula rounds as Decimal's ROUND_HALF_UP on the exact quotient (computed with
    enough digits that the quotient is exact to well beyond the rounding place)."""
    import decimal

    exact = Fraction(numerator, denominator)
    with decimal.localcontext() as context:
        context.prec = 60
        quotient = Decimal(numerator) / Decimal(denominator)
        expected = quotient.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
    # a value that is not a tie lies ≥ 1/(2·10⁴·10⁹) away from one: far beyond a 60-digit quotient's error
    assert round_half_up(exact, places) == expected


def test_empty_and_zero_are_no_answer_but_respondents_count() -> None:
    result = compute_indices(rows(("a", "TC.1", None), ("b", "TC.1", 0), ("c", "TC.1", 4)))
    item = result.elements[0].items[0]
    assert result.respondents == 3
    assert (item.valid, item.satisfied, item.index) == (1, 1, D("100.00"))


def test_duplicates_invalid_in_compute() -> None:
    with pytest.raises(SipasInputError) as info:
        compute_indices(rows(("a", "TC.1", 4), ("a", "TC.1", None), ("b", "TC1", 4), ("c", "TC.2", 7)))
    assert len(info.value.problems) == 3
    assert "'a'" in info.value.problems[0] and "'TC.1'" in info.value.problems[0]


def test_natural_item_order() -> None:
    result = compute_indices(rows(("a", "TC.10", 4), ("a", "TC.2", 4), ("a", "TC.1", 4), ("a", "TC.1a", 4)))
    assert [i.code for i in result.elements[0].items] == ["TC.1", "TC.1a", "TC.2", "TC.10"]
    assert sorted(["X.01", "X.1", "X.9"], key=item_natural_key) == ["X.01", "X.1", "X.9"]


def test_element_order_default_then_first_appearance() -> None:
    result = compute_indices(
        rows(("a", "ZZ.1", 4), ("a", "PA.1", 4), ("a", "AA.1", 4), ("a", "TC.1", 4), ("a", "KQ.1", 4))
    )
    assert [e.code for e in result.elements] == ["TC", "KQ", "PA", "ZZ", "AA"]
    assert all(e.name is None for e in result.elements)


def test_weights_override() -> None:
    answers = parse_answers_csv(HAND_CSV)
    result = compute_indices(answers, weights={"TC": D(3), "TT": D(1), "NOPE": D(9)})
    assert result.overall == D("75.00")  # (3 × 83.333… + 1 × 50) / 4
    result = compute_indices(answers, weights={"TC": D(0), "TT": D(0)})
    assert result.overall is None
    with pytest.raises(SipasInputError):
        compute_indices(answers, weights={"TC": D(-1)})


def test_questionnaire_restricts_and_lists_all_items() -> None:
    q = parse_questionnaire_yaml(SMALL_YAML)
    result = compute_indices(rows(("r1", "A.2", 3), ("r2", "A.2", 2), ("r1", "A.10", 1)), q)
    data = result_to_json(result)
    assert data == {
        "respondents": 2,
        "overall": 25.0,
        "elements": [
            {
                "code": "A",
                "name": "Yếu tố A",
                "index": 25.0,
                "items": [
                    {"code": "A.2", "index": 50.0, "valid": 2, "ci95": [9.45, 90.55]},
                    {"code": "A.10", "index": 0.0, "valid": 1, "ci95": [0.0, 79.35]},
                ],
            },
            {"code": "B", "index": None, "items": [{"code": "B.1", "index": None, "valid": 0, "ci95": None}]},
        ],
    }
    with pytest.raises(SipasInputError) as info:
        compute_indices([Answer("r1", "C.1", 5, row=7)], q)
    assert info.value.problems == ["Dòng 7: câu hỏi 'C.1' không có trong bảng hỏi THU."]


def test_questionnaire_weights_and_satisfied_levels() -> None:
    q = Questionnaire(
        code="W",
        satisfied=(5,),
        elements=(
            parse_questionnaire_yaml(SMALL_YAML).elements[0],  # A, weight 2.5
            DEFAULT_QUESTIONNAIRE.elements[0],  # TC, weight 1
        ),
    )
    answers = rows(("r1", "A.2", 5), ("r2", "A.2", 4), ("r1", "TC.1", 5))
    result = compute_indices(answers, q)
    # A = 50 (only 5 counts), TC = 100 → (2.5 × 50 + 100) / 3.5 = 64.2857…
    assert result.overall == D("64.29")


def test_counts_interface() -> None:
    result = compute_indices_from_counts({"TC.1": {5: 3, 4: 1, 2: 4, 0: 10}, "TC.2": {0: 2}}, respondents=20)
    item1, item2 = result.elements[0].items
    assert (item1.valid, item1.satisfied, item1.index) == (8, 4, D("50.00"))
    assert (item2.valid, item2.index, item2.ci95) == (0, None, None)
    assert result.respondents == 20
    with pytest.raises(SipasInputError) as info:
        compute_indices_from_counts({"TC.1": {6: 1, 4: -1}, "TC": {}}, respondents=-1)
    assert len(info.value.problems) == 4


def test_all_null_overall() -> None:
    result = compute_indices(rows(("a", "TC.1", None)))
    assert result.overall is None and result.elements[0].index is None


# -- Wilson ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    [
        (8, 10, ("49.02", "94.33")),  # statsmodels proportion_confint(8, 10, method="wilson")
        (0, 10, ("0.00", "27.75")),  # upper = z² / (n + z²)
        (10, 10, ("72.25", "100.00")),
        (1, 2, ("9.45", "90.55")),
        (250, 250, ("98.49", "100.00")),
    ],
)
def test_wilson_known_values(k: int, n: int, expected: tuple[str, str]) -> None:
    assert wilson_interval(k, n) == (D(expected[0]), D(expected[1]))


def test_wilson_fast_path_equals_exact_computation() -> None:
    """Floats are used away from rounding ties; every (k, n) up to 250 must round as the exact value does."""
    from friendlygov.rules.sipas import WILSON_Z, _wilson_exact

    for n in range(1, 251):
        for k in range(n + 1):
            assert wilson_interval(k, n) == _wilson_exact(k, n, WILSON_Z), (k, n)


@given(st.integers(min_value=1, max_value=10**7), st.data())
def test_wilson_fast_path_equals_exact_for_large_samples(n: int, data: st.DataObject) -> None:
    from friendlygov.rules.sipas import WILSON_Z, _wilson_exact

    k = data.draw(st.integers(min_value=0, max_value=n))
    assert wilson_interval(k, n) == _wilson_exact(k, n, WILSON_Z)


def test_wilson_none_and_errors() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


# -- sample size -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "e", "expected"),
    [
        (4000, "0.05", 364),
        (0, "0.05", 0),
        (1, "0.05", 1),
        (400, "0.05", 200),
        (100, "0.1", 50),
        (10**9, "0.05", 400),
    ],
)
def test_sample_size(n: int, e: str, expected: int) -> None:
    assert sample_size(n, D(e)) == expected


def test_sample_size_default_and_validation() -> None:
    assert sample_size(4000) == 364
    for bad in [(-1, D("0.05")), (10, D(0)), (10, D(1)), (10, D("-0.1")), (10, D("NaN"))]:
        with pytest.raises(SipasInputError):
            sample_size(*bad)


# -- properties --------------------------------------------------------------------------------------

item_counts = st.dictionaries(st.integers(0, 5), st.integers(0, 40), max_size=6)
count_tables = st.dictionaries(
    st.sampled_from(["TC.1", "TC.2", "TC.10", "TT.1", "PA.3", "ZZ.1", "ZZ.2"]), item_counts, max_size=7
)


@settings(max_examples=200, deadline=None)
@given(count_tables)
def test_indices_in_range_and_interval_contains_estimate(counts: dict[str, dict[int, int]]) -> None:
    result = compute_indices_from_counts(counts, respondents=0)
    indices = [result.overall] + [e.index for e in result.elements]
    for element in result.elements:
        for item in element.items:
            indices.append(item.index)
            if item.index is None:
                assert item.ci95 is None and item.valid == 0
            else:
                assert item.ci95 is not None
                low, high = item.ci95
                assert D(0) <= low <= item.index <= high <= D(100)
    assert all(D(0) <= value <= D(100) for value in indices if value is not None)


@settings(max_examples=200, deadline=None)
@given(count_tables, st.dictionaries(st.sampled_from(["TC", "TT", "PA", "ZZ"]), st.integers(0, 5)))
def test_counts_equal_rows(counts: dict[str, dict[int, int]], weights: dict[str, int]) -> None:
    answers: list[Answer] = []
    respondent = 0
    for item, per_answer in counts.items():
        for answer, count in per_answer.items():
            for _ in range(count):
                answers.append(Answer(f"r{respondent}", item, answer or None))
                respondent += 1
    # Items only present with zero counts cannot come from rows: drop them from the counts side.
    present = {item: c for item, c in counts.items() if sum(c.values()) > 0}
    decimal_weights = {code: D(w) for code, w in weights.items()}
    from_rows = compute_indices(answers, weights=decimal_weights)
    from_counts = compute_indices_from_counts(present, respondent, weights=decimal_weights)
    assert from_rows == from_counts
    assert result_to_json(from_rows) == result_to_json(from_counts)


questionnaire_counts = st.dictionaries(
    st.sampled_from(["A.2", "A.10", "B.1"]), item_counts, max_size=3
)  # the items of SMALL_YAML


@settings(max_examples=300, deadline=None)
@given(
    count_tables,
    questionnaire_counts,
    st.dictionaries(st.sampled_from(["TC", "TT", "PA", "ZZ", "A", "B"]), st.integers(0, 5)),
    st.integers(0, 50),
)
def test_overall_alone_is_the_full_computations_overall(
    counts: dict[str, dict[int, int]],
    in_questionnaire: dict[str, dict[int, int]],
    weights: dict[str, int],
    respondents: int,
) -> None:
    """A measured criterion reads ``overall_index_from_counts``; the pages show the full computation: one
    formula, so the same number whatever the counts, layout, weights and satisfied levels."""
    decimal_weights = {code: D(w) for code, w in weights.items()}
    small = parse_questionnaire_yaml(SMALL_YAML)
    strict = Questionnaire(code="W", satisfied=(5,), elements=small.elements)
    for table, questionnaire in ((counts, None), (in_questionnaire, small), (in_questionnaire, strict)):
        for chosen in (None, decimal_weights):
            full = compute_indices_from_counts(table, respondents, questionnaire, weights=chosen)
            assert (
                overall_index_from_counts(table, respondents, questionnaire, weights=chosen) == full.overall
            )


def test_overall_alone_refuses_what_the_full_computation_refuses() -> None:
    bad = {"TC.1": {6: 1, 4: -1}, "TC": {}}
    with pytest.raises(SipasInputError) as full:
        compute_indices_from_counts(bad, respondents=-1)
    with pytest.raises(SipasInputError) as alone:
        overall_index_from_counts(bad, respondents=-1)
    assert alone.value.problems == full.value.problems
    with pytest.raises(SipasInputError):
        overall_index_from_counts({"C.1": {5: 1}}, 1, parse_questionnaire_yaml(SMALL_YAML))
    # "no answer" (0) as a satisfied level would put an index above 100 %: refused by both
    odd = Questionnaire(code="W", satisfied=(0, 5), elements=parse_questionnaire_yaml(SMALL_YAML).elements)
    for compute in (compute_indices_from_counts, overall_index_from_counts):
        with pytest.raises(SipasInputError):
            compute({"A.2": {0: 3, 5: 1}}, 4, odd)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**7), st.integers(1, 999))
def test_sample_size_property(n: int, per_mille: int) -> None:
    e = D(per_mille) / 1000
    size = sample_size(n, e)
    exact = Fraction(n) / (1 + n * Fraction(e) ** 2)
    assert size - 1 < exact <= size
    assert 0 <= size <= n


@given(
    st.lists(
        st.tuples(
            st.fractions(min_value=0, max_value=10, max_denominator=1000),
            st.fractions(min_value=0, max_value=100, max_denominator=100_000),
        ),
        min_size=1,
        max_size=8,
    ),
    st.fractions(min_value=Fraction(1, 1000), max_value=50, max_denominator=1000),
)
def test_weighted_mean_is_the_fraction_arithmetic(
    weighted: list[tuple[Fraction, Fraction]], total: Fraction
) -> None:
    """The element and overall indices add their terms as one integer ratio reduced once: the same exact
    number as adding Fraction objects step by step."""
    expected = sum((w * x for w, x in weighted), Fraction(0)) / total
    assert sipas._weighted_mean(weighted, total) == expected
