"""The list filters of the operations pages as read from the query string (ids, the year, search, choices)."""

from __future__ import annotations

from typing import Any

from django.db.models import TextChoices
from django.http import HttpRequest

from friendlygov.kit.params import MAX_ID, int_param
from friendlygov.operations import selectors
from friendlygov.org.models import Unit


def int_or_none(value: Any) -> int | None:
    """A non-negative integer of the query or the form (an id, a version); anything else is None."""
    return int_param(value, low=0, high=MAX_ID)


def year_of(request: HttpRequest) -> int:
    year = int_or_none(request.GET.get("nam"))
    return year if year is not None and 2000 <= year <= 2100 else selectors.today().year


def years_around(unit: Unit, year: int) -> list[int]:
    now = selectors.today().year
    return sorted({*range(2026, now + 1), year, now}, reverse=True)


def query_of(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:100]


def choice_of(request: HttpRequest, name: str, choices: type[TextChoices]) -> str:
    """A list filter from the query string: its value when it is one of ``choices``, else "" (no filter)."""
    value = request.GET.get(name, "")
    return value if value in choices.values else ""
