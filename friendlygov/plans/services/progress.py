"""Writes of doing the work: an occurrence's status and progress, its evidence, contributions, returning it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.evidence.services import store_evidence
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.notifications.services import notify_once
from friendlygov.org import access
from friendlygov.org.access import Actor
from friendlygov.org.models import Body, Role
from friendlygov.plans.models import Contribution, Occurrence, OccurrenceEvidence, local_today
from friendlygov.plans.permissions import (
    RETURNABLE,
    OccurrencePermissions,
    Standing,
    occurrence_permissions,
)

from .common import _bump, _require_current, _url


def _lock(occurrence: Occurrence) -> Occurrence:
    return (
        Occurrence.objects.select_related("task__plan__unit", "task__lead_body", "unit")
        .filter(pk=occurrence.pk)
        .get()
    )


def _validate_status(perms: OccurrencePermissions, occurrence: Occurrence, status: str, percent: Any) -> int:
    if status not in Occurrence.Status.values:
        raise ValidationError({"status": _("Trạng thái «%(s)s» không hợp lệ.") % {"s": status}})
    if status == Occurrence.Status.CANCELLED and not perms.coordinates:
        raise ValidationError(
            {"status": _("Chỉ đầu mối chương trình (Phòng VH-XH) được hủy một hạn công việc.")}
        )
    if status == Occurrence.Status.IN_PROGRESS:
        if percent in (None, ""):
            return 50
        try:
            value = int(str(percent).strip().rstrip("%"))
        except ValueError:
            raise ValidationError({"percent": _("Tiến độ phải là số phần trăm từ 1 đến 99.")}) from None
        if not 1 <= value <= 99:
            raise ValidationError(
                {
                    "percent": _(
                        "Đang thực hiện: tiến độ từ 1%% đến 99%% (0%% là chưa thực hiện, 100%% là hoàn thành)."
                    )
                    % {}
                }
            )
        return value
    if status == Occurrence.Status.NOT_STARTED:
        return 0
    if status == Occurrence.Status.DONE:
        return 100
    return occurrence.percent


@transaction.atomic
def update_occurrence(
    *,
    actor: Actor,
    occurrence: Occurrence,
    expected_version: int | None,
    status: str,
    percent: int | str | None = None,
    note: str | None = None,
    upload: UploadedFile | None = None,
    effective_date: dt.date | None = None,
    evidence_title: str = "",
) -> Occurrence:
    """The lead body reports: status (percent 0 / its own 1–99, default 50 / 100), a note, and optionally
    an evidence file with its effective date."""
    occurrence = _lock(occurrence)
    perms = occurrence_permissions(actor, occurrence)
    perms.require(Standing.LEAD)
    _check_version(occurrence, expected_version)
    _require_current(occurrence.task.plan)
    value = _validate_status(perms, occurrence, status, percent)
    before = audit.snapshot(occurrence, ["status", "percent", "note", "returned_reason"])
    _bump(Occurrence, occurrence.pk, expected_version)
    occurrence.version += 1
    was_done = occurrence.status == Occurrence.Status.DONE
    occurrence.status = status
    occurrence.percent = value
    if status != Occurrence.Status.DONE:
        occurrence.done_on = None
    elif upload is not None and effective_date is not None:
        occurrence.done_on = effective_date  # the day on the evidence (signed, held…)
    elif not was_done or occurrence.done_on is None:
        occurrence.done_on = local_today()
    occurrence.from_events = False  # reported by hand from now on
    if note is not None:
        occurrence.note = note.strip()
    occurrence.returned_reason = ""
    occurrence.updated_by = actor
    occurrence.updated_at = timezone.now()
    occurrence.save(
        update_fields=[
            "status",
            "percent",
            "done_on",
            "from_events",
            "note",
            "returned_reason",
            "updated_by",
            "updated_at",
        ]
    )
    if upload is not None:
        _attach_evidence(actor, occurrence, upload, effective_date, evidence_title)
    audit.record_update(actor=actor, unit_id=occurrence.unit_id, obj=occurrence, before=before)
    return occurrence


def _attach_evidence(
    actor: Actor, occurrence: Occurrence, upload: UploadedFile, effective_date: dt.date | None, title: str
) -> OccurrenceEvidence:
    if effective_date is None:
        raise ValidationError(
            {"effective_date": _("Hãy ghi ngày hiệu lực của minh chứng (ngày ký, ngày tổ chức…).")}
        )
    evidence = store_evidence(
        actor=actor,
        unit=occurrence.unit,
        upload=upload,
        effective_date=effective_date,
        body=occurrence.task.lead_body,
        title=title or f"Nhiệm vụ {occurrence.task.number} — {occurrence.period_label_vi}",
    )
    return OccurrenceEvidence.objects.create(occurrence=occurrence, evidence=evidence, added_by=actor)


@transaction.atomic
def add_occurrence_evidence(
    *,
    actor: Actor,
    occurrence: Occurrence,
    upload: UploadedFile,
    effective_date: dt.date | None,
    title: str = "",
) -> OccurrenceEvidence:
    occurrence = _lock(occurrence)
    occurrence_permissions(actor, occurrence).require(Standing.LEAD)
    link = _attach_evidence(actor, occurrence, upload, effective_date, title)
    audit.record(
        actor=actor,
        unit_id=occurrence.unit_id,
        action="update",
        obj=occurrence,
        note=f"thêm minh chứng «{link.evidence}»",
    )
    return link


@transaction.atomic
def add_contribution(
    *,
    actor: Actor,
    occurrence: Occurrence,
    body: Body,
    note: str,
    upload: UploadedFile | None = None,
    effective_date: dt.date | None = None,
) -> Contribution:
    occurrence = _lock(occurrence)
    perms = occurrence_permissions(actor, occurrence)
    if not perms.reads or body.unit_id != occurrence.unit_id:
        raise Http404
    perms.require(Standing.CONTRIBUTE)
    if body not in perms.contribution_bodies:
        raise PermissionDenied
    _require_current(occurrence.task.plan)
    if not note.strip():
        raise ValidationError({"note": _("Hãy ghi nội dung đã phối hợp thực hiện.")})
    evidence = None
    if upload is not None:
        if effective_date is None:
            raise ValidationError({"effective_date": _("Hãy ghi ngày hiệu lực của minh chứng.")})
        evidence = store_evidence(
            actor=actor,
            unit=occurrence.unit,
            upload=upload,
            effective_date=effective_date,
            body=body,
            title=f"Phối hợp nhiệm vụ {occurrence.task.number} — {body.name}",
        )
    contribution = Contribution.objects.create(
        occurrence=occurrence, body=body, note=note.strip(), evidence=evidence, created_by=actor
    )
    audit.record_create(actor=actor, unit_id=occurrence.unit_id, obj=contribution)
    return contribution


def lead_people(occurrence: Occurrence) -> list[Any]:
    """Who answers for an occurrence: the lead body's members (and coordinators), or the unit's
    coordinators when the lead body is not one of the unit's bodies or has nobody."""
    unit = occurrence.unit
    lead = occurrence.task.lead_body
    people: list[Any] = []
    if lead is not None:
        people = list(access.users_with_roles(unit, [Role.BODY_MEMBER, Role.COORDINATOR], body=lead))
    if not people:
        people = list(access.users_with_roles(unit, [Role.COORDINATOR]))
    return people


