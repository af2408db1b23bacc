"""Recognise an uploaded file by its content, not its name.

A file passes only when its whole structure is that of its type: a PDF that a PDF parser (pypdf) opens
and finds pages in, a PNG/JPEG/GIF/WebP whose headers and chunks hold together, a Word/Excel package
holding only the parts such a package may hold (friendlygov.kit.ooxml: no executables or macros, no zip
bomb), a legacy Word/Excel file whose directory names its document stream and carries no macros.
"""

from __future__ import annotations

import io
import re
import struct
import zlib

from friendlygov.kit import ooxml

ALLOWED = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
}
# Other spellings of a type's extension that a download keeps ("anh.jpeg" stays "anh.jpeg").
_SAME_EXTENSIONS = {"jpg": {"jpg", "jpeg", "jpe", "jfif"}}

_OOXML_TYPES = {
    ooxml.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ooxml.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
GENERIC_MESSAGE = "Tệp «{name}» không phải PDF, ảnh, Word hoặc Excel (kiểm tra theo nội dung tệp)."


class FileTypeError(Exception):
    """The file is refused; ``message`` (Vietnamese) says why and names it."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def detect(data: bytes, name: str = "") -> str:
    """The content type of an allowed file; FileTypeError otherwise."""
    shown = name or "tệp"
    head = data[:16]
    if head.startswith(b"%PDF-"):
        _check_pdf(data, shown)
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_png(data, shown)
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        _check_jpeg(data, shown)
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        _check_gif(data, shown)
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        _check_webp(data, shown)
        return "image/webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: legacy Word/Excel
        return _check_ole(data, shown)
    if head.startswith(b"PK\x03\x04"):
        try:
            package = ooxml.inspect_bytes(data, shown)
        except ooxml.PackageError as exc:
            raise FileTypeError(exc.message) from exc
        return _OOXML_TYPES[package.kind]
    raise FileTypeError(GENERIC_MESSAGE.format(name=shown))


def sniff(head: bytes, whole: bytes | None = None, name: str = "") -> str | None:
    """The content type of an allowed file, or None (``whole`` is the file; ``head`` is kept for callers
    that pass the first bytes too)."""
    try:
        return detect(whole if whole is not None else head, name)
    except FileTypeError:
        return None


def download_name(name: str, content_type: str) -> str:
    """``name`` with the extension of the detected type: "bien-ban.exe" that is a PDF is served as
    "bien-ban.pdf"; "anh.jpeg" stays as it is."""
    extension = ALLOWED.get(content_type)
    if extension is None:
        return name
    stem, dot, current = name.rpartition(".")
    if dot and stem and re.fullmatch(r"[A-Za-z0-9]{1,5}", current):
        if current.lower() in _SAME_EXTENSIONS.get(extension, {extension}):
            return name
        name = stem
    return f"{name}.{extension}"


# ---------------------------------------------------------------------------------------------- PDF


def _check_pdf(data: bytes, name: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    broken = FileTypeError(
        f"Tệp «{name}» bắt đầu như PDF nhưng không phải tệp PDF đọc được; hãy xuất lại tệp PDF."
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileTypeError(f"Tệp PDF «{name}» có mật khẩu; hãy bỏ mật khẩu rồi tải lên lại.")
        pages = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise FileTypeError(f"Tệp PDF «{name}» có mật khẩu; hãy bỏ mật khẩu rồi tải lên lại.") from exc
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        AssertionError,
        RecursionError,
        OSError,
        zlib.error,
        struct.error,
        NotImplementedError,
    ) as exc:
        raise broken from exc
    if pages < 1:
        raise broken


# ------------------------------------------------------------------------------------------- images


def _bad_image(name: str, kind: str) -> FileTypeError:
    return FileTypeError(f"Tệp «{name}» không phải ảnh {kind} hợp lệ (tệp hỏng hoặc chỉ giả phần đầu).")


def _check_png(data: bytes, name: str) -> None:
    position = 8
    seen_header = seen_data = False
    while position + 12 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if length > 0x7FFFFFFF or end > len(data) or not kind.isalpha():
            break
        body = data[position + 8 : end - 4]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) != crc:
            break
        if not seen_header:
            if kind != b"IHDR" or length != 13:
                break
            width, height = struct.unpack(">II", body[:8])
            if width == 0 or height == 0:
                break
            seen_header = True
        seen_data = seen_data or kind == b"IDAT"
        if kind == b"IEND":
            if seen_data:
                return
            break
        position = end
    raise _bad_image(name, "PNG")


_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _check_jpeg(data: bytes, name: str) -> None:
    position = 2
    seen_frame = False
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2 or position + 2 + length > len(data):
            break
        if marker in _JPEG_FRAMES:
            if length < 8:
                break
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            if width == 0:
                break
            seen_frame = True
        if marker == 0xDA:  # start of scan: the image data follows, up to the end marker
            if seen_frame and data.find(b"\xff\xd9", position + 2 + length) != -1:
                return
            break
        position += 2 + length
    raise _bad_image(name, "JPEG")


def _check_gif(data: bytes, name: str) -> None:
    if len(data) < 14:
        raise _bad_image(name, "GIF")
    width, height = struct.unpack("<HH", data[6:10])
    flags = data[10]
    position = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)  # after the global colour table
    # then an extension block (0x21) or an image (0x2C) must come, and an image somewhere
    if width == 0 or height == 0 or position >= len(data) or data[position] not in (0x21, 0x2C):
        raise _bad_image(name, "GIF")
    if b"\x2c" not in data[position:]:
        raise _bad_image(name, "GIF")


def _check_webp(data: bytes, name: str) -> None:
    (size,) = struct.unpack("<I", data[4:8])
    if size + 8 != len(data) and size + 9 != len(data):  # a chunk of odd size is padded
        raise _bad_image(name, "WebP")
    if data[12:16] not in (b"VP8 ", b"VP8L", b"VP8X") or len(data) < 30:
        raise _bad_image(name, "WebP")


# ------------------------------------------------------------------------- legacy Word/Excel (OLE2)

_OLE_MACROS = {"macros", "_vba_project_cur", "_vba_project", "vba"}


def _ole_names(data: bytes) -> set[str]:
    """The names in the compound file's directory. Directory entries are 128-byte records aligned on
    128 bytes after the 512-byte header: a UTF-16 name (at most 31 characters, zero-terminated), its
    length in bytes at offset 64, and its type (1 storage, 2 stream, 5 root) at offset 66."""
    names: set[str] = set()
    for offset in range(512, len(data) - 127, 128):
        length = data[offset + 64] | data[offset + 65] << 8
        if not 4 <= length <= 64 or length % 2 or data[offset + 66] not in (1, 2, 5):
            continue
        raw = data[offset : offset + length]
        if raw[-2:] != b"\x00\x00" or any(data[offset + length : offset + 64]):
            continue
        try:
            text = raw[:-2].decode("utf-16-le")
        except UnicodeDecodeError:
            continue
        if text.isprintable():
            names.add(text.lower())
    return names


def _check_ole(data: bytes, name: str) -> str:
    names = _ole_names(data)
    if names & _OLE_MACROS:
        raise FileTypeError(
            f"Tệp «{name}» có macro; không nhận. Hãy lưu lại dưới dạng .docx/.xlsx thông thường."
        )
    if "worddocument" in names:
        return "application/msword"
    if "workbook" in names or "book" in names:
        return "application/vnd.ms-excel"
    raise FileTypeError(f"Tệp «{name}» là tệp Office cũ nhưng không phải văn bản Word hoặc bảng tính Excel.")
