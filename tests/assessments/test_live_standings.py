"""The city's table keeps each open cycle's standing (``assessments.LiveStanding``) and reads it back while
nothing it was computed from has changed: every kind of change — in any area, by staff or by a citizen, by
an administrator — renews a change stamp in its own transaction, and the next read scores the cycle again;
so does the time (midnight, a pending dossier's deadline) and another version of the code. After each
change the table equals a table scored from nothing."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from friendlygov.assessments import selectors, services
from friendlygov.assessments.models import Cycle, LiveStanding
from friendlygov.assessments.selectors import standings
from friendlygov.cli import main as cli_main
from friendlygov.core.calendar import calendar_changed
from friendlygov.core.models import WorkingDaySwap
from friendlygov.dossiers import selectors as dossier_selectors
from friendlygov.dossiers.models import Dossier
from friendlygov.operations import services as operation_services
from friendlygov.operations.models import CommunicationKind
from friendlygov.surveys import definitions
from friendlygov.surveys.models import Answer, Questionnaire, Response
from friendlygov.tallies import services as tallies
from tests.assessments.test_measured import (
    NOW,
    YEAR,
    _activity,
    _review,
    _review_items,
    hp,
    import_dossiers,
    par_index,
)
from tests.factories import World
from tests.feedback.conftest import submit as submit_feedback

__all__ = ["hp"]  # the fixture, shared with test_measured

ZONE = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    cache.clear()
    with time_machine.travel(NOW, tick=False):  # 09:00 on 20/11/2026 in Hải Phòng
        yield
    cache.clear()


Standing = tuple[Any, dict[str, Any]]


def shown(world: World) -> Standing:
    """Thanh Miện's row of the city's table: its completeness and totals."""
    row = next(r for r in selectors.city_overview(world.city, YEAR) if r.unit.pk == world.unit.pk)
    return row.completeness, row.totals


def scored_from_nothing(world: World) -> Standing:
    LiveStanding.objects.all().delete()
    return shown(world)


def kept(cycle: Cycle) -> LiveStanding:
    return LiveStanding.objects.get(cycle=cycle)


def _survey_answer(world: World) -> None:
    """A citizen's accepted answer, counted as the public form counts it (no audit event of its own)."""
    sipas = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    version = sipas.current_version()
    response = Response.objects.create(
        unit=world.unit,
        questionnaire=sipas,
        questionnaire_version=version,
        channel=Response.Channel.ONLINE,
        submitted_at=NOW - dt.timedelta(days=1),
        status=Response.Status.ACCEPTED,
    )
    answers = [(item, 4) for item in definitions.item_codes(version.definition)]
    Answer.objects.bulk_create(Answer(response=response, item=item, value=value) for item, value in answers)
    tallies.count_response(response=response, sign=1, answers=answers)


def _reviews(world: World) -> None:
    _review_items(world)
    _review(world, "TN", [True, True])


def _typed_score(world: World) -> None:
    services.save_score(
        actor=world.member,
        cycle=Cycle.objects.get(unit=world.unit, year=YEAR),
        criterion_code="1.1.4",
        value="có",
        explanation="Đã niêm yết đầy đủ.",
    )


def _calendar(world: World) -> None:
    # the administrator's page saves the swap and tells the calendar's listeners (core/admin.py)
    WorkingDaySwap.objects.create(date=dt.date(YEAR, 11, 16), is_working_day=True, reason="Làm bù")
    calendar_changed()


