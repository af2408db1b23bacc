"""Where a criterion with ``source:`` takes its value from.

The areas that measure register their selectors in :mod:`friendlygov.core.figures` (each from its own
``AppConfig.ready()``); this module reads them for the assessment pages, the city's table and submission.
A selector returning ``None`` is "no data" (the criterion counts as missing, shown as "chưa có số liệu").
Anything else fails loudly: a key no area registered raises
:class:`~friendlygov.kit.registry.NotRegistered`, a selector that raises propagates, a selector returning
something else than a figure is a TypeError. A criteria set naming an unregistered key is refused when it is
imported (:func:`check_source_keys`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from friendlygov.core import figures
from friendlygov.org.models import Unit
from friendlygov.plans.selectors import target_level_for
from friendlygov.rules.figures import MeasuredFigure
from friendlygov.rules.scoring import CriteriaSet, Criterion

NO_DATA = "chưa có số liệu"


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
    return figures.SOURCES[key].label


def _checked(key: str, figure: object) -> MeasuredFigure | None:
    if figure is None or isinstance(figure, MeasuredFigure):
        return figure
    raise TypeError(f"source {key!r} returned {type(figure).__name__}, not a MeasuredFigure or None")


def read_source(key: str, *, unit: Unit, year: int) -> SourceReading:
    """The measured figure for a unit and year; a reading without figure when the selector has none."""
    source = figures.SOURCES[key]
    return SourceReading(key, source.label, _checked(key, source.single(unit=unit, year=year)))


def read_sources(key: str, *, units: Sequence[Unit], year: int) -> dict[int, SourceReading]:
    """:func:`read_source` for many units (by unit id): in one call when the source has a batch selector,
    else unit by unit."""
    source = figures.SOURCES[key]
    if source.batch is not None and units:
        found = source.batch(units=units, year=year)
        return {
            unit.pk: SourceReading(key, source.label, _checked(key, found.get(unit.pk))) for unit in units
        }
    return {unit.pk: read_source(key, unit=unit, year=year) for unit in units}


def source_keys(cs: CriteriaSet) -> set[str]:
    """The source keys a criteria set names."""
    return {leaf.source for leaf in cs.leaves() if leaf.source}


def check_source_keys(cs: CriteriaSet, field: str) -> None:
    """Refuse a criteria set naming a source no area measures, or binding a checklist criterion to a source
    that is not a checklist (or the other way round, or with ``source_items`` that do not fit): a
    ValidationError on ``field`` naming each criterion and key."""
    missing = set(figures.unregistered_keys(source_keys(cs)))
    problems = [
        f"Tiêu chí {leaf.code}: nguồn số liệu «{leaf.source}» không có trong hệ thống "
        f"(các nguồn có: {', '.join(figures.SOURCES)})."
        for leaf in cs.leaves()
        if leaf.source in missing
    ]
    problems += [message for _code, message in figures.binding_problems(cs)]
    if problems:
        raise ValidationError({field: problems})


def measured_value(leaf: Criterion, figure: MeasuredFigure) -> tuple[str, list[int]]:
    """A measured figure as the criterion's value in the contract's syntax, with the ticked items of a
    checklist: a percentage for a ratio, the items whose ``source_items`` key the records evidence for a
    checklist (the value is then their count)."""
    if leaf.kind == "checklist":
        keys = leaf.extra.get("source_items")
        ticks = figure.ticks_for([str(k) for k in keys]) if isinstance(keys, list) else []
        return str(len(ticks)), ticks
    return figure.as_score_value(), []


def plan_target_level(*, unit: Unit, year: int) -> str | None:
    """The plan's target level for the year (``plans.selectors.target_level_for``), None when unknown."""
    level = target_level_for(unit=unit, year=year)
    return str(level) if level not in (None, "") else None
