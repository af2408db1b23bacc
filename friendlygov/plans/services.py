"""Writes of the plans area. Each function checks access, validates, writes in one transaction and records
the audit. Reminders and the yearly extension of open-ended plans run without an actor (the daily job)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.core.calendar import working_calendar
from friendlygov.evidence.models import EvidenceFile
from friendlygov.evidence.services import store_evidence
from friendlygov.kit.concurrency import CONFLICT
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.notifications.services import notify_once
from friendlygov.org import access
from friendlygov.org import services as org_services
from friendlygov.org.access import Capability, require
from friendlygov.org.models import Body, Role, Unit
from friendlygov.plans.appendix import (
    bodies_named_in,
    body_matcher,
    check_numbers,
    parse_for_unit,
    unmatched_names,
)
from friendlygov.plans.models import (
    Contribution,
    CycleEvent,
    Duty,
    EventKind,
    Obstacle,
    Occurrence,
    OccurrenceEvidence,
    Plan,
    Task,
    YearTarget,
    local_today,
)
from friendlygov.plans.parsing import DutyLine, TargetLine
from friendlygov.rules import plan_events as ev
from friendlygov.rules.schedule import ParsedTask, Schedule, WorkingCalendar, occurrences, parse_time_phrase
from friendlygov.rules.slips import apply_slips, find_slips
from friendlygov.rules.slips import choose as choose_slips
from friendlygov.rules.slips import describe as describe_slip

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_SPAN = 30

# ---------------------------------------------------------------------------------------------- helpers


def _bump(model: type[Any], pk: int, expected_version: int | None) -> None:
    """Increment the version only if nobody else did in the meantime (race-safe optimistic lock)."""
    rows = model.objects.filter(pk=pk)
    if expected_version is not None:
        rows = rows.filter(version=int(expected_version))
    if rows.update(version=F("version") + 1) != 1:
        raise ValidationError(CONFLICT)


def _require_current(plan: Plan) -> None:
    if not plan.is_current:
        raise ValidationError(_("Bản kế hoạch này đã được sửa đổi; chỉ cập nhật được bản hiện hành."))


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs)


# ---------------------------------------------------------------------------------------------- plans

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
    actor: Any,
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
    actor: Any,
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
def record_issued_number(*, actor: Any, plan: Plan, number: str, issued_on: dt.date) -> bool:
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


def _record_plan_issued(actor: Any, plan: Plan) -> None:
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
    actor: Any,
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


# ---------------------------------------------------------------------------------------------- appendix


@dataclass
class ImportResult:
    created: int
    updated: int
    retired: int


def _apply_parsed(task: Task, parsed: ParsedTask, match: Callable[[str], Body | None]) -> list[Body]:
    task.number = parsed.number[:20]
    task.section = (parsed.section or "")[:300]
    task.text = parsed.text
    task.lead_text = parsed.lead[:300]
    task.lead_body = match(parsed.lead) if parsed.lead else None
    task.time_phrase = parsed.time_phrase[:300]
    task.schedule = parsed.schedule.to_json()
    task.flags = list(parsed.flags)
    task.notes = list(parsed.notes)
    if not task.binding_edited:
        lead_name = task.lead_body.name if task.lead_body is not None else ""
        task.event_kinds = list(ev.propose_event_kinds(parsed.text, f"{parsed.lead} {lead_name}"))
    bodies: list[Body] = []
    unmatched: list[str] = []
    for name in parsed.coordinators:
        if match(name) is None:
            unmatched.append(name)  # kept and shown; the bodies it names, if any, are linked too
        bodies.extend(b for b in bodies_named_in(name, match) if b not in bodies)
    task.coordinator_texts = unmatched
    return bodies


def _learn_body_names(actor: Any, plan: Plan, text: str, body_names: Mapping[str, Body]) -> None:
    """The coordinator's answers to "which body is this?" for names the appendix reader did not recognise:
    each becomes another name of the chosen body (audited), so this import and the next ones read it."""
    unknown = set(unmatched_names(parse_for_unit(plan.unit, text), body_matcher(plan.unit)))
    problems = []
    for name, body in body_names.items():
        if body.unit_id != plan.unit_id:
            raise Http404
        if name.strip() not in unknown:
            problems.append(_("«%(n)s» không phải tên cơ quan chưa nhận ra trong phụ lục này.") % {"n": name})
    if problems:
        raise ValidationError({"body_names": problems})
    for name, body in body_names.items():
        org_services.add_body_alias(
            actor=actor,
            body=body,
            alias=name,
            note=f"thêm tên gọi khác khi nhập phụ lục kế hoạch «{plan.title[:80]}»",
        )


@transaction.atomic
def import_appendix(
    *,
    actor: Any,
    plan: Plan,
    text: str,
    expected_version: int | None = None,
    body_names: Mapping[str, Body] | None = None,
    accepted_slips: Iterable[str] = (),
) -> ImportResult:
    """Save the appendix the coordinator confirmed. Tasks are matched to the plan's tasks by STT: same STT →
    updated, new STT → created, an STT no longer in the appendix → no longer followed (its worked
    occurrences kept). Deadlines are regenerated. `body_names` maps names the reader did not recognise to
    the unit's bodies; each is remembered as another name of that body before the appendix is read.
    `accepted_slips`: the keys of the typing slips the preview offered (``rules.slips``) that the person
    accepted — only those are corrected; accepted and refused ones are both named in the audit."""
    require(actor, Capability.COORDINATE, plan.unit)
    plan = Plan.objects.select_related("unit").get(pk=plan.pk)
    _require_current(plan)
    _check_version(plan, expected_version)
    if not text.strip():
        raise ValidationError({"text": _("Chưa có nội dung phụ lục: hãy dán bảng hoặc tải tệp lên.")})
    text, slips_note = _corrected(text, accepted_slips)
    if body_names:
        _learn_body_names(actor, plan, text, body_names)
    parsed = parse_for_unit(plan.unit, text)
    if not parsed:
        raise ValidationError(
            {
                "text": _(
                    "Không tìm thấy nhiệm vụ nào: cần bảng các cột STT, Nhiệm vụ cụ thể, Thời gian thực hiện, "
                    "Cơ quan chủ trì, Cơ quan phối hợp, phân cách bằng tab (dán trực tiếp từ Word/Excel)."
                )
            }
        )
    problems = check_numbers(parsed)
    if problems:
        raise ValidationError({"text": problems})
    match = body_matcher(plan.unit)
    existing: dict[str, Task] = {}
    for task in plan.tasks.order_by("-is_active", "id"):
        existing.setdefault(task.number, task)
    created = updated = 0
    kept_numbers = set()
    for position, item in enumerate(parsed):
        found = existing.get(item.number)
        is_new = found is None
        task = found if found is not None else Task(plan=plan)
        before = None if is_new else audit.snapshot(task)
        bodies = _apply_parsed(task, item, match)
        task.position = position
        task.is_active = True
        if not is_new:
            task.version += 1
        task.full_clean(exclude=["coordinators"])
        task.save()
        task.coordinators.set(bodies)
        kept_numbers.add(item.number)
        if is_new:
            created += 1
        elif before is not None and audit.diff(before, audit.snapshot(task, before.keys())):
            updated += 1
    retired = 0
    for number, task in existing.items():
        if number not in kept_numbers and task.is_active:
            task.is_active = False
            task.version += 1
            task.save(update_fields=["is_active", "version", "updated_at"])
            retired += 1
    _bump(Plan, plan.pk, expected_version)
    Plan.objects.filter(pk=plan.pk).update(appendix_text=text)
    plan.refresh_from_db()
    _sync_plan(plan, working_calendar(), _last_year(plan))
    _apply_events(plan.unit, actor=actor, tasks=plan.tasks.filter(is_active=True).select_related("plan"))
    audit.record(
        actor=actor,
        unit_id=plan.unit_id,
        action="update",
        obj=plan,
        changes={"tasks": [None, len(parsed)]},
        note=f"nhập phụ lục: {created} nhiệm vụ mới, {updated} cập nhật, {retired} ngừng theo dõi"
        + slips_note,
    )
    return ImportResult(created=created, updated=updated, retired=retired)


def _corrected(text: str, accepted_keys: Iterable[str]) -> tuple[str, str]:
    """The pasted text with the accepted slip corrections applied, and the audit note naming the accepted
    and the refused ones ("" when the text has none)."""
    offered = find_slips(text)
    accepted, refused = choose_slips(offered, accepted_keys)
    note = ""
    if accepted:
        note += "; sửa lỗi gõ đã chấp nhận: " + ", ".join(describe_slip(s) for s in accepted)
    if refused:
        note += "; giữ nguyên (không sửa): " + ", ".join(describe_slip(s) for s in refused)
    return apply_slips(text, accepted), note


def task_flags(task: Task, schedule: Schedule) -> list[str]:
    flags = []
    if not task.text.strip():
        flags.append("Thiếu nội dung nhiệm vụ (cột «Nhiệm vụ cụ thể»)")
    if not task.time_phrase.strip():
        flags.append("Thiếu thời gian thực hiện (cột «Thời gian thực hiện»)")
    elif not schedule.readable:
        flags.append(f"Không đọc được thời gian thực hiện: «{task.time_phrase}»")
    if not task.lead_body_id and not task.lead_text.strip():
        flags.append("Thiếu cơ quan chủ trì (cột «Cơ quan chủ trì»)")
    return flags


_UNSET: Any = object()


@transaction.atomic
def update_task(
    *,
    actor: Any,
    task: Task,
    expected_version: int | None,
    number: str | None = None,
    section: str | None = None,
    text: str | None = None,
    time_phrase: str | None = None,
    lead_body: Body | None = _UNSET,
    lead_text: str | None = None,
    coordinators: Sequence[Body] | None = None,
    coordinator_texts: Sequence[str] | str | None = None,
    weight: Decimal | int | str | None = None,
    is_active: bool | None = None,
) -> Task:
    """Edit a task after the import; a changed time phrase is read again and the deadlines regenerated."""
    require(actor, Capability.COORDINATE, task.plan.unit)
    task = Task.objects.select_related("plan__unit").get(pk=task.pk)
    unit = task.plan.unit
    _require_current(task.plan)
    _check_version(task, expected_version)
    before = audit.snapshot(task)
    before["coordinators"] = sorted(task.coordinators.values_list("pk", flat=True))
    if number is not None:
        number = number.strip()
        if not number:
            raise ValidationError({"number": _("STT không được để trống.")})
        if task.plan.tasks.filter(number=number, is_active=True).exclude(pk=task.pk).exists():
            raise ValidationError(
                {"number": _("STT «%(n)s» đã dùng cho nhiệm vụ khác của kế hoạch.") % {"n": number}}
            )
        task.number = number
    if section is not None:
        task.section = section.strip()
    if text is not None:
        if not text.strip():
            raise ValidationError({"text": _("Nội dung nhiệm vụ không được để trống.")})
        task.text = " ".join(text.split())
    if time_phrase is not None:
        task.time_phrase = " ".join(time_phrase.split())
    if lead_body is not _UNSET:
        if lead_body is not None and lead_body.unit_id != unit.pk:
            raise ValidationError({"lead_body": _("Cơ quan chủ trì không thuộc đơn vị này.")})
        task.lead_body = lead_body
    if lead_text is not None:
        task.lead_text = lead_text.strip()
    if coordinator_texts is not None:
        items = (
            coordinator_texts.splitlines() if isinstance(coordinator_texts, str) else list(coordinator_texts)
        )
        task.coordinator_texts = [" ".join(t.split()) for t in items if t.strip()]
    if weight is not None:
        try:
            value = Decimal(str(weight).replace(",", "."))
        except InvalidOperation:
            raise ValidationError({"weight": _("Trọng số phải là một số, ví dụ 1 hoặc 1,5.")}) from None
        if value <= 0 or value > 1000:
            raise ValidationError({"weight": _("Trọng số phải lớn hơn 0 (mặc định 1).")})
        task.weight = value.quantize(Decimal("0.01"))
    if is_active is not None:
        task.is_active = bool(is_active)
    schedule = parse_time_phrase(task.time_phrase)
    task.schedule = schedule.to_json()
    task.flags = task_flags(task, schedule)
    if coordinators is not None and any(b.unit_id != unit.pk for b in coordinators):
        raise ValidationError({"coordinators": _("Cơ quan phối hợp không thuộc đơn vị này.")})
    task.full_clean(exclude=["coordinators"])
    _bump(Task, task.pk, expected_version)
    task.version += 1
    task.save()
    if coordinators is not None:
        task.coordinators.set(coordinators)
    _sync_task(task, working_calendar(), _last_year(task.plan))
    _apply_events(unit, actor=actor, tasks=[task])
    after = audit.snapshot(task, [k for k in before if k != "coordinators"])
    after["coordinators"] = sorted(task.coordinators.values_list("pk", flat=True))
    audit.record(actor=actor, unit_id=unit.pk, action="update", obj=task, changes=audit.diff(before, after))
    return task


# ---------------------------------------------------------------------------------------------- occurrences


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    orphaned: int = 0

    def add(self, other: SyncResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.removed += other.removed
        self.orphaned += other.orphaned


def _last_year(plan: Plan, through: int | None = None) -> int:
    """The last year to generate: the plan's end, or for an open-ended plan at least next year."""
    if not plan.open_ended:
        return plan.end_year
    return max(plan.end_year, plan.occurrences_through or 0, through or 0, local_today().year + 1)


