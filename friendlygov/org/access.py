"""The one place that decides whether a user may read or act on something of a unit.

Roles are granted on a node of the tree (a city, a commune-level unit, or a body of a unit) and apply to
that node and everything below it. Every page and API endpoint asks here. Someone who may not even read a
unit's data gets 404 (the object "does not exist" for them), never a hint that it does.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from friendlygov.org.models import Body, Role, RoleGrant, Unit, User

M = TypeVar("M", bound=models.Model)

# Who acts in a service: a signed-in user (every page and endpoint that writes requires one; the commands
# and the demo pass a user too, or None where the service says so).
Actor: TypeAlias = User

# Whom a read is decided for: a signed-in user, the visitor of a public page, or nobody (a command, a job).
# Only a signed-in, active user holds grants; the others may read nothing that is not public.
Someone: TypeAlias = User | AnonymousUser | None


class AuthenticatedRequest(HttpRequest):
    """The request of a page behind ``login_required`` or of an API endpoint behind the API's
    authentication: ``request.user`` is a signed-in user, never ``AnonymousUser``."""

    user: User


class Capability(enum.StrEnum):
    READ = "read"
    MANAGE_UNIT = "manage_unit"  # bodies, accounts, the unit's tree
    COORDINATE = "coordinate"  # runs the programme of the unit (Phòng VH-XH)
    LEAD = "lead"  # registers, approves, submits, signs (Chủ tịch / Phó Chủ tịch)
    WORK = "work"  # updates what is assigned to a body (needs the body)
    JOINT_SCORE = "joint_score"  # proposes scores (MTTQ, Ban Xây dựng Đảng)
    APPRAISE = "appraise"  # city reviewer: registration acceptance, appraisal, recognition, city figures
    MANAGE_CITY = "manage_city"  # the city's list of units


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.SYSTEM_ADMIN: frozenset(Capability),
    Role.CITY_REVIEWER: frozenset({Capability.READ, Capability.APPRAISE}),
    Role.UNIT_ADMIN: frozenset({Capability.READ, Capability.MANAGE_UNIT}),
    Role.UNIT_LEADER: frozenset({Capability.READ, Capability.LEAD}),
    Role.COORDINATOR: frozenset({Capability.READ, Capability.COORDINATE, Capability.WORK}),
    Role.BODY_MEMBER: frozenset({Capability.READ, Capability.WORK}),
    # Joint scorers also work for their own organisation (the Front, the Party Building Board).
    Role.JOINT_SCORER: frozenset({Capability.READ, Capability.JOINT_SCORE, Capability.WORK}),
    Role.OBSERVER: frozenset({Capability.READ}),
}


BODY_BOUND_ROLES = frozenset({Role.BODY_MEMBER, Role.JOINT_SCORER})


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    body_id: int | None


_GRANTS_ATTRIBUTE = "_fg_grants"


def _grants(user: Someone) -> list[Grant]:
    """The user's active grants, read once per user object and kept on it (through ``request.user``'s
    lazy proxy: set and read by name, so that :func:`forget_cached_grants` finds them)."""
    if not isinstance(user, User) or not user.is_active:
        return []
    cached: list[Grant] | None = getattr(user, _GRANTS_ATTRIBUTE, None)
    if cached is None:
        cached = [
            Grant(role=g.role, unit_id=g.unit_id, body_id=g.body_id)
            for g in RoleGrant.objects.filter(user=user, is_active=True).only("role", "unit_id", "body_id")
        ]
        setattr(user, _GRANTS_ATTRIBUTE, cached)
    return cached


def forget_cached_grants(user: User) -> None:
    if hasattr(user, _GRANTS_ATTRIBUTE):
        delattr(user, _GRANTS_ATTRIBUTE)


def _ancestor_ids(unit: Unit) -> list[int]:
    ids = [unit.pk]
    node = unit
    while node.parent_id is not None:
        ids.append(int(node.parent_id))
        node = node.parent  # type: ignore[assignment]
        if node is None or len(ids) > 10:
            break
    return ids


def is_system_admin(user: Someone) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        g.role == Role.SYSTEM_ADMIN for g in _grants(user)
    )


def roles_on(user: Someone, unit: Unit) -> set[str]:
    """Roles that apply to `unit` (granted on it, on an ancestor, or on one of its bodies)."""
    chain = set(_ancestor_ids(unit))
    return {g.role for g in _grants(user) if g.unit_id in chain}


def can(user: Someone, capability: Capability, unit: Unit, *, body: Body | None = None) -> bool:
    if is_system_admin(user):
        return True
    chain = set(_ancestor_ids(unit))
    for grant in _grants(user):
        if grant.unit_id not in chain or capability not in ROLE_CAPABILITIES.get(grant.role, frozenset()):
            continue
        if capability is Capability.WORK and grant.role in BODY_BOUND_ROLES:
            # Body members and joint scorers work on their own body's items only (a coordinator on every body).
            if grant.body_id is None and grant.role == Role.BODY_MEMBER:
                return True
            if body is not None and body.pk == grant.body_id:
                return True
            continue
        return True
    return False


def require(user: Someone, capability: Capability, unit: Unit, *, body: Body | None = None) -> None:
    """404 when the user may not read the unit at all; 403 when they may read but not do this."""
    if not can(user, Capability.READ, unit):
        raise Http404
    if capability is not Capability.READ and not can(user, capability, unit, body=body):
        raise PermissionDenied


def require_standing(*, reads: bool, held: bool) -> None:
    """The refusal of every permission selector's ``require``: 404 for someone who may not read the unit
    (its pages do not exist for them), 403 for a reader without the standing the action needs."""
    if not reads:
        raise Http404
    if not held:
        raise PermissionDenied


def visible_units(user: Someone) -> QuerySet[Unit]:
    if is_system_admin(user):
        return Unit.objects.all()
    unit_ids = {g.unit_id for g in _grants(user)}
    return Unit.objects.filter(Q(pk__in=unit_ids) | Q(parent_id__in=unit_ids))


def visible_communes(user: Someone, city: Unit | None = None) -> QuerySet[Unit]:
    units = visible_units(user).exclude(kind__in=Unit.CITY_KINDS)
    return units.filter(parent=city) if city is not None else units


def work_bodies(user: Someone, unit: Unit) -> list[Body]:
    """The bodies of `unit` the user works for (all of them for a coordinator)."""
    if can(user, Capability.COORDINATE, unit):
        return list(unit.bodies.filter(is_active=True))
    body_ids = {g.body_id for g in _grants(user) if g.body_id is not None and g.unit_id == unit.pk}
    return list(Body.objects.filter(pk__in=body_ids, unit=unit))


def bodies_granted(user: Someone, unit: Unit, role: str) -> list[Body]:
    """The bodies of `unit` on which the user holds `role` (e.g. the organisations a joint scorer speaks for)."""
    body_ids = {
        g.body_id for g in _grants(user) if g.role == role and g.unit_id == unit.pk and g.body_id is not None
    }
    return list(Body.objects.filter(pk__in=body_ids, unit=unit)) if body_ids else []


def get_unit_for(user: Someone, slug: str, capability: Capability = Capability.READ) -> Unit:
    unit = Unit.objects.select_related("parent").filter(slug=slug).first()
    if unit is None:
        raise Http404
    require(user, capability, unit)
    return unit


def get_object_for(
    user: Someone,
    queryset: QuerySet[M] | type[M],
    capability: Capability = Capability.READ,
    *,
    unit_path: str = "unit",
    body_path: str | None = None,
    **lookup: Any,
) -> M:
    """Fetch one object by `lookup` and check the user's capability on the unit it belongs to."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise Http404
    unit = _resolve(obj, unit_path)
    body = _resolve(obj, body_path) if body_path else None
    require(user, capability, unit, body=body)
    return obj


def _resolve(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def users_with_roles(unit: Unit, roles: Iterable[str], *, body: Body | None = None) -> QuerySet[User]:
    """Active users holding one of `roles` on the unit (or on `body` when given)."""
    grants = RoleGrant.objects.filter(is_active=True, role__in=list(roles), unit=unit)
    if body is not None:
        grants = grants.filter(Q(body=body) | Q(body__isnull=True))
    return User.objects.filter(is_active=True, grants__in=grants).distinct()
