"""Figures: the same numbers as the pure computation and the command line on the same answers."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from friendlygov.commands import sipas as sipas_command
from friendlygov.org.models import Unit
from friendlygov.rules.sipas import (
    DEFAULT_QUESTIONNAIRE,
    compute_indices,
    result_to_json,
    sample_size,
)
from friendlygov.rules.sipas import (
    Answer as PureAnswer,
)
from friendlygov.surveys import definitions, periods, selectors, services
from friendlygov.surveys.computed import compute
from friendlygov.surveys.models import Answer, Questionnaire, Response
from friendlygov.tallies import services as tallies
from tests.factories import World

ZONE = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=ZONE)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def make_response(
    unit: Unit,
    questionnaire: Questionnaire,
    answers: dict[str, int],
    when: dt.datetime,
    status: str = Response.Status.ACCEPTED,
) -> Response:
    response = Response.objects.create(
        unit=unit,
        questionnaire=questionnaire,
        questionnaire_version=questionnaire.current_version(),
        channel=Response.Channel.PAPER,
        submitted_at=when,
        status=status,
    )
    Answer.objects.bulk_create(
        Answer(response=response, item=item, value=value) for item, value in answers.items()
    )
    if status == Response.Status.ACCEPTED:  # what the services do when they store an answer
        tallies.count_response(response=response, sign=1)
    return response


def random_answers(rng: random.Random, items: list[str]) -> dict[str, int]:
    answers = {}
    for item in items:
        roll = rng.random()
        if roll < 0.1:
            continue  # not asked / left out
        answers[item] = 0 if roll < 0.15 else rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 2, 5, 5])[0]
    return answers


def seed(world: World, sipas: Questionnaire, count: int = 45) -> list[PureAnswer]:
    """Accepted answers of 2026 (returned as the pure module's answers) and noise that must not count."""
    rng = random.Random(11)
    items = definitions.item_codes(sipas.current_version().definition)
    pure: list[PureAnswer] = []
    for n in range(count):
        answers = random_answers(rng, items)
        if n == 0:
            answers = dict.fromkeys(items[:3], 0)  # a respondent with no valid answer still counts
        when = dt.datetime(2026, 1, 1, 8, tzinfo=ZONE) + dt.timedelta(
            days=rng.randint(0, 160), hours=rng.randint(0, 9)
        )
        make_response(world.unit, sipas, answers, when)
        pure += [PureAnswer(f"r{n}", item, value or None) for item, value in answers.items()]
    # Not counted: flagged, rejected, last year, another unit.
    make_response(
        world.unit, sipas, dict.fromkeys(items, 1), NOW - dt.timedelta(days=1), Response.Status.FLAGGED
    )
    make_response(
        world.unit, sipas, dict.fromkeys(items, 1), NOW - dt.timedelta(days=1), Response.Status.REJECTED
    )
    make_response(world.unit, sipas, dict.fromkeys(items, 1), dt.datetime(2025, 12, 31, 23, 0, tzinfo=ZONE))
    make_response(world.other, sipas, dict.fromkeys(items, 1), NOW - dt.timedelta(days=1))
    return pure


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="friendlygov")
    subparsers = parser.add_subparsers(dest="command")
    sipas_command.register(subparsers)
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_figures_equal_the_pure_computation_and_the_command_line(
    world: World, sipas: Questionnaire, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pure = seed(world, sipas)
    figures = selectors.unit_figures(unit=world.unit, questionnaire=sipas, period=periods.year(2026))
    expected = compute_indices(pure, DEFAULT_QUESTIONNAIRE)
    assert result_to_json(figures.result) == result_to_json(expected)
    assert figures.respondents == 45 and figures.flagged == 1

    # The same answers as a CSV, through `friendlygov sipas` with the exported questionnaire.
    csv_path = tmp_path / "answers.csv"
    lines = ["respondent,item,answer"] + [f"{a.respondent},{a.item},{a.answer or ''}" for a in pure]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    yaml_path = tmp_path / "q.yaml"
    yaml_path.write_text(
        definitions.definition_to_yaml(sipas.current_version().definition, include_questions=False),
        encoding="utf-8",
    )
    capsys.readouterr()
    code = run_cli(
        ["sipas", "--responses", str(csv_path), "--questionnaire", str(yaml_path), "--format", "json"]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out) == result_to_json(figures.result)


def test_weights_come_from_the_version(world: World, sipas: Questionnaire) -> None:
    pure = seed(world, sipas, count=12)
    own = services.copy_questionnaire(actor=world.coordinator, source=sipas, unit=world.unit)
    definition = own.current_version().definition
    definition["elements"][0]["weight"] = "3"
    services.save_definition(
        actor=world.coordinator, questionnaire=own, expected_version=own.version, definition=definition
    )
    Response.objects.filter(unit=world.unit, questionnaire=sipas).update(questionnaire=own)
    Response.objects.filter(unit=world.unit, questionnaire=own).update(
        questionnaire_version=own.current_version()
    )
    tallies.rebuild()  # moved by bulk updates, which no service does: the kept figures counted again
    figures = selectors.unit_figures(unit=world.unit, questionnaire=own, period=periods.year(2026))
    expected = compute_indices(pure, definitions.to_rules(own.current_version().definition))
    assert figures.result.overall == expected.overall
    unweighted = compute_indices(pure, DEFAULT_QUESTIONNAIRE)
    assert figures.result.overall != unweighted.overall


def test_queries_do_not_grow_with_answers(world: World, sipas: Questionnaire) -> None:
    seed(world, sipas, count=5)
    with CaptureQueriesContext(connection) as few:
        selectors.unit_figures(unit=world.unit, questionnaire=sipas, period=periods.year(2026))
    seed(world, sipas, count=40)
    with CaptureQueriesContext(connection) as many:
        selectors.unit_figures(unit=world.unit, questionnaire=sipas, period=periods.year(2026))
    assert len(many.captured_queries) == len(few.captured_queries) <= 8


def test_periods_follow_local_time(world: World, sipas: Questionnaire) -> None:
    items = definitions.item_codes(sipas.current_version().definition)
    make_response(world.unit, sipas, dict.fromkeys(items, 5), dt.datetime(2025, 12, 31, 23, 30, tzinfo=ZONE))
    make_response(world.unit, sipas, dict.fromkeys(items, 1), dt.datetime(2026, 1, 1, 0, 10, tzinfo=ZONE))
    y2025 = selectors.unit_figures(unit=world.unit, questionnaire=sipas, period=periods.year(2025))
    y2026 = selectors.unit_figures(unit=world.unit, questionnaire=sipas, period=periods.year(2026))
    assert (y2025.respondents, y2025.result.overall) == (1, Decimal("100.00"))
    assert (y2026.respondents, y2026.result.overall) == (1, Decimal("0.00"))
    january = selectors.unit_figures(unit=world.unit, questionnaire=sipas, period=periods.month(2026, 1))
    assert january.respondents == 1


def test_trend_points_equal_the_figures_of_each_period(world: World, sipas: Questionnaire) -> None:
    seed(world, sipas, count=30)
    buckets = periods.trend_periods(periods.quarter(2026, 2))
    assert [b.key for b in buckets][-2:] == ["2026-Q1", "2026-Q2"] and len(buckets) == 8
    points = selectors.trend(unit=world.unit, questionnaire=sipas, buckets=buckets)
    for point in points:
        alone = selectors.unit_figures(unit=world.unit, questionnaire=sipas, period=point.period)
        assert (point.respondents, point.overall) == (alone.respondents, alone.result.overall)
    assert sum(p.respondents for p in points) == 31  # the 30 of 2026 and the one of 31/12/2025


def test_trend_from_the_kept_figures_equals_the_answers_counted(world: World, sipas: Questionnaire) -> None:
    """A trend of whole months or quarters reads the kept figures; a trend whose periods cut a month counts
    the answers: both give each period's figures as the answers counted alone do."""
    seed(world, sipas, count=30)
    whole = periods.trend_periods(periods.quarter(2026, 2))
    cut = [
        periods.custom(dt.date(2026, 1, 5), dt.date(2026, 3, 20)),
        periods.custom(dt.date(2026, 3, 21), dt.date(2026, 6, 30)),
    ]
    for buckets in (whole, cut):
        for point in selectors.trend(unit=world.unit, questionnaire=sipas, buckets=buckets):
            counts, people = selectors.accepted_counts(
                questionnaire=sipas, period=point.period, unit=world.unit
            )
            alone, _dropped = compute(
                counts.get(world.unit.pk, {}), people.get(world.unit.pk, 0), sipas.current_version()
            )
            assert (point.respondents, point.overall) == (people.get(world.unit.pk, 0), alone.overall)


def test_city_comparison_matches_each_unit(world: World, sipas: Questionnaire) -> None:
    seed(world, sipas, count=20)
    rows = selectors.city_comparison(city=world.city, questionnaire=sipas, period=periods.year(2026))
    assert [r.unit.slug for r in rows] == ["gia-loc", "thanh-mien"]
    for row in rows:
        alone = selectors.unit_figures(unit=row.unit, questionnaire=sipas, period=periods.year(2026))
        assert (row.respondents, row.overall) == (alone.respondents, alone.result.overall)
    year = periods.year(2026)
    services.set_dossier_count(
        actor=world.coordinator, unit=world.unit, start=year.start, end=year.end, transactions=4000
    )
    rows = selectors.city_comparison(city=world.city, questionnaire=sipas, period=year)
    assert [(r.unit.slug, r.needed) for r in rows] == [("gia-loc", None), ("thanh-mien", 364)]


def test_sipas_figure_for_criteria(world: World, sipas: Questionnaire) -> None:
    assert selectors.sipas_figure(unit=world.unit, year=2026) is None
    pure = seed(world, sipas, count=10)
    figure = selectors.sipas_figure(unit=world.unit, year=2026)
    assert figure is not None
    assert figure.percent == compute_indices(pure, DEFAULT_QUESTIONNAIRE).overall
    assert figure.label == "Khảo sát SIPAS năm 2026 (10 phiếu)"
    assert figure.as_of == dt.date(2026, 6, 15)
    assert figure.as_score_value().endswith("%")
    assert selectors.sipas_figure(unit=world.other, year=2025) is None


def test_sipas_figures_of_many_units_equal_each_unit(world: World, sipas: Questionnaire) -> None:
    """The city table's batch read gives what each unit's own read gives, whichever questionnaire a unit
    used most (here Gia Lộc answers mostly on its own copy)."""
    seed(world, sipas, count=10)
    lone = Unit.objects.create(kind=Unit.Kind.WARD, name="Phường Thử", slug="phuong-thu", parent=world.city)
    units = [world.unit, world.other, lone]
    # One questionnaire for every unit: chosen without grouping the year's responses.
    with CaptureQueriesContext(connection) as queries:
        batch = selectors.sipas_figures(units=units, year=2026)
    assert batch == {unit.pk: selectors.sipas_figure(unit=unit, year=2026) for unit in units}
    assert batch[world.unit.pk] is not None and batch[lone.pk] is None
    grouping = '"questionnaire_id", SUM("tallies_surveytally"."count") AS "n"'  # the query choosing one
    assert not any(grouping in q["sql"] for q in queries.captured_queries)
    own = services.copy_questionnaire(actor=world.outsider, source=sipas, unit=world.other)
    items = definitions.item_codes(own.current_version().definition)
    for n in range(3):
        make_response(world.other, own, dict.fromkeys(items, 3 + n % 3), NOW - dt.timedelta(days=n + 1))
    make_response(world.other, sipas, dict.fromkeys(items, 5), NOW - dt.timedelta(days=1))
    for year in (2025, 2026):
        with CaptureQueriesContext(connection) as queries:
            batch = selectors.sipas_figures(units=units, year=year)
        assert any(grouping in q["sql"] for q in queries.captured_queries)  # two to choose from now
        assert batch == {unit.pk: selectors.sipas_figure(unit=unit, year=year) for unit in units}
    assert batch[world.other.pk] is not None and "3 phiếu" in batch[world.other.pk].label
    assert batch[lone.pk] is None and selectors.sipas_figures(units=[], year=2026) == {}


def test_public_figures_hold_only_aggregates(world: World, sipas: Questionnaire) -> None:
    seed(world, sipas, count=10)
    figures = selectors.public_figures(unit=world.unit)
    assert [f.year for f in figures] == [2026, 2025]
    assert figures[0].respondents == 10
    assert [code for code, _name, _index in figures[0].elements] == ["TC", "TT", "CC", "KQ", "PA"]


def test_sample_size_from_manual_counts(world: World, sipas: Questionnaire) -> None:
    period = periods.year(2026)
    assert selectors.unit_figures(unit=world.unit, questionnaire=sipas, period=period).needed is None
    services.set_dossier_count(
        actor=world.coordinator, unit=world.unit, start=period.start, end=period.end, transactions=4000
    )
    figures = selectors.unit_figures(unit=world.unit, questionnaire=sipas, period=period)
    assert (figures.transactions, figures.needed) == (4000, 364) == (4000, sample_size(4000))
    # Monthly figures add up for a quarter when they cover it.
    for m, n in ((1, 100), (2, 200)):
        month = periods.month(2026, m)
        services.set_dossier_count(
            actor=world.coordinator, unit=world.unit, start=month.start, end=month.end, transactions=n
        )
    q1 = periods.quarter(2026, 1)
    assert selectors.dossier_transactions(world.unit, q1) == (None, "")
    march = periods.month(2026, 3)
    services.set_dossier_count(
        actor=world.coordinator, unit=world.unit, start=march.start, end=march.end, transactions=300
    )
    assert selectors.dossier_transactions(world.unit, q1) == (600, "tổng các kỳ nhập tay")


def test_sample_size_from_the_dossier_system(
    world: World, sipas: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    from friendlygov.dossiers import selectors as dossier_selectors

    calls: list[tuple[Any, dt.date, dt.date]] = []

    def dossier_count(*, unit: Unit, start: dt.date, end: dt.date) -> int | None:
        calls.append((unit, start, end))
        return 1200

    monkeypatch.setattr(dossier_selectors, "dossier_count", dossier_count)
    figures = selectors.unit_figures(unit=world.unit, questionnaire=sipas, period=periods.quarter(2026, 2))
    assert (figures.transactions, figures.transactions_source) == (1200, "hệ thống hồ sơ TTHC")
    assert figures.needed == sample_size(1200)
    assert calls == [(world.unit, dt.date(2026, 4, 1), dt.date(2026, 6, 30))]
    # A figure entered by hand for exactly this period wins.
    services.set_dossier_count(
        actor=world.coordinator,
        unit=world.unit,
        start=dt.date(2026, 4, 1),
        end=dt.date(2026, 6, 30),
        transactions=50,
    )
    assert selectors.dossier_transactions(world.unit, periods.quarter(2026, 2))[0] == 50


def test_no_dossiers_imported_means_no_count(world: World) -> None:
    assert selectors.dossier_transactions(world.unit, periods.year(2026)) == (None, "")


def test_a_broken_dossier_count_is_an_error(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from friendlygov.dossiers import selectors as dossier_selectors

    def broken(**kwargs: Any) -> int | None:
        raise RuntimeError("renamed column")

    monkeypatch.setattr(dossier_selectors, "dossier_count", broken)
    with pytest.raises(RuntimeError, match="renamed column"):
        selectors.dossier_transactions(world.unit, periods.year(2026))


def test_now_is_frozen() -> None:
    assert timezone.localdate() == dt.date(2026, 6, 15)


def test_figures_from_counts_are_kept_only_for_frozen_versions(world: World, sipas: Questionnaire) -> None:
    version = sipas.current_version()
    version.frozen_at = None
    counts = {"TC.1": {5: 3, 2: 1}, "TT.1": {4: 2}}
    draft, _dropped = selectors.compute(counts, 4, version)
    # A draft may still be edited: a new weight shows at once.
    edited = json.loads(json.dumps(version.definition))
    edited["elements"][0]["weight"] = "3"
    version.definition = edited
    assert selectors.compute(counts, 4, version)[0].overall != draft.overall
    # Frozen: the same counts give the very same result object (no recomputation) …
    version.frozen_at = NOW
    kept = selectors.compute(counts, 4, version)
    assert selectors.compute({k: dict(v) for k, v in counts.items()}, 4, version) is kept
    # … and any change of the counts, the respondents or the version gives fresh figures.
    assert selectors.compute({"TC.1": {5: 4, 2: 1}, "TT.1": {4: 2}}, 5, version)[0].overall != kept[0].overall
    assert selectors.compute(counts, 5, version) is not kept
    version.frozen_at = NOW + dt.timedelta(seconds=1)
    assert selectors.compute(counts, 4, version) is not kept


def test_the_overall_alone_follows_the_full_figures(world: World, sipas: Questionnaire) -> None:
    """What the measured criterion reads (``computed.overall_index``) is the full figures' overall: for a draft
    (never kept, a new weight shows at once), for a frozen version (kept by counts and version), and taken
    from the full figures when the page computed them first."""
    from friendlygov.surveys import computed

    version = sipas.current_version()
    version.frozen_at = None
    counts = {"TC.1": {5: 3, 2: 1}, "TT.1": {4: 2}}
    assert computed.overall_index(counts, 4, version) == computed.compute(counts, 4, version)[0].overall
    edited = json.loads(json.dumps(version.definition))
    edited["elements"][0]["weight"] = "3"
    version.definition = edited
    assert computed.overall_index(counts, 4, version) == computed.compute(counts, 4, version)[0].overall
    version.frozen_at = NOW
    computed.clear_computed()
    alone = computed.overall_index(counts, 4, version)
    assert alone is not None and not computed._COMPUTED  # computed without the full figures
    assert alone == computed.compute(counts, 4, version)[0].overall
    other = {"TC.1": {5: 1, 2: 3}, "TT.1": {4: 2}}
    assert (
        computed.overall_index(other, 4, version) == computed.compute(other, 4, version)[0].overall != alone
    )
    computed.clear_computed()
    assert not computed._OVERALLS
