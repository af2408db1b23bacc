"""Writes of the operations area. Each function checks access, validates (Vietnamese messages naming the
field), writes in one transaction, records the audit, and — for editable rows — compares and increments
``version``.

The package re-exports its public names, so callers keep importing from it."""

from .budget import add_budget_line, record_spending, update_budget_line, update_spending
from .common import CRITERION_RE, MAX_AMOUNT, MAX_YEAR, MIN_YEAR, criterion_code
from .communication import IMAGE_OR_PDF, record_activity, remove_activity_file, update_activity
from .conferences import schedule_conference, update_conference
from .reviews import (
    DEFAULT_REVIEW_YEAR,
    STANDARD_SECTIONS,
    add_review_section,
    complete_review,
    json_safe,
    open_review,
    reopen_review,
    update_review_section,
)
from .rewards import (
    add_good_practice,
    hold_council_meeting,
    may_edit_nomination,
    nominate,
    parse_members,
    record_reward_decision,
    record_shortfall,
    record_votes,
    set_good_practice_published,
    update_good_practice,
    update_nomination,
    update_shortfall,
)
from .signing import decide_signature, request_signature, update_signature_request
from .villages import (
    HOUSEHOLD_COLUMNS,
    NO,
    YES,
    ImportResult,
    add_review_item,
    household_key,
    import_household_titles,
    record_village_review,
    update_review_item,
)

__all__ = [
    "CRITERION_RE",
    "DEFAULT_REVIEW_YEAR",
    "HOUSEHOLD_COLUMNS",
    "IMAGE_OR_PDF",
    "ImportResult",
    "MAX_AMOUNT",
    "MAX_YEAR",
    "MIN_YEAR",
    "NO",
    "STANDARD_SECTIONS",
    "YES",
    "add_budget_line",
    "add_good_practice",
    "add_review_item",
    "add_review_section",
    "complete_review",
    "criterion_code",
    "decide_signature",
    "hold_council_meeting",
    "household_key",
    "import_household_titles",
    "json_safe",
    "may_edit_nomination",
    "nominate",
    "open_review",
    "parse_members",
    "record_activity",
    "record_reward_decision",
    "record_shortfall",
    "record_spending",
    "record_village_review",
    "record_votes",
    "remove_activity_file",
    "reopen_review",
    "request_signature",
    "schedule_conference",
    "set_good_practice_published",
    "update_activity",
    "update_budget_line",
    "update_conference",
    "update_good_practice",
    "update_nomination",
    "update_review_item",
    "update_review_section",
    "update_shortfall",
    "update_signature_request",
    "update_spending",
]
