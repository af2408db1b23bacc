from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from friendlygov.kit.panels import Panel
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


def imported_accounts(scope: Unit, user_ids: list[int]) -> QuerySet[RoleGrant]:
    """The grants of the given people in `scope` (a unit, or a city and its units): what an account import
    created, shown on the page that follows it. People outside the scope are left out."""
    return unit_accounts(scope).filter(user_id__in=user_ids, is_active=True)


def import_template_rows(kind: str, scope: Unit) -> list[list[str]]:
    """One example row for the template file of an import (units, bodies or accounts) of `scope`."""
    unit = (
        scope
        if not scope.is_city
        else Unit.objects.filter(parent=scope, is_active=True).order_by("name").first()
    )
    unit_name = unit.full_name if unit is not None else "Xã An Lão"
    if kind == "units":
        return [["An Lão", "Xã", "", "", "", "", ""]]
    if kind == "bodies":
        return [
            [unit_name, "Hội Nông dân", "HND", "Tổ chức chính trị - xã hội", "Hội ND; HND xã", "", "", "", ""]
        ]
    body = (
        Body.objects.filter(unit=unit, is_active=True).order_by("position", "name").first() if unit else None
    )
    return [
        [
            "nguyen.van.a",
            "Nguyễn Văn A",
            "nguyenvana@example.vn",
            unit_name,
            "Thành viên cơ quan, thôn",
            body.code if body is not None else "",
            "Chuyên viên",
            "0912345678",
        ]
    ]


def unit_home_panel(request: HttpRequest, unit: Unit) -> Panel | None:
    body_count = bodies_of(unit).count()
    context: dict[str, Any] = {
        "unit": unit,
        "body_count": body_count,
        "village_count": bodies_of(unit)
        .filter(kind__in=[Body.Kind.VILLAGE, Body.Kind.RESIDENTIAL_GROUP])
        .count(),
        "can_manage": can(request.user, Capability.MANAGE_UNIT, unit),
    }
    return Panel("org/panel_unit.html", context, order=900)