def worked_ids(queryset: Any) -> set[int]:
    """Occurrences someone has worked on: updated, noted, returned, with evidence or contributions."""
    return set(
        queryset.filter(
            ~Q(status=Occurrence.Status.NOT_STARTED)
            | ~Q(note="")
            | ~Q(returned_reason="")
            | Q(version__gt=1)
            | Q(evidence_links__isnull=False)
            | Q(contributions__isnull=False)
        ).values_list("pk", flat=True)
    )


def _sync_task(task: Task, calendar: WorkingCalendar, last_year: int) -> SyncResult:
    result = SyncResult()
    plan = task.plan
    wanted = {}
    if task.is_active and plan.is_current:
        for item in occurrences(task.get_schedule(), plan.start_year, last_year, calendar):
            wanted[item.period] = item
    existing = {o.period: o for o in task.occurrences.all()}
    worked = worked_ids(task.occurrences.all())
    to_create = []
    for period, item in wanted.items():
        occurrence = existing.get(period)
        if occurrence is None:
            to_create.append(
                Occurrence(
                    task=task,
                    unit_id=plan.unit_id,
                    year=item.year,
                    period=period,
                    window_start=item.window_start,
                    due=item.due,
                    kind=item.kind,
                )
            )
            continue
        changes = {
            "year": item.year,
            "window_start": item.window_start,
            "due": item.due,
            "kind": item.kind,
            "orphaned": False,
        }
        if any(getattr(occurrence, key) != value for key, value in changes.items()):
            Occurrence.objects.filter(pk=occurrence.pk).update(**changes)
            result.updated += 1
    if to_create:
        # ignore_conflicts: two jobs extending the same plan at once create each occurrence once.
        Occurrence.objects.bulk_create(to_create, ignore_conflicts=True)
        result.created += len(to_create)
    for period, occurrence in existing.items():
        if period in wanted:
            continue
        if occurrence.pk in worked:
            if not occurrence.orphaned:
                Occurrence.objects.filter(pk=occurrence.pk).update(orphaned=True)
                result.orphaned += 1
        else:
            occurrence.delete()
            result.removed += 1
    return result


