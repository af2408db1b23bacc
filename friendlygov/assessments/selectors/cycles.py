"""A unit's cycles and what hangs on one: proposals of the joint scoring, joint reviews, the registration
and the recognition."""

from __future__ import annotations

from django.db.models import QuerySet

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import (
    Cycle,
    JointProposal,
    JointReview,
    Recognition,
    Registration,
)
from friendlygov.org.models import Body, Unit


def get_cycle(unit: Unit, year: int) -> Cycle | None:
    return Cycle.objects.select_related("unit", "criteria_set").filter(unit=unit, year=year).first()


def unit_cycles(unit: Unit) -> QuerySet[Cycle]:
    return Cycle.objects.filter(unit=unit).select_related("criteria_set").order_by("-year")


def pending_proposals(cycle: Cycle) -> list[JointProposal]:
    """The joint scorers' proposals the coordinator has neither accepted nor declined (submission waits)."""
    return list(
        JointProposal.objects.filter(cycle=cycle, status=JointProposal.Status.PENDING)
        .select_related("body", "proposed_by", "cycle__criteria_set")
        .order_by("criterion_code", "proposed_at", "id")
    )


def pending_proposal_line(proposal: JointProposal) -> str:
    """One unsettled proposal in words: criterion, who proposed, what."""
    who = proposal.body.name
    if proposal.proposed_by is not None:
        who += f" ({proposal.proposed_by.get_full_name() or proposal.proposed_by.get_username()})"
    node = crit.node_for(crit.parsed(proposal.cycle.criteria_set), proposal.criterion_code)
    shown = (crit.describe_value(node, proposal.value) if node is not None else "") or proposal.value
    return f"Tiêu chí {proposal.criterion_code}: {who} đề xuất {shown} — «{proposal.reason}»."


def joint_reviews(cycle: Cycle, body: Body) -> dict[str, JointReview]:
    """A joint body's standing opinion on each criterion of the cycle, by criterion code."""
    return {
        r.criterion_code: r
        for r in JointReview.objects.filter(cycle=cycle, body=body).select_related("proposal", "reviewed_by")
    }


def registration_of(cycle: Cycle) -> Registration | None:
    return Registration.objects.filter(cycle=cycle).select_related("registered_by", "decided_by").first()


def recognition_of(cycle: Cycle) -> Recognition | None:
    return Recognition.objects.filter(cycle=cycle).first()
