"""`friendlygov remind`: the daily reminder job (cron or a systemd timer).

Extends open-ended plans' deadlines through next year, then sends each responsible person what is due
in 7 days, due tomorrow and late — by e-mail and in the app — once per occurrence, step and person (a
unique notification key makes a second run, or a run on another machine at the same time, send nothing).

    friendlygov remind [--today YYYY-MM-DD] [--format text|json]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import re
import sys
from typing import Any

from friendlygov.commands._common import InputError, print_json, report_input_error, setup_django

FORMATS = ("text", "json")


def register(subparsers: Any) -> None:
    remind = subparsers.add_parser(
        "remind",
        help="nhắc việc hằng ngày: sắp đến hạn 7 ngày, đến hạn ngày mai, quá hạn",
        description=(
            "Gửi nhắc việc (thư điện tử và thông báo trong hệ thống) cho người chịu trách nhiệm, mỗi việc mỗi "
            "bước một lần; chạy hằng ngày bằng cron hoặc systemd timer."
        ),
    )
    remind.add_argument(
        "--today", metavar="NGÀY", help="ngày tính nhắc việc, dạng YYYY-MM-DD (mặc định hôm nay)"
    )
    remind.add_argument("--format", default="text", metavar="ĐỊNH_DẠNG", help="text (mặc định) hoặc json")
    remind.add_argument(
        "--allow-loopback",
        action="store_true",
        help="vẫn gửi khi FRIENDLYGOV_SITE_URL chưa đặt hoặc là địa chỉ nội bộ (127.0.0.1, localhost): chỉ để thử",
    )
    remind.set_defaults(func=run_remind)


def _check_today(value: str | None) -> dt.date | None:
    if value is None:
        return None
    text = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise InputError(f"--today: «{value}» không đúng dạng YYYY-MM-DD (ví dụ 2026-02-06).")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--today: ngày «{value}» không tồn tại.") from None


def run_remind(args: argparse.Namespace) -> int:
    try:
        if args.format not in FORMATS:
            raise InputError(f"--format: định dạng «{args.format}» không hợp lệ; dùng «text» hoặc «json».")
        today = _check_today(args.today)
    except InputError as error:
        return report_input_error(error)
    setup_django()
    from friendlygov.kit import site

    # Reminders carry links; with no public address (or a loopback one) every link would be dead.
    if not args.allow_loopback and (problem := site.loopback_problem()) is not None:
        return report_input_error(InputError(problem))
    from friendlygov.feedback.services import daily_job as feedback_daily_job
    from friendlygov.plans.models import local_today
    from friendlygov.plans.services import ensure_occurrences_through, send_reminders

    today = today or local_today()
    # Only the summary goes to stdout (a console e-mail backend would otherwise mix mails into the JSON).
    with contextlib.redirect_stdout(sys.stderr):
        extended = ensure_occurrences_through(today.year + 1)
        result = send_reminders(today=today)
        # The same daily run erases expired citizens' contact details and reminds feedback handlers.
        feedback = feedback_daily_job(today=today)
    if args.format == "json":
        print_json(
            {
                "today": today.isoformat(),
                "plans_extended": extended,
                "occurrences": result.occurrences,
                "sent": result.sent,
                "already_sent": result.already,
                "feedback_reminders": feedback["reminders"],
                "contacts_erased": feedback["contacts_erased"],
            }
        )
    else:
        print(
            f"Nhắc việc ngày {today:%d/%m/%Y}: {result.occurrences} việc cần nhắc, đã gửi {result.sent} nhắc việc mới "
            f"({result.already} đã gửi trước đó); mở rộng hạn cho {extended} kế hoạch. "
            f"Phản ánh: {feedback['reminders']} nhắc hạn, xóa thông tin liên hệ hết hạn lưu của "
            f"{feedback['contacts_erased']} phản ánh."
        )
    return 0
