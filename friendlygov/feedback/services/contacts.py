"""Citizens' contact details (personal data): viewing, requests to see or erase them, expiry."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from friendlygov.audit import services as audit
from friendlygov.audit.models import AuditEvent
from friendlygov.feedback.models import (
    DEFAULT_RETENTION_DAYS,
    RESOLVED_TYPES,
    ContactRequest,
    Feedback,
    FeedbackContact,
    FeedbackEvent,
    FeedbackSettings,
)
from friendlygov.feedback.permissions import Standing, feedback_permissions, feedback_unit_permissions
from friendlygov.feedback.services.common import _event, _now, _today
from friendlygov.org.access import Actor
from friendlygov.org.models import Unit

# ---------------------------------------------------------------- personal data


@transaction.atomic
def view_contact(*, actor: Actor, feedback: Feedback, purpose: str = "") -> FeedbackContact | None:
    """The citizen's contact details for a handler; every view is logged ("view_personal")."""
    feedback_permissions(actor, feedback).require(Standing.HANDLE)  # may_view_contact: the handlers
    contact = FeedbackContact.objects.filter(feedback=feedback).first()
    audit.record(
        actor=actor,
        unit_id=feedback.unit_id,
        action=AuditEvent.Action.VIEW_PERSONAL,
        obj=feedback,
        note=("xem thông tin liên hệ của người phản ánh" + (f" — {purpose}" if purpose else ""))
        if contact is not None
        else "mở thông tin liên hệ (không còn lưu)",
    )
    return contact


def _erase(actor: Actor | None, feedback: Feedback, reason: str, note: str) -> bool:
    deleted, _ = FeedbackContact.objects.filter(feedback=feedback).delete()
    if not deleted:
        return False
    Feedback.objects.filter(pk=feedback.pk).update(contact_erased_at=_now(), contact_erased_reason=reason)
    feedback.contact_erased_at, feedback.contact_erased_reason = _now(), reason
    _event(
        feedback,
        FeedbackEvent.Kind.CONTACT_ERASED,
        actor=actor,
        note=note,
        actor_label=None if actor is not None else "hệ thống",
    )
    audit.record(
        actor=actor,
        unit_id=feedback.unit_id,
        action=AuditEvent.Action.DELETE,
        object_type=FeedbackContact._meta.label_lower,
        object_id=feedback.pk,
        object_repr=f"Thông tin liên hệ — {feedback}",
        note=note,
    )
    return True


def _normal_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("84") and len(digits) > 9:
        digits = "0" + digits[2:]
    return digits


def contact_matches(contact: FeedbackContact, verification: str) -> bool:
    """Whether what the citizen says they gave (a phone number or an e-mail address) matches."""
    given = (verification or "").strip()
    if not given:
        return False
    if "@" in given:
        return bool(contact.email) and contact.email.strip().lower() == given.lower()
    phone = _normal_phone(given)
    return len(phone) >= 8 and phone == _normal_phone(contact.phone)


@dataclass
class ContactRequestResult:
    request: ContactRequest
    contact: FeedbackContact | None  # shown to the staff member for the citizen when access was granted


@transaction.atomic
def handle_contact_request(
    *, actor: Actor, unit: Unit, code: str, verification: str, kind: str, note: str = ""
) -> ContactRequestResult:
    """Carry out a citizen's request to see or erase their contact details, identified by the tracking
    code and the contact they gave. Recorded whatever the outcome; only the coordinator does this."""
    from friendlygov.feedback.tracking import normalize_code

    feedback_unit_permissions(actor, unit).require(Standing.COORDINATE)
    if kind not in ContactRequest.Kind.values:
        raise ValidationError({"kind": "Hãy chọn loại yêu cầu."})
    normal = normalize_code(code)
    feedback = (
        Feedback.objects.filter(unit=unit, code=normal).select_related("unit").first() if normal else None
    )
    if feedback is None:
        raise ValidationError({"code": "Không có phản ánh nào của đơn vị với mã tra cứu này."})
    contact = FeedbackContact.objects.filter(feedback=feedback).first()
    if contact is None:
        outcome = ContactRequest.Outcome.NO_DATA
    elif not contact_matches(contact, verification):
        outcome = ContactRequest.Outcome.NOT_MATCHED
    else:
        outcome = ContactRequest.Outcome.DONE
    request = ContactRequest.objects.create(
        unit=unit,
        feedback=feedback,
        kind=kind,
        outcome=outcome,
        note=(note or "").strip()[:300],
        handled_by=actor,
    )
    audit.record_create(
        actor=actor,
        unit_id=unit.pk,
        obj=request,
        note=f"yêu cầu của người dân về dữ liệu cá nhân: {request.get_outcome_display().lower()}",
    )
    shown = None
    if outcome == ContactRequest.Outcome.DONE:
        if kind == ContactRequest.Kind.ACCESS:
            audit.record(
                actor=actor,
                unit_id=unit.pk,
                action=AuditEvent.Action.VIEW_PERSONAL,
                obj=feedback,
                note="cung cấp thông tin liên hệ theo yêu cầu của chính người dân",
            )
            shown = contact
        else:
            _erase(actor, feedback, "request", "xóa thông tin liên hệ theo yêu cầu của người dân")
    return ContactRequestResult(request=request, contact=shown)


@transaction.atomic
def purge_expired_contacts(*, today: dt.date | None = None, dry_run: bool = False) -> int:
    """Erase the contact details of items resolved longer ago than their unit's retention period.
    Safe to run repeatedly (from `friendlygov feedback-purge` or a daily job). Returns how many."""
    today = today or _today()
    retention = dict(FeedbackSettings.objects.values_list("unit_id", "retention_days"))
    earliest = min([DEFAULT_RETENTION_DAYS, *retention.values()])
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=earliest - 1), dt.time.min))
    candidates = FeedbackContact.objects.filter(
        feedback__resolved_at__isnull=False, feedback__resolved_at__lt=cutoff
    ).select_related("feedback__unit", "feedback__state")
    erased = 0
    for contact in candidates:
        feedback = contact.feedback
        if feedback.state.type not in RESOLVED_TYPES or feedback.resolved_at is None:
            continue
        days = retention.get(feedback.unit_id, DEFAULT_RETENTION_DAYS)
        if timezone.localtime(feedback.resolved_at).date() + dt.timedelta(days=days) > today:
            continue
        erased += 1
        if not dry_run:
            _erase(None, feedback, "retention", f"hết thời hạn lưu {days} ngày")
    return erased
