"""What the documents read from the other areas, through those areas' selectors only.

Each area is optional here: when an area (or one of its selectors) is not installed, the function returns
None and the document says "chưa có số liệu" for that section instead of failing. Nothing here writes.

Queries that no selector offers are written below against the other areas' models, read-only, and say so.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from friendlygov.org.models import Body, Role, Unit

NO_DATA = "chưa có số liệu"
logger = logging.getLogger(__name__)


def optional(path: str) -> Callable[..., Any] | None:
    """The function at a dotted path, or None when its area (or the function) is not there yet."""
    try:
        return import_string(path)
    except ImportError:
        return None


def call(path: str, *args: Any, **kwargs: Any) -> Any:
    """Call an optional selector; None when it does not exist, or when its tables are not there yet (an
    area installed before its migrations ran) — logged, and inside a savepoint so that the caller's
    transaction stays usable."""
    function = optional(path)
    if function is None:
        return None
    try:
        with transaction.atomic():
            result = function(*args, **kwargs)
            return list(result) if isinstance(result, QuerySet) else result
    except DatabaseError:
        logger.warning("documents: %s could not read its data", path, exc_info=True)
        return None


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


def plan_for_year(unit: Unit, year: int) -> Any:
    return call("friendlygov.plans.selectors.plan_for_year", unit, year)


def plan_tasks(plan: Any) -> list[Any]:
    return call("friendlygov.plans.selectors.plan_tasks", plan) or []


def plan_targets(plan: Any) -> list[Any]:
    """The plan's yearly targets, oldest first (the plan's own relation, read-only)."""
    return sorted(plan.targets.all(), key=lambda t: t.year)


def plan_duties(plan: Any) -> list[Any]:
    """Section V duties in their order (the plan's own relation, read-only)."""
    return list(plan.duties.select_related("body").order_by("position", "id"))


def task_coordinators(task: Any) -> str:
    """The "Cơ quan phối hợp" cell as the appendix wrote it: the phrases not recognised as one body are
    kept whole; a linked body is named only when no such phrase already names it."""
    bodies = list(task.coordinators.all())
    texts = [t for t in (task.coordinator_texts or []) if t.strip()]
    named_in = optional("friendlygov.plans.appendix.bodies_named_in")
    matcher = optional("friendlygov.plans.appendix.body_matcher")
    covered: set[int] = set()
    if named_in is not None and matcher is not None and texts:
        match = matcher(task.plan.unit)
        for text in texts:
            covered.update(b.pk for b in named_in(text, match))
    parts = [b.name for b in bodies if b.pk not in covered] + texts
    return "; ".join(parts)


def task_progress(plan: Any, year: int) -> list[Any]:
    return call("friendlygov.plans.selectors.task_progress", plan, year=year) or []


def task_completion(unit: Unit, year: int) -> Any:
    return call("friendlygov.plans.selectors.task_completion_figure", unit=unit, year=year)


def obstacles(unit: Unit, year: int) -> list[Any]:
    """Obstacles reported in the year (for "khó khăn, vướng mắc" and "đề xuất, kiến nghị")."""
    items = call("friendlygov.plans.selectors.obstacles_for_unit", unit) or []
    return [o for o in items if o.created_at is None or o.created_at.year == year]


# ----------------------------------------------------------------------------------- assessments


def cycle(unit: Unit, year: int) -> Any:
    return call("friendlygov.assessments.selectors.get_cycle", unit, year)


def registration(cycle_obj: Any) -> Any:
    if cycle_obj is None:
        return None
    return call("friendlygov.assessments.selectors.registration_of", cycle_obj)


def cycle_data(cycle_obj: Any) -> Any:
    if cycle_obj is None:
        return None
    return call("friendlygov.assessments.selectors.load_cycle_data", cycle_obj)


def criterion_rows(data: Any) -> list[Any]:
    if data is None:
        return []
    return call("friendlygov.assessments.selectors.criterion_rows", data) or []


def cycle_summary(unit: Unit, year: int) -> Any:
    return call("friendlygov.assessments.selectors.cycle_summary", unit=unit, year=year)


def path_across_years(unit: Unit) -> list[Any] | None:
    return call("friendlygov.assessments.selectors.path_across_years", unit)


def city_overview(city: Unit, year: int) -> list[Any] | None:
    return call("friendlygov.assessments.selectors.city_overview", city, year)


def recognised_levels(unit: Unit) -> list[Any]:
    return call("friendlygov.assessments.selectors.recognised_levels", unit=unit) or []


def city_figure(kind: str, unit: Unit, year: int) -> Any:
    """``kind``: "par_index" or "sipas" — the figures the city published for the unit."""
    return call(f"friendlygov.assessments.selectors.city_{kind}_figure", unit=unit, year=year)


def target_level(unit: Unit, year: int) -> str | None:
    return call("friendlygov.plans.selectors.target_level_for", unit=unit, year=year)


# -------------------------------------------------------------------------- surveys, feedback, dossiers


def sipas_figure(unit: Unit, year: int) -> Any:
    return call("friendlygov.surveys.selectors.sipas_figure", unit=unit, year=year)


def public_survey_figures(unit: Unit) -> list[Any]:
    return call("friendlygov.surveys.selectors.public_figures", unit=unit) or []


def public_survey_links(unit: Unit, today: dt.date | None = None) -> list[Any]:
    """The unit's open public survey entry points (token links), as the surveys area exposes them."""
    links = call("friendlygov.surveys.selectors.links_of", unit)
    if links is None:
        return []
    is_open = optional("friendlygov.surveys.services.link_is_open")
    result = []
    for link in links:
        if not getattr(link, "is_active", True):
            continue
        if is_open is not None and not is_open(link, today):
            continue
        result.append(link)
    return result


def feedback_figures(unit: Unit, year: int) -> dict[str, Any] | None:
    return call("friendlygov.feedback.selectors.feedback_figures", unit=unit, year=year)


def published_answers(unit: Unit, limit: int | None = None) -> list[Any]:
    return call("friendlygov.feedback.selectors.published_answers", unit=unit, limit=limit) or []


def dossier_figure(name: str, unit: Unit, year: int) -> Any:
    """``name``: on_time, online_share or digitisation (QĐ 766 figures from the dossier data)."""
    return call(f"friendlygov.dossiers.selectors.{name}_figure", unit=unit, year=year)


# ------------------------------------------------------------------------------------ operations


def yearly_results(unit: Unit, year: int) -> dict[str, Any] | None:
    """Operations' yearly figures: communication, budget, rewards, good practices, shortfalls (counts)…"""
    return call("friendlygov.operations.selectors.yearly_results", unit=unit, year=year)


def shortfalls(unit: Unit, year: int) -> list[dict[str, Any]]:
    """INTERNAL (reports only, never a public page): who fell short in the year and why."""
    return call("friendlygov.operations.selectors.shortfalls", unit=unit, year=year) or []


def review_data(unit: Unit, year: int) -> dict[str, Any] | None:
    """The unit's sơ kết / tổng kết record of ``year`` in operations (its written sections), or None."""
    reviews = call("friendlygov.operations.selectors.unit_reviews", unit)
    if reviews is None:
        return None
    review = next((r for r in reviews if r.year == year), None)
    if review is None:
        return None
    return call("friendlygov.operations.selectors.review_data", review=review)


def good_practices(unit: Unit) -> list[dict[str, Any]]:
    """Published examples of good practice (public)."""
    return call("friendlygov.operations.selectors.published_good_practices", unit=unit) or []
