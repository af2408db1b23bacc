"""A unit's feedback states and settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from friendlygov.audit import services as audit
from friendlygov.feedback.models import (
    DEFAULT_RETENTION_DAYS,
    FeedbackSettings,
    FeedbackState,
    StateType,
)
from friendlygov.feedback.permissions import Standing, feedback_unit_permissions
from friendlygov.feedback.services.common import DEFAULT_STATES, _check_version
from friendlygov.org.access import Actor
from friendlygov.org.models import Unit

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
    *, actor: Actor, unit: Unit, retention_days: int, expected_version: int | None = None
) -> FeedbackSettings:
    feedback_unit_permissions(actor, unit).require(Standing.COORDINATE)
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
    actor: Actor,
    unit: Unit,
    state: FeedbackState | None = None,
    name: str,
    type: str,  # noqa: A002 - the field's name
    reply_template: str = "",
    position: int = 0,
    is_active: bool = True,
    expected_version: int | None = None,
) -> FeedbackState:
    feedback_unit_permissions(actor, unit).require(Standing.COORDINATE)
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
