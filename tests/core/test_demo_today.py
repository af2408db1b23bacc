"""The demo as `make run` loads it today, read by several areas' checks: its kept figures, its documents
through the command, its three documents' one total and its Excel exports.

The demo is loaded once for this module (``tests.shared.made_once``); each test runs in its own savepoint,
rolled back after it, with its own copy of the demo's files.
The demo at frozen dates is in ``test_demo_calendar.py``."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from friendlygov.documents.render import is_draft_docx
from friendlygov.kit.demo import DemoContext
from friendlygov.kit.spreadsheets import DATE_FORMAT, FONT_NAME
from friendlygov.tallies import services as tallies
from friendlygov.tallies.models import DossierTally, FeedbackTally, SurveyTally
from tests.core.test_spreadsheets import check_office_look
from tests.documents.test_command import number_line, run
from tests.documents.test_excel_office import total_row
from tests.documents.test_one_figure import check_consistent
from tests.shared import made_once


@pytest.fixture(scope="module")
def _loaded_demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[DemoContext, Path]]:
    """The demo, loaded once, and the folder of its files."""
    from friendlygov.core.demo import load_demo

    media = tmp_path_factory.mktemp("demo-media")
    with made_once(django_db_blocker, media):
        yield load_demo(), media


@pytest.fixture
def demo(_loaded_demo: tuple[DemoContext, Path], db: None, settings: Any) -> DemoContext:
    """The demo for one test: its writes are rolled back after it (``db``), its files are its own copy."""
    context, media = _loaded_demo
    shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return context


def test_the_demo_keeps_its_figures(demo: DemoContext) -> None:
    """What `friendlygov setup` loads (answers written in bulk) is counted in the kept figures."""
    assert SurveyTally.objects.exists() and DossierTally.objects.exists() and FeedbackTally.objects.exists()
    assert tallies.differences() == {"survey": 0, "dossier": 0, "feedback": 0}


def test_the_demo_unit_states_one_total_in_its_three_documents(demo: DemoContext) -> None:
    """What `make run` loads: Thanh Miện's documents of the current year agree with one another."""
    check_consistent(demo.unit, dt.date.today().year)


def test_the_documents_command_on_the_demo_data(demo: DemoContext, tmp_path: Path, capsys: Any) -> None:
    """The command works on what `make run` loads (thanh-mien, hai-phong)."""
    year = str(dt.date.today().year)
    last = str(dt.date.today().year - 1)
    for kind, unit, when in [
        ("plan", "thanh-mien", year), ("registration", "thanh-mien", year), ("self-assessment", "thanh-mien", year),
        ("submission", "thanh-mien", year), ("annual-report", "thanh-mien", year), ("review", "thanh-mien", "2027"),
        ("review", "thanh-mien", "2030"), ("city-report", "hai-phong", year),
        ("joint-minutes", "thanh-mien", last), ("reward-decision", "thanh-mien", last),
    ]:  # fmt: skip
        out = tmp_path / f"{kind}-{when}.docx"
        assert run("--kind", kind, "--unit", unit, "--year", when, "--out", str(out)) == 0, (
            capsys.readouterr().err
        )
        assert is_draft_docx(out.read_bytes())
    out = tmp_path / "issued.docx"
    assert (
        run(
            "--kind",
            "registration",
            "--unit",
            "thanh-mien",
            "--year",
            year,
            "--out",
            str(out),
            "--number",
            "15",
        )
        == 0
    )
    assert number_line(out) == "Số: 15/UBND-VHXH"
    assert (
        run("--kind", "plan", "--unit", "thanh-mien", "--year", year, "--out", str(out), "--number", "15")
        == 2
    )


def _client_of(slug: str) -> Client:
    from friendlygov.org.models import RoleGrant

    grant = RoleGrant.objects.filter(unit__slug=slug).select_related("user").order_by("pk").first()
    assert grant is not None
    client = Client()
    client.force_login(grant.user)
    return client


def test_every_export_of_the_demo_is_an_office_table(demo: DemoContext) -> None:
    """Each export of the demo data: Times New Roman, borders, wrap, repeated frozen bold header, landscape
    A4 by width, STT, dates as date cells shown dd/mm/yyyy, no internal code."""
    from friendlygov.plans.models import Plan

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
