"""Digital signatures in the app: the trust roots, each unit's signing methods, its organisation
certificate (kept encrypted), and the signatures of issued documents and of signing requests (trình ký).

Nothing secret is stored in clear: a PKCS#12 file is encrypted with a key derived from the environment
(``FRIENDLYGOV_SIGNING_KEY``) and its passphrase, like a PKCS#11 PIN, is read from an environment variable
whose *name* only is kept here or in the settings.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from friendlygov.org.models import Unit


def signed_path(instance: models.Model, filename: str) -> str:
    # Never the user's name on disk: a random name under the unit's folder.
    return f"signatures/{getattr(instance, 'unit_id', 0)}/{uuid.uuid4().hex}.pdf"


class TrustRoot(models.Model):
    """A CA certificate the system administrator installed; signatures are trusted only when they chain
    to one of these (never downloaded at run time)."""

    name = models.CharField(_("tên"), max_length=200)
    pem = models.TextField(_("chứng thư (PEM)"))
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("chứng thư gốc tin cậy")
        verbose_name_plural = _("chứng thư gốc tin cậy")

    def __str__(self) -> str:
        return self.name


class SigningSettings(models.Model):
    """The signing methods a unit's administrator enabled, and whether its trình ký needs a digital
    signature to be "Đã ký"."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="signing_settings")
    pkcs11_enabled = models.BooleanField(
        _("ký bằng thiết bị ký số (USB token/HSM) của máy chủ"), default=False
    )
    pkcs12_enabled = models.BooleanField(_("ký bằng chứng thư số của cơ quan (PKCS#12)"), default=False)
    upload_enabled = models.BooleanField(_("tải lên tệp PDF đã ký ở nơi khác"), default=False)
    requires_digital_signature = models.BooleanField(
        _("văn bản trình ký phải có chữ ký số hợp lệ mới được coi là đã ký"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cấu hình ký số")
        verbose_name_plural = _("cấu hình ký số")

    def __str__(self) -> str:
        return str(self.unit)


class OrganisationCertificate(models.Model):
    """A unit's PKCS#12 file, encrypted at rest; its passphrase is in the environment variable named here."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="organisation_certificates")
    encrypted = models.BinaryField()
    passphrase_env = models.CharField(_("biến môi trường chứa mật khẩu"), max_length=100)
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64)
    not_after = models.DateTimeField(_("hiệu lực đến"))
    is_active = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("chứng thư số của cơ quan")
        verbose_name_plural = _("chứng thư số của cơ quan")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(is_active=True), name="signatures_one_active_certificate"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class OriginalPdf(models.Model):
    """The PDF of an issued document as it is signed: made once from its .docx and kept, so that a copy
    signed elsewhere can be compared byte for byte with what was given out to sign."""

    document = models.OneToOneField(
        "documents.IssuedDocument", on_delete=models.PROTECT, related_name="original_pdf"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=signed_path, max_length=300)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"PDF gốc: {self.document}"


class DocumentSignature(models.Model):
    """A signed PDF kept for an issued document or a signing request, with its verification."""

    class Method(models.TextChoices):
        PKCS11 = "pkcs11", _("Thiết bị ký số (USB token/HSM)")
        PKCS12 = "pkcs12", _("Chứng thư số của cơ quan")
        UPLOAD = "upload", _("Tệp đã ký ở nơi khác")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        "documents.IssuedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )
    request = models.ForeignKey(
        "operations.SignatureRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    method = models.CharField(_("cách ký"), max_length=10, choices=Method.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người ký"),
    )
    signer_name = models.CharField(_("người ký"), max_length=200)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    file = models.FileField(upload_to=signed_path, max_length=300)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    valid = models.BooleanField(_("hợp lệ"), default=False)
    intact = models.BooleanField(_("toàn vẹn"), default=False)
    trusted = models.BooleanField(_("tin cậy"), default=False)
    report = models.JSONField(_("kết quả kiểm tra"), default=dict, blank=True)
    verified_at = models.DateTimeField(_("thời điểm kiểm tra"))

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = _("chữ ký số")
        verbose_name_plural = _("chữ ký số")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document__isnull=False) | models.Q(request__isnull=False),
                name="signatures_signature_has_subject",
            )
        ]

    def __str__(self) -> str:
        return f"Chữ ký số của {self.signer_name}"

    @property
    def is_good(self) -> bool:
        """Intact, valid and chaining to an installed trust root."""
        return self.valid and self.intact and self.trusted
