"""Writes for dossiers: importing the procedure-handling system's export (all rows checked first, every
problem named by row and column, nothing saved when there is one; the same receipt numbers update), and
the unit's points settings."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.dossiers.models import Channel, Dossier, DossierImport, DossierSettings
from friendlygov.dossiers.permissions import Standing, dossier_permissions
from friendlygov.kit.tabular import Column, Row, TableError, column_title, read_table
from friendlygov.org.access import Actor
from friendlygov.org.models import Unit
from friendlygov.plans import services as plan_services
from friendlygov.rules.text import normalize_vi
from friendlygov.tallies import services as tallies

COLUMNS: list[Column] = [
    Column("receipt_no", "Số hồ sơ", aliases=("Mã hồ sơ", "Số biên nhận", "Mã biên nhận", "receipt_no")),
    Column("procedure", "Thủ tục", aliases=("Tên thủ tục", "Thủ tục hành chính", "Tên thủ tục hành chính")),
    Column("received", "Ngày tiếp nhận", aliases=("Tiếp nhận", "Thời gian tiếp nhận", "Ngày nhận")),
    Column("appointment", "Ngày hẹn trả", aliases=("Hẹn trả", "Ngày hẹn trả kết quả", "Thời gian hẹn trả")),
    Column(
        "finished",
        "Ngày có kết quả",
        aliases=("Ngày hoàn thành", "Ngày trả kết quả", "Hoàn thành", "Thời gian có kết quả"),
    ),
    Column(
        "supplement_requests",
        "Số lần yêu cầu bổ sung",
        required=False,
        aliases=("Số lần bổ sung", "Yêu cầu bổ sung"),
    ),
    Column(
        "waiting_days",
        "Số ngày chờ người dân",
        required=False,
        aliases=("Số ngày chờ bổ sung", "Thời gian chờ", "Số ngày tạm dừng", "Ngày chờ bổ sung"),
    ),
    Column("channel", "Kênh nộp", aliases=("Hình thức nộp", "Kênh tiếp nhận", "Hình thức tiếp nhận")),
    Column("digitised", "Số hóa", required=False, aliases=("Đã số hóa", "Số hóa hồ sơ", "Số hoá")),
    Column(
        "electronic_result",
        "Kết quả điện tử",
        required=False,
        aliases=("Trả kết quả điện tử", "Có kết quả điện tử", "Kết quả bản điện tử"),
    ),
]

CHANNEL_WORDS: dict[str, str] = {
    "truc tuyen": Channel.ONLINE,
    "online": Channel.ONLINE,
    "dich vu cong truc tuyen": Channel.ONLINE,
    "dvc truc tuyen": Channel.ONLINE,
    "dvctt": Channel.ONLINE,
    "qua mang": Channel.ONLINE,
    "cong dvc": Channel.ONLINE,
    "nop truc tuyen": Channel.ONLINE,
    "truc tuyen toan trinh": Channel.ONLINE,
    "truc tuyen mot phan": Channel.ONLINE,
    "truc tiep": Channel.DIRECT,
    "direct": Channel.DIRECT,
    "tai quay": Channel.DIRECT,
    "mot cua": Channel.DIRECT,
    "bo phan mot cua": Channel.DIRECT,
    "nop truc tiep": Channel.DIRECT,
    "buu chinh": Channel.POST,
    "buu chinh cong ich": Channel.POST,
    "bcci": Channel.POST,
    "post": Channel.POST,
    "qua buu dien": Channel.POST,
    "qua buu chinh": Channel.POST,
}
YES_WORDS = {"co", "x", "1", "true", "yes", "c", "da so hoa", "da", "dien tu", "ok", "v"}
NO_WORDS = {"", "khong", "0", "false", "no", "k", "chua", "-", "chua so hoa"}

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T,]+(\d{1,2})[:hg](\d{2})(?::(\d{2}))?)?$")
_TIME_FIRST = re.compile(r"^(\d{1,2})[:hg](\d{2})(?::(\d{2}))?[ ,]+(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$")

#: A date without a time: an appointment means "by the end of that day".
END_OF_DAY = dt.time(23, 59, 59)


class CellError(Exception):
    pass


def parse_when(text: str) -> tuple[dt.datetime, bool]:
    """A date or date-and-time as people and systems write them; (naive local datetime, has a time)."""
    value = " ".join(text.split())
    parts: tuple[int, ...]
    if m := _DMY.match(value):
        day, month, year, hour, minute, second = m.groups()
        parts = (int(year), int(month), int(day))
        clock = (hour, minute, second)
    elif m := _TIME_FIRST.match(value):
        hour, minute, second, day, month, year = m.groups()
        parts = (int(year), int(month), int(day))
        clock = (hour, minute, second)
    elif m := _ISO.match(value):
        year, month, day, hour, minute, second = m.groups()
        parts = (int(year), int(month), int(day))
        clock = (hour, minute, second)
    else:
        raise CellError(
            _("«%(t)s» không phải ngày hợp lệ (viết dd/mm/yyyy hoặc dd/mm/yyyy hh:mm)") % {"t": text}
        )
    try:
        day_value = dt.date(*parts)
        has_time = clock[0] is not None
        time_value = dt.time(int(clock[0]), int(clock[1]), int(clock[2] or 0)) if has_time else dt.time.min
    except (ValueError, TypeError) as exc:
        raise CellError(_("«%(t)s» không phải ngày hợp lệ") % {"t": text}) from exc
    if not 2000 <= day_value.year <= 2100:
        raise CellError(_("năm %(y)s không hợp lệ") % {"y": day_value.year})
    return dt.datetime.combine(day_value, time_value), has_time


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value, timezone.get_default_timezone())


def parse_bool(text: str) -> bool:
    word = normalize_vi(text)
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise CellError(_("«%(t)s» không hợp lệ (ghi «Có» hoặc «Không»)") % {"t": text})


def parse_channel(text: str) -> str:
    word = normalize_vi(text)
    if word in CHANNEL_WORDS:
        return CHANNEL_WORDS[word]
    for value, label in Channel.choices:
        if word == normalize_vi(str(label)):
            return value
    raise CellError(_("«%(t)s» không hợp lệ (ghi «Trực tiếp», «Trực tuyến» hoặc «Bưu chính»)") % {"t": text})


def parse_count(text: str) -> int:
    value = text.strip()
    if not value:
        return 0
    if not value.isdigit() or int(value) > 1000:
        raise CellError(_("«%(t)s» phải là số nguyên không âm") % {"t": text})
    return int(value)


def parse_days(text: str) -> Decimal:
    value = text.strip().replace(" ", "")
    if not value:
        return Decimal(0)
    if "," in value and "." not in value:
        value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise CellError(_("«%(t)s» phải là số ngày (ví dụ 2 hoặc 1,5)") % {"t": text}) from exc
    if not number.is_finite() or number < 0 or number > 100000:
        raise CellError(_("«%(t)s» phải là số ngày không âm") % {"t": text})
    quantised = number.quantize(Decimal("0.01"))
    if quantised != number:
        raise CellError(_("«%(t)s» có quá 2 chữ số thập phân") % {"t": text})
    return quantised


def deadline_of(appointment: dt.datetime | None, waiting_days: Decimal) -> dt.datetime | None:
    """Appointment plus the citizen's waiting time — exactly as `rules.service_index.dossier_on_time`."""
    if appointment is None:
        return None
    return appointment + dt.timedelta(microseconds=int(Decimal(waiting_days) * 86_400_000_000))


