"""Writes of a plan's appendix: tasks imported from a table, and a task edited."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.core.calendar import working_calendar
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.org import services as org_services
from friendlygov.org.access import Actor, Capability, require
from friendlygov.org.models import Body
from friendlygov.plans.appendix import (
    bodies_named_in,
    body_matcher,
    check_numbers,
    parse_for_unit,
    unmatched_names,
)
from friendlygov.plans.models import Plan, Task
from friendlygov.rules import plan_events as ev
from friendlygov.rules.schedule import ParsedTask, Schedule, parse_time_phrase
from friendlygov.rules.slips import apply_slips, find_slips
from friendlygov.rules.slips import choose as choose_slips
from friendlygov.rules.slips import describe as describe_slip

from .common import _bump, _require_current
from .cycle_events import _apply_events
from .occurrences import _last_year, _sync_plan, _sync_task


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


def _learn_body_names(actor: Actor, plan: Plan, text: str, body_names: Mapping[str, Body]) -> None:
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
    actor: Actor,
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
    actor: Actor,
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
