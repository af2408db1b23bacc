"""Public writes: a citizen submits, rates, reopens; staff record feedback received by other channels."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext

from friendlygov.audit import services as audit
from friendlygov.audit.models import AuditEvent
from friendlygov.feedback.models import (
    STAFF_CHANNELS,
    Channel,
    Feedback,
    FeedbackContact,
    FeedbackEvent,
    StateType,
)
from friendlygov.feedback.permissions import Standing, feedback_unit_permissions
from friendlygov.feedback.services.common import (
    _PHONE_CHARS,
    TOPIC_LIMITS,
    AlreadyRecorded,
    _event,
    _lock,
    _notify,
    _now,
    _search_text,
    _today,
    _url,
    consent_text,
    render_template,
)
from friendlygov.feedback.services.states import default_state, settings_for
from friendlygov.feedback.tracking import new_code
from friendlygov.kit.entry_keys import read_entry_key
from friendlygov.org.access import Actor
from friendlygov.org.models import Body, Role, Unit
from friendlygov.tallies.services import feedback_kept

# ---------------------------------------------------------------- public: submit, rate, reopen


@dataclass(frozen=True)
class ContactInput:
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    def cleaned(self) -> ContactInput:
        return ContactInput(*(value.strip() for value in (self.name, self.phone, self.email, self.address)))

    @property
    def is_empty(self) -> bool:
        return not any((self.name.strip(), self.phone.strip(), self.email.strip(), self.address.strip()))


def feedback_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The citizen's words, contact and consent as :func:`submit_feedback` and :func:`record_feedback`
    take them, from a form's cleaned data or an API payload (both use the same field names)."""
    return {
        "topic": data["topic"],
        "subject": data["subject"],
        "content": data["content"],
        "procedure_ref": data["procedure_ref"],
        "contact": ContactInput(
            name=data["contact_name"],
            phone=data["contact_phone"],
            email=data["contact_email"],
            address=data["contact_address"],
        ),
        "consent": data["consent"],
    }


def _validate_text(field: str, value: str, label: str) -> str:
    value = (value or "").strip()
    low, high = TOPIC_LIMITS[field]
    if len(value) < low:
        raise ValidationError({field: f"{label} cần ít nhất {low} ký tự."})
    if len(value) > high:
        raise ValidationError({field: f"{label} dài quá {high} ký tự."})
    return value


def _validate_contact(contact: ContactInput) -> ContactInput:
    contact = contact.cleaned()
    errors: dict[str, str] = {}
    if len(contact.name) > 200:
        errors["contact_name"] = "Họ và tên dài quá 200 ký tự."
    if contact.phone:
        digits = re.sub(r"\D", "", contact.phone)
        if not _PHONE_CHARS.match(contact.phone) or not 8 <= len(digits) <= 15:
            errors["contact_phone"] = (
                "Số điện thoại chỉ gồm chữ số (8–15 số), có thể có dấu cách, dấu chấm, dấu gạch."
            )
    if contact.email:
        try:
            validate_email(contact.email)
        except ValidationError:
            errors["contact_email"] = "Địa chỉ thư điện tử không hợp lệ."
    if len(contact.address) > 300:
        errors["contact_address"] = "Địa chỉ dài quá 300 ký tự."
    if errors:
        raise ValidationError(errors)
    return contact


def public_unit(slug: str) -> Unit:
    """A commune-level unit that accepts feedback on its public page; 404 otherwise."""
    unit = Unit.objects.select_related("parent").filter(slug=slug, is_active=True).first()
    if unit is None or unit.is_city:
        raise Http404
    return unit


@transaction.atomic
def submit_feedback(
    *,
    unit: Unit,
    topic: str,
    subject: str,
    content: str,
    procedure_ref: str = "",
    contact: ContactInput | None = None,
    consent: bool = False,
    channel: str = Channel.WEB,
    about_body: Body | None = None,
) -> Feedback:
    """A citizen's feedback, from the public page or the public API (no account). ``about_body``: the
    body the citizen complains about, if they name one (it will not be given the item to handle)."""
    if unit.is_city or not unit.is_active:
        raise Http404
    return _create_feedback(
        unit=unit,
        topic=topic,
        subject=subject,
        content=content,
        procedure_ref=procedure_ref,
        contact=contact,
        consent=consent,
        channel=channel,
        about_body=about_body,
        received_on=_today(),
        actor=None,
        note="người dân gửi phản ánh",
        consent_message=gettext(
            "Để gửi kèm thông tin liên hệ, ông/bà cần đánh dấu đồng ý; hoặc xóa thông tin liên hệ để gửi ẩn danh."
        ),
    )


#: How far back staff may date feedback they type in (a letter found late still counts, within reason).
RECORD_MAX_AGE_DAYS = 90


