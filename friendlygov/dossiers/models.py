"""Administrative-procedure dossiers imported from the procedure-handling system's export, and the
unit's settings for the 766 service figures computed from them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from friendlygov.org.models import Unit


class Channel(models.TextChoices):
    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Bưu chính công ích")


class DossierImport(models.Model):
    """One upload of the export file (who, when, what it changed)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dossier_imports")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"Nhập hồ sơ «{self.filename}»"


class Dossier(models.Model):
    """One dossier as the export gives it. `deadline` (appointment + the citizen's waiting time) is stored
    so that the on-time rate is counted in SQL; it is always set by the import service."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dossiers")
    receipt_no = models.CharField(_("số hồ sơ"), max_length=64)
    procedure = models.CharField(_("thủ tục"), max_length=400)
    received = models.DateTimeField(_("ngày tiếp nhận"))
    appointment = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    finished = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    supplement_requests = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    waiting_days = models.DecimalField(
        _("số ngày chờ người dân"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    channel = models.CharField(_("kênh nộp"), max_length=20, choices=Channel.choices)
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    electronic_result = models.BooleanField(_("trả kết quả điện tử"), default=False)
    deadline = models.DateTimeField(null=True, blank=True, editable=False)
    source = models.ForeignKey(
        DossierImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received", "-id"]
        verbose_name = _("hồ sơ thủ tục hành chính")
        verbose_name_plural = _("hồ sơ thủ tục hành chính")
        constraints = [
            models.UniqueConstraint(fields=["unit", "receipt_no"], name="dossier_receipt_unique_in_unit")
        ]
        # (unit, finished, received): the dossiers carried over into a period, still pending or finished in
        # it, are found without reading the unit's earlier years (dossiers.selectors._grouped_counts).
        indexes = [
            models.Index(fields=["unit", "received"]),
            models.Index(fields=["unit", "finished", "received"]),
        ]

    def __str__(self) -> str:
        return f"Hồ sơ {self.receipt_no}"


class DossierSettings(models.Model):
    """How many points the unit shows for the indicators with a target (the 766 rule: max if the rate
    reaches the target, else rate × max ÷ target). Defaults: the portal's group maxima."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="dossier_settings")
    online_max_points = models.DecimalField(
        _("điểm tối đa: tỷ lệ hồ sơ nộp trực tuyến"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(12),
        validators=[MinValueValidator(0)],
    )
    digitisation_max_points = models.DecimalField(
        _("điểm tối đa: tỷ lệ hồ sơ được số hóa"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(22),
        validators=[MinValueValidator(0)],
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Cài đặt chỉ số 766 — {self.unit}"
