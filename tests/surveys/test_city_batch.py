"""The city comparison reads the sample sizes of all units at once and the kept figures of the answers."""

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
def test_city_panel_shows_new_answers_at_once(world: World, sipas: Questionnaire) -> None:
    """The panel reads the kept figures (no answer row): new answers show on the next visit."""
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
    seed(world, sipas, count=3)
    assert "10 phiếu" in html()


def test_city_counts_are_never_stale(world: World, sipas: Questionnaire) -> None:
    """The city's counts are the kept figures: a new answer or a review shows at once."""
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
    assert not [q for q in queries if "surveys_answer" in q["sql"]]  # from the kept figures
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


def definitions_items(questionnaire: Questionnaire) -> list[str]:
    from friendlygov.surveys import definitions

    return definitions.item_codes(questionnaire.current_version().definition)
