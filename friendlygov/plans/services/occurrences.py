"""The occurrences of a plan's tasks: generated from the schedules, kept in step with them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from friendlygov.audit import services as audit
from friendlygov.core.calendar import working_calendar
from friendlygov.org.access import Actor, Capability, require
from friendlygov.org.models import Unit
from friendlygov.plans.models import Occurrence, Plan, Task, local_today
from friendlygov.rules.schedule import WorkingCalendar, occurrences

from .common import _require_current
from .cycle_events import _apply_events


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
def regenerate_occurrences(*, actor: Actor, plan: Plan) -> SyncResult:
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