def _sync_plan(plan: Plan, calendar: WorkingCalendar, last_year: int) -> SyncResult:
    result = SyncResult()
    for task in plan.tasks.select_related("plan").all():
        result.add(_sync_task(task, calendar, last_year))
    Plan.objects.filter(pk=plan.pk).update(occurrences_through=last_year)
    plan.occurrences_through = last_year
    return result


@transaction.atomic
def regenerate_occurrences(*, actor: Any, plan: Plan) -> SyncResult:
    """Recompute every deadline (e.g. after the administrator entered the year's working-day swaps).
    Occurrences someone worked on are never deleted: off the new schedule, they are kept as orphaned."""
    require(actor, Capability.COORDINATE, plan.unit)
    plan = Plan.objects.select_related("unit").get(pk=plan.pk)
    _require_current(plan)
    result = _sync_plan(plan, working_calendar(), _last_year(plan))
    _apply_events(plan.unit, actor=actor, tasks=plan.tasks.filter(is_active=True).select_related("plan"))
    audit.record(
        actor=actor,
        unit_id=plan.unit_id,
        action="update",
        obj=plan,
        note=(
            f"tính lại các hạn: {result.created} mới, {result.updated} đổi hạn, {result.removed} bỏ, "
            f"{result.orphaned} giữ lại ngoài lịch"
        ),
    )
    return result


def ensure_occurrences_through(
    year: int, *, unit: Unit | None = None, calendar: WorkingCalendar | None = None
) -> int:
    """Generate deadlines of current plans up to ``year``: open-ended plans ("và những năm tiếp theo")
    grow year by year; plans never generated get theirs. Safe to run concurrently. Returns the number
    of plans extended."""
    plans = Plan.objects.filter(is_current=True).select_related("unit")
    if unit is not None:
        plans = plans.filter(unit=unit)
    extended = 0
    for plan in plans.filter(
        Q(occurrences_through__isnull=True) | Q(open_ended=True, occurrences_through__lt=year)
    ):
        if not plan.tasks.exists():
            continue
        calendar = calendar or working_calendar()
        with transaction.atomic():
            last = _last_year(plan, through=year if plan.open_ended else None)
            _sync_plan(plan, calendar, last)
            _apply_events(
                plan.unit, actor=None, tasks=plan.tasks.filter(is_active=True).select_related("plan")
            )
            audit.record(
                actor=None,
                unit_id=plan.unit_id,
                action="update",
                obj=plan,
                note=f"tạo các hạn đến hết năm {last}",
            )
        extended += 1
    return extended


# ---------------------------------------------------------------------------------------------- doing the work


def _lock(occurrence: Occurrence) -> Occurrence:
    return (
        Occurrence.objects.select_related("task__plan__unit", "task__lead_body", "unit")
        .filter(pk=occurrence.pk)
        .get()
    )


