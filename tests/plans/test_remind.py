"""`friendlygov remind`: each reminder once — per occurrence, step and person — even run twice or at once."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from friendlygov.cli import main
from friendlygov.notifications.models import Notification
from friendlygov.plans import services
from friendlygov.plans.models import Occurrence, Plan
from tests.factories import World
from tests.plans.conftest import occ


@pytest.fixture(autouse=True)
def _public_address(settings: Any) -> None:
    """The job sends links: it runs only with a public address (tests/core/test_site.py has the refusals)."""
    settings.SITE_URL = "https://cqtt.example.vn"


def test_steps() -> None:
    item = Occurrence(due=dt.date(2026, 2, 13))
    assert services.reminder_step(item, dt.date(2026, 2, 1)) is None
    assert services.reminder_step(item, dt.date(2026, 2, 6)) == "7d"
    assert services.reminder_step(item, dt.date(2026, 2, 11)) == "7d"
    assert services.reminder_step(item, dt.date(2026, 2, 12)) == "1d"
    assert services.reminder_step(item, dt.date(2026, 2, 13)) == "1d"
    assert services.reminder_step(item, dt.date(2026, 2, 14)) == "late"


def test_due_in_seven_days_goes_to_the_lead_body(world: World, imported: Plan) -> None:
    result = services.send_reminders(today=dt.date(2026, 2, 6))
    item = occ(imported, "3", "2026")  # led by VH-XH, due 13/02
    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    assert f"remind:{item.pk}:7d:{world.coordinator.pk}" in keys
    assert result.sent == 1 and result.already == 0
    note = Notification.objects.get()
    assert note.title == "Sắp đến hạn (13/02/2026): nhiệm vụ 3 (Năm 2026)"
    assert note.url == f"/don-vi/thanh-mien/ke-hoach/viec/{item.pk}/" and note.emailed_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.coordinator.email]


def test_remind_twice_sends_once(world: World, imported: Plan) -> None:
    today = dt.date(2026, 12, 30)
    first = services.send_reminders(today=today)
    count = Notification.objects.count()
    emails = len(mail.outbox)
    second = services.send_reminders(today=today)
    assert first.sent > 0 and second.sent == 0 and second.already == first.sent
    assert Notification.objects.count() == count and len(mail.outbox) == emails


def test_late_goes_to_the_lead_body_and_the_coordinator(world: World, imported: Plan) -> None:
    item = occ(imported, "9", "2026")  # led by PVHCC, due 31/12/2026
    services.send_reminders(today=dt.date(2027, 1, 5))
    late_keys = set(
        Notification.objects.filter(dedupe_key__startswith=f"remind:{item.pk}:late:").values_list(
            "user", flat=True
        )
    )
    assert late_keys == {world.member.pk, world.coordinator.pk}
    title = Notification.objects.filter(user=world.member, dedupe_key__contains=":late:").first()
    assert title is not None and title.title.startswith("Quá hạn 5 ngày: nhiệm vụ 9")
    # nobody outside the unit, nobody without a part in it
    for who in ("outsider", "observer", "leader", "village"):
        assert not Notification.objects.filter(user=world.users[who]).exists()


def test_done_and_cancelled_are_not_reminded(world: World, imported: Plan) -> None:
    item = occ(imported, "9", "2026")
    services.update_occurrence(actor=world.member, occurrence=item, expected_version=1, status="done")
    services.send_reminders(today=dt.date(2027, 1, 5))
    assert not Notification.objects.filter(dedupe_key__startswith=f"remind:{item.pk}:").exists()


def test_unmatched_lead_goes_to_the_coordinators(world: World, imported: Plan) -> None:
    item = occ(imported, "4", "2026-Q1")  # "Các phòng, ban cơ quan, đơn vị thuộc UBND xã"
    services.send_reminders(today=dt.date(2026, 3, 30))
    users = set(
        Notification.objects.filter(dedupe_key__startswith=f"remind:{item.pk}:").values_list(
            "user", flat=True
        )
    )
    assert users == {world.coordinator.pk}


def test_concurrent_run_is_safe_by_the_unique_key(world: World, imported: Plan) -> None:
    """A second machine that already inserted the same reminder makes this run skip it, not duplicate it."""
    item = occ(imported, "3", "2026")
    key = f"remind:{item.pk}:7d:{world.coordinator.pk}"
    Notification.objects.create(user=world.coordinator, title="(máy khác)", dedupe_key=key)
    result = services.send_reminders(today=dt.date(2026, 2, 6))
    assert result.sent == 0 and result.already == 1
    assert Notification.objects.filter(dedupe_key=key).count() == 1
    assert mail.outbox == []
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user=world.coordinator, title="x", dedupe_key=key)


def test_cli_remind_json_and_idempotent(
    world: World, imported: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["remind", "--today", "2026-12-30", "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["today"] == "2026-12-30" and first["sent"] > 0
    assert main(["remind", "--today", "2026-12-30", "--format", "json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["sent"] == 0 and second["already_sent"] == first["sent"]
    assert main(["remind", "--today", "2026-12-30"]) == 0
    assert "đã gửi 0 nhắc việc mới" in capsys.readouterr().out


def test_cli_remind_extends_open_ended_plans(
    world: World, imported: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["remind", "--today", "2031-01-02", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["plans_extended"] == 1
    assert Plan.objects.get(pk=imported.pk).occurrences_through == 2032


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "30/12/2026"], "không đúng dạng YYYY-MM-DD"),
        (["--today", "2026-02-30"], "không tồn tại"),
        (["--format", "xml"], "định dạng «xml» không hợp lệ"),
    ],
)
def test_cli_remind_bad_input(
    db: None, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["remind", *args]) == 2
    assert message in capsys.readouterr().err


def test_daily_run_also_does_feedback_duties(world, capsys) -> None:  # type: ignore[no-untyped-def]
    from friendlygov.cli import main

    assert main(["remind", "--today", "2026-11-27", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["feedback_reminders"] == 0 and out["contacts_erased"] == 0


def test_reminder_mails_link_to_the_public_address(world: World, imported: Plan) -> None:
    services.send_reminders(today=dt.date(2026, 12, 30))
    assert mail.outbox
    assert all("https://cqtt.example.vn/don-vi/thanh-mien/" in message.body for message in mail.outbox)
    assert not any("127.0.0.1" in message.body for message in mail.outbox)
