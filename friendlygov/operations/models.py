"""Running the programme day to day: communication work, the villages' cultural reviews, the budget,
rewards and naming, the 2027/2030 reviews, conferences and documents awaiting signature.

Every business row belongs to a commune-level unit. Criteria are referred to by their code text plus the
year (no foreign key into the assessments area); plan tasks by a foreign key to ``plans.Task``.
Editable rows carry ``version`` for optimistic locking (services compare and increment it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from friendlygov.evidence.models import EvidenceFile
from friendlygov.org.models import Body, Unit


class Stamped(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# ------------------------------------------------------------------------------------ communication


class CommunicationKind(models.TextChoices):
    SLOGAN_PANEL = "slogan_panel", _("Pano, khẩu hiệu “4 xin, 4 luôn, 5 không”")
    BRIEFING = "briefing", _("Quán triệt cho đảng viên, cán bộ, công chức")
    CULTURAL_EVENT = "cultural_event", _("Hoạt động văn hóa, văn nghệ quần chúng")
    VILLAGE_BOARD = "village_board", _("Bảng tin văn hóa tại thôn")
    LOUDSPEAKER = "loudspeaker", _("Đài truyền thanh")
    WEBSITE = "website", _("Trang thông tin điện tử")
    ZALO = "zalo", _("Zalo")
    FACEBOOK = "facebook", _("Facebook")
    OTHER = "other", _("Hình thức khác")


class CommunicationActivity(Stamped):
    """One communication activity (tuyên truyền): a panel put up, a briefing held, a post published…"""

    kind = models.CharField(_("hình thức"), max_length=30, choices=CommunicationKind.choices)
    title = models.CharField(_("nội dung tuyên truyền"), max_length=300)
    held_on = models.DateField(_("ngày thực hiện"))
    place = models.CharField(_("địa điểm, kênh"), max_length=300)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan thực hiện")
    )
    audience = models.CharField(_("đối tượng"), max_length=300, blank=True)
    reach = models.PositiveIntegerField(_("số lượt người được tuyên truyền"), default=0)
    cost = models.PositiveBigIntegerField(_("kinh phí (đồng)"), default=0)
    description = models.TextField(_("mô tả"), blank=True)
    task = models.ForeignKey(
        "plans.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("nhiệm vụ của kế hoạch"),
    )
    criterion_code = models.CharField(_("mã tiêu chí minh chứng"), max_length=30, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("hoạt động tuyên truyền")
        verbose_name_plural = _("hoạt động tuyên truyền")
        indexes = [models.Index(fields=["unit", "held_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self) -> int:
        return self.held_on.year

    @property
    def quarter(self) -> int:
        return (self.held_on.month - 1) // 3 + 1


class ActivityFile(models.Model):
    """A photo or PDF proving an activity."""

    activity = models.ForeignKey(CommunicationActivity, on_delete=models.CASCADE, related_name="files")
    evidence = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return str(self.evidence)

    @property
    def is_image(self) -> bool:
        return self.evidence.content_type.startswith("image/")


# ------------------------------------------------------------------------------------------ villages


class VillageReviewItem(Stamped):
    """A friendly-government item the coordinator adds to the villages' yearly cultural review."""

    year = models.PositiveSmallIntegerField(_("năm"))
    text = models.CharField(_("nội dung"), max_length=500)
    criterion_code = models.CharField(_("mã tiêu chí liên quan"), max_length=30, blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        ordering = ["year", "position", "id"]
        verbose_name = _("nội dung bình xét")
        verbose_name_plural = _("nội dung bình xét")

    def __str__(self) -> str:
        return self.text


class VillageReview(Stamped):
    """A village's yearly review for the "Thôn văn hóa" title, with the items' results."""

    class Title(models.TextChoices):
        PENDING = "pending", _("Chưa bình xét")
        ACHIEVED = "achieved", _("Đạt danh hiệu “Thôn văn hóa”")
        NOT_ACHIEVED = "not_achieved", _("Chưa đạt danh hiệu")

    village = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("thôn"))
    year = models.PositiveSmallIntegerField(_("năm"))
    title_result = models.CharField(
        _("kết quả danh hiệu"), max_length=20, choices=Title.choices, default=Title.PENDING
    )
    households_total = models.PositiveIntegerField(_("tổng số hộ"), null=True, blank=True)
    reviewed_on = models.DateField(_("ngày bình xét"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    minutes = models.ForeignKey(
        EvidenceFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("biên bản bình xét"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year", "village__position", "village__name"]
        verbose_name = _("bình xét thôn văn hóa")
        verbose_name_plural = _("bình xét thôn văn hóa")
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="operations_village_review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.village} — {self.year}"


class VillageReviewResult(models.Model):
    review = models.ForeignKey(VillageReview, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(VillageReviewItem, on_delete=models.PROTECT, related_name="results")
    met = models.BooleanField(_("đạt"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="operations_village_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.review}: {self.item}"


class HouseholdTitle(Stamped):
    """A household's "Gia đình văn hóa" title for a year (imported in bulk from Excel)."""

    village = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("thôn"))
    year = models.PositiveSmallIntegerField(_("năm"))
    head_name = models.CharField(_("chủ hộ"), max_length=200)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    key = models.CharField(max_length=520)  # normalised head name + address: one row per household
    is_cultural = models.BooleanField(_("gia đình văn hóa"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    source = models.CharField(_("nhập từ tệp"), max_length=255, blank=True)

    class Meta:
        ordering = ["year", "village__position", "head_name"]
        verbose_name = _("danh hiệu gia đình văn hóa")
        verbose_name_plural = _("danh hiệu gia đình văn hóa")
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "key"], name="operations_household_unique")
        ]

    def __str__(self) -> str:
        return f"{self.head_name} ({self.village}, {self.year})"


# -------------------------------------------------------------------------------------------- budget


class BudgetSource(models.TextChoices):
    STATE_CITY = "state_city", _("Ngân sách nhà nước — cấp thành phố")
    STATE_COMMUNE = "state_commune", _("Ngân sách nhà nước — cấp xã")
    OTHER = "other", _("Nguồn kinh phí hợp pháp khác")


class BudgetLine(Stamped):
    """One line of the yearly estimate (dự toán) the Economic Office prepares and sends up."""

    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("nội dung chi"), max_length=300)
    activity_kind = models.CharField(
        _("hình thức tuyên truyền"), max_length=30, choices=CommunicationKind.choices, blank=True
    )
    task = models.ForeignKey(
        "plans.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("nhiệm vụ của kế hoạch"),
    )
    source = models.CharField(_("nguồn kinh phí"), max_length=20, choices=BudgetSource.choices)
    source_note = models.CharField(_("ghi rõ nguồn"), max_length=200, blank=True)
    estimated = models.PositiveBigIntegerField(_("dự toán đề nghị (đồng)"))
    approved = models.PositiveBigIntegerField(_("được phê duyệt (đồng)"), null=True, blank=True)
    approval_ref = models.CharField(_("quyết định giao dự toán"), max_length=200, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["year", "position", "id"]
        verbose_name = _("dòng dự toán")
        verbose_name_plural = _("dòng dự toán")

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Spending(Stamped):
    """Money spent against an estimate line (and, optionally, for a communication activity)."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="spendings", verbose_name=_("dòng dự toán")
    )
    activity = models.ForeignKey(
        CommunicationActivity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spendings",
        verbose_name=_("hoạt động tuyên truyền"),
    )
    spent_on = models.DateField(_("ngày chi"))
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    description = models.CharField(_("nội dung"), max_length=300)
    voucher = models.CharField(_("số chứng từ"), max_length=100, blank=True)
    evidence = models.ForeignKey(
        EvidenceFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chứng từ"),
    )

    class Meta:
        ordering = ["-spent_on", "-id"]
        verbose_name = _("khoản chi")
        verbose_name_plural = _("khoản chi")

    def __str__(self) -> str:
        return self.description


# ------------------------------------------------------------------------------------------- rewards


class RewardForm(models.TextChoices):
    GIAY_KHEN = "giay_khen", _("Giấy khen của Chủ tịch UBND xã")
    BANG_KHEN = "bang_khen", _("Bằng khen của Chủ tịch UBND thành phố")
    BIEU_DUONG = "bieu_duong", _("Biểu dương")
    OTHER = "other", _("Hình thức khác")


class RewardDecision(Stamped):
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.CharField(_("số quyết định"), max_length=60)
    signed_on = models.DateField(_("ngày ký"))
    signer = models.CharField(_("người ký"), max_length=200, blank=True)
    reward_form = models.CharField(_("hình thức khen thưởng"), max_length=20, choices=RewardForm.choices)
    file = models.ForeignKey(
        EvidenceFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tệp quyết định"),
    )

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "number"], name="operations_decision_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ngày {self.signed_on:%d/%m/%Y}"


class Nomination(Stamped):
    """A proposal (December) to reward an individual or a collective, with the achievements."""

    class NomineeKind(models.TextChoices):
        INDIVIDUAL = "individual", _("Cá nhân")
        COLLECTIVE = "collective", _("Tập thể")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Chờ Hội đồng xét")
        PASSED = "passed", _("Hội đồng đề nghị khen thưởng")
        NOT_PASSED = "not_passed", _("Hội đồng không đề nghị")
        AWARDED = "awarded", _("Đã có quyết định khen thưởng")

    year = models.PositiveSmallIntegerField(_("năm"))
    nominee_kind = models.CharField(_("đối tượng"), max_length=20, choices=NomineeKind.choices)
    nominee_name = models.CharField(_("tên cá nhân, tập thể"), max_length=200)
    position_title = models.CharField(_("chức vụ, nơi công tác"), max_length=200, blank=True)
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan, thôn"),
    )
    proposed_by_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan đề nghị")
    )
    achievements = models.TextField(_("thành tích"))
    proposed_form = models.CharField(_("hình thức đề nghị"), max_length=20, choices=RewardForm.choices)
    activities = models.ManyToManyField(
        CommunicationActivity, blank=True, related_name="+", verbose_name=_("hoạt động")
    )
    tasks = models.ManyToManyField("plans.Task", blank=True, related_name="+", verbose_name=_("nhiệm vụ"))
    evidence = models.ManyToManyField(
        EvidenceFile, blank=True, related_name="+", verbose_name=_("minh chứng")
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    decision = models.ForeignKey(
        RewardDecision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("quyết định khen thưởng"),
    )

    class Meta:
        ordering = ["-year", "nominee_kind", "nominee_name", "id"]
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")

    def __str__(self) -> str:
        return self.nominee_name


class CouncilMeeting(Stamped):
    """A meeting of the emulation and reward council (Hội đồng Thi đua - Khen thưởng) reviewing nominations."""

    year = models.PositiveSmallIntegerField(_("năm"))
    held_on = models.DateField(_("ngày họp"))
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    chair = models.CharField(_("chủ trì"), max_length=200, blank=True)
    nominations = models.ManyToManyField(
        Nomination, blank=True, related_name="meetings", verbose_name=_("đề nghị được xét")
    )
    minutes = models.ForeignKey(
        EvidenceFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("biên bản họp"),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("phiên họp Hội đồng Thi đua - Khen thưởng")
        verbose_name_plural = _("phiên họp Hội đồng Thi đua - Khen thưởng")

    def __str__(self) -> str:
        return f"Hội đồng Thi đua - Khen thưởng họp ngày {self.held_on:%d/%m/%Y}"


class CouncilMember(models.Model):
    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("họ và tên"), max_length=200)
    position_title = models.CharField(_("chức vụ"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.name} — {self.position_title}" if self.position_title else self.name


class VoteChoice(models.TextChoices):
    FOR = "for", _("Đồng ý")
    AGAINST = "against", _("Không đồng ý")
    ABSTAIN = "abstain", _("Không biểu quyết")
    ABSENT = "absent", _("Vắng mặt")


class CouncilVote(models.Model):
    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="votes")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField(_("biểu quyết"), max_length=10, choices=VoteChoice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nomination", "member"], name="operations_vote_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_choice_display()}"


class GoodPractice(Stamped):
    """An example of good practice; published ones appear on the unit's public page."""

    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tiêu đề"), max_length=300)
    summary = models.TextField(_("nội dung công khai"))
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan, thôn"),
    )
    nomination = models.ForeignKey(
        Nomination,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("đề nghị khen thưởng"),
    )
    activity = models.ForeignKey(
        CommunicationActivity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hoạt động liên quan"),
    )
    is_published = models.BooleanField(_("đã công khai"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("cách làm hay, điển hình")
        verbose_name_plural = _("cách làm hay, điển hình")

    def __str__(self) -> str:
        return self.title


class Shortfall(Stamped):
    """A unit or body that fell short, with the reason — INTERNAL, never shown publicly."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chưa khắc phục")
        RESOLVED = "resolved", _("Đã khắc phục")

    year = models.PositiveSmallIntegerField(_("năm"))
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan, thôn"),
    )
    subject = models.CharField(_("đơn vị, cá nhân"), max_length=200, blank=True)
    reason = models.TextField(_("lý do, biểu hiện chưa nghiêm túc"))
    noted_on = models.DateField(_("ngày ghi nhận"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.OPEN)
    resolution_note = models.TextField(_("kết quả khắc phục"), blank=True)

    class Meta:
        ordering = ["-year", "-noted_on", "-id"]
        verbose_name = _("đơn vị thực hiện chưa nghiêm túc")
        verbose_name_plural = _("đơn vị thực hiện chưa nghiêm túc")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.body.name if self.body_id and self.body else self.subject


# ------------------------------------------------------------------------------------------- reviews


class ProgrammeReview(Stamped):
    """The mid-term review (sơ kết, 2027) or the final review (tổng kết, 2030) of the plan."""

    class Kind(models.TextChoices):
        MIDTERM = "midterm", _("Sơ kết")
        FINAL = "final", _("Tổng kết")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        COMPLETED = "completed", _("Đã hoàn thành")

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("năm sơ kết, tổng kết"))
    from_year = models.PositiveSmallIntegerField(_("từ năm"))
    title = models.CharField(_("tiêu đề"), max_length=300)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    snapshot = models.JSONField(_("số liệu chốt khi hoàn thành"), default=dict, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("sơ kết, tổng kết")
        verbose_name_plural = _("sơ kết, tổng kết")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year"], name="operations_review_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.from_year, self.year + 1))


class ReviewSection(models.Model):
    review = models.ForeignKey(ProgrammeReview, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=40)
    title = models.CharField(_("tiêu đề mục"), max_length=300)
    text = models.TextField(_("nội dung"), blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "key"], name="operations_section_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


# ------------------------------------------------------------------------------ conferences, signing


class Conference(Stamped):
    """A conference (hội nghị sơ kết, tổng kết…) the Office of the People's Council and Committee organises."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Đã lên lịch")
        HELD = "held", _("Đã tổ chức")
        CANCELLED = "cancelled", _("Hủy")

    title = models.CharField(_("tên hội nghị"), max_length=300)
    review = models.ForeignKey(
        ProgrammeReview,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conferences",
        verbose_name=_("thuộc đợt sơ kết, tổng kết"),
    )
    held_on = models.DateField(_("ngày tổ chức"))
    start_time = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=300)
    chair = models.CharField(_("chủ trì"), max_length=200, blank=True)
    attendees = models.TextField(_("thành phần tham dự"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    minutes = models.ForeignKey(
        EvidenceFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("biên bản hội nghị"),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")

    def __str__(self) -> str:
        return self.title


class SignatureRequest(Stamped):
    """A document waiting for a leader's signature (trình ký)."""

    class DocumentKind(models.TextChoices):
        PLAN = "plan", _("Kế hoạch")
        REPORT = "report", _("Báo cáo")
        DECISION = "decision", _("Quyết định")
        SUBMISSION = "submission", _("Tờ trình")
        LETTER = "letter", _("Công văn")
        OTHER = "other", _("Văn bản khác")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Chờ ký")
        SIGNED = "signed", _("Đã ký")
        RETURNED = "returned", _("Trả lại")

    title = models.CharField(_("trích yếu văn bản"), max_length=500)
    document_kind = models.CharField(_("loại văn bản"), max_length=20, choices=DocumentKind.choices)
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan trình"),
    )
    file = models.ForeignKey(
        EvidenceFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tệp văn bản"),
    )
    link = models.URLField(_("đường dẫn văn bản"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú khi trình"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người trình"),
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.WAITING)
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("văn bản trình ký")
        verbose_name_plural = _("văn bản trình ký")

    def __str__(self) -> str:
        return self.title
