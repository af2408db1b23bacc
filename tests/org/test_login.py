from __future__ import annotations

from tests.factories import PASSWORD, World


def test_login_page_and_throttling(world: World, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    ok = client.post("/dang-nhap/", {"username": "coordinator@example.vn", "password": PASSWORD})
    assert ok.status_code == 302
    client.logout()
    for _ in range(3):
        client.post("/dang-nhap/", {"username": "leader", "password": "sai-mat-khau"})
    locked = client.post("/dang-nhap/", {"username": "leader", "password": PASSWORD})
    assert locked.status_code in (403, 429)
    assert "Tạm khóa" in locked.content.decode()


def test_password_reset_sends_mail(world: World, client, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    client.post("/quen-mat-khau/", {"email": "leader@example.vn"})
    assert len(mailoutbox) == 1 and "/dat-mat-khau/" in mailoutbox[0].body
