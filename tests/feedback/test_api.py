"""Feedback API: public submit/track carry no contact details; staff endpoints follow org.access."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from friendlygov.feedback import services
from friendlygov.feedback.models import Feedback, FeedbackState, StateType
from friendlygov.org import services as org_services
from tests.factories import World
from tests.feedback.conftest import EMAIL, PHONE, submit

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "topic": "service",
    "subject": "Đề nghị thêm ghế chờ",
    "content": "Người cao tuổi phải đứng chờ lâu ở trung tâm.",
    "contact_name": "Nguyễn Văn Bí Mật",
    "contact_phone": PHONE,
    "contact_email": EMAIL,
    "consent": True,
}


def auth(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Bearer {org_services.create_api_token(actor=user, name='t')}"}


def test_public_submit_and_track_without_contact(world: World, client: Client) -> None:
    response = client.post(
        "/api/feedback/public/thanh-mien/submit", json.dumps(PAYLOAD), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    assert PHONE not in response.content.decode()
    tracked = client.get(f"/api/feedback/public/track/{code}")
    assert tracked.status_code == 200
    body = tracked.content.decode()
    assert tracked.json()["state_type"] == "open"
    assert PHONE not in body and EMAIL not in body and "Bí Mật" not in body
    assert Feedback.objects.get().channel == "api"


def test_public_errors(world: World, client: Client) -> None:
    no_consent = client.post(
        "/api/feedback/public/thanh-mien/submit",
        json.dumps({**PAYLOAD, "consent": False}),
        content_type="application/json",
    )
    assert no_consent.status_code == 422 and "consent" in no_consent.json()["detail"]
    assert (
        client.post(
            "/api/feedback/public/hai-phong/submit", json.dumps(PAYLOAD), content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get("/api/feedback/public/track/ABCDEFGHJK").status_code == 404
    honeypot = client.post(
        "/api/feedback/public/thanh-mien/submit",
        json.dumps({**PAYLOAD, "website": "x"}),
        content_type="application/json",
    )
    assert honeypot.status_code == 201 and not Feedback.objects.exists()


def test_public_submit_is_throttled(world: World, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FEEDBACK_RATE_LIMITS = {"submit": (2, 600)}
    statuses = [
        client.post(
            "/api/feedback/public/thanh-mien/submit", json.dumps(PAYLOAD), content_type="application/json"
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [201, 201, 429] and Feedback.objects.count() == 2


def test_public_rate_reopen_and_published(world: World, client: Client) -> None:
    item = submit(world)
    services.answer_feedback(
        actor=world.coordinator, feedback=item, answer="Đã bố trí thêm ghế chờ.", publish=True
    )
    rated = client.post(
        f"/api/feedback/public/track/{item.code}/rate",
        json.dumps({"satisfied": True}),
        content_type="application/json",
    )
    assert rated.status_code == 200 and rated.json()["can_rate"] is False
    reopened = client.post(
        f"/api/feedback/public/track/{item.code}/reopen",
        json.dumps({"reason": "Vẫn thiếu ghế buổi chiều."}),
        content_type="application/json",
    )
    assert reopened.status_code == 200 and reopened.json()["state_type"] == "open"
    again = client.post(
        f"/api/feedback/public/track/{item.code}/reopen",
        json.dumps({"reason": "Lần thứ hai mở lại."}),
        content_type="application/json",
    )
    assert again.status_code == 422
    published = client.get("/api/feedback/public/thanh-mien/published").json()
    assert published == []  # reopened: no longer an answered item
    assert PHONE not in json.dumps(published)


def test_staff_list_detail_transition_answer_assign(world: World, client: Client) -> None:
    item = submit(world)
    headers = auth(world.coordinator)
    listed = client.get("/api/feedback/units/thanh-mien/items?q=ghe cho", **headers)
    assert listed.status_code == 200
    listed = client.get("/api/feedback/units/thanh-mien/items", **headers).json()
    assert [i["code"] for i in listed] == [item.code] and listed[0]["has_contact"] is True
    assert PHONE not in json.dumps(listed)
    assigned = client.post(
        f"/api/feedback/items/{item.pk}/assign",
        json.dumps({"body_id": world.bodies["PVHCC"].pk, "classification": "policy", "expected_version": 1}),
        content_type="application/json",
        **headers,
    )
    assert assigned.status_code == 200 and assigned.json()["body_name"] == world.bodies["PVHCC"].name
    in_progress = FeedbackState.objects.get(unit=world.unit, type=StateType.IN_PROGRESS)
    moved = client.post(
        f"/api/feedback/items/{item.pk}/transition",
        json.dumps({"state_id": in_progress.pk, "expected_version": assigned.json()["version"]}),
        content_type="application/json",
        **auth(world.member),
    )
    assert moved.status_code == 200 and moved.json()["state_type"] == "in_progress"
    answered = client.post(
        f"/api/feedback/items/{item.pk}/answer",
        json.dumps({"answer": "Đã bố trí thêm ghế chờ.", "expected_version": moved.json()["version"]}),
        content_type="application/json",
        **auth(world.member),
    )
    assert answered.status_code == 200 and answered.json()["state_type"] == "answered"
    detail = client.get(f"/api/feedback/items/{item.pk}", **auth(world.users["observer"]))
    assert detail.status_code == 200 and PHONE not in detail.content.decode()
    forbidden = client.post(
        f"/api/feedback/items/{item.pk}/answer",
        json.dumps({"answer": "Quan sát viên trả lời.", "expected_version": answered.json()["version"]}),
        content_type="application/json",
        **auth(world.users["observer"]),
    )
    assert forbidden.status_code == 403
    counts = client.get("/api/feedback/units/thanh-mien/counts", **headers).json()
    assert counts == {"pending": 0, "overdue": 0, "due_soon": 0, "waiting": 0}


def test_outsider_gets_404_by_api(world: World, client: Client) -> None:
    item = submit(world)
    headers = auth(world.outsider)
    state = services.default_state(world.unit, StateType.IN_PROGRESS)
    assert client.get("/api/feedback/units/thanh-mien/items", **headers).status_code == 404
    assert client.get("/api/feedback/units/thanh-mien/counts", **headers).status_code == 404
    assert client.get("/api/feedback/units/thanh-mien/figures?year=2026", **headers).status_code == 404
    assert client.get(f"/api/feedback/items/{item.pk}", **headers).status_code == 404
    for action, payload in (
        ("transition", {"state_id": state.pk, "expected_version": item.version}),
        ("answer", {"answer": "Không được phép.", "expected_version": item.version}),
        ("assign", {"body_id": None, "expected_version": item.version}),
    ):
        response = client.post(
            f"/api/feedback/items/{item.pk}/{action}",
            json.dumps(payload),
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 404, action
    assert client.get("/api/feedback/units/thanh-mien/items").status_code == 401


def test_openapi_lists_the_public_endpoints_without_contact_fields(world: World, client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "/api/feedback/public/track/{code}" in schema["paths"]
    track_schema = json.dumps(schema["components"]["schemas"]["TrackOut"])
    assert "phone" not in track_schema and "email" not in track_schema
