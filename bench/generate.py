"""City-scale data generator: a whole city (Hải Phòng: 67 communes, 45 wards, 2 special zones, with their
real names and official codes from the list shipped in friendlygov/org/data) with five programme years
(2026–2030), deterministic from a seed.

    .venv/bin/friendlygov generate-city --size small|full [--seed N] [--as-of YYYY-MM-DD] [--force]
    .venv/bin/python bench/generate.py --size small        # the same, without the installed command

It writes into the database the settings point at (``DATABASE_URL``; SQLite in var/ by default), after
``migrate``, and refuses a database that already holds units or users unless ``--force`` is given (then
everything is flushed first).

The data is "the city in late 2030" (``--as-of``, default 2030-11-20): years before the as-of date are
finished (deadlines done with evidence, cycles recognised, feedback answered, dossiers returned); the
as-of year is in progress (cycles in every state, open feedback, pending dossiers). Benchmarks freeze the
clock at the same date so that "this year" means 2030.

How it is fast: rows are built in Python and written with ``bulk_create(batch_size=…)`` inside one
transaction per step (per unit chunk for the big tables). It deliberately bypasses the services: **no
per-row audit events, no notifications, no validation calls** — the values are generated valid by
construction (the scoring values are checked with the pure engine). Uploaded files are not written one
by one: every ``EvidenceFile`` row points at one of a few small shared files.

Steps (each timed): org → files → plans → surveys → feedback → dossiers, then the areas still being
finished by others, each in its own step that is skipped with a message if their models changed under
us: assessments → operations.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import os
import random
import struct
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_SEED = 2026
DEFAULT_AS_OF = dt.date(2030, 11, 20)
FIRST_YEAR, LAST_YEAR = 2026, 2030
PASSWORD = "thanthien2026"  # the demo password (README); every generated account has it
BATCH = 2000
WIDE_BATCH = 500


@dataclass(frozen=True)
class Size:
    name: str
    communes: int
    wards: int
    zones: int
    responses: int  # SIPAS responses, all units and years (16 scale items each)
    feedback: int
    dossiers: int
    villages: tuple[int, int] = (10, 30)


SIZES: dict[str, Size] = {
    # ≈ 66 000 responses × 16 items × 97 % answered ≈ 1.02 million Answer rows
    "full": Size("full", 67, 45, 2, responses=66_000, feedback=100_000, dossiers=500_000),
    "small": Size("small", 6, 3, 1, responses=66_000 // 50, feedback=100_000 // 50, dossiers=500_000 // 50),
}

BENCH_UNIT = "thanh-mien"  # the commune the per-unit benchmarks read (the largest volume)
BENCH_UNIT_CODE = "11239"  # its official code
CITY_SLUG = "hai-phong"
CITY_CODE = "31"  # Hải Phòng in the official list of units (friendlygov/org/data)


def log(message: str) -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------------------------------
# Small pure helpers


def aware(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


class Workdays:
    """Vietnamese working days (the app's calendar, no administrator swaps) as a sorted list: adding
    working days is an index step instead of a day-by-day walk."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        from friendlygov.rules.schedule import WorkingCalendar

        calendar = WorkingCalendar()
        self.days: list[dt.date] = []
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                self.days.append(day)
            day += dt.timedelta(days=1)

    def add(self, day: dt.date, n: int) -> dt.date:
        """``WorkingCalendar.add_working_days`` for n ≥ 0."""
        if n <= 0:
            return day
        index = bisect.bisect_right(self.days, day) + n - 1
        return self.days[min(index, len(self.days) - 1)]

    def on_or_before(self, day: dt.date) -> dt.date:
        index = bisect.bisect_right(self.days, day) - 1
        return self.days[max(index, 0)]

    def between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        return self.days[bisect.bisect_left(self.days, first) : bisect.bisect_right(self.days, last)]

    def count(self, first: dt.date, last: dt.date) -> int:
        """Working days in (first, last]."""
        return max(0, bisect.bisect_right(self.days, last) - bisect.bisect_right(self.days, first))


def tiny_png(rgb: tuple[int, int, int] = (30, 110, 60), size: int = 8) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def feedback_code(index: int) -> str:
    """A unique 10-character tracking code for the index (a bijection of Z/31^10: no collisions)."""
    from friendlygov.feedback.tracking import ALPHABET, CODE_LENGTH

    base = len(ALPHABET)
    n = (index * 1_000_000_007 + 123_456_789) % base**CODE_LENGTH
    out = []
    for _ in range(CODE_LENGTH):
        n, digit = divmod(n, base)
        out.append(ALPHABET[digit])
    return "".join(out)


def shares(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split by ``weights`` (largest remainders), summing exactly to ``total``."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[:rest]:
        out[index] += 1
    return out


def vn_decimal(value: Decimal | float, places: int = 1) -> str:
    text = f"{float(value):.{places}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --------------------------------------------------------------------------------------------------
# Names

VILLAGE_WORDS = [
    "Tháp Ngạn", "Hòa Bình", "Phạm Lâm", "Đông Phan", "Đoài", "Thượng", "Hạ", "Trung", "Đồng Tâm", "Tiền Phong",
    "Quyết Thắng", "Thống Nhất", "Tân Lập", "Văn Minh", "Phú Xá", "Cầu Dòng", "Lãng Xuyên", "Bến Lăng", "Mỹ Đức",
    "An Khê", "Lạc Dục", "Quỳnh Cư", "Hữu Chung", "Vĩnh Tuy", "Lộ Cương", "Hào Khê", "Tràng Duệ", "Đò Hàn",
    "Kha Lâm", "Phương Lưu", "Bạch Mai", "Kim Sơn", "Đông Hải", "Bàng La",
]  # fmt: skip
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lương",
    "Đinh",
]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Anh", "Hữu", "Ngọc", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hạnh", "Hòa", "Hùng", "Lan", "Long", "Mai", "Nam", "Nga",
         "Phú", "Quân", "Sơn", "Tài", "Thắng", "Thu", "Tuấn", "Việt", "Xuân", "Yến"]  # fmt: skip

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


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def unit_names(size: Size) -> list[tuple[str, str, str]]:
    """(kind, name, official code) of the city's real units (the official list shipped with the package):
    Thanh Miện first, then the communes, the wards and the special zones in the list's order (the small
    size takes the first ones of each kind)."""
    from friendlygov.org import official_list

    units = official_list.shipped()[CITY_CODE].units
    first = next(u for u in units if u.code == BENCH_UNIT_CODE)
    out = [("commune", first.name, first.code)]
    for kind, count in (("commune", size.communes - 1), ("ward", size.wards), ("special_zone", size.zones)):
        same = [u for u in units if u.kind == kind and u.code != first.code]
        out += [(kind, u.name, u.code) for u in same[:count]]
    return out


def slugify(name: str) -> str:
    from friendlygov.rules.text import strip_diacritics

    return "-".join(strip_diacritics(name).lower().replace("đ", "d").split())


# --------------------------------------------------------------------------------------------------
# Context


@dataclass
class UnitInfo:
    unit: Any
    index: int
    weight: float
    bodies: dict[str, Any] = field(default_factory=dict)  # by code
    villages: list[Any] = field(default_factory=list)
    users: dict[str, Any] = field(default_factory=dict)  # leader, coordinator, hcc, mttq, bxdd
    sipas_mood: float = 0.9
    on_time: float = 0.95
    online_share: float = 0.5
    digitised_share: float = 0.8
    feedback_on_time: float = 0.95
    quality: float = 0.9


@dataclass
class Context:
    size: Size
    seed: int
    as_of: dt.date
    workdays: Workdays
    city: Any = None
    units: list[UnitInfo] = field(default_factory=list)
    admin: Any = None
    reviewer: Any = None
    files: dict[str, tuple[str, str, int, str]] = field(default_factory=dict)  # key → (name, type, size, sha)
    plan_tasks: dict[int, dict[str, Any]] = field(default_factory=dict)  # unit id → STT → Task
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return [y for y in range(FIRST_YEAR, LAST_YEAR + 1) if y <= self.as_of.year]

    def rng(self, step: str) -> random.Random:
        return random.Random(f"{self.seed}:{step}")

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def bulk(ctx: Context, model: Any, rows: list[Any], batch_size: int = BATCH) -> list[Any]:
    if not rows:
        return rows
    created: list[Any] = model.objects.bulk_create(rows, batch_size=batch_size)
    ctx.add(model._meta.label, len(rows))
    return created


# --------------------------------------------------------------------------------------------------
# Step: organisation


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


# --------------------------------------------------------------------------------------------------
# Step: the few shared files every EvidenceFile row points at


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


