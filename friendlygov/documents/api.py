"""Documents API: the same services and access checks as the pages.

- ``GET  /units/{slug}/issued`` — issued documents (number, date, kind, subject, file hash);
- ``GET  /units/{slug}/next-number?year=&kind=`` — the number to propose in the kind's register;
- ``POST /units/{slug}/drafts`` — a draft .docx (returned as the file, not kept);
- ``POST /units/{slug}/issued`` — issue a numbered document (kept), returns its record;
- ``GET  /issued/{id}/file`` — the issued .docx.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status

from friendlygov.documents import selectors, services
from friendlygov.documents.kinds import common
from friendlygov.documents.models import IssuedDocument
from friendlygov.org import access
from friendlygov.org.access import Capability

router = Router(tags=["Văn bản"])

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
    }


def _signer(data: SignerIn | None) -> common.Signer | None:
    if data is None:
        return None
    return common.Signer(authority=data.authority, capacity=data.capacity, title=data.title, name=data.name)


@router.get("/units/{slug}/issued", response=list[IssuedOut])
def list_issued(request: HttpRequest, slug: str, year: int | None = None) -> list[dict[str, Any]]:
    unit = access.get_unit_for(request.user, slug)
    return [_out(d) for d in selectors.issued_documents(unit, year=year)]


@router.get("/units/{slug}/next-number", response=NextNumberOut)
def next_number(
    request: HttpRequest, slug: str, year: int | None = None, kind: str = "plan"
) -> dict[str, Any]:
    """The next free number of the register ``kind`` is numbered in (default: the unit's committee)."""
    unit = access.get_unit_for(request.user, slug)
    year = year or timezone.localdate().year
    issuer = services.issuer_of(services.parse_kind(kind), unit)
    return {
        "year": year,
        "number": services.next_free_number(issuer.unit, year, issuer.register),
        "register_code": issuer.register,
    }


@router.post("/units/{slug}/drafts")
def render_draft(request: HttpRequest, slug: str, payload: RenderIn) -> HttpResponse:
    unit = access.get_unit_for(request.user, slug)
    rendered = services.render_document(
        actor=request.user,
        unit=unit,
        kind=payload.kind,
        year=payload.year,
        signer=_signer(payload.signer),
        recipients=payload.recipients,
    )
    response = HttpResponse(rendered.content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


@router.post("/units/{slug}/issued", response={201: IssuedOut})
def issue(request: HttpRequest, slug: str, payload: IssueIn) -> Status[dict[str, Any]]:
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
    return Status(201, _out(rendered.document))


@router.get("/issued/{pk}/file", url_name="documents_issued_file")
def issued_file(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_object_for(request.user, IssuedDocument, Capability.READ, pk=pk, draft=False)
    with document.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{document.file_name}"'
    return response
