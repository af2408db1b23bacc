"""Reads of the conference register."""

from __future__ import annotations

from friendlygov.operations.models import Conference
from friendlygov.org.models import Unit

from .common import matches


def conferences(
    unit: Unit, *, year: int | None = None, status: str = "", query: str = ""
) -> list[Conference]:
    items = Conference.objects.filter(unit=unit).select_related("review", "minutes")
    if year:
        items = items.filter(held_on__year=year)
    if status:
        items = items.filter(status=status)
    result = list(items)
    if query:
        result = [c for c in result if matches(query, c.title, c.place, c.chair, c.attendees)]
    return result
