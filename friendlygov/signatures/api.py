"""Signatures API: the same services and access checks as the pages.

- ``GET    /trust-roots`` · ``POST /trust-roots`` (multipart ``file``, ``name``) · ``DELETE /trust-roots/{id}``
  — the system administrator's CA certificates;
- ``GET    /units/{slug}/settings`` · ``PUT /units/{slug}/settings`` — the unit's signing methods (its
  administrator);
- ``GET    /documents/{id}`` — an issued document's signature state and its signatures;
- ``POST   /documents/{id}/sign`` (``{"method": "pkcs12"|"pkcs11"}``) — signed on the server by its signer;
- ``GET    /documents/{id}/original.pdf`` — the exact PDF to sign elsewhere;
- ``POST   /documents/{id}/signed`` (multipart ``file``) — a copy signed elsewhere, verified before it is kept;
- ``GET    /signatures/{id}/file`` · ``POST /signatures/{id}/verify`` — the signed PDF; verify it again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params.functions import File, Form

from friendlygov.documents import selectors as document_selectors
from friendlygov.kit.downloads import download_response, file_answer
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.signatures import selectors, services
from friendlygov.signatures.models import DocumentSignature, TrustRoot
from friendlygov.signatures.permissions import document_signing_permissions

router = Router(tags=["Chữ ký số"])


class TrustRootOut(Schema):
    id: int
    name: str
    subject: str
    issuer: str
    fingerprint: str
    not_before: dt.datetime
    not_after: dt.datetime


class SettingsIO(Schema):
    pkcs11_enabled: bool
    pkcs12_enabled: bool
    upload_enabled: bool
    requires_digital_signature: bool


class DigitalSignatureOut(Schema):
    id: int
    method: str
    signer: str
    signed_at: dt.datetime
    sha256: str
    valid: bool
    intact: bool
    trusted: bool
    verified_at: dt.datetime
    report: dict[str, Any]


class DocumentStateOut(Schema):
    document: int
    state: str = Field(
        description="unsigned | good | untrusted (intact and valid, not chained to an installed root) | bad"
    )
    label: str
    methods: list[str]
    may_sign: bool
    signatures: list[DigitalSignatureOut]


class SignIn(Schema):
    method: str


def _sig(sig: DocumentSignature) -> dict[str, Any]:
    return {
        "id": sig.pk,
        "method": sig.method,
        "signer": sig.signer_name,
        "signed_at": sig.signed_at,
        "sha256": sig.sha256,
        "valid": sig.valid,
        "intact": sig.intact,
        "trusted": sig.trusted,
        "verified_at": sig.verified_at,
        "report": sig.report,
    }


def _admin(request: HttpRequest) -> None:
    if not access.is_system_admin(request.user):
        raise PermissionDenied


@router.get("/trust-roots", response=list[TrustRootOut])
def list_roots(request: HttpRequest) -> Any:
    _admin(request)
    return list(selectors.trust_roots())


@router.post("/trust-roots", response={201: TrustRootOut})
def add_root(
    request: AuthenticatedRequest,
    file: UploadedFile = File(...),  # noqa: B008
    name: str = Form(""),  # noqa: B008
) -> Status[TrustRoot]:
    return Status(201, services.add_trust_root(actor=request.user, data=file.read(), name=name))


@router.delete("/trust-roots/{pk}", response={204: None})
def remove_root(request: AuthenticatedRequest, pk: int) -> Status[None]:
    _admin(request)
    root = TrustRoot.objects.filter(pk=pk).first()
    if root is None:
        raise Http404
    services.remove_trust_root(actor=request.user, root=root)
    return Status(204, None)


def _settings(conf: Any) -> dict[str, bool]:
    return {
        "pkcs11_enabled": conf.pkcs11_enabled,
        "pkcs12_enabled": conf.pkcs12_enabled,
        "upload_enabled": conf.upload_enabled,
        "requires_digital_signature": conf.requires_digital_signature,
    }


@router.get("/units/{slug}/settings", response=SettingsIO)
def get_settings(request: HttpRequest, slug: str) -> Any:
    unit = access.get_unit_for(request.user, slug)
    return _settings(selectors.signing_settings(unit))


@router.put("/units/{slug}/settings", response=SettingsIO)
def put_settings(request: AuthenticatedRequest, slug: str, payload: SettingsIO) -> Any:
    unit = access.get_unit_for(request.user, slug)
    return _settings(services.update_signing_settings(actor=request.user, unit=unit, **payload.dict()))


def _state(request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    document = document_selectors.readable_issued(request.user, pk)
    signatures = list(selectors.document_signatures(document))
    state = selectors.state_of(signatures[0] if signatures else None)
    may_sign = document_signing_permissions(request.user, document).may_sign
    return {
        "document": document.pk,
        "state": state.code,
        "label": state.label,
        "methods": selectors.enabled_methods(document.unit) if may_sign else [],
        "may_sign": may_sign,
        "signatures": [_sig(s) for s in signatures],
    }


@router.get("/documents/{pk}", response=DocumentStateOut)
def document_state(request: AuthenticatedRequest, pk: int) -> Any:
    return _state(request, pk)


@router.post("/documents/{pk}/sign", response={201: DigitalSignatureOut})
def sign(request: AuthenticatedRequest, pk: int, payload: SignIn) -> Status[dict[str, Any]]:
    document = document_selectors.readable_issued(request.user, pk)
    return Status(
        201, _sig(services.sign_document(actor=request.user, document=document, method=payload.method))
    )


@router.get("/documents/{pk}/original.pdf", openapi_extra=file_answer("application/pdf"))
def original(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_selectors.readable_issued(request.user, pk)
    kept = services.original_pdf(document=document)
    with kept.file.open("rb") as handle:
        return download_response(handle.read(), "ban-goc.pdf", "application/pdf")


@router.post("/documents/{pk}/signed", response={201: DigitalSignatureOut})
def upload_signed(
    request: AuthenticatedRequest,
    pk: int,
    file: UploadedFile = File(...),  # noqa: B008
) -> Status[dict[str, Any]]:
    document = document_selectors.readable_issued(request.user, pk)
    return Status(
        201, _sig(services.upload_signed_document(actor=request.user, document=document, data=file.read()))
    )


@router.get("/signatures/{pk}/file", openapi_extra=file_answer("application/pdf"))
def signed_file(request: HttpRequest, pk: int) -> HttpResponse:
    sig = selectors.readable_signature(request.user, pk)
    with sig.file.open("rb") as handle:
        return download_response(handle.read(), sig.file_name, "application/pdf")


@router.post("/signatures/{pk}/verify", response=DigitalSignatureOut)
def verify(request: AuthenticatedRequest, pk: int) -> Any:
    sig = selectors.readable_signature(request.user, pk)
    return _sig(services.verify_again(actor=request.user, signature=sig))
