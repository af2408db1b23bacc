"""`friendlygov feedback-purge`: erase citizens' contact details kept longer than their unit's retention
period (Nghị định 13/2023/NĐ-CP). Safe to run every day from cron.

    friendlygov feedback-purge [--today YYYY-MM-DD] [--dry-run]
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from friendlygov.commands._common import InputError, report_input_error, setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "feedback-purge",
        help="Xóa thông tin liên hệ của người phản ánh đã quá thời hạn lưu",
        description="Xóa thông tin liên hệ của người phản ánh khi đã quá thời hạn lưu mà đơn vị đặt "
        "(tính từ ngày phản ánh được giải quyết xong).",
    )
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="ngày tính hạn (mặc định: hôm nay)")
    parser.add_argument("--dry-run", action="store_true", help="chỉ đếm, không xóa")
    parser.set_defaults(func=run)


def _parse_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--today: «{value}» không phải ngày hợp lệ (định dạng YYYY-MM-DD).") from exc


def run(args: argparse.Namespace) -> int:
    try:
        today = _parse_day(args.today)
    except InputError as error:
        return report_input_error(error)
    setup_django()
    from friendlygov.feedback.services import purge_expired_contacts

    count = purge_expired_contacts(today=today, dry_run=args.dry_run)
    if args.dry_run:
        print(f"Có {count} phản ánh đã quá thời hạn lưu thông tin liên hệ (chưa xóa).")
    else:
        print(f"Đã xóa thông tin liên hệ của {count} phản ánh quá thời hạn lưu.")
    return 0
