"""What a person may do on citizens' feedback (one item, or a unit's feedback), decided once.

The staff pages offer an action when the answer says so, and the services refuse it with the same answer:
the person's standing (:meth:`FeedbackPermissions.require`: 404 for someone who may not read the unit,
``PermissionDenied`` without the standing) and the item's state (the service's own Vietnamese message,
e.g. "đang chờ lãnh đạo duyệt"). So a page never offers what the service would refuse, and the service
refuses what the page hides.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

from friendlygov.feedback.models import AnswerApproval, Feedback, FeedbackSettings
from friendlygov.org import access
from friendlygov.org.access import Capability, Someone
from friendlygov.org.models import Unit


class Standing(enum.StrEnum):
    """Who the person is for the unit's feedback (``HANDLE``: for one item), whatever its state."""

    HANDLE = "handle"  # the coordinator or a member of the assigned body, never of the body complained about
    COORDINATE = "coordinate"  # records, assigns, names the body complained about, keeps the settings
    LEAD = "lead"  # approves or returns the answers waiting for the leader
    APPROVAL_SETTING = "approval_setting"  # whether answers wait for the leader: the leader or unit admin


UnitStanding = Literal[Standing.COORDINATE, Standing.LEAD, Standing.APPROVAL_SETTING]
"""The standings that need no item (:meth:`FeedbackUnitPermissions.require`)."""


@dataclass(frozen=True)
class FeedbackUnitPermissions:
    """The answer of :func:`feedback_unit_permissions`: the unit's list, the approvals page, the settings,
    the feedback typed in by staff."""

    reads: bool
    coordinates: bool
    leads: bool
    manages: bool  # the unit's administrator
    may_record: bool  # type in feedback received on paper, by phone, in person
    may_configure: bool  # states, retention, citizens' requests about their personal data
    may_change_approval_setting: bool
    may_approve: bool  # approve or return the answers waiting for the leader

    def holds(self, standing: UnitStanding) -> bool:
        return {
            Standing.COORDINATE: self.coordinates,
            Standing.LEAD: self.leads,
            Standing.APPROVAL_SETTING: self.may_change_approval_setting,
        }[standing]

    def require(self, standing: UnitStanding) -> None:
        """404 when the person may not read the unit; PermissionDenied without the standing."""
        access.require_standing(reads=self.reads, held=self.holds(standing))


def feedback_unit_permissions(user: Someone, unit: Unit) -> FeedbackUnitPermissions:
    """What ``user`` may do with ``unit``'s feedback, before any one item."""
    reads = access.can(user, Capability.READ, unit)
    coordinates = reads and access.can(user, Capability.COORDINATE, unit)
    leads = reads and access.can(user, Capability.LEAD, unit)
    manages = reads and access.can(user, Capability.MANAGE_UNIT, unit)
    return FeedbackUnitPermissions(
        reads=reads,
        coordinates=coordinates,
        leads=leads,
        manages=manages,
        may_record=coordinates,
        may_configure=coordinates,
        may_change_approval_setting=leads or manages,
        may_approve=leads,
    )


@dataclass(frozen=True)
class FeedbackPermissions:
    """The answer of :func:`feedback_permissions`. The ``may_*`` flags are what the item's page offers
    (standing and the item's state together)."""

    unit: FeedbackUnitPermissions
    handles: bool
    complained_about: bool  # works in the body the item complains about (and does not coordinate)
    awaiting: bool  # an answer waits for the leader's approval
    approval_required: bool  # the unit's answers wait for the leader's approval
    may_handle: bool  # classify, move between states, answer, publish
    may_assign: bool  # assign a body, name the body complained about
    may_view_contact: bool  # the citizen's contact details (each opening logged)
    may_approve: bool  # approve or return the answer waiting
    answer_waits_for_leader: bool  # the handler's answer waits for the leader (a leader's goes straight out)

    @property
    def reads(self) -> bool:
        return self.unit.reads

    def require(self, standing: Standing) -> None:
        """404 when the person may not read the unit; PermissionDenied without the standing."""
        if standing is Standing.HANDLE:
            access.require_standing(reads=self.reads, held=self.handles)
        else:
            self.unit.require(standing)


def _complained_about(user: Someone, feedback: Feedback, coordinates: bool) -> bool:
    """Works in the body the item complains about (the coordinator, who handles such items by default,
    never is)."""
    if feedback.about_body_id is None or coordinates:
        return False
    return access.can(user, Capability.WORK, feedback.unit, body=feedback.about_body)


def approval_required(unit: Unit) -> bool:
    """Whether the unit's answers wait for the leader's approval (its settings; off when none are saved)."""
    return bool(FeedbackSettings.objects.filter(unit=unit).values_list("leader_approval", flat=True).first())


def feedback_permissions(user: Someone, feedback: Feedback) -> FeedbackPermissions:
    """What ``user`` may do on ``feedback`` (its unit, assigned body and the body complained about loaded
    or read here)."""
    unit = feedback_unit_permissions(user, feedback.unit)
    works = unit.reads and access.can(user, Capability.WORK, feedback.unit, body=feedback.body)
    complained_about = unit.reads and _complained_about(user, feedback, unit.coordinates)
    handles = works and not complained_about
    awaiting = (
        unit.reads
        and AnswerApproval.objects.filter(feedback=feedback, status=AnswerApproval.Status.AWAITING).exists()
    )
    required = unit.reads and approval_required(feedback.unit)
    return FeedbackPermissions(
        unit=unit,
        handles=handles,
        complained_about=complained_about,
        awaiting=awaiting,
        approval_required=required,
        may_handle=handles,
        may_assign=unit.coordinates,
        may_view_contact=handles,
        may_approve=awaiting and unit.leads,
        answer_waits_for_leader=handles and required and not unit.leads,
    )
