"""Writes of the operations area. Each function checks access, validates (Vietnamese messages naming the
field), writes in one transaction, records the audit, and — for editable rows — compares and increments
``version``."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.evidence.filetypes import sniff
from friendlygov.evidence.models import EvidenceFile
from friendlygov.evidence.services import store_evidence
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.kit.tabular import Column, Row, TableError, column_title, read_table
from friendlygov.notifications.services import notify_once
from friendlygov.operations import permissions as perms
from friendlygov.operations.models import (
    ActivityFile,
    BudgetLine,
    BudgetSource,
    CommunicationActivity,
    CommunicationKind,
    Conference,
    CouncilMeeting,
    CouncilMember,
    CouncilVote,
    GoodPractice,
    HouseholdTitle,
    Nomination,
    ProgrammeReview,
    ReviewSection,
    RewardDecision,
    RewardForm,
    Shortfall,
    SignatureRequest,
    Spending,
    VillageReview,
    VillageReviewItem,
    VillageReviewResult,
    VoteChoice,
)
from friendlygov.operations.tally import tally
from friendlygov.org.access import Capability, can, require, users_with_roles
from friendlygov.org.models import Body, Role, Unit
from friendlygov.plans import selectors as plan_selectors
from friendlygov.plans import services as plan_services
from friendlygov.rules.text import format_vn_number, normalize_vi
from friendlygov.signatures import selectors as signature_selectors

MIN_YEAR, MAX_YEAR = 2000, 2100
CRITERION_RE = re.compile(r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ.\-_]{0,29}$")
IMAGE_OR_PDF = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}
MAX_AMOUNT = 10**15  # VND; anything larger is a typing mistake

# ---------------------------------------------------------------------------------------------- helpers


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


def _village(unit: Unit, village: Body | None, field: str = "village") -> Body:
    body = _own_body(unit, village, field)
    assert body is not None
    if not body.is_village:
        raise ValidationError({field: _("«%(b)s» không phải thôn, tổ dân phố.") % {"b": body.name}})
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
    actor: Any,
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


def _create(actor: Any, obj: Any, note: str = "") -> Any:
    obj.full_clean()
    obj.save()
    audit.record_create(actor=actor, unit_id=obj.unit_id, obj=obj, note=note)
    return obj


def _save_update(actor: Any, obj: Any, before: audit.Snapshot, note: str = "") -> Any:
    obj.full_clean()
    obj.version += 1
    obj.save()
    audit.record_update(actor=actor, unit_id=obj.unit_id, obj=obj, before=before, note=note)
    return obj


def _year_in_range(year: int, field: str = "year") -> int:
    year = _year(year, field)
    if year > _today().year + 1:
        raise ValidationError({field: _("Năm %(y)s còn quá xa.") % {"y": year}})
    return year


# ------------------------------------------------------------------------------------ communication


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


def _activity_fields(unit: Unit, fields: Mapping[str, Any]) -> dict[str, Any]:
    values = _gather(
        {
            "kind": lambda: _choice(
                str(fields.get("kind") or ""), CommunicationKind, "kind", _("hình thức tuyên truyền")
            ),
            "title": lambda: _text(fields.get("title"), "title", _("nội dung tuyên truyền"), max_length=300),
            "held_on": lambda: _date(fields.get("held_on"), "held_on", _("ngày thực hiện"), not_future=True),
            "place": lambda: _text(
                fields.get("place"), "place", _("địa điểm, kênh tuyên truyền"), max_length=300
            ),
            "body": lambda: _own_body(unit, fields.get("body")),
            "audience": lambda: _text(
                fields.get("audience"), "audience", _("đối tượng"), required=False, max_length=300
            ),
            "reach": lambda: _amount(fields.get("reach") or 0, "reach", _("số lượt người được tuyên truyền")),
            "cost": lambda: _amount(fields.get("cost") or 0, "cost", _("kinh phí")),
            "description": lambda: _text(
                fields.get("description"), "description", _("mô tả"), required=False
            ),
            "task": lambda: _own_task(unit, fields.get("task")),
        }
    )
    values["criterion_code"] = criterion_code(
        unit, values["held_on"].year, str(fields.get("criterion_code") or "")
    )
    return values


def _attach_activity_files(
    actor: Any, activity: CommunicationActivity, uploads: Sequence[UploadedFile]
) -> None:
    for upload in uploads:
        evidence = _store(
            actor,
            activity.unit,
            upload,
            body=activity.body,
            effective_date=activity.held_on,
            title=f"Tuyên truyền: {activity.title}"[:300],
            field="photos",
        )
        link = ActivityFile.objects.create(activity=activity, evidence=evidence, added_by=actor)
        audit.record(
            actor=actor,
            unit_id=activity.unit_id,
            action="create",
            obj=link,
            changes={"activity_id": [None, activity.pk], "evidence_id": [None, evidence.pk]},
        )


@transaction.atomic
def record_activity(
    *, actor: Any, unit: Unit, uploads: Sequence[UploadedFile] = (), **fields: Any
) -> CommunicationActivity:
    """Log a communication activity (kind, title, held_on, place, body, audience, reach, cost, description,
    task, criterion_code) with its photos or PDFs."""
    require(actor, Capability.READ, unit)
    body = fields.get("body")
    if body is not None and body.unit_id == unit.pk and not perms.may_record_for(actor, unit, body):
        raise PermissionDenied
    if body is None and not perms.may_record_any(actor, unit):
        raise PermissionDenied
    values = _activity_fields(unit, fields)
    for upload in uploads:
        _check_upload(upload, "photos", allowed=IMAGE_OR_PDF)
    activity = _create(actor, CommunicationActivity(unit=unit, created_by=actor, **values))
    _attach_activity_files(actor, activity, uploads)
    _activity_event(actor, activity)
    return activity


def _activity_event(actor: Any, activity: CommunicationActivity) -> None:
    """The activity counts for the plan's communication task of its year (plans area)."""
    plan_services.record_cycle_event(
        actor=actor,
        unit=activity.unit,
        year=activity.held_on.year,
        kind=plan_services.EventKind.COMMUNICATION_ACTIVITY,
        happened_on=activity.held_on,
        source=f"operations.activity:{activity.pk}",
        label=f"Tuyên truyền: {activity.title}",
        url=reverse("operations:activity_detail", kwargs={"slug": activity.unit.slug, "pk": activity.pk}),
    )


@transaction.atomic
def update_activity(
    *,
    actor: Any,
    activity: CommunicationActivity,
    expected_version: int | None,
    uploads: Sequence[UploadedFile] = (),
    **fields: Any,
) -> CommunicationActivity:
    unit = activity.unit
    perms.require_that(actor, unit, perms.may_record_for(actor, unit, activity.body))
    activity = _lock(activity)
    _check_version(activity, expected_version)
    merged = {
        name: getattr(activity, name)
        for name in (
            "kind",
            "title",
            "held_on",
            "place",
            "body",
            "audience",
            "reach",
            "cost",
            "description",
            "task",
            "criterion_code",
        )
    } | fields
    values = _activity_fields(unit, merged)
    if values["body"] != activity.body and not perms.may_record_for(actor, unit, values["body"]):
        raise ValidationError({"body": _("Bạn không ghi hoạt động cho cơ quan này được.")})
    for upload in uploads:
        _check_upload(upload, "photos", allowed=IMAGE_OR_PDF)
    before = audit.snapshot(activity)
    for name, value in values.items():
        setattr(activity, name, value)
    _save_update(actor, activity, before)
    _attach_activity_files(actor, activity, uploads)
    _activity_event(actor, activity)
    return activity


@transaction.atomic
def remove_activity_file(*, actor: Any, activity: CommunicationActivity, file_id: int) -> None:
    perms.require_that(actor, activity.unit, perms.may_record_for(actor, activity.unit, activity.body))
    link = ActivityFile.objects.filter(activity=activity, pk=file_id).first()
    if link is None:
        raise ValidationError({"photos": _("Không tìm thấy tệp của hoạt động này.")})
    audit.record_delete(
        actor=actor, unit_id=activity.unit_id, obj=link, note=f"gỡ tệp «{link.evidence}» khỏi hoạt động"
    )
    link.delete()


