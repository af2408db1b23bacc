"""Step 3, scoring: assignments, scores and evidence, measured figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import Assignment, Cycle, ScoreEntry, ScoreEvidence
from friendlygov.assessments.permissions import Standing, criterion_permissions
from friendlygov.assessments.sources import measured_value, read_source
from friendlygov.audit import services as audit
from friendlygov.evidence.models import EvidenceFile
from friendlygov.evidence.services import store_evidence
from friendlygov.org.access import Actor, Capability, require, users_with_roles
from friendlygov.org.models import Body, Role
from friendlygov.rules.scoring import Criterion

from .common import _check_version, _ensure_editable, _link, _node, _notify, _scorable, _value_text


def _worker_body(actor: Actor, cycle: Cycle, code: str) -> Body | None:
    """The body that scores the criterion, once the actor is known to work on it (the assigned body's
    member, or the coordinator): the same answer the criterion page used to offer the action."""
    perms = criterion_permissions(actor, cycle, code)
    perms.require(Standing.WORK)
    return perms.body


@transaction.atomic
def assign_criterion(
    *,
    actor: Actor,
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
    actor: Actor,
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


@transaction.atomic
def save_score(
    *,
    actor: Actor,
    cycle: Cycle,
    criterion_code: str,
    value: str,
    explanation: str = "",
    ticked: Sequence[int] | None = None,
    expected_version: int | None = None,
) -> ScoreEntry:
    """A body (the one the criterion is assigned to; the coordinator for any) enters its self-assessed
    value in the contract's syntax; an empty value clears it."""
    body = _worker_body(actor, cycle, criterion_code)
    cs = crit.parsed(cycle.criteria_set)
    node = _scorable(cs, criterion_code)
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


def _measured_leaf(actor: Actor, cycle: Cycle, criterion_code: str) -> tuple[Cycle, Criterion, Body | None]:
    """The locked open cycle, the source criterion and its body, for a scorer who may score it."""
    body = _worker_body(actor, cycle, criterion_code)
    cs = crit.parsed(cycle.criteria_set)
    node = _scorable(cs, criterion_code, allow_source=True)
    if not isinstance(node, Criterion) or not node.source:
        raise ValidationError(
            {
                "criterion_code": f"Tiêu chí {criterion_code} không lấy giá trị từ số liệu đo được; hãy chấm trực tiếp."
            }
        )
    cycle = Cycle.objects.select_for_update().select_related("unit", "criteria_set").get(pk=cycle.pk)
    _ensure_editable(cycle)
    return cycle, node, body


def _measured_entry(
    actor: Actor,
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
    *, actor: Actor, cycle: Cycle, criterion_code: str, expected_version: int | None = None
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
    actor: Actor,
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


def _entry_for_evidence(actor: Actor, cycle: Cycle, criterion_code: str) -> tuple[ScoreEntry, Body | None]:
    body = _worker_body(actor, cycle, criterion_code)
    cs = crit.parsed(cycle.criteria_set)
    _scorable(cs, criterion_code, allow_source=True)
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
    actor: Actor,
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
    actor: Actor,
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
def detach_evidence(*, actor: Actor, link: ScoreEvidence) -> ScoreEvidence:
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
