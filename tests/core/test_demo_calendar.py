"""The demo is true on any date from 2026 to 2031: Thanh Miện is where a commune keeping to the programme's
calendar would be, nothing done is dated after today, the plan agrees with the cycle's events, and the official
documents carry no placeholder or draft-only text."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.utils import timezone

from friendlygov.rules.programme import Step, programme_stage

DATES = [
    dt.date(2026, 1, 10),  # the cycle is open, the registration not yet sent
    dt.date(2026, 3, 20),  # registered, self-scoring
    dt.date(2026, 11, 15),  # submitted
    dt.date(2026, 12, 20),  # appraised, rewards decided
    dt.date(2027, 6, 5),  # the mid-term review's year, before it opens
    dt.date(2030, 12, 20),  # recognised, the final review issued
    dt.date(2031, 3, 1),  # after the plan: every year from the pilot complete
]
# The demo is loaded once per date (seconds each): the dates from LATER on are checked by
# test_demo_calendar_later.py, so that the two halves can run on two workers at once.
LATER = 4

PLACEHOLDERS = [
    "giả định",
    "số liệu mẫu",
    "chưa quét",
    "xxx",
    "HP-5049",
    "tạm thời",
    "thanh-mien",
    "hai-phong",
]

# Dates that are deadlines or plans, not records of something done (they may lie after today).
PLANNED = {
    ("assessments", "cycle", "registration_deadline"),
    ("assessments", "cycle", "submission_deadline"),
    ("assessments", "cycle", "appraisal_deadline"),
    ("assessments", "criteriasetversion", "effective_from"),
    ("plans", "occurrence", "due"),
    ("plans", "occurrence", "window_start"),
    ("dossiers", "dossier", "appointment"),
    ("dossiers", "dossier", "deadline"),
    ("surveys", "dossiercount", "end"),
    ("operations", "conference", "held_on"),  # checked below: only a scheduled conference
}


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _our_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("friendlygov.")]


def _existing() -> dict[type[models.Model], set[Any]]:
    """The rows there before the demo (the migrations' data, made on the real date)."""
    return {m: set(m._default_manager.values_list("pk", flat=True)) for m in _our_models()}


def _future_records(today: dt.date, before: dict[type[models.Model], set[Any]]) -> list[str]:
    now = timezone.now()
    found = []
    for model in _our_models():
        for field in model._meta.concrete_fields:
            key = (model._meta.app_label, model._meta.model_name, field.name)
            if key in PLANNED:
                continue
            if isinstance(field, models.DateTimeField):
                limit: Any = now
            elif isinstance(field, models.DateField):
                limit = today
            else:
                continue
            rows = model._default_manager.filter(**{f"{field.name}__gt": limit}).exclude(pk__in=before[model])
            if rows.exists():
                found.append(f"{'.'.join(key)}: {list(rows.values_list(field.name, flat=True)[:3])}")
    return found


def _document_text(kind: str, unit: Any, year: int) -> str:
    from friendlygov.documents import builders

    context = builders.template_context(builders.build(kind, unit, year), unit, kind, year)
    context.pop("don_vi")  # the template's data about the unit (its slug is for template authors)
    return json.dumps(context, ensure_ascii=False, default=str)


@pytest.mark.parametrize("today", DATES[:LATER], ids=[d.isoformat() for d in DATES[:LATER]])
def test_the_demo_on_any_date(db: Any, today: dt.date) -> None:
    check_the_demo_on(today)


def check_the_demo_on(today: dt.date) -> None:
    """Load the demo at 9:00 on ``today`` and check it against the programme's calendar."""
    from friendlygov.assessments.models import Cycle, Recognition, Registration
    from friendlygov.core.demo import load_demo
    from friendlygov.operations.models import Conference, ProgrammeReview, RewardDecision
    from friendlygov.plans.demo import EVENT_OF_TASK
    from friendlygov.plans.models import CycleEvent, Occurrence

    with time_machine.travel(_moment(today), tick=False):
        before = _existing()
        context = load_demo()
        unit = context.unit
        stage = programme_stage(today)
        events = stage.events

        # this year's cycle: the plan's deadlines, at the stage the calendar says
        cycle = Cycle.objects.get(unit=unit, year=today.year)
        assert (cycle.registration_deadline, cycle.submission_deadline, cycle.appraisal_deadline) == (
            dt.date(today.year, 2, 15),
            dt.date(today.year, 11, 12),
            dt.date(today.year, 12, 31),
        )
        registration = Registration.objects.filter(cycle=cycle).first()
        assert (registration is not None) == stage.reached(Step.REGISTERED)
        if registration is not None:
            assert timezone.localtime(registration.registered_at).date() == events.registered
            assert registration.status == Registration.Status.ACCEPTED
        # self-scoring through the year: the measured criteria stand accepted from the year's records
        # (dossiers, feedback, villages' reviews, communication work), also in what the submission froze
        from friendlygov.assessments.criteria import parsed
        from friendlygov.assessments.models import ScoreEntry

        measured = {leaf.code for leaf in parsed(cycle.criteria_set).leaves() if leaf.source}
        accepted = set(
            ScoreEntry.objects.filter(cycle=cycle, from_source=True)
            .exclude(value="")
            .values_list("criterion_code", flat=True)
        )
        if stage.reached(Step.SUBMITTED):  # the unit's own records (the city's PAR INDEX comes later)
            assert {"1.1.1", "1.1.2", "1.1.3", "4.1", "5.1", "5.2", "5.3"} <= accepted <= measured, accepted
        elif stage.reached(Step.REGISTERED):
            assert accepted and accepted <= measured, accepted
        else:
            assert accepted == set()
        assert (cycle.submitted_at is not None) == stage.reached(Step.SUBMITTED)
        if cycle.submitted_at is not None:
            assert (
                timezone.localtime(cycle.submitted_at).date() == events.submitted <= cycle.submission_deadline
            )
        assert bool(cycle.final_result) == stage.reached(Step.APPRAISED)
        assert Recognition.objects.filter(cycle=cycle).exists() == stage.reached(Step.RECOGNISED)
        assert RewardDecision.objects.filter(unit=unit, year=today.year).exists() == stage.reached(
            Step.REWARDED
        )

        # every year before, from the 2025 pilot, recognised on time
        assert stage.complete_years[0] == 2025 and stage.complete_years[-1] == today.year - 1
        for year in stage.complete_years:
            done = Cycle.objects.get(unit=unit, year=year)
            assert done.status == Cycle.Status.RECOGNISED, year
            recognition = Recognition.objects.get(cycle=done)
            assert recognition.decision_date <= dt.date(year, 12, 31)

        # the reviews of 2027 and 2030 once their year has come
        for year, kind in ((2027, "midterm"), (2030, "final")):
            review = ProgrammeReview.objects.filter(unit=unit, kind=kind, year=year).first()
            opened = year < today.year or (year == today.year and stage.review_opened)
            assert (review is not None) == opened
            if review is not None:
                issued = year < today.year or stage.review_issued
                assert (review.status == ProgrammeReview.Status.COMPLETED) == issued
                if issued and year == today.year:  # issued after the year's appraisal: it read the cycle so
                    assert "registered" not in json.dumps(review.snapshot), review.snapshot

        # nothing done is dated after today (deadlines and a scheduled conference may be)
        assert _future_records(today, before) == []
        assert (
            not Conference.objects.filter(held_on__gt=today)
            .exclude(status=Conference.Status.SCHEDULED)
            .exists()
        )

        # the plan agrees with the events: done where the event happened, late only where nobody reported
        for occurrence in Occurrence.objects.filter(task__plan=context.extra["plan"]).select_related("task"):
            event = EVENT_OF_TASK.get(occurrence.task.number)
            if event is not None:
                day = getattr(programme_stage(dt.date(occurrence.year, 12, 31)).events, event)
                assert (occurrence.status == Occurrence.Status.DONE) == (day is not None and day <= today), (
                    occurrence
                )
                assert not occurrence.is_late(today), occurrence
        # the cycle's events the plan records are dated on their day of the calendar, in their own year
        for event in CycleEvent.objects.filter(unit=unit).exclude(kind="service_figures_imported"):
            assert event.happened_on.year == event.year, (event.kind, event.year, event.happened_on)
        for event in CycleEvent.objects.filter(
            unit=unit, kind__in=("target_registered", "self_assessment_submitted")
        ):
            expected = programme_stage(dt.date(event.year, 12, 31)).events
            wanted = expected.registered if event.kind == "target_registered" else expected.submitted
            assert event.happened_on == wanted, (event.kind, event.year)
        late = [o for o in Occurrence.objects.filter(unit=unit) if o.is_late(today)]
        assert all(o.kind == Occurrence.Kind.CHECK_IN for o in late) and len(late) <= 1, late

        # the official documents carry no placeholder or draft-only text
        for kind, year in (
            ("self_assessment", today.year),
            ("self_assessment", today.year - 1),
            ("submission", today.year - 1),
            ("registration", today.year),
            ("annual_report", today.year - 1),
            ("annual_report", today.year),
            ("joint_minutes", today.year - 1),  # the previous year has every document of the cycle
            ("reward_decision", today.year - 1),
        ):
            text = _document_text(kind, unit, year)
            assert [p for p in PLACEHOLDERS if p in text.lower()] == [], (kind, year)