@transaction.atomic
def record_feedback(
    *,
    actor: Actor,
    unit: Unit,
    channel: str,
    received_on: dt.date,
    topic: str,
    subject: str,
    content: str,
    procedure_ref: str = "",
    contact: ContactInput | None = None,
    consent: bool = False,
    about_body: Body | None = None,
    entry_key: str = "",
) -> Feedback:
    """Feedback the unit received on paper, by phone, in person or at a meeting, typed in by the
    programme coordinator. It follows the same path as online feedback (tracking code, states, deadlines);
    the deadlines count from the day it was received, which may be earlier than today.

    ``entry_key`` identifies the entry form (a hidden field made when it is shown; an API client's
    ``Idempotency-Key``): a post repeating a stored form's key stores nothing and raises
    :class:`AlreadyRecorded` with the first post's item — also when both arrive at once."""
    feedback_unit_permissions(actor, unit).require(Standing.COORDINATE)
    if unit.is_city:
        raise Http404
    key = read_entry_key(entry_key)
    earlier = Feedback.objects.filter(unit=unit, entry_key=key).first() if key else None
    if earlier is not None:
        raise AlreadyRecorded(earlier)
    if channel not in STAFF_CHANNELS:
        raise ValidationError(
            {"channel": "Hãy chọn kênh tiếp nhận: đơn thư, điện thoại, trực tiếp hoặc hội nghị."}
        )
    today = _today()
    if received_on > today:
        raise ValidationError({"received_on": "Ngày tiếp nhận không được sau hôm nay."})
    if received_on < today - dt.timedelta(days=RECORD_MAX_AGE_DAYS):
        raise ValidationError(
            {
                "received_on": f"Ngày tiếp nhận quá {RECORD_MAX_AGE_DAYS} ngày trước; hãy kiểm tra lại ngày trên đơn."
            }
        )
    return _create_feedback(
        unit=unit,
        topic=topic,
        subject=subject,
        content=content,
        procedure_ref=procedure_ref,
        contact=contact,
        consent=consent,
        channel=channel,
        about_body=about_body,
        entry_key=key,
        received_on=received_on,
        actor=actor,
        note=f"nhập phản ánh nhận qua kênh «{Channel(channel).label}»",
        consent_message=gettext(
            "Chỉ lưu thông tin liên hệ khi người dân đồng ý: đánh dấu ô đồng ý, hoặc xóa thông tin liên hệ."
        ),
    )


def _create_feedback(
    *,
    unit: Unit,
    topic: str,
    subject: str,
    content: str,
    procedure_ref: str,
    contact: ContactInput | None,
    consent: bool,
    channel: str,
    received_on: dt.date,
    actor: Actor | None,  # None: a citizen through the public form
    note: str,
    consent_message: str,
    about_body: Body | None = None,
    entry_key: str | None = None,
) -> Feedback:
    """The one way a feedback item comes to exist: checked, coded, its contact kept apart, the first
    event, the audit record and the coordinators notified."""
    if topic not in Feedback.Topic.values:
        raise ValidationError({"topic": "Hãy chọn nội dung phản ánh về vấn đề gì."})
    if about_body is not None and (about_body.unit_id != unit.pk or not about_body.is_active):
        raise ValidationError({"about_body": "Cơ quan, bộ phận bị phản ánh phải là một cơ quan của đơn vị."})
    subject = _validate_text("subject", subject, "Tiêu đề")
    content = _validate_text("content", content, "Nội dung")
    procedure_ref = (procedure_ref or "").strip()
    if len(procedure_ref) > 200:
        raise ValidationError({"procedure_ref": "Thủ tục, số hồ sơ liên quan dài quá 200 ký tự."})
    details = _validate_contact(contact) if contact is not None and not contact.is_empty else None
    if details is not None and not consent:
        raise ValidationError({"consent": consent_message})
    state = default_state(unit, StateType.OPEN)
    feedback = Feedback(
        unit=unit,
        topic=topic,
        subject=subject,
        content=content,
        procedure_ref=procedure_ref,
        state=state,
        channel=channel,
        received_on=received_on,
        about_body=about_body,
        entry_key=entry_key,
    )
    feedback.search_text = _search_text(feedback)
    for _attempt in range(5):
        feedback.code = new_code()
        try:
            with transaction.atomic():
                feedback.save()
            break
        except IntegrityError:
            feedback.pk = None
            earlier = Feedback.objects.filter(unit=unit, entry_key=entry_key).first() if entry_key else None
            if earlier is not None:  # a simultaneous post of the same form stored it first
                raise AlreadyRecorded(earlier) from None
    else:  # pragma: no cover - 5 collisions in 8·10^14 codes
        raise ValidationError("Không tạo được mã tra cứu, vui lòng gửi lại.")
    if details is not None:
        retention = settings_for(unit).retention_days
        FeedbackContact.objects.create(
            feedback=feedback,
            unit=unit,
            name=details.name,
            phone=details.phone,
            email=details.email,
            address=details.address,
            consent_text=consent_text(unit, retention),
            consented_at=_now(),
        )
    _event(
        feedback,
        FeedbackEvent.Kind.SUBMITTED,
        actor=actor,
        to_type=state.type,
        state_name=state.name,
        message=render_template(state.reply_template, feedback=feedback),
    )
    with feedback_kept() as kept:
        kept.append(feedback.pk)
    audit.record(
        actor=actor,
        unit_id=unit.pk,
        action=AuditEvent.Action.CREATE,
        obj=feedback,
        changes={
            "code": [None, feedback.code],
            "topic": [None, topic],
            "subject": [None, subject],
            "channel": [None, channel],
            "received_on": [None, received_on.isoformat()],
            "has_contact": [None, details is not None],
            **({"about_body": [None, about_body.name]} if about_body is not None else {}),
        },
        note=note,
    )
    from friendlygov.org.access import users_with_roles

    coordinators = [user for user in users_with_roles(unit, [Role.COORDINATOR]) if user != actor]
    url = _url(feedback)
    _notify(
        coordinators,
        key=f"feedback:{feedback.pk}:new",
        title=f"Phản ánh mới {feedback.code_display}: {subject[:120]}",
        body="Có phản ánh, kiến nghị mới. Hãy phân loại và giao xử lý.",
        url=url,
        unit=unit,
    )
    return feedback


