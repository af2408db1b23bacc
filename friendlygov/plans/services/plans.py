"""Writes of the plans: created, updated, numbered when issued, revised."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.core.calendar import working_calendar
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.org.access import Actor, Capability, require
from friendlygov.org.models import Body, Unit
from friendlygov.plans.appendix import bodies_named_in, body_matcher
from friendlygov.plans.models import Duty, EventKind, Obstacle, Occurrence, Plan, YearTarget
from friendlygov.plans.parsing import DutyLine, TargetLine

from .common import _bump, _require_current, _url
from .cycle_events import _apply_events, record_cycle_event
from .occurrences import _last_year, _sync_plan

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_SPAN = 30


PLAN_FIELDS = (
    "number",
    "issued_on",
    "title",
    "bases",
    "communication_texts",
    "purposes",
    "requirements",
    "budget_sources",
    "start_year",
    "end_year",
    "open_ended",
)


def _target_lines(targets: Iterable[TargetLine | Mapping[str, Any]]) -> list[TargetLine]:
    lines = []
    for item in targets:
        if isinstance(item, TargetLine):
            lines.append(item)
        else:
            lines.append(
                TargetLine(
                    int(item["year"]),
                    str(item.get("level_code") or item.get("level") or ""),
                    str(item.get("note") or ""),
                )
            )
    return lines


def _duty_lines(duties: Iterable[DutyLine | Mapping[str, Any]]) -> list[DutyLine]:
    lines = []
    for item in duties:
        if isinstance(item, DutyLine):
            lines.append(item)
        else:
            lines.append(
                DutyLine(str(item.get("body_text") or item.get("body") or ""), str(item.get("text") or ""))
            )
    return lines


def _validate_plan(plan: Plan, targets: list[TargetLine] | None) -> None:
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if not plan.title.strip():
        add("title", _("Trích yếu kế hoạch không được để trống."))
    if not MIN_YEAR <= plan.start_year <= MAX_YEAR:
        add("start_year", _("Năm bắt đầu phải trong khoảng %(a)s–%(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR})
    if not MIN_YEAR <= plan.end_year <= MAX_YEAR:
        add("end_year", _("Năm kết thúc phải trong khoảng %(a)s–%(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR})
    elif plan.end_year < plan.start_year:
        add("end_year", _("Năm kết thúc không được trước năm bắt đầu."))
    elif plan.end_year - plan.start_year > MAX_SPAN:
        add("end_year", _("Giai đoạn kế hoạch dài quá %(n)s năm.") % {"n": MAX_SPAN})
    if plan.issued_on and not MIN_YEAR <= plan.issued_on.year <= MAX_YEAR:
        add("issued_on", _("Ngày ban hành không hợp lệ."))
    for target in targets or []:
        if not target.level_code.strip():
            add("targets", _("Mục tiêu năm %(y)s: chưa ghi mức độ.") % {"y": target.year})
        elif target.year < plan.start_year or (not plan.open_ended and target.year > plan.end_year):
            add(
                "targets",
                _("Mục tiêu năm %(y)s nằm ngoài giai đoạn %(p)s của kế hoạch.")
                % {"y": target.year, "p": plan.period_label},
            )
    if problems:
        raise ValidationError(problems)


def _clean_plan_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(_("Trường không hợp lệ: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    clean = dict(fields)
    for key in ("bases", "communication_texts", "budget_sources"):
        if key in clean:
            value = clean[key]
            items = value.splitlines() if isinstance(value, str) else list(value or [])
            clean[key] = [str(v).strip() for v in items if str(v).strip()]
    for key in ("number", "title", "purposes", "requirements"):
        if key in clean:
            clean[key] = str(clean[key] or "").strip()
    for key in ("start_year", "end_year"):
        if key in clean:
            try:
                clean[key] = int(clean[key])
            except (TypeError, ValueError):
                raise ValidationError({key: _("Năm phải là số có 4 chữ số.")}) from None
    return clean


def _replace_targets(plan: Plan, targets: list[TargetLine]) -> None:
    plan.targets.all().delete()
    YearTarget.objects.bulk_create(
        [
            YearTarget(plan=plan, year=t.year, level_code=t.level_code.strip(), note=t.note.strip()[:300])
            for t in targets
        ]
    )


def _replace_duties(plan: Plan, duties: list[DutyLine]) -> None:
    plan.duties.all().delete()
    match = body_matcher(plan.unit)

    def body_of(name: str) -> Body | None:
        named = bodies_named_in(name, match) if name else []
        return named[0] if named else None

    Duty.objects.bulk_create(
        [
            Duty(plan=plan, body=body_of(d.body_text), body_text=d.body_text[:300], text=d.text, position=i)
            for i, d in enumerate(duties)
            if d.text.strip()
        ]
    )


def _plan_state(plan: Plan) -> dict[str, Any]:
    state = audit.snapshot(plan, [*PLAN_FIELDS])
    state["targets"] = [f"{t.year}: {t.level_code} {t.note}".strip() for t in plan.targets.all()]
    state["duties"] = plan.duties.count()
    return state


@transaction.atomic
def create_plan(
    *,
    actor: Actor,
    unit: Unit,
    title: str,
    start_year: int,
    end_year: int,
    number: str = "",
    issued_on: dt.date | None = None,
    bases: Sequence[str] | str = (),
    communication_texts: Sequence[str] | str = (),
    purposes: str = "",
    requirements: str = "",
    budget_sources: Sequence[str] | str = (),
    open_ended: bool = False,
    targets: Iterable[TargetLine | Mapping[str, Any]] = (),
    duties: Iterable[DutyLine | Mapping[str, Any]] = (),
    confirm_out_of_order: bool = False,
    corrections: Sequence[str] = (),
) -> Plan:
    """A new plan. ``corrections``: the typing slips the form offered, accepted or kept (audited)."""
    require(actor, Capability.COORDINATE, unit)
    if unit.is_city:
        raise ValidationError(_("Kế hoạch này dành cho xã, phường, đặc khu."))
    fields = _clean_plan_fields(
        {
            "number": number,
            "issued_on": issued_on,
            "title": title,
            "bases": bases,
            "communication_texts": communication_texts,
            "purposes": purposes,
            "requirements": requirements,
            "budget_sources": budget_sources,
            "start_year": start_year,
            "end_year": end_year,
            "open_ended": open_ended,
        }
    )
    target_lines = _target_lines(targets)
    plan = Plan(unit=unit, created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)
    _validate_plan(plan, target_lines)
    order_note = _number_order(plan, confirm_out_of_order)
    plan.save()
    _replace_targets(plan, target_lines)
    _replace_duties(plan, _duty_lines(duties))
    audit.record_create(actor=actor, unit_id=unit.pk, obj=plan, note=_notes(order_note, corrections))
    _record_plan_issued(actor, plan)
    return plan


@transaction.atomic
def update_plan(
    *,
    actor: Actor,
    plan: Plan,
    expected_version: int | None,
    targets: Iterable[TargetLine | Mapping[str, Any]] | None = None,
    duties: Iterable[DutyLine | Mapping[str, Any]] | None = None,
    confirm_out_of_order: bool = False,
    corrections: Sequence[str] = (),
    **fields: Any,
) -> Plan:
    """Correct the current revision in place (typos, a missing number); years changed → deadlines regenerated."""
    require(actor, Capability.COORDINATE, plan.unit)
    plan = Plan.objects.select_related("unit").get(pk=plan.pk)
    _require_current(plan)
    _check_version(plan, expected_version)
    before = _plan_state(plan)
    clean = _clean_plan_fields(fields)
    years_before = (plan.start_year, plan.end_year, plan.open_ended)
    number_before = (plan.number, plan.issued_on)
    for key, value in clean.items():
        setattr(plan, key, value)
    target_lines = _target_lines(targets) if targets is not None else None
    _validate_plan(plan, target_lines if target_lines is not None else _target_lines_of(plan))
    order_note = ""
    if (plan.number, plan.issued_on) != number_before:
        order_note = _number_order(plan, confirm_out_of_order)
    _bump(Plan, plan.pk, expected_version)
    plan.version += 1
    plan.save()
    if target_lines is not None:
        _replace_targets(plan, target_lines)
    if duties is not None:
        _replace_duties(plan, _duty_lines(duties))
    if years_before != (plan.start_year, plan.end_year, plan.open_ended) and plan.tasks.exists():
        _sync_plan(plan, working_calendar(), _last_year(plan))
        _apply_events(plan.unit, actor=actor, tasks=plan.tasks.filter(is_active=True).select_related("plan"))
    audit.record(
        actor=actor,
        unit_id=plan.unit_id,
        action="update",
        obj=plan,
        changes=audit.diff(before, _plan_state(plan)),
        note=_notes(order_note, corrections),
    )
    _record_plan_issued(actor, plan)
    return plan


def _notes(order_note: str, corrections: Sequence[str]) -> str:
    """The audit note of a plan saved: a number confirmed out of order, the typing slips offered."""
    parts = [order_note] if order_note else []
    if corrections:
        parts.append("lỗi gõ được đề xuất: " + "; ".join(corrections))
    return "; ".join(parts)


def _number_order(plan: Plan, confirm: bool) -> str:
    """A number and date typed on the plan are an entry of the commune People's Committee's register: out of
    order with the documents issued there that year (a higher number dated earlier than a lower one) they
    are refused, or kept when the person confirms; returns the audit note of that confirmation."""
    # the documents area keeps the register (and reads the plans area): imported here, not at the top
    from friendlygov.documents import numbering
    from friendlygov.documents.models import Register

    number = numbering.number_of(plan.number)
    if number is None or plan.issued_on is None:
        return ""
    problem = numbering.order_problem(plan.unit, Register.COMMITTEE, number, plan.issued_on)
    if problem is None:
        return ""
    if not confirm:
        raise ValidationError({"number": ValidationError(problem.message, code="out_of_order")})
    return numbering.confirmation_note(problem)


@transaction.atomic
def record_issued_number(*, actor: Actor | None, plan: Plan, number: str, issued_on: dt.date) -> bool:
    """The number and date of the plan document the committee has just issued (documents area), written
    into the plan when it has no number yet (or has this number without a date). A plan that already
    carries another number keeps it: nothing is overwritten silently, the issued document stays the
    reference of later documents. True when the plan was changed (audited; its version moves on, so an
    edit form opened before is told)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    current = (plan.number or "").strip()
    if current and (current != number or plan.issued_on is not None):
        return False
    before = _plan_state(plan)
    plan.number, plan.issued_on = number, issued_on
    _bump(Plan, plan.pk, None)
    plan.version += 1
    plan.save(update_fields=["number", "issued_on", "version", "updated_at"])
    audit.record(
        actor=actor,
        unit_id=plan.unit_id,
        action="update",
        obj=plan,
        changes=audit.diff(before, _plan_state(plan)),
        note="số và ngày ban hành lấy từ văn bản Kế hoạch vừa ban hành",
    )
    _record_plan_issued(actor, plan)
    return True


