"""Writes for citizens' feedback. Public functions (submit, rate, reopen) take no actor and check the unit
and the item's state; staff functions check `org.access`, validate, write in one transaction and record
the audit — never with a copy of the citizen's contact details."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from friendlygov.audit import services as audit
from friendlygov.audit.models import AuditEvent
from friendlygov.core.calendar import working_calendar
from friendlygov.feedback.deadlines import deadlines_for
from friendlygov.feedback.models import (
    ALLOWED_TRANSITIONS,
    DEFAULT_RETENTION_DAYS,
    PENDING_TYPES,
    RESOLVED_TYPES,
    STAFF_CHANNELS,
    AnswerApproval,
    Channel,
    ContactRequest,
    Feedback,
    FeedbackContact,
    FeedbackEvent,
    FeedbackSettings,
    FeedbackState,
    StateType,
)
from friendlygov.feedback.tracking import new_code
from friendlygov.kit.concurrency import check_version
from friendlygov.kit.entry_keys import read_entry_key
from friendlygov.org.access import Capability, can, require
from friendlygov.org.models import Body, Role, Unit
from friendlygov.rules.text import normalize_vi

# ---------------------------------------------------------------- defaults and texts

DEFAULT_STATES: list[tuple[str, str, str]] = [
    (
        StateType.OPEN,
        "Mới tiếp nhận",
        "{don_vi} đã tiếp nhận phản ánh, kiến nghị của ông/bà (mã tra cứu {ma}) và sẽ xem xét, trả lời trong "
        "thời hạn 15 ngày làm việc.",
    ),
    (
        StateType.IN_PROGRESS,
        "Đang xử lý",
        "Phản ánh, kiến nghị của ông/bà đang được xem xét, xử lý. Hạn xử lý: {han}.",
    ),
    (
        StateType.WAITING_CITIZEN,
        "Chờ người dân bổ sung",
        "Để có cơ sở xem xét, đề nghị ông/bà cung cấp thêm thông tin. Thời gian chờ ông/bà bổ sung không tính "
        "vào thời hạn xử lý.",
    ),
    (
        StateType.ANSWERED,
        "Đã trả lời",
        "{don_vi} đã trả lời phản ánh, kiến nghị của ông/bà. Trân trọng cảm ơn ông/bà.",
    ),
    (StateType.CLOSED, "Đã đóng", "Phản ánh, kiến nghị đã được giải quyết xong và kết thúc theo dõi."),
    (
        StateType.REJECTED,
        "Không tiếp nhận",
        "Phản ánh, kiến nghị không thuộc phạm vi xử lý của {don_vi} hoặc không đủ thông tin để xem xét.",
    ),
]

TOPIC_LIMITS = {"subject": (5, 200), "content": (10, 5000)}
_PHONE_CHARS = re.compile(r"^[0-9+ ().\-]{8,30}$")


class AlreadyRecorded(Exception):
    """Staff entry sent again with the key of a form already stored (a retry after a dropped connection):
    nothing was stored this time; ``feedback`` is what the first post stored."""

    def __init__(self, feedback: Feedback) -> None:
        super().__init__(f"Phản ánh đã được ghi nhận trước đó ({feedback.code_display}).")
        self.feedback = feedback


def authority(unit: Unit) -> str:
    """The commune's People's Committee as a citizen reads it: "Ủy ban nhân dân xã Thanh Miện"."""
    return f"Ủy ban nhân dân {unit.kind_prefix} {unit.name}"


def consent_text(unit: Unit, retention_days: int) -> str:
    """The consent the citizen gives with contact details (purpose, data, who, how long, rights) —
    Nghị định 13/2023/NĐ-CP; the exact text given is stored with the details."""
    return (
        f"Tôi đồng ý để {authority(unit)} xử lý thông tin liên hệ tôi cung cấp (họ và tên, số điện thoại, "
        "thư điện tử, địa chỉ) chỉ nhằm mục đích liên hệ với tôi để làm rõ và trả lời phản ánh, kiến nghị "
        "này, theo Nghị định số 13/2023/NĐ-CP ngày 17/4/2023 của Chính phủ về bảo vệ dữ liệu cá nhân. "
        "Thông tin này không được công khai; chỉ cán bộ được giao xử lý phản ánh được xem và mỗi lần xem "
        f"đều được ghi lại; thông tin được xóa sau {retention_days} ngày kể từ khi phản ánh được giải quyết "
        "xong. Tôi có quyền yêu cầu xem, sửa hoặc xóa thông tin này bằng cách liên hệ Ủy ban nhân dân và "
        "cung cấp mã tra cứu. Việc cung cấp thông tin liên hệ là tự nguyện; không cung cấp thì phản ánh "
        "vẫn được tiếp nhận."
    )


def render_template(text: str, *, feedback: Feedback, handle_by: dt.date | None = None) -> str:
    return (
        text.replace("{ma}", feedback.code_display)
        .replace("{don_vi}", authority(feedback.unit))
        .replace("{han}", handle_by.strftime("%d/%m/%Y") if handle_by else "—")
    )


# ---------------------------------------------------------------- helpers


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def _check_version(obj: Any, expected_version: int | None) -> None:
    check_version(
        obj,
        expected_version,
        message="Phản ánh này đã được người khác cập nhật trong lúc bạn đang sửa. Hãy tải lại trang để xem thay đổi.",
    )


def _lock(feedback: Feedback) -> Feedback:
    return (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("unit", "state", "body", "about_body")
        .get(pk=feedback.pk)
    )


def _actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "Người dân" if actor is None else "hệ thống"
    return str(actor.get_full_name() or actor.get_username())


def _event(
    feedback: Feedback,
    kind: str,
    *,
    actor: Any = None,
    to_type: str = "",
    from_type: str = "",
    state_name: str = "",
    message: str = "",
    note: str = "",
    actor_label: str | None = None,
) -> FeedbackEvent:
    now = _now()
    return FeedbackEvent.objects.create(
        feedback=feedback,
        kind=kind,
        at=now,
        on=timezone.localtime(now).date(),
        from_type=from_type,
        to_type=to_type,
        state_name=state_name,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=actor_label if actor_label is not None else _actor_name(actor),
        message=message,
        note=note,
    )


def _search_text(feedback: Feedback) -> str:
    return normalize_vi(" ".join([feedback.code, feedback.subject, feedback.content, feedback.procedure_ref]))


def _url(feedback: Feedback) -> str:
    return reverse("feedback:detail", kwargs={"slug": feedback.unit.slug, "pk": feedback.pk})


def _complained_about(actor: Any, feedback: Feedback) -> bool:
    """Whether the actor works in the body the item complains about (and is not the coordinator, who
    handles such items by default)."""
    if feedback.about_body_id is None or can(actor, Capability.COORDINATE, feedback.unit):
        return False
    return can(actor, Capability.WORK, feedback.unit, body=feedback.about_body)


def _require_handler(actor: Any, feedback: Feedback) -> None:
    """Coordinator of the unit, or a member of the body the item is assigned to — never a member of the
    body the item complains about."""
    require(actor, Capability.WORK, feedback.unit, body=feedback.body)
    if _complained_about(actor, feedback):
        raise PermissionDenied


def may_handle(actor: Any, feedback: Feedback) -> bool:
    return can(actor, Capability.WORK, feedback.unit, body=feedback.body) and not _complained_about(
        actor, feedback
    )


def _notify(users: Any, *, key: str, title: str, body: str, url: str, unit: Unit) -> None:
    from friendlygov.notifications.services import notify_once

    for user in users:
        notify_once(user=user, dedupe_key=f"{key}:u{user.pk}", title=title, body=body, url=url, unit=unit)


# ---------------------------------------------------------------- states and settings


def ensure_default_states(*, unit: Unit) -> list[FeedbackState]:
    """The unit's states, creating the six defaults the first time the unit uses feedback."""
    states = list(FeedbackState.objects.filter(unit=unit))
    if states:
        return states
    with transaction.atomic():
        for position, (state_type, name, template) in enumerate(DEFAULT_STATES):
            state, created = FeedbackState.objects.get_or_create(
                unit=unit,
                name=name,
                defaults={"type": state_type, "reply_template": template, "position": position * 10},
            )
            if created:
                audit.record_create(actor=None, unit_id=unit.pk, obj=state, note="trạng thái mặc định")
    return list(FeedbackState.objects.filter(unit=unit))


