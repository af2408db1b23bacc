"""Text helpers shared by rules and apps: Vietnamese-insensitive matching and natural order."""

from __future__ import annotations

import re
import unicodedata

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
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _NUMBER_RUN.split(text) if part != "")