def require_lead(actor: Any, occurrence: Occurrence) -> None:
    """404 outside the unit; 403 unless the actor works for the lead body (the coordinator for every body,
    and alone when the lead body is not one of the unit's bodies)."""
    unit = occurrence.unit
    require(actor, Capability.READ, unit)
    lead = occurrence.task.lead_body
    if lead is not None:
        if not access.can(actor, Capability.WORK, unit, body=lead):
            raise PermissionDenied
    elif not access.can(actor, Capability.COORDINATE, unit):
        raise PermissionDenied


def _validate_status(actor: Any, occurrence: Occurrence, status: str, percent: Any) -> int:
    if status not in Occurrence.Status.values:
        raise ValidationError({"status": _("Trạng thái «%(s)s» không hợp lệ.") % {"s": status}})
    if status == Occurrence.Status.CANCELLED and not access.can(
        actor, Capability.COORDINATE, occurrence.unit
    ):
        raise ValidationError(
            {"status": _("Chỉ đầu mối chương trình (Phòng VH-XH) được hủy một hạn công việc.")}
        )
    if status == Occurrence.Status.IN_PROGRESS:
        if percent in (None, ""):
            return 50
        try:
            value = int(str(percent).strip().rstrip("%"))
        except ValueError:
            raise ValidationError({"percent": _("Tiến độ phải là số phần trăm từ 1 đến 99.")}) from None
        if not 1 <= value <= 99:
            raise ValidationError(
                {
                    "percent": _(
                        "Đang thực hiện: tiến độ từ 1%% đến 99%% (0%% là chưa thực hiện, 100%% là hoàn thành)."
                    )
                    % {}
                }
            )
        return value
    if status == Occurrence.Status.NOT_STARTED:
        return 0
    if status == Occurrence.Status.DONE:
        return 100
    return occurrence.percent


@transaction.atomic
def update_occurrence(
    *,
    actor: Any,
    occurrence: Occurrence,
    expected_version: int | None,
    status: str,
    percent: int | str | None = None,
    note: str | None = None,
    upload: UploadedFile | None = None,
    effective_date: dt.date | None = None,
    evidence_title: str = "",
) -> Occurrence:
    """The lead body reports: status (percent 0 / its own 1–99, default 50 / 100), a note, and optionally
    an evidence file with its effective date."""
    occurrence = _lock(occurrence)
    require_lead(actor, occurrence)
    _check_version(occurrence, expected_version)
    _require_current(occurrence.task.plan)
    value = _validate_status(actor, occurrence, status, percent)
    before = audit.snapshot(occurrence, ["status", "percent", "note", "returned_reason"])
    _bump(Occurrence, occurrence.pk, expected_version)
    occurrence.version += 1
    was_done = occurrence.status == Occurrence.Status.DONE
    occurrence.status = status
    occurrence.percent = value
    if status != Occurrence.Status.DONE:
        occurrence.done_on = None
    elif upload is not None and effective_date is not None:
        occurrence.done_on = effective_date  # the day on the evidence (signed, held…)
    elif not was_done or occurrence.done_on is None:
        occurrence.done_on = local_today()
    occurrence.from_events = False  # reported by hand from now on
    if note is not None:
        occurrence.note = note.strip()
    occurrence.returned_reason = ""
    occurrence.updated_by = actor
    occurrence.updated_at = timezone.now()
    occurrence.save(
        update_fields=[
            "status",
            "percent",
            "done_on",
            "from_events",
            "note",
            "returned_reason",
            "updated_by",
            "updated_at",
        ]
    )
    if upload is not None:
        _attach_evidence(actor, occurrence, upload, effective_date, evidence_title)
    audit.record_update(actor=actor, unit_id=occurrence.unit_id, obj=occurrence, before=before)
    return occurrence


def _attach_evidence(
    actor: Any, occurrence: Occurrence, upload: UploadedFile, effective_date: dt.date | None, title: str
) -> OccurrenceEvidence:
    if effective_date is None:
        raise ValidationError(
            {"effective_date": _("Hãy ghi ngày hiệu lực của minh chứng (ngày ký, ngày tổ chức…).")}
        )
    evidence = store_evidence(
        actor=actor,
        unit=occurrence.unit,
        upload=upload,
        effective_date=effective_date,
        body=occurrence.task.lead_body,
        title=title or f"Nhiệm vụ {occurrence.task.number} — {occurrence.period_label_vi}",
    )
    return OccurrenceEvidence.objects.create(occurrence=occurrence, evidence=evidence, added_by=actor)


@transaction.atomic
def add_occurrence_evidence(
    *,
    actor: Any,
    occurrence: Occurrence,
    upload: UploadedFile,
    effective_date: dt.date | None,
    title: str = "",
) -> OccurrenceEvidence:
    occurrence = _lock(occurrence)
    require_lead(actor, occurrence)
    link = _attach_evidence(actor, occurrence, upload, effective_date, title)
    audit.record(
        actor=actor,
        unit_id=occurrence.unit_id,
        action="update",
        obj=occurrence,
        note=f"thêm minh chứng «{link.evidence}»",
    )
    return link


def contribution_bodies(actor: Any, occurrence: Occurrence) -> list[Body]:
    """The bodies the actor may add a contribution for: coordinating bodies of the task it works for (any
    of its bodies when the task names a group such as "Các phòng, ban, đơn vị liên quan")."""
    task = occurrence.task
    mine = access.work_bodies(actor, occurrence.unit)
    if access.can(actor, Capability.COORDINATE, occurrence.unit):
        mine = list(Body.objects.filter(unit=occurrence.unit, is_active=True))
    named = set(task.coordinators.values_list("pk", flat=True))
    allow_any = bool(task.coordinator_texts)
    return [b for b in mine if (b.pk in named or allow_any) and b.pk != task.lead_body_id]


