"""Keeping every city's open cycles' standings ahead of their readers (``friendlygov figures standings``,
run each night at 00:05 by its timer): the first reviewer of the day then reads kept standings instead of
scoring every open cycle of the city (see ``selectors.standings``)."""

from __future__ import annotations

from django.utils import timezone

from friendlygov.assessments.models import LiveStanding
from friendlygov.assessments.selectors import city_overview
from friendlygov.org.models import Unit


def keep_all_standings(*, year: int) -> dict[str, int]:
    """Read every active city's (or province's) table for ``year``: open cycles whose kept standing is
    missing or old are scored and kept. Returns the cities read, their open cycles and how many of those
    now have a kept standing (fewer when the database would not take the keeping)."""
    cities = list(Unit.objects.filter(kind__in=Unit.CITY_KINDS, is_active=True).order_by("pk"))
    open_cycles: list[int] = []
    for city in cities:
        rows = city_overview(city, year)
        open_cycles += [row.cycle.pk for row in rows if row.cycle is not None and row.cycle.is_editable]
    kept = LiveStanding.objects.filter(cycle_id__in=open_cycles, valid_until__gt=timezone.now()).count()
    return {"cities": len(cities), "open_cycles": len(open_cycles), "kept": kept}
