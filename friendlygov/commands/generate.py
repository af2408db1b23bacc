"""`friendlygov generate-city`: fill the configured database with a whole city's data for benchmarks.

    friendlygov generate-city --size small|full [--seed N] [--as-of YYYY-MM-DD] [--force]

The generator itself lives in ``bench/generate.py`` (next to the benchmarks that read its data); this
command loads it from the source tree. See that module for what is generated and how (bulk inserts, no
per-row audit). Exit 0 when done, 2 on invalid input or a non-empty database without ``--force``.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from friendlygov.commands._common import InputError, report_input_error

GENERATOR = Path(__file__).resolve().parent.parent.parent / "bench" / "generate.py"


def load_generator() -> ModuleType:
    """bench/generate.py as a module (the bench folder is not part of the installed package)."""
    if not GENERATOR.is_file():
        raise InputError(
            f"Không tìm thấy bộ tạo dữ liệu {GENERATOR}: lệnh này chỉ chạy từ mã nguồn của dự án (thư mục bench/)."
        )
    spec = importlib.util.spec_from_file_location("friendlygov_bench_generate", GENERATOR)
    if spec is None or spec.loader is None:  # pragma: no cover - a readable .py file always has a spec
        raise InputError(f"Không nạp được bộ tạo dữ liệu {GENERATOR}.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file executes
    spec.loader.exec_module(module)
    return module


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "generate-city",
        help="Tạo dữ liệu thử tải cỡ thành phố (114 đơn vị, 5 năm) vào cơ sở dữ liệu đang cấu hình",
        description="Tạo dữ liệu thử tải cỡ thành phố, xác định theo --seed; ghi vào cơ sở dữ liệu theo "
        "DATABASE_URL. Từ chối cơ sở dữ liệu đã có dữ liệu trừ khi có --force.",
    )
    parser.add_argument(
        "--size", default="small", help="small (~10 đơn vị, giảm 50 lần) hoặc full (114 đơn vị)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (mặc định 2026)")
    parser.add_argument(
        "--as-of", default="2030-11-20", help="ngày “hôm nay” của dữ liệu (mặc định 2030-11-20)"
    )
    parser.add_argument("--force", action="store_true", help="xóa toàn bộ dữ liệu hiện có rồi tạo lại")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        generator = load_generator()
    except InputError as error:
        return report_input_error(error)
    status = int(generator.run(args))
    if status == 0:  # the generator writes in bulk: the kept figures are counted from its records
        from friendlygov.tallies.services import rebuild

        rebuild(analyze=True)
    return status