def _answered(feedback: Feedback) -> bool:
    return feedback.state.type in (StateType.ANSWERED, StateType.CLOSED) and bool(feedback.answer)


def can_rate(feedback: Feedback) -> bool:
    if not _answered(feedback):
        return False
    return feedback.rated_at is None or (
        feedback.answered_at is not None and feedback.rated_at < feedback.answered_at
    )


def can_reopen(feedback: Feedback) -> bool:
    return feedback.state.type in (StateType.ANSWERED, StateType.CLOSED) and feedback.reopen_count == 0


@transaction.atomic
def rate_feedback(
    *, feedback: Feedback, rating: int | None = None, satisfied: bool | None = None
) -> Feedback:
    """The citizen's rating of the answer: 1–5 (4–5 = satisfied) or just satisfied yes/no; once per answer."""
    with feedback_kept(feedback.pk):
        feedback = _lock(feedback)
        if not can_rate(feedback):
            raise ValidationError(
                "Phản ánh này chưa có câu trả lời để đánh giá, hoặc ông/bà đã đánh giá câu trả lời này."
            )
        if rating is not None:
            if not 1 <= int(rating) <= 5:
                raise ValidationError(
                    {"rating": "Mức đánh giá từ 1 (rất không hài lòng) đến 5 (rất hài lòng)."}
                )
            satisfied = int(rating) >= 4
        elif satisfied is None:
            raise ValidationError({"rating": "Hãy chọn mức độ hài lòng."})
        before = audit.snapshot(feedback, ["rating", "satisfied"])
        feedback.rating = int(rating) if rating is not None else None
        feedback.satisfied = bool(satisfied)
        feedback.rated_at = _now()
        feedback.version += 1
        feedback.save()
        label = (
            f"{feedback.rating}/5"
            if feedback.rating
            else ("hài lòng" if feedback.satisfied else "không hài lòng")
        )
        _event(feedback, FeedbackEvent.Kind.RATING, note=f"Đánh giá: {label}")
        audit.record_update(
            actor=None,
            unit_id=feedback.unit_id,
            obj=feedback,
            before=before,
            note="người dân đánh giá câu trả lời",
        )
        return feedback


@transaction.atomic
def reopen_feedback(*, feedback: Feedback, reason: str) -> Feedback:
    """The citizen reopens an answered item once; handling starts again (a new 15-working-day cycle)."""
    with feedback_kept(feedback.pk):
        feedback = _lock(feedback)
        if not can_reopen(feedback):
            raise ValidationError("Phản ánh chỉ được mở lại một lần, sau khi đã có câu trả lời.")
        reason = (reason or "").strip()
        if len(reason) < 10:
            raise ValidationError({"reason": "Hãy cho biết lý do mở lại (ít nhất 10 ký tự)."})
        if len(reason) > 2000:
            raise ValidationError({"reason": "Lý do dài quá 2000 ký tự."})
        state = default_state(feedback.unit, StateType.OPEN)
        old_type = feedback.state.type
        feedback.state = state
        feedback.reopen_count += 1
        feedback.resolved_at = None
        feedback.version += 1
        feedback.save()
        _event(
            feedback,
            FeedbackEvent.Kind.REOPEN,
            from_type=old_type,
            to_type=state.type,
            state_name=state.name,
            message="Ông/bà đã mở lại phản ánh. Phản ánh được xem xét lại trong thời hạn 15 ngày làm việc.",
            note=f"Lý do mở lại: {reason}",
        )
        audit.record_transition(
            actor=None,
            unit_id=feedback.unit_id,
            obj=feedback,
            field="state",
            old=old_type,
            new=state.type,
            note="người dân mở lại phản ánh",
        )
        from friendlygov.org.access import users_with_roles

        handlers = list(users_with_roles(feedback.unit, [Role.COORDINATOR]))
        url = _url(feedback)
        _notify(
            handlers,
            key=f"feedback:{feedback.pk}:reopen",
            title=f"Người dân mở lại phản ánh {feedback.code_display}",
            body=reason[:500],
            url=url,
            unit=feedback.unit,
        )
        return feedback
