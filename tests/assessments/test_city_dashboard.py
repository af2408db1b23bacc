"""The city dashboard (issue 19): who sees it, what it counts, and a number of queries that does not grow
with the number of units."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from friendlygov.assessments import dashboard, selectors, services
from friendlygov.assessments.models import CriteriaSetVersion, Cycle, LiveStanding, Registration
from friendlygov.kit.params import choice_param
from friendlygov.org.models import Role, Unit
from friendlygov.rules.sipas import wilson_interval
from friendlygov.surveys import selectors as survey_selectors
from friendlygov.surveys.models import Questionnaire
from tests.assessments.conftest import TINY, YEAR, fresh, score_everything
from tests.factories import World, make_user
from tests.surveys.test_figures import make_response

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
URL = "/thanh-pho/hai-phong/toan-canh/"
API = "/api/assessments/cities/hai-phong/dashboard"


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _no_sources_set(world: World) -> CriteriaSetVersion:
    """TINY without ``source:`` criteria (open cycles would read the live sources; not this test's subject)."""
    data: dict[str, Any] = copy.deepcopy(TINY)
    data["code"] = "T-NS"
    for group in data["criteria"]:
        for child in group.get("children", []):
            child.pop("source", None)
    return services.add_criteria_set(actor=world.reviewer, city=world.city, data=data, origin="yaml")


def _open(world: World, unit: Unit, criteria_set: CriteriaSetVersion, level: str | None = None) -> Cycle:
    cycle = services.open_cycle(actor=world.reviewer, unit=unit, year=YEAR, criteria_set=criteria_set)
    if level is not None:
        leader = make_user(f"leader-{unit.slug}", Role.UNIT_LEADER, unit)
        services.register_target(actor=leader, cycle=cycle, target_level=level)
    return cycle


def _add_units(world: World, criteria_set: CriteriaSetVersion, count: int, start: int) -> None:
    sipas = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    items = [
        item["code"]
        for element in sipas.current_version().definition["elements"]
        for item in element["items"]
    ]
    for i in range(start, start + count):
        kind = (Unit.Kind.COMMUNE, Unit.Kind.WARD, Unit.Kind.SPECIAL_ZONE)[i % 3]
        unit = Unit.objects.create(kind=kind, name=f"Thử {i:02d}", slug=f"thu-{i:02d}", parent=world.city)
        _open(world, unit, criteria_set, level=("1", "2", "3")[i % 3])
        for n in range(2):
            make_response(unit, sipas, dict.fromkeys(items, 4 + n), NOW - dt.timedelta(days=3 + n))


def _count(world: World, **filters: Any) -> tuple[int, dashboard.Dashboard]:
    cache.clear()  # the SIPAS counts are cached between changes: each count starts cold
    survey_selectors.clear_computed()
    with CaptureQueriesContext(connection) as queries:
        board = dashboard.city_dashboard(world.city, YEAR, **filters)
    return len(queries), board


def test_dashboard_queries_do_not_grow_with_units(world: World) -> None:
    criteria_set = _no_sources_set(world)
    _add_units(world, criteria_set, 3, start=1)
    few, board = _count(world)
    assert len(board.lines) == 5 and sum(1 for u in board.lines if u.sipas) == 3
    _add_units(world, criteria_set, 5, start=4)
    many, board = _count(world)
    assert len(board.lines) == 10 and sum(1 for u in board.lines if u.sipas) == 8
    assert many == few


def test_funnel_levels_and_filters(world: World) -> None:
    criteria_set = _no_sources_set(world)
    _add_units(world, criteria_set, 6, start=1)  # kinds ward, special zone, commune…; levels 2, 3, 1…
    _open(world, world.unit, criteria_set)  # Thanh Miện opened, not registered; Gia Lộc not opened
    board = dashboard.city_dashboard(world.city, YEAR)
    assert [(key, count) for key, _label, count in board.funnel] == [
        ("units", 8),
        ("registered", 6),
        ("scoring", 0),
        ("submitted", 0),
        ("appraised", 0),
        ("recognised", 0),
    ]
    registered = {c.code: c.registered for c in board.level_counts}
    assert registered == {"1": 2, "2": 2, "3": 2, None: 2}
    assert sum(c.reached for c in board.level_counts) == 8
    assert [lv.code for lv in board.levels] == ["1", "2", "3"] and board.maximum == Decimal(22)

    wards = dashboard.city_dashboard(world.city, YEAR, kind=Unit.Kind.WARD)
    assert {u.unit.kind for u in wards.lines} == {Unit.Kind.WARD} and len(wards.lines) == 2
    assert wards.all_units == 8 and wards.funnel[0][2] == 2
    level_two = dashboard.city_dashboard(world.city, YEAR, level="2")
    assert {u.registered_code for u in level_two.lines} == {"2"} and level_two.level == "2"
    ignored = dashboard.city_dashboard(world.city, YEAR, kind="city", level="9")
    assert (ignored.kind, ignored.level, len(ignored.lines)) == (None, None, 8)


def test_each_units_total_and_level_are_its_current_standing(world: World, scoring: Cycle) -> None:
    """The ranked chart shows what ``current_standing`` states, open, submitted and appraised."""
    cycle = score_everything(world, scoring)

    def check() -> None:
        line = {u.unit.slug: u for u in dashboard.city_dashboard(world.city, YEAR).lines}["thanh-mien"]
        standing = selectors.current_standing(fresh(cycle))
        assert (line.total, line.level_code) == (standing.total, standing.level_code)

    check()
    cycle = services.submit_cycle(actor=world.leader, cycle=cycle, acknowledge_issues=True)
    check()
    services.appraise_criterion(
        actor=world.reviewer, cycle=cycle, criterion_code="1.1", accept=False, value="2", reason="Thiếu"
    )
    cycle = services.finish_appraisal(actor=world.reviewer, cycle=fresh(cycle))
    check()
    line = {u.unit.slug: u for u in dashboard.city_dashboard(world.city, YEAR).lines}["thanh-mien"]
    assert dashboard.STAGES[line.stage - 1] == "appraised"


def test_late_units(world: World, scoring: Cycle) -> None:
    services.update_deadlines(
        actor=world.reviewer,
        cycle=scoring,
        registration_deadline=dt.date(2026, 1, 31),
        submission_deadline=dt.date(2026, 6, 1),
        appraisal_deadline=dt.date(2026, 7, 1),
    )
    board = dashboard.city_dashboard(world.city, YEAR)
    assert [u.unit.slug for u in board.late_submission] == ["thanh-mien"]
    rows = {r.unit.slug: r for r in selectors.city_overview(world.city, YEAR)}
    assert [u.unit.slug for u in board.late_registration] == [
        slug for slug, r in rows.items() if r.registration_late
    ]


def test_sipas_interval_is_wilsons_on_the_respondents() -> None:
    assert dashboard.sipas_interval(Decimal("80"), 0) is None
    assert dashboard.sipas_interval(Decimal("80"), 100) == wilson_interval(80, 100)
    assert dashboard.sipas_interval(Decimal("87.73"), 9) == wilson_interval(8, 9)  # 7.9 satisfied of 9
    low, high = dashboard.sipas_interval(Decimal("80"), 100) or (Decimal(0), Decimal(0))
    assert low < Decimal(80) < high


def test_page_permissions(world: World, client_for: Any) -> None:
    assert client_for(world.reviewer).get(URL).status_code == 200
    assert client_for(world.coordinator).get(URL).status_code == 404  # a commune's user
    assert client_for(world.leader).get(API, {"year": YEAR}).status_code == 404
    other_city = Unit.objects.create(kind=Unit.Kind.CITY, name="Hà Nội", slug="ha-noi")
    stranger = make_user("reviewer-ha-noi", Role.CITY_REVIEWER, other_city)
    assert client_for(stranger).get(URL).status_code == 404
    assert client_for(stranger).get(API, {"year": YEAR}).status_code == 404
    assert client_for(world.reviewer).get("/thanh-pho/thanh-mien/toan-canh/").status_code == 404


def test_page_shows_charts_with_tables_and_ignores_bad_filters(world: World, client_for: Any) -> None:
    criteria_set = _no_sources_set(world)
    _add_units(world, criteria_set, 3, start=1)
    client = client_for(world.reviewer)
    page = client.get(URL, {"nam": "-1", "loai": "<script>", "muc": "x" * 500})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<svg class="chart"') == 5 and html.count('role="img"') >= 5
    assert html.count("<caption>") == 5 and "<script>" not in html.split("</header>")[-1]
    assert "Toàn cảnh" in html and "Phường Thử 01" in html
    assert client.get(URL, {"loai": "ward"}).context["board"].kind == "ward"


def test_api_returns_the_selectors_figures(world: World, client_for: Any) -> None:
    criteria_set = _no_sources_set(world)
    _add_units(world, criteria_set, 3, start=1)
    data = client_for(world.reviewer).get(API, {"year": YEAR, "kind": "ward"}).json()
    board = dashboard.city_dashboard(world.city, YEAR, kind="ward")
    assert data["kind"] == "ward" and data["all_units"] == board.all_units
    assert [s["units"] for s in data["funnel"]] == [count for _k, _l, count in board.funnel]
    assert [u["slug"] for u in data["units"]] == [u.unit.slug for u in board.ranked]
    first = data["units"][0]
    assert (
        first["sipas"]["respondents"] == 2 and Decimal(first["sipas"]["index"]) == board.ranked[0].sipas.index
    )  # type: ignore[union-attr]
    assert client_for(world.reviewer).get(API, {"year": 1}).status_code == 422


def test_registration_accepted_counts_as_registered(world: World, scoring: Cycle) -> None:
    assert Registration.objects.filter(cycle=scoring).exists()
    line = {u.unit.slug: u for u in dashboard.city_dashboard(world.city, YEAR).lines}["thanh-mien"]
    assert line.registered_code == "3" and line.stage == 2  # assigned and scoring


def test_page_queries_do_not_grow_with_units(world: World, client_for: Any) -> None:
    criteria_set = _no_sources_set(world)
    client = client_for(world.reviewer)
    _add_units(world, criteria_set, 3, start=1)

    def count() -> int:
        cache.clear()
        survey_selectors.clear_computed()
        LiveStanding.objects.all().delete()  # every open cycle scored again: the worst case
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"nam": YEAR}).status_code == 200
        return len(queries)

    count()  # the session's first request loads more (login bookkeeping)
    few = count()
    _add_units(world, criteria_set, 5, start=4)
    assert count() == few


def test_choice_param_is_strict() -> None:
    assert choice_param(" ward ", dashboard.UNIT_KINDS) == "ward"
    assert choice_param("Ward", dashboard.UNIT_KINDS) is None
    assert choice_param(["ward"], dashboard.UNIT_KINDS) is None
    assert choice_param("city", dashboard.UNIT_KINDS) is None
