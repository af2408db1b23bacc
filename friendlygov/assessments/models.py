"""The criteria-set library, the yearly assessment cycle of a unit and everything scored in it.

A criteria set is data in the contract's format (``friendlygov.criteria/1``), kept whole as JSON. A cycle
(one per unit and year) runs on one version of a set: registration of the target level, self-scoring by
the bodies with evidence, joint scoring (MTTQ, Ban Xây dựng Đảng), consolidation by the coordinator,
submission (then locked), the city's appraisal and the recognition decision.

Values are text in the contract's syntax (rule 1: ``4,5``, ``có``, ``45/50``, ``92,5%``, a tick count);
the pure engine (``friendlygov.rules.scoring``) reads and scores them.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from friendlygov.evidence.models import EvidenceFile
from friendlygov.org.models import Body, Unit


class CriteriaSetVersion(models.Model):
    """One version of a criteria set in a city's library. Immutable once a cycle uses it (``locked_at``):
    editing it then creates the next version."""

    class Origin(models.TextChoices):
        TEMPLATE = "template", _("Mẫu có sẵn")
        YAML = "yaml", _("Tệp YAML")
        EXCEL = "excel", _("Tệp Excel")
        EDITOR = "editor", _("Sửa trong ứng dụng")
        API = "api", _("API")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="criteria_sets", verbose_name=_("thành phố")
    )
    code = models.CharField(_("mã bộ tiêu chí"), max_length=50)
    version = models.PositiveIntegerField(_("phiên bản"))
    name = models.CharField(_("tên"), max_length=400)
    status_label = models.CharField(_("tình trạng"), max_length=100, blank=True)
    source_label = models.TextField(_("nguồn"), blank=True)
    template_name = models.CharField(_("mẫu gốc"), max_length=100, blank=True)
    origin = models.CharField(_("nạp từ"), max_length=20, choices=Origin.choices)
    data = models.JSONField(_("nội dung (định dạng friendlygov.criteria/1)"))
    data_sha256 = models.CharField(max_length=64)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("sửa từ")
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    locked_at = models.DateTimeField(_("khóa từ"), null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code", "version"], name="criteria_set_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} — {self.name}"

    @property
    def official_title(self) -> str:
        """The set as documents and exports name it: by the decision that issued it ("Bộ tiêu chí, Bảng
        thang điểm ban hành kèm theo Quyết định số 5049/QĐ-UBND…"), never by its internal code
        ("HP-5049-TAM v1") or a provisional caveat (those show on the pages)."""
        data = self.data or {}
        decision = re.sub(r"\s*\([^)]*\)\s*$", "", str(data.get("decision") or "")).strip()
        if decision:
            issued_by = str(data.get("issued_by") or "").strip()
            number = f"Quyết định số {decision}" if decision[:1].isdigit() else decision
            return f"Bộ tiêu chí, Bảng thang điểm ban hành kèm theo {number}" + (
                f" của {issued_by}" if issued_by else ""
            )
        return re.split(r"\s+[—–-]\s+tạm thời", str(self.name), maxsplit=1, flags=re.IGNORECASE)[0].strip()

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Cycle(models.Model):
    """The yearly assessment of one unit on one criteria-set version."""

    class Status(models.TextChoices):
        REGISTRATION = "registration", _("Đăng ký mức đạt chuẩn")
        SELF_SCORING = "self_scoring", _("Tự đánh giá, chấm điểm")
        SUBMITTED = "submitted", _("Đã nộp, chờ thẩm định")
        RETURNED = "returned", _("Thành phố trả lại để bổ sung")
        APPRAISED = "appraised", _("Đã thẩm định")
        RECOGNISED = "recognised", _("Đã công nhận")

    EDITABLE = (Status.REGISTRATION, Status.SELF_SCORING, Status.RETURNED)

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="assessment_cycles", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    criteria_set = models.ForeignKey(
        CriteriaSetVersion, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("bộ tiêu chí")
    )
    registration_deadline = models.DateField(_("hạn đăng ký"))
    submission_deadline = models.DateField(_("hạn nộp tự đánh giá"))
    appraisal_deadline = models.DateField(_("hạn thẩm định"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.REGISTRATION
    )
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("chép phân công từ"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_requests = models.TextField(_("yêu cầu bổ sung"), blank=True)
    appraised_at = models.DateTimeField(null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_result = models.JSONField(default=dict, blank=True)  # result_to_json of the consolidated column
    final_result = models.JSONField(default=dict, blank=True)  # result_to_json of the appraised column
    # What the city's table shows of a locked cycle, kept when it is submitted and appraised: {"self",
    # "consolidated", "appraised": {"total": "87.50", "level": name or null}, "criteria_completeness":
    # [leaf criteria, scored, with evidence]}. Scores are locked from submission on, so the table reads this
    # instead of re-scoring every unit; an open cycle (or an older row without it, or with the older
    # "completeness" that counted the conditions) is scored live.
    summary = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "unit__name"]
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="cycle_unit_year_unique")]

    def __str__(self) -> str:
        return f"Đánh giá năm {self.year} — {self.unit.full_name}"

    @property
    def is_editable(self) -> bool:
        """The self-assessment may be changed (not submitted, or returned for rework)."""
        return self.status in self.EDITABLE

    @property
    def was_returned(self) -> bool:
        return self.returned_at is not None


class Registration(models.Model):
    """The target level a unit registers for the year; the city accepts it or asks for changes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ thành phố xem xét")
        ACCEPTED = "accepted", _("Thành phố đã chấp nhận")
        CHANGES_REQUESTED = "changes_requested", _("Thành phố yêu cầu điều chỉnh")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    cycle = models.OneToOneField(Cycle, on_delete=models.PROTECT, related_name="registration")
    target_level = models.CharField(_("mức đăng ký"), max_length=20)
    target_level_name = models.CharField(max_length=200, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField()
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("ý kiến của thành phố"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("đăng ký mức đạt chuẩn")
        verbose_name_plural = _("đăng ký mức đạt chuẩn")

    def __str__(self) -> str:
        return f"Đăng ký {self.target_level_name or self.target_level} năm {self.cycle.year}"


class Assignment(models.Model):
    """Which body scores a criterion (a group assignment applies to the leaves below it)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="assignments")
    criterion_code = models.CharField(_("mã tiêu chí"), max_length=50)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan chấm"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic lock (friendlygov.kit.concurrency)

    class Meta:
        ordering = ["criterion_code"]
        constraints = [models.UniqueConstraint(fields=["cycle", "criterion_code"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"Tiêu chí {self.criterion_code} → {self.body.name}"


class ScoreEntry(models.Model):
    """The self-assessed value of a leaf criterion or a condition, typed in by its body (or frozen from
    the measured figure at submission for a criterion with ``source``)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="entries")
    criterion_code = models.CharField(_("mã tiêu chí"), max_length=50)
    value = models.CharField(_("giá trị tự chấm"), max_length=100, blank=True)
    ticked = models.JSONField(_("các mục đã đạt"), default=list, blank=True)
    explanation = models.TextField(_("giải trình"), blank=True)
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_source = models.BooleanField(default=False)
    source_label = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)
    source_reference = models.CharField(max_length=300, blank=True)
    # A criterion with ``source``: the measured figure when it was accepted, overridden or frozen at
    # submission (``measured_at``), and the reason when the unit typed another value instead.
    measured_value = models.CharField(_("số liệu đo được"), max_length=100, blank=True)
    measured_ticked = models.JSONField(_("các mục đo được"), default=list, blank=True)
    measured_as_of = models.DateField(_("số liệu tính đến ngày"), null=True, blank=True)
    measured_at = models.DateTimeField(_("thời điểm xác nhận số liệu"), null=True, blank=True)
    override_reason = models.TextField(_("lý do không dùng số liệu đo được"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["criterion_code"]
        verbose_name = _("điểm tự chấm")
        verbose_name_plural = _("điểm tự chấm")
        constraints = [models.UniqueConstraint(fields=["cycle", "criterion_code"], name="score_entry_unique")]

    def __str__(self) -> str:
        return f"Tự chấm tiêu chí {self.criterion_code}: {self.value or '—'}"

    @property
    def is_measured_decision(self) -> bool:
        """The unit accepted the measured figure or overrode it (or it was frozen at submission)."""
        return self.measured_at is not None

    @property
    def is_override(self) -> bool:
        return bool(self.override_reason)


class ScoreEvidence(models.Model):
    """Proof of a self-assessed value: an evidence file (uploaded here or already in the system, e.g.
    from a plan task; one file may prove several criteria) or, when no file is at hand, a description."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(ScoreEntry, on_delete=models.PROTECT, related_name="evidence_links")
    evidence = models.ForeignKey(
        EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, related_name="assessment_links"
    )
    note = models.CharField(_("mô tả minh chứng"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    # Links are never deleted (the criterion's history keeps them): removing one only marks it.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "evidence"],
                condition=models.Q(evidence__isnull=False, removed_at__isnull=True),
                name="score_evidence_unique",
            )
        ]

    def __str__(self) -> str:
        what = str(self.evidence) if self.evidence_id else (self.note or "minh chứng")
        return f"Minh chứng tiêu chí {self.entry.criterion_code}: {what}"


class JointProposal(models.Model):
    """A different score proposed by a joint scorer (MTTQ, Ban Xây dựng Đảng). Every proposal is kept; the
    coordinator accepts it (the settled value becomes the proposal's) or declines it with a reason, and the
    self-assessment cannot be submitted while one is still pending."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ đầu mối xem xét")
        ACCEPTED = "accepted", _("Đã chấp nhận")
        DECLINED = "declined", _("Không chấp nhận")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="proposals")
    criterion_code = models.CharField(_("mã tiêu chí"), max_length=50)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan đề xuất")
    )
    value = models.CharField(_("giá trị đề xuất"), max_length=100)
    ticked = models.JSONField(default=list, blank=True)
    reason = models.TextField(_("lý do"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("ý kiến của đầu mối"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("đề xuất chấm điểm")
        verbose_name_plural = _("đề xuất chấm điểm")

    def __str__(self) -> str:
        return f"Đề xuất tiêu chí {self.criterion_code}: {self.value}"


class JointReview(models.Model):
    """A joint scorer's standing opinion on one criterion for one body (MTTQ, Ban Xây dựng Đảng): agrees with
    the self-assessed value, or proposed another (the proposal itself is a :class:`JointProposal`). One row
    per criterion and body, versioned, so two people of the same body filling the sheet at once are told."""

    class Verdict(models.TextChoices):
        AGREE = "agree", _("Đồng ý")
        PROPOSE = "propose", _("Đề xuất điểm khác")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="joint_reviews")
    criterion_code = models.CharField(_("mã tiêu chí"), max_length=50)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    verdict = models.CharField(_("ý kiến"), max_length=10, choices=Verdict.choices)
    value = models.CharField(_("giá trị"), max_length=100, blank=True)  # the value agreed to, or proposed
    proposal = models.ForeignKey(
        JointProposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["criterion_code", "body_id"]
        verbose_name = _("ý kiến chấm phối hợp")
        verbose_name_plural = _("ý kiến chấm phối hợp")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "criterion_code", "body"], name="joint_review_unique")
        ]

    def __str__(self) -> str:
        return f"Ý kiến tiêu chí {self.criterion_code}: {self.get_verdict_display()} {self.value}".strip()


class ConsolidatedScore(models.Model):
    """The value the coordinator settles after the joint scorers' proposals."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="consolidated")
    criterion_code = models.CharField(_("mã tiêu chí"), max_length=50)
    value = models.CharField(_("giá trị thống nhất"), max_length=100)
    ticked = models.JSONField(default=list, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    settled_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["criterion_code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "criterion_code"], name="consolidated_unique")
        ]

    def __str__(self) -> str:
        return f"Thống nhất tiêu chí {self.criterion_code}: {self.value}"


class AppraisalItem(models.Model):
    """The city's decision on one criterion: accept the consolidated value, or adjust it with a reason."""

    class Decision(models.TextChoices):
        ACCEPT = "accept", _("Chấp nhận")
        ADJUST = "adjust", _("Điều chỉnh")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="appraisal_items")
    criterion_code = models.CharField(_("mã tiêu chí"), max_length=50)
    decision = models.CharField(_("kết luận"), max_length=10, choices=Decision.choices)
    value = models.CharField(_("giá trị thẩm định"), max_length=100, blank=True)
    ticked = models.JSONField(default=list, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    appraised_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["criterion_code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "criterion_code"], name="appraisal_item_unique")
        ]

    def __str__(self) -> str:
        return f"Thẩm định tiêu chí {self.criterion_code}: {self.get_decision_display()} {self.value}".strip()


def recognition_path(instance: Recognition, filename: str) -> str:
    return f"recognitions/{instance.unit_id}/{uuid.uuid4().hex}"


class Recognition(models.Model):
    """The city's recognition decision for a unit's year."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    cycle = models.OneToOneField(Cycle, on_delete=models.PROTECT, related_name="recognition")
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    decision_date = models.DateField(_("ngày quyết định"))
    signer = models.CharField(_("người ký"), max_length=200)
    level_code = models.CharField(_("mức công nhận"), max_length=20)
    level_name = models.CharField(max_length=200)
    file = models.FileField(upload_to=recognition_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    recognised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recognised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")

    def __str__(self) -> str:
        return f"Quyết định {self.decision_number} công nhận {self.level_name} năm {self.cycle.year}"


class CityFigure(models.Model):
    """A figure the city publishes per unit and year (reform index, city-run SIPAS), with its decision."""

    class Kind(models.TextChoices):
        PAR_INDEX = "par_index", _("Chỉ số cải cách hành chính (PAR INDEX)")
        SIPAS = "sipas", _("Chỉ số hài lòng (SIPAS) do thành phố khảo sát")

    city = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("thành phố"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="city_figures", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("chỉ số"), max_length=20, choices=Kind.choices)
    value = models.DecimalField(_("giá trị (%)"), max_digits=6, decimal_places=2)
    decision = models.CharField(_("văn bản công bố"), max_length=300)
    published_on = models.DateField(_("ngày công bố"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "unit__name", "kind"]
        verbose_name = _("số liệu thành phố công bố")
        verbose_name_plural = _("số liệu thành phố công bố")
        constraints = [models.UniqueConstraint(fields=["unit", "year", "kind"], name="city_figure_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} — {self.unit.name}: {self.value}%"


class LiveStanding(models.Model):
    """What the city's table shows of an open cycle — its completeness and its self-assessed and
    consolidated totals — kept from one scoring until something it was computed from changes.

    ``basis`` names all of it (``selectors.standings``): the code that scored, the criteria set, the cycle's
    status and the change stamps of the unit, of its city and of everything (``audit.ChangeStamp``, renewed
    in the transaction of every change); ``valid_until``: the moment the figures change with the time alone
    (midnight, or a pending dossier's deadline). A standing whose basis differs or whose moment has come is
    scored again. Nothing here is a record: deleting every row loses nothing."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, primary_key=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=300)
    valid_until = models.DateTimeField()
    scored_at = models.DateTimeField()
    # [criteria that can be scored, scored, with evidence]
    completeness = models.JSONField(default=list)
    # column → [total as text, level name or None] for "self" and "consolidated"
    totals = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.basis}"
