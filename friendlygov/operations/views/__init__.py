"""Pages of the operations area: thin — parse input, call one service, render.

The list, export and edit pages of the registers are the generic ones of ``views.registers`` bound to each
register's description (``operations.registers``); the pages that are a register's own (details, the
village review grid, the reward council, the review sections, the household import) are in the modules.
The package re-exports its public names, so callers keep importing from it."""

from friendlygov.operations import registers as r

from .communication import activity_criteria, activity_detail
from .overview import unit_overview, yearly_results
from .registers import edit_view, export_view, list_view
from .reviews import (
    review_complete,
    review_detail,
    review_export,
    review_open,
    review_reopen,
    section_add,
    section_edit,
)
from .rewards import decision_create, good_practice_publish, meeting_create, meeting_detail, nomination_detail
from .signing import signature_detail
from .villages import households_import, village_review, villages_export

activities = list_view(r.ACTIVITIES)
activities_export = export_view(r.ACTIVITIES)
activity_create = edit_view(r.ACTIVITIES)
activity_edit = edit_view(r.ACTIVITIES)

villages = list_view(r.VILLAGES)
review_item_edit = edit_view(r.VILLAGES)
households = list_view(r.HOUSEHOLDS)
households_export = export_view(r.HOUSEHOLDS)

budget = list_view(r.BUDGET_LINES)
budget_export = export_view(r.BUDGET_LINES)
budget_line_edit = edit_view(r.BUDGET_LINES)
spendings = list_view(r.SPENDINGS)
spendings_export = export_view(r.SPENDINGS)
spending_edit = edit_view(r.SPENDINGS)

rewards = list_view(r.NOMINATIONS)
rewards_export = export_view(r.NOMINATIONS)
nomination_edit = edit_view(r.NOMINATIONS)
good_practices = list_view(r.GOOD_PRACTICES)
good_practices_export = export_view(r.GOOD_PRACTICES)
good_practice_edit = edit_view(r.GOOD_PRACTICES)
shortfalls = list_view(r.SHORTFALLS)
shortfalls_export = export_view(r.SHORTFALLS)
shortfall_edit = edit_view(r.SHORTFALLS)

reviews = list_view(r.REVIEWS)
reviews_export = export_view(r.REVIEWS)

conferences = list_view(r.CONFERENCES)
conferences_export = export_view(r.CONFERENCES)
conference_edit = edit_view(r.CONFERENCES)
signatures = list_view(r.SIGNATURES)
signatures_export = export_view(r.SIGNATURES)
signature_edit = edit_view(r.SIGNATURES)

__all__ = [
    "activities",
    "activities_export",
    "activity_create",
    "activity_criteria",
    "activity_detail",
    "activity_edit",
    "budget",
    "budget_export",
    "budget_line_edit",
    "conference_edit",
    "conferences",
    "conferences_export",
    "decision_create",
    "good_practice_edit",
    "good_practice_publish",
    "good_practices",
    "good_practices_export",
    "households",
    "households_export",
    "households_import",
    "meeting_create",
    "meeting_detail",
    "nomination_detail",
    "nomination_edit",
    "review_detail",
    "review_export",
    "review_item_edit",
    "review_open",
    "review_complete",
    "review_reopen",
    "reviews",
    "reviews_export",
    "rewards",
    "rewards_export",
    "section_add",
    "section_edit",
    "shortfall_edit",
    "shortfalls",
    "shortfalls_export",
    "signature_detail",
    "signature_edit",
    "signatures",
    "signatures_export",
    "spending_edit",
    "spendings",
    "spendings_export",
    "unit_overview",
    "village_review",
    "villages",
    "villages_export",
    "yearly_results",
]
