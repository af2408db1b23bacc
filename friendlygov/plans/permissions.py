"""What a person may do on an occurrence (one deadline of a plan's task), decided once.

The occurrence page offers an action when the answer says so, and the services refuse it with the same
answer: the person's standing (:meth:`OccurrencePermissions.require`: 404 for someone who may not read the
unit, ``PermissionDenied`` without the standing) and the occurrence's state (the service's own Vietnamese
message, e.g. "chỉ cập nhật được bản hiện hành"). So the page never offers what the service would refuse,
and the service refuses what the page hides.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from friendlygov.org import access
from friendlygov.org.access import Actor, Capability
from friendlygov.org.models import Body
from friendlygov.plans.models import Occurrence

RETURNABLE = (Occurrence.Status.DONE, Occurrence.Status.IN_PROGRESS)
"""The states a coordinator may send back: what the lead body has reported."""


class Standing(enum.StrEnum):
    """Who the person is for an occurrence, whatever its state."""

    LEAD = "lead"  # reports it: a member of the lead body (the coordinator for any body, alone for none)
    CONTRIBUTE = "contribute"  # writes what a coordinating body did
    COORDINATE = "coordinate"  # the programme's focal point: cancels, sends reports back


@dataclass(frozen=True)
class OccurrencePermissions:
    """The answer of :func:`occurrence_permissions`. The ``may_*`` flags are what the occurrence page
    offers (standing and the occurrence's state together)."""

    reads: bool
    leads: bool
    coordinates: bool
    current: bool  # the occurrence belongs to the plan's current revision
    contribution_bodies: tuple[Body, ...]  # the bodies the person may write a contribution for
    may_update: bool  # report status, progress, note and evidence
    may_cancel: bool  # the "cancelled" choice of the report
    may_attach_evidence: bool
    may_contribute: bool
    may_return: bool

    def require(self, standing: Standing) -> None:
        """404 when the person may not read the unit; PermissionDenied without the standing."""
        held = {
            Standing.LEAD: self.leads,
            Standing.CONTRIBUTE: bool(self.contribution_bodies),
            Standing.COORDINATE: self.coordinates,
        }[standing]
        access.require_standing(reads=self.reads, held=held)


def _leads(user: Actor | None, occurrence: Occurrence, coordinates: bool) -> bool:
    """Works for the lead body (the coordinator for every body, and alone when the lead body is not one
    of the unit's bodies)."""
    lead = occurrence.task.lead_body
    if lead is None:
        return coordinates
    return access.can(user, Capability.WORK, occurrence.unit, body=lead)


def _contribution_bodies(user: Actor | None, occurrence: Occurrence) -> tuple[Body, ...]:
    """Coordinating bodies of the task the person works for (any of its bodies when the task names a
    group such as "Các phòng, ban, đơn vị liên quan"); the coordinator speaks for every body."""
    task = occurrence.task
    mine = access.work_bodies(user, occurrence.unit)
    named = set(task.coordinators.values_list("pk", flat=True))
    allow_any = bool(task.coordinator_texts)
    return tuple(b for b in mine if (b.pk in named or allow_any) and b.pk != task.lead_body_id)


def occurrence_permissions(user: Actor | None, occurrence: Occurrence) -> OccurrencePermissions:
    """What ``user`` may do on ``occurrence`` (its task, plan, lead body and unit loaded or read here)."""
    unit = occurrence.unit
    reads = access.can(user, Capability.READ, unit)
    coordinates = reads and access.can(user, Capability.COORDINATE, unit)
    leads = reads and _leads(user, occurrence, coordinates)
    bodies = _contribution_bodies(user, occurrence) if reads else ()
    current = occurrence.task.plan.is_current
    return OccurrencePermissions(
        reads=reads,
        leads=leads,
        coordinates=coordinates,
        current=current,
        contribution_bodies=bodies,
        may_update=leads and current,
        may_cancel=leads and current and coordinates,
        may_attach_evidence=leads,
        may_contribute=bool(bodies) and current,
        may_return=coordinates and occurrence.status in RETURNABLE,
    )
