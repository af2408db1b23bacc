"""Helpers shared by the assessment pages: the unit, cycle and city of a request, errors, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse

from friendlygov.assessments import selectors
from friendlygov.assessments.models import Cycle
from friendlygov.kit.downloads import xlsx_response
from friendlygov.org import access
from friendlygov.org.models import Unit


def _unit(request: HttpRequest, slug: str) -> Unit:
    unit = access.get_unit_for(request.user, slug)
    if unit.is_city:
        raise Http404
    request.current_unit = unit  # type: ignore[attr-defined]
    return unit


def _cycle(request: HttpRequest, slug: str, year: int) -> Cycle:
    unit = _unit(request, slug)
    cycle = selectors.get_cycle(unit, year)
    if cycle is None:
        raise Http404
    return cycle


def _city(request: HttpRequest, slug: str) -> Unit:
    city = access.get_unit_for(request.user, slug)
    if not city.is_city:
        raise Http404
    request.current_unit = city  # type: ignore[attr-defined]
    return city


def _error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    return xlsx_response(data, filename)
