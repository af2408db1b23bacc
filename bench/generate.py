"""City-scale data generator: a whole city (Hải Phòng: 67 communes, 45 wards, 2 special zones, with their
real names and official codes from the list shipped in friendlygov/org/data) with five programme years
(2026–2030), deterministic from a seed.

    .venv/bin/friendlygov generate-city --size small|full [--seed N] [--as-of YYYY-MM-DD] [--force]
    .venv/bin/python bench/generate.py --size small        # the same, without the installed command

It writes into the database the settings point at (``DATABASE_URL``; SQLite in var/ by default), after
``migrate``, and refuses a database that already holds units or users unless ``--force`` is given (then
everything is flushed first).

The data is "the city in late 2030" (``--as-of``, default 2030-11-20): years before the as-of date are
finished (deadlines done with evidence, cycles recognised, feedback answered, dossiers returned); the
as-of year is in progress (cycles in every state, open feedback, pending dossiers). Benchmarks freeze the
clock at the same date so that "this year" means 2030.

How it is fast: rows are built in Python and written with ``bulk_create(batch_size=…)`` inside one
transaction per step (per unit chunk for the big tables). It deliberately bypasses the services: **no
per-row audit events, no notifications, no validation calls** — the values are generated valid by
construction (the scoring values are checked with the pure engine). Uploaded files are not written one
by one: every ``EvidenceFile`` row points at one of a few small shared files.

Steps (each timed): org → files → plans → surveys → feedback → dossiers → assessments → operations; a
step that fails stops the generation (a city with an area missing would measure the wrong thing). This file is the entry point and runs the steps; each step lives in its own
module of ``bench/citygen/`` (what they share in ``bench/citygen/common.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# The steps are imported as ``bench.citygen``: run as a script or loaded by its path (`friendlygov
# generate-city`), this file puts the source tree on the path first.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.citygen.assessments import step_assessments  # noqa: E402
from bench.citygen.common import (  # noqa: E402
    BENCH_UNIT,
    BENCH_UNIT_CODE,
    CITY_CODE,
    CITY_SLUG,
    DEFAULT_AS_OF,
    DEFAULT_SEED,
    FIRST_YEAR,
    LAST_YEAR,
    PASSWORD,
    SIZES,
    Context,
    Workdays,
    feedback_code,
    log,
)
from bench.citygen.dossiers import step_dossiers  # noqa: E402
from bench.citygen.feedback import step_feedback  # noqa: E402
from bench.citygen.operations import step_operations  # noqa: E402
from bench.citygen.org import step_files, step_org  # noqa: E402
from bench.citygen.plans import step_plans  # noqa: E402
from bench.citygen.surveys import step_surveys  # noqa: E402

__all__ = [  # what the benchmarks and tests read from here, besides the functions below
    "BENCH_UNIT",
    "BENCH_UNIT_CODE",
    "CITY_CODE",
    "CITY_SLUG",
    "DEFAULT_AS_OF",
    "DEFAULT_SEED",
    "FIRST_YEAR",
    "LAST_YEAR",
    "PASSWORD",
    "SIZES",
    "Context",
    "GenerateError",
    "add_arguments",
    "database_has_data",
    "feedback_code",
    "generate",
    "main",
    "parse_date",
    "run",
    "summary",
]


STEPS: list[tuple[str, Callable[[Context], None]]] = [
    ("org", step_org),
    ("files", step_files),
    ("plans", step_plans),
    ("surveys", step_surveys),
    ("feedback", step_feedback),
    ("dossiers", step_dossiers),
    ("assessments", step_assessments),
    ("operations", step_operations),
]


class GenerateError(Exception):
    """The database is not empty (and --force was not given), or the size is unknown; Vietnamese message."""


def database_has_data() -> tuple[int, int]:
    """(units, accounts) already in the database."""
    from django.contrib.auth import get_user_model

    from friendlygov.org.models import Unit

    return Unit.objects.count(), get_user_model().objects.count()


def generate(
    *,
    size: str = "small",
    seed: int = DEFAULT_SEED,
    as_of: dt.date = DEFAULT_AS_OF,
    force: bool = False,
    migrate: bool = True,
) -> Context:
    """Generate the city into the configured database; returns the context (counts, timings)."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    if size not in SIZES:
        raise GenerateError(f"--size: «{size}» không hợp lệ (chọn một trong: {', '.join(SIZES)}).")
    if not FIRST_YEAR <= as_of.year <= LAST_YEAR + 1:
        raise GenerateError(
            f"--as-of: ngày {as_of:%d/%m/%Y} phải nằm trong các năm {FIRST_YEAR}–{LAST_YEAR + 1}."
        )
    started = time.perf_counter()
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    units, accounts = database_has_data()
    if units or accounts:
        if not force:
            raise GenerateError(
                f"Cơ sở dữ liệu đã có dữ liệu ({units} đơn vị, {accounts} tài khoản); không tạo dữ liệu thử tải. "
                "Dùng --force để xóa toàn bộ dữ liệu hiện có rồi tạo lại."
            )
        log("Xóa toàn bộ dữ liệu hiện có (--force)…")
        call_command("flush", interactive=False, verbosity=0)
    ctx = Context(
        size=SIZES[size],
        seed=seed,
        as_of=as_of,
        workdays=Workdays(dt.date(FIRST_YEAR - 1, 1, 1), dt.date(LAST_YEAR + 2, 12, 31)),
    )
    log(f"Tạo dữ liệu thành phố cỡ «{size}» (seed {seed}, tính đến ngày {as_of:%d/%m/%Y})")
    # DEBUG would keep the SQL of every multi-thousand-row INSERT in connection.queries: off while generating.
    with override_settings(DEBUG=False):
        for name, step in STEPS:
            _run_step(ctx, name, step, transaction)
    from django.db import connection

    if connection.vendor == "postgresql":
        # what autovacuum would have done on a live database: planner statistics after the bulk load
        analyzed = time.perf_counter()
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        ctx.timings["analyze"] = time.perf_counter() - analyzed
        log(f"  ✓ ANALYZE: {ctx.timings['analyze']:.1f} giây")
    ctx.timings["total"] = time.perf_counter() - started
    total_rows = sum(ctx.counts.values())
    log(f"Xong: {total_rows:,} dòng trong {ctx.timings['total']:.1f} giây.")
    for label, n in sorted(ctx.counts.items()):
        log(f"  {label:<40} {n:>12,}")
    return ctx


