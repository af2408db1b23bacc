"""What the benchmarks share: the benchmark database's environment (set before Django is), the machine,
the targets, the generated data (made once per size, seed and as-of date), timing helpers."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

# the source tree (this file is bench/measure/environment.py)
ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "bench" / "results"


VENV_BIN = Path(sys.executable).parent


BENCH_LINK = "bench-tai-thu"


TARGETS = {
    "page_p95_ms": 100,
    "sipas_ratio": 1.5,
    # issue 18: every unit assessed, every cycle open, in process; the city's consolidated document in process
    "assess_city_s": 0.1,
    "city_document_s": 0.5,
    # public survey submissions per second ÷ the plain durable insert view's (/bench/write/)
    "load_ratio": 0.7,
    "worker_peak_mb": 150,
}


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


def ensure_data(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    """Generate the city unless the benchmark database already holds the same generation."""
    from bench import generate

    marker = Path(env["FRIENDLYGOV_VAR_DIR"]) / "generated.json"
    wanted = {"size": args.size, "seed": args.seed, "as_of": args.as_of}
    if marker.is_file() and not args.regenerate:
        info = json.loads(marker.read_text())
        if all(info.get(k) == v for k, v in wanted.items()) and any(generate.database_has_data()):
            log(f"Dữ liệu đã có ({marker}); dùng lại. --regenerate để tạo lại.")
            from django.core.management import call_command

            from friendlygov.tallies.models import SurveyTally

            # the data was generated by an earlier version: its schema is brought up to this one's
            call_command("migrate", interactive=False, verbosity=0)

            if not SurveyTally.objects.exists():  # generated before the kept figures existed
                rebuild_figures()
            info["reused"] = True
            return dict(info)
    ctx = generate.generate(
        size=args.size,
        seed=args.seed,
        as_of=dt.date.fromisoformat(args.as_of),
        force=True,
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


def _spread(function: Callable[[], Any], repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(times), 3), "p95_ms": round(percentile(times, 95), 3)}


def _timed(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time in ms over ``repeat`` runs (after one untimed run) and the last result."""
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("select sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"
