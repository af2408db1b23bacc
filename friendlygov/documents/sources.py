"""What the documents read from the other areas, through those areas' selectors only.

The documents area stands above every other area and imports their selectors directly. A selector that
has no figure returns None (or an empty list) and the document says "chưa có số liệu" for that section;
a selector that fails raises, and the document is not written. Nothing here writes.

Queries that no selector offers are written below against the other areas' models, read-only, and say so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from friendlygov.assessments import selectors as assessments
from friendlygov.assessments.joint_record import JointScoring
from friendlygov.assessments.joint_record import joint_scoring as assessments_joint_scoring
from friendlygov.assessments.models import CityFigure, Cycle, Registration
from friendlygov.assessments.selectors import CriterionRow, CycleData, CycleSummary, LevelStanding
from friendlygov.core.figures import BatchFigureSelector, FigureSelector
from friendlygov.dossiers import selectors as dossiers
from friendlygov.feedback import selectors as feedback
from friendlygov.operations import selectors as operations
from friendlygov.operations.awards import YearAwards, commune_awards
from friendlygov.org.models import Body, Role, Unit
from friendlygov.plans import selectors as plans
from friendlygov.plans.models import Plan, Task
from friendlygov.plans.selectors import LeadProgress, OverdueDue, TaskProgress
from friendlygov.rules.figures import MeasuredFigure
from friendlygov.surveys import selectors as surveys
from friendlygov.surveys.selectors import SampleFigure
from friendlygov.surveys.services import link_is_open

NO_DATA = "chưa có số liệu"


def field(obj: Any, name: str, default: Any = None) -> Any:
    """A value of a dict or an object (the other areas return both)."""
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


# ------------------------------------------------------------------------------------------ org


def leader_of(unit: Unit) -> Any:
    """The unit's leader account (Chủ tịch / Phó Chủ tịch) that signs by default, or None."""
    from friendlygov.org.access import users_with_roles

    return users_with_roles(unit, [Role.UNIT_LEADER]).order_by("id").first()


def city_reviewers(city: Unit) -> list[Any]:
    """The city's reviewers (Sở Nội vụ accounts), oldest account first: their titles say who leads the Department."""
    from friendlygov.org.access import users_with_roles

    return list(users_with_roles(city, [Role.CITY_REVIEWER]).order_by("id"))


def home_affairs_body(city: Unit) -> Body | None:
    """The city's Department of Home Affairs as recorded in its organisation (code SNV, or named "Sở Nội vụ")."""
    from friendlygov.rules.text import normalize_vi

    bodies = list(Body.objects.filter(unit=city, is_active=True).order_by("position", "id"))
    for body in bodies:
        if body.code.upper() == "SNV" or normalize_vi(body.name).startswith("so noi vu"):
            return body
    return None


def coordinator_body(unit: Unit) -> Body | None:
    """The body that runs the programme (Phòng Văn hóa - Xã hội): the coordinator's body, else VHXH."""
    from friendlygov.org.models import RoleGrant

    grant = (
        RoleGrant.objects.filter(unit=unit, role=Role.COORDINATOR, is_active=True, body__isnull=False)
        .select_related("body")
        .order_by("id")
        .first()
    )
    if grant is not None and grant.body is not None:
        return grant.body
    return Body.objects.filter(unit=unit, code="VHXH").first()


def service_centre(unit: Unit) -> Body | None:
    """The public administration service centre (code PVHCC, else the first active centre)."""
    body = Body.objects.filter(unit=unit, code="PVHCC", is_active=True).first()
    if body is None:
        body = (
            Body.objects.filter(unit=unit, kind=Body.Kind.CENTRE, is_active=True).order_by("position").first()
        )
    return body


# ----------------------------------------------------------------------------------------- plans


def plan_for_year(unit: Unit, year: int) -> Plan | None:
    return plans.plan_for_year(unit, year)


def plan_tasks(plan: Plan) -> list[Task]:
    return plans.plan_tasks(plan)


def plan_targets(plan: Any) -> list[Any]:
    """The plan's yearly targets, oldest first (the plan's own relation, read-only)."""
    return sorted(plan.targets.all(), key=lambda t: t.year)


