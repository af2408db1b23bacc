"""What a person may do with a unit's dossiers, decided once (``dossiers/permissions.py``): the flags for
each standing, ``require`` (404 for a user of another commune, 403 without the standing), and the unit's
page offering importing and the settings exactly when the services do them."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from friendlygov.dossiers import services
from friendlygov.dossiers.permissions import Standing, dossier_permissions
from friendlygov.org.models import Role, Unit
from tests.decisions import assert_flags_agree, decision
from tests.dossiers.helpers import GOOD_ROWS, csv_bytes
from tests.factories import OUTSIDERS, WORLD_USERS, World, make_user

pytestmark = pytest.mark.django_db


def may(user: Any, unit: Unit) -> set[str]:
    allowed = dossier_permissions(user, unit)
    return {flag for flag in ("may_import", "may_configure") if getattr(allowed, flag)}


def test_the_flags_say_who_does_what(world: World) -> None:
    assert may(world.coordinator, world.unit) == {"may_import", "may_configure"}
    assert may(world.users["admin"], world.unit) == {"may_import", "may_configure"}
    assert may(world.member, world.unit) == {"may_import"}
    service_centre = make_user("dvsnc", Role.BODY_MEMBER, world.unit, world.bodies["DVSNC"])  # a centre too
    assert may(service_centre, world.unit) == {"may_import"}
    for username in ("leader", "unit_admin", "village", "front", "party", "observer", "reviewer"):
        assert may(world.users[username], world.unit) == set(), username


def test_a_city_keeps_no_dossiers(world: World) -> None:
    city_coordinator = make_user("city_coordinator", Role.COORDINATOR, world.city)
    assert may(city_coordinator, world.city) == {"may_configure"}
    assert may(city_coordinator, world.unit) == {"may_import", "may_configure"}  # its communes' it may
    with pytest.raises(PermissionDenied):
        dossier_permissions(city_coordinator, world.city).require(Standing.IMPORT)


@pytest.mark.parametrize("username", sorted(OUTSIDERS))
def test_a_user_of_another_commune_gets_404(world: World, username: str) -> None:
    allowed = dossier_permissions(world.users[username], world.unit)
    assert not allowed.reads and not allowed.may_import and not allowed.may_configure
    for standing in Standing:
        with pytest.raises(Http404):
            allowed.require(standing)


def test_a_reader_without_the_standing_gets_403(world: World) -> None:
    observer = dossier_permissions(world.users["observer"], world.unit)
    for standing in Standing:
        with pytest.raises(PermissionDenied):
            observer.require(standing)
    member = dossier_permissions(world.member, world.unit)
    member.require(Standing.IMPORT)  # held: no exception
    with pytest.raises(PermissionDenied):
        member.require(Standing.CONFIGURE)


# ------------------------------------------------------------------ the page offers what the service does

Call = Callable[[Any, Unit], Any]

ACTIONS: dict[str, Call] = {
    "may_import": lambda user, unit: services.import_dossiers(
        actor=user, unit=unit, data=csv_bytes(GOOD_ROWS), filename="ho-so.csv"
    ),
    "may_configure": lambda user, unit: services.update_settings(
        actor=user, unit=unit, online_max_points=Decimal("2"), digitisation_max_points=Decimal("1")
    ),
}


def service_decision(call: Call, user: Any, unit: Unit) -> bool | None:
    return decision(lambda: call(user, unit))


# every user of the World ("member" works for the one-stop centre: a centre, it keeps the dossiers)
@pytest.mark.parametrize("username", WORLD_USERS)
def test_page_flag_equals_service_decision(world: World, client_for: Any, username: str) -> None:
    user = world.users[username]
    response = client_for(user).get("/don-vi/thanh-mien/ho-so/")
    assert response.status_code == (404 if username in OUTSIDERS else 200)
    allowed = response.context["allowed"] if response.status_code == 200 else None
    assert_flags_agree(
        allowed, {flag: service_decision(call, user, world.unit) for flag, call in ACTIONS.items()}, username
    )
    for page, flag in (("nhap/", "may_import"), ("cai-dat/", "may_configure")):
        status = client_for(user).get(f"/don-vi/thanh-mien/ho-so/{page}").status_code
        assert status == (404 if allowed is None else 200 if getattr(allowed, flag) else 403), page
