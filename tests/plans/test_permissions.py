"""Who may see and do what, by URL and by API; the commune next door gets 404 for every object."""

from __future__ import annotations

from typing import Any

import pytest

from friendlygov.org import services as org_services
from friendlygov.plans import services
from friendlygov.plans.models import Obstacle, Plan, Task
from tests.factories import World
from tests.plans.conftest import occ, pdf_upload

READERS = [
    "coordinator",
    "leader",
    "member",
    "village",
    "front",
    "party",
    "observer",
    "unit_admin",
    "reviewer",
    "admin",
]


@pytest.fixture
def objects(world: World, imported: Plan) -> dict[str, Any]:
    task = Task.objects.get(plan=imported, number="9")
    item = occ(imported, "9", "2026")
    obstacle = services.report_obstacle(
        actor=world.member, unit=world.unit, body=world.bodies["PVHCC"], task=task, text="Thiếu kinh phí"
    )
    return {"plan": imported, "task": task, "occurrence": item, "obstacle": obstacle}


def read_urls(objects: dict[str, Any], slug: str = "thanh-mien") -> list[str]:
    base = f"/don-vi/{slug}/ke-hoach/"
    plan = objects["plan"].pk
    return [
        base,
        f"{base}den-han/",
        f"{base}viec-cua-toi/",
        f"{base}vuong-mac/",
        f"{base}{plan}/",
        f"{base}{plan}/lich/",
        f"{base}{plan}/lo-trinh/",
        f"{base}{plan}/nhiem-vu.xlsx",
        f"{base}nhiem-vu/{objects['task'].pk}/",
        f"{base}viec/{objects['occurrence'].pk}/",
        f"{base}vuong-mac/{objects['obstacle'].pk}/",
    ]


def coordinator_urls(objects: dict[str, Any], slug: str = "thanh-mien") -> list[str]:
    base = f"/don-vi/{slug}/ke-hoach/"
    plan = objects["plan"].pk
    return [
        f"{base}moi/",
        f"{base}{plan}/sua/",
        f"{base}{plan}/sua-doi/",
        f"{base}{plan}/nhap-phu-luc/",
        f"{base}nhiem-vu/{objects['task'].pk}/sua/",
    ]


def test_outsider_gets_404_for_every_page(world: World, objects: dict[str, Any], client_for: Any) -> None:
    client = client_for(world.outsider)
    for url in read_urls(objects) + coordinator_urls(objects):
        assert client.get(url).status_code == 404, url
    # the neighbour's own slug with our objects' ids: still nothing
    for url in read_urls(objects, "gia-loc")[4:] + coordinator_urls(objects, "gia-loc")[1:]:
        assert client.get(url).status_code == 404, url


