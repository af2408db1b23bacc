"""`friendlygov documents render`: one document of the cycle from the database, as a Decree 30 .docx
(or PDF through LibreOffice when FILE ends in .pdf).

    friendlygov documents render --kind KIND --unit CODE --year YYYY --out FILE.docx|FILE.pdf [--number N] [--date DD/MM/YYYY]

Without --number the document is a draft (DỰ THẢO, dotted blanks for the number and date) and is not
kept; with it, it is issued and kept, and a number already used by the unit in the calendar year of the
date is refused (exit 2). An issued document keeps its .docx in the register whatever FILE is; a PDF is
converted from it, and where LibreOffice is missing the command exits 2 before anything is issued (a
conversion that fails afterwards undoes the issue). The command acts as the system: the audit records no user.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import Any

from friendlygov.commands import signatures
from friendlygov.commands._common import InputError, report_input_error, setup_django

KINDS = (
    "plan",
    "registration",
    "self-assessment",
    "submission",
    "annual-report",
    "review",
    "city-report",
    "appraisal-notice",
    "recognition-decision",
)
_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "documents",
        help="Lập văn bản theo Nghị định 30 (Kế hoạch, công văn đăng ký, báo cáo, tờ trình) từ dữ liệu",
        description="Lập văn bản của chu kỳ “Chính quyền thân thiện” thành tệp Word (.docx) đúng thể thức "
        "Nghị định 30/2020/NĐ-CP.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    from friendlygov.commands.package import register_actions as add_verify_package

    add_verify_package(actions)  # verify-package: friendlygov/commands/package.py
    render = actions.add_parser("render", help="Lập một văn bản thành tệp .docx hoặc .pdf")
    render.add_argument("--kind", required=True, metavar="KIND", help="loại văn bản: " + ", ".join(KINDS))
    render.add_argument(
        "--unit", required=True, metavar="CODE", help="mã đường dẫn của đơn vị (ví dụ thanh-mien)"
    )
    render.add_argument("--year", required=True, metavar="YYYY", help="năm của văn bản")
    render.add_argument(
        "--out",
        required=True,
        metavar="FILE.docx",
        help="tệp sẽ ghi ra: .docx, hoặc .pdf (chuyển bằng LibreOffice)",
    )
    render.add_argument(
        "--number", metavar="N", help="số văn bản: có số là ban hành (được lưu), không có là dự thảo"
    )
    render.add_argument("--date", metavar="DD/MM/YYYY", help="ngày ban hành (mặc định: hôm nay)")
    render.set_defaults(func=run_render)
    signatures.register_actions(actions)


def _year(text: str) -> int:
    if not re.fullmatch(r"\s*\d{4}\s*", text or ""):
        raise InputError(f"--year: «{text}» không phải năm hợp lệ (4 chữ số, ví dụ 2026).")
    return int(text)


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    if not re.fullmatch(r"\s*\d{1,5}\s*", text):
        raise InputError(f"--number: «{text}» không phải số văn bản hợp lệ (số nguyên dương, ví dụ 15).")
    value = int(text)
    if value < 1:
        raise InputError(f"--number: số văn bản phải từ 1 trở lên (nhận được «{text}»).")
    return value


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    match = _DATE.match(text)
    if match is None:
        raise InputError(f"--date: «{text}» không đúng dạng DD/MM/YYYY (ví dụ 05/01/2026).")
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise InputError(f"--date: «{text}» không phải ngày có thật.") from None


def _out(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in (".docx", ".pdf"):
        raise InputError(f"--out: «{text}» phải là tệp có đuôi .docx hoặc .pdf.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"--out: thư mục «{folder}» không tồn tại.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"--out: không ghi được vào «{text}» (không có quyền ghi).")
    return path


def _messages(exc: Any) -> list[str]:
    """A ValidationError as lines naming the option at fault."""
    options = {
        "kind": "--kind",
        "unit": "--unit",
        "year": "--year",
        "number": "--number",
        "template": "mẫu văn bản",
    }
    if hasattr(exc, "error_dict"):
        lines = []
        for key, errors in exc.message_dict.items():
            label = options.get(key, key)
            lines += [f"{label}: {message}" if key != "__all__" else message for message in errors]
        return lines
    return list(exc.messages)


def run_render(args: argparse.Namespace) -> int:
    try:
        year = _year(args.year)
        number = _number(args.number)
        issued_on = _date(args.date)
        out = _out(args.out)
    except InputError as error:
        return report_input_error(error)
    setup_django()
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from friendlygov.documents import pdf
    from friendlygov.documents.services import parse_kind, render_document
    from friendlygov.org.models import Unit

    try:
        kind = parse_kind(args.kind)
    except ValidationError as exc:
        return report_input_error(InputError(_messages(exc)))
    unit = Unit.objects.select_related("parent").filter(slug=args.unit.strip()).first()
    if unit is None:
        return report_input_error(
            InputError(
                f"--unit: không có đơn vị mã «{args.unit}» (dùng mã đường dẫn, ví dụ thanh-mien, hai-phong)."
            )
        )
    as_pdf = out.suffix.lower() == ".pdf"
    if as_pdf and not pdf.soffice_available():
        return report_input_error(
            InputError(
                f"--out: không xuất được PDF vì máy chưa cài LibreOffice (không tìm thấy lệnh soffice; "
                f"có thể chỉ đường dẫn bằng biến môi trường {pdf.SOFFICE_ENV}). "
                "Hãy cài gói libreoffice-writer hoặc ghi ra tệp .docx."
            )
        )
    rendered = None
    try:
        with transaction.atomic():  # a PDF that cannot be made undoes the issue
            rendered = render_document(
                actor=None, unit=unit, kind=kind, year=year, number=number, issued_on=issued_on
            )
            content = pdf.docx_to_pdf(rendered.content) if as_pdf else rendered.content
    except ValidationError as exc:
        return report_input_error(InputError(_messages(exc)))
    except pdf.PdfConversionError as exc:
        if rendered is not None and rendered.document is not None and rendered.document.file:
            rendered.document.file.delete(save=False)  # the issue was rolled back: no file left behind
        return report_input_error(InputError([f"--out: {exc}"]))
    out.write_bytes(content)
    for warning in rendered.warnings:
        print(f"Lưu ý: {warning}", file=sys.stderr)
    if rendered.draft:
        print(f"Đã ghi dự thảo «{rendered.subject}» vào {out}.")
    else:
        assert rendered.document is not None
        print(
            f"Đã ban hành văn bản số {rendered.document.number_symbol} «{rendered.subject}» và ghi vào {out}."
        )
    return 0
