"""Step 6, appraisal by the city: per criterion, late figures, returning, finishing."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import AppraisalItem, Cycle
from friendlygov.assessments.permissions import Standing, criterion_permissions
from friendlygov.audit import services as audit
from friendlygov.org.access import Actor, Capability, require, users_with_roles
from friendlygov.org.models import Role
from friendlygov.rules.scoring import format_vi_number, result_to_json

from .common import _check_version, _link, _notify, _scorable, _value_text


def _require_submitted(cycle: Cycle) -> None:
    if cycle.status != Cycle.Status.SUBMITTED:
        raise ValidationError(
            f"Chỉ thẩm định khi hồ sơ đã nộp và đang chờ thẩm định (hiện: {cycle.get_status_display().lower()})."
        )


@transaction.atomic
def appraise_criterion(
    *,
    actor: Actor,
    cycle: Cycle,
    criterion_code: str,
    accept: bool,
    value: str = "",
    reason: str = "",
    ticked: Sequence[int] | None = None,
    expected_version: int | None = None,
) -> AppraisalItem:
    """A city reviewer accepts the unit's (consolidated) value of a criterion, or adjusts it with a reason."""
    criterion_permissions(actor, cycle, criterion_code).require(Standing.APPRAISE)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _require_submitted(cycle)
    cs = crit.parsed(cycle.criteria_set)
    node = _scorable(cs, criterion_code, allow_source=True)
    decision = AppraisalItem.Decision.ACCEPT if accept else AppraisalItem.Decision.ADJUST
    text, ticks = "", list[int]()
    if not accept:
        text, ticks = _value_text(node, value, ticked)
        if not text:
            raise ValidationError({"value": f"Tiêu chí {criterion_code}: ghi giá trị sau thẩm định."})
        if not reason.strip():
            raise ValidationError({"reason": "Ghi lý do điều chỉnh điểm."})
    row = AppraisalItem.objects.select_for_update().filter(cycle=cycle, criterion_code=criterion_code).first()
    _check_version(
        row,
        expected_version,
        f"Kết quả thẩm định tiêu chí {criterion_code}",
        shown=(
            None
            if row is None
            else "chấp nhận"
            if row.decision == AppraisalItem.Decision.ACCEPT
            else f"điều chỉnh thành {crit.describe_value(node, row.value)}"
        ),
    )
    if row is None:
        row = AppraisalItem.objects.create(
            unit=cycle.unit,
            cycle=cycle,
            criterion_code=criterion_code,
            decision=decision,
            value=text,
            ticked=ticks,
            reason=reason.strip(),
            appraised_by=actor,
        )
        audit.record_create(actor=actor, unit_id=cycle.unit_id, obj=row)
        return row
    before = audit.snapshot(row, ["decision", "value", "ticked", "reason"])
    row.decision, row.value, row.ticked, row.reason, row.appraised_by = (
        decision,
        text,
        ticks,
        reason.strip(),
        actor,
    )
    row.version += 1
    row.save()
    audit.record_update(actor=actor, unit_id=cycle.unit_id, obj=row, before=before)
    return row


@transaction.atomic
def adopt_late_figure(
    *, actor: Actor, cycle: Cycle, criterion_code: str, expected_version: int | None = None
) -> AppraisalItem:
    """The appraiser adopts, in one action, a measured figure that changed after the unit submitted (e.g.
    the PAR INDEX the city published later): the criterion's appraised value becomes the figure, with the
    reason saying so. ``expected_version``: the appraisal item's version the page showed (0: none)."""
    cycle = Cycle.objects.select_related("unit", "criteria_set").get(pk=cycle.pk)
    perms = criterion_permissions(actor, cycle, criterion_code)
    perms.require(Standing.APPRAISE)
    _require_submitted(cycle)
    state = perms.measured  # read by the permission's answer (may_adopt_late), not a second time
    if state is None:
        raise ValidationError(
            {"criterion_code": f"Tiêu chí {criterion_code} không lấy giá trị từ số liệu đo được."}
        )
    if not state.late or state.figure is None:
        raise ValidationError(
            {"value": f"Tiêu chí {criterion_code}: không có số liệu mới công bố sau khi đơn vị nộp."}
        )
    row = AppraisalItem.objects.filter(cycle=cycle, criterion_code=criterion_code).first()
    if (row is None and expected_version not in (None, 0)) or (row is not None and expected_version == 0):
        raise ValidationError(
            f"Kết quả thẩm định tiêu chí {criterion_code} đã được người khác cập nhật; hãy tải lại trang."
        )
    when = timezone.localtime(cycle.submitted_at).strftime("%d/%m/%Y") if cycle.submitted_at else ""
    return appraise_criterion(
        actor=actor,
        cycle=cycle,
        criterion_code=criterion_code,
        accept=False,
        value=state.live_text,
        ticked=list(state.live_ticks) if state.leaf.kind == "checklist" else None,
        reason=f"Dùng số liệu mới công bố sau khi đơn vị nộp{(' ngày ' + when) if when else ''}: "
        f"{state.figure.label}",
        expected_version=expected_version if row is not None else None,
    )


