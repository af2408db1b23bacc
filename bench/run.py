"""Benchmarks on a generated city (see bench/RESULTS.md for the figures and how to read them).

    .venv/bin/python bench/run.py --size small|full [--db sqlite|postgres]

Generates the data first when the benchmark database does not hold it yet (``bench/generate.py``, same
seed and as-of date → the same data), then measures, in this order:

1. ``pages``   — server time p50/p95 of the main pages through Django's test Client, logged in
   (``force_login``), N requests each after a warm-up, with the query count of one request;
2. ``sipas``   — the surveys selectors' SIPAS figures for one unit-year and for the whole city against one
   hand-written SQL aggregate computing the same numbers (the floor);
3. ``assess``  — the assessments city table (``city_overview``: every unit's scores through the engine)
   and the city's consolidated document (documents ``city-report``, in process and by the CLI);
4. ``load``    — public survey submissions per second through gunicorn (``friendlygov serve``, several
   workers) under ``wrk``, against a bare Django view in the same server and settings, counting the
   accepted answers afterwards; two references tell what storing any answer costs there (``bench/urls.py``:
   one insert per request, and the same through one group-committing writer per process); and the peak
   memory (VmHWM) of every worker.

The clock of the in-process benchmarks is frozen (ticking) at the data's as-of date, so "this year" is
the generated year in progress. Prints a table; writes JSON to ``bench/results/``.

Databases: SQLite in ``var/bench/sqlite-<size>/``; PostgreSQL at ``$BENCH_POSTGRES_URL`` (default
``postgres://friendlygov:friendlygov@127.0.0.1:5432/friendlygov_bench_<size>``; start the server and
create the role as ``.ci/run`` does).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import http.cookiejar
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
BENCH_LINK = "bench-tai-thu"

TARGETS = {
    "page_p95_ms": 100,
    "sipas_ratio": 1.5,
    "assess_city_s": 1.0,
    "city_document_s": 10.0,
    # public survey submissions per second ÷ the plain durable insert view's (/bench/write/)
    "load_ratio": 0.7,
    "worker_peak_mb": 150,
}


# --------------------------------------------------------------------------------------------------
# Environment (before Django is set up)


def configure(db: str, size: str) -> dict[str, str]:
    """The environment of the benchmark database; applied to this process and given to gunicorn."""
    var = ROOT / "var" / "bench" / f"{db}-{size}"
    (var / "static").mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing STATIC_ROOT
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "FRIENDLYGOV_VAR_DIR": str(var),
        "FRIENDLYGOV_DEBUG": os.environ.get("FRIENDLYGOV_DEBUG", "0"),
        "PYTHONPATH": str(ROOT),
    }
    if db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{var / 'friendlygov.sqlite3'}"
    else:
        env["DATABASE_URL"] = os.environ.get(
            "BENCH_POSTGRES_URL",
            f"postgres://friendlygov:friendlygov@127.0.0.1:5432/friendlygov_bench_{size}",
        )
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return env


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database when it does not exist, as the role given may: connected
    to the server's maintenance database with the same role (``CREATEDB`` needed). Without the right, stop
    with the command an administrator runs once."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    try:
        psycopg.connect(url, connect_timeout=10).close()
        return
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
    role = urllib.parse.unquote(parts.username or "")
    last: Exception | None = None
    for maintenance in ("postgres", "template1"):
        try:
            with psycopg.connect(
                urllib.parse.urlunsplit(parts._replace(path=f"/{maintenance}")),
                autocommit=True,
                connect_timeout=10,
            ) as connection:
                connection.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(role))
                )
            log(f"Đã tạo cơ sở dữ liệu PostgreSQL «{name}».")
            return
        except psycopg.errors.InsufficientPrivilege as error:
            raise SystemExit(
                f"Vai trò «{role}» không được tạo cơ sở dữ liệu «{name}». Nhờ quản trị viên chạy một lần:\n"
                f"  createdb -O {role} {name}\n(hoặc: ALTER ROLE {role} CREATEDB;) rồi chạy lại."
            ) from error
        except psycopg.OperationalError as error:  # no such maintenance database: try the next
            last = error
    raise SystemExit(f"Không kết nối được máy chủ PostgreSQL để tạo «{name}»: {last}")


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "loadavg_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def vm_hwm_mb(pid: int | str = "self") -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def log(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(0, math.ceil(p / 100 * len(ordered)) - 1)
    return ordered[rank]


# --------------------------------------------------------------------------------------------------
# Data


def ensure_data(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    """Generate the city unless the benchmark database already holds the same generation."""
    from bench import generate

    marker = Path(env["FRIENDLYGOV_VAR_DIR"]) / "generated.json"
    wanted = {"size": args.size, "seed": args.seed, "as_of": args.as_of}
    if marker.is_file() and not args.regenerate:
        info = json.loads(marker.read_text())
        if all(info.get(k) == v for k, v in wanted.items()) and any(generate.database_has_data()):
            log(f"Dữ liệu đã có ({marker}); dùng lại. --regenerate để tạo lại.")
            from friendlygov.tallies.models import SurveyTally

            if not SurveyTally.objects.exists():  # generated before the kept figures existed
                rebuild_figures()
            info["reused"] = True
            return dict(info)
    ctx = generate.generate(
        size=args.size,
        seed=args.seed,
        as_of=dt.date.fromisoformat(args.as_of),
        force=True,
        strict=args.strict,
    )
    rebuild_figures()
    info = generate.summary(ctx)
    marker.write_text(json.dumps(info, ensure_ascii=False, indent=2))
    info["reused"] = False
    return info


def rebuild_figures() -> float:
    """The kept figures counted from the generated records (the generator writes in bulk); seconds."""
    from friendlygov.tallies.services import rebuild

    started = time.perf_counter()
    rows = rebuild(analyze=True)
    seconds = time.perf_counter() - started
    log(f"  ✓ số liệu lưu sẵn: {rows} ({seconds:.1f} giây)")
    return seconds


def delete_responses(responses: Any) -> None:
    """Delete survey responses as a deletion must: the accepted ones leave the kept figures first."""
    from django.db import transaction

    from friendlygov.surveys.models import Response
    from friendlygov.tallies.services import count_response

    with transaction.atomic():
        for response in responses.filter(status=Response.Status.ACCEPTED):
            count_response(response=response, sign=-1)
        responses.delete()


def freeze(as_of: str) -> Any:
    from zoneinfo import ZoneInfo

    import time_machine

    day = dt.date.fromisoformat(as_of)
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True
    )


# --------------------------------------------------------------------------------------------------
# 1. Pages


#: A page measured as after a restart before every request: the cache and the figures kept in the
#: process emptied, and (outside a transaction) a new database connection.
COLD = "cold: "
#: A page measured with one new accepted survey answer before every request (rolled back afterwards).
NEW_ANSWER = "new answer each time: "


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
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_count = len(queries)  # now: the next request resets the connection's query log
        times = []
        adding = label.startswith(NEW_ANSWER)
        with transaction.atomic() if adding else contextlib.nullcontext():
            for _ in range(requests):
                if label.startswith(COLD):
                    _restarted()
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
        pages = [
            (f"city table, all {opened} cycles open", "sonoivu", url),
            (f"{COLD}city table, all {opened} cycles open", "sonoivu", url),
        ]
        return bench_pages(requests, warmup, pages)


# --------------------------------------------------------------------------------------------------
# The kept figures' cost on writes


def _spread(function: Callable[[], Any], repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(times), 3), "p95_ms": round(percentile(times, 95), 3)}


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


# --------------------------------------------------------------------------------------------------
# 2. SIPAS figures against a hand-written aggregate

#: A selector measured against the floor although it computes more than the floor's numbers (reported,
#: not held to the target).
DOES_MORE = "(does more) "


def _timed(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time in ms over ``repeat`` runs (after one untimed run) and the last result."""
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _floor_figures(
    counts: dict[str, dict[int, int]], respondents: int, elements: list[tuple[str, list[str]]]
) -> dict[str, Any]:
    """The SIPAS numbers by hand: item index = answers 4–5 ÷ answers 1–5, element = mean of its items,
    overall = mean of elements (weights 1), each item's 95 % Wilson interval — rounded half-up to 2."""

    def rounded(value: Fraction | float | None) -> float | None:
        if value is None:
            return None
        return math.floor(float(value) * 100 + 0.5 + 1e-9) / 100

    items: dict[str, Any] = {}
    element_index: dict[str, Fraction | None] = {}
    for code, item_codes in elements:
        indices = []
        for item in item_codes:
            values = counts.get(item, {})
            valid = sum(n for v, n in values.items() if 1 <= v <= 5)
            satisfied = values.get(4, 0) + values.get(5, 0)
            if not valid:
                items[item] = (None, None, None)
                continue
            index = Fraction(100 * satisfied, valid)
            p, z = satisfied / valid, 1.96
            centre = (p + z * z / (2 * valid)) / (1 + z * z / valid)
            half = z * math.sqrt(p * (1 - p) / valid + z * z / (4 * valid * valid)) / (1 + z * z / valid)
            items[item] = (
                rounded(index),
                rounded(max(0.0, 100 * (centre - half))),
                rounded(min(100.0, 100 * (centre + half))),
            )
            indices.append(index)
        element_index[code] = sum(indices, Fraction(0)) / len(indices) if indices else None
    present = [v for v in element_index.values() if v is not None]
    overall = sum(present, Fraction(0)) / len(present) if present else None
    return {
        "respondents": respondents,
        "overall": rounded(overall),
        "elements": {k: rounded(v) for k, v in element_index.items()},
        "items": items,
    }