def _run_step(ctx: Context, name: str, step: Callable[[Context], None], transaction: Any) -> None:
    before = sum(ctx.counts.values())
    started = time.perf_counter()
    log(f"  → {name}")
    with transaction.atomic():
        step(ctx)
    elapsed = time.perf_counter() - started
    ctx.timings[name] = elapsed
    log(f"  ✓ {name}: {sum(ctx.counts.values()) - before:,} dòng, {elapsed:.1f} giây")


def summary(ctx: Context) -> dict[str, Any]:
    from django.db import connection

    return {
        "size": ctx.size.name,
        "seed": ctx.seed,
        "as_of": ctx.as_of.isoformat(),
        "database": connection.vendor,
        "counts": dict(sorted(ctx.counts.items())),
        "timings": {k: round(v, 2) for k, v in ctx.timings.items()},
    }


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise GenerateError(
            f"--as-of: «{text}» không phải ngày dạng YYYY-MM-DD (ví dụ 2030-11-20)."
        ) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--size", default="small", help="small (~10 đơn vị, giảm 50 lần) hoặc full (114 đơn vị)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"hạt giống ngẫu nhiên (mặc định {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--as-of", default=DEFAULT_AS_OF.isoformat(), help="ngày “hôm nay” của dữ liệu (mặc định 2030-11-20)"
    )
    parser.add_argument("--force", action="store_true", help="xóa toàn bộ dữ liệu hiện có rồi tạo lại")


def run(args: argparse.Namespace) -> int:
    """Entry point shared by `friendlygov generate-city` and `python bench/generate.py`."""
    try:
        as_of = parse_date(args.as_of)
        if args.size not in SIZES:
            raise GenerateError(f"--size: «{args.size}» không hợp lệ (chọn một trong: {', '.join(SIZES)}).")
    except GenerateError as error:
        print(error, file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "friendlygov.settings")
    import django

    django.setup()
    try:
        generate(size=args.size, seed=args.seed, as_of=as_of, force=args.force)
    except GenerateError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Tạo dữ liệu thử tải cỡ thành phố (xem bench/RESULTS.md)")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
