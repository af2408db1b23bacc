"""Excel workbooks as offices use them: the one place where the look of every exported sheet is defined.

Every table is in Times New Roman with thin borders on every cell and wrapped text; the header row is
bold and repeated on every printed page; pages are landscape A4 fitted to the width (as many pages down
as needed); the header is frozen; dates are real date cells shown dd/mm/yyyy; every list starts with an
STT column.

Formulas are stored WITH their calculated values. openpyxl writes a formula with an empty cached value,
so a viewer that does not recalculate (a phone preview, a reader with ``data_only=True``) shows a blank;
``Formula(text, value)`` keeps both: the workbook is saved by openpyxl and the ``<v>`` element of each
formula cell is then filled in the sheet's XML (the workbook still asks Excel and LibreOffice to
recalculate on load, so a changed input moves the totals as before).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "FONT_NAME",
    "Formula",
    "SheetSpec",
    "Styles",
    "cell_value",
    "fit_row_heights",
    "print_setup",
    "put",
    "save_workbook",
    "write_sheets",
]

FONT_NAME = "Times New Roman"
FONT_SIZE = 12
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
HEADER_FILL = "D9D9D9"
STT = "STT"
CENTRED_TITLES = frozenset({"stt", "tt", "nam", "ma", "ky"})
MAX_WIDTH = 30
MIN_WIDTH = 6
HEADER_WIDTH = 10  # a header wraps: it asks no more width than this (or its longest word)
LINE_HEIGHT = 15.75  # points per line of 12 pt Times New Roman
CHARS_PER_WIDTH = 1.2  # Times New Roman is narrower than the default font the widths are counted in


@dataclass(frozen=True)
class Formula:
    """A formula (``=SUM(D5:D9)``) and the value it gives, stored together in the file."""

    text: str
    value: float | int | str | None


@dataclass
class SheetSpec:
    """One table on its own sheet.

    ``group_key``: rows with the same key one after another are one item shown over several rows (a
    task with several deadlines); the columns in ``merge`` (indexes into the row, STT excluded) are
    merged down over the item's rows and STT counts items, not rows.
    """

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    numbered: bool = True
    group_key: int | None = None
    merge: Sequence[int] = ()
    widths: Mapping[int, float] = field(default_factory=dict)  # column index (in the row) → width


class Styles:
    """The fonts, borders and alignments of the office look (openpyxl objects are made lazily)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        side = Side(style="thin", color="000000")
        self.border = Border(left=side, right=side, top=side, bottom=side)
        self.normal = Font(name=FONT_NAME, size=FONT_SIZE)
        self.bold = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
        self.italic = Font(name=FONT_NAME, size=FONT_SIZE, italic=True)
        self.title = Font(name=FONT_NAME, size=14, bold=True)
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.centre_top = Alignment(horizontal="center", vertical="top", wrap_text=True)
        self.right_top = Alignment(horizontal="right", vertical="top", wrap_text=True)


def cell_value(value: Any) -> Any:
    """A Python value as a cell takes it: "" → empty, Decimal → float, an aware datetime → local naive,
    text that a spreadsheet would run as a formula kept as text."""
    from friendlygov.kit.tabular import safe_cell

    if isinstance(value, Formula):
        return value
    if value == "":
        return None  # an empty cell, not a text of no letters
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return safe_cell(value)


def style_value_cell(cell: Any, value: Any, styles: Styles) -> None:
    """Font, border, wrap and number format of a table cell by its value."""
    cell.font = styles.normal
    cell.border = styles.border
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
        cell.alignment = styles.centre_top
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
        cell.alignment = styles.centre_top
    elif isinstance(value, (int, float, Decimal, Formula)) and not isinstance(value, bool):
        cell.alignment = styles.right_top
    else:
        cell.alignment = styles.wrap


