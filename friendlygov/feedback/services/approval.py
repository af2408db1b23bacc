"""The leader's approval of answers (when the unit's settings ask for it)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from friendlygov.audit import services as audit
from friendlygov.feedback.models import (
    AnswerApproval,
    Feedback,
    FeedbackEvent,
    FeedbackSettings,
)
from friendlygov.feedback.permissions import Standing, feedback_unit_permissions
from friendlygov.feedback.services.common import _check_version, _event, _lock, _notify, _now, _url
from friendlygov.feedback.services.handling import _apply_answer, _checked_answer
from friendlygov.feedback.services.states import settings_for
from friendlygov.org.access import Actor
from friendlygov.org.models import Unit
from friendlygov.tallies.services import feedback_kept


def _awaiting_for_decision(
    actor: Actor, feedback: Feedback, expected_version: int | None
) -> tuple[Feedback, AnswerApproval]:
    feedback_unit_permissions(actor, feedback.unit).require(Standing.LEAD)
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
def approve_answer(*, actor: Actor, feedback: Feedback, expected_version: int | None = None) -> Feedback:
    """The leader approves the answer waiting for approval: only now does the citizen receive it (and,
    if the handler asked, is it published)."""
    with feedback_kept(feedback.pk):
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
    *, actor: Actor, feedback: Feedback, reason: str, expected_version: int | None = None
) -> Feedback:
    """The leader sends the answer back to the handler with a reason; the citizen sees nothing of it."""
    with feedback_kept(feedback.pk):
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


@transaction.atomic
def set_leader_approval(
    *, actor: Actor, unit: Unit, required: bool, expected_version: int | None = None
) -> FeedbackSettings:
    """Whether answers wait for the leader's approval: the unit's leader or administrator decides (audited).
    Turning it off leaves answers already waiting as they are: the leader still approves or returns them."""
    feedback_unit_permissions(actor, unit).require(Standing.APPROVAL_SETTING)
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
