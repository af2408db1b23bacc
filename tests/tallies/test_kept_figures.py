"""The kept figures (``friendlygov.tallies``) always equal a recount of the records, whatever sequence of
writes, reviews and deletions comes; the rebuild command counts them again; the figures read from them
are those counted from the answers."""

from __future__ import annotations

import datetime as dt
import io
import json
import secrets
from contextlib import redirect_stdout, suppress
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from friendlygov.cli import main as cli_main
from friendlygov.dossiers import selectors as dossier_selectors
from friendlygov.dossiers import services as dossier_services
from friendlygov.dossiers.models import Dossier
from friendlygov.feedback import selectors as feedback_selectors
from friendlygov.feedback import services as feedback_services
from friendlygov.feedback.models import Channel, Feedback, StateType
from friendlygov.rules.service_index import feedback_on_time, feedback_satisfaction
from friendlygov.surveys import definitions, periods, selectors, services
from friendlygov.surveys.models import Questionnaire, Response, SurveyLink
from friendlygov.tallies import selectors as tally_selectors
from friendlygov.tallies import services as tallies
from friendlygov.tallies.models import SurveyTally
from tests.dossiers.helpers import csv_bytes
from tests.factories import World

pytestmark = pytest.mark.django_db

VALUES = st.sampled_from([None, 0, 1, 2, 3, 4, 5])


def _sipas() -> Questionnaire:
    return Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")


