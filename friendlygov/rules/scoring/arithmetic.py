"""Exact decimal arithmetic and number formatting shared by the reader and the engine."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from friendlygov.rules.numbers import read_plain_number
from friendlygov.rules.text import format_vn_number

from .model import _HUNDRED

_CENT = Decimal("0.01")


# --------------------------------------------------------------------------------------------------
# Numbers


def round2(value: Decimal) -> Decimal:
    """Round half-up to two places (the reported figure)."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def format_vi_number(value: Decimal | int, places: int = 2) -> str:
    """Vietnamese style: ``91,5``, ``18``, ``1.234,56`` (rounded half-up to ``places``)."""
    return format_vn_number(value, places, trim_zeros=True)


def _fmt(value: Decimal | int) -> str:
    return format_vi_number(value, places=4)


def _percent(share: Decimal) -> str:
    return format_vi_number(share * _HUNDRED, places=2) + "%"


def _json_number(value: Decimal) -> int | float | str:
    """An int when integral, else a float when the float reads back as the same decimal, else text."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return f"{value:f}"


# Values in files, on the command line and through the API: plain dots (a lone decimal comma tolerated),
# never the grouping people type into forms (friendlygov.rules.numbers.read_vn_number reads those).
_decimal_from_text = read_plain_number


def _to_decimal(value: object) -> Decimal | None:
    """A YAML number (or numeric text, decimal comma accepted) → Decimal; None when not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str):
        return _decimal_from_text(value)
    return None


def _plain(value: Any) -> Any:
    """Extra data made JSON-friendly (dates as ISO text, keys as text), so it round-trips."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _json_number(value)
    return value