@transaction.atomic
def add_contribution(
    *,
    actor: Any,
    occurrence: Occurrence,
    body: Body,
    note: str,
    upload: UploadedFile | None = None,
    effective_date: dt.date | None = None,
) -> Contribution:
    occurrence = _lock(occurrence)
    require(actor, Capability.READ, occurrence.unit)
    if body.unit_id != occurrence.unit_id:
        raise Http404
    if body not in contribution_bodies(actor, occurrence):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("Hãy ghi nội dung đã phối hợp thực hiện.")})
    evidence = None
    if upload is not None:
        if effective_date is None:
            raise ValidationError({"effective_date": _("Hãy ghi ngày hiệu lực của minh chứng.")})
        evidence = store_evidence(
            actor=actor,
            unit=occurrence.unit,
            upload=upload,
            effective_date=effective_date,
            body=body,
            title=f"Phối hợp nhiệm vụ {occurrence.task.number} — {body.name}",
        )
    contribution = Contribution.objects.create(
        occurrence=occurrence, body=body, note=note.strip(), evidence=evidence, created_by=actor
    )
    audit.record_create(actor=actor, unit_id=occurrence.unit_id, obj=contribution)
    return contribution


def lead_people(occurrence: Occurrence) -> list[Any]:
    """Who answers for an occurrence: the lead body's members (and coordinators), or the unit's
    coordinators when the lead body is not one of the unit's bodies or has nobody."""
    unit = occurrence.unit
    lead = occurrence.task.lead_body
    people: list[Any] = []
    if lead is not None:
        people = list(access.users_with_roles(unit, [Role.BODY_MEMBER, Role.COORDINATOR], body=lead))
    if not people:
        people = list(access.users_with_roles(unit, [Role.COORDINATOR]))
    return people


