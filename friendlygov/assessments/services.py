"""Writes of the assessment area. Each function checks access, validates (Vietnamese messages naming
the field or criterion), writes in one transaction and records the audit (who, when, old → new)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import (
    AppraisalItem,
    Assignment,
    CityFigure,
    ConsolidatedScore,
    CriteriaSetVersion,
    Cycle,
    JointProposal,
    JointReview,
    Recognition,
    Registration,
    ScoreEntry,
    ScoreEvidence,
)
from friendlygov.assessments.sources import check_source_keys, measured_value, read_source
from friendlygov.assessments.workbook import WorkbookError, read_criteria_workbook
from friendlygov.audit import services as audit
from friendlygov.evidence.filetypes import ALLOWED, sniff
from friendlygov.evidence.models import EvidenceFile
from friendlygov.evidence.services import safe_filename, store_evidence
from friendlygov.kit.concurrency import check_version
from friendlygov.kit.tabular import Column, TableError, read_table
from friendlygov.notifications.services import notify_once
from friendlygov.org.access import Capability, bodies_granted, can, require, users_with_roles
from friendlygov.org.models import Body, Role, Unit
from friendlygov.plans import services as plan_services
from friendlygov.rules.scoring import (
    Condition,
    CriteriaSet,
    CriteriaSetError,
    Criterion,
    ScoreValueError,
    criteria_set_to_dict,
    format_vi_number,
    load_bundled_criteria_set,
    load_criteria_set_yaml,
    parse_criteria_set,
    result_to_json,
)
from friendlygov.rules.text import normalize_vi

# ------------------------------------------------------------------------------------------ helpers


def default_deadlines(year: int) -> tuple[dt.date, dt.date, dt.date]:
    """Registration before 15/02, self-assessment before 12/11, appraisal by 31/12 (the city may change them)."""
    return dt.date(year, 2, 15), dt.date(year, 11, 12), dt.date(year, 12, 31)


def _check_version(
    obj: Any, expected_version: int | None, what: str, field: str = "version", *, shown: str | None = None
) -> None:
    """Refuse a save made from an older version (``obj`` None: no record yet, version 0). ``shown``: the
    stored value, put in the message so that the person sees what the other one entered."""
    message = f"{what} đã được người khác cập nhật; hãy tải lại trang để xem thay đổi rồi nhập lại."
    if obj is not None and shown is not None:
        who = (
            getattr(obj, "entered_by", None)
            or getattr(obj, "settled_by", None)
            or getattr(obj, "appraised_by", None)
        )
        name = (who.get_full_name() or who.get_username()) if who is not None else "người khác"
        message = (
            f"{what} đã được người khác cập nhật: {name} vừa lưu «{shown or 'chưa có giá trị'}» trong lúc bạn "
            "đang nhập. Hãy xem lại; nếu vẫn muốn thay bằng giá trị của mình, lưu thêm một lần nữa."
        )
    check_version(obj, expected_version, message=message, field=field)


def _ensure_editable(cycle: Cycle) -> None:
    if not cycle.is_editable:
        when = timezone.localtime(cycle.submitted_at).strftime("%d/%m/%Y") if cycle.submitted_at else ""
        raise ValidationError(
            f"Bản tự đánh giá năm {cycle.year} đã nộp{(' ngày ' + when) if when else ''} và đang bị khóa "
            f"({cycle.get_status_display().lower()}); không thể thay đổi."
        )


def _node(cs: CriteriaSet, code: str) -> Criterion | Condition:
    node = crit.node_for(cs, code)
    if node is None:
        raise ValidationError(
            {"criterion_code": f"Bộ tiêu chí {cs.code} không có tiêu chí hay điều kiện mã «{code}»."}
        )
    return node


def _scorable(cs: CriteriaSet, code: str, *, allow_source: bool = False) -> Criterion | Condition:
    node = _node(cs, code)
    if isinstance(node, Criterion) and node.children:
        raise ValidationError(
            {
                "value": f"Tiêu chí {code} là tiêu chí cha; điểm của nó được tính từ các tiêu chí con, không nhập trực tiếp."
            }
        )
    if isinstance(node, Criterion) and node.source and not allow_source:
        raise ValidationError(
            {
                "value": f"Tiêu chí {code} lấy giá trị từ số liệu đo được ({node.source}); không nhập tay: "
                "xác nhận số liệu đo được, hoặc ghi giá trị khác kèm lý do."
            }
        )
    return node


def _value_text(
    node: Criterion | Condition, value: str, ticked: Sequence[int] | None, *, field: str = "value"
) -> tuple[str, list[int]]:
    """Check a value in the contract's syntax (or ticked checklist items); returns (text, ticked)."""
    ticks: list[int] = []
    if isinstance(node, Criterion) and node.kind == "checklist" and ticked is not None:
        count = len(node.items or [])
        for index in ticked:
            if not isinstance(index, int) or index < 0 or index >= count:
                raise ValidationError(
                    {field: f"Tiêu chí {node.code}: mục số {index} không có trong danh mục ({count} mục)."}
                )
        ticks = sorted(set(ticked))
        value = str(len(ticks))
    text = (value or "").strip()
    try:
        crit.read_value(node, text)
    except ScoreValueError as error:
        raise ValidationError({field: f"Tiêu chí {node.code}: {error.message}."}) from None
    return text, ticks


def _assigned_body(cycle: Cycle, cs: CriteriaSet, code: str) -> Body | None:
    """The body that scores a criterion: its own assignment, else the nearest assigned ancestor's."""
    assignments = {a.criterion_code: a for a in Assignment.objects.filter(cycle=cycle).select_related("body")}
    for candidate in crit.ancestors(cs, code) or [code]:
        if candidate in assignments:
            return assignments[candidate].body
    return None


def _link(cycle: Cycle, code: str = "") -> str:
    url = reverse("assessments:cycle_detail", kwargs={"slug": cycle.unit.slug, "year": cycle.year})
    if code:
        url = reverse(
            "assessments:criterion_detail", kwargs={"slug": cycle.unit.slug, "year": cycle.year, "code": code}
        )
    return url


def _notify(
    users: Iterable[Any], *, key: str, title: str, body: str = "", url: str = "", unit: Unit | None = None
) -> None:
    for user in users:
        notify_once(user=user, dedupe_key=f"{key}:{user.pk}", title=title, body=body, url=url, unit=unit)


def _city_reviewers(unit: Unit) -> Any:
    city = unit.parent if unit.parent_id else unit
    return users_with_roles(city, [Role.CITY_REVIEWER]) if city is not None else []


# ------------------------------------------------------------------------------- criteria library


def _require_library(actor: Any, city: Unit) -> None:
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
    actor: Any,
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
    actor: Any,
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
def import_criteria_set(*, actor: Any, city: Unit, data: bytes, filename: str) -> CriteriaSetVersion:
    _require_library(actor, city)
    cs, origin = read_criteria_file(data, filename)
    return _create_version(actor=actor, city=city, cs=cs, origin=origin)


@transaction.atomic
def import_criteria_set_yaml(*, actor: Any, city: Unit, text: str) -> CriteriaSetVersion:
    _require_library(actor, city)
    try:
        cs = load_criteria_set_yaml(text)
    except CriteriaSetError as error:
        raise ValidationError({"yaml": error.problems}) from None
    return _create_version(actor=actor, city=city, cs=cs, origin=CriteriaSetVersion.Origin.API, field="yaml")


@transaction.atomic
def load_template(*, actor: Any, city: Unit, name: str) -> CriteriaSetVersion:
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
    actor: Any,
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


def _lock_set(row: CriteriaSetVersion, actor: Any) -> None:
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


# ---------------------------------------------------------------------------------------- cycles


def _check_deadlines(registration: dt.date, submission: dt.date, appraisal: dt.date) -> None:
    if not registration <= submission:
        raise ValidationError({"submission_deadline": "Hạn nộp tự đánh giá phải sau hạn đăng ký."})
    if not submission <= appraisal:
        raise ValidationError({"appraisal_deadline": "Hạn thẩm định phải sau hạn nộp tự đánh giá."})


