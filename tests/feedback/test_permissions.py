"""What a person may do on citizens' feedback, decided once (``feedback/permissions.py``): the flags for
each standing and state, ``require`` (404 for a user of another commune, 403 without the standing), and
the item's page offering an action exactly when the service does it (the page's flag equals the
service's decision, for every user of the World and four kinds of item)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from friendlygov.feedback import services
from friendlygov.feedback.models import Feedback
from friendlygov.feedback.permissions import Standing, feedback_permissions, feedback_unit_permissions
from friendlygov.org.models import Role
from tests.decisions import assert_flags_agree, decision
from tests.factories import OUTSIDERS, WORLD_USERS, World, make_user
from tests.feedback.conftest import submit

pytestmark = pytest.mark.django_db

ANSWER = "Đơn vị đã làm việc với bộ phận một cửa và chấn chỉnh việc hẹn lại hồ sơ."
USERS = [*WORLD_USERS, "all_bodies"]


@pytest.fixture
def people(world: World) -> World:
    """The World with a body member whose grant names no body: they work for every body of the unit."""
    world.users["all_bodies"] = make_user("all_bodies", Role.BODY_MEMBER, world.unit)
    return world


def complaint(world: World) -> Feedback:
    """A complaint about the one-stop centre (PVHCC), assigned by the coordinator to the office (VP)."""
    item = submit(
        world,
        topic=Feedback.Topic.CONDUCT,
        subject="Cán bộ một cửa gây khó dễ",
        content="Cán bộ quầy tiếp nhận yêu cầu nộp thêm giấy tờ không có trong quy định.",
        about_body=world.bodies["PVHCC"],
    )
    return services.assign_feedback(
        actor=world.coordinator, feedback=item, body=world.bodies["VP"], classification="conduct"
    )


def awaiting(world: World) -> Feedback:
    """The unit asks for the leader's approval, and the coordinator's answer waits for it."""
    services.set_leader_approval(actor=world.leader, unit=world.unit, required=True)
    item = submit(world)
    return services.answer_feedback(actor=world.coordinator, feedback=item, answer=ANSWER)


def make_item(world: World, kind: str) -> Feedback:
    if kind == "open":
        return submit(world)
    if kind == "assigned":
        return services.assign_feedback(
            actor=world.coordinator,
            feedback=submit(world),
            body=world.bodies["PVHCC"],
            classification="policy",
        )
    if kind == "complaint":
        return complaint(world)
    return awaiting(world)


def may(world: World, username: str, item: Feedback) -> set[str]:
    allowed = feedback_permissions(world.users[username], Feedback.objects.get(pk=item.pk))
    return {
        flag
        for flag in ("may_handle", "may_assign", "may_view_contact", "may_approve", "answer_waits_for_leader")
        if getattr(allowed, flag)
    }


HANDLER = {"may_handle", "may_view_contact"}
COORDINATOR = HANDLER | {"may_assign"}


def test_an_unassigned_item_is_the_coordinators(people: World) -> None:
    item = submit(people)
    assert may(people, "coordinator", item) == COORDINATOR
    assert may(people, "admin", item) == COORDINATOR
    assert may(people, "all_bodies", item) == HANDLER
    for username in ("member", "village", "front", "leader", "unit_admin", "observer", "reviewer"):
        assert may(people, username, item) == set(), username


def test_an_assigned_item_is_its_bodys_too(people: World) -> None:
    item = make_item(people, "assigned")
    assert may(people, "member", item) == HANDLER
    assert may(people, "coordinator", item) == COORDINATOR
    assert may(people, "village", item) == set() and may(people, "front", item) == set()


def test_the_body_complained_about_never_handles_it(people: World) -> None:
    item = complaint(people)
    allowed = feedback_permissions(people.users["all_bodies"], item)
    assert allowed.complained_about and not allowed.may_handle and not allowed.may_view_contact
    with pytest.raises(PermissionDenied):
        allowed.require(Standing.HANDLE)
    coordinator = feedback_permissions(
        people.coordinator, item
    )  # works for every body, complained about none
    assert not coordinator.complained_about and coordinator.may_handle
    assert may(people, "member", item) == set()


def test_an_answer_waiting_for_the_leader(people: World) -> None:
    plain = submit(people)
    assert not feedback_permissions(people.coordinator, plain).answer_waits_for_leader
    item = awaiting(people)
    coordinator = feedback_permissions(people.coordinator, item)
    assert coordinator.awaiting and coordinator.approval_required
    assert may(people, "coordinator", item) == COORDINATOR | {"answer_waits_for_leader"}
    assert may(people, "leader", item) == {"may_approve"}  # the leader's own answer goes straight out
    assert may(people, "unit_admin", item) == set()
    assert "may_approve" not in may(people, "leader", plain)


def test_the_units_flags(people: World) -> None:
    def unit_may(username: str) -> set[str]:
        allowed = feedback_unit_permissions(people.users[username], people.unit)
        flags = ("may_record", "may_configure", "may_change_approval_setting", "may_approve")
        return {flag for flag in flags if getattr(allowed, flag)}

    assert unit_may("coordinator") == {"may_record", "may_configure"}
    assert unit_may("leader") == {"may_change_approval_setting", "may_approve"}
    assert unit_may("unit_admin") == {"may_change_approval_setting"}
    assert unit_may("admin") == {"may_record", "may_configure", "may_change_approval_setting", "may_approve"}
    for username in ("member", "all_bodies", "observer", "reviewer", "outsider", "other_leader"):
        assert unit_may(username) == set(), username


@pytest.mark.parametrize("username", sorted(OUTSIDERS))
def test_a_user_of_another_commune_gets_404_for_every_standing(people: World, username: str) -> None:
    user = people.users[username]
    allowed = feedback_permissions(user, submit(people))
    assert not allowed.reads and not allowed.may_handle and not allowed.may_assign
    for standing in Standing:
        with pytest.raises(Http404):
            allowed.require(standing)
    unit = feedback_unit_permissions(user, people.unit)
    for unit_standing in (Standing.COORDINATE, Standing.LEAD, Standing.APPROVAL_SETTING):
        with pytest.raises(Http404):
            unit.require(unit_standing)


def test_a_reader_without_the_standing_gets_403(people: World) -> None:
    allowed = feedback_permissions(people.users["observer"], submit(people))
    assert allowed.reads
    for standing in Standing:
        with pytest.raises(PermissionDenied):
            allowed.require(standing)
    feedback_permissions(people.leader, submit(people)).require(Standing.LEAD)  # held: no exception


# ------------------------------------------------------------------ the page offers what the service does

Call = Callable[[Any, Feedback], Any]


def _assign(user: Any, item: Feedback) -> Any:
    body = item.unit.bodies.get(code="KT")
    return services.assign_feedback(actor=user, feedback=item, body=body, classification="policy")


ACTIONS: dict[str, Call] = {
    "may_handle": lambda user, item: services.publish_answer(actor=user, feedback=item, publish=False),
    "may_assign": _assign,
    "may_view_contact": lambda user, item: services.view_contact(actor=user, feedback=item),
    "may_approve": lambda user, item: services.approve_answer(actor=user, feedback=item),
}


def service_decision(call: Call, user: Any, item: Feedback) -> bool | None:
    return decision(
        lambda: call(
            user, Feedback.objects.select_related("unit", "state", "body", "about_body").get(pk=item.pk)
        )
    )


@pytest.mark.parametrize("kind", ["open", "assigned", "complaint", "awaiting"])
@pytest.mark.parametrize("username", USERS)
def test_page_flag_equals_service_decision(people: World, client_for: Any, kind: str, username: str) -> None:
    item = make_item(people, kind)
    user = people.users[username]
    response = client_for(user).get(f"/don-vi/thanh-mien/phan-anh/{item.pk}/")
    assert response.status_code == (404 if username in OUTSIDERS else 200)
    allowed = response.context["allowed"] if response.status_code == 200 else None
    assert_flags_agree(
        allowed,
        {flag: service_decision(call, user, item) for flag, call in ACTIONS.items()},
        f"{username} {kind}",
    )


def test_a_stale_post_of_someone_who_may_not_assign_is_refused_as_forbidden(world: World) -> None:
    """The permission is decided before the version: an observer posting an old form gets 403, not the
    "changed meanwhile" message meant for someone who may act."""
    item = submit(world)
    stale = item.version
    services.assign_feedback(
        actor=world.coordinator, feedback=item, body=world.bodies["VP"], classification=""
    )
    with pytest.raises(PermissionDenied):
        services.assign_feedback(
            actor=world.users["observer"],
            feedback=item,
            body=world.bodies["PVHCC"],
            classification="",
            expected_version=stale,
        )
    with pytest.raises(ValidationError):
        services.assign_feedback(
            actor=world.coordinator,
            feedback=item,
            body=world.bodies["PVHCC"],
            classification="",
            expected_version=stale,
        )
