"""5.2 and 5.3 from recorded feedback agree with the pure rules; the purge command."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from friendlygov.cli import main
from friendlygov.feedback import selectors, services
from friendlygov.feedback.models import FeedbackContact, StateType
from friendlygov.rules.figures import MeasuredFigure
from friendlygov.rules.schedule import WorkingCalendar
from friendlygov.rules.service_index import FeedbackRecord, feedback_on_time, feedback_satisfaction
from tests.factories import World
from tests.feedback.conftest import submit

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(2, 0), tzinfo=dt.UTC), tick=False)


def test_no_feedback_no_figure(world: World) -> None:
    assert selectors.feedback_on_time_figure(unit=world.unit, year=2026) is None
    assert selectors.feedback_satisfaction_figure(unit=world.unit, year=2026) is None


def test_figures_match_the_pure_functions(world: World) -> None:
    waiting = services.default_state(world.unit, StateType.WAITING_CITIZEN)
    in_progress = services.default_state(world.unit, StateType.IN_PROGRESS)
    rejected = services.default_state(world.unit, StateType.REJECTED)
    with at(dt.date(2026, 3, 2)):  # Monday
        quick = submit(world, subject="Trả lời nhanh")
        slow = submit(world, subject="Trả lời chậm")
        paused = submit(world, subject="Có chờ người dân")
        refused_late = submit(world, subject="Từ chối muộn")
        never = submit(world, subject="Chưa xử lý")
    with at(dt.date(2026, 3, 3)):
        services.transition_feedback(
            actor=world.coordinator, feedback=paused, state=waiting, message="Cần thêm giấy tờ."
        )
    with at(dt.date(2026, 3, 5)):
        services.answer_feedback(
            actor=world.coordinator, feedback=quick, answer="Đã xử lý xong ngay.", publish=True
        )
        services.transition_feedback(
            actor=world.coordinator, feedback=refused_late, state=rejected, message="Không thuộc thẩm quyền."
        )
    with at(dt.date(2026, 3, 6)):
        services.rate_feedback(feedback=quick, rating=5)
    with at(dt.date(2026, 3, 20)):
        services.transition_feedback(actor=world.coordinator, feedback=paused, state=in_progress)
    with at(dt.date(2026, 3, 27)):  # 15 working days after receipt is 23/03
        services.answer_feedback(actor=world.coordinator, feedback=slow, answer="Trả lời sau thời hạn.")
        services.answer_feedback(
            actor=world.coordinator, feedback=paused, answer="Trả lời trong hạn nhờ tạm dừng."
        )
    with at(dt.date(2026, 3, 30)):
        services.rate_feedback(feedback=slow, satisfied=False)
        services.rate_feedback(feedback=paused, rating=4)
    with at(dt.date(2026, 4, 15)):
        records, as_of = selectors.feedback_records(unit=world.unit, year=2026)
        on_time = selectors.feedback_on_time_figure(unit=world.unit, year=2026)
        satisfaction = selectors.feedback_satisfaction_figure(unit=world.unit, year=2026)
        report = selectors.feedback_figures(unit=world.unit, year=2026)
    assert as_of == dt.date(2026, 4, 15)
    by_ref = {r.reference: r for r in records}
    assert by_ref[paused.code].waiting_working_days == 13
    calendar = WorkingCalendar()
    expected = feedback_on_time(records, as_of, calendar.working_days_between)
    assert isinstance(on_time, MeasuredFigure)
    assert (on_time.numerator, on_time.denominator) == (expected.numerator, expected.denominator) == (2, 5)
    assert on_time.percent == expected.percent(2) == 40
    assert satisfaction is not None and (satisfaction.numerator, satisfaction.denominator) == (2, 3)
    assert satisfaction.percent == feedback_satisfaction(records).percent(2)
    assert (
        "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn năm" in on_time.label
        and on_time.reference == "/don-vi/thanh-mien/phan-anh/"
    )
    assert (
        report["received"] == 5 and report["late"] == 3 and report["rated"] == 3 and report["published"] == 1
    )
    assert never.code in by_ref and isinstance(by_ref[never.code], FeedbackRecord)


def test_other_units_feedback_is_not_counted(world: World) -> None:
    with at(dt.date(2026, 3, 2)):
        submit(world, unit=world.other)
    assert selectors.feedback_on_time_figure(unit=world.unit, year=2026) is None


def test_purge_command(world: World, capsys) -> None:  # type: ignore[no-untyped-def]
    with at(dt.date(2026, 1, 5)):
        item = submit(world)
        services.answer_feedback(actor=world.coordinator, feedback=item, answer="Đã trả lời người dân.")
    assert main(["feedback-purge", "--today", "2026-06-01"]) == 0
    assert FeedbackContact.objects.exists()  # default retention 365 days
    assert main(["feedback-purge", "--today", "2027-01-05", "--dry-run"]) == 0
    assert "Có 1 phản ánh" in capsys.readouterr().out
    assert FeedbackContact.objects.exists()
    assert main(["feedback-purge", "--today", "2027-01-05"]) == 0
    assert "Đã xóa thông tin liên hệ của 1 phản ánh" in capsys.readouterr().out
    assert not FeedbackContact.objects.exists()
    assert main(["feedback-purge", "--today", "05/01/2027"]) == 2
    assert "không phải ngày hợp lệ" in capsys.readouterr().err
