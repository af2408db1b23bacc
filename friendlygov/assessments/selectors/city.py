"""The city's reads: the overview table of every unit's cycle, the criteria library, evidence choices and
the city's published figures (PAR index, SIPAS) as measured figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import (
    CityFigure,
    CriteriaSetVersion,
    Cycle,
    Recognition,
    Registration,
)
from friendlygov.org.models import Unit
from friendlygov.rules.figures import MeasuredFigure
from friendlygov.rules.scoring import (
    AssessmentResult,
    dump_criteria_set_yaml,
)

from .measured import Completeness, completeness
from .standings import keep_standings, kept_standings, standing_bases
from .values import COLUMNS, CycleData, ScoreValues, load_cycles_scores


@dataclass
class CityRow:
    unit: Unit
    cycle: Cycle | None
    registration: Registration | None
    recognition: Recognition | None
    completeness: Completeness | None
    totals: dict[str, tuple[Decimal, str] | None]
    registration_late: bool
    submission_late: bool
    appraisal_late: bool


def summary_total(result: AssessmentResult) -> dict[str, Any]:
    """A column's total and level as :attr:`Cycle.summary` keeps them."""
    return {"total": str(result.total), "level": result.level.name if result.level else None}


def submission_summary(data: CycleData) -> dict[str, Any]:
    """:attr:`Cycle.summary` at submission: the unit's two columns and its completeness."""
    done = completeness(data)
    return {
        "self": summary_total(data.result("self")),
        "consolidated": summary_total(data.result("consolidated")),
        # leaf criteria only (:func:`completeness`); summaries kept before that carry "completeness", counted
        # with the conditions, and are not read (the cycle is scored again instead)
        "criteria_completeness": [done.scorable, done.scored, done.with_evidence],
    }


def _stored_total(total: Mapping[str, Any]) -> tuple[Decimal, str]:
    return Decimal(total["total"]), total["level"] or gettext("chưa đạt")


def _stored_row_figures(
    cycle: Cycle,
) -> tuple[Completeness, dict[str, tuple[Decimal, str] | None]] | None:
    """The completeness and totals of a locked cycle from what was kept when it was submitted and
    appraised; None when the cycle is open or was locked before the summary was kept."""
    summary = cycle.summary
    appraised = cycle.status in (Cycle.Status.APPRAISED, Cycle.Status.RECOGNISED)
    if (
        cycle.is_editable
        or not summary
        or "criteria_completeness" not in summary
        or (appraised and "appraised" not in summary)
    ):
        return None
    scorable, scored, with_evidence = summary["criteria_completeness"]
    totals: dict[str, tuple[Decimal, str] | None] = {
        "self": _stored_total(summary["self"]),
        "consolidated": _stored_total(summary["consolidated"]),
        "appraised": _stored_total(summary["appraised"]) if appraised else None,
    }
    return Completeness(scorable, scored, with_evidence), totals


def _live_row_figures(
    data: CycleData | ScoreValues,
) -> tuple[Completeness, dict[str, tuple[Decimal, str] | None]]:
    totals: dict[str, tuple[Decimal, str] | None] = {}
    for column in COLUMNS:
        if column == "appraised" and data.cycle.status not in (
            Cycle.Status.APPRAISED,
            Cycle.Status.RECOGNISED,
        ):
            totals[column] = None
            continue
        total, level = data.total(column)
        totals[column] = (total, level.name if level else gettext("chưa đạt"))
    return completeness(data), totals


def city_overview(city: Unit, year: int) -> list[CityRow]:
    """One row per unit of the city for the year. Locked cycles show what was stored at submission and
    appraisal; open cycles the standing kept at their last scoring while nothing it was computed from
    changed (``standings``); the other open cycles (and old ones without a stored summary) are loaded and
    scored, and the open ones kept."""
    today = timezone.localdate()
    units = list(Unit.objects.filter(parent=city, is_active=True).order_by("name"))
    # The stored full results are not needed here (the summary is), and each unit's copy of the criteria
    # set would be decoded again: the sets are read once and shared.
    cycles = {
        c.unit_id: c
        for c in Cycle.objects.filter(unit__in=units, year=year)
        .select_related("unit")
        .defer("submitted_result", "final_result", "return_requests")
    }
    criteria_sets = CriteriaSetVersion.objects.in_bulk({c.criteria_set_id for c in cycles.values()})
    for opened in cycles.values():
        opened.criteria_set = criteria_sets[opened.criteria_set_id]
    registrations = {r.cycle_id: r for r in Registration.objects.filter(cycle__in=cycles.values())}
    recognitions = {r.cycle_id: r for r in Recognition.objects.filter(cycle__in=cycles.values())}
    stored = {c.pk: _stored_row_figures(c) for c in cycles.values()}
    # Open cycles: the standing kept at their last scoring while nothing it was computed from changed
    # (``standings``); the others scored now, and kept.
    now = timezone.now()
    live = [c for c in cycles.values() if stored[c.pk] is None and c.is_editable]
    bases = standing_bases(live)  # before any figure is read
    kept = kept_standings(live, bases=bases, now=now)
    scored = load_cycles_scores(c for c in cycles.values() if stored[c.pk] is None and c.pk not in kept)
    figures = {pk: _live_row_figures(data) for pk, data in scored.items()}
    keep_standings(
        {pk: (data, figures[pk][0]) for pk, data in scored.items() if pk in bases}, bases=bases, now=now
    )
    rows = []
    for unit in units:
        cycle = cycles.get(unit.pk)
        if cycle is None:
            rows.append(CityRow(unit, None, None, None, None, dict.fromkeys(COLUMNS), False, False, False))
            continue
        registration = registrations.get(cycle.pk)
        done, totals = stored[cycle.pk] or kept.get(cycle.pk) or figures[cycle.pk]
        registration_late = (registration is None and today > cycle.registration_deadline) or (
            registration is not None
            and timezone.localdate(registration.registered_at) > cycle.registration_deadline
        )
        submission_late = (cycle.submitted_at is None and today > cycle.submission_deadline) or (
            cycle.submitted_at is not None
            and timezone.localdate(cycle.submitted_at) > cycle.submission_deadline
        )
        appraisal_late = (cycle.appraised_at is None and today > cycle.appraisal_deadline) or (
            cycle.appraised_at is not None
            and timezone.localdate(cycle.appraised_at) > cycle.appraisal_deadline
        )
        rows.append(
            CityRow(
                unit,
                cycle,
                registration,
                recognitions.get(cycle.pk),
                done,
                totals,
                registration_late,
                submission_late,
                appraisal_late,
            )
        )
    return rows


