"""Text helpers shared by rules and apps: Vietnamese-insensitive matching and natural order."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"\s*[-–—‐‑]\s*")
_NUMBER_RUN = re.compile(r"(\d+)")


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def normalize_vi(text: str) -> str:
    """Lower case, no diacritics, one space, dashes unified: "Phòng Văn hóa- Xã hội" → "phong van hoa - xa hoi"."""
    text = strip_diacritics(text).lower()
    text = _DASHES.sub(" - ", text)
    return _SPACES.sub(" ", text).strip()


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key putting "2" before "10" and "1.2" before "1.10"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in _NUMBER_RUN.split(text) if part != ""
    )


def format_vn_number(value: Decimal | int | float, places: int = 0, *, trim_zeros: bool = False) -> str:
    """Vietnamese number: "." groups thousands, "," marks decimals, rounded half-up to `places`.

    1250000 → "1.250.000"; 88.123 with places=2 → "88,12"; with trim_zeros, 18.50 → "18,5" and 18.00 → "18".
    """
    number = (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    whole, _, fraction = f"{abs(number):f}".partition(".")
    if trim_zeros:
        fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups) + ("," + fraction if fraction else "")
    negative = number < 0 and result.strip("0.,") != ""
    return ("-" if negative else "") + result
