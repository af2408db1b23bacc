"""Small helpers every area's views share: resolving the unit a page is about, Excel downloads."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from friendlygov.org import access
from friendlygov.org.access import Capability
from friendlygov.org.models import Unit

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
