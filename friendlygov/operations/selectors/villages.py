"""Reads of the village registers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from friendlygov.operations.models import (
    HouseholdTitle,
    VillageReview,
    VillageReviewItem,
    VillageReviewResult,
)
from friendlygov.org.models import Body, Unit

from .common import matches, percent


def village_bodies(unit: Unit) -> list[Body]:
    return [b for b in Body.objects.filter(unit=unit, is_active=True) if b.is_village]


def review_items(unit: Unit, year: int, *, include_inactive: bool = False) -> list[VillageReviewItem]:
    items = VillageReviewItem.objects.filter(unit=unit, year=year)
    if not include_inactive:
        items = items.filter(is_active=True)
    return list(items.order_by("position", "id"))


@dataclass
class VillageRow:
    village: Body
    review: VillageReview | None
    results: dict[int, VillageReviewResult]
    items: list[VillageReviewItem]
    households_listed: int = 0
    households_cultural: int = 0

    @property
    def met_count(self) -> int:
        return sum(1 for i in self.items if (r := self.results.get(i.pk)) is not None and r.met is True)

    @property
    def all_met(self) -> bool:
        return bool(self.items) and self.met_count == len(self.items)

    @property
    def cells(self) -> list[VillageReviewResult | None]:
        return [self.results.get(i.pk) for i in self.items]

    @property
    def title_result(self) -> str:
        return self.review.title_result if self.review else VillageReview.Title.PENDING

    @property
    def title_label(self) -> str:
        return str(VillageReview.Title(self.title_result).label)

    @property
    def households_percent(self) -> Decimal | None:
        return percent(self.households_cultural, self.households_listed)


def village_rows(unit: Unit, year: int) -> list[VillageRow]:
    items = review_items(unit, year)
    reviews = {
        r.village_id: r
        for r in VillageReview.objects.filter(unit=unit, year=year)
        .select_related("minutes", "updated_by")
        .prefetch_related("results")
    }
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for village_id, is_cultural in HouseholdTitle.objects.filter(unit=unit, year=year).values_list(
        "village_id", "is_cultural"
    ):
        counts[village_id][0] += 1
        counts[village_id][1] += int(is_cultural)
    rows = []
    for village in village_bodies(unit):
        review = reviews.get(village.pk)
        results = {r.item_id: r for r in review.results.all()} if review else {}
        listed, cultural = counts[village.pk]
        rows.append(VillageRow(village, review, results, items, listed, cultural))
    return rows


@dataclass(frozen=True)
class VillageFilter:
    year: int
    query: str = ""
    title: str = ""


def village_list(unit: Unit, filters: VillageFilter) -> list[VillageRow]:
    """The villages' review rows of the year matching the search and a title result (unknown: no filter)."""
    rows = village_rows(unit, filters.year)
    if filters.query:
        rows = [r for r in rows if matches(filters.query, r.village.name, r.village.head_name)]
    if filters.title in VillageReview.Title.values:
        rows = [r for r in rows if r.title_result == filters.title]
    return rows


def village_figures(*, unit: Unit, year: int) -> dict[str, Any]:
    """The villages' cultural reviews of the year.

    Keys: ``year``; ``villages`` (number of villages), ``reviewed`` (with a title result), ``achieved``,
    ``not_achieved``, ``all_items_met`` (villages meeting every friendly-government item); ``items`` (the
    items' texts); ``rows``: per village {``village``, ``title_result``, ``title_label``, ``met``, ``items``,
    ``all_met``, ``households_total``, ``households_listed``, ``households_cultural``}; ``households``:
    {``listed``, ``cultural``, ``percent`` (Decimal or None)}.
    """
    rows = village_rows(unit, year)
    listed = sum(r.households_listed for r in rows)
    cultural = sum(r.households_cultural for r in rows)
    return {
        "year": year,
        "villages": len(rows),
        "reviewed": sum(1 for r in rows if r.title_result != VillageReview.Title.PENDING),
        "achieved": sum(1 for r in rows if r.title_result == VillageReview.Title.ACHIEVED),
        "not_achieved": sum(1 for r in rows if r.title_result == VillageReview.Title.NOT_ACHIEVED),
        "all_items_met": sum(1 for r in rows if r.all_met),
        "items": [i.text for i in review_items(unit, year)],
        "rows": [
            {
                "village": r.village.name,
                "title_result": r.title_result,
                "title_label": r.title_label,
                "met": r.met_count,
                "items": len(r.items),
                "all_met": r.all_met,
                "households_total": r.review.households_total if r.review else None,
                "households_listed": r.households_listed,
                "households_cultural": r.households_cultural,
            }
            for r in rows
        ],
        "households": {"listed": listed, "cultural": cultural, "percent": percent(cultural, listed)},
    }


@dataclass
class HouseholdFilter:
    year: int | None = None
    village_id: int | None = None
    cultural: bool | None = None
    query: str = ""


def households(unit: Unit, filters: HouseholdFilter | None = None) -> list[HouseholdTitle]:
    f = filters or HouseholdFilter()
    items = HouseholdTitle.objects.filter(unit=unit).select_related("village")
    if f.year:
        items = items.filter(year=f.year)
    if f.village_id:
        items = items.filter(village_id=f.village_id)
    if f.cultural is not None:
        items = items.filter(is_cultural=f.cultural)
    result = list(items)
    if f.query:
        result = [h for h in result if matches(f.query, h.head_name, h.address, h.village.name, h.note)]
    return result