def bench_sipas(repeat: int, year: int) -> dict[str, Any]:
    from django.core.cache import cache
    from django.db import connection

    from bench.generate import BENCH_UNIT, CITY_SLUG
    from friendlygov.org.models import Unit
    from friendlygov.rules import sipas as sipas_rules
    from friendlygov.surveys import periods, selectors
    from friendlygov.surveys.models import Answer, Questionnaire, Response

    unit = Unit.objects.get(slug=BENCH_UNIT)
    city = Unit.objects.get(slug=CITY_SLUG)
    questionnaire = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    version = questionnaire.current_version()
    elements = [(e["code"], [i["code"] for i in e["items"]]) for e in version.definition["elements"]]
    period = periods.year(year)
    start, end = period.bounds()
    answer_table, response_table = Answer._meta.db_table, Response._meta.db_table
    where = "r.questionnaire_id = %s AND r.status = %s AND r.submitted_at >= %s AND r.submitted_at < %s"

    def floor_unit() -> dict[str, Any]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.item, a.value, COUNT(*) FROM {answer_table} a JOIN {response_table} r ON r.id = a.response_id "
                f"WHERE r.unit_id = %s AND {where} GROUP BY a.item, a.value",
                [unit.pk, questionnaire.pk, "accepted", start, end],
            )
            counts: dict[str, dict[int, int]] = {}
            for item, value, n in cursor.fetchall():
                counts.setdefault(item, {})[value] = n
            cursor.execute(
                f"SELECT COUNT(*) FROM {response_table} r WHERE r.unit_id = %s AND {where}",
                [unit.pk, questionnaire.pk, "accepted", start, end],
            )
            respondents = cursor.fetchone()[0]
        return _floor_figures(counts, respondents, elements)

    # The city's units as a subquery: the form SQLite plans best without statistics (PostgreSQL plans it
    # as the join) — the app's own query uses it too.
    city_units = "SELECT id FROM org_unit WHERE parent_id = %s"

    def floor_city() -> dict[int, dict[str, Any]]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.unit_id, a.item, a.value, COUNT(*) FROM {answer_table} a JOIN {response_table} r "
                f"ON r.id = a.response_id WHERE r.unit_id IN ({city_units}) AND {where} "
                "GROUP BY r.unit_id, a.item, a.value",
                [city.pk, questionnaire.pk, "accepted", start, end],
            )
            counts: dict[int, dict[str, dict[int, int]]] = {}
            for unit_id, item, value, n in cursor.fetchall():
                counts.setdefault(unit_id, {}).setdefault(item, {})[value] = n
            cursor.execute(
                f"SELECT r.unit_id, COUNT(*) FROM {response_table} r "
                f"WHERE r.unit_id IN ({city_units}) AND {where} GROUP BY r.unit_id",
                [city.pk, questionnaire.pk, "accepted", start, end],
            )
            people = dict(cursor.fetchall())
        return {uid: _floor_figures(counts.get(uid, {}), people.get(uid, 0), elements) for uid in people}

    def selector_core() -> Any:
        counts, respondents = selectors.answer_counts(unit, questionnaire, period)
        return selectors.compute(counts, respondents, version)[0]

    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        ("unit-year: answer_counts + compute", selector_core, floor_unit),
        # The next two do more than the floor (informative, not the target): sipas_figure also chooses the
        # questionnaire the unit used most and builds the figure's label; unit_figures also counts the
        # flagged answers and the dossiers that set the sample size.
        (
            DOES_MORE + "unit-year: sipas_figure",
            lambda: selectors.sipas_figure(unit=unit, year=year),
            floor_unit,
        ),
        (
            DOES_MORE + "unit-year: unit_figures (page)",
            lambda: selectors.unit_figures(unit=unit, questionnaire=questionnaire, period=period),
            floor_unit,
        ),
        (
            "city: city_comparison",
            lambda: selectors.city_comparison(
                city=city, questionnaire=questionnaire, period=period, with_samples=False
            ),
            floor_city,
        ),
        (
            "city: city_comparison + samples (page)",
            lambda: selectors.city_comparison(city=city, questionnaire=questionnaire, period=period),
            floor_city,
        ),
    ]

    def uncached(selector: Callable[[], Any]) -> Callable[[], Any]:
        # The rules memoise Wilson intervals (pages repeat the same counts); measure the computation itself.
        def run() -> Any:
            sipas_rules.clear_caches()
            selectors.clear_computed()  # figures kept per frozen version and counts
            cache.clear()  # the city's counts are cached between changes (surveys.selectors)
            return selector()

        return run

    floors: dict[Any, tuple[float, Any]] = {}
    rows = []
    for label, selector, floor in [(label, uncached(s), f) for label, s, f in cases]:
        if floor not in floors:
            floors[floor] = _timed(floor, repeat)
        floor_ms, floor_result = floors[floor]
        selector_ms, selector_result = _timed(selector, repeat)
        same = _same_numbers(selector_result, floor_result)
        ratio = selector_ms / floor_ms if floor_ms else math.nan
        row = {
            "case": label,
            "year": year,
            "selector_ms": round(selector_ms, 2),
            "floor_ms": round(floor_ms, 2),
            "ratio": round(ratio, 2),
            "same_numbers": same,
            "meets_target": None if label.startswith(DOES_MORE) else ratio <= TARGETS["sipas_ratio"],
        }
        log(
            f"  {label:<40} {selector_ms:>9.1f} ms vs floor {floor_ms:>9.1f} ms  ×{ratio:.2f}  same numbers: {same}"
        )
        rows.append(row)
    return {"rows": rows, "respondents_unit_year": floors[floor_unit][1]["respondents"],
            "units_with_answers": len(floors[floor_city][1])}  # fmt: skip