def default_state(unit: Unit, state_type: str) -> FeedbackState:
    ensure_default_states(unit=unit)
    state = (
        FeedbackState.objects.filter(unit=unit, type=state_type, is_active=True)
        .order_by("position", "id")
        .first()
    )
    if state is None:
        raise ValidationError(
            {"state": f"Đơn vị chưa có trạng thái đang dùng thuộc loại «{StateType(state_type).label}»."}
        )
    return state


def settings_for(unit: Unit) -> FeedbackSettings:
    found = FeedbackSettings.objects.filter(unit=unit).first()
    return found or FeedbackSettings(unit=unit, retention_days=DEFAULT_RETENTION_DAYS)


@transaction.atomic
def update_settings(
    *, actor: Any, unit: Unit, retention_days: int, expected_version: int | None = None
) -> FeedbackSettings:
    require(actor, Capability.COORDINATE, unit)
    current, created = FeedbackSettings.objects.select_for_update().get_or_create(unit=unit)
    if not created:
        _check_version(current, expected_version)
    before = audit.snapshot(current, ["retention_days"])
    current.retention_days = retention_days
    try:
        current.full_clean()
    except ValidationError as exc:
        raise ValidationError({"retention_days": "Thời hạn lưu phải từ 30 đến 3650 ngày."}) from exc
    current.version += 0 if created else 1
    current.save()
    audit.record_update(actor=actor, unit_id=unit.pk, obj=current, before=before)
    return current


