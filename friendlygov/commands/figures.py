"""`friendlygov figures rebuild`: count every kept figure (``friendlygov.tallies``) again from the records,
in one transaction — after restoring a backup or loading records in bulk. Prints JSON: per source, the rows
kept and how many of the rows kept before differed from the recount.

`friendlygov figures standings`: score and keep every city's open cycles' standings for the year (its timer
runs it each night at 00:05, so that the first reviewer of the day reads kept standings). Prints JSON: the
cities read, their open cycles and how many have a kept standing; exit 1 when some could not be kept.

    friendlygov figures rebuild
    friendlygov figures standings [--year YYYY]
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from friendlygov.commands._common import (
    InputError,
    check_year,
    print_json,
    report_input_error,
    setup_django,
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "figures",
        help="Số liệu tổng hợp lưu sẵn (đếm lại từ hồ sơ gốc; chấm sẵn các kỳ đang mở)",
        description="Số liệu tổng hợp lưu sẵn cho trang của thành phố, văn bản và tiêu chí đo được.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    rebuild = actions.add_parser(
        "rebuild",
        help="Đếm lại toàn bộ số liệu lưu sẵn từ hồ sơ gốc (một giao dịch)",
        description="Đếm lại toàn bộ số liệu lưu sẵn từ hồ sơ gốc trong một giao dịch; in JSON số dòng.",
    )
    rebuild.set_defaults(func=run_rebuild)
    standings = actions.add_parser(
        "standings",
        help="Chấm sẵn và lưu kết quả các kỳ đánh giá đang mở của mọi tỉnh, thành phố (chạy mỗi đêm)",
        description=(
            "Chấm sẵn các kỳ đánh giá đang mở của mọi tỉnh, thành phố trong năm và lưu kết quả cho bảng tổng "
            "hợp; in JSON số tỉnh, thành phố, số kỳ đang mở và số kỳ đã lưu kết quả."
        ),
    )
    standings.add_argument("--year", metavar="NĂM", help="năm đánh giá, dạng YYYY (mặc định năm nay)")
    standings.set_defaults(func=run_standings)


def run_rebuild(args: argparse.Namespace) -> int:
    setup_django()
    from friendlygov.tallies import services

    print_json(services.rebuild())
    return 0


def run_standings(args: argparse.Namespace) -> int:
    from friendlygov.kit.params import YEAR_MAX, YEAR_MIN  # here: the command line starts without pydantic

    try:
        # the programme's years, as the pages and the API take them
        year = check_year(args.year, "--year", low=YEAR_MIN, high=YEAR_MAX) if args.year is not None else None
    except InputError as error:
        return report_input_error(error)
    setup_django()
    from django.utils import timezone

    from friendlygov.assessments.services.standings import keep_all_standings

    result = keep_all_standings(year=year or timezone.localdate().year)
    print_json(result)
    if result["kept"] < result["open_cycles"]:
        print(
            f"Chỉ lưu được kết quả của {result['kept']}/{result['open_cycles']} kỳ đánh giá đang mở "
            "(cơ sở dữ liệu bận ghi, xem nhật ký); chạy lại lệnh sau.",
            file=sys.stderr,
        )
        return 1
    return 0
