"""`friendlygov serve`, `setup`, `load-demo` and `manage`: running the web app and its admin tasks."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from friendlygov.commands._common import setup_django


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser("serve", help="Chạy máy chủ web (gunicorn; --dev: máy chủ phát triển)")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    serve.add_argument(
        "--dev", action="store_true", help="máy chủ phát triển của Django, tự nạp lại khi sửa mã"
    )
    serve.set_defaults(func=run_serve)

    setup = subparsers.add_parser("setup", help="Tạo/cập nhật cơ sở dữ liệu; nạp dữ liệu mẫu nếu còn trống")
    setup.add_argument("--no-demo", action="store_true")
    setup.set_defaults(func=run_setup)

    demo = subparsers.add_parser("load-demo", help="Nạp dữ liệu mẫu (chỉ khi cơ sở dữ liệu trống)")
    demo.set_defaults(func=run_load_demo)

    manage = subparsers.add_parser(
        "manage", help="Lệnh quản trị của Django (migrate, createsuperuser, …)", add_help=False
    )
    manage.set_defaults(func=run_manage, accepts_extra=True)


def run_setup(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from friendlygov.core.demo import database_is_empty, load_demo

    os.makedirs(settings.VAR_DIR, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)  # only does something with FRIENDLYGOV_CACHE=db
    if not args.no_demo and database_is_empty():
        load_demo()
        print("Đã nạp dữ liệu mẫu (Hải Phòng, Thanh Miện…). Mật khẩu mẫu: xem README.")
    return 0


def run_load_demo(args: argparse.Namespace) -> int:
    setup_django()
    from friendlygov.core.demo import database_is_empty, load_demo

    if not database_is_empty():
        print("Cơ sở dữ liệu đã có dữ liệu; không nạp dữ liệu mẫu.", file=sys.stderr)
        return 2
    load_demo()
    return 0


def run_manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["friendlygov manage", *args.extra])
    return 0


def run_serve(args: argparse.Namespace) -> int:
    # Django's debug pages list every URL pattern and show tracebacks: only for the development server.
    os.environ["FRIENDLYGOV_DEBUG"] = "1" if args.dev else "0"
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    os.makedirs(settings.VAR_DIR, exist_ok=True)
    if args.dev:
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=True)
        return 0
    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    from gunicorn.app.wsgiapp import run as gunicorn_run

    sys.argv = [
        "gunicorn",
        "friendlygov.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        os.environ.get("FRIENDLYGOV_THREADS", "4"),
        "--access-logfile",
        "-",
        "--timeout",
        "60",
    ]
    print(f"Đang phục vụ tại http://{args.host}:{args.port}/ (Ctrl+C để dừng)", flush=True)
    gunicorn_run()
    return 0
