"""The office look of every exported workbook (friendlygov.kit.spreadsheets)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from friendlygov.kit.spreadsheets import (
    DATE_FORMAT,
    FONT_NAME,
    Formula,
    SheetSpec,
    put,
    save_workbook,
    write_sheets,
)
from friendlygov.kit.tabular import Column, read_table, write_xlsx


def check_office_look(sheet: Any, header_row: int) -> None:
    """Times New Roman, borders and wrap on the table, bold repeated frozen header, landscape A4 by width."""
    assert sheet.print_title_rows.replace("$", "") == f"{header_row}:{header_row}"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.freeze_panes is not None and int(sheet.freeze_panes.lstrip("ABCDEFGH")) == header_row + 1
    for cell in sheet[header_row]:
        if cell.value is not None:
            assert cell.font.b and cell.font.name == FONT_NAME
    for row in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row):
        for cell in row:
            if cell.value is None or type(cell).__name__ == "MergedCell":
                continue
            assert cell.font.name == FONT_NAME, cell.coordinate
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin", cell.coordinate
            assert cell.alignment.wrap_text, cell.coordinate


def test_write_xlsx_has_the_office_look_stt_and_real_dates() -> None:
    rows = [
        ["Xã A", dt.date(2026, 3, 5), Decimal("88.12"), '=HYPERLINK("x")'],
        ["Xã B", dt.datetime(2026, 3, 6, 14, 30, tzinfo=dt.UTC), None, "dòng\nhai"],
    ]
    data = write_xlsx([("Danh sách", ["Đơn vị", "Ngày", "Điểm", "Ghi chú"], rows)], title="DANH SÁCH")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "DANH SÁCH" and sheet["A1"].font.name == FONT_NAME
    assert [c.value for c in sheet[3]] == ["STT", "Đơn vị", "Ngày", "Điểm", "Ghi chú"]
    assert [sheet.cell(r, 1).value for r in (4, 5)] == [1, 2]
    check_office_look(sheet, 3)
    date = sheet["C4"]
    assert isinstance(date.value, dt.datetime) and date.value.date() == dt.date(2026, 3, 5)
    assert date.number_format == DATE_FORMAT
    assert sheet["C5"].value == dt.datetime(2026, 3, 6, 21, 30)  # local time, Asia/Ho_Chi_Minh
    assert sheet["D4"].value == pytest.approx(88.12)
    assert sheet["E4"].value.startswith("'=")  # a citizen's formula stays text
    assert sheet.oddFooter.center.text == "Trang &P/&N"


def test_stt_is_read_back_as_no_column() -> None:
    data = write_xlsx([("Đơn vị", ["Tên đơn vị"], [["Xã A"], ["Xã B"]])])
    rows = read_table(data, "don-vi.xlsx", [Column("name", "Tên đơn vị")])
    assert [r.get("name") for r in rows] == ["Xã A", "Xã B"]


def test_grouped_rows_merge_and_count_items() -> None:
    rows = [
        ["1", "Nhiệm vụ một", dt.date(2026, 3, 31)],
        ["1", "Nhiệm vụ một", dt.date(2026, 6, 30)],
        ["2", "Nhiệm vụ hai", dt.date(2026, 12, 31)],
    ]
    spec = SheetSpec("Nhiệm vụ", ["TT", "Nội dung", "Hạn"], rows, numbered=False, group_key=0, merge=[0, 1])
    sheet = openpyxl.load_workbook(io.BytesIO(write_sheets([spec]))).active
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A2:A3", "B2:B3"}
    assert [sheet.cell(r, 3).value.date() for r in (2, 3, 4)] == [
        dt.date(2026, 3, 31),
        dt.date(2026, 6, 30),
        dt.date(2026, 12, 31),
    ]


def test_formulas_are_stored_with_their_values() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["A2"] = 2.5, 4
    put(sheet["A3"], Formula("=SUM(A1:A2)", 6.5))
    put(sheet["A4"], Formula('=IF(A3>5,"đạt","chưa đạt")', "đạt"))
    put(sheet["A5"], Formula("=A1*0", None))
    second = workbook.create_sheet("Hai")
    put(second["B2"], Formula("=1+1", 2))
    data = save_workbook(workbook)
    formulas = openpyxl.load_workbook(io.BytesIO(data))
    assert formulas.active["A3"].value == "=SUM(A1:A2)"
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assert values.active["A3"].value == 6.5
    assert values.active["A4"].value == "đạt"
    assert values.active["A5"].value is None
    assert values["Hai"]["B2"].value == 2
