"""Citizens' feedback (phản ánh, kiến nghị): the item, its configurable states, its history, and the
citizen's contact details kept apart so that they can be guarded, logged and erased on their own.

Personal data (Nghị định 13/2023/NĐ-CP) lives only in :class:`FeedbackContact`. Nothing else — not the
audit log, not the history, not the string form of any object — ever holds a copy of it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from friendlygov.org.models import Body, Unit

DEFAULT_RETENTION_DAYS = 365


class StateType(models.TextChoices):
    """The fixed meaning behind every configurable state."""

    OPEN = "open", _("Mới tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    WAITING_CITIZEN = "waiting_citizen", _("Chờ người dân bổ sung")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã đóng")
    REJECTED = "rejected", _("Không tiếp nhận")


#: Types where the item still needs the staff's work (the handling clock runs, except while waiting).
PENDING_TYPES = (StateType.OPEN, StateType.IN_PROGRESS, StateType.WAITING_CITIZEN)
#: Types where the item is settled (the contact-retention clock runs).
RESOLVED_TYPES = (StateType.ANSWERED, StateType.CLOSED, StateType.REJECTED)

#: Which state types a member of staff may move an item to, from each type.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    StateType.OPEN: (
        StateType.OPEN,
        StateType.IN_PROGRESS,
        StateType.WAITING_CITIZEN,
        StateType.ANSWERED,
        StateType.REJECTED,
    ),
    StateType.IN_PROGRESS: (
        StateType.IN_PROGRESS,
        StateType.WAITING_CITIZEN,
        StateType.ANSWERED,
        StateType.REJECTED,
    ),
    StateType.WAITING_CITIZEN: (
        StateType.IN_PROGRESS,
        StateType.ANSWERED,
        StateType.CLOSED,
        StateType.REJECTED,
    ),
    StateType.ANSWERED: (StateType.ANSWERED, StateType.IN_PROGRESS, StateType.CLOSED),
    StateType.CLOSED: (),
    StateType.REJECTED: (),
}


class FeedbackSettings(models.Model):
    """A unit's choices for its feedback: how long citizens' contact details are kept."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="feedback_settings")
    retention_days = models.PositiveIntegerField(
        _("thời hạn lưu thông tin liên hệ (ngày)"),
        default=DEFAULT_RETENTION_DAYS,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text=_("Tính từ ngày phản ánh được giải quyết xong (trả lời, đóng hoặc không tiếp nhận)."),
    )
    leader_approval = models.BooleanField(
        _("lãnh đạo duyệt câu trả lời trước khi gửi người dân"),
        default=False,
        help_text=_(
            "Khi bật, câu trả lời của người xử lý chờ lãnh đạo UBND duyệt; người dân chỉ nhận được sau khi duyệt."
        ),
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cài đặt phản ánh, kiến nghị")

    def __str__(self) -> str:
        return f"Cài đặt phản ánh — {self.unit}"


class FeedbackState(models.Model):
    """A state a unit uses for its feedback; its `type` fixes what it means for deadlines and the citizen."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="feedback_states")
    name = models.CharField(_("tên trạng thái"), max_length=100)
    type = models.CharField(_("loại"), max_length=20, choices=StateType.choices)
    reply_template = models.TextField(
        _("câu trả lời mẫu gửi người dân"),
        blank=True,
        help_text=_("Có thể dùng {ma} (mã tra cứu), {don_vi} (tên đơn vị), {han} (hạn xử lý)."),
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("trạng thái phản ánh")
        verbose_name_plural = _("trạng thái phản ánh")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="feedback_state_name_unique")]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    """How feedback reached the unit: citizens' own channels, and those staff type in (STAFF_CHANNELS)."""

    WEB = "web", _("Trang phản ánh trực tuyến")
    API = "api", _("Ứng dụng (API)")
    PAPER = "paper", _("Đơn, thư, văn bản")
    PHONE = "phone", _("Điện thoại, đường dây nóng")
    IN_PERSON = "in_person", _("Trực tiếp tại trụ sở")
    MEETING = "meeting", _("Hội nghị, tiếp xúc cử tri, đối thoại")


STAFF_CHANNELS = (Channel.PAPER, Channel.PHONE, Channel.IN_PERSON, Channel.MEETING)


class Feedback(models.Model):
    class Topic(models.TextChoices):
        PROCEDURE = "procedure", _("Thủ tục hành chính")
        SERVICE = "service", _("Chất lượng phục vụ, dịch vụ công")
        CONDUCT = "conduct", _("Thái độ, hành vi của cán bộ, công chức")
        OTHER = "other", _("Vấn đề khác")

    class Classification(models.TextChoices):
        POLICY = "policy", _("Cơ chế, chính sách, thủ tục hành chính")
        CONDUCT = "conduct", _("Hành vi, thái độ của cán bộ, công chức")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="feedback_items")
    code = models.CharField(_("mã tra cứu"), max_length=10, unique=True)
    topic = models.CharField(_("nội dung phản ánh về"), max_length=20, choices=Topic.choices)
    subject = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"))
    procedure_ref = models.CharField(_("thủ tục, số hồ sơ liên quan"), max_length=200, blank=True)
    classification = models.CharField(
        _("phân loại"), max_length=20, choices=Classification.choices, blank=True
    )
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_items",
        verbose_name=_("cơ quan xử lý"),
    )
    about_body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_about",
        verbose_name=_("cơ quan, bộ phận bị phản ánh"),
        help_text=_("Phản ánh về chính cơ quan này thì không giao cho cơ quan này xử lý."),
    )
    state = models.ForeignKey(
        FeedbackState, on_delete=models.PROTECT, related_name="items", verbose_name=_("trạng thái")
    )
    channel = models.CharField(
        _("kênh tiếp nhận"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    received_on = models.DateField(_("ngày tiếp nhận"), db_index=True)
    answer = models.TextField(_("câu trả lời"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_published = models.BooleanField(_("công khai câu trả lời"), default=False)
    published_on = models.DateField(null=True, blank=True)
    public_summary = models.CharField(
        _("tóm tắt công khai"),
        max_length=300,
        blank=True,
        help_text=_("Câu hỏi được công khai cùng câu trả lời; không ghi thông tin cá nhân."),
    )
    rating = models.PositiveSmallIntegerField(
        _("mức hài lòng (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfied = models.BooleanField(_("hài lòng"), null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    contact_erased_at = models.DateTimeField(null=True, blank=True)
    contact_erased_reason = models.CharField(max_length=20, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    #: Staff entry: the key of the form it was typed into (a retried post stores nothing twice).
    entry_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        indexes = [models.Index(fields=["unit", "-received_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "entry_key"],
                condition=models.Q(entry_key__isnull=False),
                name="feedback_entry_key_once_per_unit",
            )
        ]

    def __str__(self) -> str:
        # Never personal data here: the audit log copies this string.
        return f"Phản ánh {self.code}"

    @property
    def state_type(self) -> str:
        return self.state.type

    @property
    def code_display(self) -> str:
        return f"{self.code[:5]}-{self.code[5:]}"


class FeedbackEvent(models.Model):
    """The history of an item: submission, every change of state, answer, assignment, rating, reopening.

    The deadlines are computed from it (state entries with their day). `message` is what the citizen sees
    on the tracking page; `note` is internal.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Gửi phản ánh")
        TRANSITION = "transition", _("Chuyển trạng thái")
        ANSWER = "answer", _("Trả lời")
        ASSIGN = "assign", _("Phân loại, giao xử lý")
        PUBLISH = "publish", _("Công khai")
        UNPUBLISH = "unpublish", _("Thôi công khai")
        RATING = "rating", _("Người dân đánh giá")
        REOPEN = "reopen", _("Người dân mở lại")
        CONTACT_ERASED = "contact_erased", _("Xóa thông tin liên hệ")
        ANSWER_PROPOSED = "answer_proposed", _("Trình lãnh đạo duyệt câu trả lời")
        ANSWER_APPROVED = "answer_approved", _("Lãnh đạo duyệt câu trả lời")
        ANSWER_RETURNED = "answer_returned", _("Lãnh đạo trả lại câu trả lời")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    on = models.DateField()  # the local day of `at`: what the working-day clock counts
    from_type = models.CharField(max_length=20, choices=StateType.choices, blank=True)
    to_type = models.CharField(max_length=20, choices=StateType.choices, blank=True)
    state_name = models.CharField(max_length=100, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"

    @property
    def changes_state(self) -> bool:
        return bool(self.to_type) and self.to_type != self.from_type


class AnswerApproval(models.Model):
    """A handler's answer waiting for the leader (when the unit's settings ask for it): the citizen sees
    nothing of it until the leader approves; sent back, it stays here with the reason, for the handler to
    revise. At most one waits per item. The item keeps its pending state meanwhile, so the handling clock
    (QĐ 766) runs on until the answer is approved and reaches the citizen."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Chờ lãnh đạo duyệt")
        APPROVED = "approved", _("Đã duyệt")
        RETURNED = "returned", _("Lãnh đạo trả lại")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="approvals")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(_("câu trả lời"))
    publish = models.BooleanField(_("công khai câu trả lời"), default=False)
    public_summary = models.CharField(_("tóm tắt công khai"), max_length=300, blank=True)
    state = models.ForeignKey(
        FeedbackState, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("ghi chú nội bộ"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.AWAITING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("lý do trả lại"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("câu trả lời chờ duyệt")
        verbose_name_plural = _("câu trả lời chờ duyệt")
        constraints = [
            models.UniqueConstraint(
                fields=["feedback"],
                condition=models.Q(status="awaiting"),
                name="feedback_one_answer_awaiting",
            )
        ]

    def __str__(self) -> str:
        return f"Câu trả lời trình duyệt #{self.pk}"


class FeedbackContact(models.Model):
    """The citizen's optional contact details, given with consent. Never shown publicly; every staff view
    is logged; erased (the row deleted) after the unit's retention period or on the citizen's request."""

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="contact")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    consent_text = models.TextField()
    consented_at = models.DateTimeField()

    class Meta:
        verbose_name = _("thông tin liên hệ của người phản ánh")

    def __str__(self) -> str:
        return f"Thông tin liên hệ #{self.pk}"


class ContactRequest(models.Model):
    """A citizen's request to see or erase their contact details, and what was done (no personal data)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Xem thông tin")
        ERASURE = "erasure", _("Xóa thông tin")

    class Outcome(models.TextChoices):
        DONE = "done", _("Đã thực hiện")
        NOT_MATCHED = "not_matched", _("Thông tin xác minh không khớp")
        NO_DATA = "no_data", _("Không còn lưu thông tin liên hệ")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="contact_requests")
    kind = models.CharField(_("yêu cầu"), max_length=20, choices=Kind.choices)
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-handled_at", "-id"]

    def __str__(self) -> str:
        return f"Yêu cầu {self.get_kind_display().lower()} — {self.feedback}"
