"""The address the public sees (friendlygov/kit/site.py): FRIENDLYGOV_SITE_URL, else the served request's
address; commands that send links refuse a loopback or missing address unless told it is intended."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import RequestFactory

from friendlygov.cli import main
from friendlygov.kit import site
from friendlygov.notifications.models import Notification
from friendlygov.org.models import RoleGrant
from tests.factories import World

PUBLIC_HOST = "cqtt.thanhmien.vn:8123"


@pytest.fixture
def no_site_url(settings: Any) -> None:
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "cqtt.thanhmien.vn", "127.0.0.1"]


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://127.8.9.1/", True),
        ("http://localhost:8123/ks/abc/", True),
        ("http://[::1]:8000", True),
        ("http://0.0.0.0:8000", True),
        ("https://cqtt.haiphong.gov.vn", False),
        ("http://192.168.1.20:8123", False),
        ("http://localhost.gov.vn", False),
    ],
)
def test_is_loopback(url: str, loopback: bool) -> None:
    assert site.is_loopback(url) is loopback


def test_configured_address_wins(settings: Any) -> None:
    settings.SITE_URL = "https://cqtt.haiphong.gov.vn/"
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8123")
    assert site.base_url(request) == "https://cqtt.haiphong.gov.vn"
    assert site.absolute("/ks/abc/", request) == "https://cqtt.haiphong.gov.vn/ks/abc/"
    assert site.absolute("https://elsewhere.vn/x") == "https://elsewhere.vn/x"


def test_without_configuration_the_request_address_is_used(no_site_url: None, settings: Any) -> None:
    request = RequestFactory().get("/", HTTP_HOST=PUBLIC_HOST)
    assert site.absolute("/ks/abc/", request) == "http://cqtt.thanhmien.vn:8123/ks/abc/"
    # Behind a proxy that says HTTPS (only when the proxy header is configured, as in production).
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxied = RequestFactory().get("/", HTTP_HOST="cqtt.thanhmien.vn", HTTP_X_FORWARDED_PROTO="https")
    assert site.base_url(proxied) == "https://cqtt.thanhmien.vn"


def test_invitation_link_uses_the_served_address(world: World, client_for: Any, no_site_url: None) -> None:
    grant = RoleGrant.objects.get(user=world.member)
    client = client_for(world.users["unit_admin"])
    response = client.post(f"/don-vi/thanh-mien/tai-khoan/{grant.user_id}/moi/", HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert re.search(r"http://cqtt\.thanhmien\.vn:8123/dat-mat-khau/[^/]+/[^/]+/", message.body), message.body
    assert "127.0.0.1" not in message.body


def test_invitation_link_uses_the_configured_address(world: World, client_for: Any, settings: Any) -> None:
    settings.SITE_URL = "https://cqtt.haiphong.gov.vn"
    grant = RoleGrant.objects.get(user=world.member)
    client_for(world.users["unit_admin"]).post(f"/don-vi/thanh-mien/tai-khoan/{grant.user_id}/moi/")
    assert "https://cqtt.haiphong.gov.vn/dat-mat-khau/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("", "http://cqtt.thanhmien.vn:8123/"),
        ("https://cqtt.haiphong.gov.vn", "https://cqtt.haiphong.gov.vn/"),
    ],
)
def test_password_reset_mail_links_to_the_public_address(
    world: World, client: Any, no_site_url: None, settings: Any, site_url: str, expected: str
) -> None:
    settings.SITE_URL = site_url
    response = client.post("/quen-mat-khau/", {"email": world.member.email}, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 302
    assert f"{expected}dat-mat-khau/" in mail.outbox[0].body, mail.outbox[0].body


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("", "Chưa đặt FRIENDLYGOV_SITE_URL"),
        ("http://127.0.0.1:8000", "FRIENDLYGOV_SITE_URL=http://127.0.0.1:8000"),
    ],
)
def test_remind_refuses_a_loopback_or_missing_address(
    world: World, settings: Any, capsys: pytest.CaptureFixture[str], site_url: str, expected: str
) -> None:
    settings.SITE_URL = site_url
    assert main(["remind", "--today", "2026-12-30"]) == 2
    err = capsys.readouterr().err
    assert expected in err and "--allow-loopback" in err
    assert not Notification.objects.exists()


def test_remind_runs_on_loopback_when_told(world: World, settings: Any) -> None:
    settings.SITE_URL = "http://localhost:8123"
    assert main(["remind", "--today", "2026-12-30", "--allow-loopback"]) == 0
    settings.SITE_URL = "https://cqtt.haiphong.gov.vn"
    assert main(["remind", "--today", "2026-12-30"]) == 0
