"""Staff handling: classify and assign, move between states, answer and publish."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from friendlygov.audit import services as audit
from friendlygov.core.calendar import working_calendar
from friendlygov.feedback.deadlines import deadlines_for
from friendlygov.feedback.models import (
    ALLOWED_TRANSITIONS,
    RESOLVED_TYPES,
    AnswerApproval,
    Feedback,
    FeedbackEvent,
    FeedbackState,
    StateType,
)
from friendlygov.feedback.permissions import FeedbackPermissions, Standing, feedback_permissions
from friendlygov.feedback.services.common import (
    _check_version,
    _event,
    _lock,
    _notify,
    _now,
    _today,
    _url,
    render_template,
)
from friendlygov.feedback.services.intake import _answered
from friendlygov.feedback.services.states import default_state
from friendlygov.org.access import Actor, Capability, require
from friendlygov.org.models import Body, Role
from friendlygov.tallies.services import feedback_kept

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
    actor: Actor,
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
    with feedback_kept(feedback.pk):
        require(actor, Capability.READ, feedback.unit)
        feedback = _lock(feedback)
        about = feedback.about_body if isinstance(about_body, _Keep) else about_body
        about_changed = (about.pk if about else None) != feedback.about_body_id
        perms = feedback_permissions(actor, feedback)
        if (body.pk if body else None) != feedback.body_id or about_changed:
            perms.require(Standing.COORDINATE)
        else:
            perms.require(Standing.HANDLE)
        # after the permission: someone who may not assign is refused as such, whatever version they sent
        _check_version(feedback, expected_version)
        if body is not None and (body.unit_id != feedback.unit_id or not body.is_active):
            raise ValidationError({"body": "Cơ quan xử lý phải là một cơ quan đang hoạt động của đơn vị."})
        if about is not None and about_changed and (about.unit_id != feedback.unit_id or not about.is_active):
            raise ValidationError(
                {"about_body": "Cơ quan, bộ phận bị phản ánh phải là một cơ quan của đơn vị."}
            )
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
    actor: Actor, feedback: Feedback, state: FeedbackState, *, kind: str, message: str, note: str
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
    actor: Actor,
    feedback: Feedback,
    state: FeedbackState,
    message: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Feedback:
    """Move an item to another of the unit's states. The message to the citizen defaults to the state's
    reply template; refusing needs a reason; an "answered" state is reached through :func:`answer_feedback`."""
    with feedback_kept(feedback.pk):
        require(actor, Capability.READ, feedback.unit)
        feedback = _lock(feedback)
        perms = feedback_permissions(actor, feedback)
        perms.require(Standing.HANDLE)
        _check_version(feedback, expected_version)
        _refuse_while_awaiting(perms)
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
            actor,
            feedback,
            state,
            kind=FeedbackEvent.Kind.TRANSITION,
            message=message,
            note=(note or "").strip(),
        )
        return feedback


def _publish(actor: Actor, feedback: Feedback, public_summary: str) -> None:
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


def awaiting_approval(feedback: Feedback) -> AnswerApproval | None:
    return AnswerApproval.objects.filter(feedback=feedback, status=AnswerApproval.Status.AWAITING).first()


def _refuse_while_awaiting(perms: FeedbackPermissions) -> None:
    if perms.awaiting:
        raise ValidationError(
            "Câu trả lời của phản ánh này đang chờ lãnh đạo duyệt; chờ lãnh đạo duyệt hoặc trả lại rồi mới "
            "trả lời hay chuyển trạng thái tiếp."
        )


def _apply_answer(
    *,
    actor: Actor,
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


def _propose(
    actor: Actor,
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


@transaction.atomic
def answer_feedback(
    *,
    actor: Actor,
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
    with feedback_kept(feedback.pk):
        require(actor, Capability.READ, feedback.unit)
        feedback = _lock(feedback)
        perms = feedback_permissions(actor, feedback)
        perms.require(Standing.HANDLE)
        _check_version(feedback, expected_version)
        _refuse_while_awaiting(perms)
        answer, target = _checked_answer(feedback, answer, state)
        if publish and len((public_summary or "").strip()) > 300:
            raise ValidationError({"public_summary": "Tóm tắt công khai dài quá 300 ký tự."})
        if perms.answer_waits_for_leader:
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


@transaction.atomic
def publish_answer(
    *,
    actor: Actor,
    feedback: Feedback,
    publish: bool = True,
    public_summary: str = "",
    expected_version: int | None = None,
) -> Feedback:
    with feedback_kept(feedback.pk):
        require(actor, Capability.READ, feedback.unit)
        feedback = _lock(feedback)
        feedback_permissions(actor, feedback).require(Standing.HANDLE)
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