def city_overview_table(rows: list[CityRow]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "Đơn vị",
        "Bộ tiêu chí",
        "Mức đăng ký",
        "Trạng thái đăng ký",
        "Hạn đăng ký",
        "Trạng thái hồ sơ",
        "Hạn nộp",
        "Ngày nộp",
        "Hạn thẩm định",
        "Tiêu chí đã chấm",
        "Tổng tiêu chí",
        "Có minh chứng",
        "Điểm tự chấm",
        "Mức tự chấm",
        "Điểm thống nhất",
        "Mức thống nhất",
        "Điểm thẩm định",
        "Mức thẩm định",
        "Mức công nhận",
        "Quyết định công nhận",
        "Mã đơn vị",  # the official code, last so that existing readers of the columns are not shifted
    ]
    out = []
    for row in rows:
        cycle, reg, rec, comp = row.cycle, row.registration, row.recognition, row.completeness

        def total(column: str, row: CityRow = row) -> list[Any]:
            value = row.totals.get(column)
            return [float(value[0]), value[1]] if value else ["", ""]

        out.append(
            [
                row.unit.full_name,
                cycle.criteria_set.official_title if cycle else "",
                reg.target_level_name if reg else "",
                str(reg.get_status_display()) if reg else ("Chưa đăng ký" if cycle else ""),
                cycle.registration_deadline if cycle else "",
                str(cycle.get_status_display()) if cycle else "Chưa mở kỳ đánh giá",
                cycle.submission_deadline if cycle else "",
                timezone.localdate(cycle.submitted_at) if cycle and cycle.submitted_at else "",
                cycle.appraisal_deadline if cycle else "",
                comp.scored if comp else "",
                comp.scorable if comp else "",
                comp.with_evidence if comp else "",
                *total("self"),
                *total("consolidated"),
                *total("appraised"),
                rec.level_name if rec else "",
                f"{rec.decision_number} ngày {rec.decision_date:%d/%m/%Y}" if rec else "",
                row.unit.code,
            ]
        )
    return header, out


def city_library(city: Unit) -> QuerySet[CriteriaSetVersion]:
    return (
        CriteriaSetVersion.objects.filter(unit=city)
        .select_related("imported_by")
        .order_by("code", "-version")
    )


def criteria_set_yaml_text(row: CriteriaSetVersion) -> str:
    return dump_criteria_set_yaml(crit.parsed(row))


def unit_evidence_choices(unit: Unit, *, limit: int = 200) -> list[Any]:
    """Evidence files already in the system for the unit (plans, other criteria…), newest first."""
    from friendlygov.evidence.models import EvidenceFile

    return list(
        EvidenceFile.objects.filter(unit=unit).select_related("body").order_by("-uploaded_at")[:limit]
    )


def city_figures(city: Unit, year: int | None = None) -> QuerySet[CityFigure]:
    figures = CityFigure.objects.filter(city=city).select_related("unit", "entered_by")
    return figures.filter(year=year) if year else figures


def unit_figures(unit: Unit) -> QuerySet[CityFigure]:
    return CityFigure.objects.filter(unit=unit).order_by("-year", "kind")


def _city_figure(kind: str, *, unit: Unit, year: int) -> MeasuredFigure | None:
    return _city_figures(kind, units=[unit], year=year)[unit.pk]


def _city_figures(kind: str, *, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    """The figure of each unit (the first in the model's order when several were entered)."""
    out: dict[int, MeasuredFigure | None] = {unit.pk: None for unit in units}
    what = (
        "Chỉ số cải cách hành chính (PAR INDEX)"
        if kind == CityFigure.Kind.PAR_INDEX
        else "Chỉ số hài lòng (SIPAS)"
    )
    for figure in CityFigure.objects.filter(unit__in=units, year=year, kind=kind):
        if out.get(figure.unit_id) is None:
            out[figure.unit_id] = MeasuredFigure(
                percent=Decimal(figure.value),
                label=f"{what} năm {year} do thành phố công bố ({figure.decision})",
                as_of=figure.published_on,
                reference=figure.decision,
            )
    return out


def city_par_index_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    """The PAR INDEX the city published for the unit and year (source ``city.par_index``)."""
    return _city_figure(CityFigure.Kind.PAR_INDEX, unit=unit, year=year)


def city_par_index_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    return _city_figures(CityFigure.Kind.PAR_INDEX, units=units, year=year)


def city_sipas_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    """The city-run SIPAS result for the unit and year (source ``city.sipas``)."""
    return _city_figure(CityFigure.Kind.SIPAS, unit=unit, year=year)


def city_sipas_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    return _city_figures(CityFigure.Kind.SIPAS, units=units, year=year)
