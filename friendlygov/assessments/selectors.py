"""Reads of the assessment area: a cycle's values and results in three columns (self-assessed,
consolidated, appraised), quality checks, gap analysis, the path across years, the city's table, home
panels, and the public selectors other areas use (``recognised_levels``, ``cycle_summary``, the city's
published figures as measured figures)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import (
    AppraisalItem,
    Assignment,
    CityFigure,
    ConsolidatedScore,
    CriteriaSetVersion,
    Cycle,
    JointProposal,
    JointReview,
    Recognition,
    Registration,
    ScoreEntry,
    ScoreEvidence,
)
from friendlygov.assessments.sources import (
    NO_DATA,
    SourceReading,
    measured_value,
    plan_target_level,
    read_source,
    read_sources,
    source_label,
)
from friendlygov.audit.models import AuditEvent
from friendlygov.audit.selectors import object_history
from friendlygov.kit.panels import Panel
from friendlygov.org.access import Capability, can
from friendlygov.org.models import Body, Unit
from friendlygov.rules.figures import MeasuredFigure
from friendlygov.rules.scoring import (
    AssessmentResult,
    Condition,
    CriteriaSet,
    Criterion,
    CriterionResult,
    Level,
    LevelGap,
    ScoreValue,
    ScoreValueError,
    assess,
    assess_total,
    dump_criteria_set_yaml,
    gap_to_levels,
)

COLUMNS = ("self", "consolidated", "appraised")
COLUMN_LABELS = {
    "self": gettext_lazy("Tự chấm"),
    "consolidated": gettext_lazy("Thống nhất"),
    "appraised": gettext_lazy("Thẩm định"),
}


# ------------------------------------------------------------------------------ one cycle's data


_Scored = TypeVar("_Scored")


def _scored_once(
    memo: list[tuple[dict[str, ScoreValue | None], _Scored]],
    values: dict[str, ScoreValue | None],
    score: Callable[[CriteriaSet, dict[str, ScoreValue | None]], _Scored],
    cs: CriteriaSet,
) -> _Scored:
    """``score(cs, values)``, or what it gave for equal values of another column: until joint scoring and
    appraisal change something, an open cycle's columns hold the same values (results are not changed by
    their readers)."""
    found = next((scored for other, scored in memo if other == values), None)
    if found is None:
        found = score(cs, values)
        memo.append((values, found))
    return found


@dataclass
class ScoreValues:
    """What scoring a cycle needs, as plain values: the unit's value, the settled value and the city's
    adjustment of each criterion, the criteria with live evidence, and the measured figures. Results per
    column (self, consolidated, appraised) and completeness come from here alone, so the city's table
    can score every open cycle without loading the records (:func:`load_cycles_scores`)."""

    cycle: Cycle
    cs: CriteriaSet
    entered: dict[str, str]  # criterion → the unit's value
    settled: dict[str, str]  # criterion → value settled after joint scoring
    adjusted: dict[str, str]  # criterion → value the city set (adjust decisions only)
    evidenced: set[str]  # criteria with at least one live evidence link
    sources: dict[str, SourceReading]
    decided: set[str] = field(
        default_factory=set
    )  # source criteria whose measured value was accepted or overridden
    _results: dict[str, AssessmentResult] = field(default_factory=dict)
    _value_cache: dict[tuple[str, str], ScoreValue | None] = field(default_factory=dict)
    _scored: list[tuple[dict[str, ScoreValue | None], AssessmentResult]] = field(default_factory=list)
    _totals: dict[str, tuple[Decimal, Level | None]] = field(default_factory=dict)
    _scored_totals: list[tuple[dict[str, ScoreValue | None], tuple[Decimal, Level | None]]] = field(
        default_factory=list
    )

    def node(self, code: str) -> Criterion | Condition | None:
        return crit.node_for(self.cs, code)

    def source_text(self, leaf: Criterion) -> str:
        """A source criterion's value: the value the scorer accepted or typed instead (with a reason), else
        the live figure while the cycle is open; the frozen one after submission."""
        if not self.cycle.is_editable or leaf.code in self.decided:
            return self.entered.get(leaf.code, "")
        reading = self.sources.get(leaf.code)
        if reading is None or reading.figure is None:
            return ""
        text, _ticks = measured_value(leaf, reading.figure)
        return text if crit.safe_value(leaf, text) is not None else ""

    def raw(self, column: str, code: str) -> str:
        node = self.node(code)
        if node is None:
            return ""
        if column == "appraised":
            if code in self.adjusted:
                return self.adjusted[code]
            return self.raw("consolidated", code)
        if column == "consolidated":
            if code in self.settled and not (isinstance(node, Criterion) and node.source):
                return self.settled[code]
            return self.raw("self", code)
        if isinstance(node, Criterion) and node.source:
            return self.source_text(node)
        return self.entered.get(code, "")

    def values(self, column: str) -> dict[str, ScoreValue | None]:
        out: dict[str, ScoreValue | None] = {}
        for code in crit.scorable_codes(self.cs):
            node = self.node(code)
            if node is not None:
                text = self.raw(column, code)
                key = (code, text)  # the columns mostly share their texts: each is read once
                if key not in self._value_cache:
                    self._value_cache[key] = crit.safe_value(node, text)
                out[code] = self._value_cache[key]
        return out

    def result(self, column: str) -> AssessmentResult:
        if column not in self._results:
            self._results[column] = _scored_once(self._scored, self.values(column), assess, self.cs)
        return self._results[column]

    def total(self, column: str) -> tuple[Decimal, Level | None]:
        """A column's total and level, as :meth:`result` gives them, without building the full result when
        it was not built already (the city's table needs only these)."""
        if column in self._results:
            return self._results[column].total, self._results[column].level
        if column not in self._totals:
            self._totals[column] = _scored_once(
                self._scored_totals, self.values(column), assess_total, self.cs
            )
        return self._totals[column]

    def has_live_evidence(self, code: str) -> bool:
        return code in self.evidenced


@dataclass
class CycleData:
    """Everything scored in a cycle, loaded once (the records, for the pages); values and results per
    column come from its :class:`ScoreValues`."""

    cycle: Cycle
    cs: CriteriaSet
    entries: dict[str, ScoreEntry]
    consolidated: dict[str, ConsolidatedScore]
    appraisals: dict[str, AppraisalItem]
    assignments: dict[str, Assignment]
    proposals: dict[str, list[JointProposal]]
    evidence: dict[str, list[ScoreEvidence]]
    sources: dict[str, SourceReading]
    scores: ScoreValues = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.scores = ScoreValues(
            self.cycle,
            self.cs,
            {code: entry.value for code, entry in self.entries.items()},
            {code: settled.value for code, settled in self.consolidated.items()},
            {
                code: item.value
                for code, item in self.appraisals.items()
                if item.decision == AppraisalItem.Decision.ADJUST
            },
            {code for code, links in self.evidence.items() if any(link.removed_at is None for link in links)},
            self.sources,
            {code for code, entry in self.entries.items() if entry.measured_at is not None},
        )

    @property
    def nodes(self) -> dict[str, Criterion | Condition]:
        out: dict[str, Criterion | Condition] = {c.code: c for c in self.cs.walk()}
        out.update({c.code: c for c in self.cs.conditions})
        return out

    def node(self, code: str) -> Criterion | Condition | None:
        return self.scores.node(code)

    def source_text(self, leaf: Criterion) -> str:
        return self.scores.source_text(leaf)

    def raw(self, column: str, code: str) -> str:
        return self.scores.raw(column, code)

    def values(self, column: str) -> dict[str, ScoreValue | None]:
        return self.scores.values(column)

    def result(self, column: str) -> AssessmentResult:
        return self.scores.result(column)

    def total(self, column: str) -> tuple[Decimal, Level | None]:
        return self.scores.total(column)

    def has_live_evidence(self, code: str) -> bool:
        return self.scores.has_live_evidence(code)

    def body_for(self, code: str) -> Body | None:
        for candidate in crit.ancestors(self.cs, code) or [code]:
            if candidate in self.assignments:
                return self.assignments[candidate].body
        return None

    def live_evidence(self, code: str) -> list[ScoreEvidence]:
        return [link for link in self.evidence.get(code, []) if link.removed_at is None]


def load_cycle_data(cycle: Cycle) -> CycleData:
    return load_cycles_data([cycle])[cycle.pk]


def load_cycles_data(cycles: Iterable[Cycle]) -> dict[int, CycleData]:
    """The :class:`CycleData` of several cycles by cycle id: each of the six scored tables is read once
    for all of them (``cycle_id__in``) and grouped here, so the number of queries does not grow with the
    number of cycles (the live sources of open cycles are still read unit by unit)."""
    cycles = list(cycles)
    ids = [cycle.pk for cycle in cycles]
    entries: dict[int, dict[str, ScoreEntry]] = defaultdict(dict)
    consolidated: dict[int, dict[str, ConsolidatedScore]] = defaultdict(dict)
    appraisals: dict[int, dict[str, AppraisalItem]] = defaultdict(dict)
    assignments: dict[int, dict[str, Assignment]] = defaultdict(dict)
    proposals: dict[int, dict[str, list[JointProposal]]] = defaultdict(lambda: defaultdict(list))
    evidence: dict[int, dict[str, list[ScoreEvidence]]] = defaultdict(lambda: defaultdict(list))
    if ids:
        for e in ScoreEntry.objects.filter(cycle_id__in=ids).select_related("entered_by", "body"):
            entries[e.cycle_id][e.criterion_code] = e
        for c in ConsolidatedScore.objects.filter(cycle_id__in=ids).select_related("settled_by"):
            consolidated[c.cycle_id][c.criterion_code] = c
        for a in AppraisalItem.objects.filter(cycle_id__in=ids).select_related("appraised_by"):
            appraisals[a.cycle_id][a.criterion_code] = a
        for assignment in Assignment.objects.filter(cycle_id__in=ids).select_related("body"):
            assignments[assignment.cycle_id][assignment.criterion_code] = assignment
        for proposal in JointProposal.objects.filter(cycle_id__in=ids).select_related(
            "body", "proposed_by", "decided_by"
        ):
            proposals[proposal.cycle_id][proposal.criterion_code].append(proposal)
        for link in ScoreEvidence.objects.filter(entry__cycle_id__in=ids).select_related(
            "evidence", "entry", "added_by"
        ):
            evidence[link.entry.cycle_id][link.entry.criterion_code].append(link)
    sources = _cycle_sources(cycles)
    out: dict[int, CycleData] = {}
    for cycle in cycles:
        out[cycle.pk] = CycleData(
            cycle,
            crit.parsed(cycle.criteria_set),
            dict(entries.get(cycle.pk, {})),
            dict(consolidated.get(cycle.pk, {})),
            dict(appraisals.get(cycle.pk, {})),
            dict(assignments.get(cycle.pk, {})),
            dict(proposals.get(cycle.pk, {})),
            dict(evidence.get(cycle.pk, {})),
            sources[cycle.pk],
        )
    return out


def load_cycles_scores(cycles: Iterable[Cycle]) -> dict[int, ScoreValues]:
    """The :class:`ScoreValues` of several cycles by cycle id, from three narrow queries (values only, no
    records): what the city's table needs to score every open cycle."""
    cycles = list(cycles)
    ids = [cycle.pk for cycle in cycles]
    entered: dict[int, dict[str, str]] = defaultdict(dict)
    settled: dict[int, dict[str, str]] = defaultdict(dict)
    adjusted: dict[int, dict[str, str]] = defaultdict(dict)
    evidenced: dict[int, set[str]] = defaultdict(set)
    decided: dict[int, set[str]] = defaultdict(set)
    if ids:
        for cycle_id, code, value, measured_at in ScoreEntry.objects.filter(cycle_id__in=ids).values_list(
            "cycle_id", "criterion_code", "value", "measured_at"
        ):
            entered[cycle_id][code] = value
            if measured_at is not None:
                decided[cycle_id].add(code)
        for cycle_id, code, value in ConsolidatedScore.objects.filter(cycle_id__in=ids).values_list(
            "cycle_id", "criterion_code", "value"
        ):
            settled[cycle_id][code] = value
        for cycle_id, code, value in AppraisalItem.objects.filter(
            cycle_id__in=ids, decision=AppraisalItem.Decision.ADJUST
        ).values_list("cycle_id", "criterion_code", "value"):
            adjusted[cycle_id][code] = value
        for cycle_id, code in (
            ScoreEvidence.objects.filter(entry__cycle_id__in=ids, removed_at__isnull=True)
            .values_list("entry__cycle_id", "entry__criterion_code")
            .distinct()
        ):
            evidenced[cycle_id].add(code)
    sources = _cycle_sources(cycles)
    return {
        cycle.pk: ScoreValues(
            cycle,
            crit.parsed(cycle.criteria_set),
            entered[cycle.pk],
            settled[cycle.pk],
            adjusted[cycle.pk],
            evidenced[cycle.pk],
            sources[cycle.pk],
            decided[cycle.pk],
        )
        for cycle in cycles
    }


def _cycle_sources(cycles: list[Cycle]) -> dict[int, dict[str, SourceReading]]:
    """Each cycle's readings of its source criteria: live figures while open (each source read once for
    all the units), none once locked (the frozen value is the entry's)."""
    live = _live_sources([cycle for cycle in cycles if cycle.is_editable])
    out: dict[int, dict[str, SourceReading]] = {}
    for cycle in cycles:
        readings: dict[str, SourceReading] = {}
        for leaf in crit.parsed(cycle.criteria_set).leaf_list:
            if leaf.source:
                if cycle.is_editable:
                    readings[leaf.code] = live[(leaf.source, cycle.year)][cycle.unit_id]
                else:
                    readings[leaf.code] = SourceReading(leaf.source, source_label(leaf.source), None)
        out[cycle.pk] = readings
    return out


def _live_sources(cycles: list[Cycle]) -> dict[tuple[str, int], dict[int, SourceReading]]:
    """The measured figures open cycles read, per (source, year) and unit — each source asked once for all
    the units that need it (a city's table holds up to every unit's open cycle)."""
    wanted: dict[tuple[str, int], dict[int, Unit]] = defaultdict(dict)
    for cycle in cycles:
        for leaf in crit.parsed(cycle.criteria_set).leaf_list:
            if leaf.source:
                wanted[(leaf.source, cycle.year)][cycle.unit_id] = cycle.unit
    return {
        (key, year): read_sources(key, units=list(units.values()), year=year)
        for (key, year), units in wanted.items()
    }


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


# ------------------------------------------------------------------------------------- tree rows


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


# ------------------------------------------------------------------------------- measured figures


@dataclass(frozen=True)
class MeasuredState:
    """Where a source criterion stands against its measured figure.

    ``status``: ``pending`` (open, the live figure stands in until the scorer accepts it or types another
    value), ``accepted``, ``override`` (another value with a reason, open or locked), ``locked`` (submitted:
    the accepted figure, or the live one frozen at submission). ``live_*``: the figure read now (None when it was not read or there is none).
    ``changed``: open and the live figure differs from the one accepted or overridden; ``late``: submitted
    and the live figure differs from the one the value was locked with (e.g. the city published it after)."""

    code: str
    leaf: Criterion
    key: str
    source_label: str  # what the source is
    status: str
    entry: ScoreEntry | None
    live: SourceReading | None
    live_text: str
    live_ticks: tuple[int, ...]
    changed: bool
    late: bool

    @property
    def figure(self) -> MeasuredFigure | None:
        return self.live.figure if self.live is not None else None

    @property
    def live_shown(self) -> str:
        return crit.describe_value(self.leaf, self.live_text) if self.live_text else NO_DATA

    @property
    def stored_measured(self) -> str:
        """The measured figure when the value was decided (accepted, overridden, frozen), for people."""
        if self.entry is None or self.entry.measured_at is None:
            return ""
        return (
            crit.describe_value(self.leaf, self.entry.measured_value)
            if self.entry.measured_value
            else NO_DATA
        )

    @property
    def value_shown(self) -> str:
        if self.entry is None or not self.entry.value:
            return ""
        return crit.describe_value(self.leaf, self.entry.value)

    @property
    def is_override(self) -> bool:
        return self.status == "override"

    @property
    def reason(self) -> str:
        return self.entry.override_reason if self.entry is not None else ""

    @property
    def counted_at(self) -> dt.datetime | None:
        return self.entry.measured_at if self.entry is not None else None

    @property
    def provenance(self) -> str:
        """What the decided value came from (the stored label), else the live figure's."""
        if self.entry is not None and self.entry.measured_at is not None and self.entry.source_label:
            return self.entry.source_label
        return self.live.provenance if self.live is not None else NO_DATA

    @property
    def reference(self) -> str:
        """A link to the records: the live figure's, else the stored one (a decision number is not a link)."""
        figure = self.figure
        ref = figure.reference if figure is not None else (self.entry.source_reference if self.entry else "")
        return ref if ref.startswith("/") else ""


def _same_measure(leaf: Criterion, a: str, a_ticks: Sequence[int], b: str, b_ticks: Sequence[int]) -> bool:
    if leaf.kind == "checklist" and sorted(a_ticks) != sorted(b_ticks):
        return False
    if a == b:
        return True
    if not a or not b:
        return False
    return crit.safe_value(leaf, a) == crit.safe_value(leaf, b)


def measured_states(
    data: CycleData, *, read_locked: bool = False, only: str | None = None
) -> dict[str, MeasuredState]:
    """The :class:`MeasuredState` of each source criterion of the cycle, by code. An open cycle's live
    figures are those already read into ``data``; a locked cycle's are read only with ``read_locked`` (the
    appraisal pages: a figure published after submission is shown beside the locked value). ``only``: one
    criterion."""
    out: dict[str, MeasuredState] = {}
    editable = data.cycle.is_editable
    for leaf in data.cs.leaf_list:
        if not leaf.source or (only is not None and leaf.code != only):
            continue
        entry = data.entries.get(leaf.code)
        if editable:
            live: SourceReading | None = data.sources.get(leaf.code)
        elif read_locked:
            live = read_source(leaf.source, unit=data.cycle.unit, year=data.cycle.year)
        else:
            live = None
        text, ticks = measured_value(leaf, live.figure) if live is not None and live.figure else ("", [])
        if text and crit.safe_value(leaf, text) is None:
            text, ticks = "", []
        decided = entry is not None and entry.measured_at is not None
        if entry is not None and entry.override_reason:
            status = "override"
        elif not editable:
            status = "locked"
        else:
            status = "accepted" if decided else "pending"
        changed = late = False
        if entry is not None and live is not None:
            if decided:
                baseline, base_ticks = entry.measured_value, list(entry.measured_ticked or [])
            else:
                baseline, base_ticks = entry.value, list(entry.ticked or [])
            differs = bool(text) and not _same_measure(leaf, text, ticks, baseline, base_ticks)
            changed = editable and decided and differs
            late = not editable and differs
        elif not editable and live is not None and text:
            late = True  # locked with no entry at all: any figure now is new
        out[leaf.code] = MeasuredState(
            leaf.code,
            leaf,
            leaf.source,
            source_label(leaf.source),
            status,
            entry,
            live,
            text,
            tuple(ticks),
            changed,
            late,
        )
    return out


# --------------------------------------------------------------------------------- quality checks


@dataclass(frozen=True)
class QualityIssue:
    code: str  # the criterion or condition ("" for the whole file)
    kind: str  # unscored | no_proof | evidence_without_file | evidence_outside_year | no_source_data |
    # source_override | source_changed | registration
    message: str


QUALITY_KINDS = {
    "unscored": gettext_lazy("Chưa chấm"),
    "no_proof": gettext_lazy("Không có minh chứng hay giải trình"),
    "evidence_without_file": gettext_lazy("Minh chứng không có tệp"),
    "evidence_outside_year": gettext_lazy("Minh chứng ngoài năm đánh giá"),
    "no_source_data": gettext_lazy("Chưa có số liệu đo được"),
    "source_override": gettext_lazy("Không dùng số liệu đo được"),
    "source_changed": gettext_lazy("Số liệu đo được đã thay đổi sau khi xác nhận"),
    "registration": gettext_lazy("Đăng ký mức"),
}


def quality_checks(cycle: Cycle, data: CycleData | None = None) -> list[QualityIssue]:
    """What the leader should see before submitting: criteria nobody scored, values with neither evidence
    nor explanation, evidence without a file, evidence dated outside the year, missing measured data."""
    data = data or load_cycle_data(cycle)
    issues: list[QualityIssue] = []
    registration = registration_of(cycle)
    if registration is None:
        issues.append(QualityIssue("", "registration", gettext("Đơn vị chưa đăng ký mức đạt chuẩn năm nay.")))
    elif registration.status == Registration.Status.PENDING:
        issues.append(
            QualityIssue(
                "", "registration", gettext("Bản đăng ký mức đạt chuẩn chưa được thành phố chấp nhận.")
            )
        )
    elif registration.status == Registration.Status.CHANGES_REQUESTED:
        issues.append(
            QualityIssue(
                "", "registration", gettext("Thành phố yêu cầu điều chỉnh bản đăng ký mức đạt chuẩn.")
            )
        )
    measured = measured_states(data)
    for code in crit.scorable_codes(data.cs):
        node = data.node(code)
        label = gettext("Điều kiện") if isinstance(node, Condition) else gettext("Tiêu chí")
        if isinstance(node, Criterion) and node.source:
            if not data.raw("self", code):
                issues.append(
                    QualityIssue(
                        code,
                        "no_source_data",
                        f"{label} {code}: {source_label(node.source).lower()} — {NO_DATA}.",
                    )
                )
            state = measured.get(code)
            if state is not None and state.is_override:
                issues.append(QualityIssue(code, "source_override", override_line(state)))
            if state is not None and state.changed:
                issues.append(
                    QualityIssue(
                        code,
                        "source_changed",
                        f"{label} {code}: số liệu đo được nay là {state.live_shown}, khác {state.stored_measured} "
                        "lúc xác nhận; hãy xác nhận lại hoặc ghi lý do.",
                    )
                )
        else:
            entry = data.entries.get(code)
            if entry is None or not entry.value.strip():
                issues.append(
                    QualityIssue(
                        code,
                        "unscored",
                        gettext("%(label)s %(code)s: chưa có ai chấm.") % {"label": label, "code": code},
                    )
                )
            elif not data.live_evidence(code) and not entry.explanation.strip():
                issues.append(
                    QualityIssue(
                        code,
                        "no_proof",
                        gettext("%(label)s %(code)s: đã chấm nhưng không có minh chứng hay giải trình.")
                        % {"label": label, "code": code},
                    )
                )
        for link in data.live_evidence(code):
            if link.evidence is None:
                issues.append(
                    QualityIssue(
                        code,
                        "evidence_without_file",
                        f"{label} {code}: minh chứng «{link.note}» chưa có tệp.",
                    )
                )
                continue
            if not _file_exists(link.evidence):
                issues.append(
                    QualityIssue(
                        code,
                        "evidence_without_file",
                        f"{label} {code}: không tìm thấy tệp của minh chứng «{link.evidence}».",
                    )
                )
            if link.evidence.effective_date.year != cycle.year:
                issues.append(
                    QualityIssue(
                        code,
                        "evidence_outside_year",
                        f"{label} {code}: minh chứng «{link.evidence}» có ngày hiệu lực "
                        f"{link.evidence.effective_date:%d/%m/%Y}, ngoài năm {cycle.year}.",
                    )
                )
    return issues


def override_line(state: MeasuredState) -> str:
    """An override in words, both values side by side: "Tiêu chí 5.2: đơn vị ghi 3/4 thay cho số liệu đo
    được 1/4 (25%) — lý do: …"."""
    return (
        f"Tiêu chí {state.code}: đơn vị ghi {state.value_shown or '—'} thay cho số liệu đo được "
        f"{state.stored_measured or NO_DATA} — lý do: {state.reason}"
    )


def _file_exists(evidence: Any) -> bool:
    name = evidence.file.name if evidence.file else ""
    if not name:
        return False
    try:
        return bool(evidence.file.storage.exists(name))
    except OSError:  # a storage outage is not a quality problem of the unit
        return True


# ------------------------------------------------------------------------------------ completeness


@dataclass(frozen=True)
class Completeness:
    scorable: int
    scored: int
    with_evidence: int

    @property
    def scored_percent(self) -> Decimal:
        return Decimal(100) * self.scored / self.scorable if self.scorable else Decimal(0)

    @property
    def evidence_percent(self) -> Decimal:
        return Decimal(100) * self.with_evidence / self.scored if self.scored else Decimal(0)


def _scored_leaves(data: CycleData | ScoreValues, column: str) -> list[str]:
    """The leaf criteria that have a value in ``column`` (what "đã chấm" counts everywhere)."""
    values = data.values(column)
    return [leaf.code for leaf in data.cs.leaf_list if values.get(leaf.code) is not None]


def _with_evidence(data: CycleData | ScoreValues, codes: Iterable[str]) -> int:
    """How many of ``codes`` have live evidence (a measured figure is its own evidence)."""
    found = 0
    for code in codes:
        node = data.node(code)
        if data.has_live_evidence(code) or (isinstance(node, Criterion) and bool(node.source)):
            found += 1
    return found


def completeness(data: CycleData | ScoreValues) -> Completeness:
    """How many of the set's leaf criteria the unit scored (and with evidence): the same count as
    :func:`criteria_counts` of the self column. Conditions are counted there, not here."""
    scored = _scored_leaves(data, "self")
    return Completeness(len(data.cs.leaf_list), len(scored), _with_evidence(data, scored))


@dataclass(frozen=True)
class CriteriaCounts:
    """The criteria of a cycle counted in one column — the one source of "đã chấm", "đạt điểm tối đa",
    "chưa đạt điểm tối đa" and "chưa chấm" for pages, panels, documents, Excel and the API. Criteria are the
    set's leaf criteria (bonus ones included); conditions are counted apart. ``scored = at_maximum +
    below_maximum`` and ``criteria = scored + unscored``."""

    column: str
    criteria: int
    scored: int
    with_evidence: int
    at_maximum: tuple[str, ...]  # codes, in the set's order
    below_maximum: tuple[str, ...]  # scored, below their maximum points
    unscored: tuple[str, ...]
    conditions: int
    conditions_answered: int

    @property
    def at_maximum_count(self) -> int:
        return len(self.at_maximum)

    @property
    def below_maximum_count(self) -> int:
        return len(self.below_maximum)

    @property
    def unscored_count(self) -> int:
        return len(self.unscored)


def criteria_counts(data: CycleData | ScoreValues, column: str = "self") -> CriteriaCounts:
    """:class:`CriteriaCounts` of ``column`` ("self", "consolidated" or "appraised")."""
    result = data.result(column)
    values = data.values(column)
    at_maximum: list[str] = []
    below: list[str] = []
    unscored: list[str] = []
    for leaf in data.cs.leaf_list:
        item = result.criterion(leaf.code)
        if values.get(leaf.code) is None or item is None or item.missing:
            unscored.append(leaf.code)
        elif item.points >= item.max_points:
            at_maximum.append(leaf.code)
        else:
            below.append(leaf.code)
    scored = [*at_maximum, *below]
    return CriteriaCounts(
        column=column,
        criteria=len(data.cs.leaf_list),
        scored=len(scored),
        with_evidence=_with_evidence(data, scored),
        at_maximum=tuple(at_maximum),
        below_maximum=tuple(below),
        unscored=tuple(unscored),
        conditions=len(data.cs.conditions),
        conditions_answered=sum(1 for c in data.cs.conditions if values.get(c.code) is not None),
    )


# ------------------------------------------------------------------------------------------ history


FIELD_LABELS = {
    "value": gettext_lazy("giá trị"),
    "ticked": gettext_lazy("các mục đạt"),
    "explanation": gettext_lazy("giải trình"),
    "reason": gettext_lazy("lý do"),
    "decision": gettext_lazy("kết luận"),
    "status": gettext_lazy("trạng thái"),
    "verdict": gettext_lazy("ý kiến"),
    "target_level": gettext_lazy("mức đăng ký"),
    "note": gettext_lazy("ghi chú"),
    "body_id": gettext_lazy("cơ quan"),
    "evidence_id": gettext_lazy("tệp minh chứng"),
    "removed": gettext_lazy("đã bỏ"),
    "criterion_code": gettext_lazy("tiêu chí"),
    "registration_deadline": gettext_lazy("hạn đăng ký"),
    "submission_deadline": gettext_lazy("hạn nộp"),
    "appraisal_deadline": gettext_lazy("hạn thẩm định"),
    "decision_number": gettext_lazy("số quyết định"),
    "decision_date": gettext_lazy("ngày quyết định"),
    "level_code": gettext_lazy("mức công nhận"),
    "signer": gettext_lazy("người ký"),
    "source_label": gettext_lazy("nguồn số liệu"),
    "measured_value": gettext_lazy("số liệu đo được"),
    "override_reason": gettext_lazy("lý do không dùng số liệu đo được"),
}
OBJECT_LABELS = {
    "assessments.scoreentry": gettext_lazy("Tự chấm"),
    "assessments.scoreevidence": gettext_lazy("Minh chứng"),
    "assessments.jointproposal": gettext_lazy("Đề xuất chấm phối hợp"),
    "assessments.jointreview": gettext_lazy("Ý kiến chấm phối hợp"),
    "assessments.consolidatedscore": gettext_lazy("Thống nhất điểm"),
    "assessments.appraisalitem": gettext_lazy("Thẩm định"),
    "assessments.assignment": gettext_lazy("Phân công"),
    "assessments.cycle": gettext_lazy("Kỳ đánh giá"),
    "assessments.registration": gettext_lazy("Đăng ký mức"),
    "assessments.recognition": gettext_lazy("Công nhận"),
}
STATUS_LABELS = {
    **dict(Cycle.Status.choices),
    **dict(Registration.Status.choices),
    **dict(AppraisalItem.Decision.choices),
    **dict(JointReview.Verdict.choices),
}
PROPOSAL_STATUS_LABELS = dict(JointProposal.Status.choices)  # "pending", "accepted" mean other things too
SHOWN_FIELDS = {
    "assessments.scoreentry": [
        "value",
        "ticked",
        "explanation",
        "source_label",
        "measured_value",
        "override_reason",
    ],
    "assessments.scoreevidence": ["evidence_id", "note", "removed"],
    "assessments.jointproposal": ["body_id", "value", "reason", "status"],
    "assessments.jointreview": ["body_id", "verdict", "value"],
    "assessments.consolidatedscore": ["value", "reason"],
    "assessments.appraisalitem": ["decision", "value", "reason"],
    "assessments.assignment": ["body_id"],
    "assessments.cycle": ["status", "registration_deadline", "submission_deadline", "appraisal_deadline"],
    "assessments.registration": ["target_level", "note", "status"],
    "assessments.recognition": ["decision_number", "decision_date", "signer", "level_code"],
}


@dataclass
class HistoryLine:
    at: dt.datetime
    actor_name: str
    what: str
    action: str
    changes: list[tuple[str, str, str]]
    note: str


def _show(
    value: Any,
    field_name: str,
    node: Any,
    bodies: Mapping[int, str],
    evidence: Mapping[int, str],
    object_type: str = "",
) -> str:
    if value in (None, "", []):
        return "∅"
    if field_name == "value" and node is not None:
        return crit.describe_value(node, str(value)) or str(value)
    if field_name == "body_id":
        return bodies.get(int(value), str(value))
    if field_name == "evidence_id":
        return evidence.get(int(value), f"#{value}")
    if field_name in ("status", "decision", "verdict"):
        if object_type == "assessments.jointproposal":
            return str(PROPOSAL_STATUS_LABELS.get(value, value))
        return str(STATUS_LABELS.get(value, value))
    if field_name == "removed":
        return "có" if value else "không"
    if field_name == "ticked" and isinstance(value, list):
        return ", ".join(str(int(i) + 1) for i in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def _history(events: Iterable[AuditEvent], node: Any = None) -> list[HistoryLine]:
    events = list(events)
    body_ids: set[int] = set()
    evidence_ids: set[int] = set()
    for event in events:
        for key, pair in event.changes.items():
            for item in pair if isinstance(pair, list) else []:
                if isinstance(item, int) and key == "body_id":
                    body_ids.add(item)
                if isinstance(item, int) and key == "evidence_id":
                    evidence_ids.add(item)
    bodies = {b.pk: b.name for b in Body.objects.filter(pk__in=body_ids)}
    from friendlygov.evidence.models import EvidenceFile

    evidence = {e.pk: str(e) for e in EvidenceFile.objects.filter(pk__in=evidence_ids)}
    lines = []
    for event in sorted(events, key=lambda e: (e.at, e.pk)):
        shown = SHOWN_FIELDS.get(event.object_type, list(event.changes))
        changes = [
            (
                str(FIELD_LABELS.get(key, key)),
                _show(pair[0], key, node, bodies, evidence, event.object_type),
                _show(pair[1], key, node, bodies, evidence, event.object_type),
            )
            for key, pair in event.changes.items()
            if key in shown and isinstance(pair, list) and len(pair) == 2
        ]
        lines.append(
            HistoryLine(
                at=event.at,
                actor_name=event.shown_actor_name,
                what=str(OBJECT_LABELS.get(event.object_type, event.object_type)),
                action=str(event.get_action_display()),
                changes=changes,
                note=event.shown_note,
            )
        )
    return lines


def _events_for(objects: Iterable[Any]) -> QuerySet[AuditEvent]:
    combined: QuerySet[AuditEvent] | None = None
    for obj in objects:
        qs = object_history(obj_type=obj._meta.label_lower, obj_id=obj.pk)
        combined = qs if combined is None else combined | qs
    return combined if combined is not None else AuditEvent.objects.none()


def criterion_history(data: CycleData, code: str) -> list[HistoryLine]:
    """Every change to this criterion in the cycle: score, evidence, proposals, settlement, appraisal."""
    objects: list[Any] = []
    if code in data.entries:
        objects.append(data.entries[code])
    objects += data.evidence.get(code, [])
    objects += data.proposals.get(code, [])
    if code in data.consolidated:
        objects.append(data.consolidated[code])
    if code in data.appraisals:
        objects.append(data.appraisals[code])
    if code in data.assignments:
        objects.append(data.assignments[code])
    return _history(_events_for(objects), data.node(code))


def cycle_history(cycle: Cycle) -> list[HistoryLine]:
    """The steps of the file: opening, deadlines, registration, submission, return, appraisal, recognition."""
    objects: list[Any] = [cycle]
    registration = registration_of(cycle)
    if registration is not None:
        objects.append(registration)
    recognition = recognition_of(cycle)
    if recognition is not None:
        objects.append(recognition)
    return _history(_events_for(objects))


# ------------------------------------------------------------------------------------------- gaps


@dataclass
class GapRow:
    code: str
    name: str
    points: Decimal
    max_points: Decimal
    at_stake: Decimal
    gain: Decimal
    bonus: bool
    body: Body | None


@dataclass
class GapView:
    column: str
    result: AssessmentResult
    levels: list[LevelGap]
    criteria: list[GapRow]
    target_code: str | None


def gap_view(
    data: CycleData, column: str = "consolidated", overrides: Mapping[str, ScoreValue | None] | None = None
) -> GapView:
    values = data.values(column)
    if overrides:
        values.update(overrides)
    levels = gap_to_levels(data.cs, values)
    result = assess(data.cs, values)
    rows = [
        GapRow(g.code, g.name, g.points, g.max_points, g.at_stake, g.gain, g.bonus, data.body_for(g.code))
        for g in (levels[0].criteria if levels else [])
    ]
    registration = registration_of(data.cycle)
    return GapView(column, result, levels, rows, registration.target_level if registration else None)


@dataclass
class WhatIf:
    before: AssessmentResult
    after: AssessmentResult | None
    problems: dict[str, str]
    changes: list[tuple[str, str, Decimal | None, Decimal | None]]  # code, name, points before, after


def what_if(data: CycleData, raw_values: Mapping[str, str], column: str = "consolidated") -> WhatIf:
    """The result with some values changed, without saving anything."""
    before = data.result(column)
    values = data.values(column)
    problems: dict[str, str] = {}
    changed_codes = []
    for code, raw in raw_values.items():
        node = data.node(code)
        if node is None or (isinstance(node, Criterion) and node.children):
            continue
        current = data.raw(column, code)
        if raw.strip() == current.strip():
            continue
        try:
            values[code] = crit.read_value(node, raw)
        except ScoreValueError as error:
            problems[code] = f"Tiêu chí {code}: {error.message}."
            continue
        changed_codes.append(code)
    if problems:
        return WhatIf(before, None, problems, [])
    after = assess(data.cs, values)
    changes = []
    for code in changed_codes:
        node = data.node(code)
        name = node.name if node is not None else code
        changes.append((code, name, _points(before, code), _points(after, code)))
    return WhatIf(before, after, problems, changes)


# ------------------------------------------------------------------------------ path across years


@dataclass
class PathRow:
    year: int
    target_code: str | None
    target_name: str
    registered: str
    status: str
    total: Decimal | None
    level_name: str
    level_code: str | None
    basis: str  # which figure the total is: "tự chấm", "thẩm định", "công nhận"
    recognised: str
    on_track: bool | None
    cycle: Cycle | None


def _level_index(cs: CriteriaSet | None, code: str | None) -> int | None:
    if cs is None or code is None:
        return None
    codes = [lv.code for lv in cs.levels]
    return codes.index(code) if code in codes else None


def path_across_years(unit: Unit, *, horizon: int = 5) -> list[PathRow]:
    """Year by year: the plan's target, what was registered, reached and recognised (or, for an open
    year, the current forecast from the consolidated values)."""
    today = timezone.localdate()
    cycles = {c.year: c for c in unit_cycles(unit)}
    first = min([*cycles.keys(), today.year])
    years = set(cycles)
    targets: dict[int, str | None] = {}
    for year in range(first, max([today.year, *cycles.keys()]) + horizon):
        targets[year] = plan_target_level(unit=unit, year=year)
        if targets[year] is not None or year <= today.year:
            years.add(year)
    latest_set = crit.parsed(cycles[max(cycles)].criteria_set) if cycles else None
    rows = []
    for year in sorted(years):
        cycle = cycles.get(year)
        cs = crit.parsed(cycle.criteria_set) if cycle is not None else latest_set
        target = targets.get(year) if year in targets else plan_target_level(unit=unit, year=year)
        target_name = (
            next((lv.name for lv in cs.levels if lv.code == target), f"Mức {target}") if cs and target else ""
        )
        registered = status = level_name = basis = recognised = ""
        total: Decimal | None = None
        level_code: str | None = None
        if cycle is not None:
            status = str(cycle.get_status_display())
            registration = registration_of(cycle)
            registered = registration.target_level_name if registration else ""
            recognition = recognition_of(cycle)
            if recognition is not None:
                recognised = recognition.level_name
            standing = current_standing(cycle)
            total, level_code = standing.total, standing.level_code
            level_name = standing.level_name or gettext("chưa đạt")
            basis = standing.stage_label
        on_track = None
        if target is not None and cycle is not None:
            reached = _level_index(cs, level_code)
            wanted = _level_index(cs, target)
            if wanted is not None:
                on_track = reached is not None and reached >= wanted
        rows.append(
            PathRow(
                year,
                target,
                target_name,
                registered,
                status,
                total,
                level_name,
                level_code,
                basis,
                recognised,
                on_track,
                cycle,
            )
        )
    return rows


# ---------------------------------------------------------------------------------------- city view


@dataclass
class CityRow:
    unit: Unit
    cycle: Cycle | None
    registration: Registration | None
    recognition: Recognition | None
    completeness: Completeness | None
    totals: dict[str, tuple[Decimal, str] | None]
    registration_late: bool
    submission_late: bool
    appraisal_late: bool


def summary_total(result: AssessmentResult) -> dict[str, Any]:
    """A column's total and level as :attr:`Cycle.summary` keeps them."""
    return {"total": str(result.total), "level": result.level.name if result.level else None}


def submission_summary(data: CycleData) -> dict[str, Any]:
    """:attr:`Cycle.summary` at submission: the unit's two columns and its completeness."""
    done = completeness(data)
    return {
        "self": summary_total(data.result("self")),
        "consolidated": summary_total(data.result("consolidated")),
        # leaf criteria only (:func:`completeness`); summaries kept before that carry "completeness", counted
        # with the conditions, and are not read (the cycle is scored again instead)
        "criteria_completeness": [done.scorable, done.scored, done.with_evidence],
    }


def _stored_total(total: Mapping[str, Any]) -> tuple[Decimal, str]:
    return Decimal(total["total"]), total["level"] or gettext("chưa đạt")


def _stored_row_figures(
    cycle: Cycle,
) -> tuple[Completeness, dict[str, tuple[Decimal, str] | None]] | None:
    """The completeness and totals of a locked cycle from what was kept when it was submitted and
    appraised; None when the cycle is open or was locked before the summary was kept."""
    summary = cycle.summary
    appraised = cycle.status in (Cycle.Status.APPRAISED, Cycle.Status.RECOGNISED)
    if (
        cycle.is_editable
        or not summary
        or "criteria_completeness" not in summary
        or (appraised and "appraised" not in summary)
    ):
        return None
    scorable, scored, with_evidence = summary["criteria_completeness"]
    totals: dict[str, tuple[Decimal, str] | None] = {
        "self": _stored_total(summary["self"]),
        "consolidated": _stored_total(summary["consolidated"]),
        "appraised": _stored_total(summary["appraised"]) if appraised else None,
    }
    return Completeness(scorable, scored, with_evidence), totals


def _live_row_figures(
    data: CycleData | ScoreValues,
) -> tuple[Completeness, dict[str, tuple[Decimal, str] | None]]:
    totals: dict[str, tuple[Decimal, str] | None] = {}
    for column in COLUMNS:
        if column == "appraised" and data.cycle.status not in (
            Cycle.Status.APPRAISED,
            Cycle.Status.RECOGNISED,
        ):
            totals[column] = None
            continue
        total, level = data.total(column)
        totals[column] = (total, level.name if level else gettext("chưa đạt"))
    return completeness(data), totals


def city_overview(city: Unit, year: int) -> list[CityRow]:
    """One row per unit of the city for the year. Locked cycles show what was stored at submission and
    appraisal; only open cycles (and old ones without a stored summary) are loaded and scored."""
    today = timezone.localdate()
    units = list(Unit.objects.filter(parent=city, is_active=True).order_by("name"))
    # The stored full results are not needed here (the summary is), and each unit's copy of the criteria
    # set would be decoded again: the sets are read once and shared.
    cycles = {
        c.unit_id: c
        for c in Cycle.objects.filter(unit__in=units, year=year)
        .select_related("unit")
        .defer("submitted_result", "final_result", "return_requests")
    }
    criteria_sets = CriteriaSetVersion.objects.in_bulk({c.criteria_set_id for c in cycles.values()})
    for opened in cycles.values():
        opened.criteria_set = criteria_sets[opened.criteria_set_id]
    registrations = {r.cycle_id: r for r in Registration.objects.filter(cycle__in=cycles.values())}
    recognitions = {r.cycle_id: r for r in Recognition.objects.filter(cycle__in=cycles.values())}
    stored = {c.pk: _stored_row_figures(c) for c in cycles.values()}
    scored = load_cycles_scores(c for c in cycles.values() if stored[c.pk] is None)
    rows = []
    for unit in units:
        cycle = cycles.get(unit.pk)
        if cycle is None:
            rows.append(CityRow(unit, None, None, None, None, dict.fromkeys(COLUMNS), False, False, False))
            continue
        registration = registrations.get(cycle.pk)
        done, totals = stored[cycle.pk] or _live_row_figures(scored[cycle.pk])
        registration_late = (registration is None and today > cycle.registration_deadline) or (
            registration is not None
            and timezone.localdate(registration.registered_at) > cycle.registration_deadline
        )
        submission_late = (cycle.submitted_at is None and today > cycle.submission_deadline) or (
            cycle.submitted_at is not None
            and timezone.localdate(cycle.submitted_at) > cycle.submission_deadline
        )
        appraisal_late = (cycle.appraised_at is None and today > cycle.appraisal_deadline) or (
            cycle.appraised_at is not None
            and timezone.localdate(cycle.appraised_at) > cycle.appraisal_deadline
        )
        rows.append(
            CityRow(
                unit,
                cycle,
                registration,
                recognitions.get(cycle.pk),
                done,
                totals,
                registration_late,
                submission_late,
                appraisal_late,
            )
        )
    return rows


def city_overview_table(rows: list[CityRow]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "Đơn vị",
        "Bộ tiêu chí",
        "Mức đăng ký",
        "Trạng thái đăng ký",
        "Hạn đăng ký",
        "Trạng thái hồ sơ",
        "Hạn nộp",
        "Ngày nộp",
        "Hạn thẩm định",
        "Tiêu chí đã chấm",
        "Tổng tiêu chí",
        "Có minh chứng",
        "Điểm tự chấm",
        "Mức tự chấm",
        "Điểm thống nhất",
        "Mức thống nhất",
        "Điểm thẩm định",
        "Mức thẩm định",
        "Mức công nhận",
        "Quyết định công nhận",
    ]
    out = []
    for row in rows:
        cycle, reg, rec, comp = row.cycle, row.registration, row.recognition, row.completeness

        def total(column: str, row: CityRow = row) -> list[Any]:
            value = row.totals.get(column)
            return [float(value[0]), value[1]] if value else ["", ""]

        out.append(
            [
                row.unit.full_name,
                cycle.criteria_set.official_title if cycle else "",
                reg.target_level_name if reg else "",
                str(reg.get_status_display()) if reg else ("Chưa đăng ký" if cycle else ""),
                cycle.registration_deadline if cycle else "",
                str(cycle.get_status_display()) if cycle else "Chưa mở kỳ đánh giá",
                cycle.submission_deadline if cycle else "",
                timezone.localdate(cycle.submitted_at) if cycle and cycle.submitted_at else "",
                cycle.appraisal_deadline if cycle else "",
                comp.scored if comp else "",
                comp.scorable if comp else "",
                comp.with_evidence if comp else "",
                *total("self"),
                *total("consolidated"),
                *total("appraised"),
                rec.level_name if rec else "",
                f"{rec.decision_number} ngày {rec.decision_date:%d/%m/%Y}" if rec else "",
            ]
        )
    return header, out


# ------------------------------------------------------------------------------------ library


def city_library(city: Unit) -> QuerySet[CriteriaSetVersion]:
    return (
        CriteriaSetVersion.objects.filter(unit=city)
        .select_related("imported_by")
        .order_by("code", "-version")
    )


def criteria_set_yaml_text(row: CriteriaSetVersion) -> str:
    return dump_criteria_set_yaml(crit.parsed(row))


def unit_evidence_choices(unit: Unit, *, limit: int = 200) -> list[Any]:
    """Evidence files already in the system for the unit (plans, other criteria…), newest first."""
    from friendlygov.evidence.models import EvidenceFile

    return list(
        EvidenceFile.objects.filter(unit=unit).select_related("body").order_by("-uploaded_at")[:limit]
    )


# --------------------------------------------------------------------------------- city figures


def city_figures(city: Unit, year: int | None = None) -> QuerySet[CityFigure]:
    figures = CityFigure.objects.filter(city=city).select_related("unit", "entered_by")
    return figures.filter(year=year) if year else figures


def unit_figures(unit: Unit) -> QuerySet[CityFigure]:
    return CityFigure.objects.filter(unit=unit).order_by("-year", "kind")


def _city_figure(kind: str, *, unit: Unit, year: int) -> MeasuredFigure | None:
    return _city_figures(kind, units=[unit], year=year)[unit.pk]


def _city_figures(kind: str, *, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    """The figure of each unit (the first in the model's order when several were entered)."""
    out: dict[int, MeasuredFigure | None] = {unit.pk: None for unit in units}
    what = (
        "Chỉ số cải cách hành chính (PAR INDEX)"
        if kind == CityFigure.Kind.PAR_INDEX
        else "Chỉ số hài lòng (SIPAS)"
    )
    for figure in CityFigure.objects.filter(unit__in=units, year=year, kind=kind):
        if out.get(figure.unit_id) is None:
            out[figure.unit_id] = MeasuredFigure(
                percent=Decimal(figure.value),
                label=f"{what} năm {year} do thành phố công bố ({figure.decision})",
                as_of=figure.published_on,
                reference=figure.decision,
            )
    return out


def city_par_index_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    """The PAR INDEX the city published for the unit and year (source ``city.par_index``)."""
    return _city_figure(CityFigure.Kind.PAR_INDEX, unit=unit, year=year)


def city_par_index_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    return _city_figures(CityFigure.Kind.PAR_INDEX, units=units, year=year)


def city_sipas_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    """The city-run SIPAS result for the unit and year (source ``city.sipas``)."""
    return _city_figure(CityFigure.Kind.SIPAS, unit=unit, year=year)


def city_sipas_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    return _city_figures(CityFigure.Kind.SIPAS, units=units, year=year)


# -------------------------------------------------------------------------------- public selectors


def recognised_levels(*, unit: Unit) -> list[tuple[int, str, str, str]]:
    """(year, level code, level name, decision) of every recognition of the unit, oldest first."""
    return [
        (r.cycle.year, r.level_code, r.level_name, f"{r.decision_number} ngày {r.decision_date:%d/%m/%Y}")
        for r in Recognition.objects.filter(unit=unit).select_related("cycle").order_by("cycle__year")
    ]


@dataclass(frozen=True)
class CycleSummary:
    year: int
    status: str
    status_label: str
    criteria_set: str  # "HP-5049-TAM v1"
    criteria_set_name: str
    registration_deadline: dt.date
    submission_deadline: dt.date
    appraisal_deadline: dt.date
    target_level: str | None
    target_level_name: str
    registration_status: str | None
    self_total: Decimal
    self_level: str | None
    self_level_name: str
    appraised_total: Decimal | None
    appraised_level: str | None
    appraised_level_name: str
    recognised_level: str | None
    recognised_level_name: str
    recognition_decision: str
    scored: int
    scorable: int
    with_evidence: int
    # the figure of the latest stage reached (:func:`current_standing`)
    current_total: Decimal = Decimal(0)
    current_level: str | None = None
    current_level_name: str = ""
    current_stage: str = "self"
    current_stage_label: str = "tự chấm"
    # the criteria counted in the column of that stage (:func:`criteria_counts`)
    counts: CriteriaCounts | None = None
    # the registered level against the current standing: its minimum total, and whether the level now
    # reached is the registered one or higher (None when nothing is registered)
    target_min_total: Decimal | None = None
    target_reached: bool | None = None


def cycle_summary(*, unit: Unit, year: int) -> CycleSummary | None:
    """A unit's year at a glance (None when the city has not opened that year's cycle)."""
    cycle = get_cycle(unit, year)
    if cycle is None:
        return None
    data = load_cycle_data(cycle)
    consolidated = data.result("consolidated")
    registration = registration_of(cycle)
    recognition = recognition_of(cycle)
    final = cycle.final_result or {}
    final_level = final.get("level") or {}
    comp = completeness(data)
    standing = current_standing(cycle, data)
    return CycleSummary(
        year=cycle.year,
        status=cycle.status,
        status_label=str(cycle.get_status_display()),
        criteria_set=f"{cycle.criteria_set.code} v{cycle.criteria_set.version}",
        criteria_set_name=cycle.criteria_set.name,
        registration_deadline=cycle.registration_deadline,
        submission_deadline=cycle.submission_deadline,
        appraisal_deadline=cycle.appraisal_deadline,
        target_level=registration.target_level if registration else None,
        target_level_name=registration.target_level_name if registration else "",
        registration_status=registration.status if registration else None,
        self_total=consolidated.total,
        self_level=consolidated.level.code if consolidated.level else None,
        self_level_name=consolidated.level.name if consolidated.level else "",
        appraised_total=Decimal(str(final["total"])) if final else None,
        appraised_level=final_level.get("code"),
        appraised_level_name=final_level.get("name", ""),
        recognised_level=recognition.level_code if recognition else None,
        recognised_level_name=recognition.level_name if recognition else "",
        recognition_decision=f"{recognition.decision_number} ngày {recognition.decision_date:%d/%m/%Y}"
        if recognition
        else "",
        scored=comp.scored,
        scorable=comp.scorable,
        with_evidence=comp.with_evidence,
        current_total=standing.total,
        current_level=standing.level_code,
        current_level_name=standing.level_name,
        current_stage=standing.stage,
        current_stage_label=standing.stage_label,
        counts=criteria_counts(data, standing.column),
        **_target_against(data, registration.target_level if registration else None, standing),
    )


def _target_against(data: CycleData, target: str | None, standing: Standing) -> dict[str, Any]:
    """Whether the level reached now (:func:`current_standing`) is the registered level or higher, by the
    set's level order (lowest first)."""
    order = [level.code for level in data.cs.levels]
    if not target or target not in order:
        return {"target_min_total": None, "target_reached": None}
    min_total = next(level.min_total for level in data.cs.levels if level.code == target)
    reached = standing.level_code in order and order.index(standing.level_code) >= order.index(target)
    return {"target_min_total": min_total, "target_reached": reached}


@dataclass(frozen=True)
class Standing:
    """Where a unit's year stands now: the figure of the latest stage reached."""

    total: Decimal
    level_code: str | None
    level_name: str  # "" when no level is reached
    stage: str  # "self" | "consolidated" | "appraised" | "recognised"
    stage_label: str  # "tự chấm", "thống nhất", "thẩm định", "công nhận"
    column: str  # the column of the cycle's table the figure comes from


STAGE_LABELS = {
    "self": gettext_lazy("tự chấm"),
    "consolidated": gettext_lazy("thống nhất"),
    "appraised": gettext_lazy("thẩm định"),
    "recognised": gettext_lazy("công nhận"),
}


def current_standing(cycle: Cycle, data: CycleData | None = None) -> Standing:
    """The one answer to "what does the unit reach now": the recognised level (with the appraised total)
    once recognised, else the city's appraisal once finished, else the consolidated column once anything
    was settled or the file was submitted, else the self-assessment. Every page stating the current total
    or level reads it here."""
    recognition = recognition_of(cycle)
    final = cycle.final_result or {}
    if final:
        total = Decimal(str(final.get("total")))
        level = final.get("level") or {}
        if recognition is not None:
            return Standing(
                total, recognition.level_code, recognition.level_name, "recognised", "công nhận", "appraised"
            )
        return Standing(
            total, level.get("code"), level.get("name", ""), "appraised", "thẩm định", "appraised"
        )
    data = data or load_cycle_data(cycle)
    settled = bool(data.consolidated) or not cycle.is_editable or cycle.was_returned
    stage = stage_column = "consolidated" if settled else "self"
    result = data.result(stage_column)
    level_code = result.level.code if result.level else None
    level_name = result.level.name if result.level else ""
    if recognition is not None:  # recognised without a kept appraisal (older rows): the decision's level
        level_code, level_name, stage = recognition.level_code, recognition.level_name, "recognised"
    return Standing(result.total, level_code, level_name, stage, str(STAGE_LABELS[stage]), stage_column)


@dataclass(frozen=True)
class LevelStanding:
    """The year's standing (:func:`current_standing`) against the registered level: the points still
    missing and the criteria that lost points in the column of that stage."""

    year: int
    standing: Standing
    registered_code: str | None
    registered_name: str
    registered_min: Decimal | None  # the registered level's minimum total
    points_needed: Decimal | None  # max(0, minimum − total); None without a registered level
    reached: bool | None  # the level reached now is the registered one or higher; None without one
    lost: list[CriterionResult]  # scored leaves below their maximum (bonus aside), most points lost first
    unscored: list[CriterionResult]  # leaves without a value

    @property
    def appraised(self) -> bool:
        return self.standing.stage in ("appraised", "recognised")


def level_standing(*, unit: Unit, year: int) -> LevelStanding | None:
    """Where the unit's year stands against the level it registered (None without a cycle)."""
    cycle = get_cycle(unit, year)
    if cycle is None:
        return None
    data = load_cycle_data(cycle)
    standing = current_standing(cycle, data)
    registration = registration_of(cycle)
    result = data.result(standing.column)
    leaves = [item for item in result.walk() if not item.children and not item.bonus]
    lost = sorted(
        (item for item in leaves if not item.missing and item.lost > 0), key=lambda item: -item.lost
    )
    unscored = [item for item in leaves if item.missing]
    code = registration.target_level if registration else None
    against = _target_against(data, code, standing)  # the same test as the cycle summary's
    minimum = against["target_min_total"]
    needed = max(Decimal(0), minimum - standing.total) if minimum is not None else None
    return LevelStanding(
        year=year,
        standing=standing,
        registered_code=code,
        registered_name=(registration.target_level_name if registration else "") or "",
        registered_min=minimum,
        points_needed=needed,
        reached=against["target_reached"],
        lost=lost,
        unscored=unscored,
    )


def next_deadline(cycle: Cycle) -> tuple[str, dt.date] | None:
    if cycle.status == Cycle.Status.REGISTRATION:
        return gettext("Hạn đăng ký mức"), cycle.registration_deadline
    if cycle.is_editable:
        return gettext("Hạn nộp tự đánh giá"), cycle.submission_deadline
    if cycle.status == Cycle.Status.SUBMITTED:
        return gettext("Hạn thẩm định"), cycle.appraisal_deadline
    return None


# --------------------------------------------------------------------------------------- panels


def unit_home_panel(request: HttpRequest, unit: Unit) -> Panel | None:
    year = timezone.localdate().year
    cycle = get_cycle(unit, year) or unit_cycles(unit).first()
    context: dict[str, Any] = {"unit": unit, "year": year, "cycle": cycle, "today": timezone.localdate()}
    if cycle is not None:
        context["summary"] = cycle_summary(unit=unit, year=cycle.year)
        context["deadline"] = next_deadline(cycle)
        context["can_register"] = can(request.user, Capability.LEAD, unit) and cycle.is_editable
    return Panel("assessments/panel_unit.html", context, order=20)


def city_home_panel(request: HttpRequest, city: Unit) -> Panel | None:
    year = timezone.localdate().year
    cycles = Cycle.objects.filter(unit__parent=city, year=year)
    counts = {status: 0 for status, _ in Cycle.Status.choices}
    for status in cycles.values_list("status", flat=True):
        counts[status] += 1
    pending_registrations = Registration.objects.filter(
        cycle__in=cycles, status=Registration.Status.PENDING
    ).count()
    context = {
        "city": city,
        "year": year,
        "total": sum(counts.values()),
        "units": Unit.objects.filter(parent=city, is_active=True).count(),
        "counts": [(label, counts[status]) for status, label in Cycle.Status.choices],
        "pending_registrations": pending_registrations,
        "submitted": counts[Cycle.Status.SUBMITTED],
    }
    return Panel("assessments/panel_city.html", context, order=20)
