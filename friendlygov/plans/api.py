"""The plans API: the same services and access checks as the pages (outsiders get 404, readers 403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params.functions import File, Form

from friendlygov.kit.concurrency import ExpectedVersion
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Body
from friendlygov.plans import selectors, services
from friendlygov.plans.models import Obstacle, Occurrence, Plan, Task

router = Router(tags=["Kế hoạch"])


# ---------------------------------------------------------------------------------------------- schemas


class BodyRef(Schema):
    id: int
    code: str
    name: str


class TargetOut(Schema):
    year: int
    level_code: str
    note: str = ""


class DutyOut(Schema):
    body: BodyRef | None
    body_text: str
    text: str


class TaskOut(Schema):
    id: int
    number: str
    section: str
    text: str
    lead_body: BodyRef | None
    lead_text: str
    coordinators: list[BodyRef]
    coordinator_texts: list[str]
    time_phrase: str
    schedule: dict[str, Any]
    schedule_label: str
    weight: str
    flags: list[str]
    notes: list[str]
    is_active: bool
    event_kinds: list[str]
    yearly_count: int
    version: int


class BindingIn(Schema):
    event_kinds: list[str]
    yearly_count: int | None = None
    expected_version: int


class PlanOut(Schema):
    id: int
    unit: str
    number: str
    issued_on: dt.date | None
    title: str
    start_year: int
    end_year: int
    open_ended: bool
    revision: int
    revises: int | None
    is_current: bool
    version: int
    targets: list[TargetOut]


class PlanDetailOut(PlanOut):
    bases: list[str]
    communication_texts: list[str]
    purposes: str
    requirements: str
    budget_sources: list[str]
    duties: list[DutyOut]
    tasks: list[TaskOut]


class PlanIn(Schema):
    title: str
    start_year: int
    end_year: int
    number: str = ""
    issued_on: dt.date | None = None
    open_ended: bool = False
    bases: list[str] = []
    communication_texts: list[str] = []
    purposes: str = ""
    requirements: str = ""
    budget_sources: list[str] = []
    targets: list[TargetOut] = []
    duties: list[dict[str, str]] = []
    # a number dated before a lower one already issued by the committee that year (or after a higher one)
    # is refused unless confirmed; the confirmation is recorded in the audit
    confirm_out_of_order: bool = False


class AppendixPreviewIn(Schema):
    text: str


class AppendixIn(AppendixPreviewIn):
    expected_version: ExpectedVersion  # the plan's version
    # keys of the typing slips the preview offered that the person accepts; the others stay as typed
    accepted_slips: list[str] = []


class SlipOut(Schema):
    key: str
    line: int
    found: str
    replacement: str
    kind: str
    context: str


class PreviewOut(Schema):
    tasks: list[dict[str, Any]]
    problems: list[str]
    slips: list[SlipOut]
    retired: list[str]
    first_year: int
    can_save: bool


class AppendixImportOut(Schema):
    created: int
    updated: int
    retired: int
    tasks: list[TaskOut]


class PlanEvidenceOut(Schema):
    id: int
    name: str
    title: str
    content_type: str
    size: int
    sha256: str
    effective_date: dt.date
    uploaded_at: dt.datetime
    url: str


class OccurrenceOut(Schema):
    id: int
    plan: int
    task: int
    task_number: str
    year: int
    period: str
    window_start: dt.date
    due: dt.date
    kind: str
    status: str
    percent: int
    note: str
    late: bool
    orphaned: bool
    returned_reason: str
    version: int
    updated_at: dt.datetime | None
    evidence: list[PlanEvidenceOut]


class OccurrencePatch(Schema):
    status: str
    percent: int | None = None
    note: str | None = None
    expected_version: ExpectedVersion


class OccurrenceReturnIn(Schema):
    reason: str
    expected_version: ExpectedVersion


class ObstacleOut(Schema):
    id: int
    plan: int | None
    task: int | None
    body: BodyRef
    text: str
    status: str
    consolidation_note: str
    answer: str
    created_at: dt.datetime
    version: int


class ObstacleIn(Schema):
    body_id: int
    text: str
    task_id: int | None = None


class ObstacleVersionIn(Schema):
    id: int
    expected_version: ExpectedVersion


class ForwardIn(Schema):
    obstacles: list[ObstacleVersionIn]
    note: str


class ObstacleAnswerIn(Schema):
    answer: str
    expected_version: ExpectedVersion


class CloseIn(Schema):
    note: str = ""
    expected_version: ExpectedVersion


# ---------------------------------------------------------------------------------------------- output


def _body(body: Body | None) -> dict[str, Any] | None:
    return {"id": body.pk, "code": body.code, "name": body.name} if body is not None else None


def _task_out(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "number": task.number,
        "section": task.section,
        "text": task.text,
        "lead_body": _body(task.lead_body),
        "lead_text": task.lead_text,
        "coordinators": [_body(b) for b in task.coordinators.all()],
        "coordinator_texts": list(task.coordinator_texts),
        "time_phrase": task.time_phrase,
        "schedule": task.schedule,
        "schedule_label": task.schedule_label,
        "weight": str(task.weight),
        "flags": list(task.flags),
        "notes": list(task.notes),
        "is_active": task.is_active,
        "event_kinds": list(task.event_kinds),
        "yearly_count": task.yearly_count,
        "version": task.version,
    }


def _plan_out(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "unit": plan.unit.slug,
        "number": plan.number,
        "issued_on": plan.issued_on,
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "open_ended": plan.open_ended,
        "revision": plan.revision,
        "revises": plan.revises_id,
        "is_current": plan.is_current,
        "version": plan.version,
        "targets": [{"year": t.year, "level_code": t.level_code, "note": t.note} for t in plan.targets.all()],
    }


def _plan_detail(plan: Plan) -> dict[str, Any]:
    data = _plan_out(plan)
    data.update(
        {
            "bases": list(plan.bases),
            "communication_texts": list(plan.communication_texts),
            "purposes": plan.purposes,
            "requirements": plan.requirements,
            "budget_sources": list(plan.budget_sources),
            "duties": [
                {"body": _body(d.body), "body_text": d.body_text, "text": d.text} for d in plan.duties.all()
            ],
            "tasks": [_task_out(t) for t in selectors.plan_tasks(plan, include_inactive=True)],
        }
    )
    return data


def _evidence_out(evidence: Any) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "id": evidence.pk,
        "name": evidence.original_name,
        "title": evidence.title,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "effective_date": evidence.effective_date,
        "uploaded_at": evidence.uploaded_at,
        "url": reverse("evidence:download", kwargs={"pk": evidence.pk}),
    }


def _occurrence_out(occurrence: Occurrence) -> dict[str, Any]:
    return {
        "id": occurrence.pk,
        "plan": occurrence.task.plan_id,
        "task": occurrence.task_id,
        "task_number": occurrence.task.number,
        "year": occurrence.year,
        "period": occurrence.period,
        "window_start": occurrence.window_start,
        "due": occurrence.due,
        "kind": occurrence.kind,
        "status": occurrence.status,
        "percent": occurrence.percent,
        "note": occurrence.note,
        "late": occurrence.late,
        "orphaned": occurrence.orphaned,
        "returned_reason": occurrence.returned_reason,
        "version": occurrence.version,
        "updated_at": occurrence.updated_at,
        "evidence": [
            _evidence_out(link.evidence) for link in occurrence.evidence_links.select_related("evidence")
        ],
    }


def _obstacle_out(obstacle: Obstacle) -> dict[str, Any]:
    return {
        "id": obstacle.pk,
        "plan": obstacle.plan_id,
        "task": obstacle.task_id,
        "body": _body(obstacle.reported_by_body),
        "text": obstacle.text,
        "status": obstacle.status,
        "consolidation_note": obstacle.consolidation_note,
        "answer": obstacle.answer,
        "created_at": obstacle.created_at,
        "version": obstacle.version,
    }


# ---------------------------------------------------------------------------------------------- lookups


def _plan(request: HttpRequest, plan_id: int, capability: Capability = Capability.READ) -> Plan:
    return access.get_object_for(request.user, Plan.objects.select_related("unit"), capability, pk=plan_id)


def _occurrence(request: HttpRequest, occurrence_id: int) -> Occurrence:
    return access.get_object_for(
        request.user,
        Occurrence.objects.select_related("task__plan__unit", "task__lead_body", "unit"),
        Capability.READ,
        pk=occurrence_id,
    )


def _obstacle(request: HttpRequest, obstacle_id: int) -> Obstacle:
    return access.get_object_for(
        request.user,
        Obstacle.objects.select_related("unit", "reported_by_body"),
        Capability.READ,
        pk=obstacle_id,
    )


def _date(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise ValidationError({field: f"Ngày «{value}» không hợp lệ (dạng YYYY-MM-DD hoặc dd/mm/yyyy)."})


# ---------------------------------------------------------------------------------------------- plans


@router.get("/units/{slug}/plans", response=list[PlanOut])
def list_plans(request: HttpRequest, slug: str, current: bool = False) -> list[dict[str, Any]]:
    """The unit's plans (every revision; ``current=true`` for the current ones only)."""
    unit = access.get_unit_for(request.user, slug)
    plans = Plan.objects.filter(unit=unit).select_related("unit").prefetch_related("targets")
    if current:
        plans = plans.filter(is_current=True)
    return [_plan_out(p) for p in plans]


