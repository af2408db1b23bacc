"""Reads of the signatures area: trust roots, a unit's signing methods, each document's signature state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from friendlygov.documents.models import IssuedDocument
from friendlygov.org import access
from friendlygov.org.access import Capability
from friendlygov.org.models import Unit
from friendlygov.signatures.models import (
    DocumentSignature,
    OrganisationCertificate,
    SigningSettings,
    TrustRoot,
)


def trust_roots() -> QuerySet[TrustRoot]:
    return TrustRoot.objects.select_related("uploaded_by").order_by("name", "id")


def trust_root_pems() -> list[bytes]:
    """The installed roots, the only ones a signature is trusted against."""
    return [pem.encode("ascii") for pem in TrustRoot.objects.values_list("pem", flat=True)]


def signing_settings(unit: Unit) -> SigningSettings:
    """The unit's settings (an unsaved all-off one when its administrator never set them)."""
    found = SigningSettings.objects.filter(unit=unit).first()
    return found if found is not None else SigningSettings(unit=unit)


def requires_digital_signature(unit: Unit) -> bool:
    return signing_settings(unit).requires_digital_signature


def active_certificate(unit: Unit) -> OrganisationCertificate | None:
    return OrganisationCertificate.objects.filter(unit=unit, is_active=True).first()


def pkcs11_configured() -> bool:
    conf = settings.SIGNING_PKCS11
    return bool(conf.get("library") and conf.get("token_label"))


def enabled_methods(unit: Unit) -> list[str]:
    """The methods a signer of ``unit`` can use now (enabled by its administrator and set up)."""
    conf = signing_settings(unit)
    methods = []
    if conf.pkcs11_enabled and pkcs11_configured():
        methods.append(DocumentSignature.Method.PKCS11)
    if conf.pkcs12_enabled and active_certificate(unit) is not None:
        methods.append(DocumentSignature.Method.PKCS12)
    if conf.upload_enabled:
        methods.append(DocumentSignature.Method.UPLOAD)
    return [str(m) for m in methods]


def document_signatures(document: IssuedDocument) -> QuerySet[DocumentSignature]:
    """The signatures kept for an issued document, newest first."""
    return (
        DocumentSignature.objects.filter(document=document)
        .select_related("signed_by")
        .order_by("-signed_at", "-id")
    )


def latest_signature(document: IssuedDocument) -> DocumentSignature | None:
    return document_signatures(document).first()


@dataclass(frozen=True)
class SignatureState:
    """What the pages show: «chưa ký», «đã ký số — hợp lệ», «đã ký số — chưa tin cậy» (intact and valid,
    its certificate not traced to an installed root: the table of signatures says the same), «đã ký số —
    không hợp lệ»."""

    code: str  # unsigned | good | untrusted | bad
    label: str
    signature: DocumentSignature | None

    @property
    def problem(self) -> str:
        sig = self.signature
        if sig is None or sig.is_good:
            return ""
        if not sig.intact or not sig.valid:
            return _("chữ ký bị hỏng hoặc tệp đã bị sửa")
        return _("chứng thư không thuộc chứng thư gốc tin cậy đã cài")


def state_of(signature: DocumentSignature | None) -> SignatureState:
    if signature is None:
        return SignatureState("unsigned", _("chưa ký"), None)
    if signature.is_good:
        return SignatureState("good", _("đã ký số — hợp lệ"), signature)
    if signature.intact and signature.valid:
        return SignatureState("untrusted", _("đã ký số — chưa tin cậy"), signature)
    return SignatureState("bad", _("đã ký số — không hợp lệ"), signature)


def states_for(documents: Iterable[IssuedDocument]) -> dict[int, SignatureState]:
    """Each document's state, by its id (one query)."""
    ids = [d.pk for d in documents]
    latest: dict[int, DocumentSignature] = {}
    for sig in (
        DocumentSignature.objects.filter(document_id__in=ids)
        .select_related("signed_by")
        .order_by("signed_at", "id")
    ):
        latest[int(sig.document_id)] = sig  # type: ignore[arg-type]
    return {pk: state_of(latest.get(pk)) for pk in ids}


def readable_signature(user: Any, pk: int) -> DocumentSignature:
    """A kept signature whose document or request the user may read; 404 otherwise."""
    sig = (
        DocumentSignature.objects.select_related("unit", "document", "document__about", "request")
        .filter(pk=pk)
        .first()
    )
    if sig is None:
        raise Http404
    units = [sig.unit]
    if sig.document is not None and sig.document.about is not None:
        units.append(sig.document.about)
    if not any(access.can(user, Capability.READ, u) for u in units):
        raise Http404
    return sig


def request_signatures(request: Any) -> list[DocumentSignature]:
    return list(
        DocumentSignature.objects.filter(request=request).select_related("signed_by").order_by("-signed_at")
    )


def request_has_good_signature(request: Any) -> bool:
    """A signing request (trình ký) holds a verified digital signature (the latest one kept is good)."""
    sig = DocumentSignature.objects.filter(request=request).order_by("-signed_at", "-id").first()
    return sig is not None and sig.is_good
