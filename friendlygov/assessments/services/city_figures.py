"""The city's figures for its communes: entered one by one or imported from a table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from friendlygov.assessments.models import CityFigure
from friendlygov.audit import services as audit
from friendlygov.kit.tabular import Column, TableError, read_table
from friendlygov.org.access import Actor, Capability, require
from friendlygov.org.models import Unit
from friendlygov.rules.scoring import format_vi_number
from friendlygov.rules.text import normalize_vi

from .common import _check_version


def _percent(value: Any, field: str = "value") -> Decimal:
    try:
        number = (
            value if isinstance(value, Decimal) else Decimal(str(value).strip().rstrip("%").replace(",", "."))
        )
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"Giá trị «{value}» phải là một số phần trăm, ví dụ 85,62."}) from None
    if not number.is_finite() or number < 0 or number > 100:
        raise ValidationError({field: f"Giá trị {value} phải từ 0 đến 100 (%)."})
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def save_city_figure(
    *,
    actor: Actor,
    unit: Unit,
    year: int,
    kind: str,
    value: Any,
    decision: str,
    published_on: dt.date | None = None,
    expected_version: int | None = None,
) -> CityFigure:
    """A city reviewer enters a figure the city published for a unit (PAR INDEX, city-run SIPAS)."""
    require(actor, Capability.APPRAISE, unit)
    if unit.is_city or unit.parent_id is None:
        raise ValidationError({"unit": "Số liệu thành phố công bố gắn với một xã, phường, đặc khu."})
    if kind not in CityFigure.Kind.values:
        raise ValidationError({"kind": "Chọn chỉ số PAR INDEX hoặc SIPAS."})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": "Năm không hợp lệ."})
    number = _percent(value)
    if not decision.strip():
        raise ValidationError(
            {"decision": "Ghi văn bản công bố số liệu (số, ngày quyết định hoặc thông báo)."}
        )
    figure = CityFigure.objects.select_for_update().filter(unit=unit, year=year, kind=kind).first()
    _check_version(
        figure,
        expected_version,
        f"{CityFigure.Kind(kind).label} năm {year} của {unit.name}",
        shown=f"{format_vi_number(figure.value)}%" if figure is not None else None,
    )
    if figure is None:
        figure = CityFigure.objects.create(
            city_id=unit.parent_id,
            unit=unit,
            year=year,
            kind=kind,
            value=number,
            decision=decision.strip(),
            published_on=published_on,
            entered_by=actor,
        )
        audit.record_create(actor=actor, unit_id=unit.pk, obj=figure)
        return figure
    before = audit.snapshot(figure, ["value", "decision", "published_on"])
    figure.value, figure.decision, figure.published_on, figure.entered_by = (
        number,
        decision.strip(),
        published_on,
        actor,
    )
    figure.version += 1
    figure.save()
    audit.record_update(actor=actor, unit_id=unit.pk, obj=figure, before=before)
    return figure


FIGURE_COLUMNS = [
    Column("unit", "Đơn vị", aliases=["xa", "xã, phường", "ma duong dan", "don vi"]),
    Column("year", "Năm", aliases=["nam"]),
    Column("kind", "Chỉ số", aliases=["loai", "chi so"]),
    Column("value", "Giá trị (%)", aliases=["gia tri", "diem", "value"]),
    Column("decision", "Văn bản công bố", aliases=["quyet dinh", "can cu", "van ban"]),
    Column("published_on", "Ngày công bố", required=False, aliases=["ngay"]),
]

KIND_WORDS = {
    "par index": CityFigure.Kind.PAR_INDEX,
    "par_index": CityFigure.Kind.PAR_INDEX,
    "parindex": CityFigure.Kind.PAR_INDEX,
    "chi so cai cach hanh chinh": CityFigure.Kind.PAR_INDEX,
    "cai cach hanh chinh": CityFigure.Kind.PAR_INDEX,
    "sipas": CityFigure.Kind.SIPAS,
    "chi so hai long": CityFigure.Kind.SIPAS,
    "hai long": CityFigure.Kind.SIPAS,
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


def _parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


@transaction.atomic
def import_city_figures(*, actor: Actor, city: Unit, data: bytes, filename: str) -> ImportResult:
    """Import published figures from Excel/CSV; every problem is named by row and column, nothing is
    saved unless the whole file is valid."""
    require(actor, Capability.APPRAISE, city)
    try:
        rows = read_table(data, filename, FIGURE_COLUMNS)
    except TableError as error:
        raise ValidationError(error.problems) from None
    units = {u.slug: u for u in Unit.objects.filter(parent=city)}
    by_name = {normalize_vi(u.name): u for u in units.values()} | {
        normalize_vi(u.full_name): u for u in units.values()
    }
    problems: list[str] = []
    parsed_rows: list[tuple[Unit, int, str, Decimal, str, dt.date | None]] = []
    seen: dict[tuple[int, int, str], int] = {}
    for row in rows:
        where = f"Dòng {row.number}"
        unit = units.get(row.get("unit").strip()) or by_name.get(normalize_vi(row.get("unit")))
        if unit is None:
            problems.append(
                f"{where}, cột «Đơn vị»: không có đơn vị «{row.get('unit')}» thuộc {city.full_name}."
            )
            continue
        try:
            year = int(row.get("year"))
            if not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            problems.append(f"{where}, cột «Năm»: «{row.get('year')}» không phải một năm.")
            continue
        figure_kind = KIND_WORDS.get(normalize_vi(row.get("kind")))
        if figure_kind is None:
            problems.append(
                f"{where}, cột «Chỉ số»: ghi «PAR INDEX» hoặc «SIPAS» (đang là «{row.get('kind')}»)."
            )
            continue
        try:
            value = _percent(row.get("value"))
        except ValidationError as error:
            problems.append(f"{where}, cột «Giá trị (%)»: {' '.join(error.messages)}")
            continue
        if not row.get("decision").strip():
            problems.append(f"{where}, cột «Văn bản công bố»: thiếu văn bản công bố.")
            continue
        try:
            published = _parse_date(row.get("published_on"))
        except ValueError:
            problems.append(
                f"{where}, cột «Ngày công bố»: «{row.get('published_on')}» không phải ngày dạng dd/mm/yyyy."
            )
            continue
        key = (unit.pk, year, str(figure_kind))
        if key in seen:
            problems.append(f"{where}: trùng với dòng {seen[key]} (cùng đơn vị, năm và chỉ số).")
            continue
        seen[key] = row.number
        parsed_rows.append((unit, year, str(figure_kind), value, row.get("decision").strip(), published))
    if problems:
        raise ValidationError(problems)
    result = ImportResult()
    for unit, year, kind, value, decision, published in parsed_rows:
        exists = CityFigure.objects.filter(unit=unit, year=year, kind=kind).exists()
        save_city_figure(
            actor=actor,
            unit=unit,
            year=year,
            kind=kind,
            value=value,
            decision=decision,
            published_on=published,
        )
        if exists:
            result.updated += 1
        else:
            result.created += 1
    return result
