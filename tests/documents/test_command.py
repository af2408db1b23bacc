"""`friendlygov documents render` as the spec (docs/spec/command-line.md) writes it."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from pypdf import PdfReader

from friendlygov.audit.models import AuditEvent
from friendlygov.cli import main
from friendlygov.documents import pdf
from friendlygov.documents.models import IssuedDocument
from friendlygov.documents.render import is_draft_docx
from tests.factories import World, make_world
from tests.shared import made_once

from .data import make_cycle, make_plan
from .docx_reading import open_docx
from .test_pdf import needs_soffice

pytestmark = pytest.mark.django_db


NOW = dt.datetime(2026, 11, 20, 9, 0)


@pytest.fixture(scope="module")
def _seeded_once(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[World, Path]]:
    """Thanh Miện's seed plan and its 2026 cycle submitted, made once for the module (the command reads
    them by the unit's slug; what a test writes is rolled back after it)."""
    media = tmp_path_factory.mktemp("seeded-media")
    with made_once(django_db_blocker, media):
        world = make_world()  # at the real date, as the ``world`` fixture makes it
        with time_machine.travel(NOW, tick=False):
            make_plan(world)
            make_cycle(world, 2026, until="submitted")
        yield world, media


@pytest.fixture
def seeded(_seeded_once: tuple[World, Path], db: None, settings: Any) -> Iterator[World]:
    world, media = _seeded_once
    shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    with time_machine.travel(NOW, tick=False):
        yield world


def run(*args: str) -> int:
    return main(["documents", "render", *args])


def number_line(path: Path) -> str:
    return str(open_docx(path.read_bytes()).tables[0].cell(1, 0).paragraphs[0].text)


@pytest.mark.parametrize(
    ("kind", "unit", "year", "symbol"),
    [
        ("plan", "thanh-mien", "2026", "KH-UBND"),
        ("registration", "thanh-mien", "2026", "UBND-VHXH"),
        ("self-assessment", "thanh-mien", "2026", "BC-UBND"),
        ("submission", "thanh-mien", "2026", "TTr-UBND"),
        ("annual-report", "thanh-mien", "2026", "BC-UBND"),
        ("review", "thanh-mien", "2027", "BC-UBND"),
        ("review", "thanh-mien", "2030", "BC-UBND"),
        ("city-report", "hai-phong", "2026", "BC-SNV"),
    ],
)
def test_every_kind_renders_a_draft(
    seeded: Any, tmp_path: Path, capsys: Any, kind: str, unit: str, year: str, symbol: str
) -> None:
    out = tmp_path / "van-ban.docx"
    assert run("--kind", kind, "--unit", unit, "--year", year, "--out", str(out)) == 0
    data = out.read_bytes()
    assert is_draft_docx(data)
    assert number_line(out) == f"Số: ...../{symbol}"
    assert "Đã ghi dự thảo" in capsys.readouterr().out
    assert not IssuedDocument.objects.exists()


