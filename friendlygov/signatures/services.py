"""Writes of the signatures area: trust roots, signing settings, the organisation certificate, signing an
issued document or a signing request (trình ký), keeping a PDF signed elsewhere, verifying again.

Every signing and every verification is audited. Signing and verifying themselves are ``pades`` (pyHanko).
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from friendlygov.audit import services as audit
from friendlygov.audit.models import AuditEvent
from friendlygov.documents import pdf
from friendlygov.documents.models import IssuedDocument
from friendlygov.operations import services as operations
from friendlygov.operations.models import SignatureRequest
from friendlygov.org import access
from friendlygov.org.access import Actor, Capability
from friendlygov.org.models import Unit
from friendlygov.signatures import keys, selectors
from friendlygov.signatures.models import (
    DocumentSignature,
    OrganisationCertificate,
    OriginalPdf,
    SignatureImage,
    SigningSettings,
    TrustRoot,
)
from friendlygov.signatures.permissions import document_signing_permissions, signing_request_permissions

if TYPE_CHECKING:
    # ``pades`` and ``sameness`` are imported where a document is signed or verified (below): pyHanko, with
    # fontTools and cryptography, weighs ~40 MB that a worker serving pages and survey answers need not carry.
    from friendlygov.signatures import pades

MAX_UPLOAD = 50 * 1024 * 1024
MAX_IMAGE = 2 * 1024 * 1024
Method = DocumentSignature.Method


def _require_system_admin(actor: Actor) -> None:
    if not access.is_system_admin(actor):
        raise PermissionDenied


# ------------------------------------------------------------------------------------------ trust roots


@transaction.atomic
def add_trust_root(*, actor: Actor, data: bytes, name: str = "") -> TrustRoot:
    """A CA certificate (PEM or DER) the app will trust; the system administrator only."""
    _require_system_admin(actor)
    info = keys.parse_certificate(data)
    if not info.is_ca:
        raise ValidationError(
            {"file": "Chứng thư này không phải chứng thư của tổ chức cấp (CA)."}, code="not_ca"
        )
    if TrustRoot.objects.filter(fingerprint=info.fingerprint).exists():
        raise ValidationError({"file": "Chứng thư gốc này đã được cài."}, code="duplicate")
    root = TrustRoot.objects.create(
        name=(name.strip() or info.subject)[:200],
        pem=info.pem,
        subject=info.subject,
        issuer=info.issuer,
        fingerprint=info.fingerprint,
        not_before=info.not_before,
        not_after=info.not_after,
        uploaded_by=actor,
    )
    audit.record(
        actor=actor,
        unit_id=None,
        action=AuditEvent.Action.CREATE,
        obj=root,
        changes={"subject": [None, root.subject], "fingerprint": [None, root.fingerprint]},
        note="cài chứng thư gốc tin cậy",
    )
    return root


@transaction.atomic
def remove_trust_root(*, actor: Actor, root: TrustRoot) -> None:
    _require_system_admin(actor)
    audit.record(
        actor=actor,
        unit_id=None,
        action=AuditEvent.Action.DELETE,
        obj=root,
        changes={"subject": [root.subject, None], "fingerprint": [root.fingerprint, None]},
        note="gỡ chứng thư gốc tin cậy",
    )
    root.delete()


# ------------------------------------------------------------------------------ the unit's settings


@transaction.atomic
def update_signing_settings(
    *,
    actor: Actor,
    unit: Unit,
    pkcs11_enabled: bool,
    pkcs12_enabled: bool,
    upload_enabled: bool,
    requires_digital_signature: bool,
) -> SigningSettings:
    """The unit's administrator enables the signing methods (Capability.MANAGE_UNIT)."""
    access.require(actor, Capability.MANAGE_UNIT, unit)
    conf = selectors.signing_settings(unit)
    before = audit.snapshot(conf) if conf.pk else {}
    conf.pkcs11_enabled, conf.pkcs12_enabled = pkcs11_enabled, pkcs12_enabled
    conf.upload_enabled, conf.requires_digital_signature = upload_enabled, requires_digital_signature
    conf.save()
    audit.record(
        actor=actor,
        unit_id=unit.pk,
        action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
        obj=conf,
        changes=audit.diff(before, audit.snapshot(conf)),
        note="cấu hình ký số của đơn vị",
    )
    return conf


