from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from friendlygov.audit.models import AuditEvent
from friendlygov.audit.selectors import unit_history
from friendlygov.org import access


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def unit_history_view(request: HttpRequest, slug: str) -> HttpResponse:
    unit = access.get_unit_for(request.user, slug)
    request.current_unit = unit  # type: ignore[attr-defined]
    filters = {
        "object_type": request.GET.get("type", ""),
        "actor_query": request.GET.get("actor", "").strip(),
        "action": request.GET.get("action", ""),
        "date_from": _date(request.GET.get("from", "")),
        "date_to": _date(request.GET.get("to", "")),
    }
    events = unit_history(unit_id=unit.pk, **filters)  # type: ignore[arg-type]
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    types = (
        AuditEvent.objects.filter(unit_id=unit.pk)
        .values_list("object_type", flat=True)
        .distinct()
        .order_by("object_type")
    )
    return render(
        request,
        "audit/unit_history.html",
        {
            "unit": unit,
            "page": page,
            "types": list(types),
            "actions": AuditEvent.Action.choices,
            "f": request.GET,
        },
    )