@dataclass
class Parsed:
    row: int
    fields: dict[str, Any]


def _problem(row: Row, key: str, message: str) -> str:
    return _("Dòng %(n)s, cột «%(c)s»: %(m)s.") % {
        "n": row.number,
        "c": column_title(COLUMNS, key),
        "m": message,
    }


def parse_rows(rows: Iterable[Row]) -> tuple[list[Parsed], list[str]]:
    """Every row checked; problems name the row and the column."""
    parsed: list[Parsed] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for row in rows:
        row_problems: list[str] = []
        fields: dict[str, Any] = {}

        def cell(
            key: str, parse: Any, required: bool = False, _row: Row = row, _problems: list[str] = row_problems
        ) -> Any:
            text = _row.get(key).strip()
            if required and not text:
                _problems.append(_problem(_row, key, _("không được để trống")))
                return None
            try:
                return parse(text)
            except CellError as exc:
                _problems.append(_problem(_row, key, str(exc)))
                return None

        receipt = row.get("receipt_no").strip()
        if not receipt:
            row_problems.append(_problem(row, "receipt_no", _("không được để trống")))
        elif len(receipt) > 64:
            row_problems.append(_problem(row, "receipt_no", _("dài quá 64 ký tự")))
        elif receipt in seen:
            row_problems.append(
                _problem(
                    row,
                    "receipt_no",
                    _("số hồ sơ «%(r)s» trùng với dòng %(n)s") % {"r": receipt, "n": seen[receipt]},
                )
            )
        else:
            seen[receipt] = row.number
        procedure = row.get("procedure").strip()
        if not procedure:
            row_problems.append(_problem(row, "procedure", _("không được để trống")))
        received = cell("received", parse_when, required=True)
        appointment = cell("appointment", lambda t: parse_when(t) if t else None)
        finished = cell("finished", lambda t: parse_when(t) if t else None)
        fields["supplement_requests"] = cell("supplement_requests", parse_count)
        fields["waiting_days"] = cell("waiting_days", parse_days)
        fields["channel"] = cell("channel", parse_channel, required=True)
        fields["digitised"] = cell("digitised", parse_bool)
        fields["electronic_result"] = cell("electronic_result", parse_bool)
        if received is not None:
            if appointment is not None and appointment[0].date() < received[0].date():
                row_problems.append(_problem(row, "appointment", _("ngày hẹn trả trước ngày tiếp nhận")))
            if finished is not None and finished[0].date() < received[0].date():
                row_problems.append(_problem(row, "finished", _("ngày có kết quả trước ngày tiếp nhận")))
        if row_problems:
            problems.extend(row_problems)
            continue
        fields["receipt_no"] = receipt
        fields["procedure"] = procedure[:400]
        fields["received"] = _aware(received[0])
        if appointment is None:
            fields["appointment"] = None
        else:
            when, has_time = appointment
            fields["appointment"] = _aware(when if has_time else dt.datetime.combine(when.date(), END_OF_DAY))
        fields["finished"] = _aware(finished[0]) if finished is not None else None
        fields["deadline"] = deadline_of(fields["appointment"], fields["waiting_days"])
        parsed.append(Parsed(row=row.number, fields=fields))
    return parsed, problems


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int
    unchanged: int
    batch_id: int