def print_setup(sheet: Worksheet, *, header_row: int, last_column: int) -> None:
    """Landscape A4 fitted to the width, header row repeated on every page, frozen, page numbers."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.5, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.oddFooter.center.font = FONT_NAME
    sheet.print_area = f"A1:{get_column_letter(max(1, last_column))}{max(sheet.max_row, header_row)}"


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 10 if not isinstance(value, dt.datetime) else 16
    if isinstance(value, Formula):
        return len(str(value.value or ""))
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _header_width(text: Any) -> int:
    words = str(text or "").split()
    return min(
        max(len(str(text or "")), 1), max(HEADER_WIDTH, *(len(w) for w in words)) if words else HEADER_WIDTH
    )


def fit_row_heights(sheet: Worksheet, first: int, last: int) -> None:
    """Give each row the height its wrapped text needs. Calc and Excel do not grow a row for wrapped text
    written by a library, so a long cell would be cut on screen and on paper without this. Cells merged
    across columns count their whole width; cells merged down are left to their first row's height."""
    from openpyxl.utils import get_column_letter

    spans: dict[str, tuple[int, int]] = {}  # top-left → (columns, rows) of a merged range
    for merged in sheet.merged_cells.ranges:
        spans[merged.coord.split(":")[0]] = (
            merged.max_col - merged.min_col + 1,
            merged.max_row - merged.min_row + 1,
        )

    def width_of(column: int, count: int) -> float:
        total = 0.0
        for c in range(column, column + count):
            total += sheet.column_dimensions[get_column_letter(c)].width or 8.43
        return total

    def lines_of(cell: Any, columns: int) -> int:
        if isinstance(cell.value, (dt.date, int, float)) or str(cell.value).startswith("="):
            return 1  # a date, a number or a formula's result stays on one line
        bold = 1.1 if cell.font is not None and cell.font.b else 1.0
        room = max(1.0, (width_of(cell.column, columns) - 1) * CHARS_PER_WIDTH / bold)
        return sum(max(1, -(-len(line) // int(room))) for line in str(cell.value).splitlines() or [""])

    down: list[tuple[int, int, int]] = []  # (first row, rows, lines) of cells merged down
    for r in range(first, last + 1):
        lines = 1
        for cell in sheet[r]:
            if cell.value is None or type(cell).__name__ == "MergedCell":
                continue
            columns, rows = spans.get(cell.coordinate, (1, 1))
            if rows > 1:
                down.append((r, rows, lines_of(cell, columns)))
                continue
            lines = max(lines, lines_of(cell, columns))
        sheet.row_dimensions[r].height = max(sheet.row_dimensions[r].height or 0, LINE_HEIGHT * lines + 2)
    for top, rows, lines in down:
        have = sum(sheet.row_dimensions[r].height or LINE_HEIGHT for r in range(top, top + rows))
        missing = LINE_HEIGHT * lines + 2 - have
        if missing > 0:
            for r in range(top, top + rows):
                sheet.row_dimensions[r].height = (
                    sheet.row_dimensions[r].height or LINE_HEIGHT
                ) + missing / rows


def _write_sheet(sheet: Worksheet, spec: SheetSpec, title: str | None, styles: Styles) -> None:
    from openpyxl.utils import get_column_letter

    from friendlygov.kit.tabular import ROW_NUMBER_TITLES
    from friendlygov.rules.text import normalize_vi

    # a table that brings its own STT column keeps it
    numbered = spec.numbered and not (spec.header and normalize_vi(str(spec.header[0])) in ROW_NUMBER_TITLES)
    header = [STT, *spec.header] if numbered else list(spec.header)
    shift = 1 if numbered else 0
    columns = len(header)
    start = 1
    if title:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, columns))
        cell = sheet.cell(row=1, column=1, value=title)
        cell.font = styles.title
        cell.alignment = styles.centre
        sheet.row_dimensions[1].height = 36
        start = 3
    for col, text in enumerate(header, start=1):
        cell = sheet.cell(row=start, column=col, value=text)
        cell.font = styles.bold
        cell.fill = styles.header_fill
        cell.border = styles.border
        cell.alignment = styles.centre
    widths: list[float] = [max(MIN_WIDTH, _header_width(h)) for h in header]
    if numbered:
        widths[0] = MIN_WIDTH
    # a year, a code or the table's own STT read better centred
    centred = {c for c, h in enumerate(header, start=1) if normalize_vi(str(h)) in CENTRED_TITLES}
    number = 0
    previous: Any = object()
    run_start = start + 1
    r = start
    for r, row in enumerate(spec.rows, start=start + 1):
        key = row[spec.group_key] if spec.group_key is not None else object()
        new_item = spec.group_key is None or r == start + 1 or key != previous
        if new_item:
            if spec.group_key is not None and r > start + 1:
                _merge_run(sheet, spec, numbered, run_start, r - 1)
            run_start = r
            number += 1
        previous = key
        if numbered:
            stt = sheet.cell(row=r, column=1, value=number if new_item else None)
            stt.font = styles.normal
            stt.border = styles.border
            stt.alignment = styles.centre_top
        for c, raw in enumerate(row, start=1 + shift):
            value = cell_value(raw)
            cell = sheet.cell(row=r, column=c)
            put(cell, value)
            style_value_cell(cell, value, styles)
            if c in centred:
                cell.alignment = styles.centre_top
            if c <= columns:
                widths[c - 1] = max(widths[c - 1], min(MAX_WIDTH, _width(value)))
    if spec.group_key is not None and r > start:
        _merge_run(sheet, spec, numbered, run_start, r)
    for index, width in spec.widths.items():
        widths[index + shift] = width
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width + 2
    fit_row_heights(sheet, start, sheet.max_row)
    print_setup(sheet, header_row=start, last_column=columns)


def _merge_run(sheet: Worksheet, spec: SheetSpec, numbered: bool, first: int, last: int) -> None:
    if last <= first:
        return
    shift = 1 if numbered else 0
    columns = ([1] if numbered else []) + [i + 1 + shift for i in spec.merge]
    for column in columns:
        sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)