def plan_duties(plan: Any) -> list[Any]:
    """Section V duties in their order (the plan's own relation, read-only)."""
    return list(plan.duties.select_related("body").order_by("position", "id"))


def task_coordinators(task: Any) -> str:
    """The "Cơ quan phối hợp" cell as the appendix wrote it, each body once (see the plans selector)."""
    return "; ".join(plans.task_coordinator_names(task))


def task_progress(plan: Plan, year: int) -> list[TaskProgress]:
    return plans.task_progress(plan, year=year)


def task_completion(unit: Unit, year: int) -> MeasuredFigure | None:
    return plans.task_completion_figure(unit=unit, year=year)


def overdue_dues(unit: Unit, year: int) -> list[OverdueDue]:
    """The year's plan deadlines passed without the task done, oldest first."""
    return plans.overdue_dues(unit=unit, year=year)


def lead_body_progress(unit: Unit, years: list[int]) -> list[LeadProgress]:
    return plans.lead_body_progress(unit=unit, years=years)


def event_task_progress(unit: Unit, year: int, kind: str) -> list[TaskProgress]:
    """The year's progress of the plan tasks the cycle event ``kind`` completes."""
    return plans.event_task_progress(unit=unit, year=year, kind=kind)


def obstacles(unit: Unit, year: int) -> list[Any]:
    """Obstacles reported in the year (for "khó khăn, vướng mắc" and "đề xuất, kiến nghị")."""
    items = plans.obstacles_for_unit(unit)
    return [o for o in items if o.created_at is None or o.created_at.year == year]


# ----------------------------------------------------------------------------------- assessments


def cycle(unit: Unit, year: int) -> Cycle | None:
    return assessments.get_cycle(unit, year)


def registration(cycle_obj: Cycle | None) -> Registration | None:
    if cycle_obj is None:
        return None
    return assessments.registration_of(cycle_obj)


def cycle_data(cycle_obj: Cycle | None) -> CycleData | None:
    if cycle_obj is None:
        return None
    return assessments.load_cycle_data(cycle_obj)


def criterion_rows(data: CycleData | None) -> list[CriterionRow]:
    if data is None:
        return []
    return assessments.criterion_rows(data)


def joint_scoring(cycle_obj: Cycle | None) -> JointScoring | None:
    """The joint scorers' opinions and how their differing proposals were settled (None: none yet)."""
    if cycle_obj is None:
        return None
    return assessments_joint_scoring(cycle_obj)


def cycle_summary(unit: Unit, year: int) -> CycleSummary | None:
    return assessments.cycle_summary(unit=unit, year=year)


def level_standing(unit: Unit, year: int) -> LevelStanding | None:
    """The year's total against the registered level: points missing, criteria that lost points."""
    return assessments.level_standing(unit=unit, year=year)


def path_across_years(unit: Unit) -> list[Any] | None:
    return assessments.path_across_years(unit)


def unit_cycles(unit: Unit) -> list[Cycle]:
    """The unit's assessment cycles, newest first."""
    return list(assessments.unit_cycles(unit))


def unit_figures(unit: Unit) -> list[CityFigure]:
    """The figures the city published for the unit (PAR INDEX, SIPAS), newest first."""
    return list(assessments.unit_figures(unit))


def city_overview(city: Unit, year: int) -> list[Any] | None:
    return assessments.city_overview(city, year)


def recognition(cycle_obj: Cycle | None) -> Any:
    """The city's recognition decision recorded for the cycle, or None."""
    if cycle_obj is None:
        return None
    return assessments.recognition_of(cycle_obj)


def recognised_levels(unit: Unit) -> list[Any]:
    return assessments.recognised_levels(unit=unit)


CITY_FIGURES: dict[str, FigureSelector] = {
    "par_index": assessments.city_par_index_figure,
    "sipas": assessments.city_sipas_figure,
}


def city_figure(kind: str, unit: Unit, year: int) -> MeasuredFigure | None:
    """``kind``: "par_index" or "sipas" — the figures the city published for the unit."""
    return CITY_FIGURES[kind](unit=unit, year=year)


