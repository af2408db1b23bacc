"""Writes of the signing requests: request, update, decide."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.notifications.services import notify_once
from friendlygov.operations import permissions as perms
from friendlygov.operations.models import SignatureRequest
from friendlygov.org.access import Actor, users_with_roles
from friendlygov.org.models import Role, Unit
from friendlygov.signatures import selectors as signature_selectors
from friendlygov.signatures.permissions import signing_request_permissions

from .common import (
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
)


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
    *, actor: Actor, unit: Unit, upload: UploadedFile | None = None, **fields: Any
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
    actor: Actor,
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
    actor: Actor,
    request: SignatureRequest,
    decision: str,
    expected_version: int | None,
    signed_on: dt.date | None = None,
    reason: str = "",
) -> SignatureRequest:
    """The leader marks a waiting document signed (with the date) or returns it (with the reason)."""
    unit = request.unit
    signing_request_permissions(actor, request).require()
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