class Writes(RuleBasedStateMachine):
    """Random answers (public and typed in, on random days of two years), reviews, deletions, dossier
    imports (new and updated dossiers, some finished after today) and feedback (typed in on random days,
    moved between states, answered, published, rated, reopened) while the clock moves on across a year's
    end; after every step the kept rows equal a recount, and so do the figures read from them."""

    world: World
    link: SurveyLink
    clock: Any

    responses = Bundle("responses")
    feedback = Bundle("feedback")

    def __init__(self) -> None:
        super().__init__()
        self.questionnaire = _sipas()
        self.items = definitions.item_codes(self.questionnaire.current_version().definition)

    def _scale(self, data: st.DataObject) -> dict[str, int | None]:
        chosen = data.draw(st.lists(st.sampled_from(self.items), min_size=1, max_size=6, unique=True))
        scale = {item: data.draw(VALUES) for item in chosen}
        scale[chosen[0]] = data.draw(st.integers(1, 5))  # at least one answer on the scale
        return scale

    @rule(target=responses, data=st.data(), days_ago=st.integers(0, 500), other=st.booleans())
    def enter_paper(self, data: st.DataObject, days_ago: int, other: bool) -> int:
        world = self.world
        unit, actor = (world.other, world.outsider) if other else (world.unit, world.coordinator)
        response = services.enter_paper_response(
            actor=actor,
            unit=unit,
            questionnaire=self.questionnaire,
            scale=self._scale(data),
            submitted_on=timezone.localdate() - dt.timedelta(days=days_ago),
        )
        return response.pk

    @rule(target=responses, data=st.data(), suspicious=st.booleans())
    def submit_public(self, data: st.DataObject, suspicious: bool) -> int:
        response = services.submit_public_response(
            link=self.link,
            scale=self._scale(data),
            started_at=timezone.now() - dt.timedelta(minutes=2),
            form_nonce=secrets.token_hex(8),
            honeypot="x" if suspicious else "",  # flagged: counts only once accepted
        )
        return response.pk

    @rule(pk=responses, decision=st.sampled_from(["accept", "reject"]))
    def review(self, pk: int, decision: str) -> None:
        response = Response.objects.get(pk=pk)
        actor = self.world.outsider if response.unit_id == self.world.other.pk else self.world.coordinator
        services.review_response(actor=actor, response=response, decision=decision)

    @rule(pk=consumes(responses))
    def delete(self, pk: int) -> None:
        response = Response.objects.get(pk=pk)
        if response.status == Response.Status.ACCEPTED:
            tallies.count_response(response=response, sign=-1)
        response.delete()

    @rule(
        other=st.booleans(),
        rows=st.lists(
            st.tuples(
                st.integers(0, 7),  # receipt number, from a small pool: re-imports update
                st.integers(0, 800),  # received, days ago
                st.one_of(st.none(), st.integers(0, 40)),  # appointment, days after
                st.one_of(st.none(), st.integers(0, 400)),  # finished, days after (may be after today)
                st.integers(0, 3),  # requests to supplement
                st.sampled_from(["0", "1,5"]),  # days waiting for the citizen
                st.sampled_from(["Trực tuyến", "Trực tiếp"]),
                st.booleans(),  # digitised
            ),
            min_size=1,
            max_size=4,
            unique_by=lambda row: row[0],
        ),
    )
    def import_dossiers(self, other: bool, rows: list[tuple[Any, ...]]) -> None:
        world = self.world
        unit, actor = (world.other, world.outsider) if other else (world.unit, world.coordinator)
        now = timezone.localtime()
        lines = []
        for receipt, ago, appointment, finished, supplements, waiting, channel, digitised in rows:
            received = now - dt.timedelta(days=ago, hours=3)

            def day(after: int | None, received: dt.datetime = received) -> str:
                return "" if after is None else f"{received + dt.timedelta(days=after):%d/%m/%Y %H:%M}"

            lines.append(
                [
                    f"HS-{receipt}",
                    "Thủ tục",
                    f"{received:%d/%m/%Y %H:%M}",
                    day(appointment),
                    day(finished),
                    str(supplements),
                    waiting,
                    channel,
                    "Có" if digitised else "Không",
                    "",
                ]
            )
        dossier_services.import_dossiers(actor=actor, unit=unit, data=csv_bytes(lines), filename="ho-so.csv")

    def _handler(self, feedback: Feedback) -> Any:
        return self.world.outsider if feedback.unit_id == self.world.other.pk else self.world.coordinator

    @rule(target=feedback, other=st.booleans(), days_ago=st.integers(0, 60))
    def record_feedback(self, other: bool, days_ago: int) -> int:
        world = self.world
        unit, actor = (world.other, world.outsider) if other else (world.unit, world.coordinator)
        item = feedback_services.record_feedback(
            actor=actor,
            unit=unit,
            channel=Channel.PAPER,
            received_on=timezone.localdate() - dt.timedelta(days=days_ago),
            topic=Feedback.Topic.PROCEDURE,
            subject="Hướng dẫn thủ tục chưa rõ",
            content="Bảng niêm yết thành phần hồ sơ ở quầy bị mờ, tôi phải đi lại hai lần.",
        )
        return item.pk

    @rule(
        pk=feedback,
        state_type=st.sampled_from(
            [StateType.IN_PROGRESS, StateType.WAITING_CITIZEN, StateType.CLOSED, StateType.REJECTED]
        ),
    )
    def transition_feedback(self, pk: int, state_type: str) -> None:
        item = Feedback.objects.get(pk=pk)
        state = feedback_services.default_state(item.unit, state_type)
        with suppress(ValidationError, PermissionDenied):  # a move the rules refuse: nothing written
            feedback_services.transition_feedback(
                actor=self._handler(item),
                feedback=item,
                state=state,
                message="Lý do: không thuộc thẩm quyền.",
            )

    @rule(pk=feedback, publish=st.booleans())
    def answer_feedback(self, pk: int, publish: bool) -> None:
        item = Feedback.objects.get(pk=pk)
        with suppress(ValidationError, PermissionDenied):
            feedback_services.answer_feedback(
                actor=self._handler(item),
                feedback=item,
                answer="Ủy ban đã chỉnh sửa bảng niêm yết thành phần hồ sơ tại quầy tiếp nhận.",
                publish=publish,
                public_summary="Bảng niêm yết thành phần hồ sơ bị mờ" if publish else "",
            )

    @rule(pk=feedback, publish=st.booleans())
    def publish_feedback(self, pk: int, publish: bool) -> None:
        item = Feedback.objects.get(pk=pk)
        with suppress(ValidationError, PermissionDenied):
            feedback_services.publish_answer(
                actor=self._handler(item),
                feedback=item,
                publish=publish,
                public_summary="Bảng niêm yết thành phần hồ sơ bị mờ",
            )

    @rule(pk=feedback, satisfied=st.booleans())
    def rate_feedback(self, pk: int, satisfied: bool) -> None:
        with suppress(ValidationError, PermissionDenied):
            feedback_services.rate_feedback(feedback=Feedback.objects.get(pk=pk), satisfied=satisfied)

    @rule(pk=feedback)
    def reopen_feedback(self, pk: int) -> None:
        with suppress(ValidationError, PermissionDenied):
            feedback_services.reopen_feedback(
                feedback=Feedback.objects.get(pk=pk), reason="Câu trả lời chưa giải quyết được việc của tôi."
            )

    @rule(days=st.integers(1, 30))
    def time_passes(self, days: int) -> None:
        self.clock.shift(dt.timedelta(days=days))

    @invariant()
    def kept_equal_a_recount(self) -> None:
        assert tallies.differences() == {"survey": 0, "dossier": 0, "feedback": 0}

    @invariant()
    def feedback_figures_equal_a_recount(self) -> None:
        this_year = timezone.localdate().year
        units = [self.world.unit, self.world.other]
        for year in (this_year - 1, this_year):
            kept = feedback_selectors.year_rates_of(units=units, year=year)
            records, as_of = feedback_selectors.feedback_records_of(units=units, year=year)
            calendar = feedback_selectors.working_calendar()
            for unit in units:
                assert kept[unit.pk].as_of == as_of
                assert kept[unit.pk].on_time == feedback_on_time(
                    records[unit.pk], as_of, calendar.working_days_between
                ), (year, unit.pk)
                assert kept[unit.pk].satisfaction == feedback_satisfaction(records[unit.pk]), (year, unit.pk)

    @invariant()
    def dossier_figures_equal_a_recount(self) -> None:
        this_year = timezone.localdate().year
        for year in (this_year - 2, this_year - 1, this_year):
            p = dossier_selectors.year_period(year)
            units = Q(unit__parent=self.world.city)
            recount = dossier_selectors._grouped_counts(Dossier.objects.filter(units), p, "unit_id")
            kept = dossier_selectors._counts_of(units, p, "unit_id")
            for unit_id in recount.keys() | kept.keys():
                assert _nonzero(kept.get(unit_id, {})) == _nonzero(recount.get(unit_id, {})), (year, unit_id)


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {name: n for name, n in counts.items() if n}


