"""The occurrence page offers an action exactly when the service would do it: the page's flag (from
``occurrence_permissions``) equals the service's decision, for every user of the World and three states
of an occurrence (not started, reported done, on a revised plan). Each action posts to its own address:
a user of another commune gets 404 there, one who may read but not act 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from friendlygov.plans import services
from friendlygov.plans.models import Contribution, Occurrence, Plan, local_today
from friendlygov.plans.permissions import occurrence_permissions
from tests.decisions import assert_flags_agree, decision
from tests.factories import OUTSIDERS, WORLD_USERS, World
from tests.plans.conftest import occ, pdf_upload

BASE = "/don-vi/thanh-mien/ke-hoach/viec/"

Call = Callable[[Any, Occurrence], Any]


def _contribute(user: Any, item: Occurrence) -> Any:
    bodies = occurrence_permissions(user, item).contribution_bodies
    body = bodies[0] if bodies else item.task.coordinators.first() or item.unit.bodies.first()
    return services.add_contribution(actor=user, occurrence=item, body=body, note="Đã dự họp")


ACTIONS: dict[str, Call] = {
    "may_update": lambda user, item: services.update_occurrence(
        actor=user, occurrence=item, expected_version=item.version, status="in_progress", percent=40
    ),
    "may_cancel": lambda user, item: services.update_occurrence(
        actor=user, occurrence=item, expected_version=item.version, status="cancelled"
    ),
    "may_attach_evidence": lambda user, item: services.add_occurrence_evidence(
        actor=user, occurrence=item, upload=pdf_upload(), effective_date=local_today()
    ),
    "may_contribute": _contribute,
    "may_return": lambda user, item: services.return_occurrence(
        actor=user, occurrence=item, expected_version=item.version, reason="Thiếu biên bản"
    ),
}


POSTS = {
    "cap-nhat/": {"status": "done", "version": 1},
    "phoi-hop/": {"note": "Đã dự họp"},
    "tra-lai/": {"reason": "Thiếu biên bản", "version": 1},
}


def service_decision(call: Call, user: Any, item: Occurrence) -> bool | None:
    return decision(
        lambda: call(
            user, Occurrence.objects.select_related("task__plan", "task__lead_body", "unit").get(pk=item.pk)
        )
    )


@pytest.fixture(params=["not_started", "done", "revised"])
def items(request: Any, world: World, imported: Plan) -> list[Occurrence]:
    """Task 9 (lead: PVHCC, no coordinating body) and task 10 (coordinating: BXDD, VP and a group)."""
    found = [occ(imported, "9", "2026"), occ(imported, "10", "2027")]
    if request.param == "done":
        for item in found:
            services.update_occurrence(
                actor=world.coordinator, occurrence=item, expected_version=item.version, status="done"
            )
    if request.param == "revised":  # an occurrence left on a revision that is no longer current
        Plan.objects.filter(pk=imported.pk).update(is_current=False)
    return [Occurrence.objects.get(pk=item.pk) for item in found]


@pytest.mark.parametrize("username", WORLD_USERS)
def test_page_flag_equals_service_decision(
    world: World, client_for: Any, items: list[Occurrence], username: str
) -> None:
    user = world.users[username]
    client = client_for(user)
    for item in items:
        response = client.get(f"{BASE}{item.pk}/")
        assert response.status_code == (404 if username in OUTSIDERS else 200)
        perms = response.context["allowed"] if response.status_code == 200 else None
        assert_flags_agree(
            perms,
            {flag: service_decision(call, user, item) for flag, call in ACTIONS.items()},
            f"{username} {item.task.number} {item.status}",
        )


def test_the_flags_say_who_does_what(world: World, imported: Plan) -> None:
    """The parity above is not empty: each action is someone's."""
    nine, ten = occ(imported, "9", "2026"), occ(imported, "10", "2027")

    def may(username: str, item: Occurrence) -> set[str]:
        perms = occurrence_permissions(world.users[username], item)
        return {flag for flag in ACTIONS if getattr(perms, flag)}

    assert may("member", nine) == {"may_update", "may_attach_evidence"}
    assert may("coordinator", nine) == {"may_update", "may_cancel", "may_attach_evidence", "may_contribute"}
    assert may("party", ten) == {"may_contribute"}
    assert "may_update" not in may("party", nine)
    assert may("observer", nine) == set() and may("leader", nine) == set()
    services.update_occurrence(actor=world.member, occurrence=nine, expected_version=1, status="done")
    assert "may_return" in may("coordinator", occ(imported, "9", "2026"))


