"""Pages of the signatures area: trust roots (system administrator), a unit's signing settings (its
administrator), signing an issued document or a signing request, downloading the signed PDF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from friendlygov.documents import selectors as document_selectors
from friendlygov.kit.forms_util import attach_errors
from friendlygov.operations.models import SignatureRequest
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Unit
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
from friendlygov.signatures.permissions import document_signing_permissions, signing_request_permissions

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


@dataclass
class _SettingsPage:
    """One request of a unit's signing settings: its three forms (the posted one bound)."""

    unit: Unit
    conf: Any
    settings_form: SettingsForm
    cert_form: CertificateForm
    seal_form: SealForm


def _settings_page(request: AuthenticatedRequest, slug: str, posted: str | None = None) -> _SettingsPage:
    unit = access.get_unit_for(request.user, slug)
    access.require(request.user, Capability.MANAGE_UNIT, unit)
    request.current_unit = unit  # type: ignore[attr-defined]
    conf = selectors.signing_settings(unit)

    def files(name: str) -> tuple[Any, Any]:
        return (request.POST, request.FILES) if posted == name else (None, None)

    return _SettingsPage(
        unit,
        conf,
        SettingsForm(request.POST if posted == "settings" else None, instance=conf),
        CertificateForm(*files("certificate")),
        SealForm(*files("seal")),
    )


def _render_settings(request: AuthenticatedRequest, page: _SettingsPage, status: int = 200) -> HttpResponse:
    return render(
        request,
        "signatures/unit_settings.html",
        {
            "unit": page.unit,
            "settings_form": page.settings_form,
            "cert_form": page.cert_form,
            "seal_form": page.seal_form,
            "has_seal": bool(page.conf.seal_image),
            "certificate": selectors.active_certificate(page.unit),
            "pkcs11_configured": selectors.pkcs11_configured(),
        },
        status=status,
    )


@login_required
@require_safe
def unit_settings(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The unit's signing settings. Its forms post to ``unit_methods``, ``unit_certificate`` and
    ``unit_seal``."""
    return _render_settings(request, _settings_page(request, slug))


@login_required
@require_POST
def unit_methods(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """POST: the signing methods the unit uses, and whether its documents need a digital signature."""
    page = _settings_page(request, slug, "settings")
    form = page.settings_form
    if form.is_valid():
        d = form.cleaned_data
        services.update_signing_settings(
            actor=request.user,
            unit=page.unit,
            pkcs11_enabled=d["pkcs11_enabled"],
            pkcs12_enabled=d["pkcs12_enabled"],
            upload_enabled=d["upload_enabled"],
            requires_digital_signature=d["requires_digital_signature"],
        )
        messages.success(request, _("Đã lưu cấu hình ký số."))
        return redirect("signatures:unit_settings", slug=page.unit.slug)
    return _render_settings(request, page, status=400)


@login_required
@require_POST
def unit_certificate(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """POST: the organisation's PKCS#12 certificate (stored encrypted; its passphrase read from the
    environment)."""
    page = _settings_page(request, slug, "certificate")
    form = page.cert_form
    if form.is_valid():
        cert = _attempt(
            form,
            lambda: services.upload_organisation_certificate(
                actor=request.user,
                unit=page.unit,
                data=form.cleaned_data["file"].read(),
                passphrase_env=form.cleaned_data["passphrase_env"],
            ),
        )
        if cert is not None:
            messages.success(request, _("Đã lưu chứng thư số của cơ quan (mã hóa)."))
            return redirect("signatures:unit_settings", slug=page.unit.slug)
    return _render_settings(request, page, status=400)


@login_required
@require_POST
def unit_seal(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """POST: the image of the unit's seal."""
    page = _settings_page(request, slug, "seal")
    form = page.seal_form
    if form.is_valid():
        done = _attempt(
            form,
            lambda: services.set_seal_image(
                actor=request.user, unit=page.unit, data=form.cleaned_data["seal_image"].read()
            ),
        )
        if done is not None:
            messages.success(request, _("Đã lưu ảnh con dấu."))
            return redirect("signatures:unit_settings", slug=page.unit.slug)
    return _render_settings(request, page, status=400)