# ------------------------------------------------------------------------------------------ villages


@transaction.atomic
def add_review_item(
    *, actor: Any, unit: Unit, year: int, text: str, criterion_code: str = "", position: int | None = None
) -> VillageReviewItem:
    require(actor, Capability.COORDINATE, unit)
    year = _year_in_range(year)
    text = _text(text, "text", _("nội dung bình xét"), max_length=500)
    if VillageReviewItem.objects.filter(unit=unit, year=year, text__iexact=text).exists():
        raise ValidationError({"text": _("Năm %(y)s đã có nội dung «%(t)s».") % {"y": year, "t": text}})
    if position is None:
        position = VillageReviewItem.objects.filter(unit=unit, year=year).count() + 1
    item = VillageReviewItem(
        unit=unit,
        year=year,
        text=text,
        criterion_code=_criterion_for(unit, year, criterion_code),
        position=position,
        created_by=actor,
    )
    return _create(actor, item)


def _criterion_for(unit: Unit, year: int, code: str) -> str:
    return criterion_code(unit, year, code)


@transaction.atomic
def update_review_item(
    *,
    actor: Any,
    item: VillageReviewItem,
    expected_version: int | None,
    text: str,
    criterion_code: str = "",
    position: int = 0,
    is_active: bool = True,
) -> VillageReviewItem:
    require(actor, Capability.COORDINATE, item.unit)
    item = _lock(item)
    _check_version(item, expected_version)
    text = _text(text, "text", _("nội dung bình xét"), max_length=500)
    if (
        VillageReviewItem.objects.filter(unit=item.unit, year=item.year, text__iexact=text)
        .exclude(pk=item.pk)
        .exists()
    ):
        raise ValidationError({"text": _("Năm %(y)s đã có nội dung «%(t)s».") % {"y": item.year, "t": text}})
    before = audit.snapshot(item)
    item.text, item.position, item.is_active = text, int(position or 0), bool(is_active)
    item.criterion_code = _criterion_for(item.unit, item.year, criterion_code)
    return _save_update(actor, item, before)


@transaction.atomic
def record_village_review(
    *,
    actor: Any,
    unit: Unit,
    village: Body,
    year: int,
    results: Mapping[int, tuple[bool | None, str]],
    title_result: str,
    households_total: int | None = None,
    reviewed_on: dt.date | None = None,
    note: str = "",
    minutes: UploadedFile | None = None,
    expected_version: int | None = None,
) -> VillageReview:
    """The village head records each item's result (item id → (met, note)) and the overall title."""
    require(actor, Capability.READ, unit)
    village = _village(unit, village)
    if not can(actor, Capability.WORK, unit, body=village):
        raise PermissionDenied
    year = _year_in_range(year)
    title_result = _choice(title_result, VillageReview.Title, "title_result", _("kết quả danh hiệu"))
    reviewed_on = _date(reviewed_on, "reviewed_on", _("ngày bình xét"), required=False, not_future=True)
    if title_result != VillageReview.Title.PENDING and reviewed_on is None:
        raise ValidationError({"reviewed_on": _("Ghi ngày bình xét khi đã có kết quả danh hiệu.")})
    if households_total is not None:
        households_total = _amount(households_total, "households_total", _("tổng số hộ"))
    items = {i.pk: i for i in VillageReviewItem.objects.filter(unit=unit, year=year, is_active=True)}
    unknown = [k for k in results if k not in items]
    if unknown:
        raise ValidationError({"results": _("Có nội dung bình xét không thuộc năm này.")})
    if title_result == VillageReview.Title.ACHIEVED:
        failed = [items[k].text for k, (met, _n) in results.items() if met is False]
        if failed:
            raise ValidationError(
                {
                    "title_result": _(
                        "Thôn chưa đạt nội dung «%(t)s»: chưa thể ghi đạt danh hiệu “Thôn văn hóa”."
                    )
                    % {"t": failed[0]}
                }
            )
        missing = [i.text for k, i in items.items() if results.get(k, (None, ""))[0] is None]
        if missing:
            raise ValidationError(
                {
                    "title_result": _(
                        "Chưa ghi kết quả nội dung «%(t)s»: ghi đủ kết quả trước khi ghi đạt danh hiệu."
                    )
                    % {"t": missing[0]}
                }
            )
    if minutes is not None:
        _check_upload(minutes, "minutes")
    review = VillageReview.objects.select_for_update().filter(village=village, year=year).first()
    _check_version(review, expected_version)  # None: no review yet (version 0)
    created = review is None
    if review is None:
        review = VillageReview(unit=unit, village=village, year=year, created_by=actor)
        before: audit.Snapshot = {}
    else:
        before = audit.snapshot(review)
    review.title_result = title_result
    review.households_total = households_total
    review.reviewed_on = reviewed_on
    review.note = _text(note, "note", _("ghi chú"), required=False)
    review.updated_by = actor
    if minutes is not None:
        review.minutes = _store(
            actor,
            unit,
            minutes,
            body=village,
            effective_date=reviewed_on or _today(),
            title=f"Biên bản bình xét thôn văn hóa {village.name} năm {year}",
            field="minutes",
        )
    if created:
        _create(actor, review)
    else:
        _save_update(actor, review, before)
    for item_id, (met, item_note) in results.items():
        result, _new = VillageReviewResult.objects.get_or_create(review=review, item_id=item_id)
        old = (result.met, result.note)
        result.met, result.note = met, (item_note or "").strip()[:500]
        if old != (result.met, result.note):
            result.save()
            audit.record(
                actor=actor,
                unit_id=unit.pk,
                action="update",
                obj=result,
                changes={"met": [old[0], result.met], "note": [old[1], result.note]},
                note=f"{village.name} năm {year}: {items[item_id].text}"[:300],
            )
    if review.reviewed_on is not None:  # a review held counts for the plan's village task (plans area)
        plan_services.record_cycle_event(
            actor=actor,
            unit=unit,
            year=year,
            kind=plan_services.EventKind.VILLAGE_REVIEW,
            happened_on=review.reviewed_on,
            source=f"operations.village_review:{review.pk}",
            label=f"Bình xét thôn văn hóa {village.name} năm {year}",
            url=reverse(
                "operations:village_review",
                kwargs={"slug": unit.slug, "village_id": village.pk, "year": year},
            ),
            evidence=review.minutes,
        )
    else:
        plan_services.withdraw_cycle_event(
            actor=actor,
            unit=unit,
            kind=plan_services.EventKind.VILLAGE_REVIEW,
            source=f"operations.village_review:{review.pk}",
        )
    return review


HOUSEHOLD_COLUMNS = [
    Column(
        "head_name", "Chủ hộ", aliases=["ho ten chu ho", "ten chu ho", "chu ho gia dinh", "ho va ten chu ho"]
    ),
    Column("village", "Thôn", aliases=["thon, to dan pho", "to dan pho", "thon/to dan pho"]),
    Column("is_cultural", "Gia đình văn hóa", aliases=["dat gia dinh van hoa", "danh hieu", "gdvh"]),
    Column("year", "Năm", aliases=["nam binh xet"]),
    Column("address", "Địa chỉ", required=False, aliases=["so nha", "dia chi"]),
    Column("note", "Ghi chú", required=False),
]
YES = {"co", "x", "dat", "1", "yes", "true", "gia dinh van hoa", "v", "có"}
NO = {"khong", "0", "no", "false", "khong dat", "chua dat", "-"}


@dataclass
class ImportResult:
    created: int
    updated: int


def _row_error(row: Row, key: str, message: str) -> str:
    return _("Dòng %(n)s, cột «%(c)s»: %(m)s.") % {
        "n": row.number,
        "c": column_title(HOUSEHOLD_COLUMNS, key),
        "m": message,
    }


def household_key(head_name: str, address: str) -> str:
    return f"{normalize_vi(head_name)}|{normalize_vi(address)}"[:520]