def test_outsider_gets_404_for_every_post(world: World, objects: dict[str, Any], client_for: Any) -> None:
    client = client_for(world.outsider)
    base = "/don-vi/thanh-mien/ke-hoach/"
    posts = [
        (f"{base}{objects['plan'].pk}/tinh-lai-han/", {}),
        (
            f"{base}{objects['plan'].pk}/nhap-phu-luc/xac-nhan/",
            {"action": "confirm", "text": "x", "version": 1},
        ),
        (
            f"{base}viec/{objects['occurrence'].pk}/cap-nhat/",
            {"action": "update", "status": "done", "version": 1},
        ),
        (
            f"{base}viec/{objects['occurrence'].pk}/tra-lai/",
            {"action": "return", "reason": "x", "version": 1},
        ),
        (f"{base}vuong-mac/bao-cao/", {"action": "report", "text": "x"}),
        (
            f"{base}vuong-mac/{objects['obstacle'].pk}/tra-loi/",
            {"action": "answer", "answer": "x", "version": 1},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url


@pytest.mark.parametrize("who", READERS)
def test_readers_see_every_page(world: World, objects: dict[str, Any], client_for: Any, who: str) -> None:
    client = client_for(world.users[who])
    for url in read_urls(objects):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["leader", "member", "front", "observer", "unit_admin", "reviewer"])
def test_only_the_coordinator_edits(world: World, objects: dict[str, Any], client_for: Any, who: str) -> None:
    client = client_for(world.users[who])
    for url in coordinator_urls(objects):
        assert client.get(url).status_code == 403, url
    client = client_for(world.coordinator)
    for url in coordinator_urls(objects):
        assert client.get(url).status_code == 200, url


def test_other_body_member_cannot_update_by_post(
    world: World, objects: dict[str, Any], client_for: Any
) -> None:
    url = f"/don-vi/thanh-mien/ke-hoach/viec/{objects['occurrence'].pk}/"
    response = client_for(world.users["village"]).post(
        f"{url}cap-nhat/", {"action": "update", "status": "done", "version": 1}
    )
    assert response.status_code == 403
    response = client_for(world.member).post(
        f"{url}tra-lai/", {"action": "return", "reason": "x", "version": 1}
    )
    assert response.status_code == 403
    obstacle_url = f"/don-vi/thanh-mien/ke-hoach/vuong-mac/{objects['obstacle'].pk}/"
    assert (
        client_for(world.coordinator)
        .post(f"{obstacle_url}tra-loi/", {"action": "answer", "answer": "x"})
        .status_code
        == 403
    )


# ---------------------------------------------------------------------------------------------- API


def _auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {org_services.create_api_token(actor=user, name='thử')}"}


def test_outsider_gets_404_for_every_api_object(world: World, objects: dict[str, Any], client: Any) -> None:
    auth = _auth(world.outsider)
    plan, item, obstacle = objects["plan"].pk, objects["occurrence"].pk, objects["obstacle"].pk
    json_posts = [
        (f"/api/plans/plans/{plan}/appendix/preview", {"text": "x"}),
        (f"/api/plans/plans/{plan}/appendix", {"text": "x", "expected_version": 1}),
        ("/api/plans/units/thanh-mien/plans", {"title": "x", "start_year": 2026, "end_year": 2030}),
        ("/api/plans/units/thanh-mien/obstacles", {"body_id": world.bodies["VHXH"].pk, "text": "x"}),
        ("/api/plans/units/gia-loc/obstacles", {"body_id": world.bodies["VHXH"].pk, "text": "x"}),
        (
            "/api/plans/units/gia-loc/obstacles/forward",
            {"obstacles": [{"id": obstacle, "expected_version": 1}], "note": "x"},
        ),
        (f"/api/plans/obstacles/{obstacle}/answer", {"answer": "x", "expected_version": 1}),
        (f"/api/plans/obstacles/{obstacle}/close", {"expected_version": 1}),
        (f"/api/plans/occurrences/{item}/return", {"reason": "x", "expected_version": 1}),
    ]
    for url in [
        "/api/plans/units/thanh-mien/plans",
        f"/api/plans/plans/{plan}",
        "/api/plans/units/thanh-mien/occurrences",
        f"/api/plans/occurrences/{item}",
        "/api/plans/units/thanh-mien/obstacles",
        f"/api/plans/obstacles/{obstacle}",
    ]:
        assert client.get(url, **auth).status_code == 404, url
    for url, data in json_posts:
        assert client.post(url, data, content_type="application/json", **auth).status_code == 404, url
    patch = client.patch(
        f"/api/plans/occurrences/{item}",
        {"status": "done", "expected_version": 1},
        content_type="application/json",
        **auth,
    )
    assert patch.status_code == 404
    upload = client.post(
        f"/api/plans/occurrences/{item}/evidence",
        {"effective_date": "2026-12-01", "file": pdf_upload()},
        **auth,
    )
    assert upload.status_code == 404
    # the neighbour sees its own (empty) unit fine
    assert client.get("/api/plans/units/gia-loc/plans", **auth).json() == []


def test_api_reader_gets_403_for_writes(world: World, objects: dict[str, Any], client: Any) -> None:
    auth = _auth(world.users["observer"])
    plan, item = objects["plan"].pk, objects["occurrence"].pk
    assert client.get(f"/api/plans/plans/{plan}", **auth).status_code == 200
    assert (
        client.post(
            f"/api/plans/plans/{plan}/appendix/preview",
            {"text": "x"},
            content_type="application/json",
            **auth,
        ).status_code
        == 403
    )
    response = client.patch(
        f"/api/plans/occurrences/{item}",
        {"status": "done", "expected_version": 1},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 403
    assert Obstacle.objects.count() == 1