@transaction.atomic
def save_state(
    *,
    actor: Any,
    unit: Unit,
    state: FeedbackState | None = None,
    name: str,
    type: str,  # noqa: A002 - the field's name
    reply_template: str = "",
    position: int = 0,
    is_active: bool = True,
    expected_version: int | None = None,
) -> FeedbackState:
    require(actor, Capability.COORDINATE, unit)
    ensure_default_states(unit=unit)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Tên trạng thái không được để trống."})
    if type not in StateType.values:
        raise ValidationError({"type": "Loại trạng thái không hợp lệ."})
    duplicate = FeedbackState.objects.filter(unit=unit, name__iexact=name)
    if state is not None:
        if state.unit_id != unit.pk:
            raise Http404
        state = FeedbackState.objects.select_for_update().get(pk=state.pk)
        _check_version(state, expected_version)
        duplicate = duplicate.exclude(pk=state.pk)
    if duplicate.exists():
        raise ValidationError({"name": f"Đã có trạng thái tên «{name}»."})
    if state is not None and type != state.type and state.items.exists():
        raise ValidationError({"type": "Trạng thái đang được dùng cho phản ánh nên không đổi được loại."})
    if state is not None and (not is_active or type != state.type) and state.is_active:
        others = FeedbackState.objects.filter(unit=unit, type=state.type, is_active=True).exclude(pk=state.pk)
        if not others.exists():
            raise ValidationError(
                {
                    "is_active": f"Phải còn ít nhất một trạng thái đang dùng thuộc loại «{state.get_type_display()}»."
                }
            )
    if state is None:
        state = FeedbackState(
            unit=unit,
            name=name,
            type=type,
            reply_template=reply_template,
            position=position,
            is_active=is_active,
        )
        state.full_clean()
        state.save()
        audit.record_create(actor=actor, unit_id=unit.pk, obj=state)
        return state
    before = audit.snapshot(state, ["name", "type", "reply_template", "position", "is_active"])
    state.name, state.type, state.reply_template, state.position, state.is_active = (
        name,
        type,
        reply_template,
        position,
        is_active,
    )
    state.version += 1
    state.full_clean()
    state.save()
    audit.record_update(actor=actor, unit_id=unit.pk, obj=state, before=before)
    return state


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
    actor: Any,
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
    require(actor, Capability.COORDINATE, unit)
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
    actor: Any,
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
    feedback = _lock(feedback)
    if not can_rate(feedback):
        raise ValidationError(
            "Phản ánh này chưa có câu trả lời để đánh giá, hoặc ông/bà đã đánh giá câu trả lời này."
        )
    if rating is not None:
        if not 1 <= int(rating) <= 5:
            raise ValidationError({"rating": "Mức đánh giá từ 1 (rất không hài lòng) đến 5 (rất hài lòng)."})
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


# ---------------------------------------------------------------- staff: classify, assign, transition, answer, publish


class _Keep:
    """Marks an argument left as it is."""


KEEP = _Keep()


def conflict_message(body: Body) -> str:
    return (
        f"Phản ánh này là về chính {body.name}: không giao cho cơ quan bị phản ánh tự xử lý, trả lời. "
        "Hãy để đầu mối chương trình xử lý (không giao) hoặc giao cho cơ quan khác."
    )


