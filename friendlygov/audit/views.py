from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from friendlygov.audit.models import AuditEvent
from friendlygov.audit.selectors import object_type_label, readable_changes, unit_history
from friendlygov.kit.params import date_param
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest


@login_required
def unit_history_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = access.get_unit_for(request.user, slug)
    request.current_unit = unit  # type: ignore[attr-defined]
    events = unit_history(
        unit_id=unit.pk,
        object_type=request.GET.get("type", ""),
        actor_query=request.GET.get("actor", "").strip(),
        action=request.GET.get("action", ""),
        date_from=date_param(request.GET.get("from", "")),
        date_to=date_param(request.GET.get("to", "")),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = [
        (event, object_type_label(event.object_type), readable_changes(event)) for event in page.object_list
    ]
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
            "rows": rows,
            "types": [(t, object_type_label(t)) for t in types],
            "actions": AuditEvent.Action.choices,
            "f": request.GET,
        },
    )
