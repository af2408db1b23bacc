"""Reads of the yearly results and the programme reviews."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from friendlygov.assessments import selectors as assessment_selectors
from friendlygov.feedback import selectors as feedback_selectors
from friendlygov.operations.models import ProgrammeReview, Shortfall, SignatureRequest
from friendlygov.org.models import Unit
from friendlygov.plans import selectors as plan_selectors
from friendlygov.surveys import selectors as survey_selectors

from .budget import budget_figures
from .common import matches
from .communication import communication_figures
from .conferences import conferences
from .rewards import good_practices, reward_figures
from .villages import village_figures

NO_DATA = "chưa có số liệu"


def figure_dict(figure: Any) -> dict[str, Any] | None:
    """A MeasuredFigure as plain values (percent Decimal, label, numerator, denominator, as_of, reference)."""
    if figure is None:
        return None
    return {
        "percent": figure.percent,
        "label": figure.label,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "as_of": figure.as_of,
        "reference": figure.reference,
    }


def _assessment(unit: Unit, year: int) -> dict[str, Any] | None:
    summary = assessment_selectors.cycle_summary(unit=unit, year=year)
    if summary is None:
        return None
    keys = (
        "status",
        "status_label",
        "criteria_set",
        "criteria_set_name",
        "target_level",
        "target_level_name",
        "self_total",
        "self_level",
        "self_level_name",
        "appraised_total",
        "appraised_level",
        "appraised_level_name",
        "recognised_level",
        "recognised_level_name",
        "recognition_decision",
        "scored",
        "scorable",
        "with_evidence",
        "current_total",
        "current_level",
        "current_level_name",
        "current_stage",
    )
    return {k: getattr(summary, k, None) for k in keys}


def yearly_results(*, unit: Unit, year: int) -> dict[str, Any]:
    """Everything the yearly results report needs for `unit` in `year` (plain values; VND as int; percents
    as Decimal; dates as date). Areas without data give None and are named in ``missing``.

    Keys:
    - ``unit``: {``slug``, ``name``, ``full_name``}; ``year``;
    - ``target_level``: the plan's target level code ("3") or None;
    - ``assessment``: None or {``status``, ``status_label``, ``criteria_set``, ``criteria_set_name``,
      ``target_level``, ``target_level_name``, ``self_total``, ``self_level``, ``self_level_name``,
      ``appraised_total``, ``appraised_level``, ``appraised_level_name``, ``recognised_level``,
      ``recognised_level_name``, ``recognition_decision``, ``scored``, ``scorable``, ``with_evidence``,
      ``current_total``, ``current_level``, ``current_level_name``, ``current_stage`` (the latest stage's
      figure: recognised, appraised, consolidated or self)};
    - ``task_completion``, ``sipas``: None or a figure {``percent``, ``label``, ``numerator``, ``denominator``,
      ``as_of``, ``reference``};
    - ``feedback``: None or the feedback area's ``feedback_figures`` dict;
    - ``communication``: :func:`communication_figures`; ``villages``: :func:`village_figures`;
      ``budget``: :func:`budget_figures`; ``rewards``: :func:`reward_figures`;
    - ``good_practices``: [{``title``, ``summary``, ``body``, ``published``}] of the year;
    - ``shortfalls``: {``total``, ``open``} (counts only — the list is internal, see :func:`shortfalls`);
    - ``conferences``: [{``title``, ``held_on``, ``place``, ``status_label``, ``has_minutes``}];
    - ``signatures``: {``waiting``, ``signed``, ``returned``} of requests made in the year;
    - ``missing``: Vietnamese labels of the figures that have no data; ``no_data``: "chưa có số liệu".
    """
    target = plan_selectors.target_level_for(unit=unit, year=year)
    assessment = _assessment(unit, year)
    task_completion = figure_dict(plan_selectors.task_completion_figure(unit=unit, year=year))
    sipas = figure_dict(survey_selectors.sipas_figure(unit=unit, year=year))
    feedback = feedback_selectors.feedback_figures(unit=unit, year=year)
    communication = communication_figures(unit=unit, year=year)
    budget = budget_figures(unit=unit, year=year)
    missing = [
        label
        for label, value in (
            (gettext_noop("Mục tiêu mức độ của kế hoạch"), target),
            (gettext_noop("Kết quả đánh giá, chấm điểm"), assessment),
            (gettext_noop("Tiến độ nhiệm vụ của kế hoạch"), task_completion),
            (gettext_noop("Khảo sát SIPAS"), sipas),
            (gettext_noop("Phản ánh, kiến nghị"), feedback),
            (gettext_noop("Công tác tuyên truyền"), communication["count"] or None),
            (gettext_noop("Kinh phí"), budget["lines_count"] or None),
        )
        if value is None
    ]
    year_shortfalls = Shortfall.objects.filter(unit=unit, year=year)
    signature_counts = {s: 0 for s in SignatureRequest.Status.values}
    for status in SignatureRequest.objects.filter(unit=unit, created_at__year=year).values_list(
        "status", flat=True
    ):
        signature_counts[status] += 1
    return {
        "unit": {"slug": unit.slug, "name": unit.name, "full_name": unit.full_name},
        "year": year,
        "target_level": target,
        "assessment": assessment,
        "task_completion": task_completion,
        "sipas": sipas,
        "feedback": feedback,
        "communication": communication,
        "villages": village_figures(unit=unit, year=year),
        "budget": budget,
        "rewards": reward_figures(unit=unit, year=year),
        "good_practices": [
            {
                "title": g.title,
                "summary": g.summary,
                "body": g.body.name if g.body else "",
                "published": g.is_published,
            }
            for g in good_practices(unit, year=year)
        ],
        "shortfalls": {
            "total": year_shortfalls.count(),
            "open": year_shortfalls.filter(status=Shortfall.Status.OPEN).count(),
        },
        "conferences": [
            {
                "title": c.title,
                "held_on": c.held_on,
                "place": c.place,
                "status_label": c.get_status_display(),
                "has_minutes": bool(c.minutes_id),
            }
            for c in conferences(unit, year=year)
        ],
        "signatures": signature_counts,
        "missing": missing,
        "no_data": NO_DATA,
    }


def unit_reviews(unit: Unit) -> QuerySet[ProgrammeReview]:
    return ProgrammeReview.objects.filter(unit=unit).prefetch_related("sections").order_by("year", "kind")


@dataclass(frozen=True)
class ReviewFilter:
    kind: str = ""
    status: str = ""
    query: str = ""


def review_list(unit: Unit, filters: ReviewFilter) -> list[ProgrammeReview]:
    """The unit's reviews of a kind and a status (an unknown one: no filter) whose title or sections match."""
    items = list(unit_reviews(unit))
    if filters.kind in ProgrammeReview.Kind.values:
        items = [r for r in items if r.kind == filters.kind]
    if filters.status in ProgrammeReview.Status.values:
        items = [r for r in items if r.status == filters.status]
    return [r for r in items if matches(filters.query, r.title, *(s.text for s in r.sections.all()))]


