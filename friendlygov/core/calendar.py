"""The Vietnamese working calendar used everywhere: the `holidays` package plus the swaps in the database."""

from __future__ import annotations

from friendlygov.core.models import WorkingDaySwap
from friendlygov.rules.schedule import WorkingCalendar


def working_calendar() -> WorkingCalendar:
    """A fresh calendar (not thread-safe, so one per request or job) with the administrator's swaps applied."""
    swaps = dict(WorkingDaySwap.objects.values_list("date", "is_working_day"))
    return WorkingCalendar(swaps=swaps)
