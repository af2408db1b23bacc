"""Locks of the operations API (issue 16): the lock is named ``expected_version`` everywhere, and a
village's first review of a year is written with 0 — refused once someone else recorded it."""

from __future__ import annotations

from typing import Any

from friendlygov.operations import services
from friendlygov.operations.models import VillageReview
from friendlygov.org import services as org_services
from tests.factories import World

API = "/api/operations"


def _auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {org_services.create_api_token(actor=user, name='api')}"}


def test_two_first_village_reviews_at_once(world: World, client: Any) -> None:
    village = world.bodies["TN"]
    url = f"{API}/units/thanh-mien/villages/{village.pk}/reviews/2026"
    auth = _auth(world.users["village"])
    assert client.get(url, **auth).status_code == 404  # none yet: write with 0
    assert (
        client.put(url, {"title_result": "pending"}, content_type="application/json", **auth).status_code
        == 422
    )
    services.record_village_review(
        actor=world.coordinator,
        unit=world.unit,
        village=village,
        year=2026,
        results={},
        title_result=VillageReview.Title.PENDING,
        note="Ghi trước",
        expected_version=0,
    )
    late = client.put(
        url,
        {"title_result": "pending", "note": "Ghi sau", "expected_version": 0},
        content_type="application/json",
        **auth,
    )
    assert late.status_code == 422 and "người khác cập nhật" in str(late.json()["detail"])
    assert VillageReview.objects.get(village=village, year=2026).note == "Ghi trước"
    read = client.get(url, **auth).json()
    again = client.put(
        url,
        {"title_result": "pending", "note": "Ghi sau", "expected_version": read["version"]},
        content_type="application/json",
        **auth,
    )
    assert again.status_code == 200 and again.json()["version"] == read["version"] + 1
