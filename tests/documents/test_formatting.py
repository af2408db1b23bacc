"""Vietnamese formatting helpers used in documents."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from friendlygov.documents.render import (
    attachment_note,
    format_number_line,
    format_vn_number,
    text_width_mm,
    vn_date_line,
    vn_short_date,
)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (date(2026, 1, 5), "Thanh Miện, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "Thanh Miện, ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 9), "Thanh Miện, ngày 09 tháng 3 năm 2026"),
        (date(2026, 9, 10), "Thanh Miện, ngày 10 tháng 9 năm 2026"),
        (date(2026, 12, 31), "Thanh Miện, ngày 31 tháng 12 năm 2026"),
    ],
)
def test_vn_date_line_leading_zeros(when: date, expected: str) -> None:
    assert vn_date_line("Thanh Miện", when) == expected


def test_vn_date_line_draft() -> None:
    assert vn_date_line("Thanh Miện", None, 2026) == "Thanh Miện, ngày ..... tháng ..... năm 2026"
    assert vn_date_line("Hải Phòng", None) == "Hải Phòng, ngày ..... tháng ..... năm ....."


def test_short_date_and_number_line() -> None:
    assert vn_short_date(date(2026, 4, 9)) == "09/4/2026"
    assert vn_short_date(date(2026, 1, 14)) == "14/01/2026"
    assert vn_short_date(None, 2026) == "...../...../2026"
    assert format_number_line("3", "KH-UBND") == "Số: 03/KH-UBND"
    assert format_number_line("119", "KH-UBND") == "Số: 119/KH-UBND"
    assert format_number_line(None, "UBND-VHXH") == "Số: ...../UBND-VHXH"


def test_attachment_note() -> None:
    note = attachment_note("KẾ HOẠCH", "12", "KH-UBND", date(2026, 4, 9), "Ủy ban nhân dân xã Thanh Miện")
    assert note == "(Kèm theo Kế hoạch số 12/KH-UBND ngày 09/4/2026 của Ủy ban nhân dân xã Thanh Miện)"
    draft = attachment_note("Kế hoạch", None, "KH-UBND", None, "Ủy ban nhân dân xã Thanh Miện", year=2026)
    assert (
        draft
        == "(Kèm theo Kế hoạch số ...../KH-UBND ngày ...../...../2026 của Ủy ban nhân dân xã Thanh Miện)"
    )


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (1250000, 0, "1.250.000"),
        (Decimal("88.123"), 2, "88,12"),
        (Decimal("88.125"), 2, "88,13"),
        (88.12, 2, "88,12"),
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (Decimal("-1234567.5"), 1, "-1.234.567,5"),
        (Decimal("2.5"), 0, "3"),
        (7, 2, "7,00"),
    ],
)
def test_format_vn_number(value: Decimal | int | float, places: int, expected: str) -> None:
    assert format_vn_number(value, places) == expected


def test_format_vn_number_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        format_vn_number(Decimal("NaN"))
    with pytest.raises(TypeError):
        format_vn_number(True)


@settings(max_examples=200)
@given(
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=4),
    st.integers(min_value=0, max_value=4),
)
def test_format_vn_number_round_trips(value: Decimal, places: int) -> None:
    text = format_vn_number(value, places)
    parsed = Decimal(text.replace(".", "").replace(",", "."))
    assert parsed == value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole = text.lstrip("-").split(",")[0]
    assert all(len(group) == 3 for group in whole.split(".")[1:])
    assert 1 <= len(whole.split(".")[0]) <= 3


def test_text_width_ignores_vietnamese_marks() -> None:
    assert text_width_mm("Hạnh phúc", 13, bold=True) == text_width_mm("Hanh phuc", 13, bold=True)
    assert text_width_mm("Độc lập", 13) == text_width_mm("Doc lap", 13)
    assert text_width_mm("ABC", 14, bold=True) > text_width_mm("ABC", 14)
