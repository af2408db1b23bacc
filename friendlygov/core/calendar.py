"""The Vietnamese working calendar used everywhere: the `holidays` package plus the swaps in the database."""

from __future__ import annotations

from collections.abc import Callable

from friendlygov.core.models import WorkingDaySwap
from friendlygov.rules.schedule import WorkingCalendar

#: Called, inside the write's transaction, when the administrator changes the swaps (figures kept from
#: working-day counts count again).
_LISTENERS: list[Callable[[], object]] = []


def on_calendar_change(listener: Callable[[], object]) -> None:
    """Register ``listener`` (an area's ``ready``), called by :func:`calendar_changed`."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def calendar_changed() -> None:
    """The swaps changed (the administrator's page): tell every registered listener."""
    for listener in _LISTENERS:
        listener()


def working_calendar() -> WorkingCalendar:
    """A fresh calendar (not thread-safe, so one per request or job) with the administrator's swaps applied."""
    swaps = dict(WorkingDaySwap.objects.values_list("date", "is_working_day"))
    return WorkingCalendar(swaps=swaps)
