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

This file is the entry point; each benchmark lives in its own module of ``bench/measure/`` (what they share,
from the environment to the targets, in ``bench/measure/environment.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

# The benchmarks are imported as ``bench.measure``: run as a script, this file puts the source tree on the
# path first.
if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure.assess import bench_assess, bench_document_cli  # noqa: E402
from bench.measure.environment import (  # noqa: E402
    RESULTS,
    ROOT,
    TARGETS,
    configure,
    database_version,
    ensure_data,
    ensure_postgres_database,
    freeze,
    log,
    machine,
    vm_hwm_mb,
)
from bench.measure.load import bench_load  # noqa: E402
from bench.measure.pages import (  # noqa: E402
    COLD,
    NEW_ANSWER,
    bench_figures_write,
    bench_open_season,
    bench_pages,
    main_pages,
)
from bench.measure.sipas import bench_sipas  # noqa: E402

__all__ = [  # what tests read from here, besides main
    "COLD",
    "NEW_ANSWER",
    "ROOT",
    "TARGETS",
    "main",
    "main_pages",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo hiệu năng trên dữ liệu cỡ thành phố (bench/RESULTS.md)")
    parser.add_argument("--size", choices=["small", "full"], default="small")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--as-of", default="2030-11-20")
    parser.add_argument("--regenerate", action="store_true", help="tạo lại dữ liệu dù đã có")
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
        limit = TARGETS["assess_city_s"] if "assess" in row["case"] else TARGETS["city_document_s"]
        verdict = "informative" if row["meets_target"] is None else mark(row["meets_target"])
        log(f"{row['case'][:52]:<52} {row['seconds']:>20.3f} s  ≤{limit} s {verdict}")
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
