"""Reads of a cycle's joint scoring (Ủy ban MTTQ, Ban Xây dựng Đảng) as its minutes record it (read-only):
who took part for each joint body, what each agreed to, every proposal that differed from the self-score and
how the coordinator settled it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import (
    ConsolidatedScore,
    Cycle,
    JointProposal,
    JointReview,
    ScoreEntry,
)
from friendlygov.org.access import Actor


@dataclass(frozen=True)
class Person:
    name: str
    position_title: str


@dataclass(frozen=True)
class JointBody:
    name: str
    code: str
    people: list[Person]  # the body's people who reviewed or proposed (first: who signs for the body)
    agreed: int  # criteria the body agreed with
    proposed: int  # criteria the body proposed another value for


@dataclass(frozen=True)
class Difference:
    code: str
    name: str
    body: str  # the proposing body's name
    self_value: str  # described ("2,5", "Đạt", "45/50 (90%)")
    proposed: str
    reason: str
    status: str  # JointProposal.Status
    decision_reason: str
    settled: str  # the value settled for the criterion (the self value when none was settled)
    decided_by: Person | None
    decided_at: dt.datetime | None

    @property
    def accepted(self) -> bool:
        return self.status == JointProposal.Status.ACCEPTED


@dataclass(frozen=True)
class JointScoring:
    cycle: Cycle
    bodies: list[JointBody]
    differences: list[Difference]  # proposals whose value differed from the self-score, by criterion
    pending: list[Difference]  # proposals still waiting for the coordinator
    started: dt.datetime  # first settlement (or last opinion when every criterion was agreed)
    ended: dt.datetime
    coordinator: Person | None  # who settled the proposals


@dataclass
class _Tally:
    name: str
    code: str
    people: list[Person] = field(default_factory=list)
    agreed: set[str] = field(default_factory=set)
    proposed: set[str] = field(default_factory=set)

    def add(self, person: Person | None) -> None:
        if person is not None and person not in self.people:
            self.people.append(person)


def _person(user: Actor | None) -> Person | None:
    if user is None:
        return None
    return Person(
        name=user.get_full_name() or user.get_username(),
        position_title=getattr(user, "position_title", "") or "",
    )


def joint_scoring(cycle: Cycle) -> JointScoring | None:
    """The cycle's joint scoring, or None when no joint body has given an opinion yet."""
    reviews = list(JointReview.objects.filter(cycle=cycle).select_related("body", "reviewed_by"))
    proposals = list(
        JointProposal.objects.filter(cycle=cycle).select_related("body", "proposed_by", "decided_by")
    )
    if not reviews and not proposals:
        return None
    cs = crit.parsed(cycle.criteria_set)
    entered = {e.criterion_code: e.value for e in ScoreEntry.objects.filter(cycle=cycle)}
    settled = {c.criterion_code: c.value for c in ConsolidatedScore.objects.filter(cycle=cycle)}

    bodies: dict[int, _Tally] = {}
    for body in sorted(
        {r.body for r in reviews} | {p.body for p in proposals}, key=lambda b: (b.position, b.pk)
    ):
        bodies[body.pk] = _Tally(body.name, body.code)
    for proposal in proposals:
        bodies[proposal.body_id].add(_person(proposal.proposed_by))
    for review in reviews:
        tally = bodies[review.body_id]
        tally.add(_person(review.reviewed_by))
        (tally.agreed if review.verdict == JointReview.Verdict.AGREE else tally.proposed).add(
            review.criterion_code
        )

    differences: list[Difference] = []
    pending: list[Difference] = []
    for proposal in proposals:
        node = crit.node_for(cs, proposal.criterion_code)
        own = entered.get(proposal.criterion_code, "")
        if node is not None and crit.safe_value(node, proposal.value) == crit.safe_value(node, own):
            continue  # the self-score was changed to the proposed value: no difference left
        row = Difference(
            code=proposal.criterion_code,
            name=node.name if node is not None and hasattr(node, "name") else "",
            body=proposal.body.name,
            self_value=crit.describe_value(node, own) or own,
            proposed=crit.describe_value(node, proposal.value) or proposal.value,
            reason=proposal.reason,
            status=proposal.status,
            decision_reason=proposal.decision_reason,
            settled=crit.describe_value(node, settled.get(proposal.criterion_code, own))
            or settled.get(proposal.criterion_code, own),
            decided_by=_person(proposal.decided_by),
            decided_at=proposal.decided_at,
        )
        (pending if proposal.status == JointProposal.Status.PENDING else differences).append(row)
    order = {code: index for index, code in enumerate(crit.scorable_codes(cs))}
    differences.sort(key=lambda d: (order.get(d.code, len(order)), d.body))

    decided = sorted(d.decided_at for d in differences if d.decided_at is not None)
    if decided:
        started, ended = decided[0], decided[-1]
    else:
        opinions = sorted([r.reviewed_at for r in reviews] + [p.proposed_at for p in proposals])
        started, ended = opinions[-1], opinions[-1]
    coordinator = next((d.decided_by for d in reversed(differences) if d.decided_by is not None), None)
    return JointScoring(
        cycle=cycle,
        bodies=[JointBody(t.name, t.code, t.people, len(t.agreed), len(t.proposed)) for t in bodies.values()],
        differences=differences,
        pending=pending,
        started=started,
        ended=ended,
        coordinator=coordinator,
    )