@transaction.atomic
def open_cycle(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    criteria_set: CriteriaSetVersion,
    registration_deadline: dt.date | None = None,
    submission_deadline: dt.date | None = None,
    appraisal_deadline: dt.date | None = None,
) -> Cycle:
    """Open a unit's yearly cycle on a set of its city's library; the previous year's assignments (not
    its scores) are copied for the criteria that still exist."""
    require(actor, Capability.APPRAISE, unit)
    if unit.is_city:
        raise ValidationError({"unit": "Kỳ đánh giá mở cho xã, phường, đặc khu, không cho thành phố."})
    if criteria_set.unit_id != unit.parent_id:
        raise ValidationError(
            {"criteria_set": "Bộ tiêu chí phải thuộc thư viện của thành phố quản lý đơn vị."}
        )
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "Năm đánh giá không hợp lệ."})
    if Cycle.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": f"{unit.full_name} đã có kỳ đánh giá năm {year}."})
    defaults = default_deadlines(year)
    reg = registration_deadline or defaults[0]
    sub = submission_deadline or defaults[1]
    appr = appraisal_deadline or defaults[2]
    _check_deadlines(reg, sub, appr)
    previous = Cycle.objects.filter(unit=unit, year__lt=year).order_by("-year").first()
    cycle = Cycle.objects.create(
        unit=unit,
        year=year,
        criteria_set=criteria_set,
        registration_deadline=reg,
        submission_deadline=sub,
        appraisal_deadline=appr,
        opened_by=actor,
        copied_from=previous,
    )
    _lock_set(criteria_set, actor)
    audit.record_create(actor=actor, unit_id=unit.pk, obj=cycle)
    if previous is not None:
        cs = crit.parsed(criteria_set)
        codes = {row.code for row in crit.tree_rows(cs)}
        for old in previous.assignments.select_related("body"):
            if old.criterion_code in codes and old.body.is_active:
                copy = Assignment.objects.create(
                    unit=unit,
                    cycle=cycle,
                    criterion_code=old.criterion_code,
                    body=old.body,
                    assigned_by=actor,
                )
                audit.record_create(
                    actor=actor, unit_id=unit.pk, obj=copy, note=f"chép phân công năm {previous.year}"
                )
    _notify(
        users_with_roles(unit, [Role.UNIT_LEADER, Role.COORDINATOR]),
        key=f"assessments:cycle-open:{cycle.pk}",
        title=f"Mở kỳ đánh giá Chính quyền thân thiện năm {year}",
        body=f"Đăng ký mức đạt chuẩn trước ngày {reg:%d/%m/%Y}; nộp tự đánh giá trước ngày {sub:%d/%m/%Y}.",
        url=_link(cycle),
        unit=unit,
    )
    return cycle


@transaction.atomic
def open_cycles(
    *,
    actor: Any,
    city: Unit,
    year: int,
    criteria_set: CriteriaSetVersion,
    registration_deadline: dt.date | None = None,
    submission_deadline: dt.date | None = None,
    appraisal_deadline: dt.date | None = None,
    units: Sequence[Unit] | None = None,
) -> list[Cycle]:
    """Open the year's cycle for every active unit of the city that has none yet."""
    require(actor, Capability.APPRAISE, city)
    targets = list(units) if units is not None else list(Unit.objects.filter(parent=city, is_active=True))
    opened = []
    for unit in targets:
        if unit.parent_id != city.pk or Cycle.objects.filter(unit=unit, year=year).exists():
            continue
        opened.append(
            open_cycle(
                actor=actor,
                unit=unit,
                year=year,
                criteria_set=criteria_set,
                registration_deadline=registration_deadline,
                submission_deadline=submission_deadline,
                appraisal_deadline=appraisal_deadline,
            )
        )
    return opened


@transaction.atomic
def update_deadlines(
    *,
    actor: Any,
    cycle: Cycle,
    registration_deadline: dt.date,
    submission_deadline: dt.date,
    appraisal_deadline: dt.date,
    expected_version: int | None = None,
) -> Cycle:
    require(actor, Capability.APPRAISE, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _check_version(cycle, expected_version, f"Kỳ đánh giá năm {cycle.year}")
    _check_deadlines(registration_deadline, submission_deadline, appraisal_deadline)
    before = audit.snapshot(cycle, ["registration_deadline", "submission_deadline", "appraisal_deadline"])
    cycle.registration_deadline = registration_deadline
    cycle.submission_deadline = submission_deadline
    cycle.appraisal_deadline = appraisal_deadline
    cycle.version += 1
    cycle.save()
    audit.record_update(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=cycle,
        before=before,
        note=gettext_noop("thành phố đặt lại thời hạn"),
    )
    return cycle


@transaction.atomic
def switch_criteria_set(*, actor: Any, cycle: Cycle, criteria_set: CriteriaSetVersion) -> Cycle:
    """Move a cycle that is still open to another version (e.g. a corrected one); values of codes that
    no longer exist are kept but not counted."""
    require(actor, Capability.APPRAISE, cycle.unit)
    _ensure_editable(cycle)
    if criteria_set.unit_id != cycle.unit.parent_id:
        raise ValidationError(
            {"criteria_set": "Bộ tiêu chí phải thuộc thư viện của thành phố quản lý đơn vị."}
        )
    before = audit.snapshot(cycle, ["criteria_set_id"])
    cycle.criteria_set = criteria_set
    cycle.version += 1
    cycle.save()
    _lock_set(criteria_set, actor)
    audit.record_update(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=cycle,
        before=before,
        note=gettext_noop("đổi phiên bản bộ tiêu chí"),
    )
    return cycle


# ---------------------------------------------------------------------------------- registration


@transaction.atomic
def register_target(
    *, actor: Any, cycle: Cycle, target_level: str, note: str = "", expected_version: int | None = None
) -> Registration:
    """The unit leader registers (or, after the city asked for changes, re-registers) the target level."""
    require(actor, Capability.LEAD, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _ensure_editable(cycle)
    cs = crit.parsed(cycle.criteria_set)
    level = next((lv for lv in cs.levels if lv.code == str(target_level).strip()), None)
    if level is None:
        names = ", ".join(f"{lv.code} ({lv.name})" for lv in cs.levels)
        raise ValidationError(
            {"target_level": f"Mức «{target_level}» không có trong bộ tiêu chí; chọn một trong: {names}."}
        )
    registration = Registration.objects.select_for_update().filter(cycle=cycle).first()
    _check_version(registration, expected_version, "Bản đăng ký")
    now = timezone.now()
    if registration is None:
        registration = Registration.objects.create(
            unit=cycle.unit,
            cycle=cycle,
            target_level=level.code,
            target_level_name=level.name,
            note=note.strip(),
            registered_by=actor,
            registered_at=now,
        )
        audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=registration)
    else:
        if registration.status == Registration.Status.ACCEPTED:
            raise ValidationError(
                {
                    "target_level": "Thành phố đã chấp nhận đăng ký năm nay; muốn đổi mức, hãy đề nghị thành phố xem xét lại."
                }
            )
        before = audit.snapshot(registration, ["target_level", "note", "status"])
        registration.target_level = level.code
        registration.target_level_name = level.name
        registration.note = note.strip()
        registration.status = Registration.Status.PENDING
        registration.registered_by = actor
        registration.registered_at = now
        registration.version += 1
        registration.save()
        audit.record_update(
            actor=actor,
            unit_id=cycle.unit_id,
            obj=registration,
            before=before,
            note=gettext_noop("đăng ký lại"),
        )
    plan_services.record_cycle_event(
        actor=actor,
        unit=cycle.unit,
        year=cycle.year,
        kind=plan_services.EventKind.TARGET_REGISTERED,
        happened_on=now,
        source=f"assessments.registration:{registration.pk}",
        label=f"Đăng ký {level.name} năm {cycle.year}",
        url=_link(cycle),
    )
    _notify(
        _city_reviewers(cycle.unit),
        key=f"assessments:registration:{registration.pk}:{registration.version}",
        title=f"{cycle.unit.full_name} đăng ký {level.name} năm {cycle.year}",
        body=note.strip(),
        url=_link(cycle),
        unit=cycle.unit,
    )
    return registration


@transaction.atomic
def decide_registration(
    *,
    actor: Any,
    registration: Registration,
    accept: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> Registration:
    """A city reviewer accepts the registration or asks for changes (with the reason)."""
    cycle = registration.cycle
    require(actor, Capability.APPRAISE, cycle.unit)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_version(registration, expected_version, "Bản đăng ký")
    if registration.status != Registration.Status.PENDING:
        raise ValidationError(
            f"Bản đăng ký đang ở trạng thái «{registration.get_status_display()}», không chờ xem xét."
        )
    if not accept and not reason.strip():
        raise ValidationError({"reason": "Ghi rõ nội dung đơn vị cần điều chỉnh."})
    old = registration.status
    registration.status = Registration.Status.ACCEPTED if accept else Registration.Status.CHANGES_REQUESTED
    registration.decided_by = actor
    registration.decided_at = timezone.now()
    registration.decision_reason = reason.strip()
    registration.version += 1
    registration.save()
    audit.record_transition(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=registration,
        field="status",
        old=old,
        new=registration.status,
        note=reason.strip(),
    )
    if accept and cycle.status == Cycle.Status.REGISTRATION:
        Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.SELF_SCORING, version=cycle.version + 1)
        audit.record_transition(
            actor=actor,
            unit_id=cycle.unit_id,
            obj=cycle,
            field="status",
            old=Cycle.Status.REGISTRATION,
            new=Cycle.Status.SELF_SCORING,
            note=gettext_noop("thành phố chấp nhận đăng ký"),
        )
    _notify(
        users_with_roles(cycle.unit, [Role.UNIT_LEADER, Role.COORDINATOR]),
        key=f"assessments:registration-decision:{registration.pk}:{registration.version}",
        title=(
            f"Thành phố chấp nhận đăng ký {registration.target_level_name} năm {cycle.year}"
            if accept
            else f"Thành phố yêu cầu điều chỉnh bản đăng ký năm {cycle.year}"
        ),
        body=reason.strip(),
        url=_link(cycle),
        unit=cycle.unit,
    )
    return registration


# ----------------------------------------------------------------------------------- assignments


@transaction.atomic
def assign_criterion(
    *,
    actor: Any,
    cycle: Cycle,
    criterion_code: str,
    body: Body | None,
    expected_version: int | None = None,
) -> Assignment | None:
    """The coordinator assigns a criterion (a group: every leaf below it) to a body; None removes it.
    Refused when the assignment changed since the page or client read version ``expected_version`` (0: it
    saw no assignment; None: no check)."""
    require(actor, Capability.COORDINATE, cycle.unit)
    _ensure_editable(cycle)
    cs = crit.parsed(cycle.criteria_set)
    _node(cs, criterion_code)
    if body is not None and (body.unit_id != cycle.unit_id or not body.is_active):
        raise ValidationError({"body": "Cơ quan được giao phải là cơ quan, thôn đang hoạt động của đơn vị."})
    existing = (
        Assignment.objects.select_for_update().filter(cycle=cycle, criterion_code=criterion_code).first()
    )
    _check_version(existing, expected_version, f"Phân công tiêu chí {criterion_code}")
    if body is None:
        if existing is not None:
            audit.record_delete(
                actor=actor, unit_id=cycle.unit_id, obj=existing, note=gettext_noop("bỏ phân công")
            )
            existing.delete()
        return None
    if existing is None:
        assignment = Assignment.objects.create(
            unit=cycle.unit, cycle=cycle, criterion_code=criterion_code, body=body, assigned_by=actor
        )
        audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=assignment)
    else:
        if existing.body_id == body.pk:
            return existing
        before = audit.snapshot(existing, ["body_id"])
        existing.body = body
        existing.assigned_by = actor
        existing.version += 1
        existing.save()
        audit.record_update(actor=actor, unit_id=cycle.unit_id, obj=existing, before=before)
        assignment = existing
    _notify(
        users_with_roles(cycle.unit, [Role.BODY_MEMBER], body=body),
        key=f"assessments:assignment:{assignment.pk}:{body.pk}",
        title=f"Được giao chấm tiêu chí {criterion_code} năm {cycle.year}",
        url=_link(cycle, criterion_code),
        unit=cycle.unit,
    )
    return assignment


