"""The plans API: same services and access rules as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from friendlygov.org import services as org_services
from friendlygov.plans.models import Occurrence, Plan
from friendlygov.rules.schedule import parse_appendix
from tests.factories import World
from tests.plans.conftest import SEED_APPENDIX, occ, pdf_upload


def auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {org_services.create_api_token(actor=user, name='thử')}"}


def post(client: Any, url: str, data: Any, user: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", **auth(user))


def test_openapi_lists_the_endpoints(client: Any, db: None) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert (
        "/api/plans/units/{slug}/plans" in paths
        and "/api/plans/occurrences/{occurrence_id}/evidence" in paths
    )


def test_create_preview_import_and_read(world: World, client: Any) -> None:
    created = post(
        client,
        "/api/plans/units/thanh-mien/plans",
        {"title": "KH", "start_year": 2026, "end_year": 2030, "targets": [{"year": 2026, "level_code": "3"}]},
        world.coordinator,
    )
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    preview = post(
        client, f"/api/plans/plans/{plan_id}/appendix/preview", {"text": SEED_APPENDIX}, world.coordinator
    )
    data = preview.json()
    assert preview.status_code == 200 and data["can_save"] and len(data["tasks"]) == 10
    cli_like = [t.to_json() for t in parse_appendix(SEED_APPENDIX)]
    for ours, cli in zip(data["tasks"], cli_like, strict=True):
        for key in ("number", "section", "text", "lead", "time_phrase", "schedule", "flags"):
            assert ours[key] == cli[key]
    task3 = data["tasks"][2]
    assert task3["first_year_dues"] == ["2026-02-13"] and task3["lead_body"]["code"] == "VHXH"
    assert not Occurrence.objects.exists()
    saved = post(
        client,
        f"/api/plans/plans/{plan_id}/appendix",
        {"text": SEED_APPENDIX, "expected_version": 1},
        world.coordinator,
    )
    assert saved.status_code == 200 and saved.json()["created"] == 10
    detail = client.get(f"/api/plans/plans/{plan_id}", **auth(world.leader)).json()
    assert len(detail["tasks"]) == 10 and detail["targets"] == [{"year": 2026, "level_code": "3", "note": ""}]
    listed = client.get("/api/plans/units/thanh-mien/plans?current=true", **auth(world.member)).json()
    assert [p["id"] for p in listed] == [plan_id]


def test_api_bad_input_is_422_in_vietnamese(world: World, plan: Plan, client: Any) -> None:
    response = post(
        client,
        "/api/plans/units/thanh-mien/plans",
        {"title": "KH", "start_year": 2026, "end_year": 2020},
        world.coordinator,
    )
    assert (
        response.status_code == 422
        and "không được trước năm bắt đầu" in response.json()["detail"]["end_year"][0]
    )
    response = post(
        client,
        f"/api/plans/plans/{plan.pk}/appendix",
        {"text": "   ", "expected_version": 1},
        world.coordinator,
    )
    assert response.status_code == 422 and "Chưa có nội dung phụ lục" in response.json()["detail"]["text"][0]


def test_occurrences_filter_update_and_evidence(world: World, imported: Plan, client: Any) -> None:
    items = client.get(
        "/api/plans/units/thanh-mien/occurrences?year=2026&q=cai cach", **auth(world.member)
    ).json()
    assert [(o["task_number"], o["due"]) for o in items] == [("9", "2026-12-31")]
    item = items[0]
    late = client.get("/api/plans/units/thanh-mien/occurrences?status=late", **auth(world.member)).json()
    assert all(o["late"] for o in late)
    bad = client.get("/api/plans/units/thanh-mien/occurrences?status=tre", **auth(world.member))
    assert bad.status_code == 422
    url = f"/api/plans/occurrences/{item['id']}"
    response = client.patch(
        url,
        {"status": "in_progress", "percent": 30, "expected_version": 1},
        content_type="application/json",
        **auth(world.member),
    )
    assert (
        response.status_code == 200 and response.json()["percent"] == 30 and response.json()["version"] == 2
    )
    conflict = client.patch(
        url, {"status": "done", "expected_version": 1}, content_type="application/json", **auth(world.member)
    )
    assert conflict.status_code == 422 and "người khác cập nhật" in json.dumps(
        conflict.json(), ensure_ascii=False
    )
    forbidden = client.patch(
        url,
        {"status": "done", "expected_version": 2},
        content_type="application/json",
        **auth(world.users["village"]),
    )
    assert forbidden.status_code == 403
    upload = client.post(
        f"{url}/evidence",
        {"file": pdf_upload(), "effective_date": "15/12/2026", "title": "Biên bản"},
        **auth(world.member),
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["effective_date"] == "2026-12-15" and len(upload.json()["sha256"]) == 64
    bad_date = client.post(
        f"{url}/evidence", {"file": pdf_upload(), "effective_date": "mai"}, **auth(world.member)
    )
    assert bad_date.status_code == 422 and "effective_date" in bad_date.json()["detail"]
    assert client.get(url, **auth(world.users["observer"])).json()["evidence"][0]["title"] == "Biên bản"


def test_return_by_api(world: World, imported: Plan, client: Any) -> None:
    item = occ(imported, "9", "2026")
    client.patch(
        f"/api/plans/occurrences/{item.pk}",
        {"status": "done", "expected_version": 1},
        content_type="application/json",
        **auth(world.member),
    )
    response = post(
        client,
        f"/api/plans/occurrences/{item.pk}/return",
        {"reason": "Thiếu ảnh", "expected_version": 2},
        world.coordinator,
    )
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    assert response.json()["returned_reason"] == "Thiếu ảnh"


@pytest.mark.parametrize("path", ["obstacles"])
def test_obstacles_by_api(world: World, imported: Plan, client: Any, path: str) -> None:
    reported = post(
        client,
        f"/api/plans/units/thanh-mien/{path}",
        {"body_id": world.bodies["PVHCC"].pk, "text": "Thiếu kinh phí"},
        world.member,
    )
    assert reported.status_code == 201
    obstacle_id = reported.json()["id"]
    wrong_body = post(
        client,
        f"/api/plans/units/thanh-mien/{path}",
        {"body_id": world.bodies["KT"].pk, "text": "x"},
        world.member,
    )
    assert wrong_body.status_code == 403
    forwarded = post(
        client,
        f"/api/plans/units/thanh-mien/{path}/forward",
        {"obstacles": [{"id": obstacle_id, "expected_version": reported.json()["version"]}], "note": "Trình"},
        world.coordinator,
    )
    assert forwarded.status_code == 200 and forwarded.json()[0]["status"] == "forwarded"
    version = forwarded.json()[0]["version"]
    answered = post(
        client,
        f"/api/plans/obstacles/{obstacle_id}/answer",
        {"answer": "Đồng ý", "expected_version": version},
        world.leader,
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    closed = post(
        client,
        f"/api/plans/obstacles/{obstacle_id}/close",
        {"expected_version": version + 1},
        world.coordinator,
    )
    assert closed.json()["status"] == "closed"
    listed = client.get(
        f"/api/plans/units/thanh-mien/{path}?status=closed", **auth(world.users["observer"])
    ).json()
    assert [o["id"] for o in listed] == [obstacle_id]
