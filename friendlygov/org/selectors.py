from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from friendlygov.core.panels import Panel
from friendlygov.org.access import Capability, can
from friendlygov.org.models import Body, RoleGrant, Unit
from friendlygov.rules.text import normalize_vi


def bodies_of(unit: Unit, *, include_inactive: bool = False) -> QuerySet[Body]:
    bodies = Body.objects.filter(unit=unit)
    return bodies if include_inactive else bodies.filter(is_active=True)


def grouped_bodies(unit: Unit) -> list[tuple[str, list[Body]]]:
    groups: dict[str, list[Body]] = {}
    labels = dict(Body.Kind.choices)
    for body in bodies_of(unit, include_inactive=True):
        groups.setdefault(str(labels[body.kind]), []).append(body)
    return list(groups.items())


def city_units(city: Unit, *, query: str = "", kind: str = "") -> list[Any]:
    units = Unit.objects.filter(parent=city).annotate(
        body_count=Count("bodies", filter=Q(bodies__is_active=True), distinct=True),
        user_count=Count("grants__user", filter=Q(grants__is_active=True), distinct=True),
    )
    if kind:
        units = units.filter(kind=kind)
    result = list(units.order_by("name"))
    if query:
        wanted = normalize_vi(query)
        result = [u for u in result if wanted in normalize_vi(u.name) or wanted in u.slug]
    return result


def unit_accounts(unit: Unit) -> QuerySet[RoleGrant]:
    return (
        RoleGrant.objects.filter(Q(unit=unit) | Q(unit__parent=unit))
        .select_related("user", "body", "unit")
        .order_by("-is_active", "user__full_name", "user__username")
    )


def unit_home_panel(request: HttpRequest, unit: Unit) -> Panel | None:
    body_count = bodies_of(unit).count()
    context: dict[str, Any] = {
        "unit": unit,
        "body_count": body_count,
        "village_count": bodies_of(unit).filter(kind__in=[Body.Kind.VILLAGE, Body.Kind.RESIDENTIAL_GROUP]).count(),
        "can_manage": can(request.user, Capability.MANAGE_UNIT, unit),
    }
    return Panel("org/panel_unit.html", context, order=900)
