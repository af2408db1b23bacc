from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import Http404

from friendlygov.audit.models import AuditEvent
from friendlygov.org import access, services
from friendlygov.org.models import Body, Role, UnitEvent
from tests.factories import PASSWORD, World


def test_rename_keeps_history(world: World) -> None:
    services.rename_unit(
        actor=world.users["admin"],
        unit=world.unit,
        new_name="Thanh Miện Mới",
        effective_date=dt.date(2026, 7, 1),
    )
    event = UnitEvent.objects.get(unit=world.unit, kind=UnitEvent.Kind.RENAMED)
    assert (event.old_name, event.new_name) == ("Thanh Miện", "Thanh Miện Mới")
    change = AuditEvent.objects.filter(object_type="org.unit", action="update").first()
    assert change is not None and change.changes["name"] == ["Thanh Miện", "Thanh Miện Mới"]


def test_merge_moves_bodies_and_keeps_the_old_unit(world: World) -> None:
    services.merge_units(
        actor=world.users["admin"], sources=[world.other], into=world.unit, effective_date=dt.date(2025, 7, 1)
    )
    world.other.refresh_from_db()
    assert not world.other.is_active and world.other.merged_into == world.unit
    assert Body.objects.filter(unit=world.unit, name="Phòng Kinh tế").count() == 2
    assert (
        Body.objects.filter(unit=world.unit).values("code").distinct().count()
        == Body.objects.filter(unit=world.unit).count()
    )


def test_only_city_managers_rename(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.rename_unit(
            actor=world.coordinator, unit=world.unit, new_name="X", effective_date=dt.date(2026, 1, 1)
        )
    with pytest.raises(Http404):
        services.rename_unit(
            actor=world.outsider, unit=world.unit, new_name="X", effective_date=dt.date(2026, 1, 1)
        )


def test_deactivate_hands_over_roles(world: World) -> None:
    colleague = services.create_account(
        actor=world.users["unit_admin"],
        unit=world.unit,
        username="tm.new",
        full_name="Người Mới",
        email="new@example.vn",
        role=Role.OBSERVER,
    )
    services.deactivate_account(
        actor=world.users["unit_admin"], user=world.member, unit=world.unit, hand_over_to=colleague
    )
    world.member.refresh_from_db()
    assert not world.member.is_active and world.member.handed_over_to == colleague
    access.forget_cached_grants(colleague)
    assert access.can(colleague, access.Capability.WORK, world.unit, body=world.bodies["PVHCC"])


def test_unit_admin_cannot_deactivate_neighbour(world: World) -> None:
    with pytest.raises(Http404):
        services.deactivate_account(actor=world.users["unit_admin"], user=world.outsider, unit=world.unit)


def test_unit_admin_cannot_grant_city_roles(world: World) -> None:
    with pytest.raises((ValidationError, Http404, Exception)):
        services.create_account(
            actor=world.users["unit_admin"],
            unit=world.city,
            username="x",
            full_name="X",
            email="",
            role=Role.CITY_REVIEWER,
        )


def test_login_with_email(world: World, rf) -> None:  # type: ignore[no-untyped-def]
    request = rf.post("/dang-nhap/")
    user = authenticate(request, username="COORDINATOR@example.vn", password=PASSWORD)
    assert user == world.coordinator
    assert authenticate(request, username="coordinator", password="wrong") is None


def test_audit_log_is_append_only(world: World) -> None:
    services.create_body(
        actor=world.users["unit_admin"], unit=world.unit, kind="village", name="Thôn X", code="TX"
    )
    event = AuditEvent.objects.latest("id")
    assert event.actor == world.users["unit_admin"] and event.unit_id == world.unit.pk
    event.note = "sửa"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(note="x")
