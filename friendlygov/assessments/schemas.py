"""The bodies the assessment API reads and answers (django-ninja schemas)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema

from friendlygov.kit.concurrency import ExpectedVersion


class CriteriaSetOut(Schema):
    id: int
    code: str
    version: int
    row_version: int  # the lock of an edit (``expected_version`` of PUT /criteria-sets/{id})
    name: str
    status_label: str
    source_label: str
    origin: str
    locked: bool
    data: dict[str, Any]


class CriteriaSetImport(Schema):
    yaml: str


class CriteriaSetEdit(Schema):
    data: dict[str, Any]
    expected_version: ExpectedVersion  # the set's ``row_version``


class RegistrationOut(Schema):
    target_level: str
    target_level_name: str
    note: str
    status: str
    status_label: str
    registered_at: dt.datetime
    decision_reason: str
    version: int


class CycleOut(Schema):
    unit: str
    year: int
    status: str
    status_label: str
    criteria_set: str
    criteria_set_id: int
    registration_deadline: dt.date
    submission_deadline: dt.date
    appraisal_deadline: dt.date
    locked: bool
    version: int
    registration: RegistrationOut | None
    results: dict[str, Any]
    recognition: dict[str, Any] | None


class NodeOut(Schema):
    code: str
    name: str
    depth: int
    parent: str | None
    kind: str
    is_leaf: bool
    max_points: float | None
    source: str | None
    provenance: str
    body: str | None
    assignment_version: int  # the criterion's own assignment (0: none); the lock of assigning it
    values: dict[str, str]
    points: dict[str, float | None]
    evidence_count: int
    proposal_count: int
    appraisal: str | None


class CriterionEvidenceOut(Schema):
    id: int
    evidence_id: int | None
    title: str
    effective_date: dt.date | None
    sha256: str
    note: str
    removed: bool


class ProposalOut(Schema):
    id: int
    body: str
    value: str
    reason: str
    proposed_at: dt.datetime
    status: str = "pending"  # pending | accepted | declined
    decision_reason: str = ""
    version: int = 1


class HistoryOut(Schema):
    at: dt.datetime
    actor: str
    what: str
    action: str
    changes: list[list[str]]
    note: str


class CriterionOut(Schema):
    node: NodeOut
    self_version: int  # the locks of the writes on the criterion (0: nothing saved yet)
    consolidated_version: int
    appraisal_version: int
    explanation: str
    evidence: list[CriterionEvidenceOut]
    proposals: list[ProposalOut]
    consolidated_reason: str
    appraisal_reason: str
    history: list[HistoryOut]


class RegistrationIn(Schema):
    target_level: str
    note: str = ""
    expected_version: ExpectedVersion  # the registration's version; 0 for the first registration


class RegistrationDecisionIn(Schema):
    accept: bool
    reason: str = ""
    expected_version: ExpectedVersion


class AssignmentIn(Schema):
    criterion_code: str
    body_code: str | None = None
    expected_version: ExpectedVersion


class ValueIn(Schema):
    criterion_code: str
    value: str = ""
    ticked: list[int] | None = None


class ScoreIn(ValueIn):
    explanation: str = ""
    expected_version: ExpectedVersion  # ``self_version`` of the criterion; 0 when it has no score yet


class ScoreOut(Schema):
    criterion_code: str
    value: str
    explanation: str
    version: int


class ProposalIn(ValueIn):
    reason: str
    body_code: str | None = None


class SettleIn(ValueIn):
    reason: str = ""
    expected_version: ExpectedVersion  # ``consolidated_version`` of the criterion; 0 when none yet


class CycleSubmitIn(Schema):
    acknowledge_issues: bool = False
    expected_version: ExpectedVersion  # the cycle's version


class AppraiseIn(ValueIn):
    accept: bool
    reason: str = ""
    expected_version: ExpectedVersion  # ``appraisal_version`` of the criterion; 0 when none yet


class CycleReturnIn(Schema):
    requests: str
    expected_version: ExpectedVersion  # the cycle's version


class FinishAppraisalIn(Schema):
    expected_version: ExpectedVersion  # the cycle's version


class RecognitionIn(Schema):
    decision_number: str
    decision_date: dt.date
    signer: str
    level_code: str


class IssueOut(Schema):
    code: str
    kind: str
    message: str


class WhatIfIn(Schema):
    values: dict[str, str]
    column: str = "consolidated"


class FigureIn(Schema):
    unit: str
    year: int
    kind: str
    value: str
    decision: str
    published_on: dt.date | None = None
    expected_version: ExpectedVersion  # the figure's version; 0 when the city has none for that year yet


class FigureOut(Schema):
    unit: str
    year: int
    kind: str
    value: float
    decision: str
    published_on: dt.date | None
    version: int


class OpenCyclesIn(Schema):
    year: int
    criteria_set_id: int
    units: list[str] | None = None
    registration_deadline: dt.date | None = None
    submission_deadline: dt.date | None = None
    appraisal_deadline: dt.date | None = None


class ProposalDecisionIn(Schema):
    accept: bool
    reason: str = ""
    expected_version: int


class MeasuredStateOut(Schema):
    criterion_code: str
    source: str
    source_label: str
    status: str  # pending | accepted | override | locked
    live_value: str | None  # the figure now, in the contract's syntax (None: not read or no data)
    live_label: str | None
    live_reference: str | None
    live_as_of: dt.date | None
    value: str  # the self-assessed value stored ("" while pending)
    measured_value: str  # the figure when it was accepted, overridden or locked
    measured_at: dt.datetime | None
    override_reason: str
    changed: bool  # open: the figure moved since it was accepted or overridden
    late: bool  # submitted: a figure published after submission differs from the locked one
    version: int  # the entry's version (0: none yet) — send it back as expected_version


class MeasuredAcceptIn(Schema):
    expected_version: int  # the entry's version the client saw; 0 when there was no score yet


class MeasuredOverrideIn(Schema):
    value: str = ""
    ticked: list[int] | None = None
    reason: str
    expected_version: int  # 0 when there was no score yet


class MeasuredAdoptIn(Schema):
    expected_version: int  # the appraisal item's version; 0 when the criterion was not appraised yet


class CityCycleRowOut(Schema):
    """One commune's row of the city overview (the columns of the overview spreadsheet). A cell with
    nothing to show is "" (no cycle, no registration, no figure yet); dates are ISO text."""

    unit: str
    criteria_set: str
    target_level: str
    registration_status: str
    registration_deadline: str
    status: str
    submission_deadline: str
    submitted_on: str
    appraisal_deadline: str
    scored: int | str
    scorable: int | str
    with_evidence: int | str
    self_total: float | str
    self_level: str
    consolidated_total: float | str
    consolidated_level: str
    appraised_total: float | str
    appraised_level: str
    recognised_level: str
    recognition_decision: str
    unit_code: str


class AssignmentOut(Schema):
    criterion_code: str
    body_code: str | None  # None: the criterion is no longer assigned
    version: int  # 0: no assignment left


class SettlementOut(Schema):
    criterion_code: str
    value: str
    reason: str
    version: int


class AppraisalOut(Schema):
    criterion_code: str
    decision: str
    value: str
    reason: str
    version: int


class LevelRefOut(Schema):
    code: str
    name: str


class GateOut(Schema):
    code: str
    reason: str


class ResultNodeOut(Schema):
    code: str
    points: float
    max_points: int | float | str  # an int when integral, else a float, else exact text
    children: list[ResultNodeOut]


class ResultOut(Schema):
    """The scoring result in the shape of ``friendlygov score --format json``."""

    criteria_set: str
    version: int
    total: float
    bonus: float
    achieved: bool
    level: LevelRefOut | None
    criteria: list[ResultNodeOut]
    failed_gates: list[GateOut]
    level_limits: list[GateOut]
    missing: list[str]


class ShareShortfallOut(Schema):
    code: str
    needed: float


class LevelGapOut(Schema):
    code: str
    name: str
    reached: bool
    achieved: bool
    points_needed: float
    share_shortfalls: list[ShareShortfallOut]
    gates: list[GateOut]


class CriterionGapOut(Schema):
    code: str
    name: str
    points: float
    max_points: float
    at_stake: float
    gain: float
    body: str | None


class GapOut(Schema):
    column: str
    result: ResultOut
    levels: list[LevelGapOut]
    criteria: list[CriterionGapOut]


class WhatIfOut(Schema):
    before: ResultOut
    after: ResultOut


class PathYearOut(Schema):
    year: int
    target_level: str | None
    registered: str
    status: str
    total: float | None
    level: str | None
    basis: str
    recognised: str
    on_track: bool | None
