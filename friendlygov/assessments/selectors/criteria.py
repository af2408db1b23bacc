"""The criteria of a cycle as rows in its three columns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import (
    AppraisalItem,
    ScoreEntry,
)
from friendlygov.assessments.sources import (
    SourceReading,
)
from friendlygov.org.models import Body
from friendlygov.rules.scoring import (
    AssessmentResult,
    Criterion,
)

from .measured import MeasuredState, measured_states
from .values import COLUMNS, CycleData


@dataclass
class CriterionRow:
    row: crit.TreeRow
    body: Body | None
    own_assignment: bool
    entry: ScoreEntry | None
    texts: dict[str, str]
    points: dict[str, Decimal | None]
    evidence_count: int
    proposal_count: int
    settled: bool
    appraisal: AppraisalItem | None
    source: SourceReading | None
    frozen_label: str
    measured: MeasuredState | None = None
    assignment_version: int = 0  # the lock of the criterion's own assignment (0: none)

    @property
    def code(self) -> str:
        return self.row.code

    @property
    def is_leaf(self) -> bool:
        return self.row.is_leaf

    @property
    def depth_class(self) -> str:
        return f"depth-{min(self.row.depth, 5)}"

    @property
    def provenance(self) -> str:
        if self.frozen_label:
            return self.frozen_label
        if self.source is not None:
            return self.source.provenance
        return ""


def _points(result: AssessmentResult, code: str) -> Decimal | None:
    """A criterion's points in a column; None when it is not scored ("chưa chấm", never 0): a leaf without a
    value, or a group none of whose leaves has one."""
    item = result.criterion(code)
    if item is None or all(leaf.missing for leaf in item.walk() if not leaf.children):
        return None
    return item.points


def criterion_rows(
    data: CycleData, measured: Mapping[str, MeasuredState] | None = None
) -> list[CriterionRow]:
    """The tree's rows with values, points and, for source criteria, where they stand against the measured
    figure (``measured``: :func:`measured_states`, computed here when not given)."""
    results = {column: data.result(column) for column in COLUMNS}
    if measured is None:
        measured = measured_states(data)
    rows = []
    for row in crit.tree_rows(data.cs):
        code = row.code
        node = row.node
        texts = {
            column: crit.describe_value(node, data.raw(column, code)) if row.is_leaf else ""
            for column in COLUMNS
        }
        entry = data.entries.get(code)
        rows.append(
            CriterionRow(
                row=row,
                body=data.body_for(code),
                own_assignment=code in data.assignments,
                entry=entry,
                texts=texts,
                points={
                    column: None if row.is_condition else _points(results[column], code) for column in COLUMNS
                },
                evidence_count=sum(len(data.live_evidence(c.code)) for c in _subtree(node))
                if not row.is_condition
                else len(data.live_evidence(code)),
                proposal_count=len(data.proposals.get(code, [])),
                settled=code in data.consolidated,
                appraisal=data.appraisals.get(code),
                source=data.sources.get(code),
                frozen_label=entry.source_label
                if entry is not None
                and (entry.measured_at is not None or (entry.from_source and not data.cycle.is_editable))
                else "",
                measured=measured.get(code),
                assignment_version=data.assignments[code].version if code in data.assignments else 0,
            )
        )
    return rows


def _subtree(node: Any) -> Iterable[Any]:
    return node.walk() if isinstance(node, Criterion) else [node]
