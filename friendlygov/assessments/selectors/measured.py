"""Measured figures of a cycle (what the sources measured against what was entered), the quality checks
before submission and the completeness and counts of a cycle's criteria."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import (
    Cycle,
    Registration,
    ScoreEntry,
)
from friendlygov.assessments.sources import (
    NO_DATA,
    SourceReading,
    measured_value,
    read_source,
    source_label,
)
from friendlygov.rules.figures import MeasuredFigure
from friendlygov.rules.scoring import (
    Condition,
    Criterion,
)

from .cycles import registration_of
from .values import CycleData, ScoreValues, load_cycle_data


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
