"""A small world for tests: a city, our commune with its bodies, and a commune next door.

Every permission test uses `outsider` (a coordinator of the commune next door), who must get 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from friendlygov.org.models import Body, Role, RoleGrant, Unit

PASSWORD = "mat-khau-thu-nghiem-2026"


@dataclass
class World:
    city: Unit
    unit: Unit
    other: Unit
    bodies: dict[str, Body]
    other_bodies: dict[str, Body]
    users: dict[str, Any] = field(default_factory=dict)

    @property
    def coordinator(self) -> Any:
        return self.users["coordinator"]

    @property
    def leader(self) -> Any:
        return self.users["leader"]

    @property
    def member(self) -> Any:
        return self.users["member"]

    @property
    def outsider(self) -> Any:
        return self.users["outsider"]

    @property
    def reviewer(self) -> Any:
        return self.users["reviewer"]


BODY_SPECS = [
    (Body.Kind.OFFICE, "Phòng Văn hóa - Xã hội", "VHXH", ["VH-XH", "Phòng Văn hóa- Xã hội"]),
    (Body.Kind.CENTRE, "Trung tâm Phục vụ hành chính công", "PVHCC", ["Trung tâm Phục vụ HCC", "HCC"]),
    (Body.Kind.OFFICE, "Văn phòng HĐND và UBND", "VP", ["Văn phòng HĐND-UBND", "Văn phòng HĐND- UBND"]),
    (Body.Kind.OFFICE, "Phòng Kinh tế", "KT", []),
    (Body.Kind.CENTRE, "Trung tâm Dịch vụ sự nghiệp công", "DVSNC", []),
    (Body.Kind.FRONT, "Ủy ban Mặt trận Tổ quốc Việt Nam xã", "MTTQ", ["MTTQ"]),
    (Body.Kind.PARTY, "Ban Xây dựng Đảng", "BXDD", ["Ban xây dựng Đảng"]),
    (Body.Kind.VILLAGE, "Thôn Tháp Ngạn", "TN", []),
    (Body.Kind.VILLAGE, "Thôn Hòa Bình", "HB", []),
]


def make_user(
    username: str, role: str | None = None, unit: Unit | None = None, body: Body | None = None
) -> Any:
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.vn", full_name=username.title()
    )
    if role is not None and unit is not None:
        RoleGrant.objects.create(user=user, role=role, unit=unit, body=body)
    return user


def make_world() -> World:
    city = Unit.objects.create(kind=Unit.Kind.CITY, name="Hải Phòng", slug="hai-phong")
    unit = Unit.objects.create(kind=Unit.Kind.COMMUNE, name="Thanh Miện", slug="thanh-mien", parent=city)
    other = Unit.objects.create(kind=Unit.Kind.COMMUNE, name="Gia Lộc", slug="gia-loc", parent=city)
    bodies = {
        code: Body.objects.create(unit=unit, kind=kind, name=name, code=code, aliases=aliases, position=i)
        for i, (kind, name, code, aliases) in enumerate(BODY_SPECS)
    }
    other_bodies = {
        code: Body.objects.create(unit=other, kind=kind, name=name, code=code, position=i)
        for i, (kind, name, code, _aliases) in enumerate(BODY_SPECS)
    }
    world = World(city=city, unit=unit, other=other, bodies=bodies, other_bodies=other_bodies)
    world.users = {
        "admin": make_user("admin", Role.SYSTEM_ADMIN, city),
        "reviewer": make_user("reviewer", Role.CITY_REVIEWER, city),
        "unit_admin": make_user("unit_admin", Role.UNIT_ADMIN, unit),
        "leader": make_user("leader", Role.UNIT_LEADER, unit),
        "coordinator": make_user("coordinator", Role.COORDINATOR, unit, bodies["VHXH"]),
        "member": make_user("member", Role.BODY_MEMBER, unit, bodies["PVHCC"]),
        "village": make_user("village", Role.BODY_MEMBER, unit, bodies["TN"]),
        "front": make_user("front", Role.JOINT_SCORER, unit, bodies["MTTQ"]),
        "party": make_user("party", Role.JOINT_SCORER, unit, bodies["BXDD"]),
        "observer": make_user("observer", Role.OBSERVER, unit),
        "outsider": make_user("outsider", Role.COORDINATOR, other, other_bodies["VHXH"]),
        "other_leader": make_user("other_leader", Role.UNIT_LEADER, other),
    }
    assert tuple(world.users) == WORLD_USERS
    return world


#: The users :func:`make_world` makes, by name: the permission tests ask each of them.
WORLD_USERS = (
    "admin",
    "reviewer",
    "unit_admin",
    "leader",
    "coordinator",
    "member",
    "village",
    "front",
    "party",
    "observer",
    "outsider",
    "other_leader",
)
#: Those of them who work for the commune next door (every page of Thanh Miện is a 404 for them).
OUTSIDERS = frozenset({"outsider", "other_leader"})
