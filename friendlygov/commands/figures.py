"""`friendlygov figures rebuild`: count every kept figure (``friendlygov.tallies``) again from the records,
in one transaction — after restoring a backup or loading records in bulk. Prints JSON: per source, the rows
kept and how many of the rows kept before differed from the recount.

    friendlygov figures rebuild
"""

from __future__ import annotations

import argparse
from typing import Any

from friendlygov.commands._common import print_json, setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "figures",
        help="Số liệu tổng hợp lưu sẵn (đếm lại từ hồ sơ gốc)",
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


def run_rebuild(args: argparse.Namespace) -> int:
    setup_django()
    from friendlygov.tallies import services

    print_json(services.rebuild())
    return 0
