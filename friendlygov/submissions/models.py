"""Electronic submission packages: the commune's yearly dossier sent to the city as one ZIP.

The package (signed PDFs, the scoring workbook, the evidence list and ``manifest.json``; see
``friendlygov.signatures.package``) is stored like issued documents (under MEDIA_ROOT with a random name,
served only after the access check). The city's receipt number (số đến) runs from 1 per city and calendar
year of receipt in Asia/Ho_Chi_Minh (a database constraint on top of the service's locked count).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from friendlygov.org.models import Unit


def package_path(instance: SubmissionPackage, filename: str) -> str:
    return f"submissions/{instance.unit_id}/{uuid.uuid4().hex}"


class SubmissionPackage(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="submission_packages", verbose_name=_("đơn vị gửi")
    )
    city = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="received_packages", verbose_name=_("thành phố nhận")
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    receipt_year = models.PositiveSmallIntegerField(_("năm của sổ đến"))
    receipt_number = models.PositiveIntegerField(_("số đến"))
    received_at = models.DateTimeField(_("thời điểm nhận"))
    file = models.FileField(upload_to=package_path, max_length=300)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    manifest = models.JSONField(_("danh mục tệp (manifest)"), default=dict)
    verification = models.JSONField(_("kết quả kiểm tra khi nhận"), default=dict)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người gửi"),
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("hồ sơ điện tử")
        verbose_name_plural = _("hồ sơ điện tử")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "receipt_year", "receipt_number"],
                name="submissions_receipt_number_unique",
                violation_error_message=_("Số đến đã được dùng trong năm này."),
            )
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"Số đến {self.receipt_number}/{self.receipt_year} — {self.unit} ({self.year})"
