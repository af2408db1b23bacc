from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext

from friendlygov.audit.models import AuditEvent, ChangeStamp


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


# --------------------------------------------------------------------------- the log as people read it


@dataclass(frozen=True)
class ChangeLine:
    """One changed field of an audit event, named and valued as the forms show it."""

    field: str
    label: str
    old: str
    new: str


def _model(object_type: str) -> type[models.Model] | None:
    """The model an event names (`app_label.model`), or None for a type that no longer exists — the log
    outlives the code that wrote it, so its rows are still shown, by their stored names."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    return None


def _shown(field: models.Field[Any, Any] | None, value: Any) -> str:
    if value is None or value == "":
        return "∅"
    if isinstance(value, bool):
        return gettext("có") if value else gettext("không")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, (list, dict)):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return str(value)


def object_type_label(object_type: str) -> str:
    """The kind of record in the reader's language (the model's verbose name), else the stored name."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def readable_changes(event: AuditEvent) -> list[ChangeLine]:
    """An event's changes with each field's label and its values as people typed or chose them."""
    model = _model(event.object_type)
    lines = []
    for name, pair in (event.changes or {}).items():
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else name
        lines.append(ChangeLine(field=name, label=label, old=_shown(field, old), new=_shown(field, new)))
    return lines


def change_stamps(*, scopes: Iterable[int]) -> dict[int, str]:
    """The current :class:`~friendlygov.audit.models.ChangeStamp` token of each scope (a unit id, or
    :data:`~friendlygov.audit.models.EVERYTHING`), as text; a scope never changed has none."""
    return {
        scope: token.hex
        for scope, token in ChangeStamp.objects.filter(scope__in=sorted(set(scopes))).values_list(
            "scope", "token"
        )
    }
