"""Writes of the assessment area. Each function checks access, validates (Vietnamese messages naming
the field or criterion), writes in one transaction and records the audit (who, when, old → new).

The package re-exports its public names, so callers keep importing from it."""

from .appraisal import adopt_late_figure, appraise_criterion, finish_appraisal, return_cycle
from .city_figures import FIGURE_COLUMNS, KIND_WORDS, ImportResult, import_city_figures, save_city_figure
from .cycles import default_deadlines, open_cycle, open_cycles, switch_criteria_set, update_deadlines
from .joint_scoring import (
    SheetRow,
    agree_score,
    decide_proposal,
    joint_bodies,
    propose_score,
    save_joint_sheet,
    settle_score,
)
from .library import (
    add_criteria_set,
    edit_criteria_set,
    import_criteria_set,
    import_criteria_set_yaml,
    load_template,
    read_criteria_file,
)
from .recognition import recognise
from .registration import decide_registration, register_target
from .scoring import (
    MEASURED_FIELDS,
    accept_measured,
    assign_criterion,
    assign_many,
    attach_evidence,
    attach_scan,
    detach_evidence,
    override_measured,
    save_score,
)
from .submission import submit_cycle

__all__ = [
    "FIGURE_COLUMNS",
    "ImportResult",
    "KIND_WORDS",
    "MEASURED_FIELDS",
    "SheetRow",
    "accept_measured",
    "add_criteria_set",
    "adopt_late_figure",
    "agree_score",
    "appraise_criterion",
    "assign_criterion",
    "assign_many",
    "attach_evidence",
    "attach_scan",
    "decide_proposal",
    "decide_registration",
    "default_deadlines",
    "detach_evidence",
    "edit_criteria_set",
    "finish_appraisal",
    "import_city_figures",
    "import_criteria_set",
    "import_criteria_set_yaml",
    "joint_bodies",
    "load_template",
    "open_cycle",
    "open_cycles",
    "override_measured",
    "propose_score",
    "read_criteria_file",
    "recognise",
    "register_target",
    "return_cycle",
    "save_city_figure",
    "save_joint_sheet",
    "save_score",
    "settle_score",
    "submit_cycle",
    "switch_criteria_set",
    "update_deadlines",
]
