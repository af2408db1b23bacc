"""The access matrix: roles × own unit / the unit next door."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from friendlygov.org import access
from friendlygov.org.access import Capability
from tests.factories import World

C = Capability

EXPECTED = {
    "admin": set(Capability),
    "reviewer": {C.READ, C.APPRAISE},
    "unit_admin": {C.READ, C.MANAGE_UNIT},
    "leader": {C.READ, C.LEAD},
    "coordinator": {C.READ, C.COORDINATE, C.WORK},
    "member": {C.READ},  # WORK only on its own body, checked below
    "front": {C.READ, C.JOINT_SCORE},
    "observer": {C.READ},
    "outsider": set(),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_capabilities_on_own_unit(world: World, who: str) -> None:
    user = world.users[who]
    granted = {cap for cap in Capability if access.can(user, cap, world.unit)}
    assert granted == EXPECTED[who]


def test_joint_scorer_works_for_own_organisation_only(world: World) -> None:
    assert access.can(world.users["front"], C.WORK, world.unit, body=world.bodies["MTTQ"])
    assert not access.can(world.users["front"], C.WORK, world.unit, body=world.bodies["PVHCC"])


def test_body_member_works_on_own_body_only(world: World) -> None:
    member = world.member
    assert access.can(member, C.WORK, world.unit, body=world.bodies["PVHCC"])
    assert not access.can(member, C.WORK, world.unit, body=world.bodies["KT"])
    assert access.can(world.coordinator, C.WORK, world.unit, body=world.bodies["KT"])


@pytest.mark.parametrize("who", ["coordinator", "leader", "member", "front", "observer", "unit_admin"])
def test_other_commune_is_invisible(world: World, who: str) -> None:
    user = world.users[who]
    with pytest.raises(Http404):
        access.require(user, C.READ, world.other)
    assert world.other not in access.visible_units(user)


def test_read_but_not_act_is_403(world: World) -> None:
    with pytest.raises(PermissionDenied):
        access.require(world.users["observer"], C.COORDINATE, world.unit)


def test_reviewer_sees_every_unit_of_the_city(world: World) -> None:
    assert set(access.visible_communes(world.reviewer)) == {world.unit, world.other}


def test_inactive_user_has_nothing(world: World) -> None:
    world.coordinator.is_active = False
    assert not access.can(world.coordinator, C.READ, world.unit)