def write_sheets(sheets: Iterable[SheetSpec], *, title: str | None = None) -> bytes:
    """A workbook with one table per sheet in the office look."""
    import openpyxl

    styles = Styles()
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        _write_sheet(workbook.create_sheet(title=spec.name[:31]), spec, title, styles)
    return save_workbook(workbook)


# ------------------------------------------------------------------------- formulas with their values


_CACHED = "_friendlygov_cached_values"


def put(cell: Any, value: Any) -> None:
    """Set a cell; a ``Formula`` is written as its text and its value is remembered for ``save_workbook``."""
    if isinstance(value, Formula):
        text = value.text if value.text.startswith("=") else "=" + value.text
        cell.value = text
        workbook = cell.parent.parent
        if not hasattr(workbook, _CACHED):
            setattr(workbook, _CACHED, {})
        getattr(workbook, _CACHED)[(cell.parent.title, cell.coordinate)] = value.value
    else:
        cell.value = value


def save_workbook(workbook: Workbook) -> bytes:
    """Save; every formula set through ``put`` is written as the formula plus its cached value."""
    remembered: dict[tuple[str, str], Any] = getattr(workbook, _CACHED, {})
    cached: dict[int, dict[str, Any]] = {}
    for index, sheet in enumerate(workbook.worksheets, start=1):
        for (title, coordinate), value in remembered.items():
            if title == sheet.title:
                cached.setdefault(index, {})[coordinate] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    return _fill_cached_values(data, cached) if cached else data


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _fill_cached_values(data: bytes, cached: dict[int, dict[str, Any]]) -> bytes:
    """Put each formula's value in its ``<v>`` element (openpyxl names sheet parts sheet1.xml, … in order)."""
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            index = _sheet_index(item.filename)
            if index in cached:
                root = etree.fromstring(content)
                values = cached[index]
                for cell in root.iter(f"{{{_MAIN}}}c"):
                    ref = cell.get("r")
                    if ref not in values or cell.find(f"{{{_MAIN}}}f") is None:
                        continue
                    _set_cached(cell, values[ref])
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, content)
    return out.getvalue()


def _sheet_index(name: str) -> int | None:
    prefix, suffix = "xl/worksheets/sheet", ".xml"
    if name.startswith(prefix) and name.endswith(suffix) and name[len(prefix) : -len(suffix)].isdigit():
        return int(name[len(prefix) : -len(suffix)])
    return None


def _set_cached(cell: Any, value: Any) -> None:
    from lxml import etree

    v = cell.find(f"{{{_MAIN}}}v")
    if value is None or value == "":
        if v is not None:
            cell.remove(v)
        cell.attrib.pop("t", None)
        return
    if v is None:
        v = etree.SubElement(cell, f"{{{_MAIN}}}v")
    if isinstance(value, bool):
        cell.set("t", "b")
        v.text = "1" if value else "0"
    elif isinstance(value, (int, float, Decimal)):
        cell.attrib.pop("t", None)
        number = float(value)
        v.text = str(int(number)) if number.is_integer() else repr(number)
    else:
        cell.set("t", "str")
        v.text = str(value)
