"""Pages of the assessment area. Thin: find the unit (404 for people who may not read it), parse the
form, call one service, render. Every page works without JavaScript; HTMX only speeds up "what if".

The package re-exports its public names, so callers keep importing from it."""

from .city_figures import figures, figures_import, figures_save
from .cycles import (
    city_overview,
    cycle_detail,
    cycle_export,
    deadlines,
    gap,
    open_cycles,
    switch_criteria_set,
    unit_cycles,
)
from .joint_scoring import joint_sheet
from .library import criteria_set_detail, criteria_set_edit, criteria_set_xlsx, criteria_set_yaml, library
from .recognition import recognise, recognition_file
from .scoring import assignments, criterion_detail
from .submission import submit

__all__ = [
    "assignments",
    "city_overview",
    "criteria_set_detail",
    "criteria_set_edit",
    "criteria_set_xlsx",
    "criteria_set_yaml",
    "criterion_detail",
    "cycle_detail",
    "cycle_export",
    "deadlines",
    "figures",
    "figures_import",
    "figures_save",
    "gap",
    "joint_sheet",
    "library",
    "open_cycles",
    "recognise",
    "recognition_file",
    "submit",
    "switch_criteria_set",
    "unit_cycles",
]
