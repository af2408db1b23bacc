"""Shared helpers of the operations reads, and what they read from other areas."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from friendlygov.org.models import Unit
from friendlygov.plans import selectors as plan_selectors
from friendlygov.rules.text import normalize_vi

QUARTER_LABELS = {
    1: gettext_lazy("Quý I"),
    2: gettext_lazy("Quý II"),
    3: gettext_lazy("Quý III"),
    4: gettext_lazy("Quý IV"),
}
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def percent(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def matches(query: str, *texts: Any) -> bool:
    """Search without diacritics: every word of the query appears in one of the texts."""
    wanted = normalize_vi(query)
    if not wanted:
        return True
    haystack = " ".join(normalize_vi(str(t)) for t in texts if t)
    return all(word in haystack for word in wanted.split())


def task_choices(unit: Unit) -> list[Any]:
    """The followed tasks of the unit's current plans (for the task pickers)."""
    return [task for plan in plan_selectors.current_plans(unit) for task in plan_selectors.plan_tasks(plan)]