@transaction.atomic
def import_household_titles(*, actor: Any, unit: Unit, data: bytes, filename: str) -> ImportResult:
    """Households' "Gia đình văn hóa" titles from Excel/CSV (Chủ hộ, Thôn, Gia đình văn hóa, Năm; Địa chỉ,
    Ghi chú optional). Every problem is reported with its row and column; nothing is saved unless every
    row is right. A village head may import only the rows of their own village."""
    require(actor, Capability.READ, unit)
    villages = [b for b in Body.objects.filter(unit=unit, is_active=True) if b.is_village]
    allowed = [v for v in villages if can(actor, Capability.WORK, unit, body=v)]
    if not allowed:
        raise PermissionDenied
    try:
        rows = read_table(data, filename, HOUSEHOLD_COLUMNS)
    except TableError as exc:
        raise ValidationError(exc.problems) from exc
    if not rows:
        raise ValidationError([_("Tệp «%(f)s» không có dòng dữ liệu nào.") % {"f": filename}])
    by_key: dict[str, Body] = {}
    for v in villages:
        for key in v.match_keys():
            by_key[key] = v
            if key.startswith("thon "):
                by_key[key[5:]] = v
    problems: list[str] = []
    parsed: list[tuple[Row, Body, int, str, str, bool, str]] = []
    seen: dict[tuple[int, int, str], int] = {}
    this_year = _today().year
    for row in rows:
        row_problems = []
        head = row.get("head_name").strip()
        if not head:
            row_problems.append(_row_error(row, "head_name", _("không được để trống")))
        elif len(head) > 200:
            row_problems.append(_row_error(row, "head_name", _("dài quá 200 ký tự")))
        village_text = row.get("village")
        village = by_key.get(normalize_vi(village_text)) if village_text else None
        if village is None:
            row_problems.append(
                _row_error(
                    row,
                    "village",
                    _("không có thôn «%(v)s» trong %(u)s") % {"v": village_text, "u": unit.full_name}
                    if village_text
                    else _("không được để trống"),
                )
            )
        elif village not in allowed:
            row_problems.append(
                _row_error(
                    row,
                    "village",
                    _("bạn chỉ nhập được danh sách của thôn mình, không nhập được «%(v)s»")
                    % {"v": village.name},
                )
            )
        flag = normalize_vi(row.get("is_cultural"))
        is_cultural = flag in YES
        if flag not in YES and flag not in NO:
            row_problems.append(
                _row_error(
                    row,
                    "is_cultural",
                    _("ghi «có» hoặc «không» (đang ghi «%(v)s»)") % {"v": row.get("is_cultural")},
                )
            )
        year_text = row.get("year").strip()
        year = int(year_text) if year_text.isdigit() else 0
        if not (MIN_YEAR <= year <= this_year + 1):
            row_problems.append(_row_error(row, "year", _("năm «%(y)s» không hợp lệ") % {"y": year_text}))
        address = row.get("address").strip()[:300]
        if not row_problems and village is not None:
            key = household_key(head, address)
            dup = seen.get((village.pk, year, key))
            if dup is not None:
                row_problems.append(
                    _row_error(row, "head_name", _("hộ «%(h)s» trùng với dòng %(n)s") % {"h": head, "n": dup})
                )
            seen[(village.pk, year, key)] = row.number
            parsed.append((row, village, year, head, address, is_cultural, row.get("note").strip()[:300]))
        problems.extend(row_problems)
    if problems:
        raise ValidationError(problems)
    created = updated = 0
    for _row, village, year, head, address, is_cultural, note in parsed:
        key = household_key(head, address)
        existing = HouseholdTitle.objects.filter(village=village, year=year, key=key).first()
        if existing is None:
            _create(
                actor,
                HouseholdTitle(
                    unit=unit,
                    village=village,
                    year=year,
                    head_name=head,
                    address=address,
                    key=key,
                    is_cultural=is_cultural,
                    note=note,
                    source=filename[:255],
                    created_by=actor,
                ),
                note=f"nhập từ {filename}",
            )
            created += 1
        elif (existing.is_cultural, existing.note, existing.head_name, existing.address) != (
            is_cultural,
            note,
            head,
            address,
        ):
            before = audit.snapshot(existing)
            existing.is_cultural, existing.note, existing.head_name, existing.address = (
                is_cultural,
                note,
                head,
                address,
            )
            existing.source = filename[:255]
            _save_update(actor, existing, before, note=f"nhập từ {filename}")
            updated += 1
    return ImportResult(created=created, updated=updated)


# -------------------------------------------------------------------------------------------- budget


def _line_fields(unit: Unit, fields: Mapping[str, Any]) -> dict[str, Any]:
    def source_note() -> str:
        note = _text(fields.get("source_note"), "source_note", _("nguồn"), required=False, max_length=200)
        if fields.get("source") == BudgetSource.OTHER and not note:
            raise ValidationError(
                {"source_note": _("Ghi rõ nguồn kinh phí hợp pháp khác (ví dụ: xã hội hóa, tài trợ).")}
            )
        return note

    def kind() -> str:
        value = str(fields.get("activity_kind") or "")
        return (
            _choice(value, CommunicationKind, "activity_kind", _("hình thức tuyên truyền")) if value else ""
        )

    return _gather(
        {
            "title": lambda: _text(fields.get("title"), "title", _("nội dung chi"), max_length=300),
            "activity_kind": kind,
            "task": lambda: _own_task(unit, fields.get("task")),
            "source": lambda: _choice(
                str(fields.get("source") or ""), BudgetSource, "source", _("nguồn kinh phí")
            ),
            "source_note": source_note,
            "estimated": lambda: _amount(fields.get("estimated"), "estimated", _("dự toán đề nghị")),
            "approved": lambda: _amount(
                fields.get("approved"), "approved", _("số được phê duyệt"), required=False
            ),
            "approval_ref": lambda: _text(
                fields.get("approval_ref"),
                "approval_ref",
                _("quyết định giao dự toán"),
                required=False,
                max_length=200,
            ),
            "note": lambda: _text(fields.get("note"), "note", _("ghi chú"), required=False, max_length=500),
        }
    )


@transaction.atomic
def add_budget_line(
    *, actor: Any, unit: Unit, year: int, position: int | None = None, **fields: Any
) -> BudgetLine:
    """A line of the yearly estimate (title, activity_kind, task, source, source_note, estimated, approved,
    approval_ref, note). The Economic Office or the coordinator."""
    perms.require_that(actor, unit, perms.may_manage_budget(actor, unit))
    year = _year_in_range(year)
    values = _line_fields(unit, fields)
    if position is None:
        position = BudgetLine.objects.filter(unit=unit, year=year).count() + 1
    line = _create(actor, BudgetLine(unit=unit, year=year, position=position, created_by=actor, **values))
    plan_services.record_cycle_event(
        actor=actor,
        unit=unit,
        year=year,
        kind=plan_services.EventKind.BUDGET_ESTIMATE,
        happened_on=_today(),
        source=f"operations.budget_line:{line.pk}",
        label=f"Dự toán kinh phí năm {year}: {line.title}",
        url=reverse("operations:budget", kwargs={"slug": unit.slug}),
    )
    return line


@transaction.atomic
def update_budget_line(
    *, actor: Any, line: BudgetLine, expected_version: int | None, **fields: Any
) -> BudgetLine:
    perms.require_that(actor, line.unit, perms.may_manage_budget(actor, line.unit))
    line = _lock(line)
    _check_version(line, expected_version)
    merged = {
        name: getattr(line, name)
        for name in (
            "title",
            "activity_kind",
            "task",
            "source",
            "source_note",
            "estimated",
            "approved",
            "approval_ref",
            "note",
        )
    } | fields
    values = _line_fields(line.unit, merged)
    spent = sum(s.amount for s in line.spendings.all())
    if spent and (values["approved"] is None or values["approved"] < spent):
        raise ValidationError(
            {
                "approved": _("Số được phê duyệt không được thấp hơn số đã chi (%(n)s đồng).")
                % {"n": format_vn_number(spent)}
            }
        )
    before = audit.snapshot(line)
    for name, value in values.items():
        setattr(line, name, value)
    if "position" in fields:
        line.position = int(fields["position"] or 0)
    return _save_update(actor, line, before)


