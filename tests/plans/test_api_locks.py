"""Locks of the plans API (issue 16): forwarding obstacles carries each obstacle's version read, and the
appendix import its plan's; writes without them are refused with 422."""

from __future__ import annotations

from typing import Any

from friendlygov.plans import services
from friendlygov.plans.models import Obstacle, Plan
from tests.factories import World
from tests.plans.test_api import post


def test_forwarding_a_changed_obstacle_is_refused(world: World, imported: Plan, client: Any) -> None:
    obstacle = services.report_obstacle(
        actor=world.member, unit=world.unit, body=world.bodies["PVHCC"], text="Thiếu kinh phí"
    )
    url = "/api/plans/units/thanh-mien/obstacles/forward"
    assert (
        post(client, url, {"obstacle_ids": [obstacle.pk], "note": "Trình"}, world.coordinator).status_code
        == 422
    )
    stale = post(
        client,
        url,
        {"obstacles": [{"id": obstacle.pk, "expected_version": obstacle.version + 1}], "note": "Trình"},
        world.coordinator,
    )
    assert stale.status_code == 422 and "người khác cập nhật" in str(stale.json()["detail"])
    assert Obstacle.objects.get(pk=obstacle.pk).status == Obstacle.Status.REPORTED
    ok = post(
        client,
        url,
        {"obstacles": [{"id": obstacle.pk, "expected_version": obstacle.version}], "note": "Trình"},
        world.coordinator,
    )
    assert ok.status_code == 200 and ok.json()[0]["status"] == "forwarded"


def test_appendix_import_requires_the_plan_version(world: World, plan: Plan, client: Any) -> None:
    url = f"/api/plans/plans/{plan.pk}/appendix"
    assert post(client, url, {"text": "x"}, world.coordinator).status_code == 422
    preview = post(client, f"{url}/preview", {"text": "x"}, world.coordinator)
    assert preview.status_code == 200  # a preview saves nothing: no lock