@transaction.atomic
def assign_many(
    *,
    actor: Any,
    cycle: Cycle,
    assignments: Mapping[str, Body | None],
    expected_versions: Mapping[str, int] | None = None,
) -> int:
    """Apply several assignments at once (the assignment page); returns how many changed. A row whose
    assignment changed since the page showed version ``expected_versions[code]`` refuses the whole save."""
    require(actor, Capability.COORDINATE, cycle.unit)
    current = {a.criterion_code: a.body_id for a in Assignment.objects.filter(cycle=cycle)}
    versions = expected_versions or {}
    changed = 0
    for code, body in assignments.items():
        if current.get(code) != (body.pk if body is not None else None):
            assign_criterion(
                actor=actor, cycle=cycle, criterion_code=code, body=body, expected_version=versions.get(code)
            )
            changed += 1
    return changed


# ----------------------------------------------------------------------------------------- scores


@transaction.atomic
def save_score(
    *,
    actor: Any,
    cycle: Cycle,
    criterion_code: str,
    value: str,
    explanation: str = "",
    ticked: Sequence[int] | None = None,
    expected_version: int | None = None,
) -> ScoreEntry:
    """A body (the one the criterion is assigned to; the coordinator for any) enters its self-assessed
    value in the contract's syntax; an empty value clears it."""
    cs = crit.parsed(cycle.criteria_set)
    node = _scorable(cs, criterion_code)
    body = _assigned_body(cycle, cs, criterion_code)
    require(actor, Capability.WORK, cycle.unit, body=body)
    if body is None and not can(actor, Capability.COORDINATE, cycle.unit):
        raise PermissionDenied
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _ensure_editable(cycle)
    text, ticks = _value_text(node, value, ticked)
    entry = ScoreEntry.objects.select_for_update().filter(cycle=cycle, criterion_code=criterion_code).first()
    never_scored = entry is not None and entry.version == 1 and not entry.value and not entry.explanation
    if not (never_scored and expected_version == 0):  # an entry made only to hold evidence is no score yet
        _check_version(
            entry,
            expected_version,
            f"Điểm tự chấm tiêu chí {criterion_code}",
            shown=crit.describe_value(node, entry.value) if entry is not None else None,
        )
    if entry is None:
        entry = ScoreEntry.objects.create(
            unit=cycle.unit,
            cycle=cycle,
            criterion_code=criterion_code,
            value=text,
            ticked=ticks,
            explanation=explanation.strip(),
            body=body,
            entered_by=actor,
        )
        audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=entry)
        return entry
    before = audit.snapshot(entry, ["value", "ticked", "explanation"])
    entry.value = text
    entry.ticked = ticks
    entry.explanation = explanation.strip()
    entry.body = body
    entry.entered_by = actor
    entry.version += 1
    entry.save()
    audit.record_update(actor=actor, unit_id=cycle.unit_id, obj=entry, before=before)
    return entry


# ------------------------------------------------------------------------------- measured figures


def _measured_leaf(actor: Any, cycle: Cycle, criterion_code: str) -> tuple[Cycle, Criterion, Body | None]:
    """The locked open cycle, the source criterion and its body, for a scorer who may score it."""
    cs = crit.parsed(cycle.criteria_set)
    node = _scorable(cs, criterion_code, allow_source=True)
    if not isinstance(node, Criterion) or not node.source:
        raise ValidationError(
            {
                "criterion_code": f"Tiêu chí {criterion_code} không lấy giá trị từ số liệu đo được; hãy chấm trực tiếp."
            }
        )
    body = _assigned_body(cycle, cs, criterion_code)
    require(actor, Capability.WORK, cycle.unit, body=body)
    if body is None and not can(actor, Capability.COORDINATE, cycle.unit):
        raise PermissionDenied
    cycle = Cycle.objects.select_for_update().select_related("unit", "criteria_set").get(pk=cycle.pk)
    _ensure_editable(cycle)
    return cycle, node, body


