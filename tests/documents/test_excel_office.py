"""The workbooks as offices use them: the office look, real dates, STT, formulas with their values, blank
appraisal columns, every year with data, no internal codes — and (LibreOffice with Calc present) printed
on landscape A4 pages with the header on each."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
import time_machine
from pypdf import PdfReader

from friendlygov.documents import excel, pdf
from friendlygov.documents.kinds import scores
from tests.core.test_spreadsheets import check_office_look

from .data import make_cycle, make_plan

pytestmark = pytest.mark.django_db

needs_calc = pytest.mark.skipif(
    not pdf.calc_available(), reason="LibreOffice Calc chưa được cài (gói libreoffice-calc): bỏ qua"
)


@pytest.fixture
def planned(world: Any) -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0), tick=False):
        make_plan(world)
        yield world


def total_row(sheet: Any) -> int:
    return next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value == "TỔNG CỘNG")


def scoring(world: Any, year: int = 2026) -> bytes:
    result = scores.scores(world.unit, year)
    assert result is not None
    return excel.scoring_workbook(world.unit, year, result)


def test_scoring_formulas_carry_their_values(planned: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 25, 9, 0), tick=False):
        make_cycle(planned, 2026)
    data = scoring(planned)
    formulas = openpyxl.load_workbook(io.BytesIO(data)).active
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True).active
    check_office_look(formulas, 4)
    row = total_row(formulas)
    assert str(formulas[f"D{row}"].value).startswith("=SUM(")
    for column in "CDEF":  # a viewer that does not recalculate shows the numbers
        assert isinstance(values[f"{column}{row}"].value, int | float), column
    assert values[f"C{row}"].value == 100
    for column in "DEF":
        assert values[f"{column}{row}"].value == pytest.approx(89, abs=0.05)
        assert values[f"{column}{row}"].value == pytest.approx(
            values.cell(row + 1, "CDEF".index(column) + 3).value, abs=0.05
        )
    assert str(formulas["D5"].value).startswith("=MIN(") and isinstance(values["D5"].value, int | float)
    text = " ".join(str(c.value) for r in formulas.iter_rows() for c in r if c.value is not None)
    assert "HP-5049" not in text and " v1" not in text


def test_unappraised_column_is_left_blank(planned: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0), tick=False):
        make_cycle(planned, 2026, until="submitted")
    data = scoring(planned)
    formulas = openpyxl.load_workbook(io.BytesIO(data)).active
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True).active
    row = total_row(formulas)
    assert formulas["F4"].value == "Điểm thẩm định"
    for r in range(5, row + 3):
        assert formulas[f"F{r}"].value is None and values[f"F{r}"].value is None, r
    assert isinstance(values[f"D{row}"].value, int | float)


@pytest.mark.libreoffice
@needs_calc
def test_workbooks_print_on_landscape_a4_with_the_header_on_each_page(planned: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 25, 9, 0), tick=False):
        make_cycle(planned, 2026)
        data = scoring(planned)
        from friendlygov.kit.spreadsheets import write_sheets
        from friendlygov.plans import selectors as plan_selectors

        spec = plan_selectors.task_sheet(planned.unit.plans.first(), 2026)
        rows = list(spec.rows)
        spec.rows = rows * 6  # long enough for several pages
        tasks = write_sheets([spec], title="Nhiệm vụ năm 2026")
    for workbook, at_least in ((data, 1), (tasks, 2)):
        reader = PdfReader(io.BytesIO(pdf.office_to_pdf(workbook, suffix=".xlsx")))
        assert len(reader.pages) >= at_least
        for number, page in enumerate(reader.pages, start=1):
            box = page.mediabox
            assert float(box.width) > float(box.height)  # landscape
            assert abs(float(box.width) - 841.9) < 2 and abs(float(box.height) - 595.3) < 2  # A4
            text = page.extract_text()
            assert ("Tiêu chí, chỉ số" in text) or ("Nhiệm vụ cụ thể" in text), number  # header repeated
            assert f"Trang {number}/{len(reader.pages)}" in text
