"""Every organisation page: who may see it, and the neighbour gets 404."""

from __future__ import annotations

import pytest

from tests.factories import World

UNIT_PAGES = [
    "/don-vi/{slug}/",
    "/don-vi/{slug}/to-chuc/",
    "/don-vi/{slug}/nhat-ky/",
]
ADMIN_PAGES = [
    "/don-vi/{slug}/tai-khoan/",
    "/don-vi/{slug}/to-chuc/co-quan/moi/",
    "/don-vi/{slug}/to-chuc/nhap-co-quan/",
]


@pytest.mark.parametrize("url", UNIT_PAGES + ADMIN_PAGES)
def test_outsider_gets_404(world: World, client_for, url: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(world.outsider).get(url.format(slug=world.unit.slug)).status_code == 404


@pytest.mark.parametrize("url", UNIT_PAGES)
@pytest.mark.parametrize("who", ["coordinator", "leader", "member", "front", "observer", "reviewer"])
def test_unit_pages_readable(world: World, client_for, url: str, who: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(world.users[who]).get(url.format(slug=world.unit.slug)).status_code == 200


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_need_unit_admin(world: World, client_for, url: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(world.member).get(url.format(slug=world.unit.slug)).status_code == 403
    assert client_for(world.users["unit_admin"]).get(url.format(slug=world.unit.slug)).status_code == 200


def test_body_of_other_unit_is_404(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    other_body = world.other_bodies["VHXH"]
    client = client_for(world.users["unit_admin"])
    assert client.get(f"/don-vi/{world.unit.slug}/to-chuc/co-quan/{other_body.pk}/").status_code == 404
    assert client.get(f"/don-vi/{world.other.slug}/to-chuc/co-quan/{other_body.pk}/").status_code == 404


def test_anonymous_is_sent_to_login(world: World, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/don-vi/thanh-mien/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_unit_admin_adds_a_body_and_it_is_audited(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.users["unit_admin"])
    response = client.post(
        "/don-vi/thanh-mien/to-chuc/co-quan/moi/",
        {"kind": "village", "name": "Thôn Mới", "code": "TM2", "position": 5, "is_active": "on", "aliases_text": "Thôn mới\nTM"},
    )
    assert response.status_code == 302
    history = client.get("/don-vi/thanh-mien/nhat-ky/").content.decode()
    assert "Thôn Mới" in history


def test_duplicate_body_code_is_refused_with_message(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.users["unit_admin"])
    response = client.post(
        "/don-vi/thanh-mien/to-chuc/co-quan/moi/",
        {"kind": "office", "name": "Phòng trùng", "code": "VHXH", "position": 1, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "đã dùng cho một cơ quan khác" in response.content.decode()
