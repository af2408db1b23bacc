"""The city dashboard (issue 19): the city's units at a glance for one year.

Every figure is read from the selectors that compute it (one fact, one place): the row of each unit from
:func:`friendlygov.assessments.selectors.city_overview` (stored totals of locked cycles, live scoring of open
ones, lateness), the SIPAS index of each unit from :func:`friendlygov.surveys.selectors.city_comparison`
(the city's SIPAS comparison, the product's questionnaire, the calendar year). Here they are only grouped
and counted; the number of queries does not depend on the number of units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors
from friendlygov.assessments.models import Cycle
from friendlygov.org.models import Unit
from friendlygov.rules.scoring import Level
from friendlygov.rules.sipas import wilson_interval
from friendlygov.surveys import periods
from friendlygov.surveys import selectors as survey_selectors

#: The kinds a commune-level unit can be (the kind filter's choices), in the order the page lists them.
UNIT_KINDS = (Unit.Kind.COMMUNE, Unit.Kind.WARD, Unit.Kind.SPECIAL_ZONE)

#: The funnel's stages, in order; a unit counts at every stage up to the one its cycle has reached.
STAGES = ("registered", "scoring", "submitted", "appraised", "recognised")

_STAGE_OF_STATUS = {
    Cycle.Status.REGISTRATION: 0,  # raised to 1 below once a registration exists
    Cycle.Status.SELF_SCORING: 2,
    Cycle.Status.RETURNED: 2,  # back with the unit: scoring again
    Cycle.Status.SUBMITTED: 3,
    Cycle.Status.APPRAISED: 4,
    Cycle.Status.RECOGNISED: 5,
}


def stage_labels() -> dict[str, str]:
    return {
        "registered": _("Đã đăng ký mức"),
        "scoring": _("Đang hoặc đã chấm điểm"),
        "submitted": _("Đã nộp hồ sơ"),
        "appraised": _("Đã thẩm định"),
        "recognised": _("Đã công nhận"),
    }


@dataclass(frozen=True)
class SipasFigure:
    """A unit's SIPAS overall index of the year with an approximate 95% interval (see :func:`sipas_interval`)."""

    index: Decimal
    respondents: int
    low: Decimal | None
    high: Decimal | None


@dataclass(frozen=True)
class UnitLine:
    unit: Unit
    stage: int  # 0 nothing yet (no cycle, or not registered), 1 registered … 5 recognised (:data:`STAGES`)
    status_label: str  # the cycle's status, or «Chưa mở kỳ đánh giá»
    registered_code: str | None
    registered_name: str
    total: Decimal | None  # the total of the latest stage reached (as ``current_standing`` states it)
    level_code: str | None  # the level reached now (None: none)
    level_name: str
    registration_late: bool
    submission_late: bool
    sipas: SipasFigure | None


@dataclass(frozen=True)
class LevelCount:
    code: str | None  # None: the row of units without a registration / without a level reached
    name: str
    registered: int
    reached: int


@dataclass
class Dashboard:
    city: Unit
    year: int
    kind: str | None
    level: str | None
    lines: list[UnitLine]  # the units the filters keep, by name
    levels: list[Level]  # the levels of the year's criteria sets, lowest first (the level filter's choices)
    maximum: Decimal  # the highest total a unit can reach on the year's sets (the score chart's axis)
    all_units: int  # the city's units before filtering
    funnel: list[tuple[str, str, int]] = field(default_factory=list)  # (stage, label, units at or past it)
    level_counts: list[LevelCount] = field(default_factory=list)

    @property
    def ranked(self) -> list[UnitLine]:
        """Units by current total, highest first (units without a cycle last)."""
        return sorted(self.lines, key=lambda u: (u.total is None, -(u.total or 0), u.unit.name))

    @property
    def by_sipas(self) -> list[UnitLine]:
        return sorted(
            self.lines, key=lambda u: (u.sipas is None, -(u.sipas.index if u.sipas else 0), u.unit.name)
        )

    @property
    def late_registration(self) -> list[UnitLine]:
        return [u for u in self.lines if u.registration_late]

    @property
    def late_submission(self) -> list[UnitLine]:
        return [u for u in self.lines if u.submission_late]


def sipas_interval(index: Decimal, respondents: int) -> tuple[Decimal, Decimal] | None:
    """An approximate 95% interval of a unit's overall SIPAS index: the Wilson interval
    (:func:`friendlygov.rules.sipas.wilson_interval`, the one the item figures use) of the index read as the
    share of satisfied respondents among all of them. The overall index is a weighted mean of element means,
    not one share, so this is an indication of the sample's precision, not an exact interval."""
    if respondents <= 0:
        return None
    satisfied = int((index * respondents / 100).to_integral_value())
    return wilson_interval(min(max(satisfied, 0), respondents), respondents)


