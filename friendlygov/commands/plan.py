"""`friendlygov plan parse|occurrences`: read a plan's appendix table (TSV) and list its due dates.

Contract: docs/spec/command-line.md, `friendlygov plan`. Pure: reads a file, never sets up Django.
Arguments are checked here rather than by argparse so that every message is in Vietnamese.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from friendlygov.commands._common import (
    InputError,
    InputTooLarge,
    check_year,
    print_json,
    read_capped,
    report_input_error,
)
from friendlygov.rules.schedule import (
    ParsedTask,
    WorkingCalendar,
    appendix_column_problems,
    occurrences_for_tasks,
    parse_appendix,
)

FORMATS = ("text", "json")
_ROMAN_QUARTERS = {"1": "I", "2": "II", "3": "III", "4": "IV"}
_OCCURRENCE_KINDS = {"deadline": "Hạn hoàn thành", "check-in": "Kiểm tra định kỳ"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    plan = subparsers.add_parser(
        "plan",
        help="kế hoạch: đọc phụ lục nhiệm vụ, tính các hạn",
        description="Đọc bảng phụ lục nhiệm vụ của kế hoạch (TSV) và tính các hạn theo ngày làm việc.",
    )
    plan.set_defaults(func=_missing_subcommand)
    commands = plan.add_subparsers(dest="plan_command", metavar="LỆNH")

    parse = commands.add_parser(
        "parse",
        help="đọc phụ lục thành danh sách nhiệm vụ",
        description="Đọc bảng phụ lục nhiệm vụ (TSV) và in danh sách nhiệm vụ.",
    )
    _add_common_arguments(parse)
    parse.set_defaults(func=run_parse)

    occurrences = commands.add_parser(
        "occurrences",
        help="liệt kê các hạn của nhiệm vụ trong giai đoạn",
        description="Liệt kê các hạn (theo ngày làm việc) của các nhiệm vụ trong phụ lục.",
    )
    _add_common_arguments(occurrences)
    occurrences.add_argument("--from", dest="from_year", metavar="NĂM", help="năm đầu giai đoạn (bắt buộc)")
    occurrences.add_argument("--to", dest="to_year", metavar="NĂM", help="năm cuối giai đoạn (bắt buộc)")
    occurrences.set_defaults(func=run_occurrences)


def _add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--appendix", metavar="TỆP", help="tệp phụ lục nhiệm vụ, TSV, UTF-8 (bắt buộc)")
    parser.add_argument("--format", default="text", metavar="ĐỊNH_DẠNG", help="text (mặc định) hoặc json")


def _missing_subcommand(args: argparse.Namespace) -> int:
    return report_input_error(
        InputError("Thiếu lệnh con của «plan»: dùng «plan parse» hoặc «plan occurrences».")
    )


def run_parse(args: argparse.Namespace) -> int:
    try:
        output_format = _check_format(args.format)
        tasks = _load_tasks(args.appendix)
    except InputError as error:
        return report_input_error(error)
    if output_format == "json":
        print_json([task.to_json() for task in tasks])
    else:
        sys.stdout.write(render_tasks(tasks))
    return 0


def run_occurrences(args: argparse.Namespace) -> int:
    try:
        problems: list[str] = []
        output_format = _collect(problems, _check_format, args.format)
        from_year = _collect(problems, check_year, args.from_year, "--from")
        to_year = _collect(problems, check_year, args.to_year, "--to")
        if problems:
            raise InputError(problems)
        assert output_format is not None and from_year is not None and to_year is not None
        if from_year > to_year:
            raise InputError(
                f"--from {from_year} lớn hơn --to {to_year}: năm đầu giai đoạn không được sau năm cuối."
            )
        tasks = _load_tasks(args.appendix)
    except InputError as error:
        return report_input_error(error)
    rows = occurrences_for_tasks(tasks, from_year, to_year, WorkingCalendar())
    if output_format == "json":
        print_json(rows)
    else:
        sys.stdout.write(render_occurrences(rows, tasks, from_year, to_year))
    return 0


def _collect(problems: list[str], check: Callable[..., Any], *values: Any) -> Any:
    try:
        return check(*values)
    except InputError as error:
        problems.extend(error.problems)
        return None


def _check_format(value: str | None) -> str:
    if value not in FORMATS:
        raise InputError(f"--format: định dạng «{value}» không hợp lệ; dùng «text» hoặc «json».")
    return value


def read_appendix(path: str | None) -> str:
    """The appendix file's text (UTF-8, with or without BOM); InputError with a Vietnamese message."""
    if not path:
        raise InputError("Thiếu --appendix: cần đường dẫn tệp phụ lục nhiệm vụ (TSV).")
    try:
        data = read_capped(path)
    except InputTooLarge as error:
        raise InputError(error.message("--appendix")) from None
    except FileNotFoundError:
        raise InputError(f"--appendix: không tìm thấy tệp «{path}».") from None
    except IsADirectoryError:
        raise InputError(f"--appendix: «{path}» là một thư mục, không phải tệp.") from None
    except PermissionError:
        raise InputError(f"--appendix: không có quyền đọc tệp «{path}».") from None
    except OSError:
        raise InputError(f"--appendix: không đọc được tệp «{path}».") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"--appendix: tệp «{path}» không phải văn bản UTF-8 (byte không hợp lệ ở vị trí {error.start}); "
            "hãy lưu bảng dạng văn bản phân cách bằng tab (TSV), mã UTF-8."
        ) from None


