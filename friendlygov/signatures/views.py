"""Pages of the signatures area: trust roots (system administrator), a unit's signing settings (its
administrator), signing an issued document or a signing request, downloading the signed PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from friendlygov.documents import selectors as document_selectors
from friendlygov.kit.forms_util import attach_errors
from friendlygov.operations.models import SignatureRequest
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.signatures import selectors, services
from friendlygov.signatures.forms import (
    CertificateForm,
    SealForm,
    SettingsForm,
    SignatureImageForm,
    SignForm,
    TrustRootForm,
    UploadSignedForm,
)
from friendlygov.signatures.models import DocumentSignature, SignatureImage, TrustRoot

PDF = "application/pdf"


def _attempt(form: Any, action: Any) -> Any:
    try:
        return action()
    except ValidationError as exc:
        attach_errors(form, exc)
        return None


def _pdf(data_file: Any, filename: str) -> FileResponse:
    response = FileResponse(data_file.open("rb"), as_attachment=True, filename=filename, content_type=PDF)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------------------------------ trust roots


@login_required
def trust_roots(request: AuthenticatedRequest) -> HttpResponse:
    if not access.is_system_admin(request.user):
        raise PermissionDenied
    form = TrustRootForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        root = _attempt(
            form,
            lambda: services.add_trust_root(
                actor=request.user, data=upload.read(), name=form.cleaned_data["name"]
            ),
        )
        if root is not None:
            messages.success(request, _("Đã cài chứng thư gốc «%(n)s».") % {"n": root.name})
            return redirect("signatures:trust_roots")
    return render(
        request,
        "signatures/trust_roots.html",
        {"roots": selectors.trust_roots(), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def trust_root_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not access.is_system_admin(request.user):
        raise PermissionDenied
    root = TrustRoot.objects.filter(pk=pk).first()
    if root is None:
        raise Http404
    services.remove_trust_root(actor=request.user, root=root)
    messages.success(request, _("Đã gỡ chứng thư gốc «%(n)s».") % {"n": root.name})
    return redirect("signatures:trust_roots")


# ------------------------------------------------------------------------------ the unit's settings


@login_required
def unit_settings(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = access.get_unit_for(request.user, slug)
    access.require(request.user, Capability.MANAGE_UNIT, unit)
    request.current_unit = unit  # type: ignore[attr-defined]
    conf = selectors.signing_settings(unit)
    is_cert = request.method == "POST" and request.POST.get("action") == "certificate"
    is_seal = request.method == "POST" and request.POST.get("action") == "seal"
    is_settings = request.method == "POST" and not is_cert and not is_seal
    seal_form = SealForm(request.POST if is_seal else None, request.FILES if is_seal else None)
    if is_seal and seal_form.is_valid():
        done = _attempt(
            seal_form,
            lambda: services.set_seal_image(
                actor=request.user, unit=unit, data=seal_form.cleaned_data["seal_image"].read()
            ),
        )
        if done is not None:
            messages.success(request, _("Đã lưu ảnh con dấu."))
            return redirect("signatures:unit_settings", slug=unit.slug)
    settings_form = SettingsForm(request.POST if is_settings else None, instance=conf)
    cert_form = CertificateForm(request.POST if is_cert else None, request.FILES if is_cert else None)
    if is_settings and settings_form.is_valid():
        d = settings_form.cleaned_data
        services.update_signing_settings(
            actor=request.user,
            unit=unit,
            pkcs11_enabled=d["pkcs11_enabled"],
            pkcs12_enabled=d["pkcs12_enabled"],
            upload_enabled=d["upload_enabled"],
            requires_digital_signature=d["requires_digital_signature"],
        )
        messages.success(request, _("Đã lưu cấu hình ký số."))
        return redirect("signatures:unit_settings", slug=unit.slug)
    if is_cert and cert_form.is_valid():
        cert = _attempt(
            cert_form,
            lambda: services.upload_organisation_certificate(
                actor=request.user,
                unit=unit,
                data=cert_form.cleaned_data["file"].read(),
                passphrase_env=cert_form.cleaned_data["passphrase_env"],
            ),
        )
        if cert is not None:
            messages.success(request, _("Đã lưu chứng thư số của cơ quan (mã hóa)."))
            return redirect("signatures:unit_settings", slug=unit.slug)
    return render(
        request,
        "signatures/unit_settings.html",
        {
            "unit": unit,
            "settings_form": settings_form,
            "cert_form": cert_form,
            "seal_form": seal_form,
            "has_seal": bool(conf.seal_image),
            "certificate": selectors.active_certificate(unit),
            "pkcs11_configured": selectors.pkcs11_configured(),
        },
        status=400 if request.method == "POST" else 200,
    )


# -------------------------------------------------------------------------------- issued documents


@login_required
def document_signing(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    document = document_selectors.readable_issued(request.user, pk, slug)
    unit = document.unit
    request.current_unit = access.get_unit_for(request.user, slug)  # type: ignore[attr-defined]
    may_sign = selectors.is_signer(request.user, document)
    methods = selectors.enabled_methods(unit) if may_sign else []
    action = request.POST.get("action") if request.method == "POST" else None
    sign_form = SignForm(request.POST if action == "sign" else None, methods=methods)
    upload_form = UploadSignedForm(
        request.POST if action == "upload" else None, request.FILES if action == "upload" else None
    )
    if action in ("sign", "upload", "my_signature") and not may_sign:
        raise PermissionDenied
    image_form = SignatureImageForm(
        request.POST if action == "my_signature" else None,
        request.FILES if action == "my_signature" else None,
    )
    if action == "my_signature" and image_form.is_valid():
        done = _attempt(
            image_form,
            lambda: services.set_my_signature_image(
                actor=request.user, data=image_form.cleaned_data["signature_image"].read()
            ),
        )
        if done is not None:
            messages.success(request, _("Đã lưu ảnh chữ ký của bạn."))
            return redirect("signatures:document", slug=slug, pk=document.pk)
    if action == "sign" and sign_form.is_valid():
        sig = _attempt(
            sign_form,
            lambda: services.sign_document(
                actor=request.user, document=document, method=sign_form.cleaned_data["method"]
            ),
        )
        if sig is not None:
            messages.success(request, _("Đã ký số văn bản %(n)s.") % {"n": document.number_symbol})
            return redirect("signatures:document", slug=slug, pk=document.pk)
    if action == "upload" and upload_form.is_valid():
        sig = _attempt(
            upload_form,
            lambda: services.upload_signed_document(
                actor=request.user, document=document, data=upload_form.cleaned_data["file"].read()
            ),
        )
        if sig is not None:
            messages.success(
                request, _("Đã nhận bản đã ký số của văn bản %(n)s.") % {"n": document.number_symbol}
            )
            return redirect("signatures:document", slug=slug, pk=document.pk)
    signatures = list(selectors.document_signatures(document))
    return render(
        request,
        "signatures/document.html",
        {
            "unit": unit,
            "slug": slug,
            "document": document,
            "state": selectors.state_of(signatures[0] if signatures else None),
            "signatures": signatures,
            "may_sign": may_sign,
            "can_sign_here": bool(sign_form.choices),
            "can_upload": "upload" in methods,
            "sign_form": sign_form,
            "upload_form": upload_form,
            "image_form": image_form,
            "has_signature_image": SignatureImage.objects.filter(user_id=request.user.pk or 0).exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def original_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse | FileResponse:
    """The exact PDF to sign elsewhere (kept, so the signed copy can be compared with it)."""
    document = document_selectors.readable_issued(request.user, pk, slug)
    try:
        kept = services.original_pdf(document=document)
    except ValidationError as exc:
        return HttpResponse("; ".join(exc.messages), status=503, content_type="text/plain; charset=utf-8")
    return _pdf(kept.file, document.file_name.rsplit(".", 1)[0] + ".pdf")


def _signature(request: HttpRequest, slug: str, pk: int) -> DocumentSignature:
    sig = selectors.readable_signature(request.user, pk)
    units = {sig.unit.slug} | ({sig.document.about.slug} if sig.document and sig.document.about else set())
    if slug not in units:
        raise Http404
    return sig


@login_required
def signed_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    sig = _signature(request, slug, pk)
    return _pdf(sig.file, sig.file_name)


@login_required
@require_POST
def verify(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    sig = _signature(request, slug, pk)
    services.verify_again(actor=request.user, signature=sig)
    messages.info(request, _("Đã kiểm tra lại: %(s)s.") % {"s": selectors.state_of(sig).label})
    if sig.document_id is not None:
        return redirect("signatures:document", slug=slug, pk=sig.document_id)
    return redirect("signatures:request", slug=slug, pk=sig.request_id)


# ------------------------------------------------------------------------------ signing requests


@login_required
def request_signing(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, slug)
    item = SignatureRequest.objects.select_related("file", "unit").filter(pk=pk, unit=unit).first()
    if item is None:
        raise Http404
    request.current_unit = unit  # type: ignore[attr-defined]
    may_sign = (
        access.can(request.user, Capability.LEAD, unit) and item.status == SignatureRequest.Status.WAITING
    )
    methods = selectors.enabled_methods(unit) if may_sign else []
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("sign", "upload") and not access.can(request.user, Capability.LEAD, unit):
        raise PermissionDenied
    sign_form = SignForm(request.POST if action == "sign" else None, methods=methods)
    upload_form = UploadSignedForm(
        request.POST if action == "upload" else None, request.FILES if action == "upload" else None
    )
    if action == "sign" and sign_form.is_valid():
        sig = _attempt(
            sign_form,
            lambda: services.sign_request(
                actor=request.user, request=item, method=sign_form.cleaned_data["method"]
            ),
        )
        if sig is not None:
            messages.success(request, _("Đã ký số văn bản trình ký."))
            return redirect("signatures:request", slug=slug, pk=item.pk)
    if action == "upload" and upload_form.is_valid():
        sig = _attempt(
            upload_form,
            lambda: services.upload_signed_request(
                actor=request.user, request=item, data=upload_form.cleaned_data["file"].read()
            ),
        )
        if sig is not None:
            messages.success(request, _("Đã nhận bản đã ký số của văn bản trình ký."))
            return redirect("signatures:request", slug=slug, pk=item.pk)
    signatures = selectors.request_signatures(item)
    return render(
        request,
        "signatures/request.html",
        {
            "unit": unit,
            "item": item,
            "state": selectors.state_of(signatures[0] if signatures else None),
            "signatures": signatures,
            "may_sign": may_sign,
            "requires": selectors.requires_digital_signature(unit),
            "can_sign_here": bool(sign_form.choices),
            "can_upload": "upload" in methods,
            "sign_form": sign_form,
            "upload_form": upload_form,
        },
        status=400 if request.method == "POST" else 200,
    )
