"""Writes of the plans area. Each function checks access, validates, writes in one transaction and records
the audit. Reminders and the yearly extension of open-ended plans run without an actor (the daily job).

The package re-exports its public names, so callers keep importing from it."""

# callers name the events through the services (plan_services.EventKind.…)
from friendlygov.plans.models import EventKind

from .appendix import ImportResult, import_appendix, task_flags, update_task
from .cycle_events import (
    DOCUMENT_EVENTS,
    record_cycle_event,
    record_document_issued,
    set_task_binding,
    withdraw_cycle_event,
)
from .obstacles import answer_obstacle, close_obstacle, forward_obstacles, report_obstacle, reporting_bodies
from .occurrences import SyncResult, ensure_occurrences_through, regenerate_occurrences, worked_ids
from .plans import (
    MAX_SPAN,
    MAX_YEAR,
    MIN_YEAR,
    PLAN_FIELDS,
    create_plan,
    record_issued_number,
    revise_plan,
    update_plan,
)
from .progress import (
    add_contribution,
    add_occurrence_evidence,
    lead_people,
    return_occurrence,
    update_occurrence,
)
from .reminders import REMIND_DAYS, RemindResult, reminder_step, send_reminders

__all__ = [
    "EventKind",
    "DOCUMENT_EVENTS",
    "ImportResult",
    "MAX_SPAN",
    "MAX_YEAR",
    "MIN_YEAR",
    "PLAN_FIELDS",
    "REMIND_DAYS",
    "RemindResult",
    "SyncResult",
    "add_contribution",
    "add_occurrence_evidence",
    "answer_obstacle",
    "close_obstacle",
    "create_plan",
    "ensure_occurrences_through",
    "forward_obstacles",
    "import_appendix",
    "lead_people",
    "record_cycle_event",
    "record_document_issued",
    "record_issued_number",
    "regenerate_occurrences",
    "reminder_step",
    "report_obstacle",
    "reporting_bodies",
    "return_occurrence",
    "revise_plan",
    "send_reminders",
    "set_task_binding",
    "task_flags",
    "update_occurrence",
    "update_plan",
    "update_task",
    "withdraw_cycle_event",
    "worked_ids",
]
