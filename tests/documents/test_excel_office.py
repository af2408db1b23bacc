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
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from friendlygov.documents import excel, pdf
from friendlygov.documents.kinds import scores
from friendlygov.kit.spreadsheets import DATE_FORMAT, FONT_NAME
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


def _client_of(slug: str) -> Client:
    from friendlygov.org.models import RoleGrant

    grant = RoleGrant.objects.filter(unit__slug=slug).select_related("user").order_by("pk").first()
    assert grant is not None
    client = Client()
    client.force_login(grant.user)
    return client


def test_every_export_of_the_demo_is_an_office_table() -> None:
    """Each export of the demo data: Times New Roman, borders, wrap, repeated frozen bold header, landscape
    A4 by width, STT, dates as date cells shown dd/mm/yyyy, no internal code."""
    from friendlygov.core.demo import load_demo
    from friendlygov.plans.models import Plan

    load_demo()
    year = dt.date.today().year
    plan = Plan.objects.filter(unit__slug="thanh-mien").order_by("-start_year", "-revision").first()
    assert plan is not None
    unit, city = _client_of("thanh-mien"), _client_of("hai-phong")
    exports = {
        "plan": (unit, f"/don-vi/thanh-mien/ke-hoach/{plan.pk}/nhiem-vu.xlsx?nam={year}"),
        "scoring": (unit, reverse("documents:scoring_xlsx", kwargs={"slug": "thanh-mien", "year": year - 1})),
        "figures": (unit, reverse("documents:figures_xlsx", kwargs={"slug": "thanh-mien"})),
        "cycle": (unit, f"/don-vi/thanh-mien/danh-gia/{year - 1}/bang-diem.xlsx"),
        "city": (city, f"/thanh-pho/hai-phong/danh-gia/?nam={year - 1}&xuat=xlsx"),
        "dossiers": (city, f"/thanh-pho/hai-phong/ho-so/so-sanh.xlsx?nam={year - 1}"),
        "feedback": (unit, "/don-vi/thanh-mien/phan-anh/phan-anh.xlsx"),
        "survey": (unit, "/don-vi/thanh-mien/khao-sat/bao-cao.xlsx"),
        "communication": (unit, f"/don-vi/thanh-mien/hoat-dong/tuyen-truyen/xuat.xlsx?nam={year - 1}"),
        "spending": (unit, f"/don-vi/thanh-mien/hoat-dong/kinh-phi/chi/xuat.xlsx?nam={year - 1}"),
        "rewards": (unit, f"/don-vi/thanh-mien/hoat-dong/khen-thuong/xuat.xlsx?nam={year - 1}"),
    }
    books = {}
    for name, (client, url) in exports.items():
        response = client.get(url)
        assert response.status_code == 200 and response.content[:2] == b"PK", name
        books[name] = openpyxl.load_workbook(io.BytesIO(response.content))
        for sheet in books[name].worksheets:
            header = 4 if name == "scoring" else (3 if sheet["A1"].value else 1)
            check_office_look(sheet, header)
            text = " ".join(str(c.value) for r in sheet.iter_rows() for c in r if isinstance(c.value, str))
            assert "HP-5049" not in text, (name, sheet.title)
            if name != "scoring" and sheet.title != "Tổng hợp" and sheet.max_row > header:
                assert sheet.cell(header, 1).value == "STT", (name, sheet.title)
                assert sheet.cell(header + 1, 1).value not in (None, ""), (name, sheet.title)
            for row in sheet.iter_rows(min_row=header + 1):
                for cell in row:
                    if isinstance(cell.value, dt.datetime):
                        assert cell.number_format in (DATE_FORMAT, "DD/MM/YYYY HH:MM"), (
                            name,
                            cell.coordinate,
                        )
                    if isinstance(cell.value, str):
                        assert not _iso_date(cell.value), (name, cell.coordinate, cell.value)

    # the task list: one deadline per cell, each a date
    tasks = books["plan"].active
    heads = [c.value for c in tasks[3]]
    due = heads.index(f"Hạn năm {year}") + 1
    dates = [tasks.cell(r, due).value for r in range(4, tasks.max_row + 1)]
    assert dates and all(isinstance(d, dt.datetime) for d in dates if d is not None)
    assert tasks.cell(4, due).number_format == DATE_FORMAT and tasks["A1"].font.name == FONT_NAME
    # the city table: the dates as dates, the set by its decision
    city_sheet = books["city"].active
    heads = [c.value for c in city_sheet[3]]
    assert heads[:2] == ["STT", "Đơn vị"]
    row = next(r for r in range(4, city_sheet.max_row + 1) if city_sheet.cell(r, 2).value == "Xã Thanh Miện")
    deadline = city_sheet.cell(row, heads.index("Hạn nộp") + 1)
    assert isinstance(deadline.value, dt.datetime) and deadline.number_format == DATE_FORMAT
    assert str(city_sheet.cell(row, heads.index("Bộ tiêu chí") + 1).value).startswith("Bộ tiêu chí")
    # the figures: every year with data (the previous year's complete cycle too), the response count
    figures = books["figures"].active
    heads = [c.value for c in figures[3]]
    years = {figures.cell(r, 2).value: r for r in range(4, figures.max_row + 1) if figures.cell(r, 2).value}
    assert {year - 1, year} <= set(years)
    count = heads.index("Số phiếu khảo sát") + 1
    assert all(
        isinstance(figures.cell(r, count).value, int) and figures.cell(r, count).value > 0
        for r in years.values()
    )
    # the scoring table: its formulas read as numbers without recalculation
    scoring_book = books["scoring"].active
    values = openpyxl.load_workbook(
        io.BytesIO(exports["scoring"][0].get(exports["scoring"][1]).content), data_only=True
    ).active
    row = total_row(scoring_book)
    assert all(isinstance(values[f"{c}{row}"].value, int | float) for c in "CDE")


def _iso_date(text: str) -> bool:
    import re

    return re.fullmatch(r"\d{4}-\d{2}-\d{2}( .*)?", text.strip()) is not None


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
