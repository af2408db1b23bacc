"""Writes of the obstacles reported on the work: reported, forwarded, answered, closed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from friendlygov.audit import services as audit
from friendlygov.kit.concurrency import check_version as _check_version
from friendlygov.notifications.services import notify_once
from friendlygov.org import access
from friendlygov.org.access import Actor, Capability, require
from friendlygov.org.models import Body, Role, Unit
from friendlygov.plans.models import Obstacle, Plan, Task

from .common import _bump, _url


def reporting_bodies(actor: Actor, unit: Unit) -> list[Body]:
    """Bodies the actor may report an obstacle for (its own; every body for the coordinator)."""
    return access.work_bodies(actor, unit)


def _notify_many(
    people: Iterable[Any], *, key: str, title: str, body: str, url: str, unit: Unit, actor: Actor
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
    *, actor: Actor, unit: Unit, body: Body, text: str, task: Task | None = None, plan: Plan | None = None
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
    actor: Actor,
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
    actor: Actor, obstacle: Obstacle, capability: Capability, expected_version: int | None
) -> Obstacle:
    obstacle = Obstacle.objects.select_related("unit", "reported_by_body").get(pk=obstacle.pk)
    require(actor, capability, obstacle.unit)
    _check_version(obstacle, expected_version)
    return obstacle


@transaction.atomic
def answer_obstacle(
    *, actor: Actor, obstacle: Obstacle, expected_version: int | None, answer: str
) -> Obstacle:
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
    *, actor: Actor, obstacle: Obstacle, expected_version: int | None, note: str = ""
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
