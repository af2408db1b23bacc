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
    BudgetLineFilter,
    LineRow,
    SpendingFilter,
    budget_figures,
    budget_lines,
    budget_rows,
    estimate_lines,
    spendings,
)
from .common import HUNDRED, QUARTER_LABELS, TWO_PLACES, matches, percent, task_choices
from .communication import (
    ActivityFilter,
    activities,
    communication_figures,
    communication_spendings,
    criteria_coverage,
    criteria_info,
)
from .conferences import conferences
from .overview import current_quarter, overview, today, unit_home_panel
from .reviews import (
    NO_DATA,
    ReviewFilter,
    figure_dict,
    review_data,
    review_list,
    unit_reviews,
    yearly_results,
)
from .rewards import (
    NominationFilter,
    VoteSheet,
    decisions,
    good_practices,
    meeting_sheets,
    nominations,
    published_good_practices,
    reward_figures,
    shortfall_list,
    shortfalls,
)
from .signing import signature_requests
from .villages import (
    HouseholdFilter,
    VillageFilter,
    VillageRow,
    households,
    review_items,
    village_bodies,
    village_figures,
    village_list,
    village_rows,
)

__all__ = [
    "ActivityFilter",
    "BudgetLineFilter",
    "HUNDRED",
    "HouseholdFilter",
    "LineRow",
    "NO_DATA",
    "NominationFilter",
    "QUARTER_LABELS",
    "ReviewFilter",
    "SpendingFilter",
    "TWO_PLACES",
    "VillageFilter",
    "VillageRow",
    "VoteSheet",
    "activities",
    "budget_figures",
    "budget_lines",
    "estimate_lines",
    "budget_rows",
    "communication_figures",
    "communication_spendings",
    "conferences",
    "criteria_coverage",
    "criteria_info",
    "current_quarter",
    "decisions",
    "figure_dict",
    "good_practices",
    "households",
    "matches",
    "meeting_sheets",
    "nominations",
    "overview",
    "percent",
    "published_good_practices",
    "review_data",
    "review_items",
    "review_list",
    "reward_figures",
    "shortfall_list",
    "shortfalls",
    "signature_requests",
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
