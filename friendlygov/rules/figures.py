"""A figure measured from data (a survey, the dossier system, the city's published index) that a
criterion with `source:` takes as its value. Pure: shared by the areas that measure and the one that scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class MeasuredFigure:
    percent: Decimal  # 0..100, the value a `ratio` criterion takes as "P%"
    label: str  # Vietnamese: where it came from, e.g. "Khảo sát SIPAS năm 2026 (364 phiếu)"
    numerator: int | None = None
    denominator: int | None = None
    as_of: dt.date | None = None
    reference: str = ""  # a decision number, a URL in the app, …
    # A checklist figure: the keys of the source's items that the records evidence (the source declares
    # its item keys; a checklist criterion maps each of its items to one key with ``source_items``).
    items: frozenset[str] | None = None

    def as_score_value(self) -> str:
        """The value in the criteria-set contract's syntax (rule 1: a percentage)."""
        return f"{self.percent}%"

    def ticks_for(self, item_keys: Sequence[str]) -> list[int]:
        """The indices of a checklist's items whose key (``item_keys[i]``) the records evidence."""
        found = self.items or frozenset()
        return [index for index, key in enumerate(item_keys) if key in found]