def test_the_page_shows_only_what_is_allowed(world: World, client_for: Any, imported: Plan) -> None:
    item = occ(imported, "10", "2027")
    observer = client_for(world.users["observer"]).get(f"{BASE}{item.pk}/").content.decode()
    assert not any(f'action="{BASE}{item.pk}/{path}"' in observer for path in POSTS)
    party = client_for(world.users["party"]).get(f"{BASE}{item.pk}/").content.decode()
    assert f'action="{BASE}{item.pk}/phoi-hop/"' in party
    assert f'action="{BASE}{item.pk}/cap-nhat/"' not in party
    assert f'action="{BASE}{item.pk}/tra-lai/"' not in party


@pytest.mark.parametrize("path", list(POSTS))
def test_each_action_its_own_address(world: World, client_for: Any, imported: Plan, path: str) -> None:
    """Outsider: 404; a reader who may not act: 403; a GET there: 405; the page itself takes no POST."""
    item = occ(imported, "10", "2027")
    url = f"{BASE}{item.pk}/{path}"
    data = {**POSTS[path], "body": world.bodies["BXDD"].pk}
    assert client_for(world.outsider).post(url, data).status_code == 404
    assert client_for(world.users["observer"]).post(url, data).status_code == 403
    assert client_for(world.coordinator).get(url).status_code == 405
    assert client_for(world.coordinator).post(f"{BASE}{item.pk}/", data).status_code == 405
    item.refresh_from_db()
    assert item.status == "not_started" and not Contribution.objects.exists()


def test_the_owner_acts_through_the_addresses(world: World, client_for: Any, imported: Plan) -> None:
    item = occ(imported, "10", "2027")
    lead = client_for(world.coordinator)  # task 10's lead body is the coordinator's office
    assert lead.post(f"{BASE}{item.pk}/cap-nhat/", {"status": "done", "version": 1}).status_code == 302
    party = client_for(world.users["party"])
    done = party.post(f"{BASE}{item.pk}/phoi-hop/", {"body": world.bodies["BXDD"].pk, "note": "Đã dự họp"})
    assert done.status_code == 302 and done["Location"] == f"{BASE}{item.pk}/"
    invalid = party.post(f"{BASE}{item.pk}/phoi-hop/", {"body": world.bodies["BXDD"].pk, "note": " "})
    assert invalid.status_code == 400 and invalid.context["contribution_form"].errors
    lead = client_for(world.coordinator)
    back = lead.post(f"{BASE}{item.pk}/tra-lai/", {"reason": "Thiếu biên bản", "version": 2})
    assert back.status_code == 302
    item.refresh_from_db()
    assert item.returned_reason == "Thiếu biên bản" and item.contributions.count() == 1


def test_a_revised_plan_says_why_at_the_top(world: World, client_for: Any, imported: Plan) -> None:
    """The lead body posts to an occurrence of the revision it had open: the state's message, no form."""
    item = occ(imported, "9", "2026")
    Plan.objects.filter(pk=imported.pk).update(is_current=False)
    response = client_for(world.member).post(f"{BASE}{item.pk}/cap-nhat/", {"status": "done", "version": 1})
    assert response.status_code == 400
    assert "chỉ cập nhật được bản hiện hành" in response.content.decode()
