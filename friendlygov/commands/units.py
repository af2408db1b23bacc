"""`friendlygov units load`: the province (or city) and all its commune-level units from the official list.

    friendlygov units load --province CODE [--file UNITS.tsv] [--format json|text]

Reads the list shipped with the package (or ``--file``, a file of the same columns) before touching the
database: an unknown province code or a file without the columns exits 2 and changes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from friendlygov.commands._common import (
    InputError,
    InputTooLarge,
    print_json,
    read_capped,
    report_input_error,
    setup_django,
)

FORMATS = ("json", "text")


def register(subparsers: Any) -> None:
    units = subparsers.add_parser("units", help="đơn vị hành chính cấp xã theo danh mục chính thức")
    actions = units.add_subparsers(dest="units_command", metavar="LỆNH")
    actions.required = True
    load = actions.add_parser(
        "load",
        help="tạo/cập nhật tỉnh, thành phố và các đơn vị cấp xã của nó theo danh mục",
        description=(
            "Tạo hoặc cập nhật tỉnh, thành phố có mã CODE và mọi đơn vị hành chính cấp xã của nó theo danh mục "
            "đơn vị hành chính từ 01/7/2025 (Công văn 1027/CTK-CSCL); chạy lại không thay đổi gì, không xóa đơn vị nào."
        ),
    )
    load.add_argument("--province", required=True, metavar="CODE", help="mã tỉnh, thành phố (ví dụ 31)")
    load.add_argument("--file", metavar="UNITS.tsv", help="tệp danh mục khác, cùng các cột")
    load.add_argument("--format", default="json", metavar="ĐỊNH_DẠNG", help="json (mặc định) hoặc text")
    load.set_defaults(func=run_load)


def _read_list(path: str | None) -> Any:
    from friendlygov.org import official_list

    if path is None:
        text = official_list.shipped_text()
    else:
        try:
            data = read_capped(path)
        except InputTooLarge as exc:
            raise InputError(exc.message("--file")) from None
        except OSError as exc:
            raise InputError(f"--file: không đọc được tệp «{path}» ({exc.strerror or exc}).") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"--file: tệp «{path}» không phải văn bản UTF-8.") from None
    try:
        return official_list.parse(text)
    except official_list.OfficialListError as exc:
        raise InputError([f"--file: {p}" if path else p for p in exc.problems]) from None


def run_load(args: argparse.Namespace) -> int:
    try:
        if args.format not in FORMATS:
            raise InputError(f"--format: định dạng «{args.format}» không hợp lệ; dùng «json» hoặc «text».")
        provinces = _read_list(args.file)
        code = args.province.strip()
        if code not in provinces:
            known = ", ".join(sorted(provinces))
            raise InputError(
                f"--province: không có tỉnh, thành phố mã «{args.province}» trong danh mục (các mã: {known})."
            )
    except InputError as error:
        return report_input_error(error)
    setup_django()
    from django.core.exceptions import ValidationError

    from friendlygov.org import official_list, services

    source = official_list.SHIPPED_SOURCE if args.file is None else f"tệp {Path(args.file).name}"
    try:
        result = services.load_official_units(actor=None, province=provinces[code], source=source)
    except ValidationError as exc:  # nothing is saved (one transaction)
        return report_input_error(InputError(exc.messages))
    if args.format == "json":
        print_json(result.as_json())
    else:
        print(
            f"{result.province} ({result.province_code}, {result.city.slug}): "
            f"{result.created} đơn vị mới, {result.updated} cập nhật, {result.unchanged} không đổi."
        )
    return 0
