"""Step 1, the criteria library: the city's criteria sets, imported, edited and versioned."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import CriteriaSetVersion
from friendlygov.assessments.sources import check_source_keys
from friendlygov.assessments.workbook import WorkbookError, read_criteria_workbook
from friendlygov.audit import services as audit
from friendlygov.org.access import Actor, Capability, require
from friendlygov.org.models import Unit
from friendlygov.rules.scoring import (
    CriteriaSet,
    CriteriaSetError,
    criteria_set_to_dict,
    load_bundled_criteria_set,
    load_criteria_set_yaml,
    parse_criteria_set,
)

from .common import _check_version


def _require_library(actor: Actor, city: Unit) -> None:
    require(actor, Capability.APPRAISE, city)
    if not city.is_city:
        raise ValidationError("Thư viện bộ tiêu chí thuộc thành phố (tỉnh), không thuộc xã.")


def _label(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    return ""


@transaction.atomic
def add_criteria_set(
    *,
    actor: Actor,
    city: Unit,
    data: Mapping[str, Any],
    origin: str,
    template_name: str = "",
    based_on: CriteriaSetVersion | None = None,
) -> CriteriaSetVersion:
    """Validate contract data and add it to the city's library (nothing is saved when invalid)."""
    _require_library(actor, city)
    try:
        cs = parse_criteria_set(data)
    except CriteriaSetError as error:
        raise ValidationError({"file": error.problems}) from None
    return _create_version(
        actor=actor, city=city, cs=cs, origin=origin, template_name=template_name, based_on=based_on
    )


def _create_version(
    *,
    actor: Actor,
    city: Unit,
    cs: CriteriaSet,
    origin: str,
    template_name: str = "",
    based_on: CriteriaSetVersion | None = None,
    field: str = "file",
) -> CriteriaSetVersion:
    check_source_keys(cs, field)
    if CriteriaSetVersion.objects.filter(unit=city, code=cs.code, version=cs.version).exists():
        raise ValidationError(
            {
                "file": f'Thư viện đã có bộ tiêu chí «{cs.code}» phiên bản {cs.version}; hãy tăng số phiên bản ("version") hoặc sửa bộ đã có.'
            }
        )
    normalized = criteria_set_to_dict(cs)
    row = CriteriaSetVersion(
        unit=city,
        code=cs.code,
        version=cs.version,
        name=cs.name[:400],
        status_label=_label(cs.extra.get("status"))[:100],
        source_label=_label(cs.extra.get("source")),
        template_name=template_name,
        origin=origin,
        data=normalized,
        data_sha256=crit.data_sha256(normalized),
        based_on=based_on,
        imported_by=actor,
    )
    row.full_clean()
    row.save()
    audit.record(
        actor=actor,
        unit_id=city.pk,
        action="create",
        obj=row,
        changes={"code": [None, row.code], "version": [None, row.version], "origin": [None, row.origin]},
        note=f"nạp bộ tiêu chí ({row.get_origin_display()})",
    )
    return row


def read_criteria_file(data: bytes, filename: str) -> tuple[CriteriaSet, str]:
    """A YAML or Excel criteria file → (validated set, origin); raises ValidationError naming every problem."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        try:
            raw = read_criteria_workbook(data, filename)
        except WorkbookError as error:
            raise ValidationError({"file": error.problems}) from None
        try:
            return parse_criteria_set(raw), CriteriaSetVersion.Origin.EXCEL
        except CriteriaSetError as error:
            raise ValidationError({"file": error.problems}) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            {"file": f"Tệp «{filename}» không phải văn bản UTF-8 (lỗi ở byte thứ {exc.start + 1})."}
        ) from None
    try:
        return load_criteria_set_yaml(text), CriteriaSetVersion.Origin.YAML
    except CriteriaSetError as error:
        raise ValidationError({"file": error.problems}) from None


@transaction.atomic
def import_criteria_set(*, actor: Actor, city: Unit, data: bytes, filename: str) -> CriteriaSetVersion:
    _require_library(actor, city)
    cs, origin = read_criteria_file(data, filename)
    return _create_version(actor=actor, city=city, cs=cs, origin=origin)


@transaction.atomic
def import_criteria_set_yaml(*, actor: Actor, city: Unit, text: str) -> CriteriaSetVersion:
    _require_library(actor, city)
    try:
        cs = load_criteria_set_yaml(text)
    except CriteriaSetError as error:
        raise ValidationError({"yaml": error.problems}) from None
    return _create_version(actor=actor, city=city, cs=cs, origin=CriteriaSetVersion.Origin.API, field="yaml")


@transaction.atomic
def load_template(*, actor: Actor, city: Unit, name: str) -> CriteriaSetVersion:
    """Add a bundled template (``friendlygov/rules/criteria_sets/<name>.yaml``) to the city's library."""
    _require_library(actor, city)
    try:
        cs = load_bundled_criteria_set(name)
    except KeyError:
        raise ValidationError({"template": f"Không có mẫu bộ tiêu chí «{name}»."}) from None
    return _create_version(
        actor=actor,
        city=city,
        cs=cs,
        origin=CriteriaSetVersion.Origin.TEMPLATE,
        template_name=name,
        field="template",
    )


@transaction.atomic
def edit_criteria_set(
    *,
    actor: Actor,
    criteria_set: CriteriaSetVersion,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> CriteriaSetVersion:
    """Save an edited set. A set no cycle uses yet is changed in place; a locked one (used by a cycle) is
    never changed: the edit becomes the next version of the same code."""
    city = criteria_set.unit
    _require_library(actor, city)
    row = CriteriaSetVersion.objects.select_for_update().get(pk=criteria_set.pk)
    _check_version(
        row, expected_version, f"Bộ tiêu chí {row.code} phiên bản {row.version}", field="row_version"
    )
    edited = dict(data)
    edited["code"] = row.code
    if row.is_locked:
        latest = CriteriaSetVersion.objects.filter(unit=city, code=row.code).order_by("-version").first()
        edited["version"] = (latest.version if latest else row.version) + 1
    else:
        edited["version"] = row.version
    try:
        cs = parse_criteria_set(edited)
    except CriteriaSetError as error:
        raise ValidationError({"data": error.problems}) from None
    if row.is_locked:
        return _create_version(
            actor=actor, city=city, cs=cs, origin=CriteriaSetVersion.Origin.EDITOR, based_on=row, field="data"
        )
    check_source_keys(cs, "data")
    before = audit.snapshot(row, ["name", "status_label", "data_sha256"])
    normalized = criteria_set_to_dict(cs)
    row.data = normalized
    row.data_sha256 = crit.data_sha256(normalized)
    row.name = cs.name[:400]
    row.status_label = _label(cs.extra.get("status"))[:100]
    row.source_label = _label(cs.extra.get("source"))
    row.row_version += 1
    row.save()
    audit.record_update(
        actor=actor, unit_id=city.pk, obj=row, before=before, note=gettext_noop("sửa nội dung bộ tiêu chí")
    )
    return row


def _lock_set(row: CriteriaSetVersion, actor: Actor) -> None:
    if row.locked_at is None:
        row.locked_at = timezone.now()
        row.save(update_fields=["locked_at"])
        audit.record_transition(
            actor=actor,
            unit_id=row.unit_id,
            obj=row,
            field="locked",
            old=False,
            new=True,
            note=gettext_noop(
                "bộ tiêu chí đã được dùng cho kỳ đánh giá nên không sửa được nữa; sửa sẽ tạo phiên bản mới"
            ),
        )