def city_sipas(city: Unit, year: int) -> dict[int, SipasFigure]:
    """The year's SIPAS index of each unit of the city with answers (the city's SIPAS comparison on the
    product's questionnaire), by unit id."""
    questionnaire = survey_selectors.default_sipas_questionnaire()
    if questionnaire is None:
        return {}
    rows = survey_selectors.city_comparison(
        city=city, questionnaire=questionnaire, period=periods.year(year), with_samples=False
    )
    out = {}
    for row in rows:
        if row.overall is None:
            continue
        interval = sipas_interval(row.overall, row.respondents)
        out[row.unit.pk] = SipasFigure(
            row.overall, row.respondents, interval[0] if interval else None, interval[1] if interval else None
        )
    return out


def _levels_of(rows: Sequence[selectors.CityRow]) -> tuple[list[Level], Decimal]:
    """The levels of the criteria sets the year's cycles use (by code, lowest minimum first) and the highest
    total any of them allows."""
    found: dict[str, Level] = {}
    maximum = Decimal(0)
    for criteria_set in {id(r.cycle.criteria_set): r.cycle.criteria_set for r in rows if r.cycle}.values():
        cs = crit.parsed(criteria_set)
        maximum = max(maximum, cs.max_total)
        for level in cs.levels:
            found.setdefault(level.code, level)
    return sorted(found.values(), key=lambda level: level.min_total), maximum or Decimal(100)


def _line(row: selectors.CityRow, sipas: SipasFigure | None, statuses: dict[str, str]) -> UnitLine:
    cycle, registration, recognition = row.cycle, row.registration, row.recognition
    if cycle is None:
        return UnitLine(row.unit, 0, _("Chưa mở kỳ đánh giá"), None, "", None, None, "", False, False, sipas)
    stage = _STAGE_OF_STATUS[Cycle.Status(cycle.status)]
    if stage == 0 and registration is not None:
        stage = 1
    # The figure of the latest stage (selectors.current_standing): the appraised column once appraised,
    # else the consolidated column — equal to the self-assessment while nothing is settled jointly.
    figure = row.totals.get("appraised") or row.totals.get("consolidated")
    total = figure[0] if figure else None
    names = {level.name: level.code for level in crit.parsed(cycle.criteria_set).levels}
    level_code: str | None
    if recognition is not None:
        level_code, level_name = recognition.level_code, recognition.level_name
    else:
        level_name = figure[1] if figure else ""
        level_code = names.get(level_name)
    return UnitLine(
        row.unit,
        stage,
        statuses[cycle.status],
        registration.target_level if registration else None,
        registration.target_level_name if registration else "",
        total,
        level_code,
        level_name if level_code else _("chưa đạt"),
        row.registration_late,
        row.submission_late,
        sipas,
    )


def city_dashboard(city: Unit, year: int, *, kind: str | None = None, level: str | None = None) -> Dashboard:
    """The dashboard of ``city`` for ``year``; ``kind`` keeps one kind of unit (:data:`UNIT_KINDS`),
    ``level`` the units that registered that level (a level code of the year's sets). Unknown values are
    ignored."""
    rows = selectors.city_overview(city, year)
    levels, maximum = _levels_of(rows)
    kind = kind if kind in UNIT_KINDS else None
    level = level if level in {lv.code for lv in levels} else None
    sipas = city_sipas(city, year)
    statuses = {value: str(label) for value, label in Cycle.Status.choices}
    lines = [_line(row, sipas.get(row.unit.pk), statuses) for row in rows]
    all_units = len(lines)
    if kind:
        lines = [line for line in lines if line.unit.kind == kind]
    if level:
        lines = [line for line in lines if line.registered_code == level]
    dashboard = Dashboard(city, year, kind, level, lines, levels, maximum, all_units)
    labels = stage_labels()
    dashboard.funnel = [
        ("units", _("Tất cả đơn vị"), len(lines)),
        *((key, labels[key], sum(1 for u in lines if u.stage >= i + 1)) for i, key in enumerate(STAGES)),
    ]
    dashboard.level_counts = [
        LevelCount(
            lv.code,
            lv.name,
            sum(1 for u in lines if u.registered_code == lv.code),
            sum(1 for u in lines if u.level_code == lv.code),
        )
        for lv in levels
    ]
    dashboard.level_counts.append(
        LevelCount(
            None,
            _("Chưa đăng ký / chưa đạt"),
            sum(1 for u in lines if u.registered_code is None),
            sum(1 for u in lines if u.level_code is None),
        )
    )
    return dashboard
