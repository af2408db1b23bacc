"""A working calendar asks the holidays package once per day; its answers are the same as a fresh one's,
and a changed swap is seen by the next calendar (one is made per request or job)."""

from __future__ import annotations

from datetime import date, timedelta

from friendlygov.rules.schedule import WorkingCalendar


def test_answers_kept_per_day_equal_a_fresh_calendar() -> None:
    swaps = {date(2026, 5, 2): True, date(2026, 5, 4): False}
    calendar = WorkingCalendar(swaps)
    days = [date(2026, 4, 1) + timedelta(days=n) for n in range(90)]
    first = [calendar.is_working_day(d) for d in days]
    again = [calendar.is_working_day(d) for d in days]
    assert first == again == [WorkingCalendar(swaps).is_working_day(d) for d in days]
    assert calendar.is_working_day(date(2026, 5, 2)) and not calendar.is_working_day(date(2026, 5, 4))
    assert calendar.working_days_between(date(2026, 4, 1), date(2026, 6, 29)) == sum(first[1:])


def test_a_changed_swap_is_seen_by_the_next_calendar() -> None:
    day = date(2026, 11, 2)  # a Monday
    assert WorkingCalendar().is_working_day(day)
    assert not WorkingCalendar({day: False}).is_working_day(day)
    assert WorkingCalendar({}).is_working_day(day)
