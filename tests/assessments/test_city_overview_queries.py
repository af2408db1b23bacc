"""The city table reads the scored tables once for all the city's cycles: its number of queries does not
grow with the number of units (bench/RESULTS.md: it used to be six queries per unit)."""

from __future__ import annotations

import copy
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from friendlygov.assessments import selectors, services
from friendlygov.assessments.models import CriteriaSetVersion, Cycle, ScoreEntry, ScoreEvidence
from friendlygov.org.models import Unit
from tests.assessments.conftest import ASSIGN, TINY, YEAR, score_everything
from tests.factories import World


def _no_sources_set(world: World) -> CriteriaSetVersion:
    """TINY without ``source:`` criteria: open cycles read live sources unit by unit (other areas'
    selectors), which this test is not about."""
    data: dict[str, Any] = copy.deepcopy(TINY)
    data["code"] = "T-NS"
    for group in data["criteria"]:
        for child in group.get("children", []):
            child.pop("source", None)
    return services.add_criteria_set(actor=world.reviewer, city=world.city, data=data, origin="yaml")


def _score_thanh_mien(world: World, criteria_set: CriteriaSetVersion) -> None:
    """Thanh Miện's cycle assigned and scored, with evidence (entries, links and users all loaded)."""
    cycle = services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=criteria_set)
    for code, body in ASSIGN.items():
        services.assign_criterion(
            actor=world.coordinator, cycle=cycle, criterion_code=code, body=world.bodies[body]
        )
    score_everything(world, cycle)


def _add_units(world: World, criteria_set: CriteriaSetVersion, count: int, start: int) -> None:
    for i in range(start, start + count):
        unit = Unit.objects.create(
            kind=Unit.Kind.COMMUNE, name=f"Xã Thử {i:02d}", slug=f"xa-thu-{i:02d}", parent=world.city
        )
        cycle = services.open_cycle(actor=world.reviewer, unit=unit, year=YEAR, criteria_set=criteria_set)
        ScoreEntry.objects.create(unit=unit, cycle=cycle, criterion_code="1.1", value="3")
        ScoreEntry.objects.create(unit=unit, cycle=cycle, criterion_code="1.2", value="có")


def _adjust_down(world: World, cycle: Cycle) -> None:
    """The city sets criterion 1.1 to 2 at appraisal: the appraised column then differs from the others."""
    services.appraise_criterion(
        actor=world.reviewer,
        cycle=cycle,
        criterion_code="1.1",
        accept=False,
        value="2",
        reason="Thiếu biên bản",
    )


def _count(world: World) -> tuple[int, list[selectors.CityRow]]:
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.city_overview(world.city, YEAR)
    return len(queries), rows


def test_city_overview_queries_do_not_grow_with_units(world: World) -> None:
    criteria_set = _no_sources_set(world)
    _score_thanh_mien(world, criteria_set)  # entries, evidence links and their users: nothing loaded lazily
    _add_units(world, criteria_set, 1, start=1)  # Thanh Miện + 1 opened, Gia Lộc not opened
    few, rows = _count(world)
    assert sum(1 for r in rows if r.cycle is not None) == 2
    _add_units(world, criteria_set, 4, start=2)
    many, rows = _count(world)
    assert sum(1 for r in rows if r.cycle is not None) == 6
    assert many == few
    # units, cycles, registrations, recognitions, the six scored tables; the change stamps, the kept
    # standings and the keeping of those scored (assessments.selectors.standings)
    assert few <= 15
    kept, again = _count(world)  # nothing changed: every open cycle's standing read back
    assert [(r.completeness, r.totals) for r in again] == [(r.completeness, r.totals) for r in rows]
    assert kept <= 7


def test_load_cycles_data_matches_load_cycle_data(world: World) -> None:
    criteria_set = _no_sources_set(world)
    _score_thanh_mien(world, criteria_set)
    _add_units(world, criteria_set, 2, start=1)
    cycles = list(Cycle.objects.filter(year=YEAR).select_related("unit", "criteria_set"))
    bulk = selectors.load_cycles_data(cycles)
    assert set(bulk) == {c.pk for c in cycles}
    for one in cycles:
        single = selectors.load_cycle_data(one)
        data = bulk[one.pk]
        assert data.entries == single.entries and data.evidence == single.evidence
        assert data.assignments == single.assignments and data.proposals == single.proposals
        assert data.consolidated == single.consolidated and data.appraisals == single.appraisals
        for column in selectors.COLUMNS:
            assert data.result(column) == single.result(column)
        assert selectors.completeness(data) == selectors.completeness(single)
    assert selectors.load_cycles_data([]) == {}


