"""Sessions end after inactivity and after an absolute lifetime; an administrator sees and ends them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from friendlygov.audit.models import AuditEvent

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _home(client: Any) -> int:
    return client.get(reverse("home")).status_code


def test_an_idle_session_is_logged_out(world: Any, client: Any, settings: Any) -> None:
    settings.SESSION_IDLE_TIMEOUT = 3600
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(world.coordinator)
        assert _home(client) in (200, 302)
        assert "_auth_user_id" in client.session
        clock.shift(dt.timedelta(minutes=50))
        client.get(reverse("home"))
        assert "_auth_user_id" in client.session  # still active: 50 minutes < 1 hour
        clock.shift(dt.timedelta(minutes=61))
        response = client.get(reverse("unit_home", args=[world.unit.slug]))
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
        assert "_auth_user_id" not in client.session


def test_a_busy_session_still_ends_after_the_absolute_lifetime(
    world: Any, client: Any, settings: Any
) -> None:
    settings.SESSION_IDLE_TIMEOUT = 3600
    settings.SESSION_COOKIE_AGE = 8 * 3600
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(world.coordinator)
        client.get(reverse("home"))
        for _ in range(9):  # a request every 50 minutes: never idle
            clock.shift(dt.timedelta(minutes=50))
            client.get(reverse("home"))
        assert "_auth_user_id" in client.session  # 7 h 30 in
        clock.shift(dt.timedelta(minutes=40))
        client.get(reverse("home"))
        assert "_auth_user_id" not in client.session  # 8 h 10 in


def test_idle_timeout_can_be_switched_off(world: Any, client: Any, settings: Any) -> None:
    settings.SESSION_IDLE_TIMEOUT = 0
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(world.coordinator)
        client.get(reverse("home"))
        clock.shift(dt.timedelta(hours=3))
        client.get(reverse("home"))
        assert "_auth_user_id" in client.session


def _superuser() -> Any:
    return get_user_model().objects.create_superuser(
        username="root", email="root@example.vn", password="x-long-password-1"
    )


def test_admin_lists_a_users_sessions_and_ends_them_all(world: Any, client: Any) -> None:
    member = world.member
    phones = [Client(), Client()]
    for phone in phones:
        phone.force_login(member)
    other = Client()
    other.force_login(world.coordinator)
    assert Session.objects.count() == 3

    client.force_login(_superuser())
    page = client.get(reverse("admin:org_user_change", args=[member.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Phiên đăng nhập đang mở" in html
    for phone in phones:
        assert str(phone.session.session_key)[:8] in html
    assert str(other.session.session_key)[:8] not in html

    response = client.post(
        reverse("admin:org_user_changelist"),
        {"action": "end_all_sessions", "_selected_action": [member.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Đã kết thúc 2 phiên đăng nhập của 1 người dùng." in response.content.decode()
    unit_home = reverse("unit_home", args=[world.unit.slug])
    for phone in phones:
        assert phone.get(unit_home).status_code == 302  # back to the login page
    assert other.get(unit_home).status_code == 200  # someone else's session stays
    assert AuditEvent.objects.filter(object_id=str(member.pk), note__contains="kết thúc 2 phiên").exists()
    assert (
        "Không có phiên nào đang mở."
        in client.get(reverse("admin:org_user_change", args=[member.pk])).content.decode()
    )


def test_the_action_has_its_vietnamese_label(world: Any, client: Any) -> None:
    client.force_login(_superuser())
    assert "Kết thúc mọi phiên đăng nhập" in client.get(reverse("admin:org_user_changelist")).content.decode()
