from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from friendlygov.audit.models import AuditEvent


def unit_history(
    *,
    unit_id: int,
    object_type: str = "",
    actor_query: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(unit_id=unit_id)
    if object_type:
        events = events.filter(object_type=object_type)
    if action:
        events = events.filter(action=action)
    if actor_query:
        events = events.filter(actor_name__icontains=actor_query)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events


def object_history(*, obj_type: str, obj_id: int | str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=obj_type, object_id=str(obj_id))
