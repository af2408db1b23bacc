"""Reads of the operations area: lists with filters, the year's figures, the home panel, and the public
selectors other areas call (keep their names, signatures and dict keys):

- ``yearly_results(*, unit, year) -> dict`` — everything the yearly results report needs;
- ``review_data(*, review) -> dict`` — a 2027/2030 review: each year's results plus the written sections;
- ``communication_figures``, ``village_figures``, ``budget_figures``, ``reward_figures`` (``*, unit, year``);
- ``published_good_practices(*, unit) -> list[dict]`` — for the unit's public page;
- ``shortfalls(*, unit, year) -> list[dict]`` — INTERNAL, never for a public page.

Figures from other areas are read through their selectors, imported directly (operations stands above
plans, assessments, surveys and feedback). A selector with no figure returns ``None`` (shown as "chưa có số
liệu"); one that fails raises.

The package re-exports its public names, so callers keep importing from it."""

from .budget import (
    ESTIMATE_HEADER,
    SPENDING_HEADER,
    BudgetLineFilter,
    LineRow,
    SpendingFilter,
    budget_figures,
    budget_lines,
    budget_rows,
    estimate_rows,
    spending_rows,
    spendings,
)
from .common import HUNDRED, QUARTER_LABELS, TWO_PLACES, matches, percent, task_choices
from .communication import (
    ACTIVITY_HEADER,
    ActivityFilter,
    activities,
    activity_rows,
    communication_figures,
    communication_spendings,
    criteria_coverage,
    criteria_info,
)
from .conferences import CONFERENCE_HEADER, conference_rows, conferences
from .overview import current_quarter, overview, today, unit_home_panel
from .reviews import (
    NO_DATA,
    REVIEW_HEADER,
    ReviewFilter,
    figure_dict,
    review_data,
    review_list,
    review_rows,
    unit_reviews,
    yearly_results,
)
from .rewards import (
    GOOD_PRACTICE_HEADER,
    NOMINATION_HEADER,
    SHORTFALL_HEADER,
    NominationFilter,
    VoteSheet,
    decisions,
    good_practice_rows,
    good_practices,
    meeting_sheets,
    nomination_rows,
    nominations,
    published_good_practices,
    reward_figures,
    shortfall_list,
    shortfall_rows,
    shortfalls,
)
from .signing import SIGNATURE_HEADER, signature_requests, signature_rows
from .villages import (
    HOUSEHOLD_HEADER,
    HouseholdFilter,
    VillageFilter,
    VillageRow,
    household_rows,
    households,
    review_items,
    village_bodies,
    village_figures,
    village_list,
    village_rows,
)

__all__ = [
    "ACTIVITY_HEADER",
    "ActivityFilter",
    "BudgetLineFilter",
    "CONFERENCE_HEADER",
    "ESTIMATE_HEADER",
    "GOOD_PRACTICE_HEADER",
    "HOUSEHOLD_HEADER",
    "HUNDRED",
    "HouseholdFilter",
    "LineRow",
    "NOMINATION_HEADER",
    "NO_DATA",
    "NominationFilter",
    "QUARTER_LABELS",
    "REVIEW_HEADER",
    "ReviewFilter",
    "SHORTFALL_HEADER",
    "SIGNATURE_HEADER",
    "SPENDING_HEADER",
    "SpendingFilter",
    "TWO_PLACES",
    "VillageFilter",
    "VillageRow",
    "VoteSheet",
    "activities",
    "activity_rows",
    "budget_figures",
    "budget_lines",
    "budget_rows",
    "communication_figures",
    "communication_spendings",
    "conference_rows",
    "conferences",
    "criteria_coverage",
    "criteria_info",
    "current_quarter",
    "decisions",
    "estimate_rows",
    "figure_dict",
    "good_practice_rows",
    "good_practices",
    "household_rows",
    "households",
    "matches",
    "meeting_sheets",
    "nomination_rows",
    "nominations",
    "overview",
    "percent",
    "published_good_practices",
    "review_data",
    "review_items",
    "review_list",
    "review_rows",
    "reward_figures",
    "shortfall_list",
    "shortfall_rows",
    "shortfalls",
    "signature_requests",
    "signature_rows",
    "spending_rows",
    "spendings",
    "task_choices",
    "today",
    "unit_home_panel",
    "unit_reviews",
    "village_bodies",
    "village_figures",
    "village_list",
    "village_rows",
    "yearly_results",
]