def _spending_fields(
    line: BudgetLine, fields: Mapping[str, Any], *, exclude_pk: int | None = None
) -> dict[str, Any]:
    spent_on = _date(fields.get("spent_on"), "spent_on", _("ngày chi"), not_future=True)
    assert spent_on is not None
    if spent_on.year != line.year:
        raise ValidationError(
            {"spent_on": _("Ngày chi phải trong năm %(y)s của dự toán.") % {"y": line.year}}
        )
    amount = _amount(fields.get("amount"), "amount", _("số tiền"), positive=True)
    assert amount is not None
    if line.approved is None:
        raise ValidationError(
            {
                "line": _("Dòng dự toán «%(t)s» chưa có số được phê duyệt: chưa ghi chi được.")
                % {"t": line.title}
            }
        )
    others_qs = line.spendings.all() if exclude_pk is None else line.spendings.exclude(pk=exclude_pk)
    others = sum(s.amount for s in others_qs)
    if others + amount > line.approved:
        left = line.approved - others
        raise ValidationError(
            {
                "amount": _("Vượt số được phê duyệt: dòng này chỉ còn %(n)s đồng.")
                % {"n": format_vn_number(left)}
            }
        )
    activity = fields.get("activity")
    if activity is not None and activity.unit_id != line.unit_id:
        raise ValidationError({"activity": _("Hoạt động không thuộc đơn vị này.")})
    return {
        "spent_on": spent_on,
        "amount": amount,
        "description": _text(fields.get("description"), "description", _("nội dung chi"), max_length=300),
        "voucher": _text(fields.get("voucher"), "voucher", _("số chứng từ"), required=False, max_length=100),
        "activity": activity,
    }


@transaction.atomic
def record_spending(
    *, actor: Any, line: BudgetLine, upload: UploadedFile | None = None, **fields: Any
) -> Spending:
    """Money spent against an approved line (spent_on, amount, description, voucher, activity)."""
    unit = line.unit
    perms.require_that(actor, unit, perms.may_manage_budget(actor, unit))
    line = _lock(line)
    values = _spending_fields(line, fields)
    if upload is not None:
        _check_upload(upload, "upload")
    spending = Spending(unit=unit, line=line, created_by=actor, **values)
    if upload is not None:
        spending.evidence = _store(
            actor,
            unit,
            upload,
            body=perms.duty_body(unit, perms.ECONOMIC_OFFICE),
            effective_date=values["spent_on"],
            title=f"Chứng từ chi: {values['description']}"[:300],
            field="upload",
        )
    return _create(actor, spending)


@transaction.atomic
def update_spending(
    *,
    actor: Any,
    spending: Spending,
    expected_version: int | None,
    upload: UploadedFile | None = None,
    **fields: Any,
) -> Spending:
    unit = spending.unit
    perms.require_that(actor, unit, perms.may_manage_budget(actor, unit))
    spending = _lock(spending)
    _check_version(spending, expected_version)
    line = _lock(spending.line)
    merged = {
        name: getattr(spending, name) for name in ("spent_on", "amount", "description", "voucher", "activity")
    } | fields
    values = _spending_fields(line, merged, exclude_pk=spending.pk)
    if upload is not None:
        _check_upload(upload, "upload")
    before = audit.snapshot(spending)
    for name, value in values.items():
        setattr(spending, name, value)
    if upload is not None:
        spending.evidence = _store(
            actor,
            unit,
            upload,
            body=perms.duty_body(unit, perms.ECONOMIC_OFFICE),
            effective_date=values["spent_on"],
            title=f"Chứng từ chi: {values['description']}"[:300],
            field="upload",
        )
    return _save_update(actor, spending, before)


# ------------------------------------------------------------------------------------------- rewards


def _nomination_fields(unit: Unit, fields: Mapping[str, Any]) -> dict[str, Any]:
    kind = _choice(
        str(fields.get("nominee_kind") or ""), Nomination.NomineeKind, "nominee_kind", _("đối tượng")
    )
    body = _own_body(unit, fields.get("body"), required=False)
    name = _text(
        fields.get("nominee_name"),
        "nominee_name",
        _("tên cá nhân, tập thể"),
        required=body is None,
        max_length=200,
    )
    if not name and body is not None:
        name = body.name
    return {
        "nominee_kind": kind,
        "nominee_name": name,
        "position_title": _text(
            fields.get("position_title"), "position_title", _("chức vụ"), required=False, max_length=200
        ),
        "body": body,
        "achievements": _text(fields.get("achievements"), "achievements", _("thành tích")),
        "proposed_form": _choice(
            str(fields.get("proposed_form") or ""), RewardForm, "proposed_form", _("hình thức đề nghị")
        ),
    }