def _same_numbers(selector_result: Any, floor_result: Any) -> bool:
    """The selector's overall and element indices (and item indices) equal the hand-computed ones."""

    def check(result: Any, floor: dict[str, Any]) -> bool:
        if result is None:
            return floor["overall"] is None
        overall = getattr(result, "overall", None)
        if overall is None and hasattr(result, "percent"):
            overall = result.percent
        if (None if overall is None else float(overall)) != floor["overall"]:
            return False
        for element in getattr(result, "elements", []) or []:
            if isinstance(result.elements, dict):
                break
            if (None if element.index is None else float(element.index)) != floor["elements"].get(
                element.code
            ):
                return False
            for item in element.items:
                if (None if item.index is None else float(item.index)) != floor["items"][item.code][0]:
                    return False
        if isinstance(getattr(result, "elements", None), dict):
            for code, value in result.elements.items():
                if (None if value is None else float(value)) != floor["elements"].get(code):
                    return False
        return True

    if isinstance(selector_result, list):
        by_unit = {row.unit.pk: row for row in selector_result}
        return all(uid in by_unit and check(by_unit[uid], floor) for uid, floor in floor_result.items())
    if hasattr(selector_result, "result"):
        return check(selector_result.result, floor_result)
    return check(selector_result, floor_result)