def evidence_row(
    ctx: Context, *, info: UnitInfo, key: str, title: str, day: dt.date, body: Any, user: Any
) -> Any:
    from friendlygov.evidence.models import EvidenceFile

    path, content_type, size, sha = ctx.files[key]
    return EvidenceFile(
        unit=info.unit, body=body, file=path, original_name=Path(path).name, content_type=content_type, size=size,
        sha256=sha, title=title[:300], effective_date=day, uploaded_by=user,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Step: plans (one 2026–2030 plan per unit, the ten tasks of Thanh Miện's appendix, every deadline)


def step_plans(ctx: Context) -> None:
    from friendlygov.evidence.models import EvidenceFile
    from friendlygov.plans import demo as plan_demo
    from friendlygov.plans.appendix import bodies_named_in, body_matcher, parse_for_unit
    from friendlygov.plans.models import (
        Contribution,
        Duty,
        Obstacle,
        Occurrence,
        OccurrenceEvidence,
        Plan,
        Task,
        YearTarget,
    )
    from friendlygov.plans.parsing import parse_duties, parse_targets
    from friendlygov.rules.schedule import WorkingCalendar, occurrences

    rng = ctx.rng("plans")
    text = plan_demo.APPENDIX.read_text(encoding="utf-8")
    template = ctx.units[0]
    parsed = parse_for_unit(template.unit, text)
    match = body_matcher(template.unit)

    def code_of(name: str) -> str | None:
        body = match(name) if name else None
        return body.code if body is not None else None

    lead_codes = {t.number: code_of(t.lead) for t in parsed}
    coordinator_codes: dict[str, list[str]] = {}
    coordinator_texts: dict[str, list[str]] = {}
    for parsed_task in parsed:
        codes: list[str] = []
        unmatched = []
        for name in parsed_task.coordinators:
            if match(name) is None:
                unmatched.append(name)
            codes += [b.code for b in bodies_named_in(name, match) if b.code not in codes]
        coordinator_codes[parsed_task.number], coordinator_texts[parsed_task.number] = codes, unmatched
    targets = parse_targets(plan_demo.TARGETS)
    duties = parse_duties(plan_demo.DUTIES)
    duty_codes = {d.body_text: code_of(d.body_text) for d in duties}
    last_year = max(LAST_YEAR, ctx.as_of.year + 1)
    calendar = WorkingCalendar()
    schedule_rows = {t.number: occurrences(t.schedule, FIRST_YEAR, last_year, calendar) for t in parsed}

    plans = []
    for info in ctx.units:
        plans.append(
            Plan(
                unit=info.unit, number=f"{rng.randint(20, 180)}/KH-UBND", issued_on=dt.date(2026, 4, rng.randint(15, 28)),
                title=plan_demo.TITLE.replace("xã Thanh Miện", f"{info.unit.kind_prefix} {info.unit.name}"),
                bases=plan_demo.BASES, purposes=plan_demo.PURPOSES, requirements=plan_demo.REQUIREMENTS,
                budget_sources=plan_demo.BUDGET, start_year=FIRST_YEAR, end_year=LAST_YEAR, open_ended=True,
                appendix_text=text, occurrences_through=last_year, created_by=info.users["vhxh"],
            )
        )  # fmt: skip
    plans = bulk(ctx, Plan, plans)
    bulk(
        ctx,
        YearTarget,
        [
            YearTarget(plan=p, year=t.year, level_code=t.level_code, note=t.note)
            for p in plans
            for t in targets
        ],
    )
    by_unit = {info.unit.pk: info for info in ctx.units}
    bulk(
        ctx,
        Duty,
        [
            Duty(plan=p, body=by_unit[p.unit_id].bodies.get(duty_codes.get(d.body_text) or ""), body_text=d.body_text,
                 text=d.text, position=i)
            for p in plans
            for i, d in enumerate(duties)
        ],
    )  # fmt: skip
    tasks = []
    for plan in plans:
        info = by_unit[plan.unit_id]
        for position, parsed_item in enumerate(parsed):
            lead = info.bodies.get(lead_codes[parsed_item.number] or "")
            tasks.append(
                Task(
                    plan=plan, number=parsed_item.number, section=parsed_item.section or "", text=parsed_item.text, lead_body=lead,
                    lead_text=parsed_item.lead[:300], coordinator_texts=coordinator_texts[parsed_item.number],
                    time_phrase=parsed_item.time_phrase[:300], schedule=parsed_item.schedule.to_json(), flags=list(parsed_item.flags),
                    notes=list(parsed_item.notes), position=position,
                )
            )  # fmt: skip
    tasks = bulk(ctx, Task, tasks, WIDE_BATCH)
    through = Task.coordinators.through
    links = []
    for task in tasks:
        info = by_unit[task.plan.unit_id]
        ctx.plan_tasks.setdefault(info.unit.pk, {})[task.number] = task
        for code in coordinator_codes[task.number]:
            if code in info.bodies:
                links.append(through(task_id=task.pk, body_id=info.bodies[code].pk))
    bulk(ctx, through, links)

    # occurrences, their evidence, the front's contributions to the check-ins
    as_of = ctx.as_of
    now = aware(as_of, 8)
    notes = list(plan_demo.RESULT_NOTES.values()) + ["Đã hoàn thành theo kế hoạch."]
    for chunk in _chunks(ctx.units, 20):
        rows: list[Any] = []
        evidence_for: list[tuple[int, Any]] = []
        for info in chunk:
            for number, task in ctx.plan_tasks[info.unit.pk].items():
                actor = info.users["hcc"] if lead_codes[number] == "PVHCC" else info.users["vhxh"]
                for item in schedule_rows[number]:
                    status, percent, note, updated = Occurrence.Status.NOT_STARTED, 0, "", None
                    if item.due < as_of:
                        roll = rng.random()
                        if roll < 0.93:
                            status, percent = Occurrence.Status.DONE, 100
                            note = rng.choice(notes)
                            updated = aware(
                                item.due - dt.timedelta(days=rng.randint(0, 12)), rng.randint(8, 16)
                            )
                        elif roll < 0.97:
                            status, percent = Occurrence.Status.IN_PROGRESS, rng.choice((30, 50, 70))
                            updated = aware(item.due - dt.timedelta(days=rng.randint(1, 20)), 10)
                    elif (item.due - as_of).days < 45 and item.window_start <= as_of and rng.random() < 0.4:
                        status, percent = Occurrence.Status.IN_PROGRESS, rng.choice((20, 40, 60))
                        updated = min(now, aware(as_of - dt.timedelta(days=rng.randint(1, 20)), 10))
                    occurrence = Occurrence(
                        task=task, unit=info.unit, year=item.year, period=item.period, window_start=item.window_start,
                        due=item.due, kind=item.kind, status=status, percent=percent, note=note,
                        version=1 if status == Occurrence.Status.NOT_STARTED else 2,
                        updated_by=actor if updated else None, updated_at=updated,
                    )  # fmt: skip
                    rows.append(occurrence)
                    if status == Occurrence.Status.DONE:
                        evidence_for.append((len(rows) - 1, actor))
        rows = bulk(ctx, Occurrence, rows)
        files = []
        for index, actor in evidence_for:
            occurrence = rows[index]
            info = by_unit[occurrence.unit_id]
            files.append(
                evidence_row(
                    ctx, info=info, key="report" if index % 3 else "photo",
                    title=f"Kết quả nhiệm vụ {occurrence.task.number} — {occurrence.period_label}",
                    day=occurrence.due - dt.timedelta(days=2), body=occurrence.task.lead_body, user=actor,
                )
            )  # fmt: skip
        files = bulk(ctx, EvidenceFile, files)
        bulk(
            ctx,
            OccurrenceEvidence,
            [
                OccurrenceEvidence(occurrence=rows[index], evidence=file, added_by=actor)
                for (index, actor), file in zip(evidence_for, files, strict=True)
            ],
        )
        contributions = []
        for occurrence in rows:
            if (
                occurrence.task.number == "4"
                and occurrence.status == Occurrence.Status.DONE
                and rng.random() < 0.6
            ):
                info = by_unit[occurrence.unit_id]
                contributions.append(
                    Contribution(
                        occurrence=occurrence, body=info.bodies["MTTQ"], created_by=info.users["mttq"],
                        note="Ủy ban MTTQ đã giám sát việc niêm yết thủ tục hành chính và tiếp nhận ý kiến của Nhân dân.",
                    )
                )  # fmt: skip
        bulk(ctx, Contribution, contributions)

    obstacles = []
    texts = [
        "Chưa được bố trí kinh phí làm pano, khẩu hiệu “4 xin, 4 luôn, 5 không”; đề nghị hướng dẫn nguồn kinh phí.",
        "Thiết bị lấy số tự động tại Trung tâm hỏng, người dân phải chờ lâu; đề nghị sửa chữa.",
        "Đường truyền Internet tại bộ phận một cửa chập chờn, ảnh hưởng tiếp nhận hồ sơ trực tuyến.",
        "Một số thôn chưa có bảng tin văn hóa; đề nghị hỗ trợ kinh phí.",
    ]
    for plan in plans:
        info = by_unit[plan.unit_id]
        for n in range(3):
            obstacle_status = [
                Obstacle.Status.CLOSED,
                Obstacle.Status.ANSWERED,
                Obstacle.Status.FORWARDED,
                Obstacle.Status.REPORTED,
            ][min(3, n + rng.randint(0, 1))]
            reported = aware(as_of - dt.timedelta(days=rng.randint(5, 900)), 9)
            forwarded = obstacle_status != Obstacle.Status.REPORTED
            answered = obstacle_status in (Obstacle.Status.ANSWERED, Obstacle.Status.CLOSED)
            obstacles.append(
                Obstacle(
                    unit=info.unit, plan=plan, task=ctx.plan_tasks[info.unit.pk].get(rng.choice(["1", "4", "9"])),
                    reported_by_body=info.bodies["PVHCC"], reported_by=info.users["hcc"], text=rng.choice(texts),
                    status=obstacle_status,
                    consolidation_note="Đề nghị lãnh đạo UBND giao Phòng Kinh tế cân đối kinh phí." if forwarded else "",
                    forwarded_by=info.users["vhxh"] if forwarded else None,
                    forwarded_at=reported + dt.timedelta(days=3) if forwarded else None,
                    answer="Giao Phòng Kinh tế bố trí trong dự toán năm." if answered else "",
                    answered_by=info.users["lanhdao"] if answered else None,
                    answered_at=reported + dt.timedelta(days=8) if answered else None,
                    closing_note="Đã khắc phục." if obstacle_status == Obstacle.Status.CLOSED else "",
                )
            )  # fmt: skip
    bulk(ctx, Obstacle, obstacles)


def _chunks(items: Sequence[Any], n: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), n):
        yield items[start : start + n]


# --------------------------------------------------------------------------------------------------
# Step: surveys (SIPAS answers)


def step_surveys(ctx: Context) -> None:
    from django.utils import timezone

    from friendlygov.surveys import definitions, protection, services
    from friendlygov.surveys.models import (
        Answer,
        OtherAnswer,
        Questionnaire,
        QuestionnaireVersion,
        Response,
        SurveyLink,
    )

    rng = ctx.rng("surveys")
    services.ensure_library()
    sipas = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    version = sipas.current_version()
    items = definitions.item_codes(version.definition)
    questions = [q for q in definitions.questions_of(version.definition) if q["type"] in ("single", "needs")]
    links = []
    for info in ctx.units:
        unit, slug = info.unit, info.unit.slug
        links.append(SurveyLink(unit=unit, questionnaire=sipas, body=info.bodies["PVHCC"],
                                label="Bàn tiếp nhận — Trung tâm Phục vụ hành chính công", token=f"{slug}-ban-tiep-nhan"[:32],
                                receipt_mode=SurveyLink.ReceiptMode.OPTIONAL))  # fmt: skip
        links.append(SurveyLink(unit=unit, questionnaire=sipas, body=info.bodies["PVHCC"], label="Kiosk tại Trung tâm",
                                token=f"{slug}-kiosk"[:32], channel=SurveyLink.Channel.KIOSK,
                                receipt_mode=SurveyLink.ReceiptMode.OFF))  # fmt: skip
        for village in info.villages[:2]:
            links.append(SurveyLink(unit=unit, questionnaire=sipas, body=village, label=village.name,
                                    token=f"{slug[:24]}-{village.code.lower()}", receipt_mode=SurveyLink.ReceiptMode.OFF))  # fmt: skip
    links = bulk(ctx, SurveyLink, links)
    links_of: dict[int, list[Any]] = {}
    link: Any
    for each in links:
        links_of.setdefault(each.unit_id, []).append(each)

    days = ctx.workdays.between(dt.date(FIRST_YEAR, 1, 5), ctx.as_of - dt.timedelta(days=1))
    counts = shares(ctx.size.responses, [u.weight for u in ctx.units])
    first_year = days[0].year
    for chunk_start in range(0, len(ctx.units), 10):
        chunk = ctx.units[chunk_start : chunk_start + 10]
        responses: list[Any] = []
        plans: list[tuple[dict[str, int], list[tuple[str, list[str]]]]] = []
        for info in chunk:
            unit_links = links_of[info.unit.pk]
            desk, kiosk = unit_links[0], unit_links[1]
            mood_of_item = {item: info.sipas_mood + rng.uniform(-0.015, 0.015) for item in items}
            for number in range(counts[info.index]):
                day = rng.choice(days)
                moment = aware(day, rng.randint(7, 16), rng.randint(0, 59))
                roll = rng.random()
                link = (
                    desk
                    if roll < 0.45
                    else kiosk
                    if roll < 0.65
                    else rng.choice(unit_links)
                    if roll < 0.8
                    else None
                )
                channel = (
                    Response.Channel.KIOSK if link is kiosk else Response.Channel.ONLINE if link is not None
                    else rng.choice([Response.Channel.PAPER, Response.Channel.PAPER, Response.Channel.PHONE])
                )  # fmt: skip
                status, reason = Response.Status.ACCEPTED, ""
                flag = rng.random()
                if flag < 0.012:
                    status, reason = Response.Status.FLAGGED, "Gửi quá nhanh (1.4 giây sau khi mở phiếu)"
                elif flag < 0.016:
                    status, reason = Response.Status.REJECTED, "Thiết bị này đã gửi phiếu trong 24 giờ qua"
                receipt = (
                    f"{info.unit.code}-{day:%y%m%d}-{number:05d}"
                    if link is desk and rng.random() < 0.5
                    else None
                )
                responses.append(
                    Response(
                        unit=info.unit, questionnaire=sipas, questionnaire_version=version, link=link, channel=channel,
                        receipt_no=receipt,
                        device_hash=protection.keyed_hash("device", f"bench-{info.unit.pk}-{number}") if link else "",
                        duration_seconds=rng.randint(40, 400) if status == Response.Status.ACCEPTED else 1,
                        submitted_at=moment, status=status, flag_reason=reason,
                        entered_by=None if link else info.users["hcc"],
                    )
                )  # fmt: skip
                drift = (day.year - first_year) * 0.002
                scale: dict[str, int] = {}
                for item in items:
                    if rng.random() < 0.03:
                        continue
                    if rng.random() < min(0.97, mood_of_item[item] + drift):
                        scale[item] = 5 if rng.random() < 0.45 else 4
                    else:
                        r = rng.random()
                        scale[item] = 3 if r < 0.65 else 2 if r < 0.9 else 1
                other = []
                if questions and rng.random() < 0.35:
                    question = rng.choice(questions)
                    other.append((question["code"], [rng.choice(question["choices"])]))
                plans.append((scale, other))
        responses = bulk(ctx, Response, responses, WIDE_BATCH)
        answers = []
        others = []
        for response, (scale, other) in zip(responses, plans, strict=True):
            rid = response.pk
            for item, value in scale.items():
                answers.append(Answer(response_id=rid, item=item, value=value))
            for code, chosen in other:
                others.append(OtherAnswer(response_id=rid, question=code, text="", choices=chosen))
        bulk(ctx, Answer, answers, 5000)
        bulk(ctx, OtherAnswer, others)
        log(
            f"    surveys: {min(chunk_start + 10, len(ctx.units))}/{len(ctx.units)} units, {ctx.counts.get('surveys.Answer', 0):,} answers"
        )
    QuestionnaireVersion.objects.filter(pk=version.pk).update(frozen_at=timezone.now())


# --------------------------------------------------------------------------------------------------
# Step: feedback


FEEDBACK_SUBJECTS = [
    ("procedure", "Hướng dẫn thủ tục đăng ký khai sinh chưa rõ", "Bảng niêm yết thành phần hồ sơ ở quầy bị mờ, tôi phải đi lại hai lần.", "Đăng ký khai sinh"),
    ("procedure", "Chậm trả kết quả chứng nhận quyền sử dụng đất", "Hồ sơ hẹn trả đã quá hạn nhưng chưa có kết quả, không được báo lý do.", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu"),
    ("procedure", "Hỏi thủ tục chứng thực bản sao", "Chứng thực bản sao có cần mang bản chính không?", "Chứng thực bản sao từ bản chính"),
    ("procedure", "Đăng ký thường trú cho con", "Tôi cần chuẩn bị gì để đăng ký thường trú cho con?", "Đăng ký thường trú"),
    ("service", "Đề nghị bố trí thêm ghế chờ", "Buổi sáng đông người, người cao tuổi phải đứng chờ lâu.", ""),
    ("service", "Đèn chiếu sáng đường thôn hỏng", "Đoạn đường từ nhà văn hóa thôn ra đường trục không có đèn gần một tháng.", ""),
    ("service", "Đề nghị có mã QR nộp phí, lệ phí", "Đề nghị có mã QR để nộp phí, lệ phí cho thuận tiện.", ""),
    ("conduct", "Cán bộ một cửa trả lời thiếu nhiệt tình", "Tôi hỏi về thủ tục chứng thực, cán bộ trả lời cộc lốc.", ""),
    ("conduct", "Khen ngợi cán bộ Trung tâm", "Cảm ơn cán bộ quầy số 2 đã hướng dẫn tận tình.", ""),
    ("other", "Tranh chấp ranh giới đất với hộ liền kề", "Nhà bên cạnh xây tường lấn sang đất nhà tôi.", ""),
]  # fmt: skip
FEEDBACK_ANSWER = "UBND đã kiểm tra, chỉ đạo bộ phận liên quan khắc phục và trả lời ông/bà theo quy định."


def step_feedback(ctx: Context) -> None:
    from friendlygov.feedback.models import (
        Feedback,
        FeedbackContact,
        FeedbackEvent,
        FeedbackSettings,
        FeedbackState,
        StateType,
    )
    from friendlygov.feedback.services import DEFAULT_STATES, consent_text
    from friendlygov.rules.text import normalize_vi

    rng = ctx.rng("feedback")
    wd = ctx.workdays
    as_of = ctx.as_of
    states = bulk(
        ctx,
        FeedbackState,
        [
            FeedbackState(
                unit=info.unit, name=name, type=state_type, reply_template=template, position=p * 10
            )
            for info in ctx.units
            for p, (state_type, name, template) in enumerate(DEFAULT_STATES)
        ],
    )
    state_of: dict[tuple[int, str], Any] = {(s.unit_id, s.type): s for s in states}
    bulk(ctx, FeedbackSettings, [FeedbackSettings(unit=info.unit, retention_days=365) for info in ctx.units])
    days = wd.between(dt.date(FIRST_YEAR, 1, 5), as_of)
    counts = shares(ctx.size.feedback, [u.weight for u in ctx.units])
    handler_names: dict[int, str] = {}
    code_index = 0
    normalised: dict[tuple[str, str, str], str] = {}
    for chunk_start in range(0, len(ctx.units), 10):
        chunk = ctx.units[chunk_start : chunk_start + 10]
        items: list[Any] = []
        events_of: list[list[dict[str, Any]]] = []
        contacts_of: list[tuple[str, str] | None] = []
        for info in chunk:
            unit = info.unit
            handler = info.users["vhxh"]
            handler_names[unit.pk] = handler.full_name
            consent = consent_text(unit, 365)
            bodies = [info.bodies[c] for c in ("PVHCC", "VP", "KT", "VHXH")]
            for _ in range(counts[info.index]):
                code = feedback_code(code_index)
                code_index += 1
                topic, subject, content, ref = rng.choice(FEEDBACK_SUBJECTS)
                received = rng.choice(days)
                events: list[dict[str, Any]] = [
                    dict(kind="submitted", on=received, hour=8, to=StateType.OPEN, frm="")
                ]
                final = StateType.OPEN
                answered_at: dt.datetime | None = None
                resolved_at: dt.datetime | None = None
                answer = ""
                age = wd.count(received, as_of)
                if rng.random() < 0.04 and age >= 2:  # refused within the 2 working days
                    day = wd.add(received, rng.randint(1, 2))
                    events.append(
                        dict(kind="transition", on=day, hour=10, to=StateType.REJECTED, frm=StateType.OPEN)
                    )
                    final, resolved_at = StateType.REJECTED, aware(day, 10)
                elif age >= 1:
                    start = wd.add(received, 1)
                    events.append(
                        dict(
                            kind="transition", on=start, hour=9, to=StateType.IN_PROGRESS, frm=StateType.OPEN
                        )
                    )
                    final = StateType.IN_PROGRESS
                    handle = (
                        rng.randint(2, 14) if rng.random() < info.feedback_on_time else rng.randint(16, 30)
                    )
                    waited = 0
                    if rng.random() < 0.05 and handle > 4:
                        waited = rng.randint(2, 4)
                        stop = wd.add(received, 3)
                        if stop <= as_of:
                            events.append(
                                dict(
                                    kind="transition",
                                    on=stop,
                                    hour=10,
                                    to=StateType.WAITING_CITIZEN,
                                    frm=StateType.IN_PROGRESS,
                                )
                            )
                            final = StateType.WAITING_CITIZEN
                            back = wd.add(stop, waited)
                            if back <= as_of:
                                events.append(
                                    dict(
                                        kind="transition",
                                        on=back,
                                        hour=10,
                                        to=StateType.IN_PROGRESS,
                                        frm=StateType.WAITING_CITIZEN,
                                    )
                                )
                                final = StateType.IN_PROGRESS
                    done = wd.add(received, handle + waited)
                    if done <= as_of and final == StateType.IN_PROGRESS:
                        events.append(
                            dict(
                                kind="answer",
                                on=done,
                                hour=15,
                                to=StateType.ANSWERED,
                                frm=StateType.IN_PROGRESS,
                            )
                        )
                        final, answered_at = StateType.ANSWERED, aware(done, 15)
                        resolved_at, answer = answered_at, FEEDBACK_ANSWER
                        closed = wd.add(done, rng.randint(5, 10))
                        if rng.random() < 0.4 and closed <= as_of:
                            events.append(
                                dict(
                                    kind="transition",
                                    on=closed,
                                    hour=9,
                                    to=StateType.CLOSED,
                                    frm=StateType.ANSWERED,
                                )
                            )
                            final = StateType.CLOSED
                published = answered_at is not None and topic != "other" and rng.random() < 0.2
                if published and answered_at is not None:
                    events.append(dict(kind="publish", on=answered_at.date(), hour=16, to="", frm=""))
                rating = None
                if answered_at is not None and rng.random() < 0.3:
                    rating = rng.choices([5, 4, 3, 2, 1], weights=[45, 40, 8, 5, 2])[0]
                    events.append(
                        dict(
                            kind="rating",
                            on=min(as_of, answered_at.date() + dt.timedelta(days=1)),
                            hour=20,
                            to="",
                            frm="",
                        )
                    )
                with_contact = rng.random() < 0.35
                erased_at = None
                if with_contact and resolved_at is not None and (as_of - resolved_at.date()).days > 365:
                    erased_at = resolved_at + dt.timedelta(days=365)
                key = (subject, content, ref)
                if key not in normalised:
                    normalised[key] = normalize_vi(" ".join([subject, content, ref]))
                items.append(
                    Feedback(
                        unit=unit, code=code, topic=topic, subject=subject, content=content, procedure_ref=ref,
                        classification="" if final == StateType.OPEN else ("conduct" if topic == "conduct" else "policy"),
                        body=None if final in (StateType.OPEN, StateType.REJECTED) else rng.choice(bodies),
                        state=state_of[(unit.pk, final)], channel="web", received_on=received, answer=answer,
                        answered_at=answered_at, answered_by=handler if answered_at else None,
                        is_published=published, published_on=answered_at.date() if answered_at and published else None,
                        public_summary=subject if published else "", rating=rating,
                        satisfied=None if rating is None else rating >= 4,
                        rated_at=answered_at + dt.timedelta(days=1) if answered_at and rating is not None else None,
                        resolved_at=resolved_at, contact_erased_at=erased_at,
                        contact_erased_reason="retention" if erased_at else "",
                        search_text=f"{code.lower()} {normalised[key]}".strip(),
                    )
                )  # fmt: skip
                events_of.append(events)
                contacts_of.append((person(rng), consent) if with_contact and erased_at is None else None)
        items = bulk(ctx, Feedback, items, WIDE_BATCH)
        event_rows: list[Any] = []
        contacts = []
        for item, item_events, contact in zip(items, events_of, contacts_of, strict=True):
            handler_name = handler_names[item.unit_id]
            for event in item_events:
                citizen = event["kind"] in ("submitted", "rating")
                to_type = event["to"]
                event_rows.append(
                    FeedbackEvent(
                        feedback_id=item.pk, kind=event["kind"], at=aware(event["on"], event["hour"]), on=event["on"],
                        from_type=event["frm"], to_type=to_type,
                        state_name=state_of[(item.unit_id, to_type)].name if to_type else "",
                        actor=None if citizen else item.answered_by, actor_name="Người dân" if citizen else handler_name,
                        message="Phản ánh, kiến nghị của ông/bà đã được tiếp nhận." if event["kind"] == "submitted" else "",
                    )
                )  # fmt: skip
            if contact is not None:
                name, consent = contact
                contacts.append(
                    FeedbackContact(
                        feedback_id=item.pk, unit_id=item.unit_id, name=name, phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                        consent_text=consent, consented_at=aware(item.received_on, 8),
                    )
                )  # fmt: skip
        bulk(ctx, FeedbackEvent, event_rows)
        bulk(ctx, FeedbackContact, contacts, WIDE_BATCH)
        log(
            f"    feedback: {min(chunk_start + 10, len(ctx.units))}/{len(ctx.units)} units, {ctx.counts.get('feedback.Feedback', 0):,} items"
        )


# --------------------------------------------------------------------------------------------------
# Step: dossiers


def step_dossiers(ctx: Context) -> None:
    from friendlygov.dossiers.demo import PROCEDURES
    from friendlygov.dossiers.models import Channel, Dossier, DossierImport, DossierSettings
    from friendlygov.dossiers.services import deadline_of

    rng = ctx.rng("dossiers")
    wd = ctx.workdays
    as_of = ctx.as_of
    now = aware(as_of, 7)
    days = wd.between(dt.date(FIRST_YEAR, 1, 2), as_of - dt.timedelta(days=1))
    counts = shares(ctx.size.dossiers, [u.weight for u in ctx.units])
    imports = bulk(
        ctx,
        DossierImport,
        [
            DossierImport(unit=info.unit, filename=f"ho-so-mot-cua-{year}.xlsx", sha256=hashlib.sha256(f"{info.unit.pk}-{year}".encode()).hexdigest(),
                          imported_by=info.users["hcc"])
            for info in ctx.units
            for year in ctx.years
        ],
    )  # fmt: skip
    import_of = {(i.unit_id, int(i.filename[-9:-5])): i for i in imports}
    bulk(ctx, DossierSettings, [DossierSettings(unit=info.unit) for info in ctx.units])
    per_import: dict[int, int] = {}
    for chunk_start in range(0, len(ctx.units), 5):
        rows = []
        for info in ctx.units[chunk_start : chunk_start + 5]:
            late_share = 1 - info.on_time
            for index in range(counts[info.index]):
                day = rng.choice(days)
                procedure, length = rng.choice(PROCEDURES)
                received = aware(day, rng.randint(7, 16), rng.choice((0, 15, 30, 45)))
                appointment = aware(wd.add(day, length), 17) if length else None
                late = rng.random() < late_share
                supplements = 2 if late and rng.random() < 0.1 else rng.choices((0, 1), weights=(88, 12))[0]
                waiting = Decimal(rng.choice((1, 2, 3))) if supplements else Decimal(0)
                deadline = deadline_of(appointment, waiting)
                finished: dt.datetime | None
                if deadline is None:
                    finished = received + dt.timedelta(hours=1)
                elif late and supplements < 2:
                    finished = deadline + dt.timedelta(days=rng.randint(1, 6))
                else:
                    finished = max(
                        received + dt.timedelta(hours=1), deadline - dt.timedelta(hours=rng.randint(1, 40))
                    )
                if finished > now:
                    finished = None
                source = import_of[(info.unit.pk, day.year)]
                per_import[source.pk] = per_import.get(source.pk, 0) + 1
                rows.append(
                    Dossier(
                        unit=info.unit, receipt_no=f"000.00.{info.index:03d}.H31-{day:%y%m%d}-{index:05d}", procedure=procedure,
                        received=received, appointment=appointment, finished=finished, supplement_requests=supplements,
                        waiting_days=waiting,
                        channel=Channel.ONLINE if rng.random() < info.online_share
                        else (Channel.POST if rng.random() < 0.05 else Channel.DIRECT),
                        digitised=rng.random() < info.digitised_share, electronic_result=rng.random() < 0.6,
                        deadline=deadline, source=source,
                    )
                )  # fmt: skip
        bulk(ctx, Dossier, rows)
        log(
            f"    dossiers: {min(chunk_start + 5, len(ctx.units))}/{len(ctx.units)} units, {ctx.counts.get('dossiers.Dossier', 0):,} dossiers"
        )
    for pk, n in per_import.items():
        DossierImport.objects.filter(pk=pk).update(rows=n, created=n)


# --------------------------------------------------------------------------------------------------
# Late step: assessments (another engineer is finishing this area; skipped with a message if it changed)


def _score_text(leaf: Any, q: float, rng: random.Random) -> tuple[str, list[int]]:
    """A plausible self-assessed value for a leaf at quality ``q`` (0..1) and the ticked items."""
    kind = leaf.kind
    if kind == "boolean":
        return ("có" if rng.random() < q + 0.08 else "không"), []
    if kind == "checklist":
        total = len(leaf.items or [])
        ticked = min(total, max(0, round(total * min(1.0, q + rng.uniform(-0.1, 0.1)))))
        return str(ticked), list(range(ticked))
    if kind == "ratio":
        if leaf.source:
            return vn_decimal(min(99.9, 100 * (q - rng.uniform(0, 0.08)))) + "%", []
        whole = rng.choice((4, 12, 24, 50, 120, 1200))
        part = min(whole, round(whole * min(1.0, q + rng.uniform(-0.05, 0.05))))
        return f"{part}/{whole}", []
    maximum = float(leaf.max_points)
    if leaf.bonus:
        return (vn_decimal(rng.choice((0, 0, 1, 2, 3))) if maximum else "0"), []
    return vn_decimal(round(maximum * min(1.0, q + rng.uniform(-0.08, 0.05)) * 2) / 2), []


def step_assessments(ctx: Context) -> None:
    from friendlygov.assessments import criteria as crit
    from friendlygov.assessments import services
    from friendlygov.assessments.models import (
        AppraisalItem,
        Assignment,
        CityFigure,
        ConsolidatedScore,
        CriteriaSetVersion,
        Cycle,
        JointProposal,
        Recognition,
        Registration,
        ScoreEntry,
        ScoreEvidence,
    )
    from friendlygov.assessments.sources import source_label
    from friendlygov.evidence.models import EvidenceFile
    from friendlygov.rules.scoring import assess, result_to_json

    rng = ctx.rng("assessments")
    as_of = ctx.as_of
    cs_row = services.load_template(actor=ctx.reviewer, city=ctx.city, name="hai-phong-provisional")
    CriteriaSetVersion.objects.filter(pk=cs_row.pk).update(locked_at=aware(dt.date(FIRST_YEAR, 1, 10)))
    ctx.add("assessments.CriteriaSetVersion", 1)
    cs = crit.parsed(cs_row)
    nodes: dict[str, Any] = {code: crit.node_for(cs, code) for code in crit.scorable_codes(cs)}
    levels = [level.code for level in cs.levels]
    assignments_plan = {"1": "PVHCC", "2": "VP", "2.3": "VHXH", "3": "VHXH", "4": "VP", "4.2": "PVHCC", "5": "VHXH",
                        "5.2": "village", "B": "VHXH", "K1": "VP"}  # fmt: skip
    assignments_plan = {
        code: body for code, body in assignments_plan.items() if crit.node_for(cs, code) is not None
    }

    # the figures the city publishes (PAR INDEX, city-run SIPAS) for every finished year
    figures = []
    for info in ctx.units:
        for year in ctx.years:
            published = dt.date(year + 1, 3, 20)
            if published > as_of:
                continue
            figures.append(CityFigure(city=ctx.city, unit=info.unit, year=year, kind=CityFigure.Kind.PAR_INDEX,
                                      value=Decimal(str(round(78 + 18 * info.quality + rng.uniform(-2, 2), 2))),
                                      decision=f"Quyết định {700 + year % 100}/QĐ-UBND công bố Chỉ số CCHC năm {year}",
                                      published_on=published, entered_by=ctx.reviewer))  # fmt: skip
            figures.append(CityFigure(city=ctx.city, unit=info.unit, year=year, kind=CityFigure.Kind.SIPAS,
                                      value=Decimal(str(round(100 * info.sipas_mood + rng.uniform(-1.5, 1.5), 2))),
                                      decision=f"Thông báo {40 + year % 100}/TB-SNV kết quả khảo sát SIPAS năm {year}",
                                      published_on=published, entered_by=ctx.reviewer))  # fmt: skip
    bulk(ctx, CityFigure, figures)

    S = Cycle.Status
    for chunk in _chunks(ctx.units, 20):
        cycles: list[Any] = []
        plans: list[dict[str, Any]] = []
        for info in chunk:
            for year in ctx.years:
                if year < as_of.year:
                    status = S.RECOGNISED if rng.random() < 0.92 else S.APPRAISED
                else:
                    status = rng.choices(
                        [S.REGISTRATION, S.SELF_SCORING, S.RETURNED, S.SUBMITTED, S.APPRAISED, S.RECOGNISED],
                        weights=[2, 8, 5, 55, 18, 12],
                    )[0]
                q = min(0.995, info.quality + (year - FIRST_YEAR) * 0.005)
                submitted = status in (S.SUBMITTED, S.APPRAISED, S.RECOGNISED)
                appraised = status in (S.APPRAISED, S.RECOGNISED)
                submitted_on = dt.date(year, 11, rng.randint(3, 14))
                appraised_on = min(dt.date(year, 12, rng.randint(5, 22)), as_of - dt.timedelta(days=1))
                if year == as_of.year:
                    submitted_on = min(submitted_on, as_of - dt.timedelta(days=3))
                    appraised_on = min(appraised_on, as_of - dt.timedelta(days=1))
                cycles.append(
                    Cycle(
                        unit=info.unit, year=year, criteria_set=cs_row, registration_deadline=dt.date(year, 2, 15),
                        submission_deadline=dt.date(year, 11, 12), appraisal_deadline=dt.date(year, 12, 31), status=status,
                        opened_by=ctx.reviewer,
                        submitted_at=aware(submitted_on, 10) if submitted else None,
                        submitted_by=info.users["lanhdao"] if submitted else None,
                        returned_at=aware(dt.date(year, 11, 16), 9) if status == S.RETURNED else None,
                        returned_by=ctx.reviewer if status == S.RETURNED else None,
                        return_requests="Bổ sung minh chứng tiêu chí 4.3 và 5.1." if status == S.RETURNED else "",
                        appraised_at=aware(appraised_on, 15) if appraised else None,
                        appraised_by=ctx.reviewer if appraised else None,
                    )
                )  # fmt: skip
                plans.append({"info": info, "q": q, "status": status, "year": year})
        cycles = bulk(ctx, Cycle, cycles)
        registrations, assignments, entries, proposals, consolidated, appraisals = [], [], [], [], [], []
        evidence_files, evidence_targets = [], []
        entry_plans: list[tuple[int, str]] = []  # (cycle index, code) for each entry, to link evidence
        for index, (cycle, plan) in enumerate(zip(cycles, plans, strict=True)):
            info, q, status, year = plan["info"], plan["q"], plan["status"], plan["year"]
            coordinator = info.users["vhxh"]
            target = levels[min(len(levels) - 1, max(0, round((q - 0.8) * 20) - 1 + rng.randint(0, 1)))]
            registrations.append(
                Registration(
                    unit=info.unit, cycle=cycle, target_level=target, target_level_name=f"Mức độ {target}",
                    note="Theo kế hoạch của đơn vị.", registered_by=info.users["lanhdao"],
                    registered_at=aware(dt.date(year, 2, rng.randint(1, 16)), 9),
                    status=Registration.Status.ACCEPTED if status != S.REGISTRATION else Registration.Status.PENDING,
                    decided_by=ctx.reviewer if status != S.REGISTRATION else None,
                    decided_at=aware(dt.date(year, 2, 25), 9) if status != S.REGISTRATION else None,
                )
            )  # fmt: skip
            if status == S.REGISTRATION:
                plan["values"] = {}
                continue
            for code, body_code in assignments_plan.items():
                body = info.villages[0] if body_code == "village" else info.bodies[body_code]
                assignments.append(Assignment(unit=info.unit, cycle=cycle, criterion_code=code, body=body,
                                              assigned_by=coordinator))  # fmt: skip
            editable = status in Cycle.EDITABLE
            raw: dict[str, str] = {}
            for code, node in nodes.items():
                leaf_source = getattr(node, "source", None)
                if leaf_source and editable:
                    continue  # read live from the measuring area while the cycle is open
                if status == S.SELF_SCORING and rng.random() < 0.25:
                    continue  # still being scored
                if hasattr(node, "kind"):
                    value, ticked = _score_text(node, q, rng)
                else:  # a condition
                    value, ticked = ("có" if rng.random() < 0.97 else "không"), []
                if crit.safe_value(node, value) is None:
                    continue
                raw[code] = value
                entries.append(
                    ScoreEntry(
                        unit=info.unit, cycle=cycle, criterion_code=code, value=value, ticked=ticked,
                        explanation="Số liệu tổng hợp của Phòng Văn hóa - Xã hội." if rng.random() < 0.3 else "",
                        from_source=bool(leaf_source), source_label=source_label(leaf_source) if leaf_source else "",
                        entered_by=coordinator,
                    )
                )  # fmt: skip
                entry_plans.append((index, code))
            plan["values"] = raw
            # evidence: three files per cycle, each proving several criteria
            for key, title in (("report", "Báo cáo kết quả thực hiện tiêu chí"), ("minutes", "Biên bản họp chấm điểm"),
                               ("photo", "Ảnh khu vực niêm yết thủ tục hành chính")):  # fmt: skip
                evidence_files.append(
                    evidence_row(ctx, info=info, key=key, title=f"{title} năm {year}", day=dt.date(year, 10, 20),
                                 body=info.bodies["VHXH"], user=coordinator)
                )  # fmt: skip
                evidence_targets.append(index)
            # joint proposals and the settled values
            if status not in (S.SELF_SCORING,) and "2.4" in raw and "3.1" in raw:
                for code, scorer, body_code, reason in (
                    ("2.4", "mttq", "MTTQ", "Còn ý kiến cử tri về thời gian tiếp dân chưa thuận tiện."),
                    ("3.1", "bxdd", "BXDD", "Một công chức bị nhắc nhở về giờ giấc."),
                ):
                    node = nodes[code]
                    lower = _lower(node, raw[code])
                    proposals.append(JointProposal(unit=info.unit, cycle=cycle, criterion_code=code, body=info.bodies[body_code],
                                                   value=lower, reason=reason, proposed_by=info.users[scorer]))  # fmt: skip
                    settled = lower if rng.random() < 0.5 else raw[code]
                    consolidated.append(ConsolidatedScore(unit=info.unit, cycle=cycle, criterion_code=code, value=settled,
                                                          reason="Thống nhất theo ý kiến của các thành viên.",
                                                          settled_by=coordinator))  # fmt: skip
                    plan.setdefault("consolidated", {})[code] = settled
            if status in (S.APPRAISED, S.RECOGNISED):
                for code in rng.sample(sorted(raw), k=min(3, len(raw))):
                    adjust = rng.random() < 0.3 and not getattr(nodes[code], "source", None)
                    value = _lower(nodes[code], raw[code]) if adjust else ""
                    appraisals.append(
                        AppraisalItem(unit=info.unit, cycle=cycle, criterion_code=code,
                                      decision=AppraisalItem.Decision.ADJUST if adjust else AppraisalItem.Decision.ACCEPT,
                                      value=value, reason="Minh chứng chưa đầy đủ." if adjust else "", appraised_by=ctx.reviewer)
                    )  # fmt: skip
                    if adjust:
                        plan.setdefault("appraised", {})[code] = value
        bulk(ctx, Registration, registrations)
        bulk(ctx, Assignment, assignments)
        entries = bulk(ctx, ScoreEntry, entries)
        bulk(ctx, JointProposal, proposals)
        bulk(ctx, ConsolidatedScore, consolidated)
        bulk(ctx, AppraisalItem, appraisals)
        evidence_files = bulk(ctx, EvidenceFile, evidence_files)
        files_of: dict[int, list[Any]] = {}
        for file, index in zip(evidence_files, evidence_targets, strict=True):
            files_of.setdefault(index, []).append(file)
        links = []
        for entry, (index, _code) in zip(entries, entry_plans, strict=True):
            if entry.from_source or rng.random() < 0.4:
                continue
            file = rng.choice(files_of[index])
            links.append(
                ScoreEvidence(unit_id=entry.unit_id, entry=entry, evidence=file, added_by=entry.entered_by)
            )
        bulk(ctx, ScoreEvidence, links)

        # results and recognitions: the pure engine on the generated values (what submission freezes)
        recognitions = []
        for cycle, plan in zip(cycles, plans, strict=True):
            status = plan["status"]
            if status not in (S.SUBMITTED, S.APPRAISED, S.RECOGNISED):
                continue
            raw = dict(plan["values"])
            raw.update(plan.get("consolidated", {}))
            consolidated_result = assess(
                cs, {c: crit.safe_value(nodes[c], v) for c, v in raw.items() if nodes.get(c)}
            )
            cycle.submitted_result = result_to_json(consolidated_result)
            update = ["submitted_result"]
            if status in (S.APPRAISED, S.RECOGNISED):
                raw.update(plan.get("appraised", {}))
                final = assess(cs, {c: crit.safe_value(nodes[c], v) for c, v in raw.items() if nodes.get(c)})
                cycle.final_result = result_to_json(final)
                update.append("final_result")
                if final.level is not None and status == S.RECOGNISED:
                    info = plan["info"]
                    path, content_type, _size, sha = ctx.files["report"]
                    recognitions.append(
                        Recognition(
                            unit=info.unit, cycle=cycle, decision_number=f"{3000 + info.index}/QĐ-UBND",
                            decision_date=min(dt.date(plan["year"], 12, 28), as_of), signer="Phó Chủ tịch UBND thành phố",
                            level_code=final.level.code, level_name=final.level.name, file=path,
                            file_name="quyet-dinh-cong-nhan.pdf", file_type=content_type, file_sha256=sha,
                            recognised_by=ctx.reviewer,
                        )
                    )  # fmt: skip
                elif status == S.RECOGNISED:
                    cycle.status = S.APPRAISED  # not achieved: appraised, never recognised
                    update.append("status")
            Cycle.objects.filter(pk=cycle.pk).update(**{name: getattr(cycle, name) for name in update})
        bulk(ctx, Recognition, recognitions)
    _store_cycle_summaries(ctx)
    log(f"    assessments: {ctx.counts.get('assessments.Cycle', 0):,} cycles")


def _store_cycle_summaries(ctx: Context) -> None:
    """What the submission service keeps for the city's table, from the generated (locked) scores."""
    from friendlygov.assessments import selectors
    from friendlygov.assessments.models import Cycle

    locked = Cycle.objects.filter(unit__parent=ctx.city).exclude(status__in=Cycle.EDITABLE)
    for chunk in _chunks(list(locked.select_related("unit", "criteria_set")), 100):
        loaded = selectors.load_cycles_data(chunk)
        for cycle in chunk:
            data = loaded[cycle.pk]
            cycle.summary = selectors.submission_summary(data)
            if cycle.status in (Cycle.Status.APPRAISED, Cycle.Status.RECOGNISED):
                cycle.summary["appraised"] = selectors.summary_total(data.result("appraised"))
        Cycle.objects.bulk_update(chunk, ["summary"])


def _lower(node: Any, value: str) -> str:
    """A slightly lower value of the same kind (a joint scorer's or the city's adjustment)."""
    from friendlygov.assessments import criteria as crit

    kind = getattr(node, "kind", "boolean")
    candidate = value
    if kind == "checklist" and value.isdigit() and int(value) > 0:
        candidate = str(int(value) - 1)
    elif kind == "points":
        number = float(value.replace(",", "."))
        candidate = vn_decimal(max(0.0, number - 0.5))
    elif kind == "ratio" and "/" in value:
        part, whole = value.split("/")
        candidate = f"{max(0, int(part) - max(1, int(whole) // 20))}/{whole}"
    return candidate if crit.safe_value(node, candidate) is not None else value


# --------------------------------------------------------------------------------------------------
# Late step: operations (another engineer is finishing this area)


def step_operations(ctx: Context) -> None:
    from friendlygov.evidence.models import EvidenceFile
    from friendlygov.operations import models as ops

    rng = ctx.rng("operations")
    as_of = ctx.as_of
    kinds = [k for k, _label in ops.CommunicationKind.choices]
    for chunk in _chunks(ctx.units, 20):
        activities, files, file_targets = [], [], []
        items, reviews, review_plans, households = [], [], [], []
        lines, nominations, meetings, decisions, practices, shortfalls, conferences, signatures = (
            [] for _ in range(8)
        )
        program_reviews = []
        for info in chunk:
            unit, coordinator = info.unit, info.users["vhxh"]
            tasks = ctx.plan_tasks.get(unit.pk, {})
            for year in ctx.years:
                last_day = min(dt.date(year, 12, 31), as_of - dt.timedelta(days=1))
                span = (last_day - dt.date(year, 1, 1)).days
                for n in range(8):
                    held = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, span))
                    activities.append(
                        ops.CommunicationActivity(
                            unit=unit, created_by=coordinator, kind=kinds[n % len(kinds)],
                            title=f"Tuyên truyền mô hình “Chính quyền thân thiện” — đợt {n + 1} năm {year}", held_on=held,
                            place="Hội trường UBND" if n % 2 else "Nhà văn hóa thôn", body=info.bodies["VHXH"],
                            audience="Cán bộ, công chức và Nhân dân", reach=rng.randint(50, 3000),
                            cost=rng.choice((0, 500_000, 1_200_000, 3_500_000)), task=tasks.get("1"), criterion_code="5.1",
                        )
                    )  # fmt: skip
                for position, text in enumerate(("Không có phản ánh có căn cứ về thái độ của cán bộ thôn",
                                                 "Thôn thực hiện công khai, dân chủ theo quy chế",
                                                 "Trên 90% hộ được tuyên truyền “4 xin, 4 luôn, 5 không”")):  # fmt: skip
                    items.append(ops.VillageReviewItem(unit=unit, created_by=coordinator, year=year, text=text,
                                                       criterion_code="5.2", position=position))  # fmt: skip
                finished = year < as_of.year
                for village in info.villages:
                    achieved = rng.random() < 0.85
                    reviews.append(
                        ops.VillageReview(
                            unit=unit, created_by=coordinator, village=village, year=year,
                            title_result=(ops.VillageReview.Title.ACHIEVED if achieved else ops.VillageReview.Title.NOT_ACHIEVED)
                            if finished else ops.VillageReview.Title.PENDING,
                            households_total=rng.randint(150, 600), reviewed_on=dt.date(year, 12, 10) if finished else None,
                        )
                    )  # fmt: skip
                    review_plans.append((len(items) - 3, finished, achieved))
                    for h in range(5):
                        head = person(rng)
                        households.append(
                            ops.HouseholdTitle(unit=unit, created_by=coordinator, village=village, year=year, head_name=head,
                                               address=f"Xóm {h + 1}", key=f"{head.lower()}|xóm {h + 1}|{h}",
                                               is_cultural=rng.random() < 0.9, source="gia-dinh-van-hoa.xlsx")
                        )  # fmt: skip
                for position, (title, estimated) in enumerate((("Làm pano, khẩu hiệu “4 xin, 4 luôn, 5 không”", 25_000_000),
                                                               ("Hội nghị quán triệt, tập huấn", 8_000_000),
                                                               ("Liên hoan văn nghệ quần chúng", 10_000_000),
                                                               ("Khen thưởng tập thể, cá nhân tiêu biểu", 6_000_000))):  # fmt: skip
                    lines.append(ops.BudgetLine(unit=unit, created_by=info.users["hcc"], year=year, title=title,
                                                source=ops.BudgetSource.STATE_COMMUNE, estimated=estimated,
                                                approved=estimated * 4 // 5, position=position, task=tasks.get("8")))  # fmt: skip
                nominations.append(
                    ops.Nomination(unit=unit, created_by=coordinator, year=year,
                                   nominee_kind=ops.Nomination.NomineeKind.COLLECTIVE, nominee_name="Trung tâm Phục vụ hành chính công",
                                   body=info.bodies["PVHCC"], proposed_by_body=info.bodies["VHXH"],
                                   achievements="Giải quyết hồ sơ đúng hạn; không có phản ánh về thái độ phục vụ.",
                                   proposed_form=ops.RewardForm.GIAY_KHEN,
                                   status=ops.Nomination.Status.AWARDED if finished else ops.Nomination.Status.PROPOSED)
                )  # fmt: skip
                if finished:
                    decisions.append(ops.RewardDecision(unit=unit, created_by=coordinator, year=year, number=f"{200 + info.index}/QĐ-UBND",
                                                        signed_on=dt.date(year, 12, 26), signer="Chủ tịch UBND",
                                                        reward_form=ops.RewardForm.GIAY_KHEN))  # fmt: skip
                    meetings.append(ops.CouncilMeeting(unit=unit, created_by=coordinator, year=year, held_on=dt.date(year, 12, 18),
                                                       place="Phòng họp UBND", chair=info.users["lanhdao"].full_name))  # fmt: skip
                practices.append(ops.GoodPractice(unit=unit, created_by=coordinator, year=year,
                                                  title="“Một lần đến — trọn việc” ở Trung tâm Phục vụ hành chính công",
                                                  summary="Công chức hướng dẫn tại cửa, hẹn trả kết quả qua Zalo.",
                                                  body=info.bodies["PVHCC"], is_published=finished))  # fmt: skip
                if rng.random() < 0.5:
                    shortfalls.append(ops.Shortfall(unit=unit, created_by=coordinator, year=year, body=rng.choice(info.villages),
                                                    reason="Chậm cập nhật bảng tin văn hóa thôn.", noted_on=dt.date(year, 10, 5),
                                                    status=ops.Shortfall.Status.RESOLVED if finished else ops.Shortfall.Status.OPEN))  # fmt: skip
                conferences.append(ops.Conference(unit=unit, created_by=coordinator, title=f"Hội nghị tổng kết công tác năm {year}",
                                                  held_on=dt.date(year, 12, 20), place="Hội trường UBND",
                                                  attendees="Các phòng, ban, đơn vị; trưởng thôn; Ủy ban MTTQ và các đoàn thể",
                                                  status=ops.Conference.Status.HELD if finished else ops.Conference.Status.SCHEDULED))  # fmt: skip
                for n, kind in enumerate((ops.SignatureRequest.DocumentKind.REPORT, ops.SignatureRequest.DocumentKind.PLAN,
                                          ops.SignatureRequest.DocumentKind.SUBMISSION)):  # fmt: skip
                    signed = finished or n > 0
                    signatures.append(ops.SignatureRequest(unit=unit, created_by=coordinator, title=f"Văn bản trình ký số {n + 1} năm {year}",
                                                           document_kind=kind, requested_by=coordinator,
                                                           status=ops.SignatureRequest.Status.SIGNED if signed else ops.SignatureRequest.Status.WAITING,
                                                           signed_on=dt.date(year, 3 + n * 3, 10) if signed else None,
                                                           decided_by=info.users["lanhdao"] if signed else None))  # fmt: skip
            for review_kind, year, first in (("midterm", 2027, FIRST_YEAR), ("final", 2030, FIRST_YEAR)):
                if year <= as_of.year:
                    completed = year < as_of.year
                    program_reviews.append(ops.ProgrammeReview(
                        unit=unit, created_by=coordinator, kind=review_kind, year=year, from_year=first,
                        title=f"{'Sơ kết' if review_kind == 'midterm' else 'Tổng kết'} thực hiện mô hình “Chính quyền thân thiện”",
                        status=ops.ProgrammeReview.Status.COMPLETED if completed else ops.ProgrammeReview.Status.DRAFT))  # fmt: skip
        activities = bulk(ctx, ops.CommunicationActivity, activities, WIDE_BATCH)
        by_unit = {info.unit.pk: info for info in chunk}
        for index, activity in enumerate(activities):
            if index % 2 == 0:
                files.append(evidence_row(ctx, info=by_unit[activity.unit_id], key="photo", title=activity.title,
                                          day=activity.held_on, body=activity.body, user=activity.created_by))  # fmt: skip
                file_targets.append(activity)
        files = bulk(ctx, EvidenceFile, files)
        bulk(ctx, ops.ActivityFile, [ops.ActivityFile(activity=a, evidence=f, added_by=a.created_by)
                                     for a, f in zip(file_targets, files, strict=True)])  # fmt: skip
        items = bulk(ctx, ops.VillageReviewItem, items)
        reviews = bulk(ctx, ops.VillageReview, reviews)
        results = []
        for review, (first_item, finished, achieved) in zip(reviews, review_plans, strict=True):
            for offset in range(3):
                met = None if not finished else (achieved or offset > 0)
                results.append(
                    ops.VillageReviewResult(review=review, item=items[first_item + offset], met=met)
                )
        bulk(ctx, ops.VillageReviewResult, results)
        bulk(ctx, ops.HouseholdTitle, households)
        bulk(ctx, ops.BudgetLine, lines)
        bulk(ctx, ops.Nomination, nominations)
        bulk(ctx, ops.RewardDecision, decisions)
        bulk(ctx, ops.CouncilMeeting, meetings)
        bulk(ctx, ops.GoodPractice, practices)
        bulk(ctx, ops.Shortfall, shortfalls)
        bulk(ctx, ops.Conference, conferences)
        bulk(ctx, ops.SignatureRequest, signatures)
        bulk(ctx, ops.ProgrammeReview, program_reviews)
        log(f"    operations: {ctx.counts.get('operations.CommunicationActivity', 0):,} activities")


# --------------------------------------------------------------------------------------------------
# Driver

CORE_STEPS: list[tuple[str, Callable[[Context], None]]] = [
    ("org", step_org),
    ("files", step_files),
    ("plans", step_plans),
    ("surveys", step_surveys),
    ("feedback", step_feedback),
    ("dossiers", step_dossiers),
]
#: Areas others are finishing: their rows come last, each step skipped (with a message) if it fails.
LATE_STEPS: list[tuple[str, Callable[[Context], None]]] = [
    ("assessments", step_assessments),
    ("operations", step_operations),
]


class GenerateError(Exception):
    """The database is not empty (and --force was not given), or the size is unknown; Vietnamese message."""


def database_has_data() -> tuple[int, int]:
    """(units, accounts) already in the database."""
    from django.contrib.auth import get_user_model

    from friendlygov.org.models import Unit

    return Unit.objects.count(), get_user_model().objects.count()


def generate(
    *,
    size: str = "small",
    seed: int = DEFAULT_SEED,
    as_of: dt.date = DEFAULT_AS_OF,
    force: bool = False,
    strict: bool = False,
    migrate: bool = True,
) -> Context:
    """Generate the city into the configured database; returns the context (counts, timings)."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    if size not in SIZES:
        raise GenerateError(f"--size: «{size}» không hợp lệ (chọn một trong: {', '.join(SIZES)}).")
    if not FIRST_YEAR <= as_of.year <= LAST_YEAR + 1:
        raise GenerateError(
            f"--as-of: ngày {as_of:%d/%m/%Y} phải nằm trong các năm {FIRST_YEAR}–{LAST_YEAR + 1}."
        )
    started = time.perf_counter()
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    units, accounts = database_has_data()
    if units or accounts:
        if not force:
            raise GenerateError(
                f"Cơ sở dữ liệu đã có dữ liệu ({units} đơn vị, {accounts} tài khoản); không tạo dữ liệu thử tải. "
                "Dùng --force để xóa toàn bộ dữ liệu hiện có rồi tạo lại."
            )
        log("Xóa toàn bộ dữ liệu hiện có (--force)…")
        call_command("flush", interactive=False, verbosity=0)
    ctx = Context(
        size=SIZES[size],
        seed=seed,
        as_of=as_of,
        workdays=Workdays(dt.date(FIRST_YEAR - 1, 1, 1), dt.date(LAST_YEAR + 2, 12, 31)),
    )
    log(f"Tạo dữ liệu thành phố cỡ «{size}» (seed {seed}, tính đến ngày {as_of:%d/%m/%Y})")
    # DEBUG would keep the SQL of every multi-thousand-row INSERT in connection.queries: off while generating.
    with override_settings(DEBUG=False):
        for name, step in CORE_STEPS:
            _run_step(ctx, name, step, transaction)
        for name, step in LATE_STEPS:
            try:
                _run_step(ctx, name, step, transaction)
            except Exception as error:
                if strict:
                    raise
                ctx.skipped[name] = f"{type(error).__name__}: {error}"
                log(f"  ! bỏ qua bước «{name}» (khu vực này có thể chưa hoàn thiện): {ctx.skipped[name]}")
    from django.db import connection

    if connection.vendor == "postgresql":
        # what autovacuum would have done on a live database: planner statistics after the bulk load
        analyzed = time.perf_counter()
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        ctx.timings["analyze"] = time.perf_counter() - analyzed
        log(f"  ✓ ANALYZE: {ctx.timings['analyze']:.1f} giây")
    ctx.timings["total"] = time.perf_counter() - started
    total_rows = sum(ctx.counts.values())
    log(f"Xong: {total_rows:,} dòng trong {ctx.timings['total']:.1f} giây.")
    for label, n in sorted(ctx.counts.items()):
        log(f"  {label:<40} {n:>12,}")
    return ctx


def _run_step(ctx: Context, name: str, step: Callable[[Context], None], transaction: Any) -> None:
    before = sum(ctx.counts.values())
    started = time.perf_counter()
    log(f"  → {name}")
    with transaction.atomic():
        step(ctx)
    elapsed = time.perf_counter() - started
    ctx.timings[name] = elapsed
    log(f"  ✓ {name}: {sum(ctx.counts.values()) - before:,} dòng, {elapsed:.1f} giây")


def summary(ctx: Context) -> dict[str, Any]:
    from django.db import connection

    return {
        "size": ctx.size.name,
        "seed": ctx.seed,
        "as_of": ctx.as_of.isoformat(),
        "database": connection.vendor,
        "counts": dict(sorted(ctx.counts.items())),
        "timings": {k: round(v, 2) for k, v in ctx.timings.items()},
        "skipped": ctx.skipped,
    }


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise GenerateError(
            f"--as-of: «{text}» không phải ngày dạng YYYY-MM-DD (ví dụ 2030-11-20)."
        ) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--size", default="small", help="small (~10 đơn vị, giảm 50 lần) hoặc full (114 đơn vị)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"hạt giống ngẫu nhiên (mặc định {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--as-of", default=DEFAULT_AS_OF.isoformat(), help="ngày “hôm nay” của dữ liệu (mặc định 2030-11-20)"
    )
    parser.add_argument("--force", action="store_true", help="xóa toàn bộ dữ liệu hiện có rồi tạo lại")
    parser.add_argument("--strict", action="store_true", help="dừng khi một bước bị lỗi thay vì bỏ qua")


def run(args: argparse.Namespace) -> int:
    """Entry point shared by `friendlygov generate-city` and `python bench/generate.py`."""
    try:
        as_of = parse_date(args.as_of)
        if args.size not in SIZES:
            raise GenerateError(f"--size: «{args.size}» không hợp lệ (chọn một trong: {', '.join(SIZES)}).")
    except GenerateError as error:
        print(error, file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "friendlygov.settings")
    import django

    django.setup()
    try:
        generate(size=args.size, seed=args.seed, as_of=as_of, force=args.force, strict=args.strict)
    except GenerateError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Tạo dữ liệu thử tải cỡ thành phố (xem bench/RESULTS.md)")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
