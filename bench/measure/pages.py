"""Benchmark 1, ``pages``: server time of the main pages through Django's test Client (warm, cold after a
restart, with a new survey answer each time), the open season, and what the kept figures cost on writes."""

from __future__ import annotations

import contextlib
import datetime as dt
import statistics
import time
from collections.abc import Iterator
from typing import Any

from bench.measure.environment import TARGETS, _spread, log, percentile

#: A page measured as after a restart before every request: the cache and the figures kept in the
#: process emptied, and (outside a transaction) a new database connection.
COLD = "cold: "


#: A page measured with one new accepted survey answer before every request (rolled back afterwards).
NEW_ANSWER = "new answer each time: "

#: A page measured with the open cycles' kept standings emptied before every request: every open cycle
#: scored again (the first read after midnight, or after a change in every unit of the city).
RESCORED = "scored again: "


def main_pages() -> list[tuple[str, str, str]]:
    """(label, username, url) of the pages measured; a label starting with :data:`COLD` is measured with
    an empty cache (what the first visit after a change costs)."""
    from bench.generate import BENCH_UNIT, CITY_SLUG
    from friendlygov.plans.models import Plan

    plan = Plan.objects.filter(unit__slug=BENCH_UNIT, is_current=True).order_by("-start_year").first()
    year = dt.date.today().year  # frozen at the data's as-of date
    unit = f"/don-vi/{BENCH_UNIT}/"
    city = f"/thanh-pho/{CITY_SLUG}/"
    return [
        ("commune home", "tm.vhxh", unit),
        ("plan page", "tm.vhxh", f"{unit}ke-hoach/{plan.pk if plan else 0}/"),
        ("assessment page", "tm.vhxh", f"{unit}danh-gia/{year}/"),
        ("survey figures", "tm.vhxh", f"{unit}khao-sat/"),
        ("feedback list", "tm.vhxh", f"{unit}phan-anh/"),
        ("dossier figures", "tm.vhxh", f"{unit}ho-so/"),
        ("city home (units)", "sonoivu", city),
        (COLD + "city home (units)", "sonoivu", city),
        ("city table of units", "sonoivu", f"{city}danh-gia/"),
        (COLD + "city table of units", "sonoivu", f"{city}danh-gia/"),
        ("city survey comparison", "sonoivu", f"{city}khao-sat/"),
        (NEW_ANSWER + "city survey comparison", "sonoivu", f"{city}khao-sat/"),
        (COLD + "city survey comparison", "sonoivu", f"{city}khao-sat/"),
        ("city dossier comparison", "sonoivu", f"{city}ho-so/"),
        (COLD + "city dossier comparison", "sonoivu", f"{city}ho-so/"),
    ]