def _measured_entry(
    actor: Any,
    cycle: Cycle,
    code: str,
    body: Body | None,
    fields: dict[str, Any],
    expected_version: int | None,
    note: str,
) -> ScoreEntry:
    """Create or update the criterion's entry with ``fields`` (version-checked; 0 = "no entry yet")."""
    what = f"Điểm tự chấm tiêu chí {code}"
    entry = ScoreEntry.objects.select_for_update().filter(cycle=cycle, criterion_code=code).first()
    if (entry is None and expected_version not in (None, 0)) or (entry is not None and expected_version == 0):
        raise ValidationError(
            f"{what} đã được người khác cập nhật; hãy tải lại trang để xem thay đổi rồi nhập lại."
        )
    if entry is None:
        entry = ScoreEntry.objects.create(
            unit=cycle.unit, cycle=cycle, criterion_code=code, body=body, entered_by=actor, **fields
        )
        audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=entry, note=note)
        return entry
    _check_version(entry, expected_version, what)
    before = audit.snapshot(entry, MEASURED_FIELDS)
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.body = body
    entry.entered_by = actor
    entry.version += 1
    entry.save()
    audit.record_update(actor=actor, unit_id=cycle.unit_id, obj=entry, before=before, note=note)
    return entry


MEASURED_FIELDS = ["value", "ticked", "from_source", "source_label", "measured_value", "override_reason"]


@transaction.atomic
def accept_measured(
    *, actor: Any, cycle: Cycle, criterion_code: str, expected_version: int | None = None
) -> ScoreEntry:
    """The scorer accepts the measured figure of a source criterion in one action: it becomes the value,
    with where it came from (label, link, as-of date, when accepted). ``expected_version``: the entry's
    version the page showed (0 when there was none)."""
    cycle, leaf, body = _measured_leaf(actor, cycle, criterion_code)
    assert leaf.source is not None
    reading = read_source(leaf.source, unit=cycle.unit, year=cycle.year)
    figure = reading.figure
    if figure is None:
        raise ValidationError(
            {
                "value": f"Tiêu chí {criterion_code}: {reading.label.lower()} — chưa có số liệu đo được để "
                "xác nhận; hãy nhập hồ sơ, số liệu vào phân hệ tương ứng, hoặc ghi giá trị khác kèm lý do."
            }
        )
    text, ticks = measured_value(leaf, figure)
    if crit.safe_value(leaf, text) is None:
        raise ValidationError({"value": f"Tiêu chí {criterion_code}: số liệu đo được «{text}» không hợp lệ."})
    return _measured_entry(
        actor,
        cycle,
        criterion_code,
        body,
        {
            "value": text,
            "ticked": ticks,
            "from_source": True,
            "source_label": figure.label[:300],
            "source_reference": figure.reference[:300],
            "measured_value": text,
            "measured_ticked": ticks,
            "measured_as_of": figure.as_of,
            "measured_at": timezone.now(),
            "override_reason": "",
        },
        expected_version,
        "xác nhận số liệu đo được",
    )


@transaction.atomic
def override_measured(
    *,
    actor: Any,
    cycle: Cycle,
    criterion_code: str,
    value: str,
    reason: str,
    ticked: Sequence[int] | None = None,
    expected_version: int | None = None,
) -> ScoreEntry:
    """The scorer records another value than the measured figure, with a reason (required). The measured
    figure of that moment is kept beside it, so the joint scorers and the city see both."""
    cycle, leaf, body = _measured_leaf(actor, cycle, criterion_code)
    assert leaf.source is not None
    if not reason.strip():
        raise ValidationError({"reason": f"Tiêu chí {criterion_code}: ghi lý do không dùng số liệu đo được."})
    text, ticks = _value_text(leaf, value, ticked)
    if not text:
        raise ValidationError({"value": f"Tiêu chí {criterion_code}: ghi giá trị thay cho số liệu đo được."})
    reading = read_source(leaf.source, unit=cycle.unit, year=cycle.year)
    figure = reading.figure
    measured, measured_ticks = measured_value(leaf, figure) if figure is not None else ("", [])
    if figure is not None and crit.safe_value(leaf, text) == crit.safe_value(leaf, measured):
        raise ValidationError(
            {
                "value": f"Tiêu chí {criterion_code}: giá trị này bằng số liệu đo được; bấm «Dùng số liệu đo "
                "được» thay vì ghi giá trị khác."
            }
        )
    return _measured_entry(
        actor,
        cycle,
        criterion_code,
        body,
        {
            "value": text,
            "ticked": ticks,
            "from_source": False,
            "source_label": (figure.label if figure is not None else reading.provenance)[:300],
            "source_reference": (figure.reference if figure is not None else "")[:300],
            "measured_value": measured,
            "measured_ticked": measured_ticks,
            "measured_as_of": figure.as_of if figure is not None else None,
            "measured_at": timezone.now(),
            "override_reason": reason.strip(),
        },
        expected_version,
        "ghi giá trị khác số liệu đo được",
    )


def _entry_for_evidence(actor: Any, cycle: Cycle, criterion_code: str) -> tuple[ScoreEntry, Body | None]:
    cs = crit.parsed(cycle.criteria_set)
    _scorable(cs, criterion_code, allow_source=True)
    body = _assigned_body(cycle, cs, criterion_code)
    require(actor, Capability.WORK, cycle.unit, body=body)
    if body is None and not can(actor, Capability.COORDINATE, cycle.unit):
        raise PermissionDenied
    _ensure_editable(cycle)
    entry, created = ScoreEntry.objects.get_or_create(
        cycle=cycle,
        criterion_code=criterion_code,
        defaults={"unit": cycle.unit, "body": body, "entered_by": actor},
    )
    if created:
        audit.record_create(
            actor=actor, unit_id=cycle.unit_id, obj=entry, note=gettext_noop("tạo để gắn minh chứng")
        )
    return entry, body


@transaction.atomic
def attach_evidence(
    *,
    actor: Any,
    cycle: Cycle,
    criterion_code: str,
    upload: UploadedFile | None = None,
    evidence: EvidenceFile | None = None,
    effective_date: dt.date | None = None,
    title: str = "",
    note: str = "",
) -> ScoreEvidence:
    """Attach proof to a criterion: a new file (hash and effective date kept), a file already in the
    system (e.g. from a plan task — one file may prove several criteria), or a description only."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    entry, body = _entry_for_evidence(actor, cycle, criterion_code)
    if upload is not None:
        if effective_date is None:
            raise ValidationError(
                {"effective_date": "Ghi ngày hiệu lực của minh chứng (ngày ký, ngày chụp…)."}
            )
        evidence = store_evidence(
            actor=actor, unit=cycle.unit, upload=upload, effective_date=effective_date, body=body, title=title
        )
    elif evidence is not None:
        if evidence.unit_id != cycle.unit_id:
            raise ValidationError({"evidence": "Minh chứng phải thuộc đơn vị."})
        if ScoreEvidence.objects.filter(entry=entry, evidence=evidence, removed_at__isnull=True).exists():
            raise ValidationError(
                {"evidence": f"Tệp «{evidence}» đã được gắn cho tiêu chí {criterion_code}."}
            )
    elif not note.strip():
        raise ValidationError(
            {"file": "Chọn tệp minh chứng, một minh chứng đã có trong hệ thống, hoặc ghi mô tả minh chứng."}
        )
    link = ScoreEvidence.objects.create(
        unit=cycle.unit, entry=entry, evidence=evidence, note=note.strip()[:300], added_by=actor
    )
    audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=link)
    return link


@transaction.atomic
def attach_scan(
    *,
    actor: Any,
    link: ScoreEvidence,
    upload: UploadedFile,
    effective_date: dt.date | None = None,
) -> ScoreEvidence:
    """Give proof recorded on paper only (a description, no file) its scanned file later. The link
    stays the same record — added by the same person on the same day, with its description — and
    now holds the file, so it is no longer listed as "chưa có tệp"; the audit keeps the change. The
    file's effective date is the one given, else the day the paper proof was recorded."""
    entry = link.entry
    cycle = Cycle.objects.select_for_update().get(pk=entry.cycle_id)
    _, body = _entry_for_evidence(actor, cycle, entry.criterion_code)
    link = ScoreEvidence.objects.select_for_update().get(pk=link.pk)
    if link.removed_at is not None:
        raise ValidationError({"file": "Minh chứng này đã bị bỏ khỏi tiêu chí; hãy gắn minh chứng mới."})
    if link.evidence_id is not None:
        raise ValidationError(
            {"file": f"Minh chứng «{link.evidence}» đã có tệp; không thay tệp của minh chứng."}
        )
    evidence = store_evidence(
        actor=actor,
        unit=cycle.unit,
        upload=upload,
        effective_date=effective_date or timezone.localdate(link.added_at),
        body=body,
        title=link.note,
    )
    before = audit.snapshot(link, ["evidence_id"])
    link.evidence = evidence
    link.save(update_fields=["evidence"])
    audit.record_update(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=link,
        before=before,
        note=gettext_noop("bổ sung bản quét của minh chứng giấy"),
    )
    return link


