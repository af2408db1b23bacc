"""Generator steps ``org`` (the city, its units, bodies and accounts) and ``files`` (the few shared evidence
files every generated evidence row points at)."""

from __future__ import annotations

import datetime as dt
import hashlib

from bench.citygen.common import (
    BENCH_UNIT,
    CITY_CODE,
    CITY_SLUG,
    PASSWORD,
    VILLAGE_WORDS,
    Context,
    UnitInfo,
    bulk,
    person,
    slugify,
    tiny_png,
    unit_names,
)

# (kind, name, code, aliases) — the bodies of a commune as Thanh Miện's plan names them.
STANDARD_BODIES: list[tuple[str, str, str, list[str]]] = [
    ("office", "Phòng Văn hóa - Xã hội", "VHXH", ["Phòng Văn hóa- Xã hội", "Phòng Văn hóa – Xã hội", "VH-XH", "Phòng VH-XH"]),
    ("centre", "Trung tâm Phục vụ hành chính công", "PVHCC", ["Trung tâm Phục vụ HCC", "Trung tâm Phục vụ Hành chính công xã", "HCC", "TTPVHCC"]),
    ("office", "Văn phòng HĐND và UBND", "VP", ["Văn phòng HĐND-UBND", "Văn phòng HĐND- UBND", "Văn phòng HĐND - UBND", "VP HĐND-UBND"]),
    ("office", "Phòng Kinh tế", "KT", ["Phòng Kinh tế xã"]),
    ("centre", "Trung tâm Dịch vụ sự nghiệp công", "DVSNC", ["Trung tâm Dịch vụ sự nghiệp công xã", "TTDVSNC"]),
    ("front", "Ủy ban Mặt trận Tổ quốc Việt Nam", "MTTQ", ["Ủy ban MTTQ Việt Nam xã", "MTTQ", "Mặt trận Tổ quốc"]),
    ("party", "Ban Xây dựng Đảng", "BXDD", ["Ban xây dựng Đảng", "Ban Xây dựng Đảng Đảng ủy xã", "BXDĐ"]),
    ("sociopolitical", "Hội Liên hiệp Phụ nữ", "HPN", ["Hội Phụ nữ"]),
    ("sociopolitical", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "DTN", ["Đoàn Thanh niên"]),
    ("sociopolitical", "Hội Cựu chiến binh", "CCB", ["Hội CCB"]),
    ("sociopolitical", "Hội Nông dân", "HND", []),
]  # fmt: skip