def review_data(*, review: ProgrammeReview) -> dict[str, Any]:
    """A 2027 (sơ kết) or 2030 (tổng kết) review, for the documents area.

    Keys:
    - ``review``: {``id``, ``kind`` ("midterm"/"final"), ``kind_label`` ("Sơ kết"/"Tổng kết"), ``title``,
      ``year``, ``from_year``, ``status``, ``status_label``, ``completed_at``};
    - ``unit``: {``slug``, ``name``, ``full_name``};
    - ``years``: [:func:`yearly_results` for each year from ``from_year`` to ``year``];
    - ``targets``: [{``year``, ``target_level``, ``recognised_level``, ``recognised_level_name``}];
    - ``totals``: over the period — ``communication`` {``count``, ``reach``, ``cost``}, ``budget``
      {``estimated``, ``approved``, ``spent``}, ``rewards`` {``nominations``, ``awarded``};
    - ``sections``: [{``key``, ``title``, ``text``}] in order (standard keys: ``results``, ``limitations``,
      ``lessons``, ``tasks_ahead``, ``proposals``);
    - ``conferences``: [{``title``, ``held_on``, ``place``, ``status_label``, ``has_minutes``}] linked to the review;
    - ``snapshot``: the figures frozen when the review was completed (JSON types), {} while a draft.
    """
    unit = review.unit
    years = [yearly_results(unit=unit, year=y) for y in review.years]
    return {
        "review": {
            "id": review.pk,
            "kind": review.kind,
            "kind_label": review.get_kind_display(),
            "title": review.title,
            "year": review.year,
            "from_year": review.from_year,
            "status": review.status,
            "status_label": review.get_status_display(),
            "completed_at": review.completed_at,
        },
        "unit": {"slug": unit.slug, "name": unit.name, "full_name": unit.full_name},
        "years": years,
        "targets": [
            {
                "year": y["year"],
                "target_level": y["target_level"],
                "recognised_level": (y["assessment"] or {}).get("recognised_level"),
                "recognised_level_name": (y["assessment"] or {}).get("recognised_level_name") or "",
            }
            for y in years
        ],
        "totals": {
            "communication": {
                k: sum(y["communication"][k] for y in years) for k in ("count", "reach", "cost")
            },
            "budget": {k: sum(y["budget"][k] for y in years) for k in ("estimated", "approved", "spent")},
            "rewards": {k: sum(y["rewards"][k] for y in years) for k in ("nominations", "awarded")},
        },
        "sections": [{"key": s.key, "title": s.title, "text": s.text} for s in review.sections.all()],
        "conferences": [
            {
                "title": c.title,
                "held_on": c.held_on,
                "place": c.place,
                "status_label": c.get_status_display(),
                "has_minutes": bool(c.minutes_id),
            }
            for c in review.conferences.all()
        ],
        "snapshot": review.snapshot or {},
    }
