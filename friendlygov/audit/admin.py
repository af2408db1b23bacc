from typing import Any, TypeVar

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from friendlygov.audit.models import AuditEvent
from friendlygov.audit.services import renew_stamps


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the log can be searched, never changed."""

    list_display = ["at", "actor_name", "unit_id", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


_M = TypeVar("_M", bound=Model)


class ChangeStampedAdmin(admin.ModelAdmin[_M]):
    """An administrator's page that changes business data outside the domain functions: each save or
    deletion renews the :data:`~friendlygov.audit.models.EVERYTHING` stamp in the admin's transaction, so
    that nothing computed before it (the city's kept standings) is read as current."""

    def save_model(self, request: Any, obj: _M, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        renew_stamps(scopes=[None])

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        renew_stamps(scopes=[None])

    def delete_model(self, request: Any, obj: _M) -> None:
        super().delete_model(request, obj)
        renew_stamps(scopes=[None])

    def delete_queryset(self, request: Any, queryset: QuerySet[_M]) -> None:
        with transaction.atomic():  # the admin's bulk deletion runs outside a transaction of its own
            super().delete_queryset(request, queryset)
            renew_stamps(scopes=[None])