@transaction.atomic
def assign_feedback(
    *,
    actor: Any,
    feedback: Feedback,
    body: Body | None,
    classification: str,
    note: str = "",
    expected_version: int | None = None,
    about_body: Body | None | _Keep = KEEP,
) -> Feedback:
    """Classify (policy/procedure vs conduct), name the body complained about (``about_body``) and assign
    to a body. Assigning and naming the body complained about are the coordinator's; the assigned body's
    members may correct the classification. A complaint is never assigned to the body it is about: it
    stays with the coordinator (not assigned) or goes to another body."""
    require(actor, Capability.READ, feedback.unit)
    feedback = _lock(feedback)
    _check_version(feedback, expected_version)
    about = feedback.about_body if isinstance(about_body, _Keep) else about_body
    about_changed = (about.pk if about else None) != feedback.about_body_id
    if (body.pk if body else None) != feedback.body_id or about_changed:
        require(actor, Capability.COORDINATE, feedback.unit)
    else:
        _require_handler(actor, feedback)
    if body is not None and (body.unit_id != feedback.unit_id or not body.is_active):
        raise ValidationError({"body": "Cơ quan xử lý phải là một cơ quan đang hoạt động của đơn vị."})
    if about is not None and about_changed and (about.unit_id != feedback.unit_id or not about.is_active):
        raise ValidationError({"about_body": "Cơ quan, bộ phận bị phản ánh phải là một cơ quan của đơn vị."})
    if body is not None and about is not None and body.pk == about.pk:
        raise ValidationError({"body": conflict_message(about)})
    if classification and classification not in Feedback.Classification.values:
        raise ValidationError({"classification": "Phân loại không hợp lệ."})
    before = audit.snapshot(feedback, ["body_id", "classification", "about_body_id"])
    body_changed = (body.pk if body else None) != feedback.body_id
    feedback.body = body
    feedback.about_body = about
    feedback.classification = classification
    feedback.version += 1
    feedback.save()
    parts = []
    if classification:
        parts.append(f"Phân loại: {feedback.get_classification_display()}")
    if about_changed:
        parts.append(f"Phản ánh về: {about.name}" if about else "Không phản ánh về cơ quan cụ thể")
    parts.append(f"Giao: {body.name}" if body else "Chưa giao cơ quan")
    _event(
        feedback,
        FeedbackEvent.Kind.ASSIGN,
        actor=actor,
        note="; ".join(parts) + (f". {note}" if note else ""),
    )
    audit.record_update(actor=actor, unit_id=feedback.unit_id, obj=feedback, before=before, note=note)
    if body is not None and body_changed:
        from friendlygov.org.access import users_with_roles

        members = [
            u
            for u in users_with_roles(feedback.unit, [Role.BODY_MEMBER], body=body)
            if u.pk != getattr(actor, "pk", None)
        ]
        url = _url(feedback)
        _notify(
            members,
            key=f"feedback:{feedback.pk}:assign:{body.pk}",
            title=f"Được giao xử lý phản ánh {feedback.code_display}",
            body=feedback.subject,
            url=url,
            unit=feedback.unit,
        )
    return feedback


def _handle_by(feedback: Feedback) -> dt.date | None:
    from friendlygov.feedback.selectors import steps_of

    status = deadlines_for(
        received=feedback.received_on,
        steps=steps_of(feedback),
        current_type=feedback.state.type,
        today=_today(),
        calendar=working_calendar(),
    )
    return status.handle_by


def _move(
    actor: Any, feedback: Feedback, state: FeedbackState, *, kind: str, message: str, note: str
) -> None:
    old = feedback.state
    feedback.state = state
    if state.type in RESOLVED_TYPES:
        feedback.resolved_at = feedback.resolved_at or _now()
    else:
        feedback.resolved_at = None
    feedback.version += 1
    feedback.save()
    _event(
        feedback,
        kind,
        actor=actor,
        from_type=old.type,
        to_type=state.type,
        state_name=state.name,
        message=message,
        note=note,
    )
    if old.pk != state.pk:
        audit.record_transition(
            actor=actor,
            unit_id=feedback.unit_id,
            obj=feedback,
            field="state",
            old=old.name,
            new=state.name,
            note=note,
        )


