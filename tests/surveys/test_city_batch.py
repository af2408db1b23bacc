"""The city comparison reads the sample sizes of all units at once; the city home panel is cached."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from friendlygov.dossiers.models import Dossier
from friendlygov.org.models import Unit
from friendlygov.surveys import periods, selectors, services
from friendlygov.surveys.models import Questionnaire
from tests.dossiers.test_figures import aware, make
from tests.factories import World
from tests.surveys.test_figures import NOW, seed

pytestmark = pytest.mark.django_db


def _units(world: World) -> list[Unit]:
    return [world.other, world.unit]


def test_sample_sizes_of_all_units_match_each_unit(world: World, sipas: Questionnaire) -> None:
    year, q1 = periods.year(2026), periods.quarter(2026, 1)
    for period in (year, q1):
        assert selectors.dossier_transactions_of(_units(world), period) == {
            u.pk: selectors.dossier_transactions(u, period) for u in _units(world)
        }
    # Entered by hand: exactly the period for one unit, months covering the quarter for the other.
    services.set_dossier_count(
        actor=world.coordinator, unit=world.unit, start=year.start, end=year.end, transactions=4000
    )
    for m, n in ((1, 100), (2, 200), (3, 300)):
        month = periods.month(2026, m)
        services.set_dossier_count(
            actor=world.outsider, unit=world.other, start=month.start, end=month.end, transactions=n
        )
    # The dossier system: the other unit has dossiers (1 in Q1 2026).
    Dossier.objects.bulk_create([make(world, "C-1", aware(2026, 2, 3, 9, 0), None, None, unit=world.other)])
    expected = {
        year: {world.unit.pk: (4000, "nhập tay"), world.other.pk: (1, "hệ thống hồ sơ TTHC")},
        q1: {world.unit.pk: (None, ""), world.other.pk: (1, "hệ thống hồ sơ TTHC")},
        periods.quarter(2025, 1): {world.unit.pk: (None, ""), world.other.pk: (0, "hệ thống hồ sơ TTHC")},
    }
    for period, values in expected.items():
        batch = selectors.dossier_transactions_of(_units(world), period)
        assert batch == values == {u.pk: selectors.dossier_transactions(u, period) for u in _units(world)}
    Dossier.objects.all().delete()
    assert selectors.dossier_transactions_of(_units(world), q1)[world.other.pk] == (
        600,
        "tổng các kỳ nhập tay",
    )


def test_city_comparison_queries_do_not_grow_with_units(world: World, sipas: Questionnaire) -> None:
    seed(world, sipas, count=5)
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.city_comparison(city=world.city, questionnaire=sipas, period=periods.year(2026))
    assert len(rows) == 2 and len(queries) <= 8


@time_machine.travel(NOW, tick=False)
def test_city_panel_is_cached_for_a_while(world: World, sipas: Questionnaire) -> None:
    cache.clear()
    seed(world, sipas, count=5)
    request = RequestFactory().get("/")
    request.user = world.reviewer

    def html() -> str:
        panel = selectors.city_panel(request, world.city)
        assert panel is not None
        return render_to_string(panel.template, {"p": panel.context})

    first = html()
    assert "2/2 đơn vị có số liệu" in first and "6 phiếu" in first and world.unit.name in first
    with CaptureQueriesContext(connection) as queries:
        assert html() == first
    assert not [q for q in queries if "surveys_answer" in q["sql"]]
    seed(world, sipas, count=3)  # more answers: shown once the cached figures expire
    assert html() == first
    with time_machine.travel(NOW + dt.timedelta(seconds=selectors.CITY_PANEL_SECONDS + 1), tick=False):
        assert "10 phiếu" in html()


def test_city_counts_are_cached_but_never_stale(world: World, sipas: Questionnaire) -> None:
    """The city-wide aggregate runs again only after a change: a new answer or a review shows at once."""
    from friendlygov.surveys.models import Response
    from tests.surveys.test_figures import make_response

    cache.clear()
    year = periods.year(2026)
    seed(world, sipas, count=5)

    def respondents() -> dict[str, int]:
        rows = selectors.city_comparison(
            city=world.city, questionnaire=sipas, period=year, with_samples=False
        )
        return {row.unit.slug: row.respondents for row in rows}

    first = respondents()
    with CaptureQueriesContext(connection) as queries:
        assert respondents() == first
    assert not [q for q in queries if "surveys_answer" in q["sql"]]  # from the cache
    item = sipas.current_version().definition["elements"][0]["items"][0]["code"]
    make_response(world.unit, sipas, {item: 5}, NOW - dt.timedelta(days=1))
    assert respondents()[world.unit.slug] == first[world.unit.slug] + 1
    flagged = make_response(world.unit, sipas, {item: 4}, NOW - dt.timedelta(days=1), Response.Status.FLAGGED)
    assert respondents()[world.unit.slug] == first[world.unit.slug] + 1  # a flagged answer does not count
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        services.review_response(actor=world.coordinator, response=flagged, decision="accept")
        assert respondents()[world.unit.slug] == first[world.unit.slug] + 2
    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
        services.review_response(actor=world.coordinator, response=flagged, decision="reject")
        assert respondents()[world.unit.slug] == first[world.unit.slug] + 1


def test_new_answers_are_added_to_the_cached_counts(world: World, sipas: Questionnaire) -> None:
    """A new answer costs a small query (the responses above the cached newest id), and the sum equals
    counting everything again; a response the newest id cannot account for makes it count everything."""
    from tests.surveys.test_figures import make_response

    cache.clear()
    year = periods.year(2026)
    seed(world, sipas, count=5)
    selectors.city_accepted_counts(questionnaire=sipas, period=year, city=world.city)
    items = definitions_items(sipas)
    for n in range(3):
        make_response(world.other, sipas, dict.fromkeys(items, 2 + n), NOW - dt.timedelta(days=2))
        with CaptureQueriesContext(connection) as queries:
            cached = selectors.city_accepted_counts(questionnaire=sipas, period=year, city=world.city)
        assert [q for q in queries if "surveys_answer" in q["sql"] and '"id" >' in q["sql"]]  # the delta
        assert cached == selectors.accepted_counts(questionnaire=sipas, period=year, city=world.city)
    key = f"surveys:city-counts:{world.city.pk}:{sipas.pk}:{year.key}"
    entry = cache.get(key)
    cache.set(key, {**entry, "newest": entry["newest"] + 1000, "n": entry["n"] - 1})  # a late commit
    make_response(world.unit, sipas, dict.fromkeys(items, 5), NOW - dt.timedelta(days=2))
    with CaptureQueriesContext(connection) as queries:
        counted = selectors.city_accepted_counts(questionnaire=sipas, period=year, city=world.city)
    assert not [q for q in queries if '"id" >' in q["sql"] and "surveys_answer" in q["sql"]]  # all again
    assert counted == selectors.accepted_counts(questionnaire=sipas, period=year, city=world.city)


def definitions_items(questionnaire: Questionnaire) -> list[str]:
    from friendlygov.surveys import definitions

    return definitions.item_codes(questionnaire.current_version().definition)


def test_an_answer_arriving_during_the_count_is_counted_once(
    world: World, sipas: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer committed between the fingerprint and the aggregate is left to the next delta (the count
    stops at the fingerprint's newest id), so it is not counted twice."""
    from tests.surveys.test_figures import make_response

    cache.clear()
    year = periods.year(2026)
    seed(world, sipas, count=5)
    items = definitions_items(sipas)
    real = selectors.accepted_counts
    arrived: list[bool] = []

    def count_while_an_answer_arrives(**kwargs: object) -> object:
        if not arrived:
            arrived.append(True)
            make_response(world.unit, sipas, dict.fromkeys(items, 5), NOW - dt.timedelta(days=1))
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(selectors, "accepted_counts", count_while_an_answer_arrives)
    selectors.city_accepted_counts(questionnaire=sipas, period=year, city=world.city)
    monkeypatch.setattr(selectors, "accepted_counts", real)
    counted = selectors.city_accepted_counts(questionnaire=sipas, period=year, city=world.city)
    assert counted == real(questionnaire=sipas, period=year, city=world.city)
