"""Criteria sets (format ``friendlygov.criteria/1``): reading, validating, scoring.

Pure Python: no Django, nothing else of ours. The contract is
``docs/spec/criteria-set-format.md``; every message a user sees is in Vietnamese and names the
criterion, condition or level at fault (and the YAML line or CSV row where known).

Arithmetic is exact decimal: inputs are read into :class:`~decimal.Decimal`, computed with a wide
context, and rounded half-up to two places only for the reported figures, which are also the figures
that thresholds compare (rule 4).

The package re-exports its public names, so callers keep importing from it."""

from .arithmetic import format_vi_number, round2
from .engine import AssessmentResult, CriterionResult, Gate, assess, assess_total, points_lost, result_to_json
from .gap import CriterionGap, LevelGap, ShareShortfall, gap_to_levels
from .model import FORMAT, Condition, CriteriaSet, Criterion, Level, Ratio, ScoresError, ScoreValue
from .reader import (
    INPUT_KINDS,
    CriteriaSetError,
    criteria_set_to_dict,
    dump_criteria_set_yaml,
    list_bundled_criteria_sets,
    load_bundled_criteria_set,
    load_criteria_set_yaml,
    parse_criteria_set,
)
from .values import ScoreValueError, max_value, parse_score_value, parse_scores_csv

__all__ = [
    "AssessmentResult",
    "Condition",
    "CriteriaSet",
    "CriteriaSetError",
    "Criterion",
    "CriterionGap",
    "CriterionResult",
    "FORMAT",
    "Gate",
    "INPUT_KINDS",
    "Level",
    "LevelGap",
    "Ratio",
    "ScoreValue",
    "ScoreValueError",
    "ScoresError",
    "ShareShortfall",
    "assess",
    "assess_total",
    "criteria_set_to_dict",
    "dump_criteria_set_yaml",
    "format_vi_number",
    "gap_to_levels",
    "list_bundled_criteria_sets",
    "load_bundled_criteria_set",
    "load_criteria_set_yaml",
    "max_value",
    "parse_criteria_set",
    "parse_score_value",
    "parse_scores_csv",
    "points_lost",
    "result_to_json",
    "round2",
]
