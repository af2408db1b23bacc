"""Evidence files shared by plans, assessments and operations: hash, effective date, who uploaded."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from friendlygov.org.models import Body, Unit


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    # Never trust the uploaded name on disk: a random name under the unit's folder.
    return f"evidence/{instance.unit_id}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="evidence_files")
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence_files"
    )
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    title = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    effective_date = models.DateField(_("ngày hiệu lực"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")

    def __str__(self) -> str:
        return self.title or self.original_name
