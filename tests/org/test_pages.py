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
        {
            "kind": "village",
            "name": "Thôn Mới",
            "code": "TM2",
            "position": 5,
            "is_active": "on",
            "aliases_text": "Thôn mới\nTM",
        },
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


# ---------------------------------------------------------------- account import: template and what follows


def test_account_import_template_is_an_importable_workbook(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    import io

    import openpyxl

    from friendlygov.org import services

    client = client_for(world.users["unit_admin"])
    page = client.get("/don-vi/thanh-mien/to-chuc/nhap-tai-khoan/").content.decode()
    assert "/don-vi/thanh-mien/to-chuc/mau-nhap-tai-khoan.xlsx" in page
    response = client.get("/don-vi/thanh-mien/to-chuc/mau-nhap-tai-khoan.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]  # type: ignore[union-attr]
    assert rows[0] == [c.title for c in services.ACCOUNT_COLUMNS]
    assert len(rows) == 2 and rows[1][3] == "Xã Thanh Miện"
    # the example row imports as it is
    result = services.import_accounts(
        actor=world.users["unit_admin"], scope=world.unit, data=response.content, filename="mau.xlsx"
    )
    assert result.created == 1
    for kind in ("don-vi", "co-quan"):
        assert (
            client_for(world.users["admin"])
            .get(f"/don-vi/hai-phong/to-chuc/mau-nhap-{kind}.xlsx")
            .status_code
            == 200
        )


@pytest.mark.parametrize(
    "url",
    ["/don-vi/{slug}/to-chuc/mau-nhap-tai-khoan.xlsx", "/don-vi/{slug}/to-chuc/nhap-tai-khoan/ket-qua/"],
)
def test_account_import_pages_outsider_404_member_403(world: World, client_for, url: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(world.outsider).get(url.format(slug=world.unit.slug)).status_code == 404
    assert client_for(world.member).get(url.format(slug=world.unit.slug)).status_code == 403


def test_account_import_ends_on_what_was_created_with_ways_onwards(
    world: World, client_for, mailoutbox
) -> None:  # type: ignore[no-untyped-def]
    from urllib.parse import parse_qsl

    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.users["unit_admin"])
    data = (
        "Tên đăng nhập,Họ và tên,Thư điện tử,Đơn vị,Vai trò,Cơ quan\n"
        "tm.kt3,Trần Kinh Tế,kt3@example.vn,Thanh Miện,Theo dõi,\n"
        "tm.kt4,Lê Không Thư,,Xã Thanh Miện,Theo dõi,\n"
    ).encode()
    response = client.post(
        "/don-vi/thanh-mien/to-chuc/nhap-tai-khoan/",
        {"file": SimpleUploadedFile("tk.csv", data)},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith("/don-vi/thanh-mien/to-chuc/nhap-tai-khoan/ket-qua/?id=")
    page = response.content.decode()
    assert "Đã tạo 2 tài khoản mới." in page
    assert "tm.kt3" in page and "Trần Kinh Tế" in page and "tm.kt4" in page and "Xã Thanh Miện" in page
    assert "Chưa có thư điện tử để mời" in page
    assert 'href="/don-vi/thanh-mien/tai-khoan/"' in page
    assert 'href="/don-vi/thanh-mien/to-chuc/nhap-tai-khoan/"' in page
    assert "Gửi thư mời đặt mật khẩu cho 1 người chưa đặt" in page
    assert not mailoutbox
    # invitations from the result page: only to the account with an e-mail
    url = response.redirect_chain[-1][0]
    ids = [v for k, v in parse_qsl(url.split("?", 1)[1]) if k == "id"]
    sent = client.post("/don-vi/thanh-mien/to-chuc/nhap-tai-khoan/ket-qua/", {"id": ids}, follow=True)
    assert [m.to for m in mailoutbox] == [["kt3@example.vn"]]
    assert "Đã gửi thư mời tới 1 người." in sent.content.decode()


def test_account_import_result_shows_only_accounts_of_the_scope(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    outsider = world.outsider
    page = client_for(world.users["unit_admin"]).get(
        f"/don-vi/thanh-mien/to-chuc/nhap-tai-khoan/ket-qua/?id={outsider.pk}"
    )
    assert page.status_code == 200
    assert outsider.username not in page.content.decode()
    assert "Đã tạo 0 tài khoản mới." in page.content.decode()
