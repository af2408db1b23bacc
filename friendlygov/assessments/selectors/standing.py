"""Where a unit stands: recognised levels, a cycle's summary for other areas, the current stage and level,
the next deadline and the home panels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from friendlygov.assessments.models import (
    Cycle,
    Recognition,
    Registration,
)
from friendlygov.kit.panels import Panel
from friendlygov.org.access import Capability, can
from friendlygov.org.models import Unit
from friendlygov.rules.scoring import (
    CriterionResult,
)

from .cycles import get_cycle, recognition_of, registration_of, unit_cycles
from .measured import CriteriaCounts, completeness, criteria_counts
from .values import CycleData, load_cycle_data


def recognised_levels(*, unit: Unit) -> list[tuple[int, str, str, str]]:
    """(year, level code, level name, decision) of every recognition of the unit, oldest first."""
    return [
        (r.cycle.year, r.level_code, r.level_name, f"{r.decision_number} ngày {r.decision_date:%d/%m/%Y}")
        for r in Recognition.objects.filter(unit=unit).select_related("cycle").order_by("cycle__year")
    ]


@dataclass(frozen=True)
class CycleSummary:
    year: int
    status: str
    status_label: str
    criteria_set: str  # "HP-5049-TAM v1"
    criteria_set_name: str
    registration_deadline: dt.date
    submission_deadline: dt.date
    appraisal_deadline: dt.date
    target_level: str | None
    target_level_name: str
    registration_status: str | None
    self_total: Decimal
    self_level: str | None
    self_level_name: str
    appraised_total: Decimal | None
    appraised_level: str | None
    appraised_level_name: str
    recognised_level: str | None
    recognised_level_name: str
    recognition_decision: str
    scored: int
    scorable: int
    with_evidence: int
    # the figure of the latest stage reached (:func:`current_standing`)
    current_total: Decimal = Decimal(0)
    current_level: str | None = None
    current_level_name: str = ""
    current_stage: str = "self"
    current_stage_label: str = "tự chấm"
    # the criteria counted in the column of that stage (:func:`criteria_counts`)
    counts: CriteriaCounts | None = None
    # the registered level against the current standing: its minimum total, and whether the level now
    # reached is the registered one or higher (None when nothing is registered)
    target_min_total: Decimal | None = None
    target_reached: bool | None = None


def cycle_summary(*, unit: Unit, year: int, cycle: Cycle | None = None) -> CycleSummary | None:
    """A unit's year at a glance (None when the city has not opened that year's cycle). ``cycle``: that
    cycle when the caller holds it already (with its criteria set), so it is not read again."""
    if cycle is None:
        cycle = get_cycle(unit, year)
    elif cycle.unit_id != unit.pk or cycle.year != year:
        raise ValueError(f"cycle_summary: cycle {cycle.pk} is not {unit.slug}'s of {year}")
    if cycle is None:
        return None
    data = load_cycle_data(cycle)
    consolidated = data.result("consolidated")
    registration = registration_of(cycle)
    recognition = recognition_of(cycle)
    final = cycle.final_result or {}
    final_level = final.get("level") or {}
    comp = completeness(data)
    standing = _standing(cycle, data, recognition)
    return CycleSummary(
        year=cycle.year,
        status=cycle.status,
        status_label=str(cycle.get_status_display()),
        criteria_set=f"{cycle.criteria_set.code} v{cycle.criteria_set.version}",
        criteria_set_name=cycle.criteria_set.name,
        registration_deadline=cycle.registration_deadline,
        submission_deadline=cycle.submission_deadline,
        appraisal_deadline=cycle.appraisal_deadline,
        target_level=registration.target_level if registration else None,
        target_level_name=registration.target_level_name if registration else "",
        registration_status=registration.status if registration else None,
        self_total=consolidated.total,
        self_level=consolidated.level.code if consolidated.level else None,
        self_level_name=consolidated.level.name if consolidated.level else "",
        appraised_total=Decimal(str(final["total"])) if final else None,
        appraised_level=final_level.get("code"),
        appraised_level_name=final_level.get("name", ""),
        recognised_level=recognition.level_code if recognition else None,
        recognised_level_name=recognition.level_name if recognition else "",
        recognition_decision=f"{recognition.decision_number} ngày {recognition.decision_date:%d/%m/%Y}"
        if recognition
        else "",
        scored=comp.scored,
        scorable=comp.scorable,
        with_evidence=comp.with_evidence,
        current_total=standing.total,
        current_level=standing.level_code,
        current_level_name=standing.level_name,
        current_stage=standing.stage,
        current_stage_label=standing.stage_label,
        counts=criteria_counts(data, standing.column),
        **_target_against(data, registration.target_level if registration else None, standing),
    )


def _target_against(data: CycleData, target: str | None, standing: Standing) -> dict[str, Any]:
    """Whether the level reached now (:func:`current_standing`) is the registered level or higher, by the
    set's level order (lowest first)."""
    order = [level.code for level in data.cs.levels]
    if not target or target not in order:
        return {"target_min_total": None, "target_reached": None}
    min_total = next(level.min_total for level in data.cs.levels if level.code == target)
    reached = standing.level_code in order and order.index(standing.level_code) >= order.index(target)
    return {"target_min_total": min_total, "target_reached": reached}


@dataclass(frozen=True)
class Standing:
    """Where a unit's year stands now: the figure of the latest stage reached."""

    total: Decimal
    level_code: str | None
    level_name: str  # "" when no level is reached
    stage: str  # "self" | "consolidated" | "appraised" | "recognised"
    stage_label: str  # "tự chấm", "thống nhất", "thẩm định", "công nhận"
    column: str  # the column of the cycle's table the figure comes from


