from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from friendlygov.core.navigation import UNIT_AREAS


def shell(request: HttpRequest) -> dict[str, Any]:
    """Navigation for the unit the page is about (views put it in `request.current_unit`)."""
    unit = getattr(request, "current_unit", None)
    links = []
    if unit is not None and not unit.is_city:
        for area in UNIT_AREAS:
            try:
                url = reverse(area.url_name, kwargs={"slug": unit.slug})
            except NoReverseMatch:
                continue
            links.append({"key": area.key, "label": area.label, "url": url, "active": request.path == url or (area.key != "home" and request.path.startswith(url))})
    unread = 0
    if request.user.is_authenticated:
        unread = request.user.notifications.filter(read_at__isnull=True).count()
    return {"nav_unit": unit, "nav_links": links, "unread_notifications": unread}
