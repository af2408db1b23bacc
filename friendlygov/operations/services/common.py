"""Validation and storage helpers shared by the operations registers' writes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.evidence.filetypes import sniff
from friendlygov.evidence.models import EvidenceFile
from friendlygov.evidence.services import store_evidence
from friendlygov.org.access import Actor
from friendlygov.org.models import Body, Unit

MIN_YEAR, MAX_YEAR = 2000, 2100
CRITERION_RE = re.compile(r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ.\-_]{0,29}$")
MAX_AMOUNT = 10**15  # VND; anything larger is a typing mistake

# A register row: a model with `unit` and `version` (Conference, BudgetLine, Spending, ...).
_Row = TypeVar("_Row", bound=Model)


def _today() -> dt.date:
    return timezone.localdate()


def _lock(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _cap(label: str) -> str:
    """A field's label at the start of a message ("Ngày chi …", "Date spent …")."""
    return f"{label[0].upper()}{label[1:]}"


def _text(value: Any, field: str, label: str, *, required: bool = True, max_length: int | None = None) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("Chưa nhập %(label)s.") % {"label": label}})
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            {field: _("%(label)s dài quá %(n)s ký tự.") % {"label": _cap(label), "n": max_length}}
        )
    return text


def _year(value: Any, field: str = "year") -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Năm không hợp lệ.")}) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {field: _("Năm phải trong khoảng %(a)s–%(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR}}
        )
    return year


def _amount(
    value: Any, field: str, label: str, *, required: bool = True, positive: bool = False
) -> int | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Chưa nhập %(label)s.") % {"label": label}})
        return None
    try:
        amount = int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {field: _("%(label)s phải là số nguyên (đồng).") % {"label": _cap(label)}}
        ) from None
    if amount < 0 or (positive and amount == 0):
        raise ValidationError(
            {
                field: (_("%(label)s phải lớn hơn 0.") if positive else _("%(label)s không được âm."))
                % {"label": _cap(label)}
            }
        )
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("%(label)s quá lớn.") % {"label": _cap(label)}})
    return amount


def _choice(value: str, choices: Any, field: str, label: str) -> str:
    if value not in choices.values:
        raise ValidationError(
            {field: _("%(label)s «%(v)s» không hợp lệ.") % {"label": _cap(label), "v": value}}
        )
    return value


def _date(
    value: Any, field: str, label: str, *, required: bool = True, not_future: bool = False
) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Chưa nhập %(label)s.") % {"label": label}})
        return None
    if not isinstance(value, dt.date):
        raise ValidationError({field: _("%(label)s không hợp lệ.") % {"label": _cap(label)}})
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            {field: _("%(label)s không hợp lệ (năm %(y)s).") % {"label": _cap(label), "y": value.year}}
        )
    if not_future and value > _today():
        raise ValidationError(
            {
                field: _("%(label)s không được sau hôm nay (%(d)s).")
                % {"label": _cap(label), "d": f"{_today():%d/%m/%Y}"}
            }
        )
    return value


def _own_body(unit: Unit, body: Body | None, field: str = "body", *, required: bool = True) -> Body | None:
    if body is None:
        if required:
            raise ValidationError({field: _("Chưa chọn cơ quan, thôn.")})
        return None
    if body.unit_id != unit.pk:
        raise ValidationError({field: _("Cơ quan, thôn không thuộc đơn vị này.")})
    return body


def _own_task(unit: Unit, task: Any, field: str = "task") -> Any:
    if task is None:
        return None
    if task.plan.unit_id != unit.pk:
        raise ValidationError({field: _("Nhiệm vụ không thuộc kế hoạch của đơn vị này.")})
    return task


def criterion_code(unit: Unit, year: int, code: str, field: str = "criterion_code") -> str:
    """A criterion code as typed; checked against the year's criteria set when the assessments area knows it."""
    from friendlygov.operations.selectors import criteria_info

    code = (code or "").strip()
    if not code:
        return ""
    if not CRITERION_RE.match(code):
        raise ValidationError(
            {
                field: _("Mã tiêu chí «%(c)s» không hợp lệ: chỉ gồm chữ, số và dấu chấm, ví dụ 2.3.")
                % {"c": code}
            }
        )
    known = criteria_info(unit=unit, year=year)
    if known and code not in known:
        raise ValidationError(
            {field: _("Bộ tiêu chí năm %(y)s của đơn vị không có mã «%(c)s».") % {"y": year, "c": code}}
        )
    return code


def _check_upload(upload: UploadedFile, field: str, *, allowed: set[str] | None = None) -> None:
    """Reject a bad file before anything is stored (so a refused form leaves no file behind)."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError({field: _("Tệp «%(f)s» rỗng.") % {"f": upload.name}})
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                field: _("Tệp «%(f)s» quá lớn (giới hạn %(mb)s MB).")
                % {"f": upload.name, "mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
            }
        )
    data = b"".join(upload.chunks())
    content_type = sniff(data[:16], data, upload.name or "")
    if content_type is None:
        raise ValidationError(
            {
                field: _("Tệp «%(f)s» không phải PDF, ảnh, Word hoặc Excel (kiểm tra theo nội dung tệp).")
                % {"f": upload.name}
            }
        )
    if allowed is not None and content_type not in allowed:
        raise ValidationError(
            {field: _("Tệp «%(f)s» phải là ảnh (JPG, PNG…) hoặc PDF.") % {"f": upload.name}}
        )


def _store(
    actor: Actor,
    unit: Unit,
    upload: UploadedFile,
    *,
    body: Body | None,
    effective_date: dt.date,
    title: str,
    field: str,
) -> EvidenceFile:
    try:
        return store_evidence(
            actor=actor, unit=unit, upload=upload, effective_date=effective_date, body=body, title=title
        )
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _create(actor: Actor, obj: _Row, note: str = "") -> _Row:
    row: Any = obj  # unit_id is not on Model
    row.full_clean()
    row.save()
    audit.record_create(actor=actor, unit_id=row.unit_id, obj=obj, note=note)
    return obj


def _save_update(actor: Actor, obj: _Row, before: audit.Snapshot, note: str = "") -> _Row:
    row: Any = obj  # unit_id and version are not on Model
    row.full_clean()
    row.version += 1
    row.save()
    audit.record_update(actor=actor, unit_id=row.unit_id, obj=obj, before=before, note=note)
    return obj


def _year_in_range(year: int, field: str = "year") -> int:
    year = _year(year, field)
    if year > _today().year + 1:
        raise ValidationError({field: _("Năm %(y)s còn quá xa.") % {"y": year}})
    return year


def _gather(checks: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run every field's check and report all the problems at once (field → messages)."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except ValidationError as exc:
            pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [(name, exc.messages)]
            for field, messages in pairs:
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return values
