"""Step 2, registration: the commune's target level and the city's decision."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import Cycle, Registration
from friendlygov.audit import services as audit
from friendlygov.org.access import Actor, Capability, require, users_with_roles
from friendlygov.org.models import Role
from friendlygov.plans import services as plan_services

from .common import _check_version, _city_reviewers, _ensure_editable, _link, _notify


@transaction.atomic
def register_target(
    *, actor: Actor, cycle: Cycle, target_level: str, note: str = "", expected_version: int | None = None
) -> Registration:
    """The unit leader registers (or, after the city asked for changes, re-registers) the target level."""
    require(actor, Capability.LEAD, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _ensure_editable(cycle)
    cs = crit.parsed(cycle.criteria_set)
    level = next((lv for lv in cs.levels if lv.code == str(target_level).strip()), None)
    if level is None:
        names = ", ".join(f"{lv.code} ({lv.name})" for lv in cs.levels)
        raise ValidationError(
            {"target_level": f"Mức «{target_level}» không có trong bộ tiêu chí; chọn một trong: {names}."}
        )
    registration = Registration.objects.select_for_update().filter(cycle=cycle).first()
    _check_version(registration, expected_version, "Bản đăng ký")
    now = timezone.now()
    if registration is None:
        registration = Registration.objects.create(
            unit=cycle.unit,
            cycle=cycle,
            target_level=level.code,
            target_level_name=level.name,
            note=note.strip(),
            registered_by=actor,
            registered_at=now,
        )
        audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=registration)
    else:
        if registration.status == Registration.Status.ACCEPTED:
            raise ValidationError(
                {
                    "target_level": "Thành phố đã chấp nhận đăng ký năm nay; muốn đổi mức, hãy đề nghị thành phố xem xét lại."
                }
            )
        before = audit.snapshot(registration, ["target_level", "note", "status"])
        registration.target_level = level.code
        registration.target_level_name = level.name
        registration.note = note.strip()
        registration.status = Registration.Status.PENDING
        registration.registered_by = actor
        registration.registered_at = now
        registration.version += 1
        registration.save()
        audit.record_update(
            actor=actor,
            unit_id=cycle.unit_id,
            obj=registration,
            before=before,
            note=gettext_noop("đăng ký lại"),
        )
    plan_services.record_cycle_event(
        actor=actor,
        unit=cycle.unit,
        year=cycle.year,
        kind=plan_services.EventKind.TARGET_REGISTERED,
        happened_on=now,
        source=f"assessments.registration:{registration.pk}",
        label=f"Đăng ký {level.name} năm {cycle.year}",
        url=_link(cycle),
    )
    _notify(
        _city_reviewers(cycle.unit),
        key=f"assessments:registration:{registration.pk}:{registration.version}",
        title=f"{cycle.unit.full_name} đăng ký {level.name} năm {cycle.year}",
        body=note.strip(),
        url=_link(cycle),
        unit=cycle.unit,
    )
    return registration


@transaction.atomic
def decide_registration(
    *,
    actor: Actor,
    registration: Registration,
    accept: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> Registration:
    """A city reviewer accepts the registration or asks for changes (with the reason)."""
    cycle = registration.cycle
    require(actor, Capability.APPRAISE, cycle.unit)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_version(registration, expected_version, "Bản đăng ký")
    if registration.status != Registration.Status.PENDING:
        raise ValidationError(
            f"Bản đăng ký đang ở trạng thái «{registration.get_status_display()}», không chờ xem xét."
        )
    if not accept and not reason.strip():
        raise ValidationError({"reason": "Ghi rõ nội dung đơn vị cần điều chỉnh."})
    old = registration.status
    registration.status = Registration.Status.ACCEPTED if accept else Registration.Status.CHANGES_REQUESTED
    registration.decided_by = actor
    registration.decided_at = timezone.now()
    registration.decision_reason = reason.strip()
    registration.version += 1
    registration.save()
    audit.record_transition(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=registration,
        field="status",
        old=old,
        new=registration.status,
        note=reason.strip(),
    )
    if accept and cycle.status == Cycle.Status.REGISTRATION:
        Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.SELF_SCORING, version=cycle.version + 1)
        audit.record_transition(
            actor=actor,
            unit_id=cycle.unit_id,
            obj=cycle,
            field="status",
            old=Cycle.Status.REGISTRATION,
            new=Cycle.Status.SELF_SCORING,
            note=gettext_noop("thành phố chấp nhận đăng ký"),
        )
    _notify(
        users_with_roles(cycle.unit, [Role.UNIT_LEADER, Role.COORDINATOR]),
        key=f"assessments:registration-decision:{registration.pk}:{registration.version}",
        title=(
            f"Thành phố chấp nhận đăng ký {registration.target_level_name} năm {cycle.year}"
            if accept
            else f"Thành phố yêu cầu điều chỉnh bản đăng ký năm {cycle.year}"
        ),
        body=reason.strip(),
        url=_link(cycle),
        unit=cycle.unit,
    )
    return registration
