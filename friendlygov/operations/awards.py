"""Reads of the year's rewards as the commune chairman's reward decision lists them (read-only).

One place for who was rewarded by the commune, with which form and how much money: the reward decision
document reads it, and so would any page that shows the amounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from friendlygov.operations.models import CouncilMeeting, Nomination, RewardDecision, RewardForm
from friendlygov.org.models import Unit
from friendlygov.rules.rewards import COMMUNE_FORMS, reward_amount


@dataclass(frozen=True)
class Award:
    nominee_kind: str  # Nomination.NomineeKind
    name: str
    position_title: str  # an individual's position and place of work ("" for a collective)
    body_name: str
    achievements: str
    form: str  # RewardForm
    form_label: str
    amount: int | None  # đồng
    decision_number: str
    signed_on: dt.date

    @property
    def is_collective(self) -> bool:
        return self.nominee_kind == Nomination.NomineeKind.COLLECTIVE


@dataclass(frozen=True)
class YearAwards:
    year: int
    decisions: list[RewardDecision]  # the commune's decisions of the year (oldest first)
    awards: list[Award]  # collectives first, then individuals, in the order of the records
    meetings: list[CouncilMeeting]  # the council's meetings that reviewed them

    @property
    def collectives(self) -> list[Award]:
        return [a for a in self.awards if a.is_collective]

    @property
    def individuals(self) -> list[Award]:
        return [a for a in self.awards if not a.is_collective]

    @property
    def total(self) -> int:
        return sum(a.amount or 0 for a in self.awards)

    @property
    def latest_signed(self) -> dt.date:
        return max(d.signed_on for d in self.decisions)


def commune_awards(*, unit: Unit, year: int) -> YearAwards | None:
    """The rewards the commune's chairman decided in ``year`` (every recorded decision of a commune form,
    e.g. Giấy khen), with the money each carries; None when no such decision is recorded yet."""
    decisions = list(
        RewardDecision.objects.filter(unit=unit, year=year, reward_form__in=COMMUNE_FORMS).order_by(
            "signed_on", "id"
        )
    )
    if not decisions:
        return None
    labels = dict(RewardForm.choices)
    nominations = (
        Nomination.objects.filter(decision__in=decisions, status=Nomination.Status.AWARDED)
        .select_related("body", "decision")
        .order_by("decision__signed_on", "decision_id", "id")
    )
    awards = [
        Award(
            nominee_kind=n.nominee_kind,
            name=n.nominee_name,
            position_title=n.position_title,
            body_name=n.body.name if n.body is not None else "",
            achievements=n.achievements,
            form=n.decision.reward_form,
            form_label=str(labels.get(n.decision.reward_form, n.decision.reward_form)),
            amount=reward_amount(n.decision.reward_form, n.nominee_kind, n.decision.signed_on),
            decision_number=n.decision.number,
            signed_on=n.decision.signed_on,
        )
        for n in nominations
        if n.decision is not None
    ]
    awards.sort(key=lambda a: 0 if a.is_collective else 1)
    meetings = list(
        CouncilMeeting.objects.filter(unit=unit, year=year, nominations__decision__in=decisions)
        .distinct()
        .order_by("held_on", "id")
    )
    return YearAwards(year=year, decisions=decisions, awards=awards, meetings=meetings)
