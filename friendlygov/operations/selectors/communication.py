"""Reads of the communication register."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors as assessment_selectors
from friendlygov.operations.models import ActivityFile, CommunicationActivity, CommunicationKind, Spending
from friendlygov.org.models import Unit

from .common import QUARTER_LABELS, matches


def criteria_info(*, unit: Unit, year: int) -> dict[str, dict[str, str]]:
    """{code: {"name", "evidence"}} of the criteria set of the unit's assessment cycle of `year`; {} when
    that cycle is not there."""
    cycle = assessment_selectors.get_cycle(unit, year)
    if cycle is None:
        return {}
    cs = crit.parsed(cycle.criteria_set)
    info = {c.code: {"name": c.name, "evidence": c.evidence or ""} for c in cs.walk()}
    info.update({c.code: {"name": c.name, "evidence": ""} for c in cs.conditions})
    return info


@dataclass
class ActivityFilter:
    year: int | None = None
    quarter: int | None = None
    kind: str = ""
    body_id: int | None = None
    criterion: str = ""
    task_id: int | None = None
    query: str = ""


def activities(unit: Unit, filters: ActivityFilter | None = None) -> list[CommunicationActivity]:
    f = filters or ActivityFilter()
    items = (
        CommunicationActivity.objects.filter(unit=unit)
        .select_related("body", "task", "created_by")
        .prefetch_related(Prefetch("files", queryset=ActivityFile.objects.select_related("evidence")))
    )
    if f.year:
        items = items.filter(held_on__year=f.year)
    if f.quarter and f.year:
        start_month = (f.quarter - 1) * 3 + 1
        items = items.filter(held_on__month__gte=start_month, held_on__month__lte=start_month + 2)
    if f.kind:
        items = items.filter(kind=f.kind)
    if f.body_id:
        items = items.filter(body_id=f.body_id)
    if f.criterion:
        items = items.filter(criterion_code=f.criterion)
    if f.task_id:
        items = items.filter(task_id=f.task_id)
    result = list(items)
    if f.query:
        result = [
            a
            for a in result
            if matches(
                f.query,
                a.title,
                a.place,
                a.audience,
                a.description,
                a.body.name,
                a.get_kind_display(),
                a.criterion_code,
            )
        ]
    return result


def communication_spendings(*, unit: Unit, year: int) -> list[Spending]:
    """What was spent on communication in ``year``: the spendings on the year's estimate lines that name a
    communication kind. The one source of "kinh phí tuyên truyền" (the budget's ``communication`` figures,
    :func:`communication_figures` and the documents read it); an activity's own ``cost`` is what its recorder
    typed and is not summed anywhere else."""
    return list(
        Spending.objects.filter(line__unit=unit, line__year=year)
        .exclude(line__activity_kind="")
        .select_related("line")
        .order_by("spent_on", "id")
    )


def communication_figures(*, unit: Unit, year: int) -> dict[str, Any]:
    """The year's communication work.

    Keys: ``year``; ``count``, ``reach`` (people reached), ``cost`` (VND spent on communication from the
    year's estimate, :func:`communication_spendings` — equal to ``budget_figures(...)["communication"]
    ["spent"]``), ``with_files`` (activities with a photo or file); ``by_quarter``: 4 × {``quarter`` 1–4,
    ``label`` "Quý I"…, ``count``, ``reach``, ``cost`` (spent in the quarter)}; ``by_kind``: one {``kind``,
    ``label``, ``count``, ``reach``, ``cost`` (spent on lines of the kind), ``places`` (where the kind's
    activities were held, in order, each once)} per kind, every kind listed; ``criteria``: see
    :func:`criteria_coverage`.
    """
    items = list(
        CommunicationActivity.objects.filter(unit=unit, held_on__year=year)
        .prefetch_related("files")
        .order_by("held_on", "id")
    )
    quarters: dict[int, dict[str, Any]] = {
        q: {"quarter": q, "label": QUARTER_LABELS[q], "count": 0, "reach": 0, "cost": 0} for q in range(1, 5)
    }
    kinds: dict[str, dict[str, Any]] = {
        value: {"kind": value, "label": str(label), "count": 0, "reach": 0, "cost": 0, "places": []}
        for value, label in CommunicationKind.choices
    }
    for a in items:
        for bucket in (quarters[a.quarter], kinds[a.kind]):
            bucket["count"] += 1
            bucket["reach"] += a.reach
        if a.place and a.place not in kinds[a.kind]["places"]:
            kinds[a.kind]["places"].append(a.place)
    spendings = communication_spendings(unit=unit, year=year)
    for spending in spendings:
        quarters[(spending.spent_on.month - 1) // 3 + 1]["cost"] += spending.amount
        kinds[spending.line.activity_kind]["cost"] += spending.amount
    return {
        "year": year,
        "count": len(items),
        "reach": sum(a.reach for a in items),
        "cost": sum(spending.amount for spending in spendings),
        "with_files": sum(1 for a in items if a.files.all()),
        "by_quarter": list(quarters.values()),
        "by_kind": list(kinds.values()),
        "criteria": criteria_coverage(unit=unit, year=year, items=items),
    }


def criteria_coverage(
    *, unit: Unit, year: int, items: Sequence[CommunicationActivity] | None = None
) -> list[dict[str, Any]]:
    """For each criterion code that the year's activities prove: ``code``, ``name`` and ``evidence`` (what the
    criterion asks, "" when the assessments area does not say), ``count``, ``reach``, and ``activities``
    [{``id``, ``title``, ``held_on``, ``kind_label``, ``place``, ``files``}]."""
    if items is None:
        items = list(
            CommunicationActivity.objects.filter(unit=unit, held_on__year=year).prefetch_related("files")
        )
    # through the package, as the services read it: one name for the assessments area's criteria
    from friendlygov.operations import selectors

    info = selectors.criteria_info(unit=unit, year=year)
    grouped: dict[str, list[CommunicationActivity]] = defaultdict(list)
    for a in items:
        if a.criterion_code:
            grouped[a.criterion_code].append(a)
    from friendlygov.rules.text import natural_key

    rows = []
    for code in sorted(grouped, key=natural_key):
        acts = grouped[code]
        known = info.get(code, {})
        rows.append(
            {
                "code": code,
                "name": known.get("name", ""),
                "evidence": known.get("evidence", ""),
                "count": len(acts),
                "reach": sum(a.reach for a in acts),
                "activities": [
                    {
                        "id": a.pk,
                        "title": a.title,
                        "held_on": a.held_on,
                        "kind_label": a.get_kind_display(),
                        "place": a.place,
                        "files": len(a.files.all()),
                    }
                    for a in acts
                ],
            }
        )
    return rows
