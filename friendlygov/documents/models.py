"""Documents the system writes (Decree 30 .docx) and the Word templates administrators upload.

An issued document keeps its number, date, signer, recipients and the exact file that was produced
(stored like evidence: under MEDIA_ROOT with a random name, served only after the access check). Decree
30 numbers each issuing body's documents from 01 on 1 January, so a number never repeats within a unit
and a calendar year of the issue date, whatever the type (a database constraint, on top of the service's
check that gives the Vietnamese message).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from friendlygov.org.models import Unit


class Kind(models.TextChoices):
    PLAN = "plan", _("Kế hoạch thực hiện")
    REGISTRATION = "registration", _("Công văn đăng ký mức đạt chuẩn")
    SELF_ASSESSMENT = "self_assessment", _("Báo cáo tự đánh giá, chấm điểm")
    SUBMISSION = "submission", _("Tờ trình đề nghị công nhận")
    ANNUAL_REPORT = "annual_report", _("Báo cáo kết quả thực hiện năm")
    REVIEW = "review", _("Báo cáo sơ kết, tổng kết")
    CITY_REPORT = "city_report", _("Báo cáo tổng hợp của thành phố")
    JOINT_MINUTES = "joint_minutes", _("Biên bản chấm điểm")
    REWARD_DECISION = "reward_decision", _("Quyết định khen thưởng")
    APPRAISAL_NOTICE = "appraisal_notice", _("Thông báo kết quả thẩm định")
    RECOGNITION_DECISION = "recognition_decision", _("Quyết định công nhận")
    OTHER = "other", _("Văn bản khác")


class Register(models.TextChoices):
    """The issuing body whose register numbers a document (Decree 30: from 01 on 1 January, per body).

    A commune's documents are its People's Committee's; the city keeps two registers: its People's
    Committee (the recognition decision) and its Department of Home Affairs (the consolidated report,
    the appraisal notices)."""

    COMMITTEE = "committee", _("Ủy ban nhân dân")
    HOME_AFFAIRS = "home_affairs", _("Sở Nội vụ")


# The register each kind is numbered in; a kind not listed is its unit's People's Committee's.
REGISTER_OF_KIND: dict[str, str] = {
    Kind.CITY_REPORT: Register.HOME_AFFAIRS,
    Kind.APPRAISAL_NOTICE: Register.HOME_AFFAIRS,
}


def register_of(kind: str) -> str:
    return REGISTER_OF_KIND.get(kind, Register.COMMITTEE)


def document_path(instance: IssuedDocument, filename: str) -> str:
    # Never the user's name on disk: a random name under the unit's folder.
    return f"documents/{instance.unit_id}/{uuid.uuid4().hex}"


def template_path(instance: DocumentTemplate, filename: str) -> str:
    return f"document-templates/{uuid.uuid4().hex}"


class IssuedDocument(models.Model):
    """A document issued with its number (drafts are produced for download and not kept)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="issued_documents", verbose_name=_("cơ quan ban hành")
    )
    register = models.CharField(
        _("sổ đăng ký văn bản"), max_length=20, choices=Register.choices, default=Register.COMMITTEE
    )
    about = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents_about",
        verbose_name=_("đơn vị được nói đến"),
        help_text=_("Đơn vị mà văn bản của cấp trên nói về (thông báo kết quả thẩm định gửi một xã)."),
    )
    kind = models.CharField(_("loại văn bản"), max_length=30, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("năm của nội dung"))
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=40)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    subject = models.CharField(_("trích yếu"), max_length=500, blank=True)
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True)
    signer_capacity = models.CharField(_("ký thay, thừa lệnh…"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=200, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    file = models.FileField(upload_to=document_path, max_length=300, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    draft = models.BooleanField(_("dự thảo"), default=False)
    template = models.ForeignKey(
        "DocumentTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-number", "-id"]
        verbose_name = _("văn bản đã ban hành")
        verbose_name_plural = _("văn bản đã ban hành")
        constraints = [
            models.UniqueConstraint(
                models.F("unit"),
                models.F("register"),
                ExtractYear("issued_on"),
                models.F("number"),
                condition=models.Q(draft=False, number__isnull=False, issued_on__isnull=False),
                name="documents_number_unique_in_register_year",
                violation_error_message=_("Số văn bản đã được dùng trong năm này."),
            )
        ]
        indexes = [
            models.Index(fields=["unit", "issued_on"]),
            models.Index(fields=["about", "kind"], name="documents_about_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol} — {self.subject or self.get_kind_display()}"

    @property
    def number_symbol(self) -> str:
        """ "12/KH-UBND" (numbers under 10 with a leading zero), "…/KH-UBND" for a draft."""
        if self.number is None:
            return f"…/{self.symbol}"
        return f"{self.number:02d}/{self.symbol}"


class DocumentTemplate(models.Model):
    """A Word template (docxtpl placeholders) an administrator uploaded for one kind of document.

    At most one is active per kind; while one is, documents of that kind are rendered through it (in the
    sandbox) instead of the built-in Decree 30 layout.
    """

    kind = models.CharField(_("loại văn bản"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("tên mẫu"), max_length=200)
    file = models.FileField(upload_to=template_path, max_length=300)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    placeholders = models.JSONField(_("trường dữ liệu dùng trong mẫu"), default=list, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-uploaded_at", "-id"]
        verbose_name = _("mẫu văn bản")
        verbose_name_plural = _("mẫu văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(is_active=True),
                name="documents_one_active_template_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
