"""Gap analysis, what-if scoring and the path across years against the plan's target level."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import (
    Cycle,
)
from friendlygov.assessments.sources import (
    plan_target_level,
)
from friendlygov.org.models import Body, Unit
from friendlygov.rules.scoring import (
    AssessmentResult,
    CriteriaSet,
    Criterion,
    LevelGap,
    ScoreValue,
    ScoreValueError,
    assess,
    gap_to_levels,
)

from .criteria import _points
from .cycles import recognition_of, registration_of, unit_cycles
from .standing import current_standing
from .values import CycleData


@dataclass
class GapRow:
    code: str
    name: str
    points: Decimal
    max_points: Decimal
    at_stake: Decimal
    gain: Decimal
    bonus: bool
    body: Body | None


@dataclass
class GapView:
    column: str
    result: AssessmentResult
    levels: list[LevelGap]
    criteria: list[GapRow]
    target_code: str | None


def gap_view(
    data: CycleData, column: str = "consolidated", overrides: Mapping[str, ScoreValue | None] | None = None
) -> GapView:
    values = data.values(column)
    if overrides:
        values.update(overrides)
    levels = gap_to_levels(data.cs, values)
    result = assess(data.cs, values)
    rows = [
        GapRow(g.code, g.name, g.points, g.max_points, g.at_stake, g.gain, g.bonus, data.body_for(g.code))
        for g in (levels[0].criteria if levels else [])
    ]
    registration = registration_of(data.cycle)
    return GapView(column, result, levels, rows, registration.target_level if registration else None)


@dataclass
class WhatIf:
    before: AssessmentResult
    after: AssessmentResult | None
    problems: dict[str, str]
    changes: list[tuple[str, str, Decimal | None, Decimal | None]]  # code, name, points before, after


def what_if(data: CycleData, raw_values: Mapping[str, str], column: str = "consolidated") -> WhatIf:
    """The result with some values changed, without saving anything."""
    before = data.result(column)
    values = data.values(column)
    problems: dict[str, str] = {}
    changed_codes = []
    for code, raw in raw_values.items():
        node = data.node(code)
        if node is None or (isinstance(node, Criterion) and node.children):
            continue
        current = data.raw(column, code)
        if raw.strip() == current.strip():
            continue
        try:
            values[code] = crit.read_value(node, raw)
        except ScoreValueError as error:
            problems[code] = f"Tiêu chí {code}: {error.message}."
            continue
        changed_codes.append(code)
    if problems:
        return WhatIf(before, None, problems, [])
    after = assess(data.cs, values)
    changes = []
    for code in changed_codes:
        node = data.node(code)
        name = node.name if node is not None else code
        changes.append((code, name, _points(before, code), _points(after, code)))
    return WhatIf(before, after, problems, changes)


@dataclass
class PathRow:
    year: int
    target_code: str | None
    target_name: str
    registered: str
    status: str
    total: Decimal | None
    level_name: str
    level_code: str | None
    basis: str  # which figure the total is: "tự chấm", "thẩm định", "công nhận"
    recognised: str
    on_track: bool | None
    cycle: Cycle | None


def _level_index(cs: CriteriaSet | None, code: str | None) -> int | None:
    if cs is None or code is None:
        return None
    codes = [lv.code for lv in cs.levels]
    return codes.index(code) if code in codes else None


def path_across_years(unit: Unit, *, horizon: int = 5) -> list[PathRow]:
    """Year by year: the plan's target, what was registered, reached and recognised (or, for an open
    year, the current forecast from the consolidated values)."""
    today = timezone.localdate()
    cycles = {c.year: c for c in unit_cycles(unit)}
    first = min([*cycles.keys(), today.year])
    years = set(cycles)
    targets: dict[int, str | None] = {}
    for year in range(first, max([today.year, *cycles.keys()]) + horizon):
        targets[year] = plan_target_level(unit=unit, year=year)
        if targets[year] is not None or year <= today.year:
            years.add(year)
    latest_set = crit.parsed(cycles[max(cycles)].criteria_set) if cycles else None
    rows = []
    for year in sorted(years):
        cycle = cycles.get(year)
        cs = crit.parsed(cycle.criteria_set) if cycle is not None else latest_set
        target = targets.get(year) if year in targets else plan_target_level(unit=unit, year=year)
        target_name = (
            next((lv.name for lv in cs.levels if lv.code == target), f"Mức {target}") if cs and target else ""
        )
        registered = status = level_name = basis = recognised = ""
        total: Decimal | None = None
        level_code: str | None = None
        if cycle is not None:
            status = str(cycle.get_status_display())
            registration = registration_of(cycle)
            registered = registration.target_level_name if registration else ""
            recognition = recognition_of(cycle)
            if recognition is not None:
                recognised = recognition.level_name
            standing = current_standing(cycle)
            total, level_code = standing.total, standing.level_code
            level_name = standing.level_name or gettext("chưa đạt")
            basis = standing.stage_label
        on_track = None
        if target is not None and cycle is not None:
            reached = _level_index(cs, level_code)
            wanted = _level_index(cs, target)
            if wanted is not None:
                on_track = reached is not None and reached >= wanted
        rows.append(
            PathRow(
                year,
                target,
                target_name,
                registered,
                status,
                total,
                level_name,
                level_code,
                basis,
                recognised,
                on_track,
                cycle,
            )
        )
    return rows