def test_issue_with_number_and_date_then_refuse_the_number(seeded: Any, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "dang-ky.docx"
    assert (
        run(
            "--kind",
            "registration",
            "--unit",
            "thanh-mien",
            "--year",
            "2026",
            "--out",
            str(out),
            "--number",
            "15",
            "--date",
            "05/02/2026",
        )
        == 0
    )
    assert number_line(out) == "Số: 15/UBND-VHXH"
    assert not is_draft_docx(out.read_bytes())
    document = IssuedDocument.objects.get()
    assert (document.number, document.issued_on, document.created_by) == (15, dt.date(2026, 2, 5), None)
    event = AuditEvent.objects.get(object_type="documents.issueddocument")
    assert event.actor is None
    capsys.readouterr()
    other = tmp_path / "ke-hoach.docx"
    code = run(
        "--kind",
        "plan",
        "--unit",
        "thanh-mien",
        "--year",
        "2026",
        "--out",
        str(other),
        "--number",
        "15",
        "--date",
        "20/11/2026",
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "--number: Số 15 đã được dùng cho văn bản 15/UBND-VHXH ngày 05/02/2026" in err
    assert not other.exists()
    # The next calendar year numbers from 01 again.
    assert (
        run(
            "--kind",
            "plan",
            "--unit",
            "thanh-mien",
            "--year",
            "2027",
            "--out",
            str(other),
            "--number",
            "15",
            "--date",
            "04/01/2027",
        )
        == 0
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--kind", "decision", "--unit", "thanh-mien", "--year", "2026"],
            "--kind: Loại văn bản «decision» không hợp lệ",
        ),
        (["--kind", "plan", "--unit", "khong-co", "--year", "2026"], "--unit: không có đơn vị mã «khong-co»"),
        (
            ["--kind", "review", "--unit", "thanh-mien", "--year", "2028"],
            "báo cáo sơ kết chỉ lập cho năm 2027",
        ),
        (["--kind", "review", "--unit", "thanh-mien", "--year", "2026"], "2030"),
        (["--kind", "plan", "--unit", "thanh-mien", "--year", "26"], "--year: «26» không phải năm hợp lệ"),
        (["--kind", "plan", "--unit", "thanh-mien", "--year", "2026", "--number", "abc"], "--number: «abc»"),
        (["--kind", "plan", "--unit", "thanh-mien", "--year", "2026", "--number", "0"], "--number"),
        (
            [
                "--kind",
                "plan",
                "--unit",
                "thanh-mien",
                "--year",
                "2026",
                "--number",
                "2",
                "--date",
                "31/02/2026",
            ],
            "--date: «31/02/2026» không phải ngày có thật",
        ),
        (["--kind", "plan", "--unit", "thanh-mien", "--year", "2026", "--date", "2026-02-01"], "DD/MM/YYYY"),
        (["--kind", "city-report", "--unit", "thanh-mien", "--year", "2026"], "--unit:"),
        (["--kind", "plan", "--unit", "hai-phong", "--year", "2026"], "--unit:"),
        (["--kind", "plan", "--unit", "gia-loc", "--year", "2026"], "chưa có kế hoạch"),
    ],
)
def test_invalid_input_exits_2_in_vietnamese(
    seeded: Any, tmp_path: Path, capsys: Any, args: list[str], message: str
) -> None:
    out = tmp_path / "x.docx"
    assert run(*args, "--out", str(out)) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_out_must_be_a_docx_or_pdf_in_an_existing_folder(seeded: Any, tmp_path: Path, capsys: Any) -> None:
    assert (
        run("--kind", "plan", "--unit", "thanh-mien", "--year", "2026", "--out", str(tmp_path / "x.odt")) == 2
    )
    assert "phải là tệp có đuôi .docx hoặc .pdf" in capsys.readouterr().err
    assert (
        run(
            "--kind",
            "plan",
            "--unit",
            "thanh-mien",
            "--year",
            "2026",
            "--out",
            str(tmp_path / "no" / "x.docx"),
        )
        == 2
    )
    assert "không tồn tại" in capsys.readouterr().err


def test_a_submission_short_of_the_registered_level_says_so(seeded: Any, tmp_path: Path, capsys: Any) -> None:
    # registered mức độ 3; the agreed total of the submitted file reaches no more than mức độ 2
    out = tmp_path / "to-trinh.docx"
    assert run("--kind", "submission", "--unit", "thanh-mien", "--year", "2026", "--out", str(out)) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("Lưu ý: Tổng điểm sau khi thống nhất ")
    assert "chưa đạt mức đăng ký mức độ 3 (từ 90 điểm)" in captured.err
    texts = [p.text for p in open_docx(out.read_bytes()).paragraphs]
    assert not any("đề nghị công nhận" in t for t in texts)


ISSUE_PDF = (
    "--kind",
    "registration",
    "--unit",
    "thanh-mien",
    "--year",
    "2026",
    "--number",
    "15",
    "--date",
    "05/02/2026",
)


def test_pdf_without_libreoffice_exits_2_and_issues_nothing(
    seeded: Any, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(tmp_path / "khong-co" / "soffice"))
    out = tmp_path / "dang-ky.pdf"
    assert run(*ISSUE_PDF, "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert "--out: không xuất được PDF vì máy chưa cài LibreOffice" in err
    assert "ghi ra tệp .docx" in err
    assert not out.exists()
    assert not IssuedDocument.objects.exists()


def test_a_failed_conversion_undoes_the_issue(
    seeded: Any, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(content: bytes, timeout: float = 0) -> bytes:
        raise pdf.PdfConversionError("LibreOffice không chuyển được văn bản sang PDF (hỏng).")

    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "docx_to_pdf", broken)
    out = tmp_path / "dang-ky.pdf"
    assert run(*ISSUE_PDF, "--out", str(out)) == 2
    assert "--out: LibreOffice không chuyển được văn bản sang PDF" in capsys.readouterr().err
    assert not out.exists()
    assert not IssuedDocument.objects.exists()


@pytest.mark.libreoffice
@needs_soffice
def test_issued_pdf_keeps_the_docx_in_the_register(seeded: Any, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "dang-ky.pdf"
    assert run(*ISSUE_PDF, "--out", str(out)) == 0, capsys.readouterr().err
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    document = IssuedDocument.objects.get()
    assert document.file_name.endswith(".docx")
    with document.file.open("rb") as handle:
        assert handle.read(2) == b"PK"
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "15/UBND-VHXH" in text
    assert "Đã ban hành văn bản số 15/UBND-VHXH" in capsys.readouterr().out
    draft = tmp_path / "ke-hoach.pdf"
    assert run("--kind", "plan", "--unit", "thanh-mien", "--year", "2026", "--out", str(draft)) == 0
    assert draft.read_bytes().startswith(b"%PDF")
    assert IssuedDocument.objects.count() == 1