def test_kept_survey_figures_always_equal_a_recount(world: World) -> None:
    link = services.create_link(
        actor=world.coordinator, unit=world.unit, questionnaire=_sipas(), label="Bàn tiếp nhận"
    )
    Writes.world = world
    Writes.link = link
    # Three weeks before the year's end: the clock moves on (``time_passes``) across it, pending feedback
    # turns late and last year's figures become judged at its end.
    year = timezone.localdate().year
    with time_machine.travel(dt.datetime(year, 12, 10, 2, 0, tzinfo=dt.UTC), tick=False) as clock:
        Writes.clock = clock
        run_state_machine_as_test(
            Writes,
            settings=settings(
                max_examples=15,
                stateful_step_count=20,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
                # every step recounts the database: shrinking a failure would take minutes; the failing
                # sequence is reported as found
                phases=[Phase.explicit, Phase.reuse, Phase.generate],
            ),
        )


def _answers(world: World) -> None:
    """Accepted, flagged and rejected answers of both units over two years, through the services."""
    questionnaire = _sipas()
    items = definitions.item_codes(questionnaire.current_version().definition)
    today = timezone.localdate()
    for n in range(24):
        unit, actor = (world.other, world.outsider) if n % 3 == 0 else (world.unit, world.coordinator)
        response = services.enter_paper_response(
            actor=actor,
            unit=unit,
            questionnaire=questionnaire,
            scale={item: (n + i) % 6 or None for i, item in enumerate(items[: 3 + n % 5])},
            submitted_on=today - dt.timedelta(days=29 * n),
        )
        if n % 7 == 3:
            services.review_response(actor=actor, response=response, decision="reject")


