"""The yearly cycles of a commune: opening, deadlines, switching the criteria set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import Assignment, CriteriaSetVersion, Cycle
from friendlygov.audit import services as audit
from friendlygov.org.access import Actor, Capability, require, users_with_roles
from friendlygov.org.models import Role, Unit

from .common import _check_version, _ensure_editable, _link, _notify
from .library import _lock_set


def default_deadlines(year: int) -> tuple[dt.date, dt.date, dt.date]:
    """Registration before 15/02, self-assessment before 12/11, appraisal by 31/12 (the city may change them)."""
    return dt.date(year, 2, 15), dt.date(year, 11, 12), dt.date(year, 12, 31)


def _check_deadlines(registration: dt.date, submission: dt.date, appraisal: dt.date) -> None:
    if not registration <= submission:
        raise ValidationError({"submission_deadline": "Hạn nộp tự đánh giá phải sau hạn đăng ký."})
    if not submission <= appraisal:
        raise ValidationError({"appraisal_deadline": "Hạn thẩm định phải sau hạn nộp tự đánh giá."})


@transaction.atomic
def open_cycle(
    *,
    actor: Actor,
    unit: Unit,
    year: int,
    criteria_set: CriteriaSetVersion,
    registration_deadline: dt.date | None = None,
    submission_deadline: dt.date | None = None,
    appraisal_deadline: dt.date | None = None,
) -> Cycle:
    """Open a unit's yearly cycle on a set of its city's library; the previous year's assignments (not
    its scores) are copied for the criteria that still exist."""
    require(actor, Capability.APPRAISE, unit)
    if unit.is_city:
        raise ValidationError({"unit": "Kỳ đánh giá mở cho xã, phường, đặc khu, không cho thành phố."})
    if criteria_set.unit_id != unit.parent_id:
        raise ValidationError(
            {"criteria_set": "Bộ tiêu chí phải thuộc thư viện của thành phố quản lý đơn vị."}
        )
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "Năm đánh giá không hợp lệ."})
    if Cycle.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": f"{unit.full_name} đã có kỳ đánh giá năm {year}."})
    defaults = default_deadlines(year)
    reg = registration_deadline or defaults[0]
    sub = submission_deadline or defaults[1]
    appr = appraisal_deadline or defaults[2]
    _check_deadlines(reg, sub, appr)
    previous = Cycle.objects.filter(unit=unit, year__lt=year).order_by("-year").first()
    cycle = Cycle.objects.create(
        unit=unit,
        year=year,
        criteria_set=criteria_set,
        registration_deadline=reg,
        submission_deadline=sub,
        appraisal_deadline=appr,
        opened_by=actor,
        copied_from=previous,
    )
    _lock_set(criteria_set, actor)
    audit.record_create(actor=actor, unit_id=unit.pk, obj=cycle)
    if previous is not None:
        cs = crit.parsed(criteria_set)
        codes = {row.code for row in crit.tree_rows(cs)}
        for old in previous.assignments.select_related("body"):
            if old.criterion_code in codes and old.body.is_active:
                copy = Assignment.objects.create(
                    unit=unit,
                    cycle=cycle,
                    criterion_code=old.criterion_code,
                    body=old.body,
                    assigned_by=actor,
                )
                audit.record_create(
                    actor=actor, unit_id=unit.pk, obj=copy, note=f"chép phân công năm {previous.year}"
                )
    _notify(
        users_with_roles(unit, [Role.UNIT_LEADER, Role.COORDINATOR]),
        key=f"assessments:cycle-open:{cycle.pk}",
        title=f"Mở kỳ đánh giá Chính quyền thân thiện năm {year}",
        body=f"Đăng ký mức đạt chuẩn trước ngày {reg:%d/%m/%Y}; nộp tự đánh giá trước ngày {sub:%d/%m/%Y}.",
        url=_link(cycle),
        unit=unit,
    )
    return cycle


@transaction.atomic
def open_cycles(
    *,
    actor: Actor,
    city: Unit,
    year: int,
    criteria_set: CriteriaSetVersion,
    registration_deadline: dt.date | None = None,
    submission_deadline: dt.date | None = None,
    appraisal_deadline: dt.date | None = None,
    units: Sequence[Unit] | None = None,
) -> list[Cycle]:
    """Open the year's cycle for every active unit of the city that has none yet."""
    require(actor, Capability.APPRAISE, city)
    targets = list(units) if units is not None else list(Unit.objects.filter(parent=city, is_active=True))
    opened = []
    for unit in targets:
        if unit.parent_id != city.pk or Cycle.objects.filter(unit=unit, year=year).exists():
            continue
        opened.append(
            open_cycle(
                actor=actor,
                unit=unit,
                year=year,
                criteria_set=criteria_set,
                registration_deadline=registration_deadline,
                submission_deadline=submission_deadline,
                appraisal_deadline=appraisal_deadline,
            )
        )
    return opened


@transaction.atomic
def update_deadlines(
    *,
    actor: Actor,
    cycle: Cycle,
    registration_deadline: dt.date,
    submission_deadline: dt.date,
    appraisal_deadline: dt.date,
    expected_version: int | None = None,
) -> Cycle:
    require(actor, Capability.APPRAISE, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _check_version(cycle, expected_version, f"Kỳ đánh giá năm {cycle.year}")
    _check_deadlines(registration_deadline, submission_deadline, appraisal_deadline)
    before = audit.snapshot(cycle, ["registration_deadline", "submission_deadline", "appraisal_deadline"])
    cycle.registration_deadline = registration_deadline
    cycle.submission_deadline = submission_deadline
    cycle.appraisal_deadline = appraisal_deadline
    cycle.version += 1
    cycle.save()
    audit.record_update(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=cycle,
        before=before,
        note=gettext_noop("thành phố đặt lại thời hạn"),
    )
    return cycle


@transaction.atomic
def switch_criteria_set(*, actor: Actor, cycle: Cycle, criteria_set: CriteriaSetVersion) -> Cycle:
    """Move a cycle that is still open to another version (e.g. a corrected one); values of codes that
    no longer exist are kept but not counted."""
    require(actor, Capability.APPRAISE, cycle.unit)
    _ensure_editable(cycle)
    if criteria_set.unit_id != cycle.unit.parent_id:
        raise ValidationError(
            {"criteria_set": "Bộ tiêu chí phải thuộc thư viện của thành phố quản lý đơn vị."}
        )
    before = audit.snapshot(cycle, ["criteria_set_id"])
    cycle.criteria_set = criteria_set
    cycle.version += 1
    cycle.save()
    _lock_set(criteria_set, actor)
    audit.record_update(
        actor=actor,
        unit_id=cycle.unit_id,
        obj=cycle,
        before=before,
        note=gettext_noop("đổi phiên bản bộ tiêu chí"),
    )
    return cycle
