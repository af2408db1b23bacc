from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
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


def _count_of(rows: QuerySet[Any], column: str) -> Subquery:
    """COUNT(DISTINCT ``column``) of ``rows`` (filtered on the outer unit) as a scalar subquery."""
    counted = rows.order_by().values("unit").annotate(n=Count(column, distinct=True)).values("n")
    return Subquery(counted, output_field=IntegerField())


def city_units(city: Unit, *, query: str = "", kind: str = "") -> list[Any]:
    # Two counts per unit, each its own subquery: joining bodies and grants in one query would multiply
    # every unit's bodies by its grants before counting them apart (9 ms for a city's 114 units).
    units = Unit.objects.filter(parent=city).annotate(
        body_count=Coalesce(_count_of(Body.objects.filter(unit=OuterRef("pk"), is_active=True), "pk"), 0),
        user_count=Coalesce(
            _count_of(RoleGrant.objects.filter(unit=OuterRef("pk"), is_active=True), "user"), 0
        ),
    )
    if kind:
        units = units.filter(kind=kind)
    result = list(units.order_by("name"))
    if query:
        wanted = normalize_vi(query)
        result = [u for u in result if wanted in normalize_vi(u.name) or wanted in u.slug or wanted == u.code]
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


#: the fields of a unit whose changes its page lists (renames, the official code, the kind)
UNIT_HISTORY_FIELDS = ("name", "code", "kind", "slug")


def unit_changes(unit: Unit) -> list[dict[str, Any]]:
    """The unit's own changes of name, official code, kind or slug, newest first, from the audit log (old
    and new values; the official list's loads and the city's renames write them)."""
    from friendlygov.audit.models import AuditEvent
    from friendlygov.audit.selectors import object_history

    labels = {
        name: str(getattr(Unit._meta.get_field(name), "verbose_name", name)) for name in UNIT_HISTORY_FIELDS
    }
    kinds = dict(Unit.Kind.choices)
    changes = []
    events = object_history(obj_type=Unit._meta.label_lower, obj_id=unit.pk).filter(
        action=AuditEvent.Action.UPDATE
    )
    for event in events.order_by("-at", "-pk"):
        fields = [
            (
                labels[name],
                [str(kinds.get(v, v)) if name == "kind" and v else v for v in event.changes[name]],
            )
            for name in UNIT_HISTORY_FIELDS
            if name in event.changes
        ]
        if fields:
            changes.append(
                {"at": event.at, "actor_name": event.actor_name, "fields": fields, "note": event.note}
            )
    return changes
