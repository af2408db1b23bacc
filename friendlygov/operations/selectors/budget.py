"""Reads of the budget registers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from friendlygov.operations.models import BudgetLine, BudgetSource, Spending
from friendlygov.org.models import Unit

from .common import matches, percent


@dataclass
class LineRow:
    line: BudgetLine
    spent: int

    @property
    def remaining(self) -> int | None:
        return None if self.line.approved is None else self.line.approved - self.spent

    @property
    def used_percent(self) -> Decimal | None:
        return percent(self.spent, self.line.approved)


def budget_rows(unit: Unit, year: int) -> list[LineRow]:
    lines = (
        BudgetLine.objects.filter(unit=unit, year=year)
        .select_related("task")
        .annotate(spent_total=Sum("spendings__amount"))
    )
    return [LineRow(line, int(line.spent_total or 0)) for line in lines.order_by("position", "id")]


@dataclass(frozen=True)
class BudgetLineFilter:
    year: int
    source: str = ""
    query: str = ""


def budget_lines(unit: Unit, filters: BudgetLineFilter) -> list[LineRow]:
    """The year's estimate lines of a source (an unknown one: no filter) matching the search."""
    rows = budget_rows(unit, filters.year)
    if filters.source in BudgetSource.values:
        rows = [r for r in rows if r.line.source == filters.source]
    if filters.query:
        rows = [
            r
            for r in rows
            if matches(filters.query, r.line.title, r.line.note, r.line.source_note, r.line.approval_ref)
        ]
    return rows


def budget_figures(*, unit: Unit, year: int) -> dict[str, Any]:
    """The year's estimate and spending (VND, integers).

    Keys: ``year``; ``estimated`` (asked for), ``approved`` (sum of approved amounts), ``spent``,
    ``remaining`` (approved − spent), ``unapproved`` (estimated − approved on lines approved or not),
    ``used_percent`` (spent ÷ approved × 100, Decimal or None), ``lines_count``, ``pending_approval`` (lines
    without an approved amount); ``by_source``: one {``source``, ``label``, ``estimated``, ``approved``,
    ``spent``} per source; ``communication``: {``estimated``, ``approved``, ``spent``} of the lines that name
    a communication kind (``spent`` is :func:`communication_figures`' ``cost``); ``lines``: per line {``id``, ``title``, ``kind_label``, ``task``, ``source``,
    ``source_label``, ``source_note``, ``estimated``, ``approved``, ``approval_ref``, ``spent``, ``remaining``,
    ``note``}.
    """
    rows = budget_rows(unit, year)
    sources: dict[str, dict[str, Any]] = {
        value: {"source": value, "label": str(label), "estimated": 0, "approved": 0, "spent": 0}
        for value, label in BudgetSource.choices
    }
    for r in rows:
        bucket = sources[r.line.source]
        bucket["estimated"] += r.line.estimated
        bucket["approved"] += r.line.approved or 0
        bucket["spent"] += r.spent
    estimated = sum(r.line.estimated for r in rows)
    approved = sum(r.line.approved or 0 for r in rows)
    spent = sum(r.spent for r in rows)
    communication = [r for r in rows if r.line.activity_kind]
    return {
        "year": year,
        "estimated": estimated,
        "approved": approved,
        "spent": spent,
        "remaining": approved - spent,
        "unapproved": estimated - approved,
        "used_percent": percent(spent, approved),
        "lines_count": len(rows),
        "pending_approval": sum(1 for r in rows if r.line.approved is None),
        "by_source": list(sources.values()),
        "communication": {
            "estimated": sum(r.line.estimated for r in communication),
            "approved": sum(r.line.approved or 0 for r in communication),
            "spent": sum(r.spent for r in communication),
        },
        "lines": [
            {
                "id": r.line.pk,
                "title": r.line.title,
                "kind_label": r.line.get_activity_kind_display() if r.line.activity_kind else "",
                "task": f"{r.line.task.number}. {r.line.task.text[:120]}" if r.line.task else "",
                "source": r.line.source,
                "source_label": r.line.get_source_display(),
                "source_note": r.line.source_note,
                "estimated": r.line.estimated,
                "approved": r.line.approved,
                "approval_ref": r.line.approval_ref,
                "spent": r.spent,
                "remaining": r.remaining,
                "note": r.line.note,
            }
            for r in rows
        ],
    }


def estimate_lines(unit: Unit, year: int) -> list[dict[str, Any]]:
    """The yearly estimate the Economic Office sends up: the lines of :func:`budget_figures` numbered
    (``number``), then a total row (``title`` "Tổng cộng", ``estimated``, ``approved``, ``spent``,
    ``remaining``; no other key)."""
    figures = budget_figures(unit=unit, year=year)
    lines: list[dict[str, Any]] = [
        {"number": number, **line} for number, line in enumerate(figures["lines"], start=1)
    ]
    lines.append(
        {
            "title": "Tổng cộng",
            **{k: figures[k] for k in ("estimated", "approved", "spent", "remaining")},
        }
    )
    return lines


@dataclass
class SpendingFilter:
    year: int | None = None
    line_id: int | None = None
    query: str = ""


def spendings(unit: Unit, filters: SpendingFilter | None = None) -> list[Spending]:
    f = filters or SpendingFilter()
    items = Spending.objects.filter(unit=unit).select_related("line", "activity", "evidence")
    if f.year:
        items = items.filter(line__year=f.year)
    if f.line_id:
        items = items.filter(line_id=f.line_id)
    result = list(items)
    if f.query:
        result = [
            s
            for s in result
            if matches(
                f.query, s.description, s.voucher, s.line.title, s.activity.title if s.activity else ""
            )
        ]
    return result