# Each change, as the pages make it, and whether the standing's figures move with it.
CHANGES: dict[str, tuple[Callable[[World], Any], bool]] = {
    "a dossier import": (import_dossiers, True),
    "a village review": (_reviews, True),
    "a communication activity": (
        lambda world: _activity(world, CommunicationKind.SLOGAN_PANEL, "Cổng trụ sở UBND xã"),
        True,
    ),
    "the city's PAR index": (par_index, True),
    "a citizen's survey answer": (_survey_answer, True),
    "a citizen's feedback": (lambda world: submit_feedback(world, subject="Đường ngập"), True),
    "a typed score": (_typed_score, True),
    "a working-day swap": (_calendar, False),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_is_seen_by_the_citys_table(world: World, hp: Cycle, change: str) -> None:
    before = shown(world)
    basis = kept(hp).basis
    make, moves = CHANGES[change]
    make(world)
    after = shown(world)
    assert kept(hp).basis != basis  # the change renewed a stamp the standing was computed under
    assert after == scored_from_nothing(world)
    assert (after != before) is moves


def test_a_kept_standing_is_read_without_scoring(world: World, hp: Cycle) -> None:
    import_dossiers(world)
    first = shown(world)
    with CaptureQueriesContext(connection) as queries:
        assert shown(world) == first
    read = " ".join(q["sql"] for q in queries)
    assert "assessments_livestanding" in read
    for scored_table in ("assessments_scoreentry", "dossiers_dossier", "tallies_surveytally"):
        assert scored_table not in read
    assert first[1]["self"] is not None and first[1]["appraised"] is None


def test_a_change_next_door_keeps_the_standing(world: World, hp: Cycle) -> None:
    shown(world)
    standing = kept(hp)
    operation_services.record_activity(
        actor=world.outsider,  # Gia Lộc's coordinator, for Gia Lộc
        unit=world.other,
        kind=CommunicationKind.SLOGAN_PANEL,
        title="Tuyên truyền mô hình",
        held_on=dt.date(YEAR, 3, 10),
        place="Cổng trụ sở UBND xã",
        body=world.other_bodies["VHXH"],
    )
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        shown(world)
    assert kept(hp).basis == standing.basis and kept(hp).scored_at == standing.scored_at


def test_the_standing_lasts_until_midnight(world: World, hp: Cycle) -> None:
    shown(world)
    standing = kept(hp)
    assert standing.valid_until == dt.datetime(2026, 11, 21, tzinfo=ZONE)
    with time_machine.travel(dt.datetime(2026, 11, 20, 23, 59, tzinfo=ZONE), tick=False):
        shown(world)
        assert kept(hp).scored_at == standing.scored_at
    with time_machine.travel(dt.datetime(2026, 11, 21, 0, 0, tzinfo=ZONE), tick=False):
        shown(world)
        assert kept(hp).scored_at == dt.datetime(2026, 11, 21, tzinfo=ZONE)


def test_a_pending_dossier_ends_the_standing_at_its_deadline(world: World, hp: Cycle) -> None:
    import_dossiers(world)
    pending = Dossier.objects.filter(unit=world.unit, finished__isnull=True, deadline__isnull=False)
    deadline = dt.datetime(2026, 11, 20, 16, 30, tzinfo=ZONE)
    pending.update(deadline=deadline)  # as an import would have it (the kept counts do not hold deadlines)
    LiveStanding.objects.all().delete()
    on_time = shown(world)
    assert kept(hp).valid_until == deadline
    figure = dossier_selectors.on_time_figure(unit=world.unit, year=YEAR)
    with time_machine.travel(deadline + dt.timedelta(minutes=1), tick=False):
        late = shown(world)
        assert kept(hp).scored_at == deadline + dt.timedelta(minutes=1)
        later_figure = dossier_selectors.on_time_figure(unit=world.unit, year=YEAR)
        assert figure is not None and later_figure is not None and later_figure.percent < figure.percent
        assert late != on_time and late == scored_from_nothing(world)


def test_another_version_of_the_code_scores_again(
    world: World, hp: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown(world)
    standing = kept(hp)
    monkeypatch.setattr(standings, "code_mark", lambda: "another-version")
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        shown(world)
    assert kept(hp).scored_at == NOW + dt.timedelta(minutes=5) and kept(hp).basis != standing.basis


def test_totals_are_kept_as_exact_decimals(world: World, hp: Cycle) -> None:
    import_dossiers(world)
    _reviews(world)
    first = scored_from_nothing(world)
    again = shown(world)  # read back from the kept row
    assert again == first
    total, level = again[1]["self"]
    assert isinstance(total, Decimal) and level == first[1]["self"][1]


def test_a_kept_row_shows_its_totals_under_the_same_columns(world: World, hp: Cycle, client_for: Any) -> None:
    import_dossiers(world)
    url = reverse("assessments:city_overview", args=[world.city.slug]) + f"?nam={YEAR}"
    client = client_for(world.reviewer)
    LiveStanding.objects.all().delete()
    scored = _total_cells(client.get(url).content.decode())
    assert LiveStanding.objects.filter(cycle=hp).exists()
    read_back = _total_cells(client.get(url).content.decode())
    assert read_back == scored and scored[-1] == "—" and scored[0] != "—"  # nothing appraised while open
    assert list(shown(world)[1]) == ["self", "consolidated", "appraised"]


def _total_cells(html: str) -> list[str]:
    """Thanh Miện's three total cells (self, consolidated, appraised), as the page renders them."""
    row = html[html.index('<tr data-unit="thanh-mien"') :]
    row = row[: row.index("</tr>")]
    return re.findall(r'<td class="num" data-label="[^"]*">(.*?)</td>', row)


def test_a_busy_database_leaves_the_standings_unkept_not_the_page(
    world: World, hp: Cycle, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def busy(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(LiveStanding.objects, "bulk_create", busy)
    assert shown(world)[1]["self"] is not None
    assert not LiveStanding.objects.exists() and "standings not kept: database is locked" in caplog.text


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli_main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_morning_command_keeps_every_citys_open_standings(
    world: World, hp: Cycle, capsys: pytest.CaptureFixture[str]
) -> None:
    import_dossiers(world)
    assert not LiveStanding.objects.exists()
    status, out, _err = _cli(["figures", "standings"], capsys)  # this year: 2026 on the frozen clock
    assert status == 0 and json.loads(out) == {"cities": 1, "open_cycles": 1, "kept": 1}
    standing = kept(hp)
    with CaptureQueriesContext(connection) as queries:
        shown(world)
    assert "assessments_scoreentry" not in " ".join(q["sql"] for q in queries)  # read back, not scored
    assert kept(hp).scored_at == standing.scored_at
    status, out, _err = _cli(["figures", "standings", "--year", "2025"], capsys)
    assert status == 0 and json.loads(out) == {"cities": 1, "open_cycles": 0, "kept": 0}
    status, out, err = _cli(["figures", "standings", "--year", "năm nay"], capsys)
    assert status == 2 and out == "" and "--year: «năm nay» không phải là năm" in err


def test_the_morning_command_says_when_the_database_would_not_keep(
    world: World, hp: Cycle, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def busy(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(LiveStanding.objects, "bulk_create", busy)
    status, out, err = _cli(["figures", "standings"], capsys)
    assert status == 1 and json.loads(out) == {"cities": 1, "open_cycles": 1, "kept": 0}
    assert "Chỉ lưu được kết quả của 0/1 kỳ đánh giá đang mở" in err


def test_a_refused_keeping_inside_a_transaction_leaves_it_usable(world: World, hp: Cycle) -> None:
    """On PostgreSQL a failed statement aborts the transaction it runs in: the keeping runs in a savepoint of
    its own, so that a caller's transaction (a document built in one) goes on."""
    if connection.vendor != "postgresql":
        pytest.skip("a statement cancelled by PostgreSQL (run on PostgreSQL by .ci/run)")

    def cancelled(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith('INSERT INTO "assessments_livestanding"'):
            execute("SET LOCAL statement_timeout = 1", None, False, context)
            return execute("SELECT pg_sleep(1)", None, False, context)  # cancelled: OperationalError
        return execute(sql, params, many, context)

    with transaction.atomic():
        with connection.execute_wrapper(cancelled):
            assert shown(world)[1]["self"] is not None
        assert not LiveStanding.objects.exists()  # the transaction still answers
        assert shown(world)[1]["self"] is not None and LiveStanding.objects.filter(cycle=hp).exists()