# --------------------------------------------------------------------------------------------------
# 3. Assessing every unit; the city's document


def bench_assess(repeat: int, years: list[int]) -> list[dict[str, Any]]:
    from django.contrib.auth import get_user_model

    from bench.generate import CITY_SLUG
    from friendlygov.org.models import Unit

    city = Unit.objects.get(slug=CITY_SLUG)
    rows = []
    try:
        from friendlygov.assessments.selectors import city_overview
    except ImportError as error:  # the area is being finished by others
        return [{"case": "city_overview", "skipped": str(error)}]
    for year in years:
        ms, result = _timed(functools.partial(city_overview, city, year), repeat)
        row = {"case": f"assess all units (city_overview {year})", "units": len(result), "seconds": round(ms / 1000, 3),
               "meets_target": ms / 1000 < TARGETS["assess_city_s"]}  # fmt: skip
        log(f"  {row['case']:<44} {row['seconds']:>8.3f} s  ({row['units']} units)")
        rows.append(row)
    # Every cycle of the first year still open, scored live; the cache is emptied each time (the SIPAS
    # counts recounted).
    from django.core.cache import cache

    year = years[0]

    def cold_overview() -> Any:
        cache.clear()
        return city_overview(city, year)

    with every_cycle_open(year):
        ms, result = _timed(cold_overview, repeat)
    row = {"case": f"assess all units, all open (city_overview {year}, cold)", "units": len(result),
           "seconds": round(ms / 1000, 3), "meets_target": ms / 1000 < TARGETS["assess_city_s"]}  # fmt: skip
    log(f"  {row['case']:<44} {row['seconds']:>8.3f} s  ({row['units']} units)")
    rows.append(row)
    try:
        from friendlygov.documents.services import render_document
    except ImportError as error:
        rows.append({"case": "city-report", "skipped": str(error)})
        return rows
    admin = get_user_model().objects.get(username="admin")
    for year in years:
        ms, rendered = _timed(
            functools.partial(render_document, actor=admin, unit=city, kind="city-report", year=year),
            max(1, repeat // 2),
        )
        row = {"case": f"city-report document {year} (in process)", "seconds": round(ms / 1000, 3), "bytes": len(rendered.content),
               "meets_target": ms / 1000 < TARGETS["city_document_s"]}  # fmt: skip
        log(f"  {row['case']:<44} {row['seconds']:>8.3f} s  ({row['bytes']:,} bytes)")
        rows.append(row)
    return rows


def bench_document_cli(env: dict[str, str], year: int) -> dict[str, Any]:
    """The documented command end to end (a fresh process: Django start-up included; real clock)."""
    from bench.generate import CITY_SLUG

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "bao-cao-thanh-pho.docx"
        command = [str(VENV_BIN / "friendlygov"), "documents", "render", "--kind", "city-report", "--unit", CITY_SLUG,
                   "--year", str(year), "--out", str(out)]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, timeout=600)
        seconds = time.perf_counter() - started
        row = {"case": f"friendlygov documents render --kind city-report --year {year} (CLI)", "seconds": round(seconds, 3),
               "exit": done.returncode, "bytes": out.stat().st_size if out.exists() else 0,
               "meets_target": done.returncode == 0 and seconds < TARGETS["city_document_s"]}  # fmt: skip
        if done.returncode:
            row["stderr"] = done.stderr[-500:]
    log(f"  {row['case']:<44} {row['seconds']:>8.3f} s  exit {row['exit']}")
    return row


