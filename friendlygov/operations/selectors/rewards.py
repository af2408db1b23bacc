"""Reads of the rewards registers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from friendlygov.operations.models import (
    CouncilMeeting,
    CouncilVote,
    GoodPractice,
    Nomination,
    RewardDecision,
    RewardForm,
    Shortfall,
)
from friendlygov.operations.tally import Tally, tally
from friendlygov.org.models import Unit

from .common import matches


@dataclass
class NominationFilter:
    year: int | None = None
    status: str = ""
    nominee_kind: str = ""
    body_id: int | None = None
    query: str = ""


def nominations(unit: Unit, filters: NominationFilter | None = None) -> list[Nomination]:
    f = filters or NominationFilter()
    items = (
        Nomination.objects.filter(unit=unit)
        .select_related("body", "proposed_by_body", "decision")
        .prefetch_related("activities", "tasks", "evidence")
    )
    if f.year:
        items = items.filter(year=f.year)
    if f.status:
        items = items.filter(status=f.status)
    if f.nominee_kind:
        items = items.filter(nominee_kind=f.nominee_kind)
    if f.body_id:
        items = items.filter(Q(body_id=f.body_id) | Q(proposed_by_body_id=f.body_id))
    result = list(items)
    if f.query:
        result = [
            n
            for n in result
            if matches(
                f.query,
                n.nominee_name,
                n.position_title,
                n.achievements,
                n.body.name if n.body else "",
                n.proposed_by_body.name,
            )
        ]
    return result


@dataclass
class VoteSheet:
    nomination: Nomination
    votes: dict[int, str]  # member id → choice
    result: Tally | None


def meeting_sheets(meeting: CouncilMeeting) -> list[VoteSheet]:
    members = list(meeting.members.all())
    votes: dict[int, dict[int, str]] = defaultdict(dict)
    for v in CouncilVote.objects.filter(meeting=meeting):
        votes[v.nomination_id][v.member_id] = v.choice
    sheets = []
    for n in meeting.nominations.select_related("proposed_by_body").order_by("nominee_kind", "nominee_name"):
        cast = votes.get(n.pk, {})
        result = (
            tally(list(cast.values()), members=len(members))
            if len(cast) == len(members) and members
            else None
        )
        sheets.append(VoteSheet(n, cast, result))
    return sheets


def decisions(unit: Unit, year: int | None = None) -> QuerySet[RewardDecision]:
    items = RewardDecision.objects.filter(unit=unit).select_related("file").prefetch_related("nominations")
    return items.filter(year=year) if year else items


def reward_figures(*, unit: Unit, year: int) -> dict[str, Any]:
    """Nominations, the council's outcome and the decisions of the year.

    Keys: ``year``; ``nominations``, ``individuals``, ``collectives``, ``passed`` (passed by the council,
    awarded or not), ``not_passed``, ``awarded``; ``decisions``: [{``number``, ``signed_on``, ``signer``,
    ``form``, ``form_label``, ``count``, ``names``}]; ``good_practices_published``.
    """
    items = list(Nomination.objects.filter(unit=unit, year=year))
    passed = {Nomination.Status.PASSED, Nomination.Status.AWARDED}
    return {
        "year": year,
        "nominations": len(items),
        "individuals": sum(1 for n in items if n.nominee_kind == Nomination.NomineeKind.INDIVIDUAL),
        "collectives": sum(1 for n in items if n.nominee_kind == Nomination.NomineeKind.COLLECTIVE),
        "passed": sum(1 for n in items if n.status in passed),
        "not_passed": sum(1 for n in items if n.status == Nomination.Status.NOT_PASSED),
        "awarded": sum(1 for n in items if n.status == Nomination.Status.AWARDED),
        "decisions": [
            {
                "number": d.number,
                "signed_on": d.signed_on,
                "signer": d.signer,
                "form": d.reward_form,
                "form_label": str(RewardForm(d.reward_form).label),
                "count": len(d.nominations.all()),
                "names": [n.nominee_name for n in d.nominations.all()],
            }
            for d in decisions(unit, year).order_by("signed_on", "id")
        ],
        "good_practices_published": GoodPractice.objects.filter(
            unit=unit, year=year, is_published=True
        ).count(),
    }


def good_practices(
    unit: Unit, *, year: int | None = None, query: str = "", published: bool | None = None
) -> list[GoodPractice]:
    items = GoodPractice.objects.filter(unit=unit).select_related("body", "nomination", "activity")
    if year:
        items = items.filter(year=year)
    if published is not None:
        items = items.filter(is_published=published)
    result = list(items)
    if query:
        result = [g for g in result if matches(query, g.title, g.summary, g.body.name if g.body else "")]
    return result


def published_good_practices(*, unit: Unit) -> list[dict[str, Any]]:
    """What the unit's public page may show: published examples of good practice, newest first.
    Each: ``title``, ``summary``, ``body`` (name or ""), ``year``, ``published_on`` (date). Nothing internal."""
    items = (
        GoodPractice.objects.filter(unit=unit, is_published=True)
        .select_related("body")
        .order_by("-published_at", "-id")
    )
    return [
        {
            "title": g.title,
            "summary": g.summary,
            "body": g.body.name if g.body else "",
            "year": g.year,
            "published_on": timezone.localtime(g.published_at).date() if g.published_at else None,
        }
        for g in items
    ]


def shortfall_list(
    unit: Unit, *, year: int | None = None, status: str = "", query: str = ""
) -> list[Shortfall]:
    items = Shortfall.objects.filter(unit=unit).select_related("body")
    if year:
        items = items.filter(year=year)
    if status:
        items = items.filter(status=status)
    result = list(items)
    if query:
        result = [s for s in result if matches(query, s.name, s.reason, s.resolution_note)]
    return result


def shortfalls(*, unit: Unit, year: int) -> list[dict[str, Any]]:
    """INTERNAL: units and bodies that fell short in `year`, with the reason — never for a public page.
    Each: ``name``, ``body_code`` ("" for a free-text subject), ``reason``, ``noted_on``, ``status``,
    ``status_label``, ``resolution_note``."""
    return [
        {
            "name": s.name,
            "body_code": s.body.code if s.body else "",
            "reason": s.reason,
            "noted_on": s.noted_on,
            "status": s.status,
            "status_label": s.get_status_display(),
            "resolution_note": s.resolution_note,
        }
        for s in shortfall_list(unit, year=year)
    ]
