"""Keeping every city's open cycles' standings ahead of their readers (``friendlygov figures standings``,
run each morning by the reminder timer): the first reviewer of the day then reads kept standings instead of
scoring every open cycle of the city (see ``selectors.standings``)."""

from __future__ import annotations

from friendlygov.assessments.selectors import city_overview
from friendlygov.org.models import Unit


def keep_all_standings(*, year: int) -> dict[str, int]:
    """Read every active city's table for ``year``: open cycles whose kept standing is missing or old are
    scored and kept. Returns how many cities were read and how many of their cycles are open."""
    cities = list(Unit.objects.filter(kind__in=Unit.CITY_KINDS, is_active=True).order_by("pk"))
    open_cycles = 0
    for city in cities:
        rows = city_overview(city, year)
        open_cycles += sum(1 for row in rows if row.cycle is not None and row.cycle.is_editable)
    return {"cities": len(cities), "open_cycles": open_cycles}