@transaction.atomic
def return_occurrence(
    *, actor: Actor, occurrence: Occurrence, expected_version: int | None, reason: str
) -> Occurrence:
    """The coordinator sends an update back for more work, with a reason; the lead body is notified."""
    occurrence = _lock(occurrence)
    occurrence_permissions(actor, occurrence).require(Standing.COORDINATE)
    _check_version(occurrence, expected_version)
    if occurrence.status not in RETURNABLE:
        raise ValidationError(
            {"reason": _("Chỉ trả lại được công việc đã báo cáo (đang thực hiện hoặc hoàn thành).")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại để cơ quan chủ trì bổ sung.")})
    old_status = occurrence.status
    _bump(Occurrence, occurrence.pk, expected_version)
    occurrence.version += 1
    occurrence.status = Occurrence.Status.IN_PROGRESS
    if occurrence.percent >= 100 or occurrence.percent < 1:
        occurrence.percent = 50
    occurrence.returned_reason = reason.strip()
    occurrence.returned_at = timezone.now()
    occurrence.returned_by = actor
    occurrence.save(update_fields=["status", "percent", "returned_reason", "returned_at", "returned_by"])
    audit.record_transition(
        actor=actor,
        unit_id=occurrence.unit_id,
        obj=occurrence,
        field="status",
        old=old_status,
        new=occurrence.status,
        note=f"trả lại: {occurrence.returned_reason}",
    )
    url = _url("plans:occurrence_detail", slug=occurrence.unit.slug, pk=occurrence.pk)
    title = f"Trả lại để bổ sung: nhiệm vụ {occurrence.task.number} — {occurrence.period_label_vi}"
    body = f"Lý do: {occurrence.returned_reason}"
    for person in lead_people(occurrence):
        if person.pk == getattr(actor, "pk", None):
            continue
        notify_once(
            user=person,
            dedupe_key=f"return:{occurrence.pk}:{occurrence.version}:{person.pk}",
            title=title,
            body=body,
            url=url,
            unit=occurrence.unit,
            email=True,
        )
    return occurrence
