from __future__ import annotations

import pytest

from friendlygov.org import services
from tests.factories import World


@pytest.fixture
def token(world: World) -> str:
    return services.create_api_token(actor=world.coordinator, name="tích hợp")


def test_openapi_document(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/org/units" in response.json()["paths"]


def test_token_lists_only_own_units(world: World, client, token: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/org/units", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [u["slug"] for u in response.json()] == ["thanh-mien"]


def test_no_token_is_401(world: World, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/org/units").status_code == 401
    assert client.get("/api/org/units", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_other_units_objects_are_404(world: World, client, token: str) -> None:  # type: ignore[no-untyped-def]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/org/units/gia-loc", **auth).status_code == 404
    assert client.get("/api/org/units/gia-loc/bodies", **auth).status_code == 404
    other_body = world.other_bodies["KT"]
    assert client.get(f"/api/org/bodies/{other_body.pk}", **auth).status_code == 404
    assert (
        client.patch(
            f"/api/org/bodies/{other_body.pk}",
            {"name": "x", "expected_version": 1},
            content_type="application/json",
            **auth,
        ).status_code
        == 404
    )


def test_bodies_crud_under_permissions(world: World, client) -> None:  # type: ignore[no-untyped-def]
    admin_token = services.create_api_token(actor=world.users["unit_admin"], name="x")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {admin_token}"}
    created = client.post(
        "/api/org/units/thanh-mien/bodies",
        {"kind": "village", "name": "Thôn API", "code": "API"},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    duplicate = client.post(
        "/api/org/units/thanh-mien/bodies",
        {"kind": "village", "name": "Thôn API 2", "code": "API"},
        content_type="application/json",
        **auth,
    )
    assert duplicate.status_code == 422 and "đã dùng" in duplicate.content.decode()
    member_token = services.create_api_token(actor=world.member, name="x")
    forbidden = client.patch(
        f"/api/org/bodies/{created.json()['id']}",
        {"name": "y", "expected_version": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {member_token}",
    )
    assert forbidden.status_code == 403


def test_token_page_creates_shows_once_and_revokes(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.coordinator)
    page = client.post("/don-vi/ca-nhan/ma-api/", {"name": "Cổng dịch vụ công"}).content.decode()
    raw = page.split('id="new-token">')[1].split("<")[0]
    assert raw.startswith("fg_")
    client.logout()
    assert client.get("/api/org/units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    token = world.coordinator.api_tokens.get()
    client.force_login(world.coordinator)
    client.post("/don-vi/ca-nhan/ma-api/", {"revoke": token.pk})
    client.logout()
    assert client.get("/api/org/units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    client.force_login(world.outsider)
    assert client.post("/don-vi/ca-nhan/ma-api/", {"revoke": token.pk}).status_code == 404


def test_out_of_range_input_is_422_not_500(world: World, client, token: str) -> None:  # type: ignore[no-untyped-def]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for url in (
        "/api/dossiers/units/thanh-mien/figures?year=0",
        "/api/feedback/units/thanh-mien/items?year=-37945",
    ):
        response = client.get(url, **auth)
        assert response.status_code == 422, (url, response.content)
        detail = response.json()["detail"]
        said = detail if isinstance(detail, str) else " ".join(error["msg"] for error in detail)
        assert "«year» phải từ 2000 trở lên." in said or "ngoài phạm vi" in said  # Vietnamese


def test_a_bug_raising_value_error_is_a_500_not_the_callers_fault(
    world: World, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: every ValueError used to become 422 «Tham số không hợp lệ», which hid a real bug. Only the
    caller's errors (schema errors, ValidationError) are 422 now; a domain function that raises ValueError
    or OverflowError on good input is the server's error."""
    from django.test import Client

    from friendlygov.dossiers import selectors

    client = Client(raise_request_exception=False)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = "/api/dossiers/units/thanh-mien/figures?year=2026"
    assert client.get(url, **auth).status_code == 200
    for error in (ValueError("a bug"), OverflowError("a bug")):

        def broken(*args: object, error: Exception = error, **kwargs: object) -> None:
            raise error

        monkeypatch.setattr(selectors, "unit_figures", broken)
        assert client.get(url, **auth).status_code == 500, error
    # the caller's own error stays 422, in Vietnamese, naming the field
    response = client.get("/api/dossiers/units/thanh-mien/figures?year=0", **auth)
    assert response.status_code == 422
    assert "«year» phải từ 2000 trở lên." in response.json()["detail"][0]["msg"]


def test_schema_errors_are_vietnamese_and_name_the_field(world: World, client, token: str) -> None:  # type: ignore[no-untyped-def]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.post(
        "/api/feedback/public/thanh-mien/submit", "{not json", content_type="application/json", **auth
    )
    assert response.status_code in (400, 422)
    response = client.get("/api/dossiers/units/thanh-mien/figures?year=abc", **auth)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"][-1] == "year" and detail[0]["msg"] == "«year» phải là số nguyên."