def _load_tasks(path: str | None) -> list[ParsedTask]:
    text = read_appendix(path)
    problems = appendix_column_problems(text)
    if problems:
        raise InputError(
            [f"--appendix: tệp «{path}», {problem[0].lower()}{problem[1:]}" for problem in problems]
        )
    tasks = parse_appendix(text)
    if not tasks:
        raise InputError(
            f"--appendix: tệp «{path}» không có nhiệm vụ nào (cần bảng các cột STT, Nhiệm vụ cụ thể, "
            "Thời gian thực hiện, Cơ quan chủ trì, Cơ quan phối hợp, phân cách bằng tab)."
        )
    return tasks


# --------------------------------------------------------------------------------------------------
# Text output
# --------------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _shorten(text: str, limit: int) -> str:
    return text if _width(text) <= limit else text[: limit - 1].rstrip() + "…"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str] | str]) -> str:
    """Aligned columns; a row given as a plain string is printed across the table (a section line)."""
    table_rows = [r for r in rows if not isinstance(r, str)]
    widths = [max([_width(h)] + [_width(r[i]) for r in table_rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out.extend(row if isinstance(row, str) else line(row) for row in rows)
    return "\n".join(out) + "\n"


def _vn_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def render_tasks(tasks: Sequence[ParsedTask]) -> str:
    rows: list[Sequence[str] | str] = []
    section: str | None = None
    for task in tasks:
        if task.section != section and task.section is not None:
            rows.append(f"[{task.section}]")
        section = task.section
        rows.append(
            [
                task.number or "?",
                _shorten(task.text, 48),
                _shorten(task.time_phrase, 28),
                task.schedule.describe(),
                _shorten(task.lead, 28),
                _shorten("; ".join(task.coordinators), 40),
            ]
        )
    headers = ["STT", "Nhiệm vụ", "Thời gian thực hiện", "Lịch đọc được", "Chủ trì", "Phối hợp"]
    out = f"Phụ lục: {len(tasks)} nhiệm vụ\n\n" + _table(headers, rows)
    flagged = [(task, flag) for task in tasks for flag in task.flags]
    if flagged:
        out += "\nCần xem lại:\n" + "".join(f"- Nhiệm vụ {t.number or '?'}: {f}\n" for t, f in flagged)
    return out


def _period_label(period: str) -> str:
    year, _, part = period.partition("-")
    if not part:
        return f"Năm {year}"
    if part.startswith("Q"):
        return f"Quý {_ROMAN_QUARTERS[part[1:]]}/{year}"
    if part.startswith("H"):
        return f"6 tháng {'đầu' if part == 'H1' else 'cuối'} năm {year}"
    return f"Tháng {int(part)}/{year}"


def render_occurrences(
    rows: Sequence[dict[str, Any]], tasks: Sequence[ParsedTask], from_year: int, to_year: int
) -> str:
    span = f"{from_year}–{to_year}" if from_year != to_year else str(from_year)
    table_rows: list[Sequence[str] | str] = [
        [
            _vn_date(row["due"]),
            row["task"] or "?",
            _period_label(row["period"]),
            _vn_date(row["window_start"]),
            _OCCURRENCE_KINDS[row["kind"]],
        ]
        for row in rows
    ]
    if table_rows:
        out = f"Các hạn giai đoạn {span}: {len(rows)}\n\n"
        out += _table(["Hạn", "Nhiệm vụ", "Kỳ", "Từ ngày", "Loại"], table_rows)
    else:
        out = f"Không có hạn nào trong giai đoạn {span}.\n"
    unreadable = [task for task in tasks if not task.schedule.readable]
    if unreadable:
        out += "\nKhông có hạn vì không đọc được thời gian thực hiện:\n"
        out += "".join(f"- Nhiệm vụ {t.number or '?'}: «{t.time_phrase}»\n" for t in unreadable)
    return out