CITY_FIGURE_BATCHES: dict[str, BatchFigureSelector] = {
    "par_index": assessments.city_par_index_figures,
    "sipas": assessments.city_sipas_figures,
}


def city_figures_of(kind: str, units: list[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    """:func:`city_figure` of many units at once (the city's report)."""
    return dict(CITY_FIGURE_BATCHES[kind](units=units, year=year))


def target_level(unit: Unit, year: int) -> str | None:
    return plans.target_level_for(unit=unit, year=year)


# -------------------------------------------------------------------------- surveys, feedback, dossiers


def sipas_figure(unit: Unit, year: int) -> MeasuredFigure | None:
    return surveys.sipas_figure(unit=unit, year=year)


def sipas_figures(units: list[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    """:func:`sipas_figure` of many units at once (the city's report)."""
    return dict(surveys.sipas_figures(units=units, year=year))


def sipas_respondents(unit: Unit, year: int) -> int:
    """The accepted SIPAS forms of the year behind :func:`sipas_figure` (0 when there are none)."""
    return surveys.sipas_respondents(unit=unit, year=year)


def sipas_sample(unit: Unit, year: int) -> SampleFigure | None:
    """The year's SIPAS answers against the required sample size."""
    return surveys.sipas_sample(unit=unit, year=year)


def public_survey_figures(unit: Unit) -> list[Any]:
    return surveys.public_figures(unit=unit)


def public_survey_links(unit: Unit, today: dt.date | None = None) -> list[Any]:
    """The unit's open public survey entry points (token links), as the surveys area exposes them."""
    return [link for link in surveys.links_of(unit) if link.is_active and link_is_open(link, today)]


def feedback_figures(unit: Unit, year: int) -> dict[str, Any] | None:
    return feedback.feedback_figures(unit=unit, year=year)


def published_answers(unit: Unit, limit: int | None = None) -> list[Any]:
    return feedback.published_answers(unit=unit, limit=limit)


DOSSIER_FIGURES: dict[str, FigureSelector] = {
    "on_time": dossiers.on_time_figure,
    "online_share": dossiers.online_share_figure,
    "digitisation": dossiers.digitisation_figure,
}


DOSSIER_BATCHES: dict[str, BatchFigureSelector] = {
    "on_time": dossiers.on_time_figures,
    "online_share": dossiers.online_share_figures,
    "digitisation": dossiers.digitisation_figures,
}


def dossier_figures(name: str, units: list[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    """:func:`dossier_figure` of many units at once (the city's report)."""
    return dict(DOSSIER_BATCHES[name](units=units, year=year))


def dossier_figure(name: str, unit: Unit, year: int) -> MeasuredFigure | None:
    """``name``: on_time, online_share or digitisation (QĐ 766 figures from the dossier data)."""
    return DOSSIER_FIGURES[name](unit=unit, year=year)


# ------------------------------------------------------------------------------------ operations


def yearly_results(unit: Unit, year: int) -> dict[str, Any] | None:
    """Operations' yearly figures: communication, budget, rewards, good practices, shortfalls (counts)…"""
    return operations.yearly_results(unit=unit, year=year)


def shortfalls(unit: Unit, year: int) -> list[dict[str, Any]]:
    """INTERNAL (reports only, never a public page): who fell short in the year and why."""
    return operations.shortfalls(unit=unit, year=year)


def review_data(unit: Unit, year: int) -> dict[str, Any] | None:
    """The unit's sơ kết / tổng kết record of ``year`` in operations (its written sections), or None."""
    review = next((r for r in operations.unit_reviews(unit) if r.year == year), None)
    if review is None:
        return None
    return operations.review_data(review=review)


def good_practices(unit: Unit) -> list[dict[str, Any]]:
    """Published examples of good practice (public)."""
    return operations.published_good_practices(unit=unit)


def year_awards(unit: Unit, year: int) -> YearAwards | None:
    """The rewards the commune's chairman decided in the year, with their money (None: no decision yet)."""
    return commune_awards(unit=unit, year=year)