def _links(unit: Unit, activities: Iterable[Any], tasks: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    activities, tasks = list(activities), list(tasks)
    if any(a.unit_id != unit.pk for a in activities):
        raise ValidationError({"activities": _("Có hoạt động không thuộc đơn vị này.")})
    for task in tasks:
        _own_task(unit, task, "tasks")
    return activities, tasks


@transaction.atomic
def nominate(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    proposed_by_body: Body,
    activities: Iterable[CommunicationActivity] = (),
    tasks: Iterable[Any] = (),
    uploads: Sequence[UploadedFile] = (),
    **fields: Any,
) -> Nomination:
    """A proposal to reward (nominee_kind, nominee_name, position_title, body, achievements, proposed_form),
    made by a body the actor works for, linked to activities, plan tasks and evidence files."""
    require(actor, Capability.READ, unit)
    proposer = _own_body(unit, proposed_by_body, "proposed_by_body")
    if not can(actor, Capability.WORK, unit, body=proposer):
        raise PermissionDenied
    year = _year_in_range(year)
    values = _nomination_fields(unit, fields)
    acts, task_list = _links(unit, activities, tasks)
    for upload in uploads:
        _check_upload(upload, "uploads")
    nomination = _create(
        actor, Nomination(unit=unit, year=year, proposed_by_body=proposer, created_by=actor, **values)
    )
    nomination.activities.set(acts)
    nomination.tasks.set(task_list)
    for upload in uploads:
        nomination.evidence.add(
            _store(
                actor,
                unit,
                upload,
                body=proposer,
                effective_date=_today(),
                title=f"Thành tích: {nomination.nominee_name}"[:300],
                field="uploads",
            )
        )
    _audit_links(actor, nomination, {})
    return nomination


def may_edit_nomination(user: Any, nomination: Nomination) -> bool:
    return nomination.status == Nomination.Status.PROPOSED and can(
        user, Capability.WORK, nomination.unit, body=nomination.proposed_by_body
    )


@transaction.atomic
def update_nomination(
    *,
    actor: Any,
    nomination: Nomination,
    expected_version: int | None,
    activities: Iterable[CommunicationActivity] | None = None,
    tasks: Iterable[Any] | None = None,
    uploads: Sequence[UploadedFile] = (),
    **fields: Any,
) -> Nomination:
    unit = nomination.unit
    perms.require_that(actor, unit, can(actor, Capability.WORK, unit, body=nomination.proposed_by_body))
    nomination = _lock(nomination)
    _check_version(nomination, expected_version)
    if nomination.status != Nomination.Status.PROPOSED:
        raise ValidationError(_("Đề nghị đã được Hội đồng xét: không sửa được nữa."))
    merged = {
        n: getattr(nomination, n)
        for n in ("nominee_kind", "nominee_name", "position_title", "body", "achievements", "proposed_form")
    } | fields
    values = _nomination_fields(unit, merged)
    acts, task_list = _links(unit, activities or [], tasks or [])
    for upload in uploads:
        _check_upload(upload, "uploads")
    before = audit.snapshot(nomination)
    links_before = _links_of(nomination)
    for name, value in values.items():
        setattr(nomination, name, value)
    _save_update(actor, nomination, before)
    if activities is not None:
        nomination.activities.set(acts)
    if tasks is not None:
        nomination.tasks.set(task_list)
    for upload in uploads:
        nomination.evidence.add(
            _store(
                actor,
                unit,
                upload,
                body=nomination.proposed_by_body,
                effective_date=_today(),
                title=f"Thành tích: {nomination.nominee_name}"[:300],
                field="uploads",
            )
        )
    _audit_links(actor, nomination, links_before)
    return nomination


def _audit_links(actor: Any, nomination: Nomination, before: dict[str, list[int]]) -> None:
    after = _links_of(nomination)
    changes = {k: [before.get(k, []), v] for k, v in after.items() if before.get(k, []) != v}
    if changes:
        audit.record(
            actor=actor,
            unit_id=nomination.unit_id,
            action="update",
            obj=nomination,
            changes=changes,
            note="hoạt động, nhiệm vụ, minh chứng của thành tích",
        )


def _links_of(nomination: Nomination) -> dict[str, list[int]]:
    return {
        "activity_ids": sorted(nomination.activities.values_list("pk", flat=True)),
        "task_ids": sorted(nomination.tasks.values_list("pk", flat=True)),
        "evidence_ids": sorted(nomination.evidence.values_list("pk", flat=True)),
    }


def _fresh(nominations: Iterable[Nomination]) -> list[Nomination]:
    """The nominations as they are now in the database (locked), whatever the caller holds."""
    ids = [n.pk for n in nominations]
    return list(Nomination.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def parse_members(text: str) -> list[tuple[str, str]]:
    """Council members, one a line: "Họ tên — chức vụ" (or "Họ tên, chức vụ")."""
    members = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•*").strip()
        if not line:
            continue
        parts = re.split(r"\s+[—–-]\s+|,\s*", line, maxsplit=1)
        name = parts[0].strip()
        title = parts[1].strip() if len(parts) > 1 else ""
        members.append((name[:200], title[:200]))
    return members


@transaction.atomic
def hold_council_meeting(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    held_on: dt.date,
    members: Sequence[tuple[str, str]],
    nominations: Iterable[Nomination],
    place: str = "",
    chair: str = "",
    note: str = "",
    minutes: UploadedFile | None = None,
) -> CouncilMeeting:
    """Record a meeting of the emulation and reward council: its members and the nominations it reviews."""
    require(actor, Capability.COORDINATE, unit)
    year = _year_in_range(year)
    held_on_date = _date(held_on, "held_on", _("ngày họp"))
    assert held_on_date is not None
    members = [(n.strip(), t.strip()) for n, t in members if n.strip()]
    if len(members) < 3:
        raise ValidationError(
            {"members": _("Hội đồng cần ít nhất 3 thành viên (mỗi dòng một người: «Họ tên — chức vụ»).")}
        )
    names = [normalize_vi(n) for n, _t in members]
    if len(set(names)) != len(names):
        raise ValidationError({"members": _("Danh sách thành viên có người bị lặp.")})
    chosen = _fresh(nominations)
    if not chosen:
        raise ValidationError({"nominations": _("Chọn ít nhất một đề nghị khen thưởng để Hội đồng xét.")})
    for n in chosen:
        if n.unit_id != unit.pk or n.year != year:
            raise ValidationError(
                {"nominations": _("Đề nghị «%(n)s» không thuộc năm %(y)s của đơn vị.") % {"n": n, "y": year}}
            )
        if n.status == Nomination.Status.AWARDED:
            raise ValidationError(
                {"nominations": _("Đề nghị «%(n)s» đã có quyết định khen thưởng.") % {"n": n}}
            )
    if minutes is not None:
        _check_upload(minutes, "minutes")
    meeting = CouncilMeeting(
        unit=unit,
        year=year,
        held_on=held_on_date,
        place=_text(place, "place", _("địa điểm"), required=False, max_length=300),
        chair=_text(chair, "chair", _("chủ trì"), required=False, max_length=200),
        note=(note or "").strip(),
        created_by=actor,
    )
    if minutes is not None:
        meeting.minutes = _store(
            actor,
            unit,
            minutes,
            body=None,
            effective_date=held_on_date,
            title=f"Biên bản họp Hội đồng Thi đua - Khen thưởng ngày {held_on_date:%d/%m/%Y}",
            field="minutes",
        )
    member_list = "; ".join(f"{n} — {t}" if t else n for n, t in members)
    _create(
        actor,
        meeting,
        note=f"Thành viên: {member_list}. Xét: {', '.join(n.nominee_name for n in chosen)}"[:2000],
    )
    for position, (name, title) in enumerate(members, start=1):
        CouncilMember.objects.create(meeting=meeting, name=name, position_title=title, position=position)
    meeting.nominations.set(chosen)
    return meeting


@transaction.atomic
def record_votes(
    *,
    actor: Any,
    meeting: CouncilMeeting,
    nomination: Nomination,
    votes: Mapping[int, str],
    expected_version: int | None,
) -> Nomination:
    """The coordinator records each member's vote (member id → for/against/abstain/absent) on a nomination;
    the nomination passes when more than half of the council's members vote for it."""
    unit = meeting.unit
    require(actor, Capability.COORDINATE, unit)
    if not meeting.nominations.filter(pk=nomination.pk).exists():
        raise ValidationError(_("Đề nghị này không thuộc phiên họp."))
    nomination = _lock(nomination)
    _check_version(nomination, expected_version)
    if nomination.status == Nomination.Status.AWARDED:
        raise ValidationError(_("Đề nghị đã có quyết định khen thưởng: không sửa biểu quyết được."))
    members = {m.pk: m for m in meeting.members.all()}
    missing = [m.name for pk, m in members.items() if pk not in votes]
    if missing:
        raise ValidationError({"votes": _("Chưa ghi biểu quyết của %(m)s.") % {"m": missing[0]}})
    for member_id, choice in votes.items():
        if member_id not in members:
            raise ValidationError({"votes": _("Có người biểu quyết không thuộc Hội đồng.")})
        if choice not in VoteChoice.values:
            raise ValidationError(
                {"votes": _("Biểu quyết của %(m)s không hợp lệ.") % {"m": members[member_id].name}}
            )
    for member_id, choice in votes.items():
        CouncilVote.objects.update_or_create(
            meeting=meeting, nomination=nomination, member_id=member_id, defaults={"choice": choice}
        )
    result = tally(list(votes.values()), members=len(members))
    with translation.override("vi"):  # the audit note stays Vietnamese whatever the reader's language
        ballot = "; ".join(f"{members[m].name}: {VoteChoice(c).label}" for m, c in votes.items())
    old = nomination.status
    nomination.status = Nomination.Status.PASSED if result.passed else Nomination.Status.NOT_PASSED
    nomination.version += 1
    nomination.save(update_fields=["status", "version", "updated_at"])
    audit.record_transition(
        actor=actor,
        unit_id=unit.pk,
        obj=nomination,
        field="status",
        old=old,
        new=nomination.status,
        note=f"Hội đồng họp ngày {meeting.held_on:%d/%m/%Y}: {result.summary}. Biểu quyết: {ballot}",
    )
    return nomination


@transaction.atomic
def record_reward_decision(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    number: str,
    signed_on: dt.date,
    reward_form: str,
    nominations: Iterable[Nomination],
    signer: str = "",
    upload: UploadedFile | None = None,
) -> RewardDecision:
    """The reward decision (number, date, file, form) for nominations the council passed."""
    perms.require_that(actor, unit, perms.may_decide_rewards(actor, unit))
    year = _year_in_range(year)
    number = _text(number, "number", _("số quyết định"), max_length=60)
    if RewardDecision.objects.filter(unit=unit, year=year, number__iexact=number).exists():
        raise ValidationError(
            {"number": _("Năm %(y)s đã có quyết định số «%(n)s».") % {"y": year, "n": number}}
        )
    signed = _date(signed_on, "signed_on", _("ngày ký"), not_future=True)
    assert signed is not None
    reward_form = _choice(reward_form, RewardForm, "reward_form", _("hình thức khen thưởng"))
    chosen = _fresh(nominations)
    if not chosen:
        raise ValidationError({"nominations": _("Chọn ít nhất một cá nhân, tập thể được khen thưởng.")})
    for n in chosen:
        if n.unit_id != unit.pk or n.year != year:
            raise ValidationError(
                {"nominations": _("Đề nghị «%(n)s» không thuộc năm %(y)s của đơn vị.") % {"n": n, "y": year}}
            )
        if n.status != Nomination.Status.PASSED:
            raise ValidationError(
                {
                    "nominations": _("«%(n)s» chưa được Hội đồng Thi đua - Khen thưởng đề nghị khen thưởng.")
                    % {"n": n}
                }
            )
    if upload is not None:
        _check_upload(upload, "upload")
    decision = RewardDecision(
        unit=unit,
        year=year,
        number=number,
        signed_on=signed,
        reward_form=reward_form,
        signer=_text(signer, "signer", _("người ký"), required=False, max_length=200),
        created_by=actor,
    )
    if upload is not None:
        decision.file = _store(
            actor,
            unit,
            upload,
            body=None,
            effective_date=signed,
            title=f"Quyết định khen thưởng số {number}",
            field="upload",
        )
    _create(actor, decision)
    plan_services.record_cycle_event(
        actor=actor,
        unit=unit,
        year=year,
        kind=plan_services.EventKind.REWARDS_DECIDED,
        happened_on=signed,
        source=f"operations.reward_decision:{decision.pk}",
        label=f"Quyết định khen thưởng số {decision.number} ngày {signed:%d/%m/%Y}",
        url=reverse("operations:rewards", kwargs={"slug": unit.slug}),
        evidence=decision.file,
    )
    for n in chosen:
        old = n.status
        n.status, n.decision = Nomination.Status.AWARDED, decision
        n.version += 1
        n.save(update_fields=["status", "decision", "version", "updated_at"])
        audit.record_transition(
            actor=actor,
            unit_id=unit.pk,
            obj=n,
            field="status",
            old=old,
            new=n.status,
            note=f"Quyết định {decision}",
        )
    return decision


def _practice_fields(unit: Unit, fields: Mapping[str, Any]) -> dict[str, Any]:
    nomination, activity = fields.get("nomination"), fields.get("activity")
    if nomination is not None and nomination.unit_id != unit.pk:
        raise ValidationError({"nomination": _("Đề nghị không thuộc đơn vị này.")})
    if activity is not None and activity.unit_id != unit.pk:
        raise ValidationError({"activity": _("Hoạt động không thuộc đơn vị này.")})
    return {
        "title": _text(fields.get("title"), "title", _("tiêu đề"), max_length=300),
        "summary": _text(fields.get("summary"), "summary", _("nội dung công khai")),
        "body": _own_body(unit, fields.get("body"), required=False),
        "nomination": nomination,
        "activity": activity,
    }


@transaction.atomic
def add_good_practice(*, actor: Any, unit: Unit, year: int, **fields: Any) -> GoodPractice:
    """An example of good practice (title, summary — the public text —, body, nomination, activity); not
    public until published."""
    perms.require_that(actor, unit, perms.may_publicise(actor, unit))
    year = _year_in_range(year)
    return _create(
        actor, GoodPractice(unit=unit, year=year, created_by=actor, **_practice_fields(unit, fields))
    )


@transaction.atomic
def update_good_practice(
    *, actor: Any, practice: GoodPractice, expected_version: int | None, **fields: Any
) -> GoodPractice:
    perms.require_that(actor, practice.unit, perms.may_publicise(actor, practice.unit))
    practice = _lock(practice)
    _check_version(practice, expected_version)
    merged = {
        n: getattr(practice, n) for n in ("title", "summary", "body", "nomination", "activity")
    } | fields
    values = _practice_fields(practice.unit, merged)
    before = audit.snapshot(practice)
    for name, value in values.items():
        setattr(practice, name, value)
    return _save_update(actor, practice, before)


@transaction.atomic
def set_good_practice_published(
    *, actor: Any, practice: GoodPractice, published: bool, expected_version: int | None
) -> GoodPractice:
    perms.require_that(actor, practice.unit, perms.may_publicise(actor, practice.unit))
    practice = _lock(practice)
    _check_version(practice, expected_version)
    if practice.is_published == published:
        return practice
    old = practice.is_published
    practice.is_published = published
    practice.published_at = timezone.now() if published else None
    practice.published_by = actor if published else None
    practice.version += 1
    practice.save()
    audit.record_transition(
        actor=actor,
        unit_id=practice.unit_id,
        obj=practice,
        field="is_published",
        old=old,
        new=published,
        note="công khai trên trang của đơn vị" if published else "thôi công khai",
    )
    return practice


def _shortfall_fields(unit: Unit, fields: Mapping[str, Any]) -> dict[str, Any]:
    body = _own_body(unit, fields.get("body"), required=False)
    subject = _text(
        fields.get("subject"), "subject", _("tên đơn vị, cá nhân"), required=False, max_length=200
    )
    if body is None and not subject:
        raise ValidationError(
            {"body": _("Chọn cơ quan, thôn hoặc ghi tên đơn vị, cá nhân thực hiện chưa nghiêm túc.")}
        )
    noted_on = _date(fields.get("noted_on"), "noted_on", _("ngày ghi nhận"), not_future=True)
    return {
        "body": body,
        "subject": subject,
        "reason": _text(fields.get("reason"), "reason", _("lý do")),
        "noted_on": noted_on,
    }


@transaction.atomic
def record_shortfall(*, actor: Any, unit: Unit, year: int, **fields: Any) -> Shortfall:
    """A unit or body that falls short (body or subject, reason, noted_on) — internal only."""
    perms.require_that(actor, unit, perms.may_publicise(actor, unit))
    year = _year_in_range(year)
    return _create(
        actor, Shortfall(unit=unit, year=year, created_by=actor, **_shortfall_fields(unit, fields))
    )


@transaction.atomic
def update_shortfall(
    *,
    actor: Any,
    shortfall: Shortfall,
    expected_version: int | None,
    status: str | None = None,
    resolution_note: str | None = None,
    **fields: Any,
) -> Shortfall:
    perms.require_that(actor, shortfall.unit, perms.may_publicise(actor, shortfall.unit))
    shortfall = _lock(shortfall)
    _check_version(shortfall, expected_version)
    merged = {n: getattr(shortfall, n) for n in ("body", "subject", "reason", "noted_on")} | fields
    values = _shortfall_fields(shortfall.unit, merged)
    before = audit.snapshot(shortfall)
    for name, value in values.items():
        setattr(shortfall, name, value)
    if status is not None:
        shortfall.status = _choice(status, Shortfall.Status, "status", _("trạng thái"))
    if resolution_note is not None:
        shortfall.resolution_note = resolution_note.strip()
    if shortfall.status == Shortfall.Status.RESOLVED and not shortfall.resolution_note:
        raise ValidationError({"resolution_note": _("Ghi kết quả khắc phục khi chuyển sang «Đã khắc phục».")})
    return _save_update(actor, shortfall, before)


# ------------------------------------------------------------------------------------------- reviews

STANDARD_SECTIONS: list[tuple[str, str]] = [
    ("results", "Kết quả đạt được"),
    ("limitations", "Hạn chế, nguyên nhân"),
    ("lessons", "Bài học kinh nghiệm"),
    ("tasks_ahead", "Nhiệm vụ, giải pháp thời gian tới"),
    ("proposals", "Đề xuất, kiến nghị"),
]
DEFAULT_REVIEW_YEAR = {ProgrammeReview.Kind.MIDTERM: 2027, ProgrammeReview.Kind.FINAL: 2030}


def _plan_span(unit: Unit, year: int) -> tuple[int | None, int | None]:
    plan = plan_selectors.plan_for_year(unit, year)
    return (plan.start_year, plan.end_year) if plan is not None else (None, None)


@transaction.atomic
def open_review(
    *, actor: Any, unit: Unit, kind: str, year: int | None = None, title: str = ""
) -> ProgrammeReview:
    """Open the mid-term (sơ kết, 2027) or final (tổng kết, 2030) review with the standard sections.
    A review cannot be opened before its year."""
    require(actor, Capability.COORDINATE, unit)
    kind = _choice(kind, ProgrammeReview.Kind, "kind", _("loại"))
    start, end = _plan_span(unit, _today().year)
    if year in (None, ""):
        year = (
            end
            if kind == ProgrammeReview.Kind.FINAL and end
            else DEFAULT_REVIEW_YEAR[ProgrammeReview.Kind(kind)]
        )
    year = _year(year)
    if year > _today().year:
        raise ValidationError(
            {
                "year": (
                    _("Chưa đến năm %(y)s: chỉ mở được đợt sơ kết từ năm %(y)s.")
                    if kind == ProgrammeReview.Kind.MIDTERM
                    else _("Chưa đến năm %(y)s: chỉ mở được đợt tổng kết từ năm %(y)s.")
                )
                % {"y": year}
            }
        )
    if ProgrammeReview.objects.filter(unit=unit, kind=kind, year=year).exists():
        raise ValidationError(
            {
                "year": (
                    _("Đã mở đợt sơ kết năm %(y)s.")
                    if kind == ProgrammeReview.Kind.MIDTERM
                    else _("Đã mở đợt tổng kết năm %(y)s.")
                )
                % {"y": year}
            }
        )
    from_year = start if start is not None and start <= year else year
    if kind == ProgrammeReview.Kind.FINAL and end is not None and start is not None and not start <= year:
        from_year = year
    word = "Sơ kết" if kind == ProgrammeReview.Kind.MIDTERM else "Tổng kết"
    default_title = (
        f"{word} {year - from_year + 1} năm thực hiện mô hình “Chính quyền thân thiện” ({from_year}–{year})"
        if year > from_year
        else f"{word} năm {year} thực hiện mô hình “Chính quyền thân thiện”"
    )
    review = _create(
        actor,
        ProgrammeReview(
            unit=unit,
            kind=kind,
            year=year,
            from_year=from_year,
            title=_text(title, "title", _("tiêu đề"), required=False, max_length=300) or default_title,
            created_by=actor,
        ),
    )
    for position, (key, section_title) in enumerate(STANDARD_SECTIONS, start=1):
        ReviewSection.objects.create(
            review=review, key=key, title=section_title, position=position, updated_by=actor
        )
    return review


def _editable_review(actor: Any, review: ProgrammeReview) -> None:
    require(actor, Capability.COORDINATE, review.unit)
    if review.status == ProgrammeReview.Status.COMPLETED:
        raise ValidationError(_("Đợt sơ kết, tổng kết đã hoàn thành: mở lại để sửa."))


@transaction.atomic
def update_review_section(
    *, actor: Any, section: ReviewSection, text: str, expected_version: int | None, title: str | None = None
) -> ReviewSection:
    _editable_review(actor, section.review)
    section = _lock(section)
    _check_version(section, expected_version)
    before = audit.snapshot(section, ["title", "text"])
    if title is not None:
        section.title = _text(title, "title", _("tiêu đề mục"), max_length=300)
    section.text = (text or "").strip()
    section.version += 1
    section.updated_by = actor
    section.save()
    audit.record_update(
        actor=actor,
        unit_id=section.review.unit_id,
        obj=section,
        before=before,
        note=f"{section.review.title}: {section.title}"[:300],
    )
    return section


@transaction.atomic
def add_review_section(*, actor: Any, review: ProgrammeReview, title: str) -> ReviewSection:
    _editable_review(actor, review)
    title = _text(title, "title", _("tiêu đề mục"), max_length=300)
    base = re.sub(r"[^a-z0-9]+", "_", normalize_vi(title)).strip("_")[:30] or "muc"
    key, n = base, 1
    while review.sections.filter(key=key).exists():
        n += 1
        key = f"{base}_{n}"
    section = ReviewSection.objects.create(
        review=review, key=key, title=title, position=review.sections.count() + 1, updated_by=actor
    )
    audit.record(
        actor=actor, unit_id=review.unit_id, action="create", obj=section, changes={"title": [None, title]}
    )
    return section


def json_safe(data: Any) -> Any:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@transaction.atomic
def complete_review(*, actor: Any, review: ProgrammeReview, expected_version: int | None) -> ProgrammeReview:
    """Mark the review completed and freeze its figures (``snapshot``)."""
    from friendlygov.operations.selectors import review_data

    _editable_review(actor, review)
    review = _lock(review)
    _check_version(review, expected_version)
    empty = [s.title for s in review.sections.all() if not s.text.strip()]
    if empty:
        raise ValidationError(_("Mục «%(t)s» chưa có nội dung.") % {"t": empty[0]})
    old = review.status
    with translation.override("vi"):  # the frozen figures feed the review document: kept in Vietnamese
        review.snapshot = json_safe({k: v for k, v in review_data(review=review).items() if k != "snapshot"})
    review.status = ProgrammeReview.Status.COMPLETED
    review.completed_at = timezone.now()
    review.version += 1
    review.save()
    audit.record_transition(
        actor=actor, unit_id=review.unit_id, obj=review, field="status", old=old, new=review.status
    )
    plan_services.record_cycle_event(
        actor=actor,
        unit=review.unit,
        year=review.year,
        kind=plan_services.EventKind.REVIEW_ISSUED,
        happened_on=review.completed_at,
        source=f"operations.review:{review.pk}",
        label=review.title,
        url=reverse("operations:review_detail", kwargs={"slug": review.unit.slug, "pk": review.pk}),
    )
    return review


@transaction.atomic
def reopen_review(*, actor: Any, review: ProgrammeReview, expected_version: int | None) -> ProgrammeReview:
    require(actor, Capability.COORDINATE, review.unit)
    review = _lock(review)
    _check_version(review, expected_version)
    if review.status != ProgrammeReview.Status.COMPLETED:
        return review
    old = review.status
    review.status, review.completed_at, review.snapshot = ProgrammeReview.Status.DRAFT, None, {}
    review.version += 1
    review.save()
    audit.record_transition(
        actor=actor, unit_id=review.unit_id, obj=review, field="status", old=old, new=review.status
    )
    plan_services.withdraw_cycle_event(
        actor=actor,
        unit=review.unit,
        kind=plan_services.EventKind.REVIEW_ISSUED,
        source=f"operations.review:{review.pk}",
    )
    return review


# ------------------------------------------------------------------------------ conferences, signing


def _conference_fields(unit: Unit, fields: Mapping[str, Any]) -> dict[str, Any]:
    review = fields.get("review")
    if review is not None and review.unit_id != unit.pk:
        raise ValidationError({"review": _("Đợt sơ kết, tổng kết không thuộc đơn vị này.")})
    held_on = _date(fields.get("held_on"), "held_on", _("ngày tổ chức"))
    start_time = fields.get("start_time")
    if start_time not in (None, "") and not isinstance(start_time, dt.time):
        raise ValidationError({"start_time": _("Giờ bắt đầu không hợp lệ.")})
    return {
        "title": _text(fields.get("title"), "title", _("tên hội nghị"), max_length=300),
        "review": review,
        "held_on": held_on,
        "start_time": start_time or None,
        "place": _text(fields.get("place"), "place", _("địa điểm"), max_length=300),
        "chair": _text(fields.get("chair"), "chair", _("người chủ trì"), required=False, max_length=200),
        "attendees": _text(fields.get("attendees"), "attendees", _("thành phần tham dự")),
        "note": _text(fields.get("note"), "note", _("ghi chú"), required=False),
    }


@transaction.atomic
def schedule_conference(*, actor: Any, unit: Unit, **fields: Any) -> Conference:
    """Schedule a conference (title, review, held_on, start_time, place, chair, attendees, note)."""
    perms.require_that(actor, unit, perms.may_organise(actor, unit))
    return _create(actor, Conference(unit=unit, created_by=actor, **_conference_fields(unit, fields)))


@transaction.atomic
def update_conference(
    *,
    actor: Any,
    conference: Conference,
    expected_version: int | None,
    status: str | None = None,
    minutes: UploadedFile | None = None,
    **fields: Any,
) -> Conference:
    unit = conference.unit
    perms.require_that(actor, unit, perms.may_organise(actor, unit))
    conference = _lock(conference)
    _check_version(conference, expected_version)
    merged = {
        n: getattr(conference, n)
        for n in ("title", "review", "held_on", "start_time", "place", "chair", "attendees", "note")
    } | fields
    values = _conference_fields(unit, merged)
    new_status = _choice(status or conference.status, Conference.Status, "status", _("trạng thái"))
    if new_status == Conference.Status.HELD and values["held_on"] > _today():
        raise ValidationError({"status": _("Hội nghị chưa đến ngày tổ chức: chưa ghi «Đã tổ chức» được.")})
    if minutes is not None:
        _check_upload(minutes, "minutes")
    before = audit.snapshot(conference)
    for name, value in values.items():
        setattr(conference, name, value)
    conference.status = new_status
    if minutes is not None:
        conference.minutes = _store(
            actor,
            unit,
            minutes,
            body=perms.duty_body(unit, perms.COUNCIL_OFFICE),
            effective_date=min(values["held_on"], _today()),
            title=f"Biên bản {values['title']}"[:300],
            field="minutes",
        )
    return _save_update(actor, conference, before)


def _signature_fields(unit: Unit, fields: Mapping[str, Any]) -> dict[str, Any]:
    link = _text(fields.get("link"), "link", _("đường dẫn"), required=False, max_length=500)
    if link and not re.match(r"^https?://", link):
        raise ValidationError({"link": _("Đường dẫn phải bắt đầu bằng http:// hoặc https://.")})
    return {
        "title": _text(fields.get("title"), "title", _("trích yếu văn bản"), max_length=500),
        "document_kind": _choice(
            str(fields.get("document_kind") or ""),
            SignatureRequest.DocumentKind,
            "document_kind",
            _("loại văn bản"),
        ),
        "link": link,
        "note": _text(fields.get("note"), "note", _("ghi chú"), required=False),
        "body": _own_body(unit, fields.get("body"), required=False),
    }


def _notify_leaders(request: SignatureRequest) -> None:
    url = reverse("operations:signature_detail", kwargs={"slug": request.unit.slug, "pk": request.pk})
    with translation.override("vi"):  # the notification is kept in Vietnamese whatever the reader's language
        kind = str(request.get_document_kind_display())
    for leader in users_with_roles(request.unit, [Role.UNIT_LEADER]):
        notify_once(
            user=leader,
            dedupe_key=f"operations:signature:{request.pk}:v{request.version}",
            unit=request.unit,
            title=f"Văn bản chờ ký: {request.title}"[:300],
            body=f"{kind} trình ký.",
            url=url,
        )


@transaction.atomic
def request_signature(
    *, actor: Any, unit: Unit, upload: UploadedFile | None = None, **fields: Any
) -> SignatureRequest:
    """A document waiting for a leader's signature (title, document_kind, body, link, note; a file or a link)."""
    perms.require_that(actor, unit, perms.may_organise(actor, unit))
    values = _signature_fields(unit, fields)
    if upload is None and not values["link"]:
        raise ValidationError({"upload": _("Đính kèm tệp văn bản hoặc ghi đường dẫn đến văn bản.")})
    if upload is not None:
        _check_upload(upload, "upload")
    if values["body"] is None:
        values["body"] = perms.duty_body(unit, perms.COUNCIL_OFFICE)
    request = SignatureRequest(unit=unit, requested_by=actor, created_by=actor, **values)
    if upload is not None:
        request.file = _store(
            actor,
            unit,
            upload,
            body=values["body"],
            effective_date=_today(),
            title=f"Trình ký: {values['title']}"[:300],
            field="upload",
        )
    _create(actor, request)
    _notify_leaders(request)
    return request


@transaction.atomic
def update_signature_request(
    *,
    actor: Any,
    request: SignatureRequest,
    expected_version: int | None,
    upload: UploadedFile | None = None,
    **fields: Any,
) -> SignatureRequest:
    """Correct a waiting or returned request; a returned one goes back to the leader."""
    unit = request.unit
    perms.require_that(actor, unit, perms.may_organise(actor, unit))
    request = _lock(request)
    _check_version(request, expected_version)
    if request.status == SignatureRequest.Status.SIGNED:
        raise ValidationError(_("Văn bản đã được ký: không sửa được nữa."))
    merged = {n: getattr(request, n) for n in ("title", "document_kind", "link", "note", "body")} | fields
    values = _signature_fields(unit, merged)
    if upload is None and not values["link"] and request.file_id is None:
        raise ValidationError({"upload": _("Đính kèm tệp văn bản hoặc ghi đường dẫn đến văn bản.")})
    if upload is not None:
        _check_upload(upload, "upload")
    before = audit.snapshot(request)
    for name, value in values.items():
        setattr(request, name, value)
    if upload is not None:
        request.file = _store(
            actor,
            unit,
            upload,
            body=request.body,
            effective_date=_today(),
            title=f"Trình ký: {values['title']}"[:300],
            field="upload",
        )
    resubmitted = request.status == SignatureRequest.Status.RETURNED
    if resubmitted:
        request.status, request.return_reason, request.decided_by, request.decided_at = (
            SignatureRequest.Status.WAITING,
            "",
            None,
            None,
        )
    _save_update(actor, request, before, note="trình ký lại" if resubmitted else "")
    if resubmitted:
        _notify_leaders(request)
    return request


@transaction.atomic
def decide_signature(
    *,
    actor: Any,
    request: SignatureRequest,
    decision: str,
    expected_version: int | None,
    signed_on: dt.date | None = None,
    reason: str = "",
) -> SignatureRequest:
    """The leader marks a waiting document signed (with the date) or returns it (with the reason)."""
    unit = request.unit
    perms.require_that(actor, unit, perms.may_sign(actor, unit))
    request = _lock(request)
    _check_version(request, expected_version)
    if request.status != SignatureRequest.Status.WAITING:
        raise ValidationError(_("Văn bản không ở trạng thái chờ ký."))
    old = request.status
    if decision == SignatureRequest.Status.SIGNED:
        if signature_selectors.requires_digital_signature(
            unit
        ) and not signature_selectors.request_has_good_signature(request):
            raise ValidationError(
                {
                    "decision": _(
                        "Đơn vị yêu cầu chữ ký số: hãy ký số văn bản (hoặc tải lên bản đã ký số) và được kiểm tra "
                        "hợp lệ trước khi ghi «Đã ký»."
                    )
                }
            )
        signed = _date(signed_on or _today(), "signed_on", _("ngày ký"), not_future=True)
        request.status, request.signed_on, request.return_reason = SignatureRequest.Status.SIGNED, signed, ""
    elif decision == SignatureRequest.Status.RETURNED:
        request.status = SignatureRequest.Status.RETURNED
        request.return_reason = _text(reason, "reason", _("lý do trả lại"))
    else:
        raise ValidationError({"decision": _("Chọn «Đã ký» hoặc «Trả lại».")})
    request.decided_by, request.decided_at = actor, timezone.now()
    request.version += 1
    request.save()
    audit.record_transition(
        actor=actor,
        unit_id=unit.pk,
        obj=request,
        field="status",
        old=old,
        new=request.status,
        note=request.return_reason,
    )
    if request.requested_by is not None:
        url = reverse("operations:signature_detail", kwargs={"slug": unit.slug, "pk": request.pk})
        verb = "đã được ký" if request.status == SignatureRequest.Status.SIGNED else "bị trả lại"
        notify_once(
            user=request.requested_by,
            dedupe_key=f"operations:signature:{request.pk}:{request.status}:v{request.version}",
            unit=unit,
            title=f"Văn bản {verb}: {request.title}"[:300],
            body=request.return_reason,
            url=url,
        )
    return request
