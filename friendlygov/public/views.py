"""Public pages (no login): a unit's "Chính quyền thân thiện" page and the city's list of units."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from friendlygov.public import selectors


@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    unit = selectors.public_unit(slug)
    if unit.is_city:
        return render(
            request,
            "public/city.html",
            {"city": unit, "rows": selectors.city_page(unit), "emblem": selectors.EMBLEM_STAR},
        )
    context = {
        "page": selectors.unit_page(unit),
        "unit": unit,
        "four_please": selectors.FOUR_PLEASE,
        "four_always": selectors.FOUR_ALWAYS,
        "five_nos": selectors.FIVE_NOS,
        "emblem": selectors.EMBLEM_STAR,
    }
    return render(request, "public/unit.html", context)
