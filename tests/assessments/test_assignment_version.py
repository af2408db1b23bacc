"""Two coordinators assigning the same criterion at once: the later save made from an older page or
reading is refused instead of overwriting the other one's choice (issue 16)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from friendlygov.assessments import services
from friendlygov.assessments.models import Assignment, Cycle
from friendlygov.org import services as org_services
from tests.assessments.conftest import YEAR
from tests.factories import World

API = f"/api/assessments/units/thanh-mien/cycles/{YEAR}"
PAGE = f"/don-vi/thanh-mien/danh-gia/{YEAR}/phan-cong/"


def _post(client: Any, user: Any, payload: dict[str, Any]) -> Any:
    token = org_services.create_api_token(actor=user, name="kiểm thử")
    return client.post(
        f"{API}/assignments", payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_service_checks_and_bumps_the_version(world: World, cycle: Cycle) -> None:
    def assign(body: str | None, expected: int) -> Assignment | None:
        return services.assign_criterion(
            actor=world.coordinator,
            cycle=cycle,
            criterion_code="1",
            body=world.bodies[body] if body else None,
            expected_version=expected,
        )

    created = assign("PVHCC", 0)
    assert created is not None and created.version == 1
    with pytest.raises(ValidationError, match="Phân công tiêu chí 1 đã được người khác cập nhật"):
        assign("TN", 0)  # the page saw no assignment, someone made one meanwhile
    changed = assign("TN", 1)
    assert changed is not None and changed.version == 2
    with pytest.raises(ValidationError):
        assign(None, 1)
    assert assign(None, 2) is None
    assert not cycle.assignments.exists()


def test_api_requires_and_checks_the_version(world: World, client: Any, cycle: Cycle) -> None:
    missing = _post(client, world.coordinator, {"criterion_code": "1", "body_code": "PVHCC"})
    assert missing.status_code == 422 and "expected_version" in missing.content.decode()
    first = _post(
        client, world.coordinator, {"criterion_code": "1", "body_code": "PVHCC", "expected_version": 0}
    )
    assert first.status_code == 200 and first.json() == {
        "criterion_code": "1",
        "body_code": "PVHCC",
        "version": 1,
    }
    token = org_services.create_api_token(actor=world.coordinator, name="đọc")
    tree = client.get(f"{API}/tree", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert {n["code"]: n["assignment_version"] for n in tree}["1"] == 1
    stale = _post(
        client, world.coordinator, {"criterion_code": "1", "body_code": "TN", "expected_version": 0}
    )
    assert stale.status_code == 422 and "đã được người khác cập nhật" in stale.content.decode()
    assert Assignment.objects.get(cycle=cycle, criterion_code="1").body.code == "PVHCC"
    removed = _post(
        client, world.coordinator, {"criterion_code": "1", "body_code": None, "expected_version": 1}
    )
    assert removed.status_code == 200 and removed.json()["version"] == 0


def test_api_outsider_gets_404(world: World, client: Any, cycle: Cycle) -> None:
    response = _post(
        client, world.outsider, {"criterion_code": "1", "body_code": "PVHCC", "expected_version": 0}
    )
    assert response.status_code == 404


def test_page_refuses_a_stale_save_and_keeps_the_choices(world: World, client_for: Any, cycle: Cycle) -> None:
    client = client_for(world.coordinator)
    page = client.get(PAGE).content.decode()
    assert 'name="version-1" value="0"' in page
    services.assign_criterion(
        actor=world.coordinator,
        cycle=cycle,
        criterion_code="1",
        body=world.bodies["VHXH"],
        expected_version=0,
    )
    chosen = {
        "body-1": str(world.bodies["PVHCC"].pk),
        "version-1": "0",
        "body-2": str(world.bodies["TN"].pk),
        "version-2": "0",
    }
    response = client.post(PAGE, chosen)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phân công tiêu chí 1 đã được người khác cập nhật" in html
    assert f'<option value="{world.bodies["PVHCC"].pk}" selected>' in html
    assert f'<option value="{world.bodies["TN"].pk}" selected>' in html
    # nothing half-saved: criterion 2 (not contested) was not assigned either
    assert dict(cycle.assignments.values_list("criterion_code", "body__code")) == {"1": "VHXH"}
    again = client.post(PAGE, {**chosen, "version-1": "1"})
    assert again.status_code == 302
    assert dict(cycle.assignments.values_list("criterion_code", "body__code")) == {"1": "PVHCC", "2": "TN"}
    assert Assignment.objects.get(cycle=cycle, criterion_code="1").version == 2


def test_page_outsider_gets_404(world: World, client_for: Any, cycle: Cycle) -> None:
    response = client_for(world.outsider).post(
        PAGE, {"body-1": str(world.bodies["PVHCC"].pk), "version-1": "0"}
    )
    assert response.status_code == 404
