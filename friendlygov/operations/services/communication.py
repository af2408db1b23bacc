"""Writes of the communication register: activities and their files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.operations import permissions as perms
from friendlygov.operations.models import ActivityFile, CommunicationActivity, CommunicationKind
from friendlygov.org.access import Actor, Capability, require
from friendlygov.org.models import Unit
from friendlygov.plans import services as plan_services

from .common import (
    _amount,
    _check_upload,
    _choice,
    _create,
    _date,
    _gather,
    _lock,
    _own_body,
    _own_task,
    _save_update,
    _store,
    _text,
    criterion_code,
)

IMAGE_OR_PDF = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


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
    actor: Actor, activity: CommunicationActivity, uploads: Sequence[UploadedFile]
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
    *, actor: Actor, unit: Unit, uploads: Sequence[UploadedFile] = (), **fields: Any
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


def _activity_event(actor: Actor, activity: CommunicationActivity) -> None:
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
    actor: Actor,
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
def remove_activity_file(*, actor: Actor, activity: CommunicationActivity, file_id: int) -> None:
    perms.require_that(actor, activity.unit, perms.may_record_for(actor, activity.unit, activity.body))
    link = ActivityFile.objects.filter(activity=activity, pk=file_id).first()
    if link is None:
        raise ValidationError({"photos": _("Không tìm thấy tệp của hoạt động này.")})
    audit.record_delete(
        actor=actor, unit_id=activity.unit_id, obj=link, note=f"gỡ tệp «{link.evidence}» khỏi hoạt động"
    )
    link.delete()