@transaction.atomic
def upload_organisation_certificate(
    *, actor: Actor, unit: Unit, data: bytes, passphrase_env: str
) -> OrganisationCertificate:
    """The unit's PKCS#12, checked with its passphrase (read from the environment variable named) and kept
    encrypted; the one active before is retired."""
    access.require(actor, Capability.MANAGE_UNIT, unit)
    env = passphrase_env.strip()
    if not env or not env.replace("_", "").isalnum():
        raise ValidationError(
            {
                "passphrase_env": "Nhập tên biến môi trường chứa mật khẩu (chữ, số và dấu _), ví dụ FRIENDLYGOV_P12_PASSWORD."
            }
        )
    if not data:
        raise ValidationError({"file": "Chọn tệp chứng thư số (.p12 hoặc .pfx)."})
    info = keys.parse_pkcs12(data, keys.passphrase_from(env))
    encrypted = keys.encrypt(data)
    OrganisationCertificate.objects.filter(unit=unit, is_active=True).update(is_active=False)
    cert = OrganisationCertificate.objects.create(
        unit=unit,
        encrypted=encrypted,
        passphrase_env=env,
        subject=info.subject,
        issuer=info.issuer,
        fingerprint=info.fingerprint,
        not_after=info.not_after,
        uploaded_by=actor,
    )
    audit.record(
        actor=actor,
        unit_id=unit.pk,
        action=AuditEvent.Action.CREATE,
        obj=cert,
        changes={"subject": [None, cert.subject], "fingerprint": [None, cert.fingerprint]},
        note="tải lên chứng thư số của cơ quan (lưu mã hóa)",
    )
    return cert


def _png(data: bytes, field: str) -> bytes:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError({field: "Ảnh phải là tệp PNG (nền trong suốt)."})
    if len(data) > MAX_IMAGE:
        raise ValidationError({field: "Ảnh quá lớn (tối đa 2 MB)."})
    return data


@transaction.atomic
def set_seal_image(*, actor: Actor, unit: Unit, data: bytes) -> SigningSettings:
    """The body's seal image (red, transparent PNG, at true size), drawn over the signature (Decree 30)."""
    access.require(actor, Capability.MANAGE_UNIT, unit)
    conf = selectors.signing_settings(unit)
    conf.seal_image.save("seal.png", ContentFile(_png(data, "seal_image")), save=False)
    conf.save()
    audit.record(
        actor=actor,
        unit_id=unit.pk,
        action=AuditEvent.Action.UPDATE,
        obj=conf,
        changes={"seal_image": [None, hashlib.sha256(data).hexdigest()]},
        note="ảnh con dấu dùng khi ký số",
    )
    return conf


@transaction.atomic
def set_my_signature_image(*, actor: Actor, data: bytes) -> SignatureImage:
    """The person's own handwritten signature image (blue, transparent PNG)."""
    image = SignatureImage.objects.filter(user=actor).first() or SignatureImage(user=actor)
    image.file.save("signature.png", ContentFile(_png(data, "signature_image")), save=False)
    image.save()
    audit.record(
        actor=actor,
        unit_id=None,
        action=AuditEvent.Action.UPDATE,
        obj=image,
        changes={"file": [None, hashlib.sha256(data).hexdigest()]},
        note="ảnh chữ ký dùng khi ký số",
    )
    return image


# ----------------------------------------------------------------------------------------- signing


