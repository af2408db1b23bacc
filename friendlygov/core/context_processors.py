from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from friendlygov.core.navigation import CITY_AREAS, UNIT_AREAS


def shell(request: HttpRequest) -> dict[str, Any]:
    """Navigation for the unit the page is about (views put it in `request.current_unit`)."""
    unit = getattr(request, "current_unit", None)
    links = []
    if unit is not None:
        for area in CITY_AREAS if unit.is_city else UNIT_AREAS:
            try:
                url = reverse(area.url_name, kwargs={"slug": unit.slug})
            except NoReverseMatch:
                continue
            links.append(
                {
                    "key": area.key,
                    "label": area.label,
                    "url": url,
                    "active": request.path == url or (area.key != "home" and request.path.startswith(url)),
                }
            )
    unread = 0
    user = getattr(request, "user", None)  # none on an error page rendered before authentication
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_unit": unit, "nav_links": links, "unread_notifications": unread}
