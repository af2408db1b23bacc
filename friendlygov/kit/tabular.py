"""Reading and writing the Excel/CSV tables that every area imports and exports.

Imports are read into plain rows first, with their row numbers, so that every problem can be reported
as "dòng 7, cột «Ký hiệu»: …" before anything is written.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from friendlygov.kit.ooxml import PackageError, open_workbook
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
        return str(value.strftime("%d/%m/%Y"))
    return str(value).strip()


# What one imported table may hold. Checked while reading, so an oversized file is refused at the
# first row past a limit instead of being read whole (an .xlsx is also checked by friendlygov.kit.ooxml first).
MAX_TABLE_BYTES = 30 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _too_many_rows(filename: str) -> TableError:
    return TableError(
        [
            f"Tệp «{filename}» có hơn {_count(MAX_ROWS)} dòng; hãy chia thành nhiều tệp nhỏ hơn "
            "(hoặc xóa các dòng trống ở cuối bảng) rồi tải lên lại."
        ]
    )


def _too_many_columns(filename: str, row: int, column: int) -> TableError:
    return TableError(
        [
            f"Tệp «{filename}», dòng {row}: có dữ liệu ở cột {column}, quá {MAX_COLUMNS} cột của một bảng nhập; "
            "hãy xóa các cột thừa rồi tải lên lại."
        ]
    )


def sheet_values(sheet: Any, filename: str) -> Iterator[list[Any]]:
    """The rows of a read-only openpyxl worksheet as cell values (None where empty), streamed from its
    XML and never padded past the cells a row really has (a stray cell at column XFD or row 1 048 576
    costs nothing); TableError at the first row or cell past the limits."""
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    number = 0
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for index, cells in parser.parse():
            if index > MAX_ROWS:
                raise _too_many_rows(filename)
            while number < index - 1:  # rows the file leaves out are empty
                number += 1
                yield []
            number = index
            width = max(
                (c["column"] for c in cells if c["value"] is not None and c["value"] != ""), default=0
            )
            if width > MAX_COLUMNS:
                raise _too_many_columns(filename, index, width)
            row: list[Any] = [None] * width
            for cell in cells:
                if cell["column"] <= width:
                    row[cell["column"] - 1] = cell["value"]
            yield row


def _csv_rows(data: bytes, filename: str) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            [
                f"Tệp «{filename}» không phải mã UTF-8 (lỗi ở byte thứ {exc.start + 1}). "
                "Hãy lưu lại tệp CSV với mã hóa UTF-8 rồi tải lên lại."
            ]
        ) from exc
    first_line = text.split("\n", 1)[0]
    if "\t" in first_line:
        reader = csv.reader(io.StringIO(text), csv.excel_tab)
    elif first_line.count(";") > first_line.count(","):
        reader = csv.reader(io.StringIO(text), delimiter=";")
    else:
        reader = csv.reader(io.StringIO(text), csv.excel)
    number = 0
    try:
        for cells in reader:
            number += 1
            if number > MAX_ROWS:
                raise _too_many_rows(filename)
            row = [c.strip() for c in cells]
            while row and not row[-1]:
                row.pop()
            if len(row) > MAX_COLUMNS:
                raise _too_many_columns(filename, number, len(row))
            yield row
    except csv.Error as exc:
        raise TableError([f"Tệp «{filename}», dòng {number + 1}: không đọc được dạng CSV ({exc})."]) from exc


def iter_raw_rows(data: bytes, filename: str) -> Generator[list[str], None, None]:
    """The rows of the first sheet (xlsx) or of the CSV (UTF-8, BOM accepted), as text, one at a time;
    trailing empty cells are left out. TableError as soon as the file breaks a limit."""
    if len(data) > MAX_TABLE_BYTES:
        raise TableError(
            [f"Tệp «{filename}» quá lớn (giới hạn {MAX_TABLE_BYTES // (1024 * 1024)} MB); hãy chia nhỏ tệp."]
        )
    name = filename.lower()
    if not (name.endswith(".xlsx") or data[:2] == b"PK"):
        yield from _csv_rows(data, filename)
        return
    try:
        workbook = open_workbook(data, filename)
    except PackageError as exc:
        raise TableError([exc.message]) from exc
    try:
        if not workbook.worksheets:
            raise TableError([f"Tệp Excel «{filename}» không có trang tính nào."])
        try:
            for values in sheet_values(workbook.worksheets[0], filename):
                yield [_cell_text(v) for v in values]
        except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise TableError([f"Không đọc được tệp Excel «{filename}»: {exc}"]) from exc
        except SyntaxError as exc:  # the XML parsers' errors derive from SyntaxError
            raise TableError([f"Không đọc được tệp Excel «{filename}»: nội dung XML hỏng."]) from exc
    finally:
        workbook.close()


def read_raw_rows(data: bytes, filename: str) -> list[list[str]]:
    """All rows of the first sheet (xlsx) or of the CSV (UTF-8, BOM accepted), as text."""
    return list(iter_raw_rows(data, filename))


def read_table(data: bytes, filename: str, columns: Sequence[Column]) -> list[Row]:
    """Rows keyed by column key; raises TableError naming every missing or unknown header. The header
    (the first non-empty row) is checked before the rest of the file is read."""
    raw = iter_raw_rows(data, filename)
    header: list[str] | None = None
    for cells in raw:
        if any(cells):
            header = cells
            break
    if header is None:
        raise TableError([f"Tệp «{filename}» không có dữ liệu."])
    mapping: dict[int, str] = {}
    problems: list[str] = []
    for index, title in enumerate(header):
        if not title:
            continue
        column = next((c for c in columns if c.matches(title)), None)
        if column is None and normalize_vi(title) in ROW_NUMBER_TITLES:
            continue  # the STT column of an exported list read back
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
        raw.close()
        raise TableError(problems)
    rows = []
    for number, cells in enumerate(raw, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {key: (cells[i].strip() if i < len(cells) else "") for i, key in mapping.items()}
        rows.append(Row(number=number, values=values))
    return rows


def column_title(columns: Sequence[Column], key: str) -> str:
    return next((c.title for c in columns if c.key == key), key)


ROW_NUMBER_TITLES = frozenset({"stt", "tt", "so thu tu"})

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
    numbered: bool = True,
) -> bytes:
    """A workbook with one sheet per (name, header, rows) in the office look of friendlygov.kit.spreadsheets
    (Times New Roman, borders, wrap, landscape print setup, repeated frozen header, dates dd/mm/yyyy);
    ``numbered`` adds the STT column (leave it out for import templates and round-trip formats)."""
    from friendlygov.kit.spreadsheets import SheetSpec, write_sheets

    return write_sheets(
        [SheetSpec(name=name, header=header, rows=rows, numbered=numbered) for name, header, rows in sheets],
        title=title,
    )


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
