"""What a person may do on a cycle and on one of its criteria, decided once.

The pages offer an action when the answer says so, and the services refuse it with the same answer: the
person's standing (:meth:`CriterionPermissions.require`, ``PermissionDenied``; 404 for someone who may
not read the unit) and the cycle's state (the service's own Vietnamese message, e.g. "đã nộp và đang bị
khóa"). So a page never offers what the service would refuse, and the service refuses what the page hides.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import Assignment, Cycle, Registration
from friendlygov.org import access
from friendlygov.org.access import Actor, Capability
from friendlygov.org.models import Body, Role, Unit
from friendlygov.rules.scoring import Criterion

if TYPE_CHECKING:
    from friendlygov.assessments.selectors import CycleData, MeasuredState


class Standing(enum.StrEnum):
    """Who the person is for a criterion, whatever the cycle's state."""

    WORK = "work"  # scores it and attaches its evidence: the assigned body, or the coordinator for any
    JOINT = "joint"  # proposes another value (MTTQ, Ban Xây dựng Đảng)
    COORDINATE = "coordinate"  # settles the consolidated value and decides proposals
    APPRAISE = "appraise"  # the city's reviewer


@dataclass(frozen=True)
class CriterionPermissions:
    """The answer of :func:`criterion_permissions`. The ``may_*`` flags are what the criterion page
    offers (standing, cycle state and the criterion's kind together)."""

    code: str
    body: Body | None  # the body that scores the criterion (its own assignment or an ancestor's)
    is_leaf: bool
    is_source: bool
    reads: bool
    works: bool
    joint: bool
    coordinates: bool
    appraises: bool
    appraising: bool  # the cycle waits for appraisal and the person appraises it
    joint_bodies: tuple[Body, ...]  # the bodies a joint scorer speaks for (a proposal needs one)
    may_score: bool
    may_attach_evidence: bool
    may_accept_measured: bool
    may_override: bool
    may_propose: bool
    may_settle: bool
    may_decide_proposal: bool
    may_appraise: bool
    may_adopt_late: bool
    # The measured figure's state the decision read (source criteria; None otherwise or when not read):
    # the page shows it rather than reading it again.
    measured: MeasuredState | None = None

    def require(self, standing: Standing) -> None:
        """404 when the person may not read the unit; PermissionDenied without the standing."""
        held = {
            Standing.WORK: self.works,
            Standing.JOINT: self.joint,
            Standing.COORDINATE: self.coordinates,
            Standing.APPRAISE: self.appraises,
        }[standing]
        access.require_standing(reads=self.reads, held=held)


def _assigned_body(cycle: Cycle, code: str) -> Body | None:
    """The body that scores a criterion: its own assignment, else the nearest assigned ancestor's."""
    cs = crit.parsed(cycle.criteria_set)
    assignments = {a.criterion_code: a for a in Assignment.objects.filter(cycle=cycle).select_related("body")}
    for candidate in crit.ancestors(cs, code) or [code]:
        if candidate in assignments:
            return assignments[candidate].body
    return None


def _works(user: Actor | AnonymousUser, unit: Unit, body: Body | None, coordinates: bool) -> bool:
    """Scores the criterion and attaches its evidence: a member of the body it is assigned to (of any
    body: the coordinator); an unassigned criterion is the coordinator's."""
    return access.can(user, Capability.WORK, unit, body=body) and (body is not None or coordinates)


