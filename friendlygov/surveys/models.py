"""Citizens' satisfaction surveys (SIPAS and the other questionnaires communes run).

- A :class:`Questionnaire` belongs to a unit (its own), to a city (city-wide) or to no unit (the product's
  library of templates). Its content lives in :class:`QuestionnaireVersion` rows; a version is frozen when
  the first answer arrives and never changes afterwards — editing a frozen questionnaire creates the next
  version.
- A :class:`SurveyLink` is the public door (``/ks/<token>/``, printed as a QR poster) of one unit for one
  questionnaire, e.g. the desk of the service centre or a village.
- A :class:`Response` is one filled form (public or entered from paper by staff); its scale answers are
  :class:`Answer` rows (item code, 0..5) and the other questions :class:`OtherAnswer` rows. Suspicious
  responses are kept with ``status = flagged`` and count in no figure until a person accepts them.
- :class:`DossierCount` holds the number of transactions N of a period (for the sample size) when the
  dossier system has no figure.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from friendlygov.org.models import Body, Unit


class Questionnaire(models.Model):
    class Kind(models.TextChoices):
        SIPAS_SERVICE = "sipas_service", _("Hài lòng về dịch vụ hành chính công (SIPAS)")
        MODEL_SATISFACTION = "model_satisfaction", _("Hài lòng với mô hình “Chính quyền thân thiện”")
        DESK_CONDUCT = "desk_conduct", _("Thái độ, tác phong công chức Bộ phận một cửa")
        CONDUCT_4X4L5K = "conduct_4x4l5k", _("Thực hiện “4 xin, 4 luôn, 5 không”")
        OTHER = "other", _("Khác")

    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questionnaires",
        verbose_name=_("đơn vị"),
        help_text=_("Để trống: mẫu dùng chung của hệ thống"),
    )
    code = models.CharField(_("mã bảng hỏi"), max_length=40)
    name = models.CharField(_("tên bảng hỏi"), max_length=300)
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("ghi chú"), blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency of the editable fields
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit_id", "kind", "code"]
        verbose_name = _("bảng hỏi")
        verbose_name_plural = _("bảng hỏi")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "code"], name="questionnaire_code_unique_in_unit", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def is_template(self) -> bool:
        return self.unit_id is None

    def current_version(self) -> QuestionnaireVersion:
        version = self.versions.order_by("-number").first()
        if version is None:  # pragma: no cover - services always create version 1
            raise QuestionnaireVersion.DoesNotExist
        return version


class QuestionnaireVersion(models.Model):
    """The content of a questionnaire; frozen (read-only) from its first answer on."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    definition = models.JSONField(_("nội dung"))
    note = models.CharField(_("ghi chú thay đổi"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_at = models.DateTimeField(_("khóa từ"), null=True, blank=True)

    class Meta:
        ordering = ["questionnaire_id", "-number"]
        verbose_name = _("phiên bản bảng hỏi")
        verbose_name_plural = _("phiên bản bảng hỏi")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="questionnaire_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.code} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class SurveyLink(models.Model):
    """A public entry point (URL and QR poster) of a unit for a questionnaire: a desk, a village, a kiosk."""

    class ReceiptMode(models.TextChoices):
        OFF = "off", _("Không hỏi số biên nhận")
        OPTIONAL = "optional", _("Hỏi số biên nhận (không bắt buộc)")
        REQUIRED = "required", _("Bắt buộc nhập số biên nhận")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến (quét mã QR)")
        KIOSK = "kiosk", _("Máy kiosk tại Trung tâm")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="survey_links", verbose_name=_("đơn vị")
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="links", verbose_name=_("bảng hỏi")
    )
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_links",
        verbose_name=_("nơi đặt (cơ quan, thôn)"),
    )
    label = models.CharField(_("tên điểm khảo sát"), max_length=200)
    token = models.CharField(max_length=32, unique=True)
    receipt_mode = models.CharField(
        _("số biên nhận hồ sơ"), max_length=10, choices=ReceiptMode.choices, default=ReceiptMode.OPTIONAL
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    active_from = models.DateField(_("mở từ ngày"), null=True, blank=True)
    active_until = models.DateField(_("đến hết ngày"), null=True, blank=True)
    is_active = models.BooleanField(_("đang mở"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "label"]
        verbose_name = _("điểm khảo sát")
        verbose_name_plural = _("điểm khảo sát")

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    class Channel(models.TextChoices):
        PAPER = "paper", _("Phiếu giấy")
        PHONE = "phone", _("Điện thoại")
        ONLINE = "online", _("Trực tuyến")
        KIOSK = "kiosk", _("Kiosk")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Được tính")
        FLAGGED = "flagged", _("Cần xem xét")
        REJECTED = "rejected", _("Loại bỏ")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_responses")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    link = models.ForeignKey(
        SurveyLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    receipt_no = models.CharField(_("số biên nhận hồ sơ"), max_length=60, null=True, blank=True)
    device_hash = models.CharField(max_length=64, blank=True, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("thời điểm trả lời"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    flag_reason = models.CharField(_("lý do cần xem xét"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    #: Staff entry: the key of the form it was typed into (a retried post stores nothing twice).
    entry_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "questionnaire", "receipt_no"],
                condition=Q(receipt_no__isnull=False),
                name="response_receipt_once_per_questionnaire",
            ),
            models.UniqueConstraint(
                fields=["unit", "entry_key"],
                condition=Q(entry_key__isnull=False),
                name="response_entry_key_once_per_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "questionnaire", "status", "submitted_at"]),
            models.Index(fields=["unit", "status"]),
        ]

    def __str__(self) -> str:
        return f"Phiếu #{self.pk}"


class FormTokenUse(models.Model):
    """A public form token used up: the first answer stored with it (see ``protection``). The unique
    number makes the use atomic — of two simultaneous posts with one token only one inserts the row."""

    nonce = models.CharField(max_length=32, unique=True)
    link = models.ForeignKey(SurveyLink, null=True, on_delete=models.SET_NULL, related_name="+")
    response = models.OneToOneField(
        Response, null=True, on_delete=models.SET_NULL, related_name="form_token_use"
    )
    used_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mã mở phiếu đã dùng")
        verbose_name_plural = _("mã mở phiếu đã dùng")

    def __str__(self) -> str:
        return f"Mã mở phiếu #{self.pk}"


class Answer(models.Model):
    """One scale answer: 1..5, or 0 for "no answer" (kept only when a paper form says so)."""

    # No index of its own: the two below start with the response.
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", db_index=False)
    item = models.CharField(max_length=40)
    value = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_once_per_item"),
            models.CheckConstraint(condition=Q(value__lte=5), name="answer_value_0_5"),
        ]
        indexes = [
            models.Index(fields=["item", "value"]),
            # Every figure counts (item, value) of the responses chosen: read from this index alone,
            # without visiting the answers' rows (a city's year is ~200 000 answers; bench/RESULTS.md).
            models.Index(fields=["response", "item", "value"], name="answer_counts_cover"),
        ]

    def __str__(self) -> str:
        return f"{self.item}={self.value}"


class OtherAnswer(models.Model):
    """An answer to a question outside the scale: a choice, several choices, a short text, needs."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="other_answers")
    question = models.CharField(max_length=40)
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="other_answer_once")]

    def __str__(self) -> str:
        return self.question


class DossierCount(models.Model):
    """Transactions (dossiers received) of a unit in a period, entered by hand, for the sample size."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_dossier_counts")
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    transactions = models.PositiveIntegerField(_("số hồ sơ, giao dịch (N)"))
    note = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit_id", "-start"]
        verbose_name = _("số hồ sơ trong kỳ")
        verbose_name_plural = _("số hồ sơ trong kỳ")
        constraints = [
            models.UniqueConstraint(fields=["unit", "start", "end"], name="dossier_count_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}: {self.transactions}"