# -------------------------------------------------------------------------------- issued documents


@dataclass
class _DocumentPage:
    """One request of an issued document's signing page: who may sign, its forms (the posted one bound)."""

    slug: str
    document: Any
    may_sign: bool
    methods: list[str]
    sign_form: SignForm
    upload_form: UploadSignedForm
    image_form: SignatureImageForm


def _document_page(
    request: AuthenticatedRequest, slug: str, pk: int, posted: str | None = None
) -> _DocumentPage:
    """The page's records; a post by someone who may read but not sign the document: 403."""
    document = document_selectors.readable_issued(request.user, pk, slug)
    request.current_unit = access.get_unit_for(request.user, slug)  # type: ignore[attr-defined]
    # The document was found readable (its issuer's, or the commune's it is about): 403 for anyone else
    may_sign = document_signing_permissions(request.user, document).may_sign
    if posted is not None and not may_sign:
        raise PermissionDenied
    methods = selectors.enabled_methods(document.unit) if may_sign else []
    return _DocumentPage(
        slug,
        document,
        may_sign,
        methods,
        SignForm(request.POST if posted == "sign" else None, methods=methods),
        UploadSignedForm(*((request.POST, request.FILES) if posted == "upload" else (None, None))),
        SignatureImageForm(*((request.POST, request.FILES) if posted == "my_signature" else (None, None))),
    )


def _render_document(request: AuthenticatedRequest, page: _DocumentPage, status: int = 200) -> HttpResponse:
    document = page.document
    signatures = list(selectors.document_signatures(document))
    return render(
        request,
        "signatures/document.html",
        {
            "unit": document.unit,
            "slug": page.slug,
            "document": document,
            "state": selectors.state_of(signatures[0] if signatures else None),
            "signatures": signatures,
            "may_sign": page.may_sign,
            "can_sign_here": bool(page.sign_form.choices),
            "can_upload": "upload" in page.methods,
            "sign_form": page.sign_form,
            "upload_form": page.upload_form,
            "image_form": page.image_form,
            "sign_url": reverse("signatures:document_sign", args=[page.slug, document.pk]),
            "upload_url": reverse("signatures:document_upload", args=[page.slug, document.pk]),
            "has_signature_image": SignatureImage.objects.filter(user_id=request.user.pk or 0).exists(),
        },
        status=status,
    )