def step_org(ctx: Context) -> None:
    from django.contrib.auth.hashers import make_password

    from friendlygov.org.models import Body, Role, RoleGrant, Unit, UnitEvent, User

    rng = ctx.rng("org")
    city = Unit.objects.create(kind=Unit.Kind.CITY, name="Hải Phòng", slug=CITY_SLUG, code=CITY_CODE)
    ctx.add("org.Unit", 1)
    ctx.city = city
    units = []
    seen: set[str] = set()
    for index, (kind, name, code) in enumerate(unit_names(ctx.size)):
        slug = slugify(name)
        while slug in seen:
            slug += "-2"
        seen.add(slug)
        units.append(
            Unit(
                kind=kind, name=name, slug=slug, parent=city, code=code,
                address=f"Trụ sở UBND {name}, thành phố Hải Phòng", phone=f"0225 38{index:02d} {100 + index}",
                email=f"ubnd.{slug}@haiphong.gov.vn",
            )
        )  # fmt: skip
    units = bulk(ctx, Unit, units)
    bulk(
        ctx,
        UnitEvent,
        [
            UnitEvent(
                unit=u, kind=UnitEvent.Kind.CREATED, effective_date=dt.date(2025, 7, 1), new_name=u.name,
                decision="Nghị quyết 1669/NQ-UBTVQH15 (sắp xếp đơn vị hành chính cấp xã)",
            )
            for u in units
        ],
    )  # fmt: skip
    infos = []
    for index, unit in enumerate(units):
        info = UnitInfo(
            unit=unit,
            index=index,
            weight=1.5 if unit.slug == BENCH_UNIT else rng.uniform(0.6, 1.4),
            sipas_mood=rng.uniform(0.875, 0.915),
            on_time=rng.uniform(0.90, 0.99),
            online_share=rng.uniform(0.30, 0.70),
            digitised_share=rng.uniform(0.60, 0.95),
            feedback_on_time=rng.uniform(0.93, 0.99),
            quality=rng.uniform(0.84, 0.99),
        )
        infos.append(info)
    ctx.units = infos

    bodies = []
    for info in infos:
        unit = info.unit
        suffix = {"commune": "xã", "ward": "phường", "special_zone": "đặc khu"}[unit.kind]
        for position, (kind, name, code, aliases) in enumerate(STANDARD_BODIES):
            full = f"{name} {suffix}" if kind in ("front", "sociopolitical") else name
            bodies.append(
                Body(
                    unit=unit, kind=kind, name=full, code=code, aliases=aliases, head_name=person(rng),
                    position=position, phone=f"0225 37{position:02d} {info.index:03d}",
                    email=f"{code.lower()}.{unit.slug}@haiphong.gov.vn",
                )
            )  # fmt: skip
        village_kind = Body.Kind.RESIDENTIAL_GROUP if unit.kind == "ward" else Body.Kind.VILLAGE
        count = rng.randint(*ctx.size.villages)
        names = rng.sample(VILLAGE_WORDS, k=min(count, len(VILLAGE_WORDS)))
        for number in range(1, count + 1):
            if village_kind == Body.Kind.RESIDENTIAL_GROUP:
                name = f"Tổ dân phố số {number}"
            else:
                name = f"Thôn {names[number - 1]}" if number <= len(names) else f"Thôn {number}"
            bodies.append(
                Body(
                    unit=unit, kind=village_kind, name=name, code=f"T{number:02d}", head_name=person(rng),
                    position=100 + number,
                )
            )  # fmt: skip
    bodies = bulk(ctx, Body, bodies)
    by_unit = {info.unit.pk: info for info in infos}
    for body in bodies:
        info = by_unit[body.unit_id]
        if body.kind in (Body.Kind.VILLAGE, Body.Kind.RESIDENTIAL_GROUP):
            info.villages.append(body)
        info.bodies[body.code] = body

    # accounts: one hash for everyone (Argon2 is slow on purpose); the city's two, five per unit
    hashed = make_password(PASSWORD)
    users = [
        User(username="admin", full_name="Quản trị hệ thống", password=hashed, is_staff=True, is_superuser=True,
             email="admin@haiphong.gov.vn"),
        User(username="sonoivu", full_name="Trần Thị Thẩm Định", position_title="Chuyên viên Sở Nội vụ",
             password=hashed, email="sonoivu@haiphong.gov.vn"),
    ]  # fmt: skip
    roles = [
        ("lanhdao", "Phó Chủ tịch UBND", Role.UNIT_LEADER, None),
        ("vhxh", "Trưởng phòng Văn hóa - Xã hội", Role.COORDINATOR, "VHXH"),
        ("hcc", "Giám đốc Trung tâm Phục vụ HCC", Role.BODY_MEMBER, "PVHCC"),
        ("mttq", "Chủ tịch Ủy ban MTTQ", Role.JOINT_SCORER, "MTTQ"),
        ("bxdd", "Trưởng Ban Xây dựng Đảng", Role.JOINT_SCORER, "BXDD"),
    ]
    for info in infos:
        prefix = "tm" if info.unit.slug == BENCH_UNIT else info.unit.slug
        for key, title, _role, _body in roles:
            users.append(
                User(username=f"{prefix}.{key}", full_name=person(rng), position_title=title, password=hashed,
                     email=f"{key}.{info.unit.slug}@haiphong.gov.vn")
            )  # fmt: skip
    users = bulk(ctx, User, users)
    ctx.admin, ctx.reviewer = users[0], users[1]
    grants = [
        RoleGrant(user=users[0], role=Role.SYSTEM_ADMIN, unit=city),
        RoleGrant(user=users[1], role=Role.CITY_REVIEWER, unit=city),
    ]
    cursor = 2
    for info in infos:
        for key, _title, role, body_code in roles:
            user = users[cursor]
            cursor += 1
            info.users[key] = user
            on_body = info.bodies[body_code] if body_code else None
            grants.append(RoleGrant(user=user, role=role, unit=info.unit, body=on_body))
            if role == Role.COORDINATOR and on_body is not None:
                grants.append(RoleGrant(user=user, role=Role.BODY_MEMBER, unit=info.unit, body=on_body))
    bulk(ctx, RoleGrant, grants)


def step_files(ctx: Context) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from friendlygov.plans.demo import minimal_pdf

    contents = {
        "report": (
            "bao-cao-ket-qua.pdf",
            "application/pdf",
            minimal_pdf("Bao cao ket qua thuc hien nhiem vu"),
        ),
        "minutes": ("bien-ban.pdf", "application/pdf", minimal_pdf("Bien ban hoi nghi")),
        "photo": ("anh-hoat-dong.png", "image/png", tiny_png()),
    }
    for key, (name, content_type, data) in contents.items():
        path = f"evidence/bench/{name}"
        if not default_storage.exists(path):
            path = default_storage.save(path, ContentFile(data))
        ctx.files[key] = (path, content_type, len(data), hashlib.sha256(data).hexdigest())
    ctx.add("shared files", len(contents))
