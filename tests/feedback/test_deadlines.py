"""Deadlines in working days from the state history: clock stop, Tết, reopening, overdue."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from friendlygov.feedback.deadlines import Step, deadlines_for, is_on_time, record_for, waiting_working_days
from friendlygov.rules.schedule import WorkingCalendar
from friendlygov.rules.service_index import feedback_item_on_time

CAL = WorkingCalendar()
D = dt.date


def test_plain_deadline_is_fifteen_working_days() -> None:
    # Monday 2026-03-02 + 15 working days = Monday 2026-03-23
    status = deadlines_for(
        received=D(2026, 3, 2), steps=[], current_type="open", today=D(2026, 3, 2), calendar=CAL
    )
    assert status.handle_by == D(2026, 3, 23)
    assert status.reject_by == D(2026, 3, 4)
    assert status.request_more_by == D(2026, 3, 9)
    assert status.remaining == 15 and not status.overdue and not status.due_soon


def test_tet_is_not_counted() -> None:
    # Received Friday 13/02/2026; Tết holidays 16–20/02 are not working days.
    status = deadlines_for(
        received=D(2026, 2, 13), steps=[], current_type="open", today=D(2026, 2, 20), calendar=CAL
    )
    assert status.elapsed == 0
    assert status.handle_by == D(2026, 3, 13)  # would be 06/03 without Tết
    assert status.reject_by == D(2026, 2, 24)


def test_clock_stops_while_waiting_for_the_citizen() -> None:
    received = D(2026, 3, 2)  # Monday
    steps = [Step(D(2026, 3, 3), "in_progress"), Step(D(2026, 3, 4), "waiting_citizen")]
    waiting = deadlines_for(
        received=received, steps=steps, current_type="waiting_citizen", today=D(2026, 3, 27), calendar=CAL
    )
    assert waiting.paused and waiting.handle_by is None
    assert waiting.elapsed == 2 and waiting.remaining == 13 and not waiting.overdue
    # The citizen answers on Monday 30/03: 18 working days after 04/03 are deducted.
    steps.append(Step(D(2026, 3, 30), "in_progress"))
    resumed = deadlines_for(
        received=received, steps=steps, current_type="in_progress", today=D(2026, 3, 30), calendar=CAL
    )
    assert resumed.waiting_days == 18
    assert resumed.elapsed == 2
    assert resumed.handle_by == CAL.add_working_days(received, 15 + 18)
    assert CAL.working_days_between(D(2026, 3, 30), resumed.handle_by) == 13


def test_overdue_after_fifteen_working_days() -> None:
    received = D(2026, 3, 2)
    on_day_15 = deadlines_for(
        received=received, steps=[], current_type="in_progress", today=D(2026, 3, 23), calendar=CAL
    )
    assert not on_day_15.overdue and on_day_15.due_soon and on_day_15.remaining == 0
    day_16 = deadlines_for(
        received=received, steps=[], current_type="in_progress", today=D(2026, 3, 24), calendar=CAL
    )
    assert day_16.overdue and day_16.remaining == -1
    answered = deadlines_for(
        received=received,
        steps=[Step(D(2026, 3, 20), "answered")],
        current_type="answered",
        today=D(2026, 4, 30),
        calendar=CAL,
    )
    assert not answered.overdue and not answered.pending


def test_asking_for_more_after_five_working_days_is_overdue() -> None:
    received = D(2026, 3, 2)
    steps = [Step(D(2026, 3, 10), "waiting_citizen"), Step(D(2026, 3, 11), "in_progress")]  # 6 working days
    status = deadlines_for(
        received=received, steps=steps, current_type="in_progress", today=D(2026, 3, 12), calendar=CAL
    )
    assert status.overdue


def test_reopening_starts_a_new_cycle_but_five_two_judges_the_first() -> None:
    received = D(2026, 3, 2)
    steps = [
        Step(D(2026, 3, 3), "in_progress"),
        Step(D(2026, 3, 10), "answered"),
        Step(D(2026, 4, 1), "open", kind="reopen"),
    ]
    status = deadlines_for(
        received=received, steps=steps, current_type="open", today=D(2026, 4, 2), calendar=CAL
    )
    assert status.start == D(2026, 4, 1) and status.elapsed == 1
    record = record_for(
        reference="X",
        received=received,
        steps=steps,
        as_of=D(2026, 4, 30),
        calendar=CAL,
        published_on=None,
        satisfied=None,
    )
    assert record.handled == D(2026, 3, 10)
    assert is_on_time(record, D(2026, 4, 30), CAL)


def test_record_reports_rejection_request_and_waiting() -> None:
    steps = [
        Step(D(2026, 3, 3), "waiting_citizen"),
        Step(D(2026, 3, 6), "in_progress"),
        Step(D(2026, 3, 12), "answered"),
    ]
    record = record_for(
        reference="X",
        received=D(2026, 3, 2),
        steps=steps,
        as_of=D(2026, 3, 31),
        calendar=CAL,
        published_on=D(2026, 3, 13),
        satisfied=True,
    )
    assert record.more_info_requested == D(2026, 3, 3)
    assert record.waiting_working_days == 3
    assert record.published == D(2026, 3, 13) and record.satisfied is True
    late_publish = record_for(
        reference="X",
        received=D(2026, 3, 2),
        steps=steps,
        as_of=D(2026, 3, 31),
        calendar=CAL,
        published_on=D(2026, 3, 18),
        satisfied=None,
    )
    assert not is_on_time(late_publish, D(2026, 3, 31), CAL)
    rejected = record_for(
        reference="X",
        received=D(2026, 3, 2),
        steps=[Step(D(2026, 3, 5), "rejected")],
        as_of=D(2026, 3, 31),
        calendar=CAL,
        published_on=None,
        satisfied=None,
    )
    assert rejected.rejected == D(2026, 3, 5) and not is_on_time(rejected, D(2026, 3, 31), CAL)


def test_waiting_is_clipped_at_as_of() -> None:
    steps = [Step(D(2026, 3, 3), "waiting_citizen"), Step(D(2026, 3, 20), "in_progress")]
    assert waiting_working_days("open", steps, D(2026, 3, 6), CAL) == 3
    assert waiting_working_days("open", steps, D(2026, 3, 31), CAL) == 13


TYPES = ["in_progress", "waiting_citizen"]


@settings(max_examples=200, deadline=None)
@given(
    received_offset=st.integers(0, 60),
    moves=st.lists(st.tuples(st.integers(0, 12), st.sampled_from(TYPES)), max_size=5),
    today_offset=st.integers(0, 40),
)
def test_overdue_agrees_with_the_pure_rule_for_pending_items(
    received_offset: int, moves: list[tuple[int, str]], today_offset: int
) -> None:
    received = D(2026, 1, 5) + dt.timedelta(days=received_offset)
    day, steps = received, []
    for gap, state_type in moves:
        day = day + dt.timedelta(days=gap)
        steps.append(Step(day, state_type))
    today = max(day, received) + dt.timedelta(days=today_offset)
    current = steps[-1].to_type if steps else "open"
    status = deadlines_for(received=received, steps=steps, current_type=current, today=today, calendar=CAL)
    record = record_for(
        reference="X",
        received=received,
        steps=steps,
        as_of=today,
        calendar=CAL,
        published_on=None,
        satisfied=None,
    )
    assert status.overdue == (not feedback_item_on_time(record, today, CAL.working_days_between))
