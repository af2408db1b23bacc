"""In-app notifications: one per key however often the reminder job runs, e-mailed with the site's public
address, read and marked by their owner only."""

from __future__ import annotations

from typing import Any

from django.core import mail

from friendlygov.notifications import services
from friendlygov.notifications.models import Notification
from tests.factories import World


def test_notify_once_creates_one_per_key(world: World) -> None:
    first = services.notify_once(
        user=world.coordinator, dedupe_key="task:7:2026-02-15", title="Sắp đến hạn", unit=world.unit
    )
    again = services.notify_once(
        user=world.coordinator, dedupe_key="task:7:2026-02-15", title="Sắp đến hạn", unit=world.unit
    )
    assert first is not None and again is None
    assert Notification.objects.filter(dedupe_key="task:7:2026-02-15").count() == 1
    # no key: every call notifies
    services.notify_once(user=world.coordinator, dedupe_key=None, title="a")
    services.notify_once(user=world.coordinator, dedupe_key=None, title="a")
    assert Notification.objects.filter(user=world.coordinator, title="a").count() == 2


def test_email_carries_the_public_address(world: World, settings: Any) -> None:
    settings.SITE_URL = "https://chinhquyen.haiphong.gov.vn"  # FRIENDLYGOV_SITE_URL in the environment
    note = services.notify_once(
        user=world.coordinator,
        dedupe_key="k-mail",
        title="Nhiệm vụ quá hạn",
        body="Đăng ký mức độ trước 15/02.",
        url="/don-vi/thanh-mien/ke-hoach/",
        email=True,
    )
    assert note is not None
    note.refresh_from_db()
    assert note.emailed_at is not None
    assert note.url == "/don-vi/thanh-mien/ke-hoach/"  # stored relative; the address is added when sent
    (message,) = mail.outbox
    assert message.to == [world.coordinator.email] and message.subject == "Nhiệm vụ quá hạn"
    assert "https://chinhquyen.haiphong.gov.vn/don-vi/thanh-mien/ke-hoach/" in message.body


def test_no_email_without_an_address(world: World) -> None:
    world.member.email = ""
    world.member.save()
    services.notify_once(user=world.member, dedupe_key="k-none", title="x", email=True)
    assert mail.outbox == []


def test_mark_read_touches_only_the_owners(world: World) -> None:
    mine = services.notify_once(user=world.coordinator, dedupe_key="m1", title="một")
    services.notify_once(user=world.coordinator, dedupe_key="m2", title="hai")
    theirs = services.notify_once(user=world.outsider, dedupe_key="o1", title="của người khác")
    assert mine is not None and theirs is not None
    assert services.mark_read(user=world.coordinator, notification_id=mine.pk) == 1
    assert services.mark_read(user=world.coordinator, notification_id=theirs.pk) == 0
    assert services.mark_read(user=world.coordinator) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_inbox_lists_only_ones_own(world: World, client_for: Any) -> None:
    services.notify_once(user=world.coordinator, dedupe_key="c", title="Việc của điều phối viên")
    services.notify_once(user=world.outsider, dedupe_key="o", title="Việc của xã bên")
    body = client_for(world.coordinator).get("/thong-bao/").content.decode()
    assert "Việc của điều phối viên" in body and "Việc của xã bên" not in body


def test_mark_all_read_needs_post(world: World, client_for: Any) -> None:
    services.notify_once(user=world.coordinator, dedupe_key="p", title="chưa đọc")
    client = client_for(world.coordinator)
    assert client.get("/thong-bao/doc-het/").status_code == 405
    assert client.post("/thong-bao/doc-het/").status_code == 302
    assert not Notification.objects.filter(user=world.coordinator, read_at__isnull=True).exists()


def test_inbox_needs_login(client: Any, world: World) -> None:
    response = client.get("/thong-bao/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