@transaction.atomic
def detach_evidence(*, actor: Any, link: ScoreEvidence) -> ScoreEvidence:
    """Take the proof off the criterion (the link is kept as removed; the evidence file stays)."""
    entry = link.entry
    cycle = Cycle.objects.select_for_update().get(pk=entry.cycle_id)
    _entry_for_evidence(actor, cycle, entry.criterion_code)
    if link.removed_at is not None:
        return link
    link.removed_at = timezone.now()
    link.removed_by = actor
    link.save(update_fields=["removed_at", "removed_by"])
    audit.record_transition(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=link,
        field="removed",
        old=False,
        new=True,
        note=gettext_noop("bỏ minh chứng khỏi tiêu chí"),
    )
    return link


# --------------------------------------------------------------------------------- joint scoring


def joint_bodies(actor: Any, unit: Unit) -> list[Body]:
    """The bodies a joint scorer speaks for (their grants' bodies on the unit)."""
    return bodies_granted(actor, unit, Role.JOINT_SCORER)


def _joint_body(actor: Any, cycle: Cycle, body: Body | None) -> Body:
    """The body a joint scorer speaks for: the one given (theirs), or their only one."""
    mine = joint_bodies(actor, cycle.unit)
    if body is None:
        if len(mine) > 1:
            raise ValidationError({"body": "Chọn cơ quan mà anh/chị đề xuất thay mặt."})
        body = mine[0] if mine else None
    elif mine and body not in mine:
        raise ValidationError({"body": "Anh/chị chỉ đề xuất thay mặt cơ quan của mình."})
    if body is None or body.unit_id != cycle.unit_id:
        raise ValidationError(
            {"body": "Chọn cơ quan chấm điểm phối hợp (Ủy ban MTTQ, Ban Xây dựng Đảng…) của đơn vị."}
        )
    return body


def _locked_review(cycle: Cycle, code: str, body: Body, expected_version: int | None) -> JointReview | None:
    """The body's opinion on the criterion, locked, after checking the version the page showed (0 when the
    page showed none: someone of the same body giving an opinion meanwhile is then a conflict too)."""
    review = (
        JointReview.objects.select_for_update().filter(cycle=cycle, criterion_code=code, body=body).first()
    )
    check_version(
        review if review is not None else SimpleNamespace(version=0),
        expected_version,
        message=f"Tiêu chí {code}: ý kiến của {body.name} vừa được người khác cập nhật; "
        "hãy tải lại trang để xem thay đổi rồi nhập lại.",
    )
    return review


def _save_review(
    actor: Any,
    cycle: Cycle,
    code: str,
    body: Body,
    review: JointReview | None,
    *,
    verdict: str,
    value: str,
    proposal: JointProposal | None = None,
) -> JointReview:
    if review is None:
        review = JointReview.objects.create(
            unit=cycle.unit,
            cycle=cycle,
            criterion_code=code,
            body=body,
            verdict=verdict,
            value=value,
            proposal=proposal,
            reviewed_by=actor,
        )
        audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=review)
        return review
    before = audit.snapshot(review, ["verdict", "value", "proposal_id"])
    review.verdict, review.value, review.proposal, review.reviewed_by = verdict, value, proposal, actor
    review.version += 1
    review.save()
    audit.record_update(actor=actor, unit_id=cycle.unit_id, obj=review, before=before)
    return review


