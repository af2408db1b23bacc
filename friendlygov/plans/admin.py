"""Read-mostly admin views of the plans area (changes go through the pages, which check access and audit)."""

from __future__ import annotations

from django.contrib import admin

from friendlygov.audit.admin import ChangeStampedAdmin
from friendlygov.plans.models import Obstacle, Occurrence, Plan, Task


@admin.register(Plan)
class PlanAdmin(ChangeStampedAdmin[Plan]):
    list_display = ("title", "unit", "start_year", "end_year", "revision", "is_current")
    list_filter = ("is_current", "unit")
    search_fields = ("title", "number")
    readonly_fields = ("revises", "revision", "is_current", "version", "occurrences_through")


@admin.register(Task)
class TaskAdmin(ChangeStampedAdmin[Task]):
    list_display = ("number", "plan", "lead_body", "time_phrase", "weight", "is_active")
    list_filter = ("is_active",)
    search_fields = ("text", "number")


@admin.register(Occurrence)
class OccurrenceAdmin(ChangeStampedAdmin[Occurrence]):
    list_display = ("task", "period", "due", "kind", "status", "percent", "orphaned")
    list_filter = ("status", "kind", "orphaned", "year")
    date_hierarchy = "due"


@admin.register(Obstacle)
class ObstacleAdmin(ChangeStampedAdmin[Obstacle]):
    list_display = ("text", "unit", "reported_by_body", "status", "created_at")
    list_filter = ("status",)
