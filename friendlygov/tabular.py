"""Reading and writing the Excel/CSV tables that every area imports and exports.

Imports are read into plain rows first, with their row numbers, so that every problem can be reported
as "dòng 7, cột «Ký hiệu»: …" before anything is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from friendlygov.office_files import XLSX_READ_ERRORS
from friendlygov.rules.text import normalize_vi


class TableError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Column:
    key: str
    title: str  # the Vietnamese header people write
    required: bool = True
    aliases: Sequence[str] = ()

    def matches(self, header: str) -> bool:
        wanted = {normalize_vi(self.title), normalize_vi(self.key), *(normalize_vi(a) for a in self.aliases)}
        return normalize_vi(header) in wanted


@dataclass
class Row:
    number: int  # the row number people see in the file (header = 1)
    values: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def read_raw_rows(data: bytes, filename: str) -> list[list[str]]:
    """All rows of the first sheet (xlsx) or of the CSV (UTF-8, BOM accepted), as text."""
    name = filename.lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except XLSX_READ_ERRORS as exc:  # a broken or foreign file
            raise TableError([f"Không đọc được tệp Excel «{filename}»: {exc}"]) from exc
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            [
                f"Tệp «{filename}» không phải mã UTF-8 (lỗi ở byte thứ {exc.start + 1}). "
                "Hãy lưu lại tệp CSV với mã hóa UTF-8 rồi tải lên lại."
            ]
        ) from exc
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    first_line = text.split("\n", 1)[0]
    if "\t" in first_line:
        dialect = csv.excel_tab
    elif first_line.count(";") > first_line.count(","):
        dialect = csv.excel
        return [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=";")]
    return [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), dialect)]


def read_table(data: bytes, filename: str, columns: Sequence[Column]) -> list[Row]:
    """Rows keyed by column key; raises TableError naming every missing or unknown header."""
    raw = read_raw_rows(data, filename)
    while raw and not any(raw[0]):
        raw.pop(0)
    if not raw:
        raise TableError([f"Tệp «{filename}» không có dữ liệu."])
    header = raw[0]
    mapping: dict[int, str] = {}
    problems: list[str] = []
    for index, title in enumerate(header):
        if not title:
            continue
        column = next((c for c in columns if c.matches(title)), None)
        if column is None:
            problems.append(f"Dòng 1, cột {index + 1}: tiêu đề «{title}» không thuộc mẫu nhập.")
        elif column.key in mapping.values():
            problems.append(f"Dòng 1, cột {index + 1}: cột «{title}» bị lặp.")
        else:
            mapping[index] = column.key
    for column in columns:
        if column.required and column.key not in mapping.values():
            problems.append(f"Dòng 1: thiếu cột «{column.title}».")
    if problems:
        raise TableError(problems)
    rows = []
    for offset, cells in enumerate(raw[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {key: (cells[i].strip() if i < len(cells) else "") for i, key in mapping.items()}
        rows.append(Row(number=offset, values=values))
    return rows


def column_title(columns: Sequence[Column], key: str) -> str:
    return next((c.title for c in columns if c.key == key), key)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (a citizen's "=HYPERLINK(…)") is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and len(value) > 1:
        return "'" + value
    return value


def write_xlsx(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    *,
    title: str | None = None,
) -> bytes:
    """A workbook with one sheet per (name, header, rows): bold header, frozen, sensible widths."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, header, rows in sheets:
        sheet = workbook.create_sheet(title=name[:31])
        start = 1
        if title:
            sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
            start = 3
        for col, text in enumerate(header, start=1):
            cell = sheet.cell(row=start, column=col, value=text)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        widths = [len(str(h)) for h in header]
        for r, row in enumerate(rows, start=start + 1):
            for c, value in enumerate(row, start=1):
                sheet.cell(row=r, column=c, value=safe_cell(value))
                if c <= len(widths):
                    widths[c - 1] = max(widths[c - 1], min(60, len(str(value or ""))))
        for c, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = max(8, width + 2)
        sheet.freeze_panes = sheet.cell(row=start + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
