"""Writing the audit log. Domain functions call these inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils import translation

from friendlygov.audit.models import EVERYTHING, SYSTEM_ACTOR, AuditEvent, ChangeStamp

if TYPE_CHECKING:
    from friendlygov.org.access import Actor

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or None
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> Snapshot:
    """The audited values of an object: concrete fields by default, foreign keys as ids."""
    names = (
        list(fields)
        if fields is not None
        else [
            f.attname for f in obj._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")
        ]
    )
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _actor_fields(actor: Actor | AnonymousUser | None) -> dict[str, Any]:
    if actor is None or not actor.is_authenticated:
        return {"actor": None, "actor_name": getattr(actor, "audit_name", "") or SYSTEM_ACTOR}
    return {"actor": actor, "actor_name": actor.get_full_name() or actor.get_username()}


def record(
    *,
    actor: Actor | AnonymousUser | None,
    unit_id: int | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    if action in _CHANGES:
        renew_stamps(scopes=[unit_id])
    if object_repr is None:
        with translation.override("vi"):  # the log is kept in Vietnamese whatever the reader's language
            object_repr = str(obj) if obj is not None else ""
    return AuditEvent.objects.create(
        **_actor_fields(actor),
        unit_id=unit_id,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(object_id if object_id is not None else (obj.pk if obj is not None else "")),
        object_repr=object_repr[:300],
        changes=changes or {},
        note=note,
    )


#: The recorded actions that change data (a login or a look at personal data changes nothing).
_CHANGES = frozenset(
    {
        AuditEvent.Action.CREATE,
        AuditEvent.Action.UPDATE,
        AuditEvent.Action.DELETE,
        AuditEvent.Action.TRANSITION,
    }
)


def renew_stamps(*, scopes: Iterable[int | None]) -> None:
    """Renew the :class:`ChangeStamp` of each unit id in ``scopes`` (None: :data:`EVERYTHING`), in the
    caller's transaction: one statement, the scopes in order. Called by :func:`record` for every change it
    logs, and by the writes the log does not hold one by one (the kept counts of citizens' answers, an
    import). Lock order: a write renews its unit's stamp before it writes the kept counts (two writes in one
    unit then wait for each other instead of deadlocking)."""
    wanted = sorted({EVERYTHING if scope is None else scope for scope in scopes})
    if wanted:
        ChangeStamp.objects.bulk_create(
            [ChangeStamp(scope=scope, token=uuid.uuid4()) for scope in wanted],
            update_conflicts=True,
            unique_fields=["scope"],
            update_fields=["token"],
        )


def record_create(
    *, actor: Actor | AnonymousUser | None, unit_id: int | None, obj: models.Model, note: str = ""
) -> AuditEvent:
    after = snapshot(obj)
    return record(
        actor=actor,
        unit_id=unit_id,
        action=AuditEvent.Action.CREATE,
        obj=obj,
        changes={k: [None, v] for k, v in after.items() if v not in (None, "", [], {})},
        note=note,
    )


def record_update(
    *,
    actor: Actor | AnonymousUser | None,
    unit_id: int | None,
    obj: models.Model,
    before: Snapshot,
    note: str = "",
) -> AuditEvent | None:
    """Record the fields that changed since `before`; nothing when nothing changed."""
    changes = diff(before, snapshot(obj, before.keys()))
    if not changes and not note:
        # nothing to log among the fields the caller snapshot, but the write happened: what was computed
        # from the unit's data is renewed all the same (a field outside the snapshot may have changed)
        renew_stamps(scopes=[unit_id])
        return None
    return record(
        actor=actor, unit_id=unit_id, action=AuditEvent.Action.UPDATE, obj=obj, changes=changes, note=note
    )


def record_delete(
    *, actor: Actor | AnonymousUser | None, unit_id: int | None, obj: models.Model, note: str = ""
) -> AuditEvent:
    before = snapshot(obj)
    return record(
        actor=actor,
        unit_id=unit_id,
        action=AuditEvent.Action.DELETE,
        obj=obj,
        changes={k: [v, None] for k, v in before.items() if v not in (None, "", [], {})},
        note=note,
    )


def record_transition(
    *,
    actor: Actor | AnonymousUser | None,
    unit_id: int | None,
    obj: models.Model,
    field: str,
    old: Any,
    new: Any,
    note: str = "",
) -> AuditEvent:
    return record(
        actor=actor,
        unit_id=unit_id,
        action=AuditEvent.Action.TRANSITION,
        obj=obj,
        changes={field: [_plain(old), _plain(new)]},
        note=note,
    )