# --------------------------------------------------------------------------------------------------
# 4. Load: public survey submissions through gunicorn under wrk


LUA = r"""
wrk.method = "POST"
wrk.body = "%(body)s"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken=%(csrf)s"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; redirects = 0; other = 0 end
function response(status, headers, body)
  if status >= 300 and status < 400 then redirects = redirects + 1
  elseif status >= 200 and status < 300 then ok = ok + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local r, o, x = 0, 0, 0
  for _, t in ipairs(threads) do r = r + t:get("redirects"); o = o + t:get("ok"); x = x + t:get("other") end
  io.write(string.format("WRKRESULT %%d %%d %%d %%d %%d %%d %%d %%d\n", summary.requests, summary.duration, r, o, x,
    latency:percentile(50), latency:percentile(99), summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _wrk(script: Path, url: str, seconds: int, connections: int, threads: int) -> dict[str, Any]:
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), url],
        capture_output=True, text=True, timeout=seconds + 60,
    )  # fmt: skip
    match = re.search(r"WRKRESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", done.stdout)
    if match is None:
        raise RuntimeError(f"wrk: không đọc được kết quả:\n{done.stdout}\n{done.stderr}")
    requests, micros, redirects, ok, other, p50, p99, socket_errors = (int(g) for g in match.groups())
    return {
        "requests": requests, "seconds": round(micros / 1e6, 2), "per_second": round(requests / (micros / 1e6), 1),
        "responses_3xx": redirects, "responses_2xx": ok, "responses_other": other, "socket_errors": socket_errors,
        "latency_p50_ms": round(p50 / 1000, 1), "latency_p99_ms": round(p99 / 1000, 1),
    }  # fmt: skip


def bench_load(env: dict[str, str], seconds: int, workers: int, connections: int) -> dict[str, Any]:
    from bench.generate import BENCH_UNIT
    from bench.urls import WRITE_LINK
    from friendlygov.org.models import Unit
    from friendlygov.surveys.models import Questionnaire, Response, SurveyLink

    if shutil.which("wrk") is None:
        return {"skipped": "wrk chưa được cài (apt-get install -y wrk)"}
    unit = Unit.objects.get(slug=BENCH_UNIT)
    sipas = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    links = {
        token: SurveyLink.objects.get_or_create(
            token=token,
            defaults={
                "unit": unit,
                "questionnaire": sipas,
                "label": label,
                "receipt_mode": SurveyLink.ReceiptMode.OFF,
            },
        )[0]
        for token, label in ((BENCH_LINK, "Điểm khảo sát thử tải"), (WRITE_LINK, "Thử tải: chỉ ghi"))
    }
    link = links[BENCH_LINK]
    from django.db import connections as db_connections

    db_connections.close_all()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = Path(env["FRIENDLYGOV_VAR_DIR"]) / "gunicorn.log"
    server_env = {**os.environ, **env}
    with log_path.open("w") as server_log:
        server = subprocess.Popen(
            [str(VENV_BIN / "friendlygov"), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            env=server_env, stdout=server_log, stderr=subprocess.STDOUT, cwd=str(ROOT), start_new_session=True,
        )  # fmt: skip
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"gunicorn không khởi động được; xem {log_path}")
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(f"{base}/ks/{BENCH_LINK}/", timeout=10) as response:
            page = response.read().decode()
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        hidden = dict(re.findall(r'name="(csrfmiddlewaretoken|started|version)" value="([^"]*)"', page))
        hidden.update(
            {
                k: v
                for v, k in re.findall(r'value="([^"]*)" name="(csrfmiddlewaretoken|started|version)"', page)
            }
        )
        items = sorted({int(n) for n in re.findall(r'name="i(\d+)"', page)})
        if not items or "csrfmiddlewaretoken" not in hidden:
            raise RuntimeError("không đọc được phiếu khảo sát công khai (thiếu câu hỏi hoặc mã CSRF)")
        fields = {**hidden, "website": "", **{f"i{n}": str(4 + n % 2) for n in items}}
        body = urllib.parse.urlencode(fields)
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "post.lua"
            script.write_text(LUA % {"body": body, "csrf": csrf})
            _wrk(script, f"{base}/bench/bare/", 3, connections, 2)  # warm-up (every worker, both paths)
            _wrk(script, f"{base}/ks/{BENCH_LINK}/", 3, connections, 2)
            accepted_before = Response.objects.filter(link=link, status=Response.Status.ACCEPTED).count()
            all_before = Response.objects.filter(link=link).count()
            bare = _wrk(script, f"{base}/bench/bare/", seconds, connections, 2)
            log(
                f"  bare view:          {bare['per_second']:>8.1f} req/s  p50 {bare['latency_p50_ms']} ms  p99 {bare['latency_p99_ms']} ms"
            )
            submit = _wrk(script, f"{base}/ks/{BENCH_LINK}/", seconds, connections, 2)
            log(
                f"  survey submissions: {submit['per_second']:>8.1f} req/s  p50 {submit['latency_p50_ms']} ms  p99 {submit['latency_p99_ms']} ms"
            )
            write = _wrk(script, f"{base}/bench/write/", seconds, connections, 2)
            log(
                f"  bare view + insert: {write['per_second']:>8.1f} req/s  p50 {write['latency_p50_ms']} ms  p99 {write['latency_p99_ms']} ms"
            )
            batched = _wrk(script, f"{base}/bench/write-batched/", seconds, connections, 2)
            log(
                f"  + group commit:     {batched['per_second']:>8.1f} req/s  p50 {batched['latency_p50_ms']} ms  p99 {batched['latency_p99_ms']} ms"
            )
        time.sleep(2)  # let requests still in flight when wrk stopped finish
        accepted = (
            Response.objects.filter(link=link, status=Response.Status.ACCEPTED).count() - accepted_before
        )
        stored = Response.objects.filter(link=link).count() - all_before
        redirects = submit["responses_3xx"]
        workers_mb = {str(pid): vm_hwm_mb(pid) for pid in _children(server.pid)}
        master_mb = vm_hwm_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        # the load test's answers (dated today, real clock) must not change the next run's figures
        delete_responses(Response.objects.filter(link__token__in=list(links)))
    # the reference: the same post answered by a view that stores one answer durably and nothing else
    ratio = submit["per_second"] / write["per_second"] if write["per_second"] else math.nan
    # The load test posts one form token over and over: since a token is good for one answer, the repeats
    # are kept for review (stored, not accepted). An answer is lost only when it was not stored at all.
    lost = max(0, redirects - stored)
    result = {
        "workers": workers, "threads_per_worker": 4, "connections": connections, "seconds": seconds,
        "bare": bare, "submit": submit, "write": write, "write_batched": batched, "ratio": round(ratio, 3),
        "ratio_to_bare": round(submit["per_second"] / bare["per_second"], 3) if bare["per_second"] else None,
        "batched_ratio_to_bare": round(batched["per_second"] / bare["per_second"], 3) if bare["per_second"] else None,
        "accepted_rows": accepted, "stored_rows": stored, "redirects_counted": redirects, "lost_answers": lost,
        "meets_target": ratio >= TARGETS["load_ratio"] and lost == 0 and submit["responses_other"] == 0,
        "memory_meets_target": all(v <= TARGETS["worker_peak_mb"] for v in workers_mb.values() if v),
        "worker_peak_rss_mb": workers_mb, "master_peak_rss_mb": master_mb,
    }  # fmt: skip
    log(f"  ratio to the insert view {ratio:.2f} (target ≥ {TARGETS['load_ratio']}); 3xx counted {redirects}, accepted rows +{accepted}, "
        f"lost {lost}; non-3xx {submit['responses_other']}")  # fmt: skip
    log(f"  worker peak RSS (VmHWM): {workers_mb} MB")
    return result


# --------------------------------------------------------------------------------------------------


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("select sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo hiệu năng trên dữ liệu cỡ thành phố (bench/RESULTS.md)")
    parser.add_argument("--size", choices=["small", "full"], default="small")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--as-of", default="2030-11-20")
    parser.add_argument("--regenerate", action="store_true", help="tạo lại dữ liệu dù đã có")
    parser.add_argument("--strict", action="store_true", help="dừng nếu một bước tạo dữ liệu bị lỗi")
    parser.add_argument(
        "--only", default="pages,sipas,figures,assess,load", help="các phần cần đo, cách nhau bằng dấu phẩy"
    )
    parser.add_argument("--requests", type=int, default=20, help="số lần gọi mỗi trang (sau khi làm nóng)")
    parser.add_argument("--load-seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="số worker gunicorn của phép thử tải")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    parts = {p.strip() for p in args.only.split(",") if p.strip()}

    env = configure(args.db, args.size)
    if args.db == "postgres":
        ensure_postgres_database(env["DATABASE_URL"])
    import django

    django.setup()
    started = dt.datetime.now().astimezone()
    log(f"== friendlygov bench: size {args.size}, {args.db} ({env['DATABASE_URL'].split('@')[-1]})")
    generation = ensure_data(args, env)
    result: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "size": args.size,
        "db": args.db,
        "database": database_version(),
        "machine": machine(),
        "as_of": args.as_of,
        "generation": generation,
        "targets": TARGETS,
    }
    as_of = dt.date.fromisoformat(args.as_of)
    with freeze(args.as_of):
        if "pages" in parts:
            log("-- pages (server time through the test Client, logged in)")
            result["pages"] = bench_pages(args.requests, warmup=3)
            result["pages"] += bench_open_season(args.requests, warmup=3)
        if "sipas" in parts:
            log("-- SIPAS figures vs hand-written SQL")
            result["sipas"] = [
                bench_sipas(10 if args.size == "small" else 5, year) for year in (as_of.year - 1,)
            ]
        if "figures" in parts:
            log("-- kept figures: cost on writes, rebuild")
            result["figures"] = bench_figures_write(50 if args.size == "small" else 20)
        if "assess" in parts:
            log("-- assessing every unit; the city's document")
            result["assess"] = bench_assess(3, [as_of.year, as_of.year - 1])
    if "assess" in parts:
        result.setdefault("assess", []).append(bench_document_cli(env, as_of.year - 1))
    result["bench_process_peak_rss_mb"] = vm_hwm_mb()
    if "load" in parts:
        log(f"-- load: public survey submissions through gunicorn ({args.workers} workers) under wrk")
        result["load"] = bench_load(env, args.load_seconds, args.workers, args.connections)
    result["machine"]["loadavg_at_end"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{started:%Y%m%d-%H%M}-{args.db}-{args.size}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    print_table(result)
    log(f"JSON: {out}")
    return 0


def print_table(result: dict[str, Any]) -> None:
    def mark(ok: Any) -> str:
        return "ok" if ok else "MISSED"

    log("")
    log(f"{'measure':<52} {'value':>22}  target")
    for row in result.get("pages", []):
        log(
            f"{'page: ' + row['page']:<52} {row['p95_ms']:>12.1f} ms p95 ({row['queries']:>3} q)  ≤{TARGETS['page_p95_ms']} ms {mark(row['meets_target'])}"
        )
    for block in result.get("sipas", []):
        for row in block["rows"]:
            verdict = "informative" if row["meets_target"] is None else mark(row["meets_target"])
            log(
                f"{'SIPAS ' + row['case']:<52} {'×' + format(row['ratio'], '.2f'):>22}  ≤{TARGETS['sipas_ratio']}× {verdict}"
            )
    for row in result.get("assess", []):
        if "skipped" in row:
            log(f"{row['case']:<52} {'skipped':>22}")
            continue
        limit = "<1 s" if "assess" in row["case"] else "<10 s"
        log(f"{row['case'][:52]:<52} {row['seconds']:>20.3f} s  {limit} {mark(row['meets_target'])}")
    load = result.get("load")
    if load and "skipped" not in load:
        log(
            f"{'survey submissions/s vs plain insert view':<52} {load['submit']['per_second']:>9.1f} / {load['write']['per_second']:<9.1f}  ≥{TARGETS['load_ratio']}× {mark(load['meets_target'])} (×{load['ratio']:.2f}, lost {load['lost_answers']})"
        )
        log(f"{'bare view, nothing stored (informative)':<52} {load['bare']['per_second']:>9.1f}")
        if "write_batched" in load:
            log(
                f"{'the same, group commit (reference)':<52} {load['write_batched']['per_second']:>9.1f}"
                f"  ×{load['batched_ratio_to_bare']:.2f} of the bare view"
            )
        peak = max((v for v in load["worker_peak_rss_mb"].values() if v), default=None)
        log(
            f"{'worker peak memory (VmHWM)':<52} {str(peak) + ' MB':>22}  ≤{TARGETS['worker_peak_mb']} MB {mark(load['memory_meets_target'])}"
        )
    figures = result.get("figures")
    if figures:
        for name, row in figures.items():
            if name == "rows":
                continue
            if isinstance(row, dict):
                log(
                    f"{'kept figures: ' + name:<52} {row['p50_ms']:>9.2f} ms p50 {row['p95_ms']:>7.2f} ms p95"
                )
            else:
                log(f"{'kept figures: ' + name:<52} {row:>20.2f} s")


if __name__ == "__main__":
    sys.exit(main())