@transaction.atomic
def return_occurrence(
    *, actor: Any, occurrence: Occurrence, expected_version: int | None, reason: str
) -> Occurrence:
    """The coordinator sends an update back for more work, with a reason; the lead body is notified."""
    occurrence = _lock(occurrence)
    require(actor, Capability.COORDINATE, occurrence.unit)
    _check_version(occurrence, expected_version)
    if occurrence.status not in (Occurrence.Status.DONE, Occurrence.Status.IN_PROGRESS):
        raise ValidationError(
            {"reason": _("Chỉ trả lại được công việc đã báo cáo (đang thực hiện hoặc hoàn thành).")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại để cơ quan chủ trì bổ sung.")})
    old_status = occurrence.status
    _bump(Occurrence, occurrence.pk, expected_version)
    occurrence.version += 1
    occurrence.status = Occurrence.Status.IN_PROGRESS
    if occurrence.percent >= 100 or occurrence.percent < 1:
        occurrence.percent = 50
    occurrence.returned_reason = reason.strip()
    occurrence.returned_at = timezone.now()
    occurrence.returned_by = actor
    occurrence.save(update_fields=["status", "percent", "returned_reason", "returned_at", "returned_by"])
    audit.record_transition(
        actor=actor,
        unit_id=occurrence.unit_id,
        obj=occurrence,
        field="status",
        old=old_status,
        new=occurrence.status,
        note=f"trả lại: {occurrence.returned_reason}",
    )
    url = _url("plans:occurrence_detail", slug=occurrence.unit.slug, pk=occurrence.pk)
    title = f"Trả lại để bổ sung: nhiệm vụ {occurrence.task.number} — {occurrence.period_label_vi}"
    body = f"Lý do: {occurrence.returned_reason}"
    for person in lead_people(occurrence):
        if person.pk == getattr(actor, "pk", None):
            continue
        notify_once(
            user=person,
            dedupe_key=f"return:{occurrence.pk}:{occurrence.version}:{person.pk}",
            title=title,
            body=body,
            url=url,
            unit=occurrence.unit,
            email=True,
        )
    return occurrence


# ---------------------------------------------------------------------------------------------- obstacles


def reporting_bodies(actor: Any, unit: Unit) -> list[Body]:
    """Bodies the actor may report an obstacle for (its own; every body for the coordinator)."""
    return access.work_bodies(actor, unit)


def _notify_many(
    people: Iterable[Any], *, key: str, title: str, body: str, url: str, unit: Unit, actor: Any
) -> None:
    for person in people:
        if person.pk == getattr(actor, "pk", None):
            continue
        notify_once(
            user=person,
            dedupe_key=f"{key}:{person.pk}",
            title=title,
            body=body,
            url=url,
            unit=unit,
            email=True,
        )


@transaction.atomic
def report_obstacle(
    *, actor: Any, unit: Unit, body: Body, text: str, task: Task | None = None, plan: Plan | None = None
) -> Obstacle:
    """Any body reports a difficulty, on a task or on the programme; the coordinators are notified."""
    require(actor, Capability.READ, unit)
    if body.unit_id != unit.pk or (task is not None and task.plan.unit_id != unit.pk):
        raise Http404
    if plan is not None and plan.unit_id != unit.pk:
        raise Http404
    if body not in reporting_bodies(actor, unit):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Hãy ghi nội dung khó khăn, vướng mắc.")})
    if task is not None:
        plan = task.plan
    obstacle = Obstacle.objects.create(
        unit=unit, plan=plan, task=task, reported_by_body=body, reported_by=actor, text=text.strip()
    )
    audit.record_create(actor=actor, unit_id=unit.pk, obj=obstacle)
    url = _url("plans:obstacle_detail", slug=unit.slug, pk=obstacle.pk)
    _notify_many(
        access.users_with_roles(unit, [Role.COORDINATOR]),
        key=f"obstacle:{obstacle.pk}:reported",
        title=f"Vướng mắc mới từ {body.name}",
        body=obstacle.text,
        url=url,
        unit=unit,
        actor=actor,
    )
    return obstacle


@transaction.atomic
def forward_obstacles(
    *,
    actor: Any,
    unit: Unit,
    obstacles: Sequence[Obstacle],
    note: str,
    expected_versions: Mapping[int, int] | None = None,
) -> list[Obstacle]:
    """The coordinator consolidates one or several reported obstacles and forwards them to the leaders.
    ``expected_versions``: obstacle id → the version read (None: no check)."""
    require(actor, Capability.COORDINATE, unit)
    if not obstacles:
        raise ValidationError({"obstacles": _("Hãy chọn ít nhất một vướng mắc để tổng hợp.")})
    if not note.strip():
        raise ValidationError({"note": _("Hãy ghi ý kiến tổng hợp, đề xuất của đầu mối.")})
    fresh = list(Obstacle.objects.select_for_update().filter(pk__in=[o.pk for o in obstacles], unit=unit))
    if len(fresh) != len({o.pk for o in obstacles}):
        raise Http404
    for obstacle in fresh:
        if expected_versions is not None:
            _check_version(obstacle, expected_versions.get(obstacle.pk))
    for obstacle in fresh:
        if obstacle.status != Obstacle.Status.REPORTED:
            raise ValidationError(
                {"obstacles": _("Vướng mắc «%(t)s» đã được tổng hợp trước đó.") % {"t": obstacle.text[:60]}}
            )
    now = timezone.now()
    for obstacle in fresh:
        Obstacle.objects.filter(pk=obstacle.pk).update(
            status=Obstacle.Status.FORWARDED,
            consolidation_note=note.strip(),
            forwarded_by=actor,
            forwarded_at=now,
            version=F("version") + 1,
        )
        audit.record_transition(
            actor=actor,
            unit_id=unit.pk,
            obj=obstacle,
            field="status",
            old=obstacle.status,
            new=Obstacle.Status.FORWARDED,
        )
    count = len(fresh)
    url = _url("plans:obstacles", slug=unit.slug) + "?status=forwarded"
    _notify_many(
        access.users_with_roles(unit, [Role.UNIT_LEADER]),
        key=f"obstacles:forwarded:{'-'.join(str(o.pk) for o in fresh)}",
        title=f"Đầu mối trình {count} vướng mắc cần lãnh đạo cho ý kiến",
        body=note.strip(),
        url=url,
        unit=unit,
        actor=actor,
    )
    return list(Obstacle.objects.filter(pk__in=[o.pk for o in fresh]))


def _obstacle_for_update(
    actor: Any, obstacle: Obstacle, capability: Capability, expected_version: int | None
) -> Obstacle:
    obstacle = Obstacle.objects.select_related("unit", "reported_by_body").get(pk=obstacle.pk)
    require(actor, capability, obstacle.unit)
    _check_version(obstacle, expected_version)
    return obstacle


@transaction.atomic
def answer_obstacle(*, actor: Any, obstacle: Obstacle, expected_version: int | None, answer: str) -> Obstacle:
    """The unit leader answers a forwarded obstacle; the reporting body and the coordinators are told."""
    obstacle = _obstacle_for_update(actor, obstacle, Capability.LEAD, expected_version)
    if obstacle.status not in (Obstacle.Status.FORWARDED, Obstacle.Status.REPORTED, Obstacle.Status.ANSWERED):
        raise ValidationError({"answer": _("Vướng mắc đã đóng.")})
    if not answer.strip():
        raise ValidationError({"answer": _("Hãy ghi ý kiến trả lời, chỉ đạo.")})
    old = obstacle.status
    _bump(Obstacle, obstacle.pk, expected_version)
    obstacle.version += 1
    obstacle.status = Obstacle.Status.ANSWERED
    obstacle.answer = answer.strip()
    obstacle.answered_by = actor
    obstacle.answered_at = timezone.now()
    obstacle.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    audit.record_transition(
        actor=actor, unit_id=obstacle.unit_id, obj=obstacle, field="status", old=old, new=obstacle.status
    )
    url = _url("plans:obstacle_detail", slug=obstacle.unit.slug, pk=obstacle.pk)
    people = {p.pk: p for p in access.users_with_roles(obstacle.unit, [Role.COORDINATOR])}
    people.update(
        {
            p.pk: p
            for p in access.users_with_roles(
                obstacle.unit, [Role.BODY_MEMBER, Role.JOINT_SCORER], body=obstacle.reported_by_body
            )
        }
    )
    if obstacle.reported_by is not None:
        people[obstacle.reported_by.pk] = obstacle.reported_by
    _notify_many(
        people.values(),
        key=f"obstacle:{obstacle.pk}:answered:{obstacle.version}",
        title="Lãnh đạo đã trả lời vướng mắc",
        body=f"{obstacle.text[:200]}\nTrả lời: {obstacle.answer}",
        url=url,
        unit=obstacle.unit,
        actor=actor,
    )
    return obstacle


@transaction.atomic
def close_obstacle(
    *, actor: Any, obstacle: Obstacle, expected_version: int | None, note: str = ""
) -> Obstacle:
    """The coordinator or the leader closes an obstacle (resolved, or answered and done)."""
    obstacle = Obstacle.objects.select_related("unit").get(pk=obstacle.pk)
    require(actor, Capability.READ, obstacle.unit)
    if not (
        access.can(actor, Capability.COORDINATE, obstacle.unit)
        or access.can(actor, Capability.LEAD, obstacle.unit)
    ):
        raise PermissionDenied
    _check_version(obstacle, expected_version)
    if obstacle.status == Obstacle.Status.CLOSED:
        raise ValidationError(_("Vướng mắc đã đóng."))
    old = obstacle.status
    _bump(Obstacle, obstacle.pk, expected_version)
    obstacle.version += 1
    obstacle.status = Obstacle.Status.CLOSED
    obstacle.closing_note = note.strip()
    obstacle.save(update_fields=["status", "closing_note"])
    audit.record_transition(
        actor=actor,
        unit_id=obstacle.unit_id,
        obj=obstacle,
        field="status",
        old=old,
        new=obstacle.status,
        note=note.strip(),
    )
    return obstacle


# ---------------------------------------------------------------------------------------------- reminders

REMIND_DAYS = 7


@dataclass
class RemindResult:
    sent: int = 0
    already: int = 0
    occurrences: int = 0


def reminder_step(occurrence: Occurrence, today: dt.date) -> str | None:
    """ "late" after the due date, "1d" due today or tomorrow, "7d" due within 7 days, else None."""
    days = (occurrence.due - today).days
    if days < 0:
        return "late"
    if days <= 1:
        return "1d"
    if days <= REMIND_DAYS:
        return "7d"
    return None


def _reminder_text(occurrence: Occurrence, step: str, today: dt.date) -> tuple[str, str]:
    task = occurrence.task
    due = f"{occurrence.due:%d/%m/%Y}"
    what = f"nhiệm vụ {task.number} ({occurrence.period_label_vi})"
    if step == "late":
        days = (today - occurrence.due).days
        title = f"Quá hạn {days} ngày: {what}, hạn {due}"
    elif step == "1d":
        title = f"{'Đến hạn hôm nay' if occurrence.due == today else 'Đến hạn ngày mai'}: {what}, hạn {due}"
    else:
        title = f"Sắp đến hạn ({due}): {what}"
    lead = task.lead_label or "chưa xác định"
    body = f"{task.text[:300]}\nChủ trì: {lead}. Tiến độ hiện tại: {occurrence.percent}%."
    return title, body


def send_reminders(
    *, actor: Any = None, today: dt.date | None = None, unit: Unit | None = None
) -> RemindResult:
    """Remind each responsible person of what is due in 7 days, due tomorrow, and late — by e-mail and in
    the app, once per occurrence, step and person (the unique notification key makes a second run, even
    on another machine at the same time, send nothing). Lead body's people get their items; the unit's
    coordinators also get everything late."""
    today = today or local_today()
    result = RemindResult()
    items = (
        Occurrence.objects.filter(
            task__plan__is_current=True,
            task__is_active=True,
            orphaned=False,
            due__lte=today + dt.timedelta(days=REMIND_DAYS),
        )
        .exclude(status__in=Occurrence.CLOSED)
        .select_related("task__lead_body", "task__plan", "unit")
        .order_by("due", "pk")
    )
    if unit is not None:
        items = items.filter(unit=unit)
    coordinators_by_unit: dict[int, list[Any]] = {}
    for occurrence in items:
        step = reminder_step(occurrence, today)
        if step is None:
            continue
        result.occurrences += 1
        people = {p.pk: p for p in lead_people(occurrence)}
        if step == "late":
            if occurrence.unit_id not in coordinators_by_unit:
                coordinators_by_unit[occurrence.unit_id] = list(
                    access.users_with_roles(occurrence.unit, [Role.COORDINATOR])
                )
            people.update({p.pk: p for p in coordinators_by_unit[occurrence.unit_id]})
        title, body = _reminder_text(occurrence, step, today)
        url = _url("plans:occurrence_detail", slug=occurrence.unit.slug, pk=occurrence.pk)
        for person in people.values():
            sent = notify_once(
                user=person,
                dedupe_key=f"remind:{occurrence.pk}:{step}:{person.pk}",
                title=title,
                body=body,
                url=url,
                unit=occurrence.unit,
                email=True,
            )
            if sent is None:
                result.already += 1
            else:
                result.sent += 1
    return result


# ---------------------------------------------------------------------------------------------- cycle events

# Documents issued by the documents area (its Kind values) and the event each is.
DOCUMENT_EVENTS: dict[str, str] = {
    "plan": EventKind.PLAN_ISSUED,
    "annual_report": EventKind.ANNUAL_REPORT_ISSUED,
    "review": EventKind.REVIEW_ISSUED,
    "self_assessment": EventKind.SELF_ASSESSMENT_REPORT,
}


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def record_cycle_event(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    kind: str,
    happened_on: dt.date | dt.datetime,
    source: str,
    label: str,
    url: str = "",
    evidence: EvidenceFile | None = None,
) -> CycleEvent | None:
    """An event of the cycle happened in the area that calls this, inside that area's own transaction
    (a registration sent, a self-assessment submitted, a communication activity recorded…). It is kept
    once per ``source`` (the same event twice changes nothing; a corrected record moves it), and the
    occurrences of ``year`` of every task bound to ``kind`` are completed from the events: dated with
    the event, with its file (``evidence``) or its link as evidence. No access check here: the caller's
    service checked the action itself. None for a city (cities have no plan of their own)."""
    if kind not in ev.ALL_KINDS:
        raise ValueError(f"unknown cycle event kind {kind!r}")
    if unit.is_city:
        return None
    day = _as_date(happened_on)
    values = {
        "year": int(year),
        "happened_on": day,
        "label": label.strip()[:300],
        "url": url[:500],
        "evidence": evidence,
    }
    event = CycleEvent.objects.select_for_update().filter(unit=unit, kind=kind, source=source).first()
    years = {int(year)}
    if event is None:
        event = CycleEvent.objects.create(
            unit=unit, kind=kind, source=source, recorded_by=_person(actor), **values
        )
        audit.record_create(actor=actor, unit_id=unit.pk, obj=event)
    else:
        before = audit.snapshot(event, ["year", "happened_on", "label", "url", "evidence_id"])
        years.add(event.year)
        for name, value in values.items():
            setattr(event, name, value)
        if not audit.diff(before, audit.snapshot(event, before.keys())):
            return event
        event.save()
        audit.record_update(actor=actor, unit_id=unit.pk, obj=event, before=before)
    _apply_events(unit, actor=actor, years=years, kinds={kind})
    return event


@transaction.atomic
def withdraw_cycle_event(*, actor: Any, unit: Unit, kind: str, source: str) -> bool:
    """The record behind an event was removed (an activity deleted, a review set back to pending): the
    event goes and the year's progress of the bound tasks goes down with it. False when not recorded."""
    event = CycleEvent.objects.select_for_update().filter(unit=unit, kind=kind, source=source).first()
    if event is None:
        return False
    year = event.year
    audit.record_delete(actor=actor, unit_id=unit.pk, obj=event)
    event.delete()
    _apply_events(unit, actor=actor, years={year}, kinds={kind})
    return True


def record_document_issued(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    document_kind: str,
    issued_on: dt.date,
    source: str,
    label: str,
    url: str = "",
) -> CycleEvent | None:
    """A document of the cycle was issued with its number (documents area): the plan, the annual
    report, the mid-term/final review, or the self-assessment report (the evidence of the submitted
    self-assessment). Other kinds are no event of the plan."""
    kind = DOCUMENT_EVENTS.get(document_kind)
    if kind is None:
        return None
    return record_cycle_event(
        actor=actor,
        unit=unit,
        year=year,
        kind=kind,
        happened_on=issued_on,
        source=source,
        label=label,
        url=url,
    )


def _relevant_kinds(task: Task) -> set[str]:
    """The kinds whose events matter to the task: its own and those that are evidence of them."""
    bound = set(task.event_kinds or [])
    return bound | {kind for kind, target in ev.EVIDENCE_FOR.items() if target in bound}


def _done_on(kinds: Sequence[str], events: Sequence[CycleEvent], yearly_count: int) -> dt.date | None:
    """The day the last needed event happened (the N-th activity for an activity kind)."""
    days = []
    for kind in kinds:
        dates = sorted(e.happened_on for e in events if e.kind == kind)
        need = max(1, yearly_count) if kind in ev.ACTIVITY_KINDS else 1
        if len(dates) < need:
            return None
        days.append(dates[need - 1])
    return max(days) if days else None


def _apply_task_year(task: Task, year: int, actor: Any) -> None:
    kinds = list(task.event_kinds or [])
    if not kinds or not task.is_active or not task.plan.is_current:
        return
    events = list(
        CycleEvent.objects.filter(
            unit_id=task.plan.unit_id, year=year, kind__in=_relevant_kinds(task)
        ).order_by("happened_on", "pk")
    )
    counts = Counter(e.kind for e in events)
    state = ev.binding_state(kinds, counts, task.yearly_count)
    done_on = _done_on(kinds, events, task.yearly_count) if state.done else None
    has_events = any(e.kind in kinds for e in events)
    for occurrence in Occurrence.objects.filter(task=task, year=year, orphaned=False).select_related("task"):
        if occurrence.status == Occurrence.Status.CANCELLED:
            continue
        hand_done = occurrence.status == Occurrence.Status.DONE and not occurrence.from_events
        if not hand_done and (has_events or occurrence.from_events):
            if state.done:
                status = Occurrence.Status.DONE
            elif state.percent > 0:
                status = Occurrence.Status.IN_PROGRESS
            else:
                status = Occurrence.Status.NOT_STARTED
            wanted = (status, state.percent, done_on, has_events)
            if (occurrence.status, occurrence.percent, occurrence.done_on, occurrence.from_events) != wanted:
                before = audit.snapshot(occurrence, ["status", "percent", "done_on"])
                _bump(Occurrence, occurrence.pk, None)
                occurrence.version += 1
                occurrence.status, occurrence.percent, occurrence.done_on, occurrence.from_events = wanted
                occurrence.returned_reason = ""
                occurrence.updated_by = _person(actor)
                occurrence.updated_at = timezone.now()
                occurrence.save(
                    update_fields=[
                        "status",
                        "percent",
                        "done_on",
                        "from_events",
                        "returned_reason",
                        "updated_by",
                        "updated_at",
                    ]
                )
                audit.record_update(
                    actor=actor,
                    unit_id=occurrence.unit_id,
                    obj=occurrence,
                    before=before,
                    note="theo sự kiện của chu kỳ",
                )
        _link_event_evidence(occurrence, events, actor)


def _link_event_evidence(occurrence: Occurrence, events: Sequence[CycleEvent], actor: Any) -> None:
    """The events' files as the occurrence's evidence (once each; a replaced file replaces the link)."""
    by_event = {e.pk: e for e in events}
    linked: dict[int, OccurrenceEvidence] = {}
    for link in OccurrenceEvidence.objects.filter(occurrence=occurrence, event__isnull=False):
        event = by_event.get(link.event_id or 0)
        if event is None or event.evidence_id != link.evidence_id:
            link.delete()  # the event moved to another year or its file was replaced
        else:
            linked[event.pk] = link
    for event in events:
        if event.evidence_id and event.pk not in linked:
            OccurrenceEvidence.objects.create(
                occurrence=occurrence, evidence_id=event.evidence_id, event=event, added_by=_person(actor)
            )


def _apply_events(
    unit: Unit,
    *,
    actor: Any,
    years: Iterable[int] | None = None,
    kinds: set[str] | None = None,
    tasks: Iterable[Task] | None = None,
) -> None:
    """Bring the bound tasks' occurrences in line with the recorded events (of ``years``, else of every
    year with an event or an occurrence completed from events)."""
    if tasks is None:
        tasks = Task.objects.filter(plan__unit=unit, plan__is_current=True, is_active=True).select_related(
            "plan"
        )
    for task in tasks:
        relevant = _relevant_kinds(task)
        if not task.event_kinds or (kinds is not None and not relevant & kinds):
            continue
        if years is not None:
            wanted = set(years)
        else:
            wanted = set(
                CycleEvent.objects.filter(unit=unit, kind__in=relevant).values_list("year", flat=True)
            ) | set(Occurrence.objects.filter(task=task, from_events=True).values_list("year", flat=True))
        for year in sorted(wanted):
            _apply_task_year(task, year, actor)


@transaction.atomic
def set_task_binding(
    *,
    actor: Any,
    task: Task,
    expected_version: int | None,
    event_kinds: Sequence[str],
    yearly_count: int | str | None = None,
) -> Task:
    """Staff choose the events that show the task done (none: progress recorded by hand) and, for
    activities, how many are needed each year. The events already recorded are applied at once."""
    require(actor, Capability.COORDINATE, task.plan.unit)
    task = Task.objects.select_related("plan__unit").get(pk=task.pk)
    _require_current(task.plan)
    _check_version(task, expected_version)
    try:
        kinds = ev.clean_kinds(event_kinds)
    except ValueError as exc:
        raise ValidationError(
            {"event_kinds": _("Sự kiện «%(e)s» không có trong danh sách.") % {"e": exc}}
        ) from None
    count = task.yearly_count
    if yearly_count not in (None, ""):
        try:
            count = int(str(yearly_count).strip())
        except ValueError:
            count = 0
        if not 1 <= count <= 1000:
            raise ValidationError(
                {"yearly_count": _("Số hoạt động cần đạt mỗi năm phải là số nguyên từ 1 đến 1000.")}
            )
    before = audit.snapshot(task, ["event_kinds", "yearly_count"])
    _bump(Task, task.pk, expected_version)
    task.version += 1
    task.event_kinds = list(kinds)
    task.yearly_count = count
    task.binding_edited = True
    task.save(update_fields=["event_kinds", "yearly_count", "binding_edited", "version", "updated_at"])
    audit.record_update(
        actor=actor, unit_id=task.plan.unit_id, obj=task, before=before, note="đổi sự kiện hoàn thành"
    )
    _apply_events(task.plan.unit, actor=actor, tasks=[task])
    return task
