"""The organisation part of the demo: the city, Thanh Miện with the bodies its plan names, two more
units, and one account per role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from friendlygov.audit import services as audit
from friendlygov.org.models import Body, Role, RoleGrant, Unit, UnitEvent

# The seed spells some bodies several ways; the first is kept, the others become aliases for matching.
THANH_MIEN_BODIES: list[tuple[str, str, str, list[str], str]] = [
    (
        Body.Kind.OFFICE,
        "Phòng Văn hóa - Xã hội",
        "VHXH",
        ["Phòng Văn hóa- Xã hội", "Phòng Văn hóa – Xã hội", "VH-XH", "Phòng VH-XH"],
        "Nguyễn Thị Hạnh",
    ),
    (
        Body.Kind.CENTRE,
        "Trung tâm Phục vụ hành chính công",
        "PVHCC",
        ["Trung tâm Phục vụ HCC", "Trung tâm Phục vụ Hành chính công xã", "HCC", "TTPVHCC"],
        "Phạm Văn Long",
    ),
    (
        Body.Kind.OFFICE,
        "Văn phòng HĐND và UBND",
        "VP",
        ["Văn phòng HĐND-UBND", "Văn phòng HĐND- UBND", "Văn phòng HĐND - UBND", "VP HĐND-UBND"],
        "Trần Minh Đức",
    ),
    (Body.Kind.OFFICE, "Phòng Kinh tế", "KT", ["Phòng Kinh tế xã"], "Vũ Văn Nam"),
    (
        Body.Kind.CENTRE,
        "Trung tâm Dịch vụ sự nghiệp công",
        "DVSNC",
        ["Trung tâm Dịch vụ sự nghiệp công xã", "TTDVSNC"],
        "Đỗ Thị Lan",
    ),
    (
        Body.Kind.FRONT,
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
        "MTTQ",
        ["Ủy ban MTTQ Việt Nam xã", "MTTQ", "Mặt trận Tổ quốc"],
        "Hoàng Văn Bình",
    ),
    (
        Body.Kind.PARTY,
        "Ban Xây dựng Đảng",
        "BXDD",
        ["Ban xây dựng Đảng", "Ban Xây dựng Đảng Đảng ủy xã", "BXDĐ"],
        "Lương Thị Thu",
    ),
    (Body.Kind.SOCIOPOLITICAL, "Hội Liên hiệp Phụ nữ xã", "HPN", ["Hội Phụ nữ"], "Nguyễn Thị Mai"),
    (
        Body.Kind.SOCIOPOLITICAL,
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh xã",
        "DTN",
        ["Đoàn Thanh niên"],
        "Bùi Văn Khánh",
    ),
    (Body.Kind.SOCIOPOLITICAL, "Hội Cựu chiến binh xã", "CCB", ["Hội CCB"], "Phạm Văn Thắng"),
    (Body.Kind.SOCIOPOLITICAL, "Hội Nông dân xã", "HND", [], "Đinh Văn Sơn"),
    (Body.Kind.VILLAGE, "Thôn Tháp Ngạn", "TN", [], "Nguyễn Văn Tài"),
    (Body.Kind.VILLAGE, "Thôn Hòa Bình", "HB", [], "Trần Văn Hòa"),
    (Body.Kind.VILLAGE, "Thôn Phạm Lâm", "PL", [], "Lê Văn Phú"),
    (Body.Kind.VILLAGE, "Thôn Đông Phan", "DP", [], "Vũ Thị Nga"),
]

CITY_HOME_AFFAIRS_DIRECTOR = "Phạm Văn Duyệt"  # a demo name, like every account below

OTHER_UNITS = [
    (Unit.Kind.COMMUNE, "Gia Lộc", "gia-loc"),
    (Unit.Kind.WARD, "Lê Chân", "le-chan"),
    (Unit.Kind.SPECIAL_ZONE, "Cát Hải", "cat-hai"),
]

STANDARD_BODIES = [
    (Body.Kind.OFFICE, "Phòng Văn hóa - Xã hội", "VHXH"),
    (Body.Kind.CENTRE, "Trung tâm Phục vụ hành chính công", "PVHCC"),
    (Body.Kind.OFFICE, "Văn phòng HĐND và UBND", "VP"),
    (Body.Kind.OFFICE, "Phòng Kinh tế", "KT"),
    (Body.Kind.FRONT, "Ủy ban Mặt trận Tổ quốc Việt Nam", "MTTQ"),
    (Body.Kind.PARTY, "Ban Xây dựng Đảng", "BXDD"),
]


def _user(username: str, full_name: str, position: str, password: str) -> Any:
    user = get_user_model().objects.create_user(
        username=username,
        password=password,
        email=f"{username}@demo.friendlygov.vn",
        full_name=full_name,
        position_title=position,
    )
    return user


def load(context: Any) -> None:
    from friendlygov.kit.demo import DEMO_PASSWORD

    today = dt.date.today()
    city = Unit.objects.create(kind=Unit.Kind.CITY, name="Hải Phòng", slug="hai-phong", code="31")
    thanh_mien = Unit.objects.create(
        kind=Unit.Kind.COMMUNE,
        name="Thanh Miện",
        slug="thanh-mien",
        parent=city,
        code="TM",
        address="Thị trấn Thanh Miện cũ, thành phố Hải Phòng",
        phone="0220 3735 100",
    )
    UnitEvent.objects.create(
        unit=thanh_mien,
        kind=UnitEvent.Kind.CREATED,
        effective_date=dt.date(2025, 7, 1),
        new_name="Thanh Miện",
        decision="Nghị quyết 1669/NQ-UBTVQH15 (sắp xếp đơn vị hành chính cấp xã)",
    )
    for position, (kind, name, code, aliases, head) in enumerate(THANH_MIEN_BODIES):
        context.bodies[code] = Body.objects.create(
            unit=thanh_mien,
            kind=kind,
            name=name,
            code=code,
            aliases=aliases,
            head_name=head,
            position=position,
            phone=f"0220 37{position:02d} 1{position:02d}",
            email=f"{code.lower()}.thanhmien@haiphong.gov.vn",
        )
    # the city's Department of Home Affairs, whose director signs its report and notices
    Body.objects.create(
        unit=city,
        kind=Body.Kind.OFFICE,
        name="Sở Nội vụ",
        code="SNV",
        head_name=CITY_HOME_AFFAIRS_DIRECTOR,
        email="sonoivu@haiphong.gov.vn",
    )
    others = []
    for kind, name, slug in OTHER_UNITS:
        unit = Unit.objects.create(kind=kind, name=name, slug=slug, parent=city)
        for position, (bkind, bname, bcode) in enumerate(STANDARD_BODIES):
            Body.objects.create(unit=unit, kind=bkind, name=bname, code=bcode, position=position)
        Body.objects.create(
            unit=unit,
            kind=Body.Kind.VILLAGE if kind == Unit.Kind.COMMUNE else Body.Kind.RESIDENTIAL_GROUP,
            name="Thôn 1" if kind == Unit.Kind.COMMUNE else "Tổ dân phố số 1",
            code="T1",
            position=20,
        )
        others.append(unit)

    def grant(user: Any, role: str, unit: Unit, body: Body | None = None) -> None:
        RoleGrant.objects.create(user=user, role=role, unit=unit, body=body)

    accounts: list[tuple[str, str, str, str, Unit, Body | None]] = [
        ("admin", "Quản trị hệ thống", "Quản trị", Role.SYSTEM_ADMIN, city, None),
        ("sonoivu", "Trần Thị Thẩm Định", "Chuyên viên Sở Nội vụ", Role.CITY_REVIEWER, city, None),
        ("tm.quantri", "Lê Văn Quản", "Công chức Văn phòng", Role.UNIT_ADMIN, thanh_mien, None),
        ("tm.lanhdao", "Lê Anh Tuấn", "Phó Chủ tịch UBND xã", Role.UNIT_LEADER, thanh_mien, None),
        (
            "tm.vhxh",
            "Nguyễn Thị Hạnh",
            "Trưởng phòng Văn hóa - Xã hội",
            Role.COORDINATOR,
            thanh_mien,
            context.bodies["VHXH"],
        ),
        (
            "tm.hcc",
            "Phạm Văn Long",
            "Giám đốc Trung tâm Phục vụ HCC",
            Role.BODY_MEMBER,
            thanh_mien,
            context.bodies["PVHCC"],
        ),
        (
            "tm.kinhte",
            "Vũ Văn Nam",
            "Trưởng phòng Kinh tế",
            Role.BODY_MEMBER,
            thanh_mien,
            context.bodies["KT"],
        ),
        (
            "tm.thon",
            "Nguyễn Văn Tài",
            "Trưởng thôn Tháp Ngạn",
            Role.BODY_MEMBER,
            thanh_mien,
            context.bodies["TN"],
        ),
        (
            "tm.mttq",
            "Hoàng Văn Bình",
            "Chủ tịch Ủy ban MTTQ xã",
            Role.JOINT_SCORER,
            thanh_mien,
            context.bodies["MTTQ"],
        ),
        (
            "tm.bxdd",
            "Lương Thị Thu",
            "Trưởng Ban Xây dựng Đảng",
            Role.JOINT_SCORER,
            thanh_mien,
            context.bodies["BXDD"],
        ),
        ("tm.theodoi", "Đặng Văn Xem", "Đại biểu HĐND xã", Role.OBSERVER, thanh_mien, None),
        (
            "gl.vhxh",
            "Mai Thị Gia",
            "Trưởng phòng Văn hóa - Xã hội xã Gia Lộc",
            Role.COORDINATOR,
            others[0],
            None,
        ),
        ("gl.lanhdao", "Đoàn Văn Lộc", "Chủ tịch UBND xã Gia Lộc", Role.UNIT_LEADER, others[0], None),
    ]
    for username, full_name, title, role, unit, body in accounts:
        user = _user(username, full_name, title, DEMO_PASSWORD)
        if role == Role.SYSTEM_ADMIN:
            user.is_staff = user.is_superuser = True
            user.save()
        grant(user, role, unit, body)
        if role == Role.COORDINATOR and body is not None:
            grant(user, Role.BODY_MEMBER, unit, body)
        context.users[username] = user
    audit.record(
        actor=None,
        unit_id=thanh_mien.pk,
        action="create",
        obj=thanh_mien,
        note=f"dữ liệu mẫu nạp ngày {today:%d/%m/%Y}",
    )
    context.city, context.unit, context.other_units = city, thanh_mien, others
