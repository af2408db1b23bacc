"""A working calendar asks the holidays package once per day; its answers are the same as a fresh one's,
and a changed swap is seen by the next calendar (one is made per request or job)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

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


def _walked(calendar: WorkingCalendar, start: date, end: date) -> int:
    """The definition, day by day: working days in (start, end], or minus those in [end, start)."""
    if end >= start:
        days = [start + timedelta(days=n) for n in range(1, (end - start).days + 1)]
        return sum(calendar.is_working_day(d) for d in days)
    days = [end + timedelta(days=n) for n in range((start - end).days)]
    return -sum(calendar.is_working_day(d) for d in days)


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 12, 31)),
    span=st.integers(min_value=-800, max_value=800),
    swaps=st.dictionaries(
        st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 12, 31)), st.booleans(), max_size=6
    ),
)
def test_counting_between_two_dates_equals_walking_the_days(
    start: date, span: int, swaps: dict[date, bool]
) -> None:
    # counted from each year's running totals; across year ends, backwards, with swaps on either side
    calendar = WorkingCalendar(swaps)
    end = start + timedelta(days=span)
    assert calendar.working_days_between(start, end) == _walked(WorkingCalendar(swaps), start, end)
    assert calendar.working_days_between(start, calendar.add_working_days(start, span // 10)) == span // 10


def test_counting_reaches_the_last_representable_day() -> None:
    calendar = WorkingCalendar()
    last = date(9999, 12, 31)
    assert calendar.working_days_between(last - timedelta(days=10), last) == _walked(
        calendar, last - timedelta(days=10), last
    )
    assert calendar.working_days_between(last, date(9999, 12, 20)) == _walked(
        calendar, last, date(9999, 12, 20)
    )
