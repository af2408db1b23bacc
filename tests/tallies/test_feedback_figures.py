"""The kept feedback figures: 5.2 and 5.3 read from them equal a recount from the items' histories on the
same data — as the days pass with no write (pending items turn late, a year ends), and after the working
calendar changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from friendlygov.core.models import WorkingDaySwap
from friendlygov.feedback import selectors, services
from friendlygov.feedback.models import Channel, Feedback, StateType
from friendlygov.rules.service_index import feedback_on_time, feedback_satisfaction
from friendlygov.tallies import services as tallies
from tests.factories import World

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(3, 0), tzinfo=dt.UTC), tick=False)


def _record(world: World, received_on: dt.date, *, other: bool = False) -> Feedback:
    unit, actor = (world.other, world.outsider) if other else (world.unit, world.coordinator)
    return services.record_feedback(
        actor=actor,
        unit=unit,
        channel=Channel.PAPER,
        received_on=received_on,
        topic=Feedback.Topic.PROCEDURE,
        subject="Hướng dẫn thủ tục chưa rõ",
        content="Bảng niêm yết thành phần hồ sơ ở quầy bị mờ, tôi phải đi lại hai lần.",
    )


def _answer(world: World, item: Feedback, *, publish: bool = False) -> None:
    actor = world.outsider if item.unit_id == world.other.pk else world.coordinator
    services.answer_feedback(
        actor=actor,
        feedback=item,
        answer="Ủy ban đã chỉnh sửa bảng niêm yết thành phần hồ sơ tại quầy tiếp nhận.",
        publish=publish,
        public_summary="Bảng niêm yết bị mờ" if publish else "",
    )


def _assert_equal_a_recount(world: World) -> None:
    units = [world.unit, world.other]
    assert tallies.differences()["feedback"] == 0
    for year in (2025, 2026):
        kept = selectors.year_rates_of(units=units, year=year)
        records, as_of = selectors.feedback_records_of(units=units, year=year)
        calendar = selectors.working_calendar()
        for unit in units:
            on_time = feedback_on_time(records[unit.pk], as_of, calendar.working_days_between)
            assert (kept[unit.pk].on_time, kept[unit.pk].satisfaction, kept[unit.pk].as_of) == (
                on_time,
                feedback_satisfaction(records[unit.pk]),
                as_of,
            ), (year, unit.pk)


def _items(world: World) -> None:
    """Items of two years: answered in time and late, published, rated, refused, waiting, pending."""
    with at(dt.date(2025, 11, 20)):
        early = _record(world, dt.date(2025, 11, 18))
        late = _record(world, dt.date(2025, 10, 1), other=True)
        pending_last_year = _record(world, dt.date(2025, 11, 10))
        waiting = _record(world, dt.date(2025, 11, 19), other=True)
        _answer(world, early, publish=True)
        _answer(world, late)
        services.transition_feedback(
            actor=world.outsider,
            feedback=waiting,
            state=services.default_state(world.other, StateType.WAITING_CITIZEN),
            message="Đề nghị ông/bà bổ sung số hồ sơ.",
        )
        services.rate_feedback(feedback=Feedback.objects.get(pk=early.pk), satisfied=True)
        services.rate_feedback(feedback=Feedback.objects.get(pk=late.pk), satisfied=False)
    with at(dt.date(2026, 1, 6)):
        _answer(world, Feedback.objects.get(pk=pending_last_year.pk))
    with at(dt.date(2026, 11, 2)):
        refused = _record(world, dt.date(2026, 10, 28))
        services.transition_feedback(
            actor=world.coordinator,
            feedback=refused,
            state=services.default_state(world.unit, StateType.REJECTED),
            message="Không thuộc thẩm quyền của xã.",
        )
        _record(world, dt.date(2026, 10, 30))
        _record(world, dt.date(2026, 10, 5), other=True)


def test_kept_feedback_figures_equal_a_recount_as_the_days_pass(world: World) -> None:
    _items(world)
    # No write from here on: the pending items turn late, the year ends, the figures stay right.
    for day in (dt.date(2026, 11, 3), dt.date(2026, 11, 20), dt.date(2026, 12, 31), dt.date(2027, 1, 15)):
        with at(day):
            _assert_equal_a_recount(world)


def test_a_change_of_the_working_calendar_counts_the_verdicts_again(world: World) -> None:
    _items(world)
    with at(dt.date(2026, 11, 20)):
        swap_admin = admin.site._registry[WorkingDaySwap]
        swap = WorkingDaySwap(date=dt.date(2026, 11, 2), is_working_day=False, reason="Nghỉ bù")
        swap_admin.save_model(None, swap, None, False)
        _assert_equal_a_recount(world)
        swap_admin.delete_model(None, swap)
        _assert_equal_a_recount(world)


def test_the_city_reads_the_kept_rows_and_the_pending_items_only(world: World) -> None:
    _items(world)
    with at(dt.date(2026, 11, 20)), CaptureQueriesContext(connection) as queries:
        figures = selectors.feedback_on_time_figures(units=[world.unit, world.other], year=2026)
    assert figures[world.unit.pk] is not None and len(queries) <= 5
    with at(dt.date(2027, 2, 1)), CaptureQueriesContext(connection) as queries:
        selectors.feedback_on_time_figures(units=[world.unit, world.other], year=2025)
    # a past year: judged at its end from the kept rows alone
    assert not [q for q in queries if "feedback_feedback" in q["sql"] or "feedbackevent" in q["sql"]]