def test_score_values_give_the_same_results_as_the_records(world: World, scoring: Cycle) -> None:
    """The city table scores open cycles from values only: same results and completeness as the pages',
    with a removed evidence link and a city adjustment in the data."""
    scored = score_everything(world, scoring)
    link = ScoreEvidence.objects.filter(entry__cycle=scored).first()
    assert link is not None
    services.detach_evidence(actor=world.coordinator, link=link)
    cycle = services.submit_cycle(actor=world.leader, cycle=scored, acknowledge_issues=True)
    _adjust_down(world, cycle)
    criteria_set = _no_sources_set(world)
    _add_units(world, criteria_set, 2, start=1)
    cycles = list(Cycle.objects.filter(year=YEAR).select_related("unit", "criteria_set"))
    records, values = selectors.load_cycles_data(cycles), selectors.load_cycles_scores(cycles)
    assert set(records) == set(values) == {c.pk for c in cycles}
    for one in cycles:
        for column in selectors.COLUMNS:
            assert values[one.pk].result(column) == records[one.pk].result(column)
        assert selectors.completeness(values[one.pk]) == selectors.completeness(records[one.pk])
    assert values[cycle.pk].result("appraised") != values[cycle.pk].result("consolidated")


def _live_row(cycle: Cycle) -> tuple[Any, Any]:
    return selectors._live_row_figures(selectors.load_cycle_data(_reloaded(cycle)))


def _reloaded(cycle: Cycle) -> Cycle:
    return Cycle.objects.select_related("unit", "criteria_set").get(pk=cycle.pk)


def test_locked_cycles_show_the_stored_summary_equal_to_rescoring(world: World, scoring: Cycle) -> None:
    """Submitted and appraised cycles are not re-scored for the city table: what was stored at submission
    and appraisal is shown, and it is what scoring the locked values gives."""
    scored = score_everything(world, scoring)
    link = ScoreEvidence.objects.filter(entry__cycle=scored).first()
    assert link is not None
    services.detach_evidence(actor=world.coordinator, link=link)
    cycle = services.submit_cycle(actor=world.leader, cycle=scored, acknowledge_issues=True)
    cycle = _reloaded(cycle)
    assert cycle.summary["criteria_completeness"][0] > 0
    row = {r.unit.slug: r for r in selectors.city_overview(world.city, YEAR)}["thanh-mien"]
    done, totals = _live_row(cycle)
    assert (row.completeness, row.totals) == (done, totals)
    assert row.totals["appraised"] is None and row.totals["self"] is not None

    _adjust_down(world, cycle)
    cycle = _reloaded(services.finish_appraisal(actor=world.reviewer, cycle=cycle))
    with CaptureQueriesContext(connection) as queries:
        row = {r.unit.slug: r for r in selectors.city_overview(world.city, YEAR)}["thanh-mien"]
    done, totals = _live_row(cycle)
    assert (row.completeness, row.totals) == (done, totals)
    assert totals["appraised"] != totals["consolidated"]  # the adjustment shows
    assert not any("assessments_scoreentry" in q["sql"] for q in queries.captured_queries)  # not re-scored


def test_locked_cycle_without_a_stored_summary_is_rescored(world: World, scoring: Cycle) -> None:
    scored = score_everything(world, scoring)
    link = ScoreEvidence.objects.filter(entry__cycle=scored).first()
    assert link is not None
    services.detach_evidence(actor=world.coordinator, link=link)
    cycle = services.submit_cycle(actor=world.leader, cycle=scored, acknowledge_issues=True)
    expected = _live_row(cycle)
    Cycle.objects.filter(pk=cycle.pk).update(summary={})  # submitted before the summary was kept
    row = {r.unit.slug: r for r in selectors.city_overview(world.city, YEAR)}["thanh-mien"]
    assert (row.completeness, row.totals) == expected


def test_columns_with_the_same_values_are_scored_once(world: World, scoring: Cycle) -> None:
    """An open cycle's consolidated column holds its self-scoring values: one result serves both, equal to
    scoring each column's values afresh; a city adjustment gives the appraised column its own."""
    from friendlygov.rules.scoring import assess

    scored = score_everything(world, scoring)
    values = selectors.load_cycles_scores([_reloaded(scored)])[scored.pk]
    assert values.result("consolidated") is values.result("self")
    for column in ("self", "consolidated", "appraised"):
        assert values.result(column) == assess(values.cs, values.values(column))
    cycle = services.submit_cycle(actor=world.leader, cycle=scored, acknowledge_issues=True)
    _adjust_down(world, cycle)
    values = selectors.load_cycles_scores([_reloaded(cycle)])[cycle.pk]
    totals_first = selectors.load_cycles_scores([_reloaded(cycle)])[cycle.pk]  # totals before any full result
    for column in ("self", "consolidated", "appraised"):
        result = values.result(column)
        assert totals_first.total(column) == values.total(column) == (result.total, result.level)
    assert values.result("appraised") is not values.result("consolidated")
    assert values.result("appraised") == assess(values.cs, values.values("appraised"))
    assert values.result("appraised") != values.result("consolidated")
