"""Append-only record of every change to business data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# the actor name kept for changes nobody made by hand (stored in Vietnamese, translated when shown)
SYSTEM_ACTOR = gettext_noop("hệ thống")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Tạo mới")
        UPDATE = "update", _("Sửa đổi")
        DELETE = "delete", _("Xóa")
        TRANSITION = "transition", _("Chuyển trạng thái")
        VIEW_PERSONAL = "view_personal", _("Xem dữ liệu cá nhân")
        LOGIN = "login", _("Đăng nhập")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    # The unit is recorded by id (not a foreign key) so that nothing in the org tree can cascade into the log.
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["unit_id", "-at"]), models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")

    @property
    def shown_actor_name(self) -> str:
        """The actor for the reader: the stored "hệ thống" of automatic changes in the reader's language,
        people's names as kept."""
        return gettext(SYSTEM_ACTOR) if self.actor_name == SYSTEM_ACTOR else self.actor_name

    @property
    def shown_note(self) -> str:
        """The note for the reader: the fixed notes the services write (marked with ``gettext_noop``) in the
        reader's language; what people wrote stays as written (it has no entry in the catalogue)."""
        return gettext(self.note) if self.note else ""


#: The scope of :class:`ChangeStamp` that every change without a unit (the calendar, the product's own
#: questionnaires and criteria sets, an administrator's edit) renews: whatever was read before it is old.
EVERYTHING = 0


class ChangeStamp(models.Model):
    """A token renewed in the transaction of every change to a unit's business data (``scope``: the unit's
    id; :data:`EVERYTHING` for changes without a unit): the audit log renews it for each change it records,
    the kept counts for each answer, dossier or feedback they count. What was computed from a unit's data
    under one token (and its parent's, and :data:`EVERYTHING`'s) is still right while the tokens are the
    same — how the city's table keeps the standings of open cycles (``assessments.LiveStanding``)."""

    scope = models.BigIntegerField(unique=True)
    token = models.UUIDField()

    def __str__(self) -> str:
        return f"{self.scope}: {self.token}"
