from typing import Any

from django.contrib import admin
from django.db import transaction

from friendlygov.core.calendar import calendar_changed
from friendlygov.core.models import WorkingDaySwap


@admin.register(WorkingDaySwap)
class WorkingDaySwapAdmin(admin.ModelAdmin[WorkingDaySwap]):
    list_display = ["date", "is_working_day", "reason"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"

    # Figures kept from working-day counts (the 5.2 verdicts of feedback) count again in the same
    # transaction as the change of the calendar.
    @transaction.atomic
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        calendar_changed()

    @transaction.atomic
    def delete_model(self, request: Any, obj: Any) -> None:
        super().delete_model(request, obj)
        calendar_changed()

    @transaction.atomic
    def delete_queryset(self, request: Any, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        calendar_changed()
