"""Uploaded Word (.docx) and Excel (.xlsx) files checked before anything opens them.

An Office file is a ZIP archive. Before python-docx or openpyxl reads one, its central directory is
checked without decompressing anything: the sizes the members declare (Python's zipfile never inflates
a member past its declared size, so they bound the work), their compression ratios (a "zip bomb"
inflates a few hundred KB into hundreds of MB), their names (only the parts an Office Open XML
package may hold: no executables, macros or ActiveX controls) and ``[Content_Types].xml`` (which
says what the package is). Pure: no Django; messages are Vietnamese and name the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from friendlygov.kit.office_files import DOCX_READ_ERRORS, XLSX_READ_ERRORS

# openpyxl also raises these on some damaged packages (seen while checking bombs).
_XLSX_OPEN_ERRORS: tuple[type[Exception], ...] = (*XLSX_READ_ERRORS, IndexError, AttributeError)

# Limits on what an uploaded package may inflate to (the declared sizes, checked before reading).
MAX_MEMBERS = 2000
MAX_TOTAL_BYTES = 100 * 1024 * 1024
# Parts read whole into memory (document.xml, sharedStrings.xml, styles…); worksheets are streamed.
MAX_PART_BYTES = 32 * 1024 * 1024
# A member larger than the grace size may not inflate more than MAX_RATIO times (Apache POI's rule).
MAX_RATIO = 100
RATIO_GRACE_BYTES = 100 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

DOCX = "docx"
XLSX = "xlsx"

_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": XLSX,
}
_FOLDERS = {DOCX: "word/", XLSX: "xl/"}
_KIND_NAMES = {DOCX: "Word", XLSX: "Excel"}
# Content types that mean code: macros (.docm/.xlsm), VBA projects, ActiveX controls, embedded OLE objects.
_CODE_TYPES = ("macroenabled", "vbaproject", "vba", "activex", "oleobject", "msdownload", "x-msdos")

# Part names (lower case) an Office Open XML package may hold.
_ROOT_PARTS = re.compile(
    r"\[content_types\]\.xml"
    r"|_rels/\.rels"
    r"|docprops/[\w.-]+\.xml"
    r"|docprops/thumbnail\.(?:jpe?g|png|gif|emf|wmf)"
    r"|customxml/(?:_rels/)?[\w.-]+\.(?:xml|rels)"
)
_MEDIA = "png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp|ico"
_INNER_PARTS = re.compile(
    rf"(?:[\w.-]+/)*(?:"
    rf"[\w.\[\]-]+\.(?:xml|rels|vml)"  # the parts themselves, their relationships, legacy drawings
    rf"|[\w.-]+\.(?:{_MEDIA})"  # pictures
    rf"|[\w.-]+\.odttf"  # fonts embedded by Word (obfuscated TrueType)
    rf"|printersettings\d*\.bin"  # the printer settings Excel and Word keep
    rf"|[\w.-]+\.(?:xlsx|docx)"  # a chart's data or an embedded table (never macro-enabled)
    rf")"
)
_CODE_NAMES = re.compile(
    r"vbaproject|vbadata|activex|oleobject|\.(?:exe|dll|com|bat|cmd|scr|js|vbs|ps1|msi|jar|bin)$"
)


class PackageError(Exception):
    """The file is not a safe Word/Excel package; ``message`` (Vietnamese) says why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Package:
    kind: str  # DOCX or XLSX
    names: tuple[str, ...]


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def open_archive(data: bytes, filename: str, kind: str | None = None) -> zipfile.ZipFile:
    """The ZIP archive, after checking what its members declare; nothing is inflated here."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        if kind is not None:
            raise PackageError(
                f"Không đọc được tệp {_KIND_NAMES[kind]} «{filename}»: tệp bị hỏng hoặc không phải .{kind} "
                "(không đọc được dạng nén)."
            ) from exc
        raise PackageError(
            f"Tệp «{filename}» bị hỏng hoặc không phải tệp Word/Excel (không đọc được dạng nén)."
        ) from exc
    try:
        check_members(archive.infolist(), filename)
    except PackageError:
        archive.close()
        raise
    return archive


def check_members(infos: list[zipfile.ZipInfo], filename: str) -> None:
    if len(infos) > MAX_MEMBERS:
        raise PackageError(f"Tệp «{filename}» có quá nhiều thành phần bên trong ({len(infos)}); không nhận.")
    total = 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name or ":" in name:
            raise PackageError(f"Tệp «{filename}» có thành phần «{name}» với tên không hợp lệ; không nhận.")
        if info.flag_bits & 0x1:
            raise PackageError(f"Tệp «{filename}» có thành phần bị mã hóa; hãy bỏ mật khẩu rồi tải lên lại.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageError(
                f"Tệp «{filename}» dùng kiểu nén không được hỗ trợ; hãy lưu lại bằng Word/Excel."
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise PackageError(
                f"Tệp «{filename}» khi giải nén quá lớn (hơn {_mb(MAX_TOTAL_BYTES)}); "
                "hãy chia nhỏ tệp hoặc bỏ bớt ảnh rồi tải lên lại."
            )
        if info.file_size > RATIO_GRACE_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageError(
                f"Tệp «{filename}»: thành phần «{name}» nén bất thường "
                f"({_count(info.compress_size)} byte giải nén thành {_count(info.file_size)} byte); "
                "tệp có thể là «bom nén», không nhận."
            )


def _content_types(archive: zipfile.ZipFile, filename: str) -> tuple[dict[str, str], dict[str, str]]:
    """(defaults by extension, overrides by part name), all lower case."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        raise PackageError(
            f"Tệp «{filename}» không phải tệp Word/Excel (thiếu phần [Content_Types].xml)."
        ) from None
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise PackageError(f"Tệp «{filename}»: phần [Content_Types].xml quá lớn; không nhận.")
    try:
        raw = archive.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageError(f"Tệp «{filename}» bị hỏng (không đọc được [Content_Types].xml).") from exc
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise PackageError(f"Tệp «{filename}»: [Content_Types].xml không hợp lệ; không nhận.")
    try:
        root = ElementTree.fromstring(raw)  # noqa: S314 - no DTD or entity (checked above)
    except ElementTree.ParseError as exc:
        raise PackageError(f"Tệp «{filename}»: [Content_Types].xml không đọc được.") from exc
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        content_type = element.get("ContentType", "").strip().lower()
        if tag == "Default":
            defaults[element.get("Extension", "").lower()] = content_type
        elif tag == "Override":
            overrides[element.get("PartName", "").lstrip("/").lower()] = content_type
    return defaults, overrides