def _run(argv: list[str]) -> tuple[int, Any]:
    out = io.StringIO()
    with redirect_stdout(out):
        status = cli_main(argv)
    return status, json.loads(out.getvalue())


def test_rebuild_command_counts_the_figures_again(world: World) -> None:
    _answers(world)
    kept = SurveyTally.objects.count()
    assert kept and tallies.differences() == {"survey": 0, "dossier": 0, "feedback": 0}
    status, data = _run(["figures", "rebuild"])
    assert status == 0 and data["survey"] == {"rows": kept, "differed": 0}
    # A write path that forgot to count (or a restored backup): the rebuild finds and mends it.
    row = SurveyTally.objects.exclude(item="").first()
    assert row is not None
    SurveyTally.objects.filter(pk=row.pk).update(count=row.count + 5)
    SurveyTally.objects.create(
        unit=world.unit,
        questionnaire=row.questionnaire,
        version=row.version,
        period="1999",
        item="X",
        value=1,
        count=1,
    )
    status, data = _run(["figures", "rebuild"])
    assert status == 0 and data["survey"] == {"rows": kept, "differed": 2}
    assert tallies.differences() == {"survey": 0, "dossier": 0, "feedback": 0}


def test_figures_read_from_the_kept_rows_equal_a_recount(world: World) -> None:
    _answers(world)
    questionnaire = _sipas()
    year = timezone.localdate().year
    chosen = [
        periods.year(year),
        periods.year(year - 1),
        periods.quarter(year - 1, 2),
        periods.month(year - 1, 7),
        periods.custom(dt.date(year - 1, 3, 1), dt.date(year - 1, 8, 31)),  # whole months
        periods.custom(dt.date(year - 1, 3, 5), dt.date(year - 1, 8, 20)),  # cuts months: counted
    ]
    for period in chosen:
        recount = selectors.accepted_counts(questionnaire=questionnaire, period=period, city=world.city)
        assert (
            selectors.city_accepted_counts(questionnaire=questionnaire, period=period, city=world.city)
            == recount
        )
        for unit in (world.unit, world.other):
            assert selectors.answer_counts(unit, questionnaire, period) == (
                recount[0].get(unit.pk, {}),
                recount[1].get(unit.pk, 0),
            )
            # a city table's few open cycles read those units' rows only, the same numbers
            counts, people = selectors.city_accepted_counts(
                questionnaire=questionnaire, period=period, city=world.city, units=[unit]
            )
            assert set(counts) <= {unit.pk} and set(people) <= {unit.pk}
            assert (counts.get(unit.pk, {}), people.get(unit.pk, 0)) == (
                recount[0].get(unit.pk, {}),
                recount[1].get(unit.pk, 0),
            )
    assert tally_selectors.survey_period_keys(chosen[4]) == [f"{year - 1}-{m:02d}" for m in range(3, 9)]
    assert tally_selectors.survey_period_keys(chosen[5]) is None


def test_the_city_reads_no_answer_row(world: World) -> None:
    """The city's comparison reads the kept rows only: a bounded number of queries, none on the answers."""
    _answers(world)
    questionnaire = _sipas()
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.city_comparison(
            city=world.city, questionnaire=questionnaire, period=periods.year(timezone.localdate().year)
        )
    assert rows and len(queries) <= 8
    assert not [q for q in queries if "surveys_answer" in q["sql"]]
    figures = selectors.sipas_figures(units=[world.unit, world.other], year=timezone.localdate().year)
    assert figures == {
        unit.pk: selectors.sipas_figure(unit=unit, year=timezone.localdate().year)
        for unit in (world.unit, world.other)
    }
