"""The official list of Vietnam's commune-level units (from 1 July 2025), as shipped with the package.

Pure code, no Django: reads the tab-separated list (columns province_code, province, code, kind, name; lines
starting with ``#`` are comments naming the sources) into provinces and their units, and derives the slugs
the organisation tree uses. The write is ``friendlygov.org.services.load_official_units``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from friendlygov.rules.text import normalize_vi, strip_diacritics

SHIPPED_FILE = "vn-commune-units-2025.tsv"
#: what the shipped list rests on (the comment header of the file says the same)
SHIPPED_SOURCE = "Công văn 1027/CTK-CSCL ngày 25/6/2025 của Cục Thống kê (danh mục đơn vị hành chính cấp xã)"
COLUMNS = ("province_code", "province", "code", "kind", "name")

#: the list's words for a kind → the values of ``Unit.Kind``
KINDS = {"xa": "commune", "phuong": "ward", "dac khu": "special_zone"}
CITY_PREFIX = "Thành phố"
PROVINCE_PREFIX = "Tỉnh"

_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


class OfficialListError(ValueError):
    """The file is not a list of units (missing columns, a bad row): ``problems`` in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class OfficialUnit:
    code: str  # five digits
    kind: str  # commune | ward | special_zone
    name: str  # without its "Xã/Phường/Đặc khu"


@dataclass(frozen=True)
class Province:
    code: str  # two digits
    written: str  # as the list writes it: "Thành phố Hải Phòng", "An Giang"
    units: tuple[OfficialUnit, ...]

    @property
    def is_city(self) -> bool:
        return self.written.startswith(CITY_PREFIX + " ")

    @property
    def name(self) -> str:
        """The short name: without "Thành phố"/"Tỉnh"."""
        for prefix in (CITY_PREFIX, PROVINCE_PREFIX):
            if self.written.startswith(prefix + " "):
                return self.written[len(prefix) + 1 :].strip()
        return self.written.strip()

    @property
    def full_name(self) -> str:
        return f"{CITY_PREFIX if self.is_city else PROVINCE_PREFIX} {self.name}"

    @property
    def slug(self) -> str:
        return slug_of(self.name)

    def count(self, kind: str) -> int:
        return sum(1 for unit in self.units if unit.kind == kind)


def slug_of(name: str) -> str:
    """``Thanh Miện`` → ``thanh-mien``; ``Văn Miếu - Quốc Tử Giám`` → ``van-mieu-quoc-tu-giam``."""
    return _SLUG_UNSAFE.sub("-", strip_diacritics(name).lower()).strip("-") or "don-vi"


def shipped_text() -> str:
    """The list shipped inside the package (read through importlib.resources, so it works installed)."""
    return resources.files("friendlygov.org").joinpath("data", SHIPPED_FILE).read_text(encoding="utf-8")


def _header(line: str) -> list[str]:
    return [cell.strip().lower() for cell in line.split("\t")]


def parse(text: str) -> dict[str, Province]:
    """The provinces of a list, by code, in the order the list gives them; OfficialListError when a column is
    missing or a row is not understood (every problem, each naming its line)."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    lines = [(number, line) for number, line in lines if not line.lstrip().startswith("#")]
    if not lines:
        raise OfficialListError(["Tệp không có dòng nào (cần các cột " + ", ".join(COLUMNS) + ")."])
    header = _header(lines[0][1].lstrip("\ufeff"))
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise OfficialListError(
            [f"Tệp thiếu cột {', '.join(missing)} (cần các cột {', '.join(COLUMNS)}, phân cách bằng tab)."]
        )
    index = {column: header.index(column) for column in COLUMNS}
    problems: list[str] = []
    written: dict[str, str] = {}
    units: dict[str, list[OfficialUnit]] = {}
    seen: dict[str, int] = {}
    for number, line in lines[1:]:
        cells = line.split("\t")
        if len(cells) < len(header):
            problems.append(f"Dòng {number}: thiếu cột (cần {len(header)} cột, có {len(cells)}).")
            continue
        row = {column: cells[i].strip() for column, i in index.items()}
        kind = KINDS.get(normalize_vi(row["kind"]))
        if not re.fullmatch(r"\d{2}", row["province_code"]):
            problems.append(
                f"Dòng {number}, cột «province_code»: «{row['province_code']}» không phải mã tỉnh."
            )
        elif not re.fullmatch(r"\d{5}", row["code"]):
            problems.append(f"Dòng {number}, cột «code»: «{row['code']}» không phải mã 5 chữ số.")
        elif kind is None:
            problems.append(f"Dòng {number}, cột «kind»: «{row['kind']}» không phải Xã, Phường hoặc Đặc khu.")
        elif not row["name"] or not row["province"]:
            problems.append(f"Dòng {number}: thiếu tên đơn vị hoặc tên tỉnh.")
        elif row["code"] in seen:
            problems.append(
                f"Dòng {number}, cột «code»: mã {row['code']} trùng với dòng {seen[row['code']]}."
            )
        else:
            seen[row["code"]] = number
            written.setdefault(row["province_code"], row["province"])
            units.setdefault(row["province_code"], []).append(OfficialUnit(row["code"], kind, row["name"]))
    if problems:
        raise OfficialListError(problems)
    return {code: Province(code, written[code], tuple(units[code])) for code in written}


@functools.lru_cache(maxsize=1)
def shipped() -> dict[str, Province]:
    """The shipped list, parsed once per process (the provinces are immutable)."""
    return parse(shipped_text())
