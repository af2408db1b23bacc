"""File type detection by structure: a real PDF parser, Office packages' members, images' chunks; and
the download served under the detected type's extension and Content-Type."""

from __future__ import annotations

import datetime as dt
import io
import struct
import time
import zipfile
import zlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from friendlygov.evidence.filetypes import FileTypeError, detect, download_name
from friendlygov.evidence.models import EvidenceFile
from friendlygov.evidence.services import store_evidence

EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run"
)


def pypdf_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def real_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Biên bản họp")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def real_xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["Ký hiệu", "Tên"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def repack(
    data: bytes, add: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None
) -> bytes:
    """The package with members added or replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _store(world: Any, name: str, data: bytes, user: Any = None) -> EvidenceFile:
    return store_evidence(
        actor=user or world.coordinator,
        unit=world.unit,
        upload=SimpleUploadedFile(name, data, content_type="application/octet-stream"),
        effective_date=dt.date(2026, 3, 2),
        body=world.bodies["VHXH"],
    )


# ------------------------------------------------------------------------------------------- PDF


def test_a_real_pdf_made_by_pypdf_is_accepted() -> None:
    assert detect(pypdf_pdf(), "bien-ban.pdf") == "application/pdf"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + EXE,
        b"%PDF-1.4\nnot a pdf at all\n%%EOF\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",  # no page
        b"%PDF-",
    ],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(world: Any, data: bytes) -> None:
    with pytest.raises(ValidationError) as info:
        _store(world, "bao-cao.pdf", data)
    message = info.value.message_dict["file"][0]
    assert "bao-cao.pdf" in message and "không phải tệp PDF đọc được" in message
    assert not EvidenceFile.objects.exists()


# --------------------------------------------------------------------------------- Office packages


def test_real_word_and_excel_files_are_accepted() -> None:
    assert detect(real_docx(), "a.docx").endswith("wordprocessingml.document")
    assert detect(real_xlsx(), "a.xlsx").endswith("spreadsheetml.sheet")


def test_a_docx_with_an_executable_inside_is_refused(world: Any) -> None:
    data = repack(real_docx(), add={"word/media/setup.exe": EXE})
    with pytest.raises(ValidationError) as info:
        _store(world, "ke-hoach.docx", data)
    message = info.value.message_dict["file"][0]
    assert "word/media/setup.exe" in message and "ke-hoach.docx" in message
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize("name", ["setup.exe", "docProps/run.dll", "word/payload.bin", "xl/evil.js"])
def test_any_part_an_office_package_may_not_hold_is_refused(name: str) -> None:
    with pytest.raises(FileTypeError):
        detect(repack(real_docx(), add={name: b"\x00" * 50}), "a.docx")


def test_macros_are_refused_by_part_and_by_content_type() -> None:
    with pytest.raises(FileTypeError, match="vbaProject.bin"):
        detect(repack(real_xlsx(), add={"xl/vbaProject.bin": b"\x00" * 100}), "a.xlsx")
    source = real_docx()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        types = archive.read("[Content_Types].xml")
    docm = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    assert docm != types
    with pytest.raises(FileTypeError, match="macro"):
        detect(repack(source, replace={"[Content_Types].xml": docm}), "a.docx")


def test_a_zip_without_content_types_or_main_part_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileTypeError, match=r"\[Content_Types\]\.xml"):
        detect(out.getvalue(), "a.docx")


def test_printer_settings_kept_by_excel_are_accepted() -> None:
    data = repack(real_xlsx(), add={"xl/printerSettings/printerSettings1.bin": b"\x00" * 200})
    assert detect(data, "a.xlsx").endswith("spreadsheetml.sheet")


def test_a_zip_bomb_uploaded_as_evidence_is_refused_fast(world: Any) -> None:
    data = repack(real_docx(), add={"word/media/image1.png": b"\x00" * (20 * 1024 * 1024)})
    assert len(data) < 100 * 1024
    started = time.perf_counter()
    with pytest.raises(ValidationError) as info:
        _store(world, "bom.docx", data)
    assert time.perf_counter() - started < 1
    assert "bom nén" in info.value.message_dict["file"][0]


# ------------------------------------------------------------------------------------------ images


def test_images_are_checked_by_structure() -> None:
    assert detect(png(), "a.png") == "image/png"
    with pytest.raises(FileTypeError, match="PNG"):
        detect(png()[:-12], "a.png")  # no IEND
    with pytest.raises(FileTypeError, match="PNG"):
        detect(b"\x89PNG\r\n\x1a\n" + EXE, "a.png")
    with pytest.raises(FileTypeError, match="JPEG"):
        detect(b"\xff\xd8\xff\xe0" + EXE, "a.jpg")
    with pytest.raises(FileTypeError, match="GIF"):
        detect(b"GIF89a" + EXE, "a.gif")
    with pytest.raises(FileTypeError, match="WebP"):
        detect(b"RIFF\x10\x00\x00\x00WEBPVP8 " + EXE, "a.webp")


def test_a_minimal_jpeg_is_accepted() -> None:
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 1, 1, 1) + b"\x01\x11\x00"
    scan = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    data = b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    data += frame + scan + b"\x12\x34" + b"\xff\xd9"
    assert detect(data, "a.jpg") == "image/jpeg"


# ------------------------------------------------------------------------------------ served as


def test_download_names_follow_the_detected_type() -> None:
    assert download_name("bien-ban.exe", "application/pdf") == "bien-ban.pdf"
    assert download_name("anh.jpeg", "image/jpeg") == "anh.jpeg"
    assert download_name("anh", "image/png") == "anh.png"
    assert download_name(
        "bao cao.v2.docx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ) == ("bao cao.v2.xlsx")


def test_a_stored_file_is_served_under_its_detected_extension_and_type(world: Any, client_for: Any) -> None:
    evidence = _store(world, "bien-ban.exe", pypdf_pdf())
    assert evidence.original_name == "bien-ban.pdf"
    response = client_for(world.coordinator).get(reverse("evidence:download", args=[evidence.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="bien-ban.pdf"' in response["Content-Disposition"]

    picture = _store(world, "anh-chup.pdf", png())
    response = client_for(world.coordinator).get(reverse("evidence:download", args=[picture.pk]))
    assert response["Content-Type"] == "image/png"
    assert 'filename="anh-chup.png"' in response["Content-Disposition"]

    # a record stored before the check (its name says .exe) is still served under the type's extension
    EvidenceFile.objects.filter(pk=evidence.pk).update(original_name="cu.exe")
    response = client_for(world.coordinator).get(reverse("evidence:download", args=[evidence.pk]))
    assert 'filename="cu.pdf"' in response["Content-Disposition"]