def _record_plan_issued(actor: Actor | None, plan: Plan) -> None:
    """A plan carrying its number and date has been issued: the event of the year it was issued."""
    if not plan.number.strip() or plan.issued_on is None:
        return
    record_cycle_event(
        actor=actor,
        unit=plan.unit,
        year=plan.issued_on.year,
        kind=EventKind.PLAN_ISSUED,
        happened_on=plan.issued_on,
        source=f"plans.plan:{plan.pk}",
        label=f"Kế hoạch số {plan.number.strip()} ngày {plan.issued_on:%d/%m/%Y}",
        url=_url("plans:plan_detail", slug=plan.unit.slug, pk=plan.pk),
    )


def _target_lines_of(plan: Plan) -> list[TargetLine]:
    return [TargetLine(t.year, t.level_code, t.note) for t in plan.targets.all()]


@transaction.atomic
def revise_plan(
    *,
    actor: Actor,
    plan: Plan,
    expected_version: int | None,
    revision_note: str,
    targets: Iterable[TargetLine | Mapping[str, Any]] | None = None,
    duties: Iterable[DutyLine | Mapping[str, Any]] | None = None,
    confirm_out_of_order: bool = False,
    corrections: Sequence[str] = (),
    **fields: Any,
) -> Plan:
    """A new revision of the plan (e.g. after an amending decision). The old revision stays readable with
    its text, targets, duties and tasks; the tasks are carried over to the new revision and the work done
    (occurrences, evidence, contributions, obstacles) moves with them."""
    require(actor, Capability.COORDINATE, plan.unit)
    old = Plan.objects.select_related("unit").get(pk=plan.pk)
    _require_current(old)
    _check_version(old, expected_version)
    if not revision_note.strip():
        raise ValidationError(
            {"revision_note": _("Hãy ghi nội dung sửa đổi (ví dụ số, ngày văn bản điều chỉnh).")}
        )
    clean = _clean_plan_fields(fields)
    new = Plan(
        unit=old.unit,
        revises=old,
        revision=old.revision + 1,
        revision_note=revision_note.strip()[:500],
        appendix_text=old.appendix_text,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{key: getattr(old, key) for key in PLAN_FIELDS},
    )
    for key, value in clean.items():
        setattr(new, key, value)
    target_lines = _target_lines(targets) if targets is not None else _target_lines_of(old)
    _validate_plan(new, target_lines)
    order_note = ""
    if (new.number, new.issued_on) != (old.number, old.issued_on):
        order_note = _number_order(new, confirm_out_of_order)
    _bump(Plan, old.pk, expected_version)
    Plan.objects.filter(pk=old.pk).update(is_current=False)
    new.save()
    _replace_targets(new, target_lines)
    if duties is not None:
        _replace_duties(new, _duty_lines(duties))
    else:
        Duty.objects.bulk_create(
            [
                Duty(plan=new, body=d.body, body_text=d.body_text, text=d.text, position=d.position)
                for d in old.duties.all()
            ]
        )
    for task in old.tasks.all():
        coordinators = list(task.coordinators.all())
        old_pk = task.pk
        task.pk = None
        task.id = None
        task.plan = new
        task.carried_from_id = old_pk
        task.version = 1
        task._state.adding = True
        task.save()
        task.coordinators.set(coordinators)
        Occurrence.objects.filter(task_id=old_pk).update(task=task)
        Obstacle.objects.filter(task_id=old_pk).update(task=task)
    Obstacle.objects.filter(plan=old).update(plan=new)
    _sync_plan(new, working_calendar(), _last_year(new))
    _apply_events(new.unit, actor=actor, tasks=new.tasks.filter(is_active=True).select_related("plan"))
    _record_plan_issued(actor, new)
    audit.record_create(
        actor=actor,
        unit_id=new.unit_id,
        obj=new,
        note="; ".join(
            p
            for p in (f"sửa đổi lần {new.revision}: {new.revision_note}", _notes(order_note, corrections))
            if p
        ),
    )
    audit.record_transition(
        actor=actor,
        unit_id=old.unit_id,
        obj=old,
        field="is_current",
        old=True,
        new=False,
        note=f"thay bằng bản sửa đổi lần {new.revision}",
    )
    return new
