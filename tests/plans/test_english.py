"""The plans area in the English interface: the services' messages and the schedules are English, while
what is stored for later (notifications, the audit log) stays Vietnamese."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from friendlygov.audit.models import AuditEvent
from friendlygov.notifications.models import Notification
from friendlygov.plans import services
from friendlygov.plans.models import Plan, Task, describe_schedule
from friendlygov.plans.parsing import parse_targets
from friendlygov.rules.schedule import parse_time_phrase
from tests.factories import World

from .conftest import occ


def test_plan_errors_in_english(world: World) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.create_plan(
            actor=world.coordinator, unit=world.unit, title=" ", start_year=2030, end_year=2026
        )
    assert error.value.message_dict == {
        "title": ["The plan's title must not be empty."],
        "end_year": ["The end year must not be before the start year."],
    }
    with translation.override("en"), pytest.raises(ValidationError) as error:
        parse_targets("2026: 3\nhai nghìn\n2026: 4")
    assert error.value.message_dict["targets"] == [
        "Targets, line 2: «hai nghìn» does not follow the pattern «year: level — note» (e.g. «2026: 3»).",
        "Targets, line 3: year 2026 is already on a line above.",
    ]


def test_appendix_and_task_errors_in_english(world: World, plan: Plan, imported: Plan) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.import_appendix(
            actor=world.coordinator, plan=imported, text="  ", expected_version=imported.version
        )
    assert error.value.message_dict["text"] == ["No appendix content: paste the table or upload a file."]
    task = Task.objects.get(plan=imported, number="9")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.update_task(
            actor=world.coordinator, task=task, expected_version=task.version, weight="nhiều"
        )
    assert error.value.message_dict["weight"] == ["The weight must be a number, e.g. 1 or 1,5."]
    item = occ(imported, "9", "2026")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.update_occurrence(
            actor=world.member, occurrence=item, expected_version=1, status="in_progress", percent=100
        )
    assert error.value.message_dict["percent"] == [
        "In progress: the progress is from 1% to 99% (0% is not started, 100% is done)."
    ]


def test_the_same_errors_stay_vietnamese_by_default(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.create_plan(
            actor=world.coordinator, unit=world.unit, title=" ", start_year=2026, end_year=2030
        )
    assert error.value.message_dict == {"title": ["Trích yếu kế hoạch không được để trống."]}


@pytest.mark.parametrize(
    ("phrase", "english"),
    [
        ("Hằng năm", "Every year"),
        ("Trước ngày 15/02 hằng năm", "Before 15/02 every year"),
        ("Tháng 12 hằng năm", "Month 12 every year"),
        ("Tháng 6 và tháng 12 hằng năm", "Months 6, 12 every year"),
        ("Quý I và quý III", "Quarters I, III every year"),
        ("6 tháng đầu năm", "First half of the year"),
        ("Hằng quý", "Every quarter"),
        ("Thường xuyên", "Ongoing (checked every quarter)"),
        ("Năm 2027 và năm 2030", "Years 2027, 2030"),
        ("Tháng 6/2027", "Month 6/2027"),
        ("Trước ngày 30/6/2027", "Before 30/06/2027"),
        ("Khi có chỉ đạo", "Unreadable"),
    ],
)
def test_schedules_are_described_in_the_readers_language(phrase: str, english: str) -> None:
    schedule = parse_time_phrase(phrase)
    with translation.override("en"):
        assert describe_schedule(schedule) == english
    with translation.override("vi"):
        assert describe_schedule(schedule) == schedule.describe()  # the rules' own Vietnamese


def test_plan_page_in_english_shows_english_schedules(world: World, imported: Plan, client_for: Any) -> None:
    client = client_for(world.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(f"/don-vi/thanh-mien/ke-hoach/{imported.pk}/").content.decode()
    assert "Before 15/02 every year" in body
    assert "Trước ngày 15/02 hằng năm" in body  # the appendix's own words are data
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    body = client.get(f"/don-vi/thanh-mien/ke-hoach/{imported.pk}/").content.decode()
    assert "Before 15/02 every year" not in body


def test_what_is_stored_stays_vietnamese_when_the_reader_uses_english(world: World, imported: Plan) -> None:
    item = occ(imported, "9", "2026")
    with translation.override("en"):
        services.update_occurrence(actor=world.member, occurrence=item, expected_version=1, status="done")
        services.return_occurrence(
            actor=world.coordinator, occurrence=item, expected_version=2, reason="Thiếu biên bản"
        )
    note = Notification.objects.get(user=world.member)
    assert note.title == "Trả lại để bổ sung: nhiệm vụ 9 — Năm 2026"
    event = AuditEvent.objects.filter(object_type="plans.occurrence").latest("pk")
    assert event.object_repr == "9 — Năm 2026"  # the occurrence's name, not "Year 2026"