def _target_state(feedback: Feedback, state: FeedbackState) -> FeedbackState:
    if state.unit_id != feedback.unit_id:
        raise ValidationError({"state": "Trạng thái không thuộc đơn vị này."})
    if not state.is_active:
        raise ValidationError({"state": f"Trạng thái «{state.name}» đã ngừng sử dụng."})
    allowed = ALLOWED_TRANSITIONS.get(feedback.state.type, ())
    if state.type not in allowed or state.pk == feedback.state_id:
        raise ValidationError({"state": f"Không chuyển được từ «{feedback.state.name}» sang «{state.name}»."})
    return state


@transaction.atomic
def transition_feedback(
    *,
    actor: Any,
    feedback: Feedback,
    state: FeedbackState,
    message: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Feedback:
    """Move an item to another of the unit's states. The message to the citizen defaults to the state's
    reply template; refusing needs a reason; an "answered" state is reached through :func:`answer_feedback`."""
    require(actor, Capability.READ, feedback.unit)
    feedback = _lock(feedback)
    _require_handler(actor, feedback)
    _check_version(feedback, expected_version)
    _refuse_while_awaiting(feedback)
    state = _target_state(feedback, state)
    if state.type == StateType.ANSWERED:
        raise ValidationError(
            {"state": "Để chuyển sang trạng thái đã trả lời, hãy nhập câu trả lời ở mục «Trả lời»."}
        )
    message = (message or "").strip() or render_template(
        state.reply_template, feedback=feedback, handle_by=_handle_by(feedback)
    )
    if state.type == StateType.REJECTED and not message:
        raise ValidationError({"message": "Hãy ghi lý do không tiếp nhận để thông báo cho người dân."})
    if state.type == StateType.WAITING_CITIZEN and not (message or "").strip():
        raise ValidationError({"message": "Hãy ghi rõ thông tin cần người dân bổ sung."})
    _move(
        actor, feedback, state, kind=FeedbackEvent.Kind.TRANSITION, message=message, note=(note or "").strip()
    )
    return feedback


def _publish(actor: Any, feedback: Feedback, public_summary: str) -> None:
    summary = (public_summary or "").strip() or feedback.subject
    if len(summary) > 300:
        raise ValidationError({"public_summary": "Tóm tắt công khai dài quá 300 ký tự."})
    feedback.public_summary = summary
    if not feedback.is_published:
        feedback.is_published = True
        feedback.published_on = _today()
        _event(feedback, FeedbackEvent.Kind.PUBLISH, actor=actor, message="Câu trả lời đã được công khai.")


def _checked_answer(
    feedback: Feedback, answer: str, state: FeedbackState | None
) -> tuple[str, FeedbackState]:
    answer = (answer or "").strip()
    if len(answer) < 10:
        raise ValidationError({"answer": "Câu trả lời cần ít nhất 10 ký tự."})
    if len(answer) > 10000:
        raise ValidationError({"answer": "Câu trả lời dài quá 10.000 ký tự."})
    target = state or default_state(feedback.unit, StateType.ANSWERED)
    if target.type != StateType.ANSWERED:
        raise ValidationError({"state": "Hãy chọn một trạng thái loại «Đã trả lời»."})
    if feedback.state_id != target.pk:
        target = _target_state(feedback, target)
    return answer, target


def approval_required(unit: Unit) -> bool:
    return settings_for(unit).leader_approval


def awaiting_approval(feedback: Feedback) -> AnswerApproval | None:
    return AnswerApproval.objects.filter(feedback=feedback, status=AnswerApproval.Status.AWAITING).first()


def _refuse_while_awaiting(feedback: Feedback) -> None:
    if awaiting_approval(feedback) is not None:
        raise ValidationError(
            "Câu trả lời của phản ánh này đang chờ lãnh đạo duyệt; chờ lãnh đạo duyệt hoặc trả lại rồi mới "
            "trả lời hay chuyển trạng thái tiếp."
        )


def _apply_answer(
    *,
    actor: Any,
    feedback: Feedback,
    answer: str,
    target: FeedbackState,
    publish: bool,
    public_summary: str,
    note: str,
    answered_by: Any,
    audit_note: str,
) -> None:
    """Give the answer to the citizen: the item goes to ``target`` (an "answered" state)."""
    before = audit.snapshot(feedback, ["answer", "is_published", "public_summary"])
    feedback.answer = answer
    feedback.answered_at = _now()
    feedback.answered_by = answered_by
    if publish:
        _publish(actor, feedback, public_summary)
    message = render_template(target.reply_template, feedback=feedback)
    if feedback.state_id == target.pk:
        feedback.version += 1
        feedback.save()
        _event(
            feedback,
            FeedbackEvent.Kind.ANSWER,
            actor=actor,
            to_type=target.type,
            from_type=target.type,
            state_name=target.name,
            message="Câu trả lời đã được cập nhật.",
            note=note,
        )
    else:
        _move(
            actor,
            feedback,
            target,
            kind=FeedbackEvent.Kind.ANSWER,
            message=message,
            note=(note or "").strip(),
        )
    audit.record_update(actor=actor, unit_id=feedback.unit_id, obj=feedback, before=before, note=audit_note)


@transaction.atomic
def answer_feedback(
    *,
    actor: Any,
    feedback: Feedback,
    answer: str,
    publish: bool = False,
    public_summary: str = "",
    state: FeedbackState | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Feedback:
    """Answer the citizen (the item goes to an "answered" state); optionally publish the answer without
    personal data (the public summary replaces the citizen's own text).

    When the unit's settings ask for the leader's approval (and the one answering is not a leader), the
    answer is not given yet: it waits for the leader (:func:`approve_answer`, :func:`return_answer`), the
    leaders are notified, and the item keeps its pending state — its handling clock runs on."""
    require(actor, Capability.READ, feedback.unit)
    feedback = _lock(feedback)
    _require_handler(actor, feedback)
    _check_version(feedback, expected_version)
    _refuse_while_awaiting(feedback)
    answer, target = _checked_answer(feedback, answer, state)
    if publish and len((public_summary or "").strip()) > 300:
        raise ValidationError({"public_summary": "Tóm tắt công khai dài quá 300 ký tự."})
    if approval_required(feedback.unit) and not can(actor, Capability.LEAD, feedback.unit):
        _propose(actor, feedback, answer, target, publish, public_summary, note)
        return feedback
    _apply_answer(
        actor=actor,
        feedback=feedback,
        answer=answer,
        target=target,
        publish=publish,
        public_summary=public_summary,
        note=note,
        answered_by=actor,
        audit_note="trả lời phản ánh",
    )
    return feedback


def _propose(
    actor: Any,
    feedback: Feedback,
    answer: str,
    target: FeedbackState,
    publish: bool,
    public_summary: str,
    note: str,
) -> AnswerApproval:
    approval = AnswerApproval.objects.create(
        feedback=feedback,
        unit=feedback.unit,
        answer=answer,
        publish=publish,
        public_summary=(public_summary or "").strip()[:300],
        state=target,
        note=(note or "").strip(),
        proposed_by=actor,
        proposed_at=_now(),
    )
    feedback.version += 1
    feedback.save(update_fields=["version", "updated_at"])
    _event(feedback, FeedbackEvent.Kind.ANSWER_PROPOSED, actor=actor, note=(note or "").strip())
    audit.record_create(
        actor=actor, unit_id=feedback.unit_id, obj=approval, note="trình lãnh đạo duyệt câu trả lời"
    )
    from friendlygov.org.access import users_with_roles

    leaders = [
        u for u in users_with_roles(feedback.unit, [Role.UNIT_LEADER]) if u.pk != getattr(actor, "pk", None)
    ]
    _notify(
        leaders,
        key=f"feedback:{feedback.pk}:approval:{approval.pk}",
        title=f"Câu trả lời phản ánh {feedback.code_display} chờ lãnh đạo duyệt",
        body=feedback.subject,
        url=_url(feedback),
        unit=feedback.unit,
    )
    return approval


def _awaiting_for_decision(
    actor: Any, feedback: Feedback, expected_version: int | None
) -> tuple[Feedback, AnswerApproval]:
    require(actor, Capability.READ, feedback.unit)
    require(actor, Capability.LEAD, feedback.unit)
    feedback = _lock(feedback)
    _check_version(feedback, expected_version)
    approval = (
        AnswerApproval.objects.select_for_update(of=("self",))
        .filter(feedback=feedback, status=AnswerApproval.Status.AWAITING)
        .select_related("state", "proposed_by")
        .first()
    )
    if approval is None:
        raise ValidationError("Phản ánh này không có câu trả lời nào đang chờ duyệt.")
    return feedback, approval


@transaction.atomic
def approve_answer(*, actor: Any, feedback: Feedback, expected_version: int | None = None) -> Feedback:
    """The leader approves the answer waiting for approval: only now does the citizen receive it (and,
    if the handler asked, is it published)."""
    feedback, approval = _awaiting_for_decision(actor, feedback, expected_version)
    _, target = _checked_answer(feedback, approval.answer, approval.state)
    approval.status = AnswerApproval.Status.APPROVED
    approval.decided_by = actor
    approval.decided_at = _now()
    approval.save(update_fields=["status", "decided_by", "decided_at"])
    _event(feedback, FeedbackEvent.Kind.ANSWER_APPROVED, actor=actor)
    proposer = approval.proposed_by
    _apply_answer(
        actor=actor,
        feedback=feedback,
        answer=approval.answer,
        target=target,
        publish=approval.publish,
        public_summary=approval.public_summary,
        note=approval.note,
        answered_by=proposer,
        audit_note="lãnh đạo duyệt câu trả lời",
    )
    audit.record_transition(
        actor=actor,
        unit_id=feedback.unit_id,
        obj=approval,
        field="status",
        old=AnswerApproval.Status.AWAITING,
        new=AnswerApproval.Status.APPROVED,
    )
    if proposer is not None and proposer.pk != getattr(actor, "pk", None):
        _notify(
            [proposer],
            key=f"feedback:{feedback.pk}:approved:{approval.pk}",
            title=f"Lãnh đạo đã duyệt câu trả lời phản ánh {feedback.code_display}",
            body="Câu trả lời đã được gửi người dân.",
            url=_url(feedback),
            unit=feedback.unit,
        )
    return feedback


@transaction.atomic
def return_answer(
    *, actor: Any, feedback: Feedback, reason: str, expected_version: int | None = None
) -> Feedback:
    """The leader sends the answer back to the handler with a reason; the citizen sees nothing of it."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError(
            {"reason": "Hãy ghi lý do trả lại để người xử lý sửa câu trả lời (ít nhất 5 ký tự)."}
        )
    if len(reason) > 2000:
        raise ValidationError({"reason": "Lý do trả lại dài quá 2000 ký tự."})
    feedback, approval = _awaiting_for_decision(actor, feedback, expected_version)
    approval.status = AnswerApproval.Status.RETURNED
    approval.decided_by = actor
    approval.decided_at = _now()
    approval.reason = reason
    approval.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    feedback.version += 1
    feedback.save(update_fields=["version", "updated_at"])
    _event(feedback, FeedbackEvent.Kind.ANSWER_RETURNED, actor=actor, note=f"Lý do trả lại: {reason}")
    audit.record_transition(
        actor=actor,
        unit_id=feedback.unit_id,
        obj=approval,
        field="status",
        old=AnswerApproval.Status.AWAITING,
        new=AnswerApproval.Status.RETURNED,
        note=reason,
    )
    proposer = approval.proposed_by
    if proposer is not None and proposer.pk != getattr(actor, "pk", None):
        _notify(
            [proposer],
            key=f"feedback:{feedback.pk}:returned:{approval.pk}",
            title=f"Lãnh đạo trả lại câu trả lời phản ánh {feedback.code_display}",
            body=reason[:500],
            url=_url(feedback),
            unit=feedback.unit,
        )
    return feedback


def settings_version(unit: Unit) -> int:
    """The version a page or client sends back to change the unit's settings (0: none saved yet)."""
    current = settings_for(unit)
    return current.version if current.pk is not None else 0


def may_change_approval_setting(actor: Any, unit: Unit) -> bool:
    return can(actor, Capability.LEAD, unit) or can(actor, Capability.MANAGE_UNIT, unit)


@transaction.atomic
def set_leader_approval(
    *, actor: Any, unit: Unit, required: bool, expected_version: int | None = None
) -> FeedbackSettings:
    """Whether answers wait for the leader's approval: the unit's leader or administrator decides (audited).
    Turning it off leaves answers already waiting as they are: the leader still approves or returns them."""
    require(actor, Capability.READ, unit)
    if not may_change_approval_setting(actor, unit):
        raise PermissionDenied
    current, created = FeedbackSettings.objects.select_for_update().get_or_create(unit=unit)
    if not created:
        _check_version(current, expected_version)
    elif expected_version not in (None, 0):  # the page showed settings someone else has since removed
        _check_version(current, -1)
    if current.leader_approval == bool(required):
        return current
    before = audit.snapshot(current, ["leader_approval"])
    current.leader_approval = bool(required)
    current.version += 0 if created else 1
    current.save()
    audit.record_update(
        actor=actor,
        unit_id=unit.pk,
        obj=current,
        before=before,
        note="bật lãnh đạo duyệt câu trả lời" if required else "tắt lãnh đạo duyệt câu trả lời",
    )
    return current


@transaction.atomic
def publish_answer(
    *,
    actor: Any,
    feedback: Feedback,
    publish: bool = True,
    public_summary: str = "",
    expected_version: int | None = None,
) -> Feedback:
    require(actor, Capability.READ, feedback.unit)
    feedback = _lock(feedback)
    _require_handler(actor, feedback)
    _check_version(feedback, expected_version)
    before = audit.snapshot(feedback, ["is_published", "published_on", "public_summary"])
    if publish:
        if not _answered(feedback):
            raise ValidationError("Chỉ công khai được phản ánh đã có câu trả lời.")
        _publish(actor, feedback, public_summary)
    elif feedback.is_published:
        feedback.is_published = False
        _event(feedback, FeedbackEvent.Kind.UNPUBLISH, actor=actor)
    feedback.version += 1
    feedback.save()
    audit.record_update(actor=actor, unit_id=feedback.unit_id, obj=feedback, before=before)
    return feedback


# ---------------------------------------------------------------- personal data


def may_view_contact(actor: Any, feedback: Feedback) -> bool:
    return may_handle(actor, feedback)


@transaction.atomic
def view_contact(*, actor: Any, feedback: Feedback, purpose: str = "") -> FeedbackContact | None:
    """The citizen's contact details for a handler; every view is logged ("view_personal")."""
    require(actor, Capability.READ, feedback.unit)
    if not may_view_contact(actor, feedback):
        raise PermissionDenied
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


def _erase(actor: Any, feedback: Feedback, reason: str, note: str) -> bool:
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
    *, actor: Any, unit: Unit, code: str, verification: str, kind: str, note: str = ""
) -> ContactRequestResult:
    """Carry out a citizen's request to see or erase their contact details, identified by the tracking
    code and the contact they gave. Recorded whatever the outcome; only the coordinator does this."""
    from friendlygov.feedback.tracking import normalize_code

    require(actor, Capability.COORDINATE, unit)
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


# ---------------------------------------------------------------- daily job


def send_deadline_reminders(*, today: dt.date | None = None) -> int:
    """Notify the handlers of items due soon or overdue (once per item, cycle and kind)."""
    from friendlygov.feedback.selectors import pending_with_deadlines
    from friendlygov.org.access import users_with_roles

    today = today or _today()
    sent = 0
    for unit in Unit.objects.filter(feedback_items__state__type__in=PENDING_TYPES).distinct():
        for feedback, status in pending_with_deadlines(unit=unit, today=today):
            if not (status.overdue or status.due_soon):
                continue
            kind = "overdue" if status.overdue else "due-soon"
            users = list(users_with_roles(unit, [Role.COORDINATOR]))
            if feedback.body is not None:
                users += list(users_with_roles(unit, [Role.BODY_MEMBER], body=feedback.body))
            title = (
                f"Phản ánh {feedback.code_display} đã quá hạn xử lý"
                if status.overdue
                else f"Phản ánh {feedback.code_display} sắp đến hạn xử lý ({status.handle_by:%d/%m/%Y})"
            )
            from friendlygov.notifications.services import notify_once

            for user in {u.pk: u for u in users}.values():
                if notify_once(
                    user=user,
                    dedupe_key=f"feedback:{feedback.pk}:{kind}:{status.start.isoformat()}:u{user.pk}",
                    title=title,
                    body=feedback.subject,
                    url=_url(feedback),
                    unit=unit,
                ):
                    sent += 1
    return sent


def daily_job(*, today: dt.date | None = None) -> dict[str, int]:
    """What a daily scheduler (e.g. the plans' reminder job) runs for feedback: erase expired contact
    details, then remind handlers of deadlines."""
    return {
        "contacts_erased": purge_expired_contacts(today=today),
        "reminders": send_deadline_reminders(today=today),
    }


def visible_states(unit: Unit) -> Sequence[FeedbackState]:
    return ensure_default_states(unit=unit)