def bench_pages(
    requests: int, warmup: int, pages: list[tuple[str, str, str]] | None = None
) -> list[dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from friendlygov.assessments.models import LiveStanding

    users = {u.username: u for u in get_user_model().objects.filter(username__in=["tm.vhxh", "sonoivu"])}
    rows = []
    for label, username, url in pages or main_pages():
        client = Client()
        client.force_login(users[username])
        for _ in range(warmup):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
        if label.startswith(COLD):
            _restarted()
        if label.startswith(RESCORED):
            LiveStanding.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_count = len(queries)  # now: the next request resets the connection's query log
        times = []
        adding = label.startswith(NEW_ANSWER)
        with transaction.atomic() if adding else contextlib.nullcontext():
            for _ in range(requests):
                if label.startswith(COLD):
                    _restarted()
                if label.startswith(RESCORED):
                    LiveStanding.objects.all().delete()
                if adding:
                    _add_survey_answer()
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            if adding:
                transaction.set_rollback(True)  # the added answers must not change the next measures
        row: dict[str, Any] = {
            "page": label,
            "url": url,
            "requests": requests,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "max_ms": round(max(times), 1),
            "queries": query_count,
        }
        row["meets_target"] = row["p95_ms"] <= TARGETS["page_p95_ms"]
        log(
            f"  {label:<26} p50 {row['p50_ms']:>8.1f} ms  p95 {row['p95_ms']:>8.1f} ms  {row['queries']:>4} queries"
        )
        rows.append(row)
    return rows


def _restarted() -> None:
    """What a restarted worker starts from: no cached pages or figures, no figures computed in the
    process, and a new database connection (unless inside a transaction the measure must roll back)."""
    from django.core.cache import cache
    from django.db import connection

    from friendlygov.surveys import selectors

    cache.clear()
    selectors.clear_computed()
    if not connection.in_atomic_block:
        connection.close()


def _add_survey_answer() -> None:
    """One accepted SIPAS answer of the benchmark unit, now, written as the generator writes them, and
    counted in the kept figures as the services do."""
    from django.utils import timezone

    from bench.generate import BENCH_UNIT
    from friendlygov.org.models import Unit
    from friendlygov.surveys.models import Answer, Questionnaire, Response
    from friendlygov.tallies.services import count_response

    questionnaire = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    version = questionnaire.current_version()
    response = Response.objects.create(
        unit=Unit.objects.get(slug=BENCH_UNIT), questionnaire=questionnaire, questionnaire_version=version,
        channel=Response.Channel.ONLINE, submitted_at=timezone.now(), status=Response.Status.ACCEPTED,
    )  # fmt: skip
    Answer.objects.bulk_create(
        Answer(response=response, item=item["code"], value=4)
        for element in version.definition["elements"]
        for item in element["items"]
    )
    count_response(response=response, sign=1)


@contextlib.contextmanager
def every_cycle_open(year: int) -> Iterator[int]:
    """Every cycle of the city's year set back to self-scoring (as from February to November), inside a
    transaction rolled back on leaving; yields how many cycles that is. The generated year is measured
    near its end, when most cycles are locked and the city table reads their stored summary."""
    from django.db import transaction

    from bench.generate import CITY_SLUG
    from friendlygov.assessments.models import Cycle

    with transaction.atomic():
        yield Cycle.objects.filter(unit__parent__slug=CITY_SLUG, year=year).update(
            status=Cycle.Status.SELF_SCORING
        )
        transaction.set_rollback(True)


def bench_open_season(requests: int, warmup: int) -> list[dict[str, Any]]:
    """The city table while every unit is still scoring (see :func:`every_cycle_open`)."""
    from bench.generate import CITY_SLUG

    url = f"/thanh-pho/{CITY_SLUG}/danh-gia/"
    with every_cycle_open(dt.date.today().year) as opened:
        # kept standings read back (warm, and after a restart: they are kept in the database), one unit
        # scored again after a new answer, every open cycle scored again
        pages = [
            (f"city table, all {opened} cycles open", "sonoivu", url),
            (f"{COLD}city table, all {opened} cycles open", "sonoivu", url),
            (f"{NEW_ANSWER}city table, all {opened} cycles open", "sonoivu", url),
            (f"{RESCORED}city table, all {opened} cycles open", "sonoivu", url),
        ]
        return bench_pages(requests, warmup, pages)


def bench_figures_write(repeat: int) -> dict[str, Any]:
    """What keeping the figures adds to a write (inside a transaction rolled back): one accepted survey
    answer counted (its items in the year, quarter and month), 100 imported dossiers counted, a review
    taking an answer out; and the whole rebuild from the records."""
    from django.db import transaction
    from django.utils import timezone

    from bench.generate import BENCH_UNIT
    from friendlygov.dossiers.models import Channel, Dossier
    from friendlygov.org.models import Unit
    from friendlygov.surveys.models import Response
    from friendlygov.tallies import services as tallies

    unit = Unit.objects.get(slug=BENCH_UNIT)
    response = Response.objects.filter(unit=unit, status=Response.Status.ACCEPTED).order_by("-pk").first()
    now = timezone.now()
    dossiers = [
        Dossier(
            unit=unit,
            receipt_no=f"BENCH-{i}",
            procedure="Thủ tục",
            received=now - dt.timedelta(days=i % 300),
            appointment=now,
            deadline=now,
            finished=None if i % 4 else now,
            channel=Channel.ONLINE if i % 2 else Channel.DIRECT,
            digitised=bool(i % 3),
        )  # fmt: skip
        for i in range(100)
    ]
    result: dict[str, Any] = {}
    with transaction.atomic():
        if response is not None:
            result["survey answer counted"] = _spread(
                lambda: tallies.count_response(response=response, sign=1), repeat
            )
            result["survey answer uncounted (review)"] = _spread(
                lambda: tallies.count_response(response=response, sign=-1), repeat
            )
        result["100 imported dossiers counted"] = _spread(
            lambda: tallies.dossiers_changed(removed=[], added=dossiers), max(5, repeat // 10)
        )
        transaction.set_rollback(True)
    started = time.perf_counter()
    rows = tallies.rebuild()
    result["rebuild"] = round(time.perf_counter() - started, 2)
    result["rows"] = {name: counts["rows"] for name, counts in rows.items()}
    for name, row in result.items():
        if name != "rows":
            log(f"  {name:<40} {row}")
    return result
