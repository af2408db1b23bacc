"""A figure measured from data (a survey, the dossier system, the city's published index) that a
criterion with `source:` takes as its value. Pure: shared by the areas that measure and the one that scores."""

from __future__ import annotations

import datetime as dt
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

    def as_score_value(self) -> str:
        """The value in the criteria-set contract's syntax (rule 1: a percentage)."""
        return f"{self.percent}%"
