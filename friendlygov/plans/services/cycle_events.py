"""The events of the programme (assessment steps, documents issued) that mark plan tasks done."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.evidence.models import EvidenceFile
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.org.access import Actor, Capability, require
from friendlygov.org.models import Unit
from friendlygov.plans.models import CycleEvent, EventKind, Occurrence, OccurrenceEvidence, Task
from friendlygov.rules import plan_events as ev

from .common import _bump, _require_current

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


def _person(actor: Actor | None) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def record_cycle_event(
    *,
    actor: Actor | None,
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
def withdraw_cycle_event(*, actor: Actor, unit: Unit, kind: str, source: str) -> bool:
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
    actor: Actor | None,
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


def _apply_task_year(task: Task, year: int, actor: Actor | None) -> None:
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


def _link_event_evidence(occurrence: Occurrence, events: Sequence[CycleEvent], actor: Actor | None) -> None:
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
    actor: Actor | None,
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
    actor: Actor,
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
