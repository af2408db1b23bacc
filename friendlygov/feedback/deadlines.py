"""Deadlines of a feedback item, computed from its state history and the working calendar (QĐ 766, 5.2).

Time limits in working days (``friendlygov.rules.service_index``): refuse within 2, ask the citizen for
more within 5, handle within 15 of receipt, publish within 2 after handling when the answer is published.
The clock stops while the item waits for the citizen: the working days after the day it entered a
"waiting for the citizen" state up to and including the day it left it are deducted.

A reopening by the citizen starts a new handling cycle counted from the day of reopening; the 5.2 figure
judges the first cycle (the original request), the staff's deadline display the current one.

Plain Python over plain values (the events as :class:`Step`), so the rules can be tested without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from friendlygov.rules.schedule import WorkingCalendar
from friendlygov.rules.service_index import (
    FEEDBACK_HANDLE_DAYS,
    FEEDBACK_REJECT_DAYS,
    FEEDBACK_REQUEST_MORE_DAYS,
    FeedbackRecord,
    feedback_item_on_time,
)

WAITING = "waiting_citizen"
REJECTED = "rejected"
HANDLED_TYPES = ("answered", "closed")
PENDING_TYPES = ("open", "in_progress", "waiting_citizen")
REOPEN = "reopen"

#: "due soon": at most this many working days left.
DUE_SOON_DAYS = 3


@dataclass(frozen=True)
class Step:
    """One history entry as the clock sees it: the day, and the state type entered (if it changed)."""

    on: dt.date
    to_type: str = ""
    kind: str = "transition"


@dataclass(frozen=True)
class Deadlines:
    """The staff's view of the current handling cycle at `today`."""

    start: dt.date  # receipt, or the day of reopening
    reject_by: dt.date
    request_more_by: dt.date
    handle_by: dt.date | None  # None while the clock is stopped (waiting for the citizen)
    elapsed: int  # working days counted so far (waiting deducted)
    remaining: int  # working days left to handle (negative when overdue)
    waiting_days: int
    paused: bool
    pending: bool
    overdue: bool
    due_soon: bool


def _cycles(received: dt.date, steps: Sequence[Step]) -> list[tuple[dt.date, list[Step]]]:
    cycles: list[tuple[dt.date, list[Step]]] = [(received, [])]
    for step in steps:
        if step.kind == REOPEN:
            cycles.append((step.on, [step]))
        else:
            cycles[-1][1].append(step)
    return cycles


def waiting_working_days(
    start_type: str, steps: Sequence[Step], as_of: dt.date, calendar: WorkingCalendar
) -> int:
    """Working days the clock was stopped up to `as_of`: each stay in a waiting state counts the working
    days after the day it began up to and including the day it ended (or `as_of`)."""
    total = 0
    waiting_since: dt.date | None = None
    current = start_type
    for step in steps:
        if step.on > as_of:
            break
        if not step.to_type or step.to_type == current:
            continue
        if step.to_type == WAITING and current != WAITING:
            waiting_since = step.on
        elif current == WAITING and waiting_since is not None:
            total += calendar.working_days_between(waiting_since, step.on)
            waiting_since = None
        current = step.to_type
    if current == WAITING and waiting_since is not None:
        total += calendar.working_days_between(waiting_since, as_of)
    return total


def _first(steps: Iterable[Step], types: Sequence[str], as_of: dt.date | None = None) -> dt.date | None:
    for step in steps:
        if as_of is not None and step.on > as_of:
            return None
        if step.to_type in types:
            return step.on
    return None


def record_for(
    *,
    reference: str,
    received: dt.date,
    steps: Sequence[Step],
    as_of: dt.date,
    calendar: WorkingCalendar,
    published_on: dt.date | None,
    satisfied: bool | None,
) -> FeedbackRecord:
    """The 5.2/5.3 record of an item's first handling cycle, as known at `as_of`.

    An answer that was never published is not held to the publication limit (the rule applies to
    answers that are published): its publication day is taken as its handling day.
    """
    first_cycle = _cycles(received, steps)[0][1]
    rejected = _first(first_cycle, (REJECTED,))
    handled = _first(first_cycle, HANDLED_TYPES)
    published = published_on if published_on is not None else handled
    return FeedbackRecord(
        reference=reference,
        received=received,
        rejected=rejected,
        more_info_requested=_first(first_cycle, (WAITING,)),
        handled=handled,
        published=published,
        waiting_working_days=waiting_working_days("open", first_cycle, as_of, calendar),
        satisfied=satisfied,
    )


def is_on_time(record: FeedbackRecord, as_of: dt.date, calendar: WorkingCalendar) -> bool:
    return feedback_item_on_time(record, as_of, calendar.working_days_between)


def deadlines_for(
    *, received: dt.date, steps: Sequence[Step], current_type: str, today: dt.date, calendar: WorkingCalendar
) -> Deadlines:
    """Deadlines of the current cycle; overdue when still pending and more than 15 working days (waiting
    deducted) have passed, or when the first request for more information came after 5 working days."""
    start, cycle_steps = _cycles(received, steps)[-1]
    if current_type not in PENDING_TYPES:
        # Settled: nothing is due (and old items cost no day-by-day counting).
        return Deadlines(
            start=start,
            reject_by=calendar.add_working_days(start, FEEDBACK_REJECT_DAYS),
            request_more_by=calendar.add_working_days(start, FEEDBACK_REQUEST_MORE_DAYS),
            handle_by=None,
            elapsed=0,
            remaining=0,
            waiting_days=0,
            paused=False,
            pending=False,
            overdue=False,
            due_soon=False,
        )
    start_type = "open"
    waiting = waiting_working_days(start_type, cycle_steps, today, calendar)
    elapsed = max(calendar.working_days_between(start, today) - waiting, 0)
    pending = current_type in PENDING_TYPES
    paused = current_type == WAITING
    remaining = FEEDBACK_HANDLE_DAYS - elapsed
    handle_by = None if paused else calendar.add_working_days(start, FEEDBACK_HANDLE_DAYS + waiting)
    asked = _first(cycle_steps, (WAITING,))
    asked_late = (
        asked is not None and calendar.working_days_between(start, asked) > FEEDBACK_REQUEST_MORE_DAYS
    )
    overdue = pending and (remaining < 0 or asked_late)
    return Deadlines(
        start=start,
        reject_by=calendar.add_working_days(start, FEEDBACK_REJECT_DAYS),
        request_more_by=calendar.add_working_days(start, FEEDBACK_REQUEST_MORE_DAYS),
        handle_by=handle_by,
        elapsed=elapsed,
        remaining=remaining,
        waiting_days=waiting,
        paused=paused,
        pending=pending,
        overdue=overdue,
        due_soon=pending and not overdue and not paused and remaining <= DUE_SOON_DAYS,
    )
