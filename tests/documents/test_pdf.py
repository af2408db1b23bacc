"""PDF export through LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from friendlygov.documents import pdf
from friendlygov.documents.render import render_docx

from .sample_plan import build_sample_plan

needs_soffice = pytest.mark.skipif(
    not pdf.soffice_available(), reason="LibreOffice (soffice) chưa được cài: bỏ qua"
)


def test_missing_soffice_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pdf.SOFFICE_ENV, "/nonexistent/soffice")
    assert not pdf.soffice_available()
    with pytest.raises(pdf.SofficeNotFoundError, match="Chưa cài LibreOffice"):
        pdf.docx_to_pdf(b"PK")


def test_failed_conversion_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'boom' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(fake))
    with pytest.raises(pdf.PdfConversionError, match="không chuyển được văn bản sang PDF"):
        pdf.docx_to_pdf(b"PK")


def test_hanging_soffice_is_killed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(fake))
    with pytest.raises(pdf.PdfConversionError, match="không xuất xong PDF trong 0,3 giây"):
        pdf.docx_to_pdf(b"PK", timeout=0.3)


@pytest.mark.libreoffice
@needs_soffice
def test_sample_plan_converts_to_pdf() -> None:
    data = pdf.docx_to_pdf(render_docx(build_sample_plan(when=date(2026, 1, 5))))
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext") and shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
        assert "A4" in info or "595" in info
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
        content = text.stdout.decode()
        for expected in ("KẾ HOẠCH", "Số: 12/KH-UBND", "ngày 05 tháng 01 năm 2026", "Lê Anh Tuấn", "./."):
            assert expected in content
        assert "PHỤ LỤC NHIỆM VỤ CỤ THỂ" in content


@pytest.mark.libreoffice
@needs_soffice
def test_draft_pdf_shows_the_marker() -> None:
    data = pdf.docx_to_pdf(render_docx(build_sample_plan(draft=True)))
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
        assert "DỰ THẢO" in text.stdout.decode()
