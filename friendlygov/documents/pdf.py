"""PDF conversion of rendered .docx files through LibreOffice (soffice --headless).

Each conversion runs in its own temporary directory with a private LibreOffice profile, so parallel
conversions do not fight over ~/.config/libreoffice, and is killed (with its children) after a timeout.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

__all__ = [
    "PdfConversionError",
    "SofficeNotFoundError",
    "docx_to_pdf",
    "calc_available",
    "find_soffice",
    "office_to_pdf",
    "soffice_available",
]

DEFAULT_TIMEOUT_SECONDS = 120.0
SOFFICE_ENV = "FRIENDLYGOV_SOFFICE"  # optional path to the soffice binary


class PdfConversionError(RuntimeError):
    """The conversion failed; the message is Vietnamese and safe to show."""


class SofficeNotFoundError(PdfConversionError):
    """LibreOffice is not installed (or not on PATH)."""


def find_soffice() -> str | None:
    """Path of the soffice binary: $FRIENDLYGOV_SOFFICE, else `soffice` or `libreoffice` on PATH."""
    configured = os.environ.get(SOFFICE_ENV)
    if configured:
        return configured if Path(configured).is_file() and os.access(configured, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_available() -> bool:
    return find_soffice() is not None


def calc_available() -> bool:
    """LibreOffice with its spreadsheet part (Calc), needed to convert .xlsx (distributions ship it apart)."""
    soffice = find_soffice()
    if soffice is None:
        return False
    program = Path(os.path.realpath(soffice)).parent
    return any((program / name).exists() for name in ("libsclo.so", "sclo.dll", "libsclo.dylib"))


# Word bookmarks become PDF named destinations: the signing code finds the signing place the renderer
# marks with them (friendlygov.signatures.marks). Filter options as JSON: LibreOffice 7.4 or later.
WRITER_PDF_EXPORT = (
    'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
)


def docx_to_pdf(docx_bytes: bytes, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> bytes:
    """Convert .docx bytes to PDF bytes with LibreOffice."""
    return office_to_pdf(docx_bytes, suffix=".docx", timeout=timeout)


def office_to_pdf(data: bytes, *, suffix: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> bytes:
    """Convert an office file (.docx, .xlsx) to PDF bytes with LibreOffice (Writer or Calc by the suffix)."""
    docx_bytes = data
    soffice = find_soffice()
    if soffice is None:
        raise SofficeNotFoundError(
            _(
                "Chưa cài LibreOffice (không tìm thấy lệnh soffice) nên không xuất được PDF; "
                "hãy cài gói libreoffice-writer hoặc tải tệp .docx."
            )
        )
    if not docx_bytes:
        raise PdfConversionError(_("Không có nội dung văn bản để xuất PDF."))
    with tempfile.TemporaryDirectory(prefix="friendlygov-pdf-") as tmp:
        work = Path(tmp)
        source = work / f"van-ban{suffix}"
        source.write_bytes(docx_bytes)
        outdir = work / "out"
        outdir.mkdir()
        profile = (work / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--norestore",
            "--convert-to",
            WRITER_PDF_EXPORT if suffix == ".docx" else "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ]
        env = dict(os.environ, HOME=str(work))
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            cwd=work,
            env=env,
            start_new_session=True,  # its own process group: a timeout ends soffice.bin too
        )
        try:
            _stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise PdfConversionError(
                _("LibreOffice không xuất xong PDF trong %(s)s giây; hãy thử lại sau.")
                % {"s": _seconds(timeout)}
            ) from None
        target = outdir / "van-ban.pdf"
        if process.returncode != 0 or not target.is_file():
            detail = stderr.decode("utf-8", "replace").strip().splitlines()
            tail = f" ({detail[-1][:200]})" if detail else ""
            raise PdfConversionError(
                _("LibreOffice không chuyển được văn bản sang PDF%(tail)s.") % {"tail": tail}
            )
        data = target.read_bytes()
    if not data.startswith(b"%PDF"):
        raise PdfConversionError(_("LibreOffice trả về tệp không phải PDF."))
    return data


def _seconds(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.communicate()