@transaction.atomic
def return_cycle(*, actor: Actor, cycle: Cycle, requests: str, expected_version: int | None = None) -> Cycle:
    """Return the whole file for rework — once per year — with one consolidated list of requests."""
    require(actor, Capability.APPRAISE, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _check_version(cycle, expected_version, f"Kỳ đánh giá năm {cycle.year}")
    _require_submitted(cycle)
    if cycle.returned_at is not None:
        raise ValidationError(
            "Hồ sơ chỉ được trả lại một lần; lần này hãy thẩm định từng tiêu chí và kết thúc thẩm định."
        )
    if not requests.strip():
        raise ValidationError({"requests": "Ghi danh sách các nội dung đơn vị cần bổ sung, điều chỉnh."})
    old = cycle.status
    cycle.status = Cycle.Status.RETURNED
    cycle.returned_at = timezone.now()
    cycle.returned_by = actor
    cycle.return_requests = requests.strip()
    cycle.version += 1
    cycle.save()
    audit.record_transition(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=cycle,
        field="status",
        old=old,
        new=cycle.status,
        note=requests.strip(),
    )
    _notify(
        users_with_roles(cycle.unit, [Role.UNIT_LEADER, Role.COORDINATOR]),
        key=f"assessments:returned:{cycle.pk}",
        title=f"Thành phố trả lại hồ sơ tự đánh giá năm {cycle.year} để bổ sung",
        body=requests.strip(),
        url=_link(cycle),
        unit=cycle.unit,
    )
    return cycle


@transaction.atomic
def finish_appraisal(*, actor: Actor, cycle: Cycle, expected_version: int | None = None) -> Cycle:
    """Close the appraisal: criteria not adjusted keep the unit's value; the engine computes the result."""
    from friendlygov.assessments import selectors

    require(actor, Capability.APPRAISE, cycle.unit)
    cycle = (
        Cycle.objects.select_for_update(of=("self",)).select_related("unit", "criteria_set").get(pk=cycle.pk)
    )
    _check_version(cycle, expected_version, f"Kỳ đánh giá năm {cycle.year}")
    _require_submitted(cycle)
    result = selectors.load_cycle_data(cycle).result("appraised")
    old = cycle.status
    cycle.status = Cycle.Status.APPRAISED
    cycle.appraised_at = timezone.now()
    cycle.appraised_by = actor
    cycle.final_result = result_to_json(result)
    if cycle.summary:
        cycle.summary = {**cycle.summary, "appraised": selectors.summary_total(result)}
    cycle.version += 1
    cycle.save()
    level = result.level.name if result.level is not None else "chưa đạt"
    audit.record_transition(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=cycle,
        field="status",
        old=old,
        new=cycle.status,
        note=f"kết quả thẩm định: {format_vi_number(result.total)} điểm, {level}",
    )
    _notify(
        users_with_roles(cycle.unit, [Role.UNIT_LEADER, Role.COORDINATOR]),
        key=f"assessments:appraised:{cycle.pk}",
        title=f"Thành phố đã thẩm định kết quả năm {cycle.year}: {level}",
        url=_link(cycle),
        unit=cycle.unit,
    )
    return cycle
