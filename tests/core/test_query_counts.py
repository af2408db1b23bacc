"""Each main page runs a bounded number of queries whatever the data size.

The `small` city of ``bench/generate.py`` is generated once for the module (clock frozen at its as-of
date); every page is requested as in the benchmarks and its queries counted; then many more rows are
added for the same unit (answers, feedback, dossiers, plan tasks and deadlines, evidence, activities)
and the count must not grow. Not a timing test.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from bench import generate
from bench.run import main_pages
from friendlygov.assessments.models import LiveStanding
from friendlygov.tallies.services import rebuild

# The counts are taken in the module fixture; the marker makes pytest-django set the test database up.
pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT = generate.BENCH_UNIT

#: The most queries each page may run (the small city: 10 units). The city pages query per unit of the
#: city — bounded by the number of units, not by the rows of any unit.
BOUNDS = {
    "commune home": 45,
    "plan page": 45,
    "assessment page": 30,
    "survey figures": 25,
    "feedback list": 25,
    "dossier figures": 20,
    "city home (units)": 20,
    "cold: city home (units)": 20,
    "city table of units": 90,
    "cold: city table of units": 90,
    "city survey comparison": 50,
    "cold: city survey comparison": 50,
    "new answer each time: city survey comparison": 50,
    "city dossier comparison": 20,
    "cold: city dossier comparison": 20,
}


def _clients(pages: list[tuple[str, str, str]]) -> dict[str, Client]:
    users = get_user_model().objects.filter(username__in={p[1] for p in pages})
    clients = {}
    for user in users:
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    return clients


def _count(pages: list[tuple[str, str, str]], clients: dict[str, Client], *, warm_up: bool) -> dict[str, int]:
    counts = {}
    for label, username, url in pages:
        client = clients[username]
        if warm_up:  # a session's first request writes it; a page may create rows lazily (default states)
            assert client.get(url).status_code == 200, url
        # counted cold (cached figures recomputed, open cycles' kept standings scored again): the worst case,
        # the same before and after
        cache.clear()
        LiveStanding.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[label] = len(queries)
    return counts


def _grow(unit_slug: str, factor: int = 2) -> None:
    """Many more rows for one unit, in every area the pages read (bulk, as the generator does)."""
    from friendlygov.assessments.models import Cycle, JointProposal, ScoreEntry, ScoreEvidence
    from friendlygov.dossiers.models import Channel, Dossier
    from friendlygov.evidence.models import EvidenceFile
    from friendlygov.feedback.models import Feedback, FeedbackEvent, FeedbackState
    from friendlygov.operations.models import CommunicationActivity
    from friendlygov.org.models import Unit
    from friendlygov.plans.models import Occurrence, OccurrenceEvidence, Plan, Task
    from friendlygov.surveys.models import Answer, Response, SurveyLink

    rng = random.Random(7)
    unit = Unit.objects.get(slug=unit_slug)
    days = [dt.date(2030, 1, 2) + dt.timedelta(days=n) for n in range(300)]
    template = EvidenceFile.objects.filter(unit=unit).first()
    assert template is not None

    def evidence(n: int) -> list[Any]:
        rows = [
            EvidenceFile(
                unit=unit, file=template.file.name, original_name=template.original_name, content_type=template.content_type,
                size=template.size, sha256=template.sha256, title=f"Minh chứng thêm {i}", effective_date=days[i % 300],
            )
            for i in range(n)
        ]  # fmt: skip
        return EvidenceFile.objects.bulk_create(rows)

    # surveys: answers this year and last year
    link = SurveyLink.objects.filter(unit=unit).first()
    assert link is not None
    existing = Response.objects.filter(unit=unit).first()
    assert existing is not None
    n = factor * Response.objects.filter(unit=unit).count()
    responses = Response.objects.bulk_create(
        Response(
            unit=unit, questionnaire_id=existing.questionnaire_id, questionnaire_version_id=existing.questionnaire_version_id,
            link=link, channel=Response.Channel.ONLINE, submitted_at=dt.datetime.combine(rng.choice(days), dt.time(9), ZONE)
            - dt.timedelta(days=365 * (i % 2)),
        )
        for i in range(n)
    )  # fmt: skip
    items = list(Answer.objects.filter(response=existing).values_list("item", flat=True))
    Answer.objects.bulk_create(
        (Answer(response=r, item=item, value=rng.choice((3, 4, 5))) for r in responses for item in items),
        batch_size=5000,
    )
    # feedback: pending and answered items with their history
    states = {s.type: s for s in FeedbackState.objects.filter(unit=unit)}
    n = factor * Feedback.objects.filter(unit=unit).count()
    feedback = Feedback.objects.bulk_create(
        Feedback(
            unit=unit, code=generate.feedback_code(10_000_000 + i), topic="service", subject="Phản ánh thêm", content="Nội dung",
            state=states["in_progress" if i % 2 else "answered"], received_on=rng.choice(days), search_text="phan anh them",
        )
        for i in range(n)
    )  # fmt: skip
    FeedbackEvent.objects.bulk_create(
        FeedbackEvent(
            feedback=f,
            kind=kind,
            at=dt.datetime.combine(f.received_on, dt.time(8 + k), ZONE),
            on=f.received_on,
            to_type=to,
        )  # fmt: skip
        for f in feedback
        for k, (kind, to) in enumerate(
            (("submitted", "open"), ("transition", "in_progress"), ("answer", "answered"))
        )
    )
    # dossiers
    n = factor * Dossier.objects.filter(unit=unit).count()
    Dossier.objects.bulk_create(
        (
            Dossier(
                unit=unit, receipt_no=f"THEM-{i:06d}", procedure="Đăng ký khai sinh",
                received=dt.datetime.combine(rng.choice(days), dt.time(9), ZONE), channel=Channel.ONLINE,
                finished=dt.datetime.combine(days[-1], dt.time(10), ZONE), waiting_days=Decimal(0),
            )
            for i in range(n)
        ),
        batch_size=2000,
    )  # fmt: skip
    # plans: more tasks, each with monthly deadlines and evidence for the done ones
    plan = Plan.objects.get(unit=unit, is_current=True)
    body = unit.bodies.get(code="VHXH")
    tasks = Task.objects.bulk_create(
        Task(
            plan=plan,
            number=str(11 + i),
            text=f"Nhiệm vụ thêm {i}",
            lead_body=body,
            time_phrase="Hằng tháng",
            schedule={"kind": "monthly"},
            position=20 + i,
        )  # fmt: skip
        for i in range(10)
    )
    occurrences = Occurrence.objects.bulk_create(
        Occurrence(
            task=task, unit=unit, year=year, period=f"{year}-{month:02d}", window_start=dt.date(year, month, 1),
            due=dt.date(year, month, 25), status="done" if year < 2030 else "not_started", percent=100 if year < 2030 else 0,
        )
        for task in tasks
        for year in range(2026, 2032)
        for month in range(1, 13)
    )  # fmt: skip
    done = [o for o in occurrences if o.status == "done"]
    OccurrenceEvidence.objects.bulk_create(
        OccurrenceEvidence(occurrence=o, evidence=e) for o, e in zip(done, evidence(len(done)), strict=True)
    )
    # assessments: more evidence and proposals on this year's cycle
    cycle = Cycle.objects.filter(unit=unit, year=2030).first()
    entries = list(ScoreEntry.objects.filter(cycle=cycle)) if cycle else []
    if entries:
        files = evidence(len(entries) * factor)
        ScoreEvidence.objects.bulk_create(
            ScoreEvidence(unit=unit, entry=entries[i % len(entries)], evidence=f) for i, f in enumerate(files)
        )
        front = unit.bodies.get(code="MTTQ")
        JointProposal.objects.bulk_create(
            JointProposal(
                unit=unit,
                cycle=cycle,
                criterion_code=e.criterion_code,
                body=front,
                value=e.value,
                reason="Thêm",
            )
            for e in entries
        )
    # operations: more communication activities
    CommunicationActivity.objects.bulk_create(
        CommunicationActivity(
            unit=unit,
            kind="website",
            title=f"Tin bài {i}",
            held_on=rng.choice(days),
            place="Trang tin",
            body=body,
        )  # fmt: skip
        for i in range(200)
    )


@pytest.fixture(scope="module")
def counts(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> dict[str, Any]:
    as_of = generate.DEFAULT_AS_OF
    frozen = dt.datetime(as_of.year, as_of.month, as_of.day, 10, 0, tzinfo=ZONE)
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            AXES_ENABLED=False,
        ),
        time_machine.travel(frozen, tick=True),
        transaction.atomic(),
    ):
        generate.generate(size="small", as_of=as_of, migrate=False)
        rebuild()  # the generator writes in bulk (as `friendlygov generate-city` does after it)
        pages = main_pages()
        clients = _clients(pages)
        before = _count(pages, clients, warm_up=True)
        _grow(UNIT)
        rebuild()
        after = _count(pages, clients, warm_up=False)
        transaction.set_rollback(True)  # leave the test database empty for the other tests
    return {"pages": pages, "before": before, "after": after}


@pytest.mark.parametrize("page", list(BOUNDS))
def test_page_runs_a_bounded_number_of_queries(counts: dict[str, Any], page: str) -> None:
    before, after = counts["before"][page], counts["after"][page]
    assert before <= BOUNDS[page], f"{page}: {before} queries (at most {BOUNDS[page]})"
    assert after <= before, (
        f"{page}: {before} queries, then {after} with two to three times the rows for {UNIT}"
    )


def test_every_main_page_is_counted(counts: dict[str, Any]) -> None:
    assert {label for label, _user, _url in counts["pages"]} == set(BOUNDS)
