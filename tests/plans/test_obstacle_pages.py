"""The obstacle pages' forms post to their own addresses: a user of another commune gets 404 there, one
who reads the unit but may not act 403 (nothing written), a GET there 405; the pages take no POST."""

from __future__ import annotations

from typing import Any

import pytest

from friendlygov.plans import services
from friendlygov.plans.models import Obstacle, Plan
from tests.factories import World

BASE = "/don-vi/thanh-mien/ke-hoach/vuong-mac/"


@pytest.fixture
def obstacle(world: World, imported: Plan) -> Obstacle:
    return services.report_obstacle(
        actor=world.member, unit=world.unit, body=world.bodies["PVHCC"], text="Thiếu kinh phí"
    )


def posts(world: World, obstacle: Obstacle) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        "report": (f"{BASE}bao-cao/", {"body": world.bodies["PVHCC"].pk, "text": "Thiếu máy tính"}),
        "forward": (f"{BASE}tong-hop/", {"obstacles": [obstacle.pk], "note": "Đề nghị cân đối"}),
        "answer": (f"{BASE}{obstacle.pk}/tra-loi/", {"answer": "Đồng ý", "version": obstacle.version}),
        "close": (f"{BASE}{obstacle.pk}/dong/", {"note": "Xong", "version": obstacle.version}),
    }


# Who may read the unit but not do the action.
READERS_WHO_MAY_NOT = {"report": "observer", "forward": "member", "answer": "coordinator", "close": "member"}
# Who may.
OWNERS = {"report": "member", "forward": "coordinator", "answer": "leader", "close": "coordinator"}


@pytest.mark.parametrize("action", list(OWNERS))
def test_each_form_its_own_address(world: World, client_for: Any, obstacle: Obstacle, action: str) -> None:
    url, data = posts(world, obstacle)[action]
    assert client_for(world.outsider).post(url, data).status_code == 404
    assert client_for(world.users[READERS_WHO_MAY_NOT[action]]).post(url, data).status_code == 403
    assert Obstacle.objects.count() == 1 and Obstacle.objects.get().status == "reported"
    owner = client_for(world.users[OWNERS[action]])
    assert owner.get(url).status_code == 405
    page = f"{BASE}{obstacle.pk}/" if action in ("answer", "close") else BASE
    assert f'action="{url}"' in owner.get(page).content.decode()
    assert owner.post(page, data).status_code == 405  # the page itself takes no POST
    assert owner.post(url, data).status_code == 302


def test_a_refused_form_shows_its_errors(world: World, client_for: Any, obstacle: Obstacle) -> None:
    leader = client_for(world.leader)
    response = leader.post(f"{BASE}{obstacle.pk}/tra-loi/", {"answer": " ", "version": obstacle.version})
    assert response.status_code == 400 and response.context["answer_form"].errors
    services.close_obstacle(actor=world.coordinator, obstacle=obstacle, expected_version=obstacle.version)
    response = leader.post(f"{BASE}{obstacle.pk}/dong/", {"version": obstacle.version + 1})
    assert response.status_code == 400 and "Vướng mắc đã đóng" in response.content.decode()