def criterion_permissions(
    user: Actor | AnonymousUser, cycle: Cycle, code: str, *, data: CycleData | None = None
) -> CriterionPermissions:
    """What ``user`` may do on criterion ``code`` of ``cycle``. ``data``: the cycle's loaded records when
    the caller has them (the page); without it the assignment is read alone. The measured figure of a
    source criterion is read when ``data`` is given, or when the person appraises the submitted cycle
    (adopting a figure published late depends on it)."""
    from friendlygov.assessments import selectors

    unit = cycle.unit
    cs = data.cs if data is not None else crit.parsed(cycle.criteria_set)
    node = crit.node_for(cs, code)
    is_leaf = node is not None and not (isinstance(node, Criterion) and node.children)
    is_source = isinstance(node, Criterion) and bool(node.source)
    body = data.body_for(code) if data is not None else _assigned_body(cycle, code)
    reads = access.can(user, Capability.READ, unit)
    coordinates = access.can(user, Capability.COORDINATE, unit)
    works = _works(user, unit, body, coordinates)
    joint = access.can(user, Capability.JOINT_SCORE, unit)
    joint_bodies = tuple(access.bodies_granted(user, unit, Role.JOINT_SCORER)) if joint else ()
    appraises = access.can(user, Capability.APPRAISE, unit)
    editable = cycle.is_editable
    appraising = cycle.status == Cycle.Status.SUBMITTED and appraises
    measured = None
    if is_source and (data is not None or appraising):
        data = data if data is not None else selectors.load_cycle_data(cycle)
        measured = selectors.measured_states(data, read_locked=appraising, only=code).get(code)
    scorable = is_leaf and not is_source and editable
    return CriterionPermissions(
        code=code,
        body=body,
        is_leaf=is_leaf,
        is_source=is_source,
        reads=reads,
        works=works,
        joint=joint,
        coordinates=coordinates,
        appraises=appraises,
        appraising=appraising,
        joint_bodies=joint_bodies,
        may_score=scorable and works,
        may_attach_evidence=is_leaf and editable and works,
        may_accept_measured=is_source and editable and works,
        may_override=is_source and editable and works,
        may_propose=scorable and joint and bool(joint_bodies),
        may_settle=scorable and coordinates,
        may_decide_proposal=scorable and coordinates,
        may_appraise=is_leaf and appraising,
        may_adopt_late=appraising and measured is not None and measured.late,
        measured=measured,
    )


@dataclass(frozen=True)
class CyclePermissions:
    """What a person may do on a cycle's page (and the unit's list of cycles). ``lead``…``work`` are the
    person's standing on the unit (the templates read them as ``allowed.lead`` …)."""

    lead: bool
    coordinate: bool
    appraise: bool
    joint: bool
    work: bool
    appraising: bool  # the cycle waits for appraisal and the person appraises it
    may_assign: bool
    may_register: bool
    may_decide_registration: bool
    may_submit: bool
    may_return: bool
    may_finish_appraisal: bool
    may_recognise: bool
    may_set_deadlines: bool
    may_switch_criteria_set: bool


def unit_standing(user: Actor | AnonymousUser, unit: Unit) -> dict[str, bool]:
    """The person's standing on a unit (the list of cycles, before any cycle)."""
    coordinate = access.can(user, Capability.COORDINATE, unit)
    return {
        "lead": access.can(user, Capability.LEAD, unit),
        "coordinate": coordinate,
        "appraise": access.can(user, Capability.APPRAISE, unit),
        "joint": access.can(user, Capability.JOINT_SCORE, unit),
        "work": bool(access.work_bodies(user, unit)) or coordinate,
    }


def cycle_permissions(
    user: Actor | AnonymousUser, cycle: Cycle, *, registration: Registration | None = None
) -> CyclePermissions:
    """What ``user`` may do on ``cycle``. ``registration``: the cycle's registration when the caller has
    read it (else it is read here)."""
    if registration is None:
        registration = Registration.objects.filter(cycle=cycle).first()
    standing = unit_standing(user, cycle.unit)
    editable = cycle.is_editable
    submitted = cycle.status == Cycle.Status.SUBMITTED
    return CyclePermissions(
        **standing,
        appraising=submitted and standing["appraise"],
        may_assign=standing["coordinate"] and editable,
        may_register=standing["lead"]
        and editable
        and (registration is None or registration.status != Registration.Status.ACCEPTED),
        may_decide_registration=standing["appraise"]
        and registration is not None
        and registration.status == Registration.Status.PENDING,
        may_submit=standing["lead"] and editable,
        may_return=submitted and standing["appraise"] and not cycle.was_returned,
        may_finish_appraisal=submitted and standing["appraise"],
        may_recognise=standing["appraise"] and cycle.status == Cycle.Status.APPRAISED,
        may_set_deadlines=standing["appraise"],
        may_switch_criteria_set=standing["appraise"] and editable,
    )


def acceptable_measured(
    user: Actor | AnonymousUser, data: CycleData, measured: dict[str, MeasuredState]
) -> set[str]:
    """The source criteria whose measured figure ``user`` may accept from the cycle's list (not yet
    accepted, or changed since): ``may_accept_measured`` of each, without reading each figure again."""
    if not data.cycle.is_editable:
        return set()
    unit = data.cycle.unit
    coordinates = access.can(user, Capability.COORDINATE, unit)
    return {
        code
        for code, state in measured.items()
        if state.figure is not None
        and (state.status == "pending" or state.changed)
        and _works(user, unit, data.body_for(code), coordinates)
    }
