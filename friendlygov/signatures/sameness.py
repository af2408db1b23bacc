"""Is a PDF signed elsewhere the document we gave out to sign?

Decision: the platform keeps the exact PDF of an issued document it hands out for signing (``OriginalPdf``).
A PAdES signature is added as an *incremental update*: the signed file begins with the original bytes
unchanged and appends the signature after them. So the signed copy must

1. begin with the original PDF, byte for byte (a desktop tool that rewrites the whole file, or any other
   document, fails here);
2. hold at least one signature, every one in a revision after the original's;
3. change, in the objects the original already had, only what adding a signature needs: the catalog may
   gain ``/AcroForm`` (and ``/Perms``, ``/DSS``), a page may gain ``/Annots``, the document information its
   dates and producer; and every annotation added to a page is a signature widget. So page content or a
   visible annotation slipped into the same update as a signature (which that signature, covering its own
   revision, would not reveal) is refused. (pyHanko's difference analysis judges revisions *after* a
   signed one; it cannot start from a revision without a form, which is what we have here.)

Signature validity (intact, valid, trusted) is checked separately by ``pades.verify_pdf``. No Django here.
"""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

NOT_THE_SAME = (
    "Tệp tải lên không phải bản đã ký của văn bản này: phần nội dung gốc đã bị thay đổi "
    "(hoặc tệp được lưu lại toàn bộ thay vì thêm chữ ký). Hãy ký đúng tệp PDF đã tải về từ hệ thống."
)
NO_SIGNATURE = "Tệp tải lên chưa có chữ ký số."
CHANGED_AFTER = "Tệp tải lên có thay đổi nội dung ngoài chữ ký số so với văn bản gốc; không nhận tệp này."
NOT_A_PDF = "Tệp tải lên không phải tệp PDF đọc được."


# keys an added signature may change in an object the original had
ALLOWED_CHANGES = {
    "/Catalog": {"/AcroForm", "/Perms", "/DSS", "/Extensions", "/Version"},
    "/Page": {"/Annots"},
}
INFO_KEYS = {"/ModDate", "/Producer", "/Creator"}


def _deref(value: object) -> object:
    return value.get_object() if isinstance(value, generic.IndirectObject) else value


def _annot_refs(page: generic.DictionaryObject) -> list[object]:
    annots = _deref(page.get("/Annots", generic.ArrayObject()))
    return list(annots) if isinstance(annots, generic.ArrayObject) else []


def _is_signature_widget(annot: object) -> bool:
    value = _deref(annot)
    if not isinstance(value, generic.DictionaryObject) or value.get("/Subtype") != "/Widget":
        return False
    parent = _deref(value.get("/Parent"))
    kind = value.get("/FT") or (parent.get("/FT") if isinstance(parent, generic.DictionaryObject) else None)
    return bool(kind == "/Sig")


def _changed_beyond_signing(reader: PdfFileReader, base: int) -> bool:
    """True when a later revision changes an object of the original beyond what a signature needs."""
    original_ids = set()
    for revision in range(base + 1):
        original_ids |= {ref.idnum for ref in reader.xrefs.explicit_refs_in_revision(revision)}
    old = reader.get_historical_resolver(base)
    info_ref = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
    info_id = info_ref.idnum if isinstance(info_ref, generic.IndirectObject) else None
    for revision in range(base + 1, reader.xrefs.total_revisions):
        new = reader.get_historical_resolver(revision)
        for ref in reader.xrefs.explicit_refs_in_revision(revision):
            if ref.idnum not in original_ids:
                continue  # a new object: reachable only through the changes checked here
            before, after = old(ref), new(ref)
            if not isinstance(before, generic.DictionaryObject) or not isinstance(
                after, generic.DictionaryObject
            ):
                return True
            kind = str(before.get("/Type", ""))
            allowed = INFO_KEYS if ref.idnum == info_id else ALLOWED_CHANGES.get(kind)
            if allowed is None:
                return True
            keys = set(before.keys()) | set(after.keys())
            if any(
                before.raw_get(k) != after.raw_get(k) for k in keys - allowed if k in before and k in after
            ):
                return True
            if (set(before.keys()) ^ set(after.keys())) - allowed:
                return True
            if kind == "/Page":
                kept = {getattr(a, "idnum", id(a)) for a in _annot_refs(before)}
                added = [a for a in _annot_refs(after) if getattr(a, "idnum", id(a)) not in kept]
                if not all(_is_signature_widget(a) for a in added):
                    return True
    return False


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
        changed = _changed_beyond_signing(reader, base)
    except (PdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return f"{NOT_A_PDF} ({exc})"[:300]
    return CHANGED_AFTER if changed else None