def _key(unit: Unit, method: str) -> pades.KeySource:
    from friendlygov.signatures import pades  # see the note at the imports

    if method == Method.PKCS12:
        cert = selectors.active_certificate(unit)
        if cert is None:
            raise ValidationError({"method": "Đơn vị chưa tải lên chứng thư số của cơ quan."})
        return pades.Pkcs12Key(
            data=keys.decrypt(bytes(cert.encrypted)), passphrase=keys.passphrase_from(cert.passphrase_env)
        )
    if method == Method.PKCS11:
        conf = settings.SIGNING_PKCS11
        if not selectors.pkcs11_configured():
            raise ValidationError({"method": "Máy chủ chưa cấu hình thiết bị ký số (PKCS#11)."})
        pin = os.environ.get(conf["pin_env"])
        if pin is None:
            raise ValidationError(
                {"method": f"Máy chủ chưa đặt biến môi trường {conf['pin_env']} (mã PIN của thiết bị ký số)."}
            )
        return pades.Pkcs11Key(
            library=conf["library"],
            token_label=conf["token_label"],
            pin=pin,
            key_label=conf["key_label"] or None,
        )
    raise ValidationError({"method": "Cách ký không hợp lệ."})


def _organisation(unit: Unit) -> str:
    return f"Ủy ban nhân dân {unit.kind_prefix} {unit.name}"


def _appearance(actor: Actor, unit: Unit, reason: str) -> pades.Appearance:
    """The body's seal over the signer's signature image, when they were uploaded (else a text appearance)."""
    from friendlygov.signatures import pades  # see the note at the imports

    conf = selectors.signing_settings(unit)
    seal = _read(conf.seal_image) if conf.seal_image else None
    own = SignatureImage.objects.filter(user=actor).first()
    return pades.Appearance(
        role="organisation",
        signature_image=_read(own.file) if own is not None else None,
        seal_image=seal,
        organisation=_organisation(unit),
        reason=reason[:200],
        location=unit.full_name,
    )


def _check_method(unit: Unit, method: str) -> None:
    if method not in selectors.enabled_methods(unit):
        raise ValidationError(
            {"method": "Cách ký này chưa được quản trị đơn vị bật hoặc chưa thiết lập xong."}
        )


def _verify(data: bytes) -> tuple[bool, bool, bool, dict[str, Any], pades.Verification]:
    from friendlygov.signatures import pades  # see the note at the imports

    roots = selectors.trust_root_pems()
    try:
        result = pades.verify_pdf(data, trust_roots=roots)
    except pades.SigningError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    checks = result.signatures
    intact = bool(checks) and all(c.intact for c in checks)
    valid = bool(checks) and all(c.valid for c in checks)
    trusted = bool(checks) and bool(roots) and all(c.trusted for c in checks)
    return intact, valid, trusted, result.as_json(), result


def _keep(
    *,
    actor: Actor,
    unit: Unit,
    method: str,
    data: bytes,
    file_name: str,
    document: IssuedDocument | None = None,
    request: SignatureRequest | None = None,
) -> DocumentSignature:
    intact, valid, trusted, report, result = _verify(data)
    now = timezone.now()
    first = result.signatures[0] if result.signatures else None
    sig = DocumentSignature(
        unit=unit,
        document=document,
        request=request,
        method=method,
        signed_by=actor,
        signer_name=actor.get_full_name(),
        signed_at=(first.signed_at if method == Method.UPLOAD and first and first.signed_at else now),
        file_name=file_name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        valid=valid,
        intact=intact,
        trusted=trusted,
        report=report,
        verified_at=now,
    )
    sig.file.save(file_name, ContentFile(data), save=False)
    sig.save()
    subject = document if document is not None else request
    audit.record(
        actor=actor,
        unit_id=unit.pk,
        action=AuditEvent.Action.CREATE,
        obj=sig,
        object_repr=f"Chữ ký số: {subject}"[:300],
        changes={
            "method": [None, method],
            "sha256": [None, sig.sha256],
            "valid": [None, valid],
            "intact": [None, intact],
            "trusted": [None, trusted],
        },
        note=f"ký số và kiểm tra chữ ký ({sig.get_method_display()})",
    )
    return sig


def _signed_name(name: str) -> str:
    return name.rsplit(".", 1)[0] + "-da-ky.pdf"


