"""The one reader of numbers typed into forms (the Vietnamese way) and the plain reader of files."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from friendlygov.rules.numbers import (
    MESSAGES,
    NumberError,
    format_plain,
    format_vn,
    read_plain_number,
    read_vn_count,
    read_vn_number,
    typed_score_text,
)

decimals = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, allow_infinity=False, places=4
)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("1.100", Decimal(1100)),
        ("1350", Decimal(1350)),
        ("81,48", Decimal("81.48")),
        ("1.100,5", Decimal("1100.5")),
        ("1 100", Decimal(1100)),
        ("1\u00a0100,25", Decimal("1100.25")),
        ("1.250.000", Decimal(1250000)),
        ("1,100", Decimal("1.1")),
        ("0,5", Decimal("0.5")),
        ("  -2,75 ", Decimal("-2.75")),
        ("\u22123", Decimal(-3)),
        ("007", Decimal(7)),
    ],
)
def test_read_the_vietnamese_way(typed: str, read: Decimal) -> None:
    assert read_vn_number(typed) == read


@pytest.mark.parametrize(
    ("typed", "code", "says"),
    [
        ("81.48", "dot_decimal", "hãy ghi 81,48"),
        ("0.500", "dot_decimal", "hãy ghi 0,500"),
        ("1.10.5", "dot", "mỗi nhóm đủ ba chữ số"),
        ("1,100,000", "many_commas", "ghi 1.100.000"),
        ("1,100.5", "foreign", "hãy ghi 1.100,5"),
        ("11 00", "space", "đủ ba chữ số"),
        ("abc", "not_number", "không phải là một số"),
        ("1e5", "not_number", "không phải là một số"),
        ("NaN", "not_number", "không phải là một số"),
        (",5", "unreadable", "không đọc được"),
        ("5,", "unreadable", "không đọc được"),
        ("", "required", "Chưa nhập số"),
        ("1" * 41, "too_long", "quá dài"),
    ],
)
def test_ambiguous_or_invalid_forms_are_refused(typed: str, code: str, says: str) -> None:
    with pytest.raises(NumberError) as caught:
        read_vn_number(typed)
    assert caught.value.code == code and says in caught.value.message
    assert caught.value.message == MESSAGES[code] % caught.value.params


def test_a_count_refuses_decimals_naming_both_readings() -> None:
    assert read_vn_count("1.100") == 1100
    with pytest.raises(NumberError) as caught:
        read_vn_count("1,100")
    assert caught.value.message == (
        "«1,100» đọc theo cách viết Việt Nam là 1,1 — không phải số nguyên. "
        "Nếu ý bạn là 1.100 thì ghi 1.100 (dấu chấm tách hàng nghìn)."
    )
    with pytest.raises(NumberError) as caught:
        read_vn_count("2,5")
    assert caught.value.code == "fraction" and "2,5" in caught.value.message


@settings(max_examples=300, deadline=None)
@given(decimals)
def test_formatting_the_vietnamese_way_then_reading_gives_the_number_back(value: Decimal) -> None:
    assert read_vn_number(format_vn(value)) == value
    assert read_vn_number(format_plain(value)) == value  # the ungrouped form too
    assert read_plain_number(format_plain(value)) == value  # and the engine reads what the forms write


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_thousands_grouped_integers(value: int) -> None:
    dotted = format_vn(value)
    assert read_vn_count(dotted) == value
    assert read_vn_count(dotted.replace(".", " ")) == value
    assert read_vn_count(str(value)) == value
    assert "," not in dotted and all(len(g) == 3 for g in dotted.lstrip("-").split(".")[1:])


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=999), st.text(alphabet="0123456789", min_size=1, max_size=6))
def test_a_dot_not_followed_by_three_digits_is_refused(whole: int, fraction: str) -> None:
    typed = f"{whole}.{fraction}"
    if len(fraction) == 3 and (whole > 0):
        assert read_vn_number(typed) == Decimal(f"{whole}{fraction}")  # 1.100 is one thousand one hundred
    else:
        with pytest.raises(NumberError):
            read_vn_number(typed)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.lists(st.integers(0, 999), min_size=2, max_size=4))
def test_english_grouping_with_commas_is_refused(head: int, groups: list[int]) -> None:
    typed = ",".join([str(head), *(f"{g:03d}" for g in groups)])
    with pytest.raises(NumberError) as caught:
        read_vn_number(typed)
    assert caught.value.code == "many_commas"
    assert read_vn_number(caught.value.params["fixed"]) == Decimal(typed.replace(",", ""))


def test_plain_reader_keeps_the_file_contract() -> None:
    assert read_plain_number("1.100") == Decimal("1.1")  # CSV and JSON: a dot is the decimal point
    assert read_plain_number("4,5") == Decimal("4.5")
    assert read_plain_number("1.100,5") is None
    assert read_plain_number("abc") is None


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("1.100/1.350", "1100/1350"),
        ("1.100 / 1350", "1100/1350"),
        ("92,5 %", "92,5%"),
        ("1.100", "1100"),
        ("4,50", "4,5"),
        ("có", "có"),
        ("4.5", "4.5"),  # not the Vietnamese way: handed on as typed, for the engine to read or name
        ("", ""),
    ],
)
def test_typed_score_text(typed: str, text: str) -> None:
    assert typed_score_text(typed) == text