@transaction.atomic
def agree_score(
    *,
    actor: Any,
    cycle: Cycle,
    criterion_code: str,
    body: Body | None = None,
    seen_value: str | None = None,
    expected_version: int | None = None,
) -> JointReview:
    """A joint scorer agrees with the self-assessed value of a criterion (on behalf of their body).
    ``seen_value``: the self-assessed value the page showed; agreeing to a value changed since is refused."""
    require(actor, Capability.JOINT_SCORE, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _ensure_editable(cycle)
    cs = crit.parsed(cycle.criteria_set)
    node = _scorable(cs, criterion_code)
    body = _joint_body(actor, cycle, body)
    review = _locked_review(cycle, criterion_code, body, expected_version)
    entry = ScoreEntry.objects.filter(cycle=cycle, criterion_code=criterion_code).first()
    current = entry.value if entry is not None else ""
    if not current.strip():
        raise ValidationError(
            {"agree": f"Tiêu chí {criterion_code}: chưa có điểm tự chấm để đồng ý; hãy đề xuất điểm nếu cần."}
        )
    if seen_value is not None and seen_value.strip() != current.strip():
        raise ValidationError(
            {
                "agree": f"Tiêu chí {criterion_code}: điểm tự chấm vừa đổi thành "
                f"«{crit.describe_value(node, current) or current}»; hãy xem lại rồi lưu."
            }
        )
    if review is not None and review.verdict == JointReview.Verdict.AGREE and review.value == current:
        return review
    return _save_review(
        actor, cycle, criterion_code, body, review, verdict=JointReview.Verdict.AGREE, value=current
    )


@transaction.atomic
def propose_score(
    *,
    actor: Any,
    cycle: Cycle,
    criterion_code: str,
    value: str,
    reason: str,
    ticked: Sequence[int] | None = None,
    body: Body | None = None,
    expected_version: int | None = None,
) -> JointProposal:
    """A joint scorer (MTTQ, Ban Xây dựng Đảng) proposes a different value with the reason; kept forever.
    ``expected_version`` is the version of the body's opinion on the criterion the page showed (0: none
    yet; None: not checked)."""
    require(actor, Capability.JOINT_SCORE, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _ensure_editable(cycle)
    cs = crit.parsed(cycle.criteria_set)
    node = _scorable(cs, criterion_code)
    body = _joint_body(actor, cycle, body)
    review = _locked_review(cycle, criterion_code, body, expected_version)
    if not reason.strip():
        raise ValidationError({"reason": "Ghi lý do đề xuất điểm khác."})
    text, ticks = _value_text(node, value, ticked)
    if not text:
        raise ValidationError({"value": f"Tiêu chí {criterion_code}: ghi giá trị đề xuất."})
    proposal = JointProposal.objects.create(
        unit=cycle.unit,
        cycle=cycle,
        criterion_code=criterion_code,
        body=body,
        value=text,
        ticked=ticks,
        reason=reason.strip(),
        proposed_by=actor,
    )
    audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=proposal)
    _save_review(
        actor,
        cycle,
        criterion_code,
        body,
        review,
        verdict=JointReview.Verdict.PROPOSE,
        value=text,
        proposal=proposal,
    )
    _notify(
        users_with_roles(cycle.unit, [Role.COORDINATOR]),
        key=f"assessments:proposal:{proposal.pk}",
        title=f"{body.name} đề xuất điểm khác cho tiêu chí {criterion_code}",
        body=reason.strip(),
        url=_link(cycle, criterion_code),
        unit=cycle.unit,
    )
    return proposal


@transaction.atomic
def settle_score(
    *,
    actor: Any,
    cycle: Cycle,
    criterion_code: str,
    value: str,
    reason: str = "",
    ticked: Sequence[int] | None = None,
    expected_version: int | None = None,
) -> ConsolidatedScore:
    """The coordinator settles the consolidated value (after the joint scorers' proposals)."""
    require(actor, Capability.COORDINATE, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _ensure_editable(cycle)
    cs = crit.parsed(cycle.criteria_set)
    node = _scorable(cs, criterion_code)
    text, ticks = _value_text(node, value, ticked)
    if not text:
        raise ValidationError({"value": f"Tiêu chí {criterion_code}: ghi giá trị thống nhất."})
    entry = ScoreEntry.objects.filter(cycle=cycle, criterion_code=criterion_code).first()
    self_text = entry.value if entry is not None else ""
    if crit.safe_value(node, text) != crit.safe_value(node, self_text) and not reason.strip():
        raise ValidationError({"reason": "Giá trị thống nhất khác giá trị tự chấm: ghi lý do."})
    pending = list(
        JointProposal.objects.select_for_update()
        .filter(cycle=cycle, criterion_code=criterion_code, status=JointProposal.Status.PENDING)
        .select_related("body")
    )
    settled_value = crit.safe_value(node, text)
    declined = [p for p in pending if crit.safe_value(node, p.value) != settled_value]
    if declined and not reason.strip():
        names = ", ".join(dict.fromkeys(p.body.name for p in declined))
        raise ValidationError(
            {"reason": f"Giá trị thống nhất khác đề xuất của {names}: ghi lý do không chấp nhận đề xuất."}
        )
    for proposal in pending:  # settling decides the criterion's pending proposals
        _decide(actor, cycle, proposal, accept=proposal not in declined, reason=reason.strip())
    row = (
        ConsolidatedScore.objects.select_for_update()
        .filter(cycle=cycle, criterion_code=criterion_code)
        .first()
    )
    _check_version(
        row,
        expected_version,
        f"Điểm thống nhất tiêu chí {criterion_code}",
        shown=crit.describe_value(node, row.value) if row is not None else None,
    )
    if row is None:
        row = ConsolidatedScore.objects.create(
            unit=cycle.unit,
            cycle=cycle,
            criterion_code=criterion_code,
            value=text,
            ticked=ticks,
            reason=reason.strip(),
            settled_by=actor,
        )
        audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=row)
        return row
    before = audit.snapshot(row, ["value", "ticked", "reason"])
    row.value, row.ticked, row.reason, row.settled_by = text, ticks, reason.strip(), actor
    row.version += 1
    row.save()
    audit.record_update(actor=actor, unit_id=cycle.unit_id, obj=row, before=before)
    return row


def _decide(actor: Any, cycle: Cycle, proposal: JointProposal, *, accept: bool, reason: str) -> None:
    """Mark a pending proposal accepted or declined, record it and tell the person who proposed it."""
    old = proposal.status
    proposal.status = JointProposal.Status.ACCEPTED if accept else JointProposal.Status.DECLINED
    proposal.decided_by, proposal.decided_at, proposal.decision_reason = actor, timezone.now(), reason
    proposal.version += 1
    proposal.save()
    audit.record_transition(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=proposal,
        field="status",
        old=old,
        new=proposal.status,
        note=reason,
    )
    if proposal.proposed_by is not None:
        verb = "chấp nhận" if accept else "không chấp nhận"
        _notify(
            [proposal.proposed_by],
            key=f"assessments:proposal-decided:{proposal.pk}",
            title=f"Đầu mối {verb} đề xuất điểm tiêu chí {proposal.criterion_code} của {proposal.body.name}",
            body=reason,
            url=_link(cycle, proposal.criterion_code),
            unit=cycle.unit,
        )


@transaction.atomic
def decide_proposal(
    *,
    actor: Any,
    proposal: JointProposal,
    accept: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> JointProposal:
    """The coordinator accepts a joint scorer's proposal (the settled value becomes the proposed one; the
    criterion's other pending proposals with another value are declined with the same reason) or declines
    it with a reason (the settled value stays)."""
    require(actor, Capability.COORDINATE, proposal.unit)
    cycle = Cycle.objects.select_for_update().select_related("unit").get(pk=proposal.cycle_id)
    _ensure_editable(cycle)
    proposal = JointProposal.objects.select_for_update().select_related("body").get(pk=proposal.pk)
    code, who = proposal.criterion_code, proposal.body.name
    _check_version(proposal, expected_version, f"Đề xuất của {who} cho tiêu chí {code}")
    if proposal.status != JointProposal.Status.PENDING:
        raise ValidationError(
            f"Đề xuất của {who} cho tiêu chí {code} đã được xem xét "
            f"({proposal.get_status_display().lower()}); không xem xét lại."
        )
    if accept:
        why = reason.strip() or f"Theo đề xuất của {who}: {proposal.reason}"
        settle_score(
            actor=actor,
            cycle=cycle,
            criterion_code=code,
            value=proposal.value,
            ticked=proposal.ticked,
            reason=why,
        )
    else:
        if not reason.strip():
            raise ValidationError(
                {"reason": f"Ghi lý do không chấp nhận đề xuất của {who} cho tiêu chí {code}."}
            )
        _decide(actor, cycle, proposal, accept=False, reason=reason.strip())
    proposal.refresh_from_db()
    return proposal


@dataclass(frozen=True)
class SheetRow:
    """One row of the joint scorer's sheet as typed: agree, or a proposed value with its reason (nothing:
    the row is left as it is). ``version``: the body's opinion the page showed (0: none yet);
    ``seen_value``: the self-assessed value the page showed."""

    criterion_code: str
    agree: bool = False
    value: str = ""
    reason: str = ""
    version: int | None = None
    seen_value: str | None = None

    @property
    def touched(self) -> bool:
        return self.agree or bool(self.value.strip()) or bool(self.reason.strip())


@transaction.atomic
def save_joint_sheet(*, actor: Any, cycle: Cycle, rows: Sequence[SheetRow], body: Body | None = None) -> int:
    """A joint scorer's sheet of all criteria saved at once: each touched row agrees or proposes through
    :func:`agree_score` / :func:`propose_score`; untouched rows stay as they are. All or nothing: when a
    row is wrong, nothing is saved and the error names the criterion (``{code: [messages]}``)."""
    require(actor, Capability.JOINT_SCORE, cycle.unit)
    body = _joint_body(actor, cycle, body)
    errors: dict[str, list[str]] = {}
    saved = 0
    for row in rows:
        if not row.touched:
            continue
        code = row.criterion_code
        try:
            with transaction.atomic():
                if row.agree and (row.value.strip() or row.reason.strip()):
                    raise ValidationError(
                        f"Tiêu chí {code}: chọn «đồng ý» hoặc đề xuất điểm khác, không chọn cả hai."
                    )
                if row.agree:
                    agree_score(
                        actor=actor,
                        cycle=cycle,
                        criterion_code=code,
                        body=body,
                        seen_value=row.seen_value,
                        expected_version=row.version,
                    )
                else:
                    if not row.value.strip():
                        raise ValidationError(f"Tiêu chí {code}: ghi điểm đề xuất (hoặc xóa lý do).")
                    propose_score(
                        actor=actor,
                        cycle=cycle,
                        criterion_code=code,
                        value=row.value,
                        reason=row.reason,
                        body=body,
                        expected_version=row.version,
                    )
        except ValidationError as error:
            errors[code] = [
                m if m.startswith(f"Tiêu chí {code}") else f"Tiêu chí {code}: {m}" for m in error.messages
            ]
            continue
        saved += 1
    if errors:
        raise ValidationError(errors)
    return saved


# ------------------------------------------------------------------------------------- submission


@transaction.atomic
def submit_cycle(
    *, actor: Any, cycle: Cycle, acknowledge_issues: bool = False, expected_version: int | None = None
) -> Cycle:
    """The unit leader submits the self-assessment: measured figures are frozen and everything is locked.
    Quality problems must have been seen (``acknowledge_issues``) before it goes."""
    from friendlygov.assessments import selectors

    require(actor, Capability.LEAD, cycle.unit)
    cycle = (
        Cycle.objects.select_for_update(of=("self",)).select_related("unit", "criteria_set").get(pk=cycle.pk)
    )
    _check_version(cycle, expected_version, f"Kỳ đánh giá năm {cycle.year}")
    _ensure_editable(cycle)
    registration = Registration.objects.filter(cycle=cycle).first()
    if registration is None:
        raise ValidationError("Đơn vị chưa đăng ký mức đạt chuẩn năm nay; hãy đăng ký trước khi nộp.")
    if registration.status == Registration.Status.CHANGES_REQUESTED:
        raise ValidationError("Thành phố yêu cầu điều chỉnh bản đăng ký; hãy đăng ký lại trước khi nộp.")
    pending = selectors.pending_proposals(cycle)
    if pending:
        raise ValidationError(
            {
                "proposals": [
                    f"Còn {len(pending)} đề xuất chấm phối hợp chưa được đầu mối chấp nhận hay không chấp nhận; "
                    "chưa thể nộp.",
                    *(selectors.pending_proposal_line(p) for p in pending),
                ]
            }
        )
    issues = selectors.quality_checks(cycle)
    if issues and not acknowledge_issues:
        raise ValidationError(
            {
                "acknowledge": f"Còn {len(issues)} vấn đề cần xem lại trước khi nộp; đánh dấu «Tôi đã xem các vấn đề» để vẫn nộp."
            }
        )
    cs = crit.parsed(cycle.criteria_set)
    for leaf in cs.leaves():
        if not leaf.source:
            continue
        entry = ScoreEntry.objects.filter(cycle=cycle, criterion_code=leaf.code).first()
        if entry is not None and entry.is_measured_decision:
            continue  # accepted or overridden by the scorer: that value goes (a later change was flagged)
        reading = read_source(leaf.source, unit=cycle.unit, year=cycle.year)
        text, ticks = measured_value(leaf, reading.figure) if reading.figure is not None else ("", [])
        if text and crit.safe_value(leaf, text) is None:
            text, ticks = "", []
        fields = {
            "value": text,
            "ticked": ticks,
            "from_source": True,
            "source_label": reading.provenance[:300],
            "source_reference": (reading.figure.reference if reading.figure else "")[:300],
            "measured_value": text,
            "measured_ticked": ticks,
            "measured_as_of": reading.figure.as_of if reading.figure else None,
            "measured_at": timezone.now(),
        }
        if entry is None:
            entry = ScoreEntry.objects.create(
                unit=cycle.unit, cycle=cycle, criterion_code=leaf.code, entered_by=actor, **fields
            )
            audit.record_create(
                actor=actor,
                unit_id=cycle.unit_id,
                obj=entry,
                note=gettext_noop("chốt số liệu đo được khi nộp"),
            )
        else:
            before = audit.snapshot(entry, ["value", "source_label"])
            for name, value in fields.items():
                setattr(entry, name, value)
            entry.version += 1
            entry.save()
            audit.record_update(
                actor=actor,
                unit_id=cycle.unit_id,
                obj=entry,
                before=before,
                note=gettext_noop("chốt số liệu đo được khi nộp"),
            )
    old = cycle.status
    cycle.status = Cycle.Status.SUBMITTED
    cycle.submitted_at = timezone.now()
    cycle.submitted_by = actor
    cycle.version += 1
    cycle.save()
    data = selectors.load_cycle_data(cycle)
    cycle.submitted_result = result_to_json(data.result("consolidated"))
    cycle.summary = selectors.submission_summary(data)
    cycle.save(update_fields=["submitted_result", "summary"])
    note = "nộp bản tự đánh giá"
    if issues:
        note += f" (đã xem {len(issues)} vấn đề chất lượng)"
    if timezone.localdate() > cycle.submission_deadline:
        note += f"; nộp sau hạn {cycle.submission_deadline:%d/%m/%Y}"
    audit.record_transition(
        actor=actor, unit_id=cycle.unit_id, obj=cycle, field="status", old=old, new=cycle.status, note=note
    )
    plan_services.record_cycle_event(
        actor=actor,
        unit=cycle.unit,
        year=cycle.year,
        kind=plan_services.EventKind.SELF_ASSESSMENT_SUBMITTED,
        happened_on=cycle.submitted_at,
        source=f"assessments.cycle:{cycle.pk}",
        label=f"Nộp bản tự đánh giá, chấm điểm năm {cycle.year}",
        url=_link(cycle),
    )
    _notify(
        _city_reviewers(cycle.unit),
        key=f"assessments:submitted:{cycle.pk}:{cycle.version}",
        title=f"{cycle.unit.full_name} đã nộp bản tự đánh giá năm {cycle.year}",
        url=_link(cycle),
        unit=cycle.unit,
    )
    return cycle


# -------------------------------------------------------------------------------------- appraisal


def _require_submitted(cycle: Cycle) -> None:
    if cycle.status != Cycle.Status.SUBMITTED:
        raise ValidationError(
            f"Chỉ thẩm định khi hồ sơ đã nộp và đang chờ thẩm định (hiện: {cycle.get_status_display().lower()})."
        )


@transaction.atomic
def appraise_criterion(
    *,
    actor: Any,
    cycle: Cycle,
    criterion_code: str,
    accept: bool,
    value: str = "",
    reason: str = "",
    ticked: Sequence[int] | None = None,
    expected_version: int | None = None,
) -> AppraisalItem:
    """A city reviewer accepts the unit's (consolidated) value of a criterion, or adjusts it with a reason."""
    require(actor, Capability.APPRAISE, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _require_submitted(cycle)
    cs = crit.parsed(cycle.criteria_set)
    node = _scorable(cs, criterion_code, allow_source=True)
    decision = AppraisalItem.Decision.ACCEPT if accept else AppraisalItem.Decision.ADJUST
    text, ticks = "", list[int]()
    if not accept:
        text, ticks = _value_text(node, value, ticked)
        if not text:
            raise ValidationError({"value": f"Tiêu chí {criterion_code}: ghi giá trị sau thẩm định."})
        if not reason.strip():
            raise ValidationError({"reason": "Ghi lý do điều chỉnh điểm."})
    row = AppraisalItem.objects.select_for_update().filter(cycle=cycle, criterion_code=criterion_code).first()
    _check_version(
        row,
        expected_version,
        f"Kết quả thẩm định tiêu chí {criterion_code}",
        shown=(
            None
            if row is None
            else "chấp nhận"
            if row.decision == AppraisalItem.Decision.ACCEPT
            else f"điều chỉnh thành {crit.describe_value(node, row.value)}"
        ),
    )
    if row is None:
        row = AppraisalItem.objects.create(
            unit=cycle.unit,
            cycle=cycle,
            criterion_code=criterion_code,
            decision=decision,
            value=text,
            ticked=ticks,
            reason=reason.strip(),
            appraised_by=actor,
        )
        audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=row)
        return row
    before = audit.snapshot(row, ["decision", "value", "ticked", "reason"])
    row.decision, row.value, row.ticked, row.reason, row.appraised_by = (
        decision,
        text,
        ticks,
        reason.strip(),
        actor,
    )
    row.version += 1
    row.save()
    audit.record_update(actor=actor, unit_id=cycle.unit_id, obj=row, before=before)
    return row


@transaction.atomic
def adopt_late_figure(
    *, actor: Any, cycle: Cycle, criterion_code: str, expected_version: int | None = None
) -> AppraisalItem:
    """The appraiser adopts, in one action, a measured figure that changed after the unit submitted (e.g.
    the PAR INDEX the city published later): the criterion's appraised value becomes the figure, with the
    reason saying so. ``expected_version``: the appraisal item's version the page showed (0: none)."""
    from friendlygov.assessments import selectors

    require(actor, Capability.APPRAISE, cycle.unit)
    cycle = Cycle.objects.select_related("unit", "criteria_set").get(pk=cycle.pk)
    _require_submitted(cycle)
    data = selectors.load_cycle_data(cycle)
    state = selectors.measured_states(data, read_locked=True).get(criterion_code)
    if state is None:
        raise ValidationError(
            {"criterion_code": f"Tiêu chí {criterion_code} không lấy giá trị từ số liệu đo được."}
        )
    if not state.late or state.figure is None:
        raise ValidationError(
            {"value": f"Tiêu chí {criterion_code}: không có số liệu mới công bố sau khi đơn vị nộp."}
        )
    row = AppraisalItem.objects.filter(cycle=cycle, criterion_code=criterion_code).first()
    if (row is None and expected_version not in (None, 0)) or (row is not None and expected_version == 0):
        raise ValidationError(
            f"Kết quả thẩm định tiêu chí {criterion_code} đã được người khác cập nhật; hãy tải lại trang."
        )
    when = timezone.localtime(cycle.submitted_at).strftime("%d/%m/%Y") if cycle.submitted_at else ""
    return appraise_criterion(
        actor=actor,
        cycle=cycle,
        criterion_code=criterion_code,
        accept=False,
        value=state.live_text,
        ticked=list(state.live_ticks) if state.leaf.kind == "checklist" else None,
        reason=f"Dùng số liệu mới công bố sau khi đơn vị nộp{(' ngày ' + when) if when else ''}: "
        f"{state.figure.label}",
        expected_version=expected_version if row is not None else None,
    )


@transaction.atomic
def return_cycle(*, actor: Any, cycle: Cycle, requests: str, expected_version: int | None = None) -> Cycle:
    """Return the whole file for rework — once per year — with one consolidated list of requests."""
    require(actor, Capability.APPRAISE, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _check_version(cycle, expected_version, f"Kỳ đánh giá năm {cycle.year}")
    _require_submitted(cycle)
    if cycle.returned_at is not None:
        raise ValidationError(
            "Hồ sơ chỉ được trả lại một lần; lần này hãy thẩm định từng tiêu chí và kết thúc thẩm định."
        )
    if not requests.strip():
        raise ValidationError({"requests": "Ghi danh sách các nội dung đơn vị cần bổ sung, điều chỉnh."})
    old = cycle.status
    cycle.status = Cycle.Status.RETURNED
    cycle.returned_at = timezone.now()
    cycle.returned_by = actor
    cycle.return_requests = requests.strip()
    cycle.version += 1
    cycle.save()
    audit.record_transition(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=cycle,
        field="status",
        old=old,
        new=cycle.status,
        note=requests.strip(),
    )
    _notify(
        users_with_roles(cycle.unit, [Role.UNIT_LEADER, Role.COORDINATOR]),
        key=f"assessments:returned:{cycle.pk}",
        title=f"Thành phố trả lại hồ sơ tự đánh giá năm {cycle.year} để bổ sung",
        body=requests.strip(),
        url=_link(cycle),
        unit=cycle.unit,
    )
    return cycle


@transaction.atomic
def finish_appraisal(*, actor: Any, cycle: Cycle, expected_version: int | None = None) -> Cycle:
    """Close the appraisal: criteria not adjusted keep the unit's value; the engine computes the result."""
    from friendlygov.assessments import selectors

    require(actor, Capability.APPRAISE, cycle.unit)
    cycle = (
        Cycle.objects.select_for_update(of=("self",)).select_related("unit", "criteria_set").get(pk=cycle.pk)
    )
    _check_version(cycle, expected_version, f"Kỳ đánh giá năm {cycle.year}")
    _require_submitted(cycle)
    result = selectors.load_cycle_data(cycle).result("appraised")
    old = cycle.status
    cycle.status = Cycle.Status.APPRAISED
    cycle.appraised_at = timezone.now()
    cycle.appraised_by = actor
    cycle.final_result = result_to_json(result)
    if cycle.summary:
        cycle.summary = {**cycle.summary, "appraised": selectors.summary_total(result)}
    cycle.version += 1
    cycle.save()
    level = result.level.name if result.level is not None else "chưa đạt"
    audit.record_transition(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=cycle,
        field="status",
        old=old,
        new=cycle.status,
        note=f"kết quả thẩm định: {format_vi_number(result.total)} điểm, {level}",
    )
    _notify(
        users_with_roles(cycle.unit, [Role.UNIT_LEADER, Role.COORDINATOR]),
        key=f"assessments:appraised:{cycle.pk}",
        title=f"Thành phố đã thẩm định kết quả năm {cycle.year}: {level}",
        url=_link(cycle),
        unit=cycle.unit,
    )
    return cycle


def _store_decision_file(recognition: Recognition, upload: UploadedFile) -> None:
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": f"Tệp «{upload.name}» rỗng."})
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "file": f"Tệp «{upload.name}» quá lớn (giới hạn {settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB)."
            }
        )
    data = b"".join(upload.chunks())
    content_type = sniff(data[:16], data, upload.name or "")
    if content_type is None:
        raise ValidationError(
            {
                "file": f"Tệp «{upload.name}» không phải PDF, ảnh, Word hoặc Excel (kiểm tra theo nội dung tệp)."
            }
        )
    recognition.file_name = safe_filename(upload.name or f"quyet-dinh.{ALLOWED[content_type]}")
    recognition.file_type = content_type
    recognition.file_sha256 = hashlib.sha256(data).hexdigest()
    recognition.file.save(recognition.file_name, ContentFile(data), save=False)


@transaction.atomic
def recognise(
    *,
    actor: Any,
    cycle: Cycle,
    decision_number: str,
    decision_date: dt.date,
    signer: str,
    level_code: str,
    upload: UploadedFile | None = None,
) -> Recognition:
    """Record the recognition decision (number, date, signer, file) and the recognised level."""
    require(actor, Capability.APPRAISE, cycle.unit)
    cycle = (
        Cycle.objects.select_for_update(of=("self",)).select_related("unit", "criteria_set").get(pk=cycle.pk)
    )
    if cycle.status != Cycle.Status.APPRAISED:
        raise ValidationError(
            f"Chỉ công nhận sau khi kết thúc thẩm định (hiện: {cycle.get_status_display().lower()})."
        )
    cs = crit.parsed(cycle.criteria_set)
    final_level = (cycle.final_result.get("level") or {}).get("code") if cycle.final_result else None
    if final_level is None:
        raise ValidationError({"level_code": "Kết quả thẩm định chưa đạt mức nào nên không thể công nhận."})
    codes = [lv.code for lv in cs.levels]
    if level_code not in codes:
        raise ValidationError({"level_code": f"Mức «{level_code}» không có trong bộ tiêu chí."})
    if codes.index(level_code) > codes.index(final_level):
        raise ValidationError(
            {"level_code": "Mức công nhận không được cao hơn mức đạt theo kết quả thẩm định."}
        )
    if not decision_number.strip():
        raise ValidationError({"decision_number": "Ghi số quyết định công nhận."})
    if not signer.strip():
        raise ValidationError({"signer": "Ghi người ký quyết định."})
    level = cs.levels[codes.index(level_code)]
    recognition = Recognition(
        unit=cycle.unit,
        cycle=cycle,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        signer=signer.strip(),
        level_code=level.code,
        level_name=level.name,
        recognised_by=actor,
    )
    if upload is not None:
        _store_decision_file(recognition, upload)
    recognition.save()
    audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=recognition)
    old = cycle.status
    cycle.status = Cycle.Status.RECOGNISED
    cycle.version += 1
    cycle.save()
    audit.record_transition(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=cycle,
        field="status",
        old=old,
        new=cycle.status,
        note=f"Quyết định {recognition.decision_number} ngày {decision_date:%d/%m/%Y}: {level.name}",
    )
    _notify(
        users_with_roles(cycle.unit, [Role.UNIT_LEADER, Role.COORDINATOR]),
        key=f"assessments:recognised:{cycle.pk}",
        title=f"{cycle.unit.full_name} được công nhận {level.name} năm {cycle.year}",
        body=f"Quyết định {recognition.decision_number} ngày {decision_date:%d/%m/%Y}.",
        url=_link(cycle),
        unit=cycle.unit,
    )
    return recognition


# ----------------------------------------------------------------------------------- city figures


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
    actor: Any,
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
def import_city_figures(*, actor: Any, city: Unit, data: bytes, filename: str) -> ImportResult:
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


__all__ = [
    "accept_measured",
    "add_criteria_set",
    "adopt_late_figure",
    "appraise_criterion",
    "assign_criterion",
    "assign_many",
    "attach_evidence",
    "decide_registration",
    "default_deadlines",
    "detach_evidence",
    "edit_criteria_set",
    "finish_appraisal",
    "import_city_figures",
    "import_criteria_set",
    "import_criteria_set_yaml",
    "load_template",
    "open_cycle",
    "open_cycles",
    "override_measured",
    "propose_score",
    "recognise",
    "register_target",
    "return_cycle",
    "save_city_figure",
    "save_score",
    "settle_score",
    "submit_cycle",
    "switch_criteria_set",
    "update_deadlines",
]