@router.post("/units/{slug}/plans", response={201: PlanDetailOut})
def create_plan(request: AuthenticatedRequest, slug: str, payload: PlanIn) -> Any:
    unit = access.get_unit_for(request.user, slug)
    data = payload.dict()
    data["targets"] = [dict(t) for t in data["targets"]]
    plan = services.create_plan(actor=request.user, unit=unit, **data)
    return Status(201, _plan_detail(plan))


@router.get("/plans/{plan_id}", response=PlanDetailOut)
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    """A plan with its targets, duties and tasks."""
    return _plan_detail(_plan(request, plan_id))


@router.post("/plans/{plan_id}/appendix/preview", response=PreviewOut)
def preview_appendix(request: HttpRequest, plan_id: int, payload: AppendixPreviewIn) -> dict[str, Any]:
    """Parse an appendix (TSV text) like ``friendlygov plan parse``, with the unit's bodies matched, the
    first year's deadlines and the next one. Saves nothing."""
    plan = _plan(request, plan_id, Capability.COORDINATE)
    preview = selectors.preview_appendix(plan=plan, text=payload.text)
    return {
        "tasks": [t.to_json() for t in preview.tasks],
        "problems": preview.problems,
        "slips": [
            {
                "key": s.key,
                "line": s.line,
                "found": s.found,
                "replacement": s.replacement,
                "kind": s.kind,
                "context": s.context,
            }
            for s in preview.slips
        ],
        "retired": [t.number for t in preview.retired],
        "first_year": preview.first_year,
        "can_save": preview.can_save,
    }


