"""A cycle's values in three columns (self-assessed, consolidated, appraised) and its results: the
plain score values and the cycle data every other read of the area starts from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.utils.translation import gettext_lazy

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import (
    AppraisalItem,
    Assignment,
    ConsolidatedScore,
    Cycle,
    JointProposal,
    ScoreEntry,
    ScoreEvidence,
)
from friendlygov.assessments.sources import (
    SourceReading,
    measured_value,
    read_sources,
    source_label,
)
from friendlygov.core import figures
from friendlygov.org.models import Body, Unit
from friendlygov.rules.scoring import (
    AssessmentResult,
    Condition,
    CriteriaSet,
    Criterion,
    Level,
    ScoreValue,
    assess,
    assess_total,
)

COLUMNS = ("self", "consolidated", "appraised")


COLUMN_LABELS = {
    "self": gettext_lazy("Tự chấm"),
    "consolidated": gettext_lazy("Thống nhất"),
    "appraised": gettext_lazy("Thẩm định"),
}


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
    # (code, text) → value: shared by the cycles of one criteria set read together (the values are
    # immutable and a city's cycles mostly hold the same texts), else the cycle's own
    _value_cache: dict[tuple[str, str], ScoreValue | None] = field(default_factory=dict)
    _values: dict[str, dict[str, ScoreValue | None]] = field(default_factory=dict)
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
        return text if self._value(leaf, text) is not None else ""

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
        """The column's values by code (read once per column, like its result; a copy each time)."""
        if column not in self._values:
            self._values[column] = self._read_values(column)
        return dict(self._values[column])

    def _value(self, node: Criterion | Condition, text: str) -> ScoreValue | None:
        key = (node.code, text)  # the columns mostly share their texts: each is read once
        if key not in self._value_cache:
            self._value_cache[key] = crit.safe_value(node, text)
        return self._value_cache[key]

    def _read_values(self, column: str) -> dict[str, ScoreValue | None]:
        """What :meth:`raw` gives for each scorable code, read as values; a later column is the one it
        falls back to with its own texts put over it (the city's adjustments, the settled values)."""
        if column in ("appraised", "consolidated"):
            out = self.values("consolidated" if column == "appraised" else "self")
            own = self.adjusted if column == "appraised" else self.settled
            for code, text in own.items():
                node = self.node(code)
                if code not in out or node is None:
                    continue  # not a scorable code: raw() is never asked for it
                if column == "consolidated" and isinstance(node, Criterion) and node.source:
                    continue  # a measured criterion keeps the unit's column (raw())
                out[code] = self._value(node, text)
            return out
        out = {}
        for code in crit.scorable_codes(self.cs):
            node = self.node(code)
            if node is not None:
                out[code] = self._value(node, self.raw(column, code))
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
        # a column taking nothing of its own holds the values of the one it falls back to (:meth:`raw`)
        if column == "appraised" and not self.adjusted:
            return self.total("consolidated")
        if column == "consolidated" and not self.settled:
            return self.total("self")
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
    read_texts: dict[int, dict[tuple[str, str], ScoreValue | None]] = {}  # per criteria set (by identity)
    out = {}
    for cycle in cycles:
        cs = crit.parsed(cycle.criteria_set)
        out[cycle.pk] = ScoreValues(
            cycle,
            cs,
            entered[cycle.pk],
            settled[cycle.pk],
            adjusted[cycle.pk],
            evidenced[cycle.pk],
            sources[cycle.pk],
            decided[cycle.pk],
            _value_cache=read_texts.setdefault(id(cs), {}),
        )
    return out


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
    with figures.one_reading():  # the sources computed alike (the 766 counts) are computed once
        return {
            (key, year): read_sources(key, units=list(units.values()), year=year)
            for (key, year), units in wanted.items()
        }
