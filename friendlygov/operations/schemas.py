"""The operations area's figures as the API answers them: the dicts of ``selectors.yearly_results``,
``communication_figures``, ``village_figures``, ``budget_figures``, ``shortfalls`` and ``review_data``
(amounts in VND as integers; percents as Decimal, text in JSON; dates ISO)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.utils.functional import Promise
from ninja import Schema
from pydantic import BeforeValidator

from friendlygov.feedback.schemas import FeedbackFiguresOut


def _text(value: Any) -> Any:
    """A translated label kept lazy by the selector reads as the text it renders."""
    return str(value) if isinstance(value, Promise) else value


Label = Annotated[str, BeforeValidator(_text)]


class UnitRefOut(Schema):
    slug: str
    name: str
    full_name: str


class AssessmentSummaryOut(Schema):
    status: str
    status_label: Label
    criteria_set: str
    criteria_set_name: str
    target_level: str | None
    target_level_name: str
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
    current_total: Decimal
    current_level: str | None
    current_level_name: str
    current_stage: str


class MeasuredFigureOut(Schema):
    percent: Decimal
    label: Label
    numerator: int | None
    denominator: int | None
    as_of: dt.date | None
    reference: str


class QuarterOut(Schema):
    quarter: int
    label: Label
    count: int
    reach: int
    cost: int


class KindOut(Schema):
    kind: str
    label: Label
    count: int
    reach: int
    cost: int
    places: list[str]


class CoverageActivityOut(Schema):
    id: int
    title: str
    held_on: dt.date
    kind_label: Label
    place: str
    files: int


class CoverageOut(Schema):
    code: str
    name: str
    evidence: str
    count: int
    reach: int
    activities: list[CoverageActivityOut]


class CommunicationOut(Schema):
    year: int
    count: int
    reach: int
    cost: int
    with_files: int
    by_quarter: list[QuarterOut]
    by_kind: list[KindOut]
    criteria: list[CoverageOut]


class VillageRowOut(Schema):
    village: str
    title_result: str
    title_label: Label
    met: int
    items: int
    all_met: bool
    households_total: int | None
    households_listed: int
    households_cultural: int


class HouseholdsOut(Schema):
    listed: int
    cultural: int
    percent: Decimal | None


class VillagesOut(Schema):
    year: int
    villages: int
    reviewed: int
    achieved: int
    not_achieved: int
    all_items_met: int
    items: list[str]
    rows: list[VillageRowOut]
    households: HouseholdsOut


class SourceOut(Schema):
    source: str
    label: Label
    estimated: int
    approved: int
    spent: int


class AmountsOut(Schema):
    estimated: int
    approved: int
    spent: int


class BudgetLineRowOut(Schema):
    id: int
    title: str
    kind_label: Label
    task: str
    source: str
    source_label: Label
    source_note: str
    estimated: int
    approved: int | None
    approval_ref: str
    spent: int
    remaining: int | None
    note: str


class BudgetOut(Schema):
    year: int
    estimated: int
    approved: int
    spent: int
    remaining: int
    unapproved: int
    used_percent: Decimal | None
    lines_count: int
    pending_approval: int
    by_source: list[SourceOut]
    communication: AmountsOut
    lines: list[BudgetLineRowOut]


class RewardDecisionOut(Schema):
    number: str
    signed_on: dt.date
    signer: str
    form: str
    form_label: Label
    count: int
    names: list[str]


class RewardsOut(Schema):
    year: int
    nominations: int
    individuals: int
    collectives: int
    passed: int
    not_passed: int
    awarded: int
    decisions: list[RewardDecisionOut]
    good_practices_published: int


class GoodPracticeRowOut(Schema):
    title: str
    summary: str
    body: str
    published: bool


class ShortfallCountsOut(Schema):
    total: int
    open: int


class ConferenceRowOut(Schema):
    title: str
    held_on: dt.date
    place: str
    status_label: Label
    has_minutes: bool


class YearlyResultsOut(Schema):
    unit: UnitRefOut
    year: int
    target_level: str | None
    assessment: AssessmentSummaryOut | None
    task_completion: MeasuredFigureOut | None
    sipas: MeasuredFigureOut | None
    feedback: FeedbackFiguresOut | None
    communication: CommunicationOut
    villages: VillagesOut
    budget: BudgetOut
    rewards: RewardsOut
    good_practices: list[GoodPracticeRowOut]
    shortfalls: ShortfallCountsOut
    conferences: list[ConferenceRowOut]
    signatures: dict[str, int]  # requests of the year by status
    missing: list[str]  # labels of the figures without data
    no_data: str


class ShortfallOut(Schema):
    name: str
    body_code: str
    reason: str
    noted_on: dt.date
    status: str
    status_label: Label
    resolution_note: str


class ReviewHeadOut(Schema):
    id: int
    kind: str
    kind_label: Label
    title: str
    year: int
    from_year: int
    status: str
    status_label: Label
    completed_at: dt.datetime | None


class ReviewTargetOut(Schema):
    year: int
    target_level: str | None
    recognised_level: str | None
    recognised_level_name: str


class CommunicationTotalsOut(Schema):
    count: int
    reach: int
    cost: int


class RewardTotalsOut(Schema):
    nominations: int
    awarded: int


class ReviewTotalsOut(Schema):
    communication: CommunicationTotalsOut
    budget: AmountsOut
    rewards: RewardTotalsOut


class ReviewSectionRowOut(Schema):
    key: str
    title: str
    text: str


class ReviewDataOut(Schema):
    review: ReviewHeadOut
    unit: UnitRefOut
    years: list[YearlyResultsOut]
    targets: list[ReviewTargetOut]
    totals: ReviewTotalsOut
    sections: list[ReviewSectionRowOut]
    conferences: list[ConferenceRowOut]
    snapshot: dict[str, Any]  # the figures frozen when the review was completed ({} while a draft)