@router.post("/plans/{plan_id}/appendix", response=AppendixImportOut)
def import_appendix(request: AuthenticatedRequest, plan_id: int, payload: AppendixIn) -> dict[str, Any]:
    """Save the appendix (tasks matched by STT) and generate the deadlines."""
    plan = _plan(request, plan_id, Capability.COORDINATE)
    result = services.import_appendix(
        actor=request.user,
        plan=plan,
        text=payload.text,
        expected_version=payload.expected_version,
        accepted_slips=payload.accepted_slips,
    )
    return {
        "created": result.created,
        "updated": result.updated,
        "retired": result.retired,
        "tasks": [_task_out(t) for t in selectors.plan_tasks(plan)],
    }


# ---------------------------------------------------------------------------------------------- occurrences


@router.get("/units/{slug}/occurrences", response=list[OccurrenceOut])
def list_occurrences(
    request: HttpRequest,
    slug: str,
    plan: int | None = None,
    task: int | None = None,
    body: int | None = None,
    status: str = "",
    year: int | None = None,
    q: str = "",
    due_from: str | None = None,
    due_to: str | None = None,
) -> list[dict[str, Any]]:
    """Deadlines of the unit's current plans. ``status``: not_started, in_progress, done, cancelled, or
    ``late`` / ``open``; ``body``: the lead body's id; ``q``: search without diacritics."""
    unit = access.get_unit_for(request.user, slug)
    if status and status not in (*Occurrence.Status.values, "late", "open"):
        raise ValidationError({"status": f"Trạng thái «{status}» không hợp lệ."})
    spec = selectors.OccurrenceFilter(
        plan=Plan.objects.filter(unit=unit, pk=plan).first() if plan else None,
        task=Task.objects.filter(plan__unit=unit, pk=task).first() if task else None,
        body=Body.objects.filter(unit=unit, pk=body).first() if body else None,
        status=status,
        year=year,
        query=q,
        due_from=_date(due_from, "due_from"),
        due_to=_date(due_to, "due_to"),
    )
    if (plan and spec.plan is None) or (task and spec.task is None) or (body and spec.body is None):
        return []
    return [_occurrence_out(o) for o in selectors.filter_occurrences(unit, spec)]