COMPARED = (
    "procedure",
    "received",
    "appointment",
    "finished",
    "supplement_requests",
    "waiting_days",
    "channel",
    "digitised",
    "electronic_result",
    "deadline",
)
_CHUNK = 500


def _existing(unit: Unit, receipts: Sequence[str]) -> dict[str, Dossier]:
    found: dict[str, Dossier] = {}
    for start in range(0, len(receipts), _CHUNK):
        chunk = receipts[start : start + _CHUNK]
        for dossier in Dossier.objects.filter(unit=unit, receipt_no__in=chunk).only(
            "id", "receipt_no", *COMPARED
        ):
            found[dossier.receipt_no] = dossier
    return found


@transaction.atomic
def import_dossiers(*, actor: Actor, unit: Unit, data: bytes, filename: str) -> ImportResult:
    """Load the export of the procedure-handling system for `unit`. Every row is checked first; on any
    problem nothing is saved and every problem is reported ("Dòng 7, cột «Ngày tiếp nhận»: …").
    Receipt numbers already imported are updated, so importing the same file twice changes nothing."""
    dossier_permissions(actor, unit).require(Standing.IMPORT)
    try:
        rows = read_table(data, filename, COLUMNS)
    except TableError as exc:
        raise ValidationError(exc.problems) from exc
    parsed, problems = parse_rows(rows)
    if problems:
        raise ValidationError(problems)
    if not parsed:
        raise ValidationError([_("Tệp «%(f)s» không có dòng hồ sơ nào.") % {"f": filename}])
    batch = DossierImport.objects.create(
        unit=unit,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(parsed),
        imported_by=actor,
    )
    existing = _existing(unit, [p.fields["receipt_no"] for p in parsed])
    new: list[Dossier] = []
    changed: list[Dossier] = []
    was: list[tuple[Any, ...]] = []  # the kept-figure keys of the changed dossiers before the change
    unchanged = 0
    for item in parsed:
        current = existing.get(item.fields["receipt_no"])
        if current is None:
            new.append(Dossier(unit=unit, source=batch, **item.fields))
            continue
        if all(getattr(current, key) == item.fields[key] for key in COMPARED):
            unchanged += 1
            continue
        current.unit = unit
        was.append(tallies.dossier_key(current))
        for key in COMPARED:
            setattr(current, key, item.fields[key])
        current.source = batch
        current.updated_at = timezone.now()
        changed.append(current)
    try:
        with transaction.atomic():
            Dossier.objects.bulk_create(new, batch_size=1000)
            Dossier.objects.bulk_update(changed, [*COMPARED, "source", "updated_at"], batch_size=500)
            tallies.dossiers_changed(removed=was, added=[*new, *changed])
    except IntegrityError as exc:
        raise ValidationError(
            [_("Một lần nhập khác của đơn vị đang chạy cùng lúc; vui lòng nhập lại sau ít phút.")]
        ) from exc
    batch.created, batch.updated, batch.unchanged = len(new), len(changed), unchanged
    batch.save(update_fields=["created", "updated", "unchanged"])
    for year in sorted({timezone.localtime(p.fields["received"]).year for p in parsed}):
        # the service centre's figures of the year are in: the plan's service-centre task (plans area)
        plan_services.record_cycle_event(
            actor=actor,
            unit=unit,
            year=year,
            kind=plan_services.EventKind.SERVICE_FIGURES_IMPORTED,
            happened_on=timezone.localdate(),
            source=f"dossiers.import:{batch.pk}:{year}",
            label=f"Nhập số liệu hồ sơ năm {year} từ tệp «{filename[:200]}»",
            url=reverse("dossiers:unit_figures", kwargs={"slug": unit.slug}),
        )
    audit.record_create(
        actor=actor,
        unit_id=unit.pk,
        obj=batch,
        note=f"nhập {len(parsed)} hồ sơ: {len(new)} mới, {len(changed)} cập nhật, {unchanged} không đổi",
    )
    return ImportResult(
        rows=len(parsed), created=len(new), updated=len(changed), unchanged=unchanged, batch_id=batch.pk
    )


@transaction.atomic
def update_settings(
    *,
    actor: Actor,
    unit: Unit,
    online_max_points: Decimal,
    digitisation_max_points: Decimal,
    expected_version: int | None = None,
) -> DossierSettings:
    dossier_permissions(actor, unit).require(Standing.CONFIGURE)
    current, created = DossierSettings.objects.select_for_update().get_or_create(unit=unit)
    if not created and expected_version is not None and int(expected_version) != current.version:
        raise ValidationError(
            _("Cài đặt đã được người khác cập nhật trong lúc bạn đang sửa. Hãy tải lại trang.")
        )
    errors = {}
    for key, value in (
        ("online_max_points", online_max_points),
        ("digitisation_max_points", digitisation_max_points),
    ):
        if value is None or Decimal(value) < 0 or Decimal(value) > 100:
            errors[key] = _("Điểm tối đa phải từ 0 đến 100.")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(current, ["online_max_points", "digitisation_max_points"])
    current.online_max_points = Decimal(online_max_points)
    current.digitisation_max_points = Decimal(digitisation_max_points)
    if not created:
        current.version += 1
    current.full_clean()
    current.save()
    audit.record_update(actor=actor, unit_id=unit.pk, obj=current, before=before)
    return current
