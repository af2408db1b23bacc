"""Where a criterion with ``source:`` takes its value from.

Each key maps to a selector path, imported lazily (the areas that measure are built separately). A
selector takes ``(*, unit, year)`` and returns a :class:`~friendlygov.rules.figures.MeasuredFigure` or
None. Any failure — the area not there yet, the selector missing or raising — means "chưa có số liệu":
the criterion counts as missing; a page never crashes because of it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string

from friendlygov.rules.figures import MeasuredFigure

logger = logging.getLogger(__name__)

NO_DATA = "chưa có số liệu"


@dataclass(frozen=True)
class Source:
    key: str
    path: str
    label: str  # Vietnamese: what the figure is
    # Optional: a selector ``(*, units, year) -> {unit id: MeasuredFigure | None}`` giving the same figures
    # for many units at once (the city's table reads every open cycle's sources).
    batch_path: str | None = None


SOURCES: dict[str, Source] = {
    source.key: source
    for source in [
        Source(
            "survey.sipas",
            "friendlygov.surveys.selectors.sipas_figure",
            "Kết quả khảo sát SIPAS của xã",
            batch_path="friendlygov.surveys.selectors.sipas_figures",
        ),
        Source(
            "city.par_index",
            "friendlygov.assessments.selectors.city_par_index_figure",
            "Chỉ số PAR INDEX do thành phố công bố",
            batch_path="friendlygov.assessments.selectors.city_par_index_figures",
        ),
        Source(
            "city.sipas",
            "friendlygov.assessments.selectors.city_sipas_figure",
            "Chỉ số SIPAS do thành phố công bố",
            batch_path="friendlygov.assessments.selectors.city_sipas_figures",
        ),
        Source(
            "service.on_time",
            "friendlygov.dossiers.selectors.on_time_figure",
            "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
        ),
        Source(
            "service.online_share",
            "friendlygov.dossiers.selectors.online_share_figure",
            "Tỷ lệ hồ sơ TTHC trực tuyến",
        ),
        Source(
            "service.digitisation",
            "friendlygov.dossiers.selectors.digitisation_figure",
            "Tỷ lệ hồ sơ TTHC được số hóa",
        ),
        Source(
            "feedback.on_time",
            "friendlygov.feedback.selectors.feedback_on_time_figure",
            "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn",
        ),
        Source(
            "feedback.satisfaction",
            "friendlygov.feedback.selectors.feedback_satisfaction_figure",
            "Mức hài lòng với việc xử lý phản ánh",
        ),
        Source(
            "plan.task_completion",
            "friendlygov.plans.selectors.task_completion_figure",
            "Tỷ lệ nhiệm vụ kế hoạch hoàn thành",
        ),
    ]
}


@dataclass(frozen=True)
class SourceReading:
    key: str
    label: str  # what the source is
    figure: MeasuredFigure | None

    @property
    def available(self) -> bool:
        return self.figure is not None

    @property
    def provenance(self) -> str:
        """Where the value came from, for people ("chưa có số liệu" when there is none)."""
        return self.figure.label if self.figure is not None else NO_DATA


def source_label(key: str) -> str:
    source = SOURCES.get(key)
    return source.label if source else f"Nguồn «{key}» (chưa được hệ thống hỗ trợ)"


def read_source(key: str, *, unit: Any, year: int) -> SourceReading:
    """The measured figure for a unit and year, or a reading without figure; never raises."""
    source = SOURCES.get(key)
    if source is None:
        return SourceReading(key, source_label(key), None)
    try:
        selector = import_string(source.path)
    except Exception:  # not built yet (ImportError) or broken while being written
        return SourceReading(key, source.label, None)
    try:
        figure = selector(unit=unit, year=year)
    except Exception:  # a half-built area must not break the assessment pages
        logger.exception("source %s failed for unit %s year %s", key, getattr(unit, "pk", unit), year)
        return SourceReading(key, source.label, None)
    if not isinstance(figure, MeasuredFigure):
        return SourceReading(key, source.label, None)
    return SourceReading(key, source.label, figure)


def read_sources(key: str, *, units: Sequence[Any], year: int) -> dict[int, SourceReading]:
    """:func:`read_source` for many units (by unit id): in one call when the source has a batch selector,
    else unit by unit. Never raises; a failing batch falls back to reading unit by unit."""
    source = SOURCES.get(key)
    if source is not None and source.batch_path and units:
        try:
            figures = import_string(source.batch_path)(units=units, year=year)
        except Exception:
            logger.exception("batch source %s failed for year %s", key, year)
        else:
            return {
                unit.pk: SourceReading(
                    key,
                    source.label,
                    figure if isinstance(figure := figures.get(unit.pk), MeasuredFigure) else None,
                )
                for unit in units
            }
    return {unit.pk: read_source(key, unit=unit, year=year) for unit in units}


def plan_target_level(*, unit: Any, year: int) -> str | None:
    """The plan's target level for the year (``plans.selectors.target_level_for``), None when unknown."""
    try:
        selector = import_string("friendlygov.plans.selectors.target_level_for")
    except Exception:  # not built yet (ImportError) or broken while being written
        return None
    try:
        level = selector(unit=unit, year=year)
    except Exception:
        logger.exception("target_level_for failed for unit %s year %s", getattr(unit, "pk", unit), year)
        return None
    return str(level) if level not in (None, "") else None
