"""`friendlygov create-token --user USER`: an API token for an existing account (integrations, the CI fuzz run)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from friendlygov.commands._common import InputError, report_input_error, setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "create-token", help="Tạo mã API cho một tài khoản (in mã ra màn hình, chỉ một lần)"
    )
    parser.add_argument("--user", required=True, help="tên đăng nhập của tài khoản")
    parser.add_argument("--name", default="Dòng lệnh", help="tên gợi nhớ của mã")
    parser.set_defaults(func=run_create_token)


def run_create_token(args: argparse.Namespace) -> int:
    setup_django()
    from django.contrib.auth import get_user_model

    from friendlygov.org.services import create_api_token

    try:
        user = get_user_model().objects.filter(username=args.user).first()
        if user is None:
            raise InputError(f"Không có tài khoản «{args.user}» (tham số --user).")
        if not user.is_active:
            raise InputError(f"Tài khoản «{args.user}» đã bị khóa (tham số --user).")
    except InputError as error:
        return report_input_error(error)
    raw = create_api_token(actor=user, name=args.name)
    sys.stdout.write(raw + "\n")
    return 0
