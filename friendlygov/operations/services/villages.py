"""Writes of the village registers: review items, village reviews, household titles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.kit.tabular import Column, Row, TableError, column_title, read_table
from friendlygov.operations.models import (
    HouseholdTitle,
    VillageReview,
    VillageReviewItem,
    VillageReviewResult,
)
from friendlygov.org.access import Actor, Capability, can, require
from friendlygov.org.models import Body, Unit
from friendlygov.plans import services as plan_services
from friendlygov.rules.text import normalize_vi

from .common import (
    MIN_YEAR,
    _amount,
    _check_upload,
    _choice,
    _create,
    _date,
    _lock,
    _own_body,
    _save_update,
    _store,
    _text,
    _today,
    _year_in_range,
    criterion_code,
)


def _village(unit: Unit, village: Body | None, field: str = "village") -> Body:
    body = _own_body(unit, village, field)
    assert body is not None
    if not body.is_village:
        raise ValidationError({field: _("«%(b)s» không phải thôn, tổ dân phố.") % {"b": body.name}})
    return body


@transaction.atomic
def add_review_item(
    *, actor: Actor, unit: Unit, year: int, text: str, criterion_code: str = "", position: int | None = None
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
    actor: Actor,
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
    actor: Actor,
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
def import_household_titles(*, actor: Actor, unit: Unit, data: bytes, filename: str) -> ImportResult:
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