@transaction.atomic
def original_pdf(*, document: IssuedDocument) -> OriginalPdf:
    """The PDF handed out to sign: made once from the issued .docx and kept unchanged."""
    found = OriginalPdf.objects.filter(document=document).first()
    if found is not None:
        return found
    with document.file.open("rb") as handle:
        content = handle.read()
    try:
        data = pdf.docx_to_pdf(content)
    except pdf.PdfConversionError as exc:
        raise ValidationError(str(exc)) from exc
    kept = OriginalPdf(document=document, unit=document.unit, sha256=hashlib.sha256(data).hexdigest())
    kept.file.save("original.pdf", ContentFile(data), save=False)
    kept.save()
    return kept


def _read(field: Any) -> bytes:
    with field.open("rb") as handle:
        return bytes(handle.read())


@transaction.atomic
def sign_document(*, actor: Actor, document: IssuedDocument, method: str) -> DocumentSignature:
    """The document's signer signs its PDF on the server (organisation certificate or PKCS#11 token)."""
    from friendlygov.signatures import pades  # see the note at the imports

    document_signing_permissions(actor, document).require()
    unit = document.unit
    if method == Method.UPLOAD:
        raise ValidationError({"method": "Tải lên tệp đã ký bằng chức năng «Tải lên bản đã ký»."})
    _check_method(unit, method)
    original = _read(original_pdf(document=document).file)
    appearance = _appearance(actor, unit, f"Ban hành văn bản số {document.number_symbol}")
    try:
        signed = pades.sign_pdf(original, key=_key(unit, method), appearance=appearance)
    except pades.SigningError as exc:
        raise ValidationError({"method": str(exc)}) from exc
    return _keep(
        actor=actor,
        unit=unit,
        method=method,
        data=signed,
        file_name=_signed_name(document.file_name),
        document=document,
    )


def _upload_checks(data: bytes, original: bytes) -> None:
    from friendlygov.signatures import sameness  # reads PDFs with pyHanko: see the note at the imports

    if not data:
        raise ValidationError({"file": "Chọn tệp PDF đã ký."})
    if len(data) > MAX_UPLOAD:
        raise ValidationError({"file": "Tệp quá lớn (tối đa 50 MB)."})
    problem = sameness.difference(original, data)
    if problem is not None:
        raise ValidationError({"file": problem}, code="not_the_same")
    intact, valid, _trusted, _report, _result = _verify(data)
    if not (intact and valid):
        raise ValidationError(
            {
                "file": "Chữ ký số trong tệp không toàn vẹn hoặc không hợp lệ (tệp đã bị sửa sau khi ký); không nhận tệp này."
            },
            code="invalid_signature",
        )


def _audit_refusal(*, actor: Actor, unit: Unit, subject: Any, message: str) -> None:
    # outside the refused transaction: the refusal itself stays in the log
    audit.record(
        actor=actor,
        unit_id=unit.pk,
        action=AuditEvent.Action.TRANSITION,
        obj=subject,
        note=f"từ chối tệp đã ký tải lên: {message}"[:500],
    )


def upload_signed_document(*, actor: Actor, document: IssuedDocument, data: bytes) -> DocumentSignature:
    """A PDF signed elsewhere, kept only when it is the document's PDF with valid signatures added."""
    document_signing_permissions(actor, document).require()
    unit = document.unit
    _check_method(unit, Method.UPLOAD)
    original = _read(original_pdf(document=document).file)
    try:
        _upload_checks(data, original)
    except ValidationError as exc:
        _audit_refusal(actor=actor, unit=unit, subject=document, message="; ".join(exc.messages))
        raise
    with transaction.atomic():
        return _keep(
            actor=actor,
            unit=unit,
            method=Method.UPLOAD,
            data=data,
            file_name=_signed_name(document.file_name),
            document=document,
        )


