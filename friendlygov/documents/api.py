"""Documents API: the same services and access checks as the pages.

- ``GET  /units/{slug}/issued`` — issued documents (number, date, kind, subject, file hash);
- ``GET  /units/{slug}/next-number?year=&kind=`` — the number to propose in the kind's register;
- ``GET  /units/{slug}/warnings?kind=&year=`` — what to know before making a document (list, may be empty);
- ``POST /units/{slug}/drafts[?output=pdf]`` — a draft .docx, or its PDF (returned as the file, not kept; its
  warnings, if any, in the ``X-Document-Warnings`` header, percent-encoded UTF-8, one per line);
- ``POST /units/{slug}/issued`` — issue a numbered document (kept), returns its record with ``warnings``;
- ``GET  /issued/{id}/file`` — the issued .docx;
- ``GET  /issued/{id}/pdf`` — the issued .docx converted to PDF (503 where LibreOffice is missing).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from friendlygov.documents import numbering, pdf, selectors, services
from friendlygov.documents.kinds import common
from friendlygov.documents.models import IssuedDocument
from friendlygov.kit.downloads import download_response, file_answer
from friendlygov.kit.params import Year
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest

router = Router(tags=["Văn bản"])

# the warnings of a draft returned as a file (percent-encoded UTF-8, one per line)
WARNINGS_HEADER = "X-Document-Warnings"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class SignerIn(Schema):
    authority: str = ""
    capacity: str = ""
    title: str = ""
    name: str = ""


class RenderIn(Schema):
    kind: str
    year: int
    issued_on: dt.date | None = None
    signer: SignerIn | None = None
    recipients: list[str] | None = None


class IssueIn(RenderIn):
    number: int
    # a number dated before a lower one already issued (or after a higher one) in the register and year is
    # refused unless confirmed; the confirmation is recorded in the audit
    confirm_out_of_order: bool = False


class IssuedOut(Schema):
    id: int
    kind: str
    kind_label: str
    year: int
    number: int | None
    symbol: str
    number_symbol: str
    issued_on: dt.date | None
    subject: str
    signer_name: str
    signer_title: str
    recipients: list[str]
    sha256: str
    size: int
    file_url: str
    pdf_url: str
    warnings: list[str] = []


class WarningsOut(Schema):
    kind: str
    year: int
    warnings: list[str]


class NextNumberOut(Schema):
    year: int
    number: int
    register_code: str  # "committee" or "home_affairs"


def _out(document: IssuedDocument) -> dict[str, Any]:
    return {
        "id": document.pk,
        "kind": document.kind,
        "kind_label": str(document.get_kind_display()),
        "year": document.year,
        "number": document.number,
        "symbol": document.symbol,
        "number_symbol": document.number_symbol,
        "issued_on": document.issued_on,
        "subject": document.subject,
        "signer_name": document.signer_name,
        "signer_title": document.signer_title,
        "recipients": list(document.recipients or []),
        "sha256": document.sha256,
        "size": document.size,
        "file_url": reverse("api:documents_issued_file", kwargs={"pk": document.pk}),
        "pdf_url": reverse("api:documents_issued_pdf", kwargs={"pk": document.pk}),
    }


def _signer(data: SignerIn | None) -> common.Signer | None:
    if data is None:
        return None
    return common.Signer(authority=data.authority, capacity=data.capacity, title=data.title, name=data.name)


@router.get("/units/{slug}/issued", response=list[IssuedOut])
def list_issued(request: HttpRequest, slug: str, year: Year | None = None) -> list[dict[str, Any]]:
    unit = access.get_unit_for(request.user, slug)
    return [_out(d) for d in selectors.issued_documents(unit, year=year)]


@router.get("/units/{slug}/next-number", response=NextNumberOut)
def next_number(
    request: HttpRequest, slug: str, year: Year | None = None, kind: str = "plan"
) -> dict[str, Any]:
    """The next free number of the register ``kind`` is numbered in (default: the unit's committee)."""
    unit = access.get_unit_for(request.user, slug)
    year = year or timezone.localdate().year
    issuer = services.issuer_of(services.parse_kind(kind), unit)
    return {
        "year": year,
        "number": numbering.next_free_number(issuer.unit, year, issuer.register),
        "register_code": issuer.register,
    }


@router.post(
    "/units/{slug}/drafts",
    openapi_extra=file_answer(
        DOCX, "application/pdf", description="The draft (.docx, or its PDF with ?output=pdf)."
    ),
)
def render_draft(
    request: AuthenticatedRequest, slug: str, payload: RenderIn, output: str = "docx"
) -> HttpResponse:
    unit = access.get_unit_for(request.user, slug)
    if output not in ("docx", "pdf"):
        return _plain(_("output: chỉ nhận docx hoặc pdf."), 422)
    rendered = services.render_document(
        actor=request.user,
        unit=unit,
        kind=payload.kind,
        year=payload.year,
        signer=_signer(payload.signer),
        recipients=payload.recipients,
    )
    if output == "pdf":
        return _as_pdf(rendered.content, rendered.filename)
    response = download_response(rendered.content, rendered.filename, DOCX)
    if rendered.warnings:
        # the file is the body: the warnings travel in a header, UTF-8 percent-encoded, one per line
        response[WARNINGS_HEADER] = quote("\n".join(rendered.warnings), safe=" ,.:;()/")
    return response


@router.get("/units/{slug}/warnings", response=WarningsOut)
def render_warnings(request: HttpRequest, slug: str, kind: str, year: Year) -> dict[str, Any]:
    """What to know before making ``kind`` for ``year`` (e.g. a tờ trình whose total does not reach the
    registered level reports the result instead of proposing recognition)."""
    unit = access.get_unit_for(request.user, slug)
    kind = services.parse_kind(kind)
    return {"kind": kind, "year": year, "warnings": selectors.render_warnings(unit, kind, year)}


@router.post("/units/{slug}/issued", response={201: IssuedOut})
def issue(request: AuthenticatedRequest, slug: str, payload: IssueIn) -> Status[dict[str, Any]]:
    unit = access.get_unit_for(request.user, slug)
    rendered = services.render_document(
        actor=request.user,
        unit=unit,
        kind=payload.kind,
        year=payload.year,
        number=payload.number,
        issued_on=payload.issued_on,
        signer=_signer(payload.signer),
        recipients=payload.recipients,
        confirm_out_of_order=payload.confirm_out_of_order,
    )
    assert rendered.document is not None
    return Status(201, {**_out(rendered.document), "warnings": rendered.warnings})


@router.get("/issued/{pk}/file", url_name="documents_issued_file", openapi_extra=file_answer(DOCX))
def issued_file(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.readable_issued(request.user, pk)
    with document.file.open("rb") as handle:
        content = handle.read()
    return download_response(content, document.file_name, DOCX)


@router.get("/issued/{pk}/pdf", url_name="documents_issued_pdf", openapi_extra=file_answer("application/pdf"))
def issued_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.readable_issued(request.user, pk)
    with document.file.open("rb") as handle:
        content = handle.read()
    return _as_pdf(content, document.file_name)


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _as_pdf(docx: bytes, filename: str) -> HttpResponse:
    try:
        data = pdf.docx_to_pdf(docx)
    except pdf.PdfConversionError as exc:
        return _plain(str(exc), 503)
    return download_response(data, f"{filename.rsplit('.', 1)[0]}.pdf", "application/pdf")