@router.put("/tasks/{task_id}/binding", response=TaskOut)
def set_task_binding(request: AuthenticatedRequest, task_id: int, payload: BindingIn) -> dict[str, Any]:
    """The events that show the task done (``friendlygov.rules.plan_events.BINDABLE`` values; empty: by
    hand) and the yearly count of activities; the coordinator only."""
    task = access.get_object_for(
        request.user,
        Task.objects.select_related("plan__unit", "lead_body"),
        Capability.COORDINATE,
        unit_path="plan.unit",
        pk=task_id,
    )
    updated = services.set_task_binding(
        actor=request.user,
        task=task,
        expected_version=payload.expected_version,
        event_kinds=payload.event_kinds,
        yearly_count=payload.yearly_count,
    )
    return _task_out(Task.objects.select_related("lead_body").get(pk=updated.pk))


@router.get("/occurrences/{occurrence_id}", response=OccurrenceOut)
def get_occurrence(request: HttpRequest, occurrence_id: int) -> dict[str, Any]:
    return _occurrence_out(_occurrence(request, occurrence_id))


@router.patch("/occurrences/{occurrence_id}", response=OccurrenceOut)
def update_occurrence(
    request: AuthenticatedRequest, occurrence_id: int, payload: OccurrencePatch
) -> dict[str, Any]:
    """The lead body's update: status, percent (in progress: 1–99, default 50), note; ``expected_version``
    is the version read (a different one → 422, someone else saved in between)."""
    occurrence = _occurrence(request, occurrence_id)
    updated = services.update_occurrence(
        actor=request.user,
        occurrence=occurrence,
        expected_version=payload.expected_version,
        status=payload.status,
        percent=payload.percent,
        note=payload.note,
    )
    return _occurrence_out(updated)


@router.post("/occurrences/{occurrence_id}/evidence", response={201: PlanEvidenceOut})
def upload_evidence(
    request: AuthenticatedRequest,
    occurrence_id: int,
    file: UploadedFile = File(...),  # noqa: B008
    effective_date: str = Form(...),  # noqa: B008
    title: str = Form(""),  # noqa: B008
) -> Any:
    """Multipart upload of an evidence file (PDF, image, Word, Excel) with its effective date."""
    occurrence = _occurrence(request, occurrence_id)
    link = services.add_occurrence_evidence(
        actor=request.user,
        occurrence=occurrence,
        upload=file,
        effective_date=_date(effective_date, "effective_date"),
        title=title,
    )
    return Status(201, _evidence_out(link.evidence))