@transaction.atomic
def verify_again(*, actor: Actor, signature: DocumentSignature) -> DocumentSignature:
    """The kept file checked again against today's trust roots (a root removed, a file damaged)."""
    access.require(actor, Capability.READ, signature.unit)
    data = _read(signature.file)
    intact, valid, trusted, report, _result = _verify(data)
    if hashlib.sha256(data).hexdigest() != signature.sha256:
        intact = valid = False
    before = audit.snapshot(signature, ["valid", "intact", "trusted"])
    signature.valid, signature.intact, signature.trusted = valid, intact, trusted
    signature.report, signature.verified_at = report, timezone.now()
    signature.save(update_fields=["valid", "intact", "trusted", "report", "verified_at"])
    audit.record(
        actor=actor,
        unit_id=signature.unit_id,
        action=AuditEvent.Action.TRANSITION,
        obj=signature,
        changes=audit.diff(before, audit.snapshot(signature, ["valid", "intact", "trusted"])),
        note="kiểm tra lại chữ ký số",
    )
    return signature


# ------------------------------------------------------------------------------ signing requests


def _request_original(request: SignatureRequest) -> bytes:
    if request.file is None:
        raise ValidationError({"file": "Văn bản trình ký không có tệp đính kèm để ký số."})
    data = _read(request.file.file)
    if not data.startswith(b"%PDF"):
        raise ValidationError({"file": "Tệp của văn bản trình ký không phải PDF nên không ký số được."})
    return data


def _require_request_signer(actor: Actor, request: SignatureRequest) -> None:
    allowed = signing_request_permissions(actor, request)
    allowed.require()
    if not allowed.waiting:
        raise ValidationError("Văn bản không ở trạng thái chờ ký.")


@transaction.atomic
def sign_request(*, actor: Actor, request: SignatureRequest, method: str) -> DocumentSignature:
    """The leader signs the PDF of a signing request on the server."""
    from friendlygov.signatures import pades  # see the note at the imports

    _require_request_signer(actor, request)
    _check_method(request.unit, method)
    if method == Method.UPLOAD:
        raise ValidationError({"method": "Tải lên tệp đã ký bằng chức năng «Tải lên bản đã ký»."})
    appearance = _appearance(actor, request.unit, request.title)
    try:
        signed = pades.sign_pdf(
            _request_original(request), key=_key(request.unit, method), appearance=appearance
        )
    except pades.SigningError as exc:
        raise ValidationError({"method": str(exc)}) from exc
    sig = _keep(
        actor=actor,
        unit=request.unit,
        method=method,
        data=signed,
        file_name=_signed_name(request.file.original_name if request.file else "van-ban.pdf"),
        request=request,
    )
    _record_signed(actor, request, sig)
    return sig


def _record_signed(actor: Actor, request: SignatureRequest, sig: DocumentSignature) -> None:
    """The leader's good signature is the signing: the request is recorded «Đã ký» on the day, as the
    leader would record it by hand (operations' own transition, audited). A signature that is not good
    (e.g. its certificate not traced to an installed root) leaves the request waiting for that choice."""
    if sig.is_good:
        operations.decide_signature(
            actor=actor,
            request=request,
            decision=SignatureRequest.Status.SIGNED,
            expected_version=None,
            signed_on=timezone.localdate(sig.signed_at),
        )


def upload_signed_request(*, actor: Actor, request: SignatureRequest, data: bytes) -> DocumentSignature:
    """A signing request's PDF signed elsewhere, kept only when it is that PDF with valid signatures added."""
    _require_request_signer(actor, request)
    _check_method(request.unit, Method.UPLOAD)
    original = _request_original(request)
    try:
        _upload_checks(data, original)
    except ValidationError as exc:
        _audit_refusal(actor=actor, unit=request.unit, subject=request, message="; ".join(exc.messages))
        raise
    with transaction.atomic():
        sig = _keep(
            actor=actor,
            unit=request.unit,
            method=Method.UPLOAD,
            data=data,
            file_name=_signed_name(request.file.original_name if request.file else "van-ban.pdf"),
            request=request,
        )
        _record_signed(actor, request, sig)
        return sig
