"""Writes for citizens' feedback. Public functions (submit, rate, reopen) take no actor and check the unit
and the item's state; staff functions check `org.access`, validate, write in one transaction and record
the audit — never with a copy of the citizen's contact details.

A package of modules named for what they hold; the public names are re-exported here, so callers import
``friendlygov.feedback.services`` as before."""

from friendlygov.feedback.permissions import approval_required
from friendlygov.feedback.services.approval import (
    approve_answer,
    return_answer,
    set_leader_approval,
    settings_version,
)
from friendlygov.feedback.services.common import (
    DEFAULT_STATES,
    TOPIC_LIMITS,
    AlreadyRecorded,
    authority,
    consent_text,
    may_handle,
    render_template,
)
from friendlygov.feedback.services.contacts import (
    ContactRequestResult,
    contact_matches,
    handle_contact_request,
    purge_expired_contacts,
    view_contact,
)
from friendlygov.feedback.services.handling import (
    KEEP,
    _Keep,
    answer_feedback,
    assign_feedback,
    awaiting_approval,
    conflict_message,
    publish_answer,
    transition_feedback,
)
from friendlygov.feedback.services.intake import (
    RECORD_MAX_AGE_DAYS,
    ContactInput,
    can_rate,
    can_reopen,
    feedback_input,
    public_unit,
    rate_feedback,
    record_feedback,
    reopen_feedback,
    submit_feedback,
)
from friendlygov.feedback.services.jobs import daily_job, send_deadline_reminders, visible_states
from friendlygov.feedback.services.states import (
    default_state,
    ensure_default_states,
    save_state,
    settings_for,
    update_settings,
)

__all__ = [
    "AlreadyRecorded",
    "ContactInput",
    "ContactRequestResult",
    "DEFAULT_STATES",
    "KEEP",
    "RECORD_MAX_AGE_DAYS",
    "TOPIC_LIMITS",
    "_Keep",
    "answer_feedback",
    "approval_required",
    "approve_answer",
    "assign_feedback",
    "authority",
    "awaiting_approval",
    "can_rate",
    "can_reopen",
    "conflict_message",
    "consent_text",
    "contact_matches",
    "daily_job",
    "default_state",
    "ensure_default_states",
    "feedback_input",
    "handle_contact_request",
    "may_handle",
    "public_unit",
    "publish_answer",
    "purge_expired_contacts",
    "rate_feedback",
    "record_feedback",
    "render_template",
    "reopen_feedback",
    "return_answer",
    "save_state",
    "send_deadline_reminders",
    "set_leader_approval",
    "settings_for",
    "settings_version",
    "submit_feedback",
    "transition_feedback",
    "update_settings",
    "view_contact",
    "visible_states",
]