@router.post("/occurrences/{occurrence_id}/return", response=OccurrenceOut)
def return_occurrence(
    request: AuthenticatedRequest, occurrence_id: int, payload: OccurrenceReturnIn
) -> dict[str, Any]:
    occurrence = _occurrence(request, occurrence_id)
    updated = services.return_occurrence(
        actor=request.user,
        occurrence=occurrence,
        expected_version=payload.expected_version,
        reason=payload.reason,
    )
    return _occurrence_out(updated)


# ---------------------------------------------------------------------------------------------- obstacles


@router.get("/units/{slug}/obstacles", response=list[ObstacleOut])
def list_obstacles(request: HttpRequest, slug: str, status: str = "", q: str = "") -> list[dict[str, Any]]:
    unit = access.get_unit_for(request.user, slug)
    return [_obstacle_out(o) for o in selectors.obstacles_for_unit(unit, status=status, query=q)]


@router.post("/units/{slug}/obstacles", response={201: ObstacleOut})
def report_obstacle(request: AuthenticatedRequest, slug: str, payload: ObstacleIn) -> Any:
    unit = access.get_unit_for(request.user, slug)
    body = access.get_object_for(
        request.user, Body.objects.filter(unit=unit), Capability.READ, pk=payload.body_id
    )
    task = None
    if payload.task_id is not None:
        task = access.get_object_for(
            request.user,
            Task.objects.filter(plan__unit=unit),
            Capability.READ,
            unit_path="plan.unit",
            pk=payload.task_id,
        )
    obstacle = services.report_obstacle(
        actor=request.user, unit=unit, body=body, text=payload.text, task=task
    )
    return Status(201, _obstacle_out(obstacle))


@router.post("/units/{slug}/obstacles/forward", response=list[ObstacleOut])
def forward_obstacles(request: AuthenticatedRequest, slug: str, payload: ForwardIn) -> list[dict[str, Any]]:
    """The coordinator consolidates reported obstacles and forwards them to the leaders."""
    unit = access.get_unit_for(request.user, slug)
    obstacles = [_obstacle(request, o.id) for o in payload.obstacles]
    forwarded = services.forward_obstacles(
        actor=request.user,
        unit=unit,
        obstacles=obstacles,
        note=payload.note,
        expected_versions={o.id: o.expected_version for o in payload.obstacles},
    )
    return [_obstacle_out(o) for o in forwarded]


@router.get("/obstacles/{obstacle_id}", response=ObstacleOut)
def get_obstacle(request: HttpRequest, obstacle_id: int) -> dict[str, Any]:
    return _obstacle_out(_obstacle(request, obstacle_id))


@router.post("/obstacles/{obstacle_id}/answer", response=ObstacleOut)
def answer_obstacle(
    request: AuthenticatedRequest, obstacle_id: int, payload: ObstacleAnswerIn
) -> dict[str, Any]:
    obstacle = services.answer_obstacle(
        actor=request.user,
        obstacle=_obstacle(request, obstacle_id),
        expected_version=payload.expected_version,
        answer=payload.answer,
    )
    return _obstacle_out(obstacle)


@router.post("/obstacles/{obstacle_id}/close", response=ObstacleOut)
def close_obstacle(request: AuthenticatedRequest, obstacle_id: int, payload: CloseIn) -> dict[str, Any]:
    obstacle = services.close_obstacle(
        actor=request.user,
        obstacle=_obstacle(request, obstacle_id),
        expected_version=payload.expected_version,
        note=payload.note,
    )
    return _obstacle_out(obstacle)