@login_required
@require_safe
def document_signing(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """An issued document's signing page. Its forms post to ``document_sign``, ``document_upload`` and
    ``my_signature``."""
    return _render_document(request, _document_page(request, slug, pk))


@login_required
@require_POST
def document_sign(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: sign the issued document on the server with the chosen method."""
    page = _document_page(request, slug, pk, "sign")
    form, document = page.sign_form, page.document
    if form.is_valid():
        sig = _attempt(
            form,
            lambda: services.sign_document(
                actor=request.user, document=document, method=form.cleaned_data["method"]
            ),
        )
        if sig is not None:
            messages.success(request, _("Đã ký số văn bản %(n)s.") % {"n": document.number_symbol})
            return redirect("signatures:document", slug=slug, pk=document.pk)
    return _render_document(request, page, status=400)


@login_required
@require_POST
def document_upload(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the document signed elsewhere, checked against the kept original."""
    page = _document_page(request, slug, pk, "upload")
    form, document = page.upload_form, page.document
    if form.is_valid():
        sig = _attempt(
            form,
            lambda: services.upload_signed_document(
                actor=request.user, document=document, data=form.cleaned_data["file"].read()
            ),
        )
        if sig is not None:
            messages.success(
                request, _("Đã nhận bản đã ký số của văn bản %(n)s.") % {"n": document.number_symbol}
            )
            return redirect("signatures:document", slug=slug, pk=document.pk)
    return _render_document(request, page, status=400)


@login_required
@require_POST
def my_signature(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the image of the signer's own signature (shown on what they sign)."""
    page = _document_page(request, slug, pk, "my_signature")
    form = page.image_form
    if form.is_valid():
        done = _attempt(
            form,
            lambda: services.set_my_signature_image(
                actor=request.user, data=form.cleaned_data["signature_image"].read()
            ),
        )
        if done is not None:
            messages.success(request, _("Đã lưu ảnh chữ ký của bạn."))
            return redirect("signatures:document", slug=slug, pk=page.document.pk)
    return _render_document(request, page, status=400)


@login_required
def original_pdf(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse | FileResponse:
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
def signed_file(request: AuthenticatedRequest, slug: str, pk: int) -> FileResponse:
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


@dataclass
class _RequestPage:
    """One request of a signing request's page: who may sign, its forms (the posted one bound)."""

    unit: Unit
    item: SignatureRequest
    may_sign: bool
    methods: list[str]
    sign_form: SignForm
    upload_form: UploadSignedForm


def _request_page(
    request: AuthenticatedRequest, slug: str, pk: int, posted: str | None = None
) -> _RequestPage:
    """The page's records; a post by someone who reads the unit but does not lead it: 403."""
    unit = access.get_unit_for(request.user, slug)
    item = SignatureRequest.objects.select_related("file", "unit").filter(pk=pk, unit=unit).first()
    if item is None:
        raise Http404
    request.current_unit = unit  # type: ignore[attr-defined]
    allowed = signing_request_permissions(request.user, item)
    if posted is not None:
        allowed.require()
    may_sign = allowed.may_sign
    methods = selectors.enabled_methods(unit) if may_sign else []
    return _RequestPage(
        unit,
        item,
        may_sign,
        methods,
        SignForm(request.POST if posted == "sign" else None, methods=methods),
        UploadSignedForm(*((request.POST, request.FILES) if posted == "upload" else (None, None))),
    )


def _render_request(request: AuthenticatedRequest, page: _RequestPage, status: int = 200) -> HttpResponse:
    unit, item = page.unit, page.item
    signatures = selectors.request_signatures(item)
    return render(
        request,
        "signatures/request.html",
        {
            "unit": unit,
            "item": item,
            "state": selectors.state_of(signatures[0] if signatures else None),
            "signatures": signatures,
            "may_sign": page.may_sign,
            "requires": selectors.requires_digital_signature(unit),
            "can_sign_here": bool(page.sign_form.choices),
            "can_upload": "upload" in page.methods,
            "sign_form": page.sign_form,
            "upload_form": page.upload_form,
            "sign_url": reverse("signatures:request_sign", args=[unit.slug, item.pk]),
            "upload_url": reverse("signatures:request_upload", args=[unit.slug, item.pk]),
        },
        status=status,
    )


@login_required
@require_safe
def request_signing(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """A signing request's page. Its forms post to ``request_sign`` and ``request_upload``."""
    return _render_request(request, _request_page(request, slug, pk))


def _signed_message(sig: DocumentSignature, done: str) -> str:
    """What the leader is told after signing a request: whether it was also recorded «Đã ký»."""
    if sig.is_good:
        return f"{done} " + _("Văn bản trình ký được ghi «Đã ký».")
    return f"{done} " + _("Chữ ký số chưa được xác nhận tin cậy nên văn bản vẫn chờ ký.")


@login_required
@require_POST
def request_sign(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the leader signs the request's file on the server with the chosen method."""
    page = _request_page(request, slug, pk, "sign")
    form, item = page.sign_form, page.item
    if form.is_valid():
        sig = _attempt(
            form,
            lambda: services.sign_request(
                actor=request.user, request=item, method=form.cleaned_data["method"]
            ),
        )
        if sig is not None:
            messages.success(request, _signed_message(sig, _("Đã ký số văn bản trình ký.")))
            return redirect("signatures:request", slug=slug, pk=item.pk)
    return _render_request(request, page, status=400)


@login_required
@require_POST
def request_upload(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the request's file signed elsewhere, checked against the file sent for signing."""
    page = _request_page(request, slug, pk, "upload")
    form, item = page.upload_form, page.item
    if form.is_valid():
        sig = _attempt(
            form,
            lambda: services.upload_signed_request(
                actor=request.user, request=item, data=form.cleaned_data["file"].read()
            ),
        )
        if sig is not None:
            messages.success(request, _signed_message(sig, _("Đã nhận bản đã ký số của văn bản trình ký.")))
            return redirect("signatures:request", slug=slug, pk=item.pk)
    return _render_request(request, page, status=400)
