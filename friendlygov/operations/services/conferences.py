"""Writes of the conference register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.operations import permissions as perms
from friendlygov.operations.models import Conference
from friendlygov.org.access import Actor
from friendlygov.org.models import Unit

from .common import _check_upload, _choice, _create, _date, _lock, _save_update, _store, _text, _today


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
def schedule_conference(*, actor: Actor, unit: Unit, **fields: Any) -> Conference:
    """Schedule a conference (title, review, held_on, start_time, place, chair, attendees, note)."""
    perms.require_that(actor, unit, perms.may_organise(actor, unit))
    return _create(actor, Conference(unit=unit, created_by=actor, **_conference_fields(unit, fields)))


@transaction.atomic
def update_conference(
    *,
    actor: Actor,
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