STAGE_LABELS = {
    "self": gettext_lazy("tự chấm"),
    "consolidated": gettext_lazy("thống nhất"),
    "appraised": gettext_lazy("thẩm định"),
    "recognised": gettext_lazy("công nhận"),
}


def current_standing(cycle: Cycle, data: CycleData | None = None) -> Standing:
    """The one answer to "what does the unit reach now": the recognised level (with the appraised total)
    once recognised, else the city's appraisal once finished, else the consolidated column once anything
    was settled or the file was submitted, else the self-assessment. Every page stating the current total
    or level reads it here."""
    return _standing(cycle, data, recognition_of(cycle))


def _standing(cycle: Cycle, data: CycleData | None, recognition: Recognition | None) -> Standing:
    """:func:`current_standing` with the cycle's recognition already read (None: it has none)."""
    final = cycle.final_result or {}
    if final:
        total = Decimal(str(final.get("total")))
        level = final.get("level") or {}
        if recognition is not None:
            return Standing(
                total, recognition.level_code, recognition.level_name, "recognised", "công nhận", "appraised"
            )
        return Standing(
            total, level.get("code"), level.get("name", ""), "appraised", "thẩm định", "appraised"
        )
    data = data or load_cycle_data(cycle)
    settled = bool(data.consolidated) or not cycle.is_editable or cycle.was_returned
    stage = stage_column = "consolidated" if settled else "self"
    result = data.result(stage_column)
    level_code = result.level.code if result.level else None
    level_name = result.level.name if result.level else ""
    if recognition is not None:  # recognised without a kept appraisal (older rows): the decision's level
        level_code, level_name, stage = recognition.level_code, recognition.level_name, "recognised"
    return Standing(result.total, level_code, level_name, stage, str(STAGE_LABELS[stage]), stage_column)


@dataclass(frozen=True)
class LevelStanding:
    """The year's standing (:func:`current_standing`) against the registered level: the points still
    missing and the criteria that lost points in the column of that stage."""

    year: int
    standing: Standing
    registered_code: str | None
    registered_name: str
    registered_min: Decimal | None  # the registered level's minimum total
    points_needed: Decimal | None  # max(0, minimum − total); None without a registered level
    reached: bool | None  # the level reached now is the registered one or higher; None without one
    lost: list[CriterionResult]  # scored leaves below their maximum (bonus aside), most points lost first
    unscored: list[CriterionResult]  # leaves without a value

    @property
    def appraised(self) -> bool:
        return self.standing.stage in ("appraised", "recognised")


def level_standing(*, unit: Unit, year: int) -> LevelStanding | None:
    """Where the unit's year stands against the level it registered (None without a cycle)."""
    cycle = get_cycle(unit, year)
    if cycle is None:
        return None
    data = load_cycle_data(cycle)
    standing = current_standing(cycle, data)
    registration = registration_of(cycle)
    result = data.result(standing.column)
    leaves = [item for item in result.walk() if not item.children and not item.bonus]
    lost = sorted(
        (item for item in leaves if not item.missing and item.lost > 0), key=lambda item: -item.lost
    )
    unscored = [item for item in leaves if item.missing]
    code = registration.target_level if registration else None
    against = _target_against(data, code, standing)  # the same test as the cycle summary's
    minimum = against["target_min_total"]
    needed = max(Decimal(0), minimum - standing.total) if minimum is not None else None
    return LevelStanding(
        year=year,
        standing=standing,
        registered_code=code,
        registered_name=(registration.target_level_name if registration else "") or "",
        registered_min=minimum,
        points_needed=needed,
        reached=against["target_reached"],
        lost=lost,
        unscored=unscored,
    )


def next_deadline(cycle: Cycle) -> tuple[str, dt.date] | None:
    if cycle.status == Cycle.Status.REGISTRATION:
        return gettext("Hạn đăng ký mức"), cycle.registration_deadline
    if cycle.is_editable:
        return gettext("Hạn nộp tự đánh giá"), cycle.submission_deadline
    if cycle.status == Cycle.Status.SUBMITTED:
        return gettext("Hạn thẩm định"), cycle.appraisal_deadline
    return None


def unit_home_panel(request: HttpRequest, unit: Unit) -> Panel | None:
    year = timezone.localdate().year
    cycle = get_cycle(unit, year) or unit_cycles(unit).first()
    context: dict[str, Any] = {"unit": unit, "year": year, "cycle": cycle, "today": timezone.localdate()}
    if cycle is not None:
        context["summary"] = cycle_summary(unit=unit, year=cycle.year, cycle=cycle)
        context["deadline"] = next_deadline(cycle)
        context["can_register"] = can(request.user, Capability.LEAD, unit) and cycle.is_editable
    return Panel("assessments/panel_unit.html", context, order=20)


def city_home_panel(request: HttpRequest, city: Unit) -> Panel | None:
    year = timezone.localdate().year
    cycles = Cycle.objects.filter(unit__parent=city, year=year)
    counts = {status: 0 for status, _ in Cycle.Status.choices}
    for status in cycles.values_list("status", flat=True):
        counts[status] += 1
    pending_registrations = Registration.objects.filter(
        cycle__in=cycles, status=Registration.Status.PENDING
    ).count()
    context = {
        "city": city,
        "year": year,
        "total": sum(counts.values()),
        "units": Unit.objects.filter(parent=city, is_active=True).count(),
        "counts": [(label, counts[status]) for status, label in Cycle.Status.choices],
        "pending_registrations": pending_registrations,
        "submitted": counts[Cycle.Status.SUBMITTED],
    }
    return Panel("assessments/panel_city.html", context, order=20)
