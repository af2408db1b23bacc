from django.contrib import admin

from friendlygov.core.models import WorkingDaySwap


@admin.register(WorkingDaySwap)
class WorkingDaySwapAdmin(admin.ModelAdmin[WorkingDaySwap]):
    list_display = ["date", "is_working_day", "reason"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
