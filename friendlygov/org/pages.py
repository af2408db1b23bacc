"""Resolving the unit a page is about: access-checked, and set on the request so the shell shows the
unit's navigation. Every area's views start here."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from friendlygov.org import access
from friendlygov.org.access import Capability
from friendlygov.org.models import Unit


def unit_page(request: HttpRequest, slug: str, capability: Capability = Capability.READ) -> Unit:
    """The unit (city or commune) a page is about, access-checked; the shell shows its navigation."""
    unit = access.get_unit_for(request.user, slug, capability)
    request.current_unit = unit  # type: ignore[attr-defined]
    return unit


def commune_page(request: HttpRequest, slug: str, capability: Capability = Capability.READ) -> Unit:
    """Like unit_page, for pages that exist only for commune-level units (a city slug gives 404)."""
    unit = access.get_unit_for(request.user, slug, capability)
    if unit.is_city:
        raise Http404
    request.current_unit = unit  # type: ignore[attr-defined]
    return unit
