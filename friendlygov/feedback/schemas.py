"""The feedback figures as the API answers them (also part of the operations area's yearly results)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class FeedbackRateOut(Schema):
    numerator: int
    denominator: int
    percent: Decimal | None  # percent rounded to 2 places, as text in JSON; None: nothing to count


class FeedbackFiguresOut(Schema):
    """``selectors.feedback_figures``: a unit's feedback in a year."""

    year: int
    as_of: dt.date
    received: int
    by_state_type: dict[str, int]
    answered: int
    rejected: int
    late: int
    published: int
    rated: int
    on_time: FeedbackRateOut
    satisfaction: FeedbackRateOut
