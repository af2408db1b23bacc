"""The operations overview page of a commune."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from friendlygov.operations import selectors
from friendlygov.operations.params import year_of as _year
from friendlygov.operations.params import years_around as _years
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.org.pages import commune_page as _unit_page

from .common import _common


@login_required
def unit_overview(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    return render(
        request,
        "operations/overview.html",
        _common(
            request,
            unit,
            year=year,
            years=_years(unit, year),
            tab="overview",
            o=selectors.overview(unit, year),
        ),
    )


@login_required
def yearly_results(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    return render(
        request,
        "operations/yearly.html",
        _common(
            request,
            unit,
            year=year,
            years=_years(unit, year),
            tab="yearly",
            r=selectors.yearly_results(unit=unit, year=year),
        ),
    )
