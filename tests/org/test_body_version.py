"""A body edited by two people at once: the later save made from an older page or reading is refused
instead of overwriting the other person's change (issue 16)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from friendlygov.org import services
from friendlygov.org.models import Body
from tests.factories import World


def _patch(client: Any, token: str, body: Body, payload: dict[str, Any]) -> Any:
    return client.patch(
        f"/api/org/bodies/{body.pk}",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_api_patch_requires_and_checks_the_version(world: World, client: Any) -> None:
    token = services.create_api_token(actor=world.users["unit_admin"], name="x")
    body = world.bodies["VHXH"]
    assert body.version == 1
    assert (
        client.get(f"/api/org/bodies/{body.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()["version"] == 1
    )
    missing = _patch(client, token, body, {"head_name": "Nguyễn Văn A"})
    assert missing.status_code == 422 and "expected_version" in missing.content.decode()
    first = _patch(client, token, body, {"head_name": "Nguyễn Văn A", "expected_version": 1})
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    stale = _patch(client, token, body, {"head_name": "Trần Thị B", "expected_version": 1})
    assert stale.status_code == 422
    assert "đã được người khác cập nhật" in stale.content.decode()
    body.refresh_from_db()
    assert (body.head_name, body.version) == ("Nguyễn Văn A", 2)


def test_api_patch_of_another_units_body_is_404(world: World, client: Any) -> None:
    token = services.create_api_token(actor=world.outsider, name="x")
    body = world.bodies["VHXH"]
    assert _patch(client, token, body, {"name": "x", "expected_version": 1}).status_code == 404


def test_alias_changes_bump_the_version(world: World) -> None:
    body = services.add_body_alias(
        actor=world.users["unit_admin"], body=world.bodies["VHXH"], alias="Phòng Văn hóa"
    )
    assert body.version == 2
    body = services.remove_body_alias(actor=world.users["unit_admin"], body=body, alias="Phòng Văn hóa")
    assert body.version == 3


def _form(body: Body, **changes: Any) -> dict[str, Any]:
    data = {
        "kind": body.kind,
        "name": body.name,
        "code": body.code,
        "head_name": body.head_name,
        "phone": body.phone,
        "email": body.email,
        "address": body.address,
        "position": str(body.position),
        "is_active": "on",
        "aliases_text": "\n".join(body.aliases),
        "expected_version": str(body.version),
    }
    data.update(changes)
    return data


def test_page_refuses_a_stale_save_and_keeps_what_was_typed(world: World, client_for: Any) -> None:
    body = world.bodies["VHXH"]
    url = reverse("org:body_edit", args=[world.unit.slug, body.pk])
    client = client_for(world.users["unit_admin"])
    page = client.get(url).content.decode()
    assert 'name="expected_version" value="1"' in page
    services.update_body(
        actor=world.users["admin"], body=body, head_name="Người khác sửa", expected_version=1
    )
    response = client.post(url, _form(body, head_name="Tôi gõ tên này", expected_version="1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "đã được người khác cập nhật" in html
    assert "Tôi gõ tên này" in html
    body.refresh_from_db()
    assert (body.head_name, body.version) == ("Người khác sửa", 2)
    saved = client.post(url, _form(body, head_name="Tôi gõ tên này"))
    assert saved.status_code == 302
    body.refresh_from_db()
    assert (body.head_name, body.version) == ("Tôi gõ tên này", 3)


def test_page_of_another_units_body_is_404(world: World, client_for: Any) -> None:
    body = world.bodies["VHXH"]
    url = reverse("org:body_edit", args=[world.unit.slug, body.pk])
    assert client_for(world.outsider).post(url, _form(body)).status_code == 404
