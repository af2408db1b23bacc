"""The programme's calendar: this year's step on a given day, the deadlines, the complete years."""

from __future__ import annotations

from datetime import date

import pytest

from friendlygov.rules.programme import Step, programme_stage, year_events
from friendlygov.rules.schedule import WorkingCalendar


@pytest.mark.parametrize(
    ("today", "step"),
    [
        (date(2026, 1, 10), Step.OPENED),
        (date(2026, 3, 20), Step.REGISTERED),
        (date(2026, 11, 4), Step.REGISTERED),
        (date(2026, 11, 15), Step.SUBMITTED),
        (date(2026, 12, 7), Step.APPRAISED),
        (date(2026, 12, 20), Step.REWARDED),
        (date(2026, 12, 23), Step.RECOGNISED),
        (date(2026, 12, 31), Step.REPORTED),
        (date(2027, 6, 5), Step.REGISTERED),
        (date(2030, 12, 20), Step.RECOGNISED),  # 22/12/2030 is a Sunday
        (date(2031, 3, 1), Step.REGISTERED),
    ],
)
def test_stage_of_the_year(today: date, step: Step) -> None:
    stage = programme_stage(today)
    assert stage.year == today.year
    assert stage.step == step
    assert stage.complete_years == tuple(range(2025, today.year))


@pytest.mark.parametrize("year", range(2025, 2032))
def test_every_step_is_a_working_day_in_order_and_before_its_deadline(year: int) -> None:
    calendar = WorkingCalendar()
    events = year_events(year, calendar)
    days = [events.registered, events.accepted, events.village_reviews, events.submitted, events.appraised]
    days += [events.rewarded, events.recognised, events.reported]
    assert all(calendar.is_working_day(day) for day in days)
    assert days == sorted(days) and len(set(days)) == len(days)
    assert events.accepted < events.registration_due == date(year, 2, 15)
    assert events.submitted < events.submission_due == date(year, 11, 12)
    assert events.recognised <= events.appraisal_due == date(year, 12, 31)
    assert events.rewarded.month == events.reported.month == 12
    assert events.budget < events.village_reviews


def test_reviews_in_2027_and_2030_only() -> None:
    assert year_events(2027).review_kind == "midterm" and year_events(2030).review_kind == "final"
    assert all(year_events(y).review_kind is None for y in (2026, 2028, 2029, 2031))
    assert not programme_stage(date(2027, 6, 5)).review_opened
    stage = programme_stage(date(2030, 12, 20))
    assert stage.review_opened and stage.review_issued
    assert not programme_stage(date(2026, 12, 31)).review_opened
