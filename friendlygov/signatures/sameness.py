"""Is a PDF signed elsewhere the document we gave out to sign?

Decision: the platform keeps the exact PDF of an issued document it hands out for signing (``OriginalPdf``).
A PAdES signature is added as an *incremental update*: the signed file begins with the original bytes
unchanged and appends the signature after them. So the signed copy must

1. begin with the original PDF, byte for byte (a desktop tool that rewrites the whole file, or any other
   document, fails here);
2. hold at least one signature, every one in a revision after the original's;
3. change nothing but signature fields and their appearances between the original's last revision and the
   end of the file: pyHanko's difference analysis (``DEFAULT_DIFF_POLICY.review_file``) from the original's
   revision, at most ``FORM_FILLING`` — so page content added in the same update as a signature (which a
   signature on its own revision would not reveal) is caught too.

Signature validity (intact, valid, trusted) is checked separately by ``pades.verify_pdf``. No Django here.
"""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification

NOT_THE_SAME = (
    "Tệp tải lên không phải bản đã ký của văn bản này: phần nội dung gốc đã bị thay đổi "
    "(hoặc tệp được lưu lại toàn bộ thay vì thêm chữ ký). Hãy ký đúng tệp PDF đã tải về từ hệ thống."
)
NO_SIGNATURE = "Tệp tải lên chưa có chữ ký số."
CHANGED_AFTER = "Tệp tải lên có thay đổi nội dung ngoài chữ ký số so với văn bản gốc; không nhận tệp này."
NOT_A_PDF = "Tệp tải lên không phải tệp PDF đọc được."


def _revisions(data: bytes) -> int:
    return int(PdfFileReader(BytesIO(data), strict=False).xrefs.total_revisions)


def difference(original: bytes, signed: bytes) -> str | None:
    """None when ``signed`` is ``original`` with signatures added; otherwise why not (Vietnamese)."""
    if not signed.startswith(b"%PDF"):
        return NOT_A_PDF
    if len(signed) <= len(original) or signed[: len(original)] != original:
        return NOT_THE_SAME
    try:
        base = _revisions(original) - 1
        reader = PdfFileReader(BytesIO(signed), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return NO_SIGNATURE
        if any(sig.signed_revision <= base for sig in signatures):
            return NOT_THE_SAME
        result = DEFAULT_DIFF_POLICY.review_file(reader, base)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        return f"{NOT_A_PDF} ({exc})"[:300]
    if (
        isinstance(result, SuspiciousModification)
        or result.modification_level > ModificationLevel.FORM_FILLING
    ):
        return CHANGED_AFTER
    return None
