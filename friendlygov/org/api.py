from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from friendlygov.kit.concurrency import ExpectedVersion
from friendlygov.org import access, selectors, services
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Body

router = Router(tags=["Tổ chức"])


class UnitOut(Schema):
    slug: str
    code: str  # the official code (five digits for a commune-level unit, two for a province or city)
    name: str
    full_name: str
    kind: str
    parent: str | None
    is_active: bool


class BodyOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    aliases: list[str]
    head_name: str
    phone: str
    email: str
    is_active: bool
    version: int


class BodyIn(Schema):
    kind: str
    name: str
    code: str
    aliases: list[str] = []
    head_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class BodyPatch(Schema):
    expected_version: ExpectedVersion
    kind: str | None = None
    name: str | None = None
    code: str | None = None
    aliases: list[str] | None = None
    head_name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    is_active: bool | None = None


def _unit_out(unit: Any) -> dict[str, Any]:
    return {
        "slug": unit.slug,
        "code": unit.code,
        "name": unit.name,
        "full_name": unit.full_name,
        "kind": unit.kind,
        "parent": unit.parent.slug if unit.parent_id else None,
        "is_active": unit.is_active,
    }


@router.get("/units", response=list[UnitOut])
def list_units(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _unit_out(u) for u in access.visible_units(request.user).select_related("parent").order_by("name")
    ]


@router.get("/units/{slug}", response=UnitOut)
def get_unit(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _unit_out(access.get_unit_for(request.user, slug))


@router.get("/units/{slug}/bodies", response=list[BodyOut])
def list_bodies(request: HttpRequest, slug: str) -> Any:
    unit = access.get_unit_for(request.user, slug)
    return list(selectors.bodies_of(unit, include_inactive=True))


@router.post("/units/{slug}/bodies", response={201: BodyOut})
def create_body(request: AuthenticatedRequest, slug: str, payload: BodyIn) -> Any:
    unit = access.get_unit_for(request.user, slug)
    return Status(201, services.create_body(actor=request.user, unit=unit, **payload.dict()))


@router.get("/bodies/{body_id}", response=BodyOut)
def get_body(request: HttpRequest, body_id: int) -> Any:
    return access.get_object_for(request.user, Body, Capability.READ, pk=body_id)


@router.patch("/bodies/{body_id}", response=BodyOut)
def update_body(request: AuthenticatedRequest, body_id: int, payload: BodyPatch) -> Any:
    body = access.get_object_for(request.user, Body, Capability.MANAGE_UNIT, pk=body_id)
    return services.update_body(actor=request.user, body=body, **payload.dict(exclude_none=True))
