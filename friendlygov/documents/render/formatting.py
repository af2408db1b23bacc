"""Vietnamese formatting helpers: date lines, number lines, numbers, attachment notes, text widths."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

from friendlygov.rules.text import format_vn_number as shared_format_vn_number

from .layout import BLANK


def _day(d: date) -> str:
    return f"{d.day:02d}"


def _month(d: date) -> str:
    # Decree 30: a leading zero for days under 10 and for months 1 and 2 (not for months 3 to 9).
    return f"{d.month:02d}" if d.month <= 2 else str(d.month)


def vn_date_line(place: str, when: date | None, year: int | None = None) -> str:
    """ "Thanh Miện, ngày 05 tháng 01 năm 2026"; without a date the day and month are dotted blanks."""
    if when is None:
        shown_year = str(year) if year is not None else BLANK
        return f"{place}, ngày {BLANK} tháng {BLANK} năm {shown_year}"
    return f"{place}, ngày {_day(when)} tháng {_month(when)} năm {when.year}"


def vn_short_date(when: date | None, year: int | None = None) -> str:
    """ "05/01/2026", "09/4/2026" (same leading-zero rule); blanks when there is no date yet."""
    if when is None:
        return f"{BLANK}/{BLANK}/{year if year is not None else BLANK}"
    return f"{_day(when)}/{_month(when)}/{when.year}"


def format_number_line(number: str | None, symbol: str) -> str:
    """ "Số: 01/KH-UBND" (numbers under 10 take a leading zero); a draft: "Số: ...../KH-UBND"."""
    if number is None or not str(number).strip():
        shown = BLANK
    else:
        shown = str(number).strip()
        if shown.isdigit() and int(shown) < 10:
            shown = f"{int(shown):02d}"
    return f"Số: {shown}/{symbol}"


def format_vn_number(value: Decimal | int | float, places: int = 0) -> str:
    """Vietnamese number: "." groups thousands, "," marks decimals: 1250000 → "1.250.000", 88.123 → "88,12"."""
    if isinstance(value, bool):
        raise TypeError("format_vn_number: value must be a number, not bool")
    if places < 0:
        raise ValueError("format_vn_number: places must be >= 0")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"Không định dạng được số: {value!r}")
    return shared_format_vn_number(number, places)


def attachment_note(
    type_name: str,
    number: str | None,
    symbol: str,
    when: date | None,
    issuer: str,
    year: int | None = None,
) -> str:
    """ "(Kèm theo Kế hoạch số 12/KH-UBND ngày 05/01/2026 của Ủy ban nhân dân xã Thanh Miện)"."""
    kind = type_name.strip().capitalize()
    num = format_number_line(number, symbol).removeprefix("Số: ")
    return f"(Kèm theo {kind} số {num} ngày {vn_short_date(when, year)} của {issuer})"


# Advance widths (1/1000 em) of ASCII 32..126 in Times New Roman / Liberation Serif (metric-compatible).
_WIDTHS_REGULAR = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722,
    722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333,
    278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
)  # fmt: skip
_WIDTHS_BOLD = (
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778,
    778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333,
    278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
)  # fmt: skip


def text_width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """Estimated printed width of one line of Times New Roman text (Vietnamese marks add no width)."""
    table = _WIDTHS_BOLD if bold else _WIDTHS_REGULAR
    total = 0
    for ch in text:
        base = {"Đ": "D", "đ": "d"}.get(ch) or unicodedata.normalize("NFD", ch)[:1] or " "
        code = ord(base)
        total += table[code - 32] if 32 <= code <= 126 else 500
    return total / 1000 * size_pt * 25.4 / 72
