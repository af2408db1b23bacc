"""What every step of the city generator shares: sizes, dates, the context carried through the steps,
bulk writes, names of people and places, small files."""

from __future__ import annotations

import bisect
import datetime as dt
import random
import struct
import zlib
from collections.abc import Iterable, Sequence
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


def evidence_row(
    ctx: Context, *, info: UnitInfo, key: str, title: str, day: dt.date, body: Any, user: Any
) -> Any:
    from friendlygov.evidence.models import EvidenceFile

    path, content_type, size, sha = ctx.files[key]
    return EvidenceFile(
        unit=info.unit, body=body, file=path, original_name=Path(path).name, content_type=content_type, size=size,
        sha256=sha, title=title[:300], effective_date=day, uploaded_by=user,
    )  # fmt: skip


def _chunks(items: Sequence[Any], n: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), n):
        yield items[start : start + n]