def inspect(archive: zipfile.ZipFile, filename: str) -> Package:
    """What the (already size-checked) package is; PackageError for anything that is not a plain
    Word or Excel document (macros, executables, unknown parts)."""
    defaults, overrides = _content_types(archive, filename)
    for content_type in [*defaults.values(), *overrides.values()]:
        if any(word in content_type for word in _CODE_TYPES):
            raise PackageError(
                f"Tệp «{filename}» có macro hoặc mã chạy được ({content_type}); không nhận. "
                "Hãy lưu lại dưới dạng .docx/.xlsx thông thường."
            )
    mains = {kind for part, kind in ((p, _MAIN_TYPES.get(t)) for p, t in overrides.items()) if kind}
    mains |= {kind for kind in (_MAIN_TYPES.get(t) for t in defaults.values()) if kind}
    if len(mains) != 1:
        raise PackageError(f"Tệp «{filename}» không phải văn bản Word (.docx) hoặc bảng tính Excel (.xlsx).")
    kind = mains.pop()
    folder = _FOLDERS[kind]
    names = tuple(info.filename for info in archive.infolist() if not info.is_dir())
    main_parts = [p for p, t in overrides.items() if _MAIN_TYPES.get(t) == kind]
    if main_parts and not any(name.lower() == main_parts[0] for name in names):
        raise PackageError(f"Tệp «{filename}» thiếu phần nội dung chính; tệp bị hỏng.")
    for name in names:
        lower = name.lower()
        allowed = _ROOT_PARTS.fullmatch(lower) is not None or (
            lower.startswith(folder) and _INNER_PARTS.fullmatch(lower[len(folder) :]) is not None
        )
        code = _CODE_NAMES.search(lower.rsplit("/", 1)[-1]) is not None and "printersettings" not in lower
        if not allowed or code:
            raise PackageError(
                f"Tệp «{filename}» chứa thành phần «{name}» không thuộc một tệp {_KIND_NAMES[kind]} thông thường "
                "(tệp chạy được, macro hoặc dữ liệu lạ); không nhận."
            )
    return Package(kind=kind, names=names)


def inspect_bytes(data: bytes, filename: str) -> Package:
    with open_archive(data, filename) as archive:
        return inspect(archive, filename)


def _require_kind(package: Package, kind: str, filename: str) -> None:
    if package.kind != kind:
        raise PackageError(
            f"Tệp «{filename}» là tệp {_KIND_NAMES[package.kind]}, không phải tệp {_KIND_NAMES[kind]}."
        )


def _part_sizes_ok(archive: zipfile.ZipFile, filename: str, streamed: re.Pattern[str]) -> None:
    for info in archive.infolist():
        if info.file_size > MAX_PART_BYTES and streamed.fullmatch(info.filename.lower()) is None:
            raise PackageError(
                f"Tệp «{filename}»: phần «{info.filename}» quá lớn (hơn {_mb(MAX_PART_BYTES)}); "
                "hãy chia nhỏ tệp rồi tải lên lại."
            )


_WORKSHEETS = re.compile(r"xl/worksheets/sheet\d+\.xml|xl/media/.*|xl/embeddings/.*")
_WORD_MEDIA = re.compile(r"word/media/.*|word/embeddings/.*")


def open_workbook(data: bytes, filename: str) -> Any:
    """An openpyxl workbook (read-only, values) of a checked .xlsx; PackageError otherwise."""
    import openpyxl

    with open_archive(data, filename, XLSX) as archive:
        _require_kind(inspect(archive, filename), XLSX, filename)
        _part_sizes_ok(archive, filename, _WORKSHEETS)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SyntaxError as exc:  # lxml/ElementTree parse errors derive from SyntaxError
        raise PackageError(f"Không đọc được tệp Excel «{filename}»: nội dung XML hỏng.") from exc
    except _XLSX_OPEN_ERRORS as exc:
        raise PackageError(f"Không đọc được tệp Excel «{filename}»: {exc}") from exc


def open_document(data: bytes, filename: str) -> Any:
    """A python-docx Document of a checked .docx; PackageError otherwise."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    open_errors: tuple[type[Exception], ...] = (*DOCX_READ_ERRORS, PackageNotFoundError, TypeError)

    with open_archive(data, filename, DOCX) as archive:
        _require_kind(inspect(archive, filename), DOCX, filename)
        _part_sizes_ok(archive, filename, _WORD_MEDIA)
    try:
        return docx.Document(io.BytesIO(data))
    except SyntaxError as exc:  # lxml's XMLSyntaxError derives from SyntaxError
        raise PackageError(f"Không đọc được tệp Word «{filename}»: nội dung XML hỏng.") from exc
    except open_errors as exc:
        raise PackageError(f"Không đọc được tệp Word «{filename}».") from exc
