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


def _fail(client, username: str, times: int = 1) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        client.post("/dang-nhap/", {"username": username, "password": "sai-mat-khau"})


def test_lockout_counts_per_account_whatever_the_case(world: World, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    _fail(client, "leader", 2)
    _fail(client, "LEADER")
    _fail(client, " Leader ")
    _fail(client, "leader@EXAMPLE.vn")  # the account's e-mail address
    for name in ("LEADER", "leader", "leader@example.vn"):
        locked = client.post("/dang-nhap/", {"username": name, "password": PASSWORD})
        assert locked.status_code in (403, 429), name
        assert "Tạm khóa" in locked.content.decode()
    # Another account from the same place is not locked.
    assert client.post("/dang-nhap/", {"username": "member", "password": PASSWORD}).status_code == 302


def test_case_variants_give_no_extra_guesses(world: World, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for name in ("observer", "OBSERVER", "Observer", "oBSERVER"):
        _fail(client, name)
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["observer"]
    assert client.post("/dang-nhap/", {"username": "OBSERVER", "password": PASSWORD}).status_code in (
        403,
        429,
    )


def test_success_resets_the_account_counter(world: World, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    _fail(client, "MEMBER", 2)
    assert client.post("/dang-nhap/", {"username": "Member", "password": PASSWORD}).status_code == 302
    client.logout()
    _fail(client, "member", 2)  # two more after the reset: still below the limit
    assert client.post("/dang-nhap/", {"username": "member", "password": PASSWORD}).status_code == 302


def test_unknown_names_are_counted_in_lower_case(world: World, client, settings) -> None:  # type: ignore[no-untyped-def]
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    _fail(client, "Khong.Co.Ai")
    _fail(client, "KHONG.CO.AI")
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [("khong.co.ai", 2)]
