"""Plans (Kế hoạch), their yearly targets, duties, appendix tasks, dated occurrences, progress and obstacles.

A plan is revised by creating a new row (``revises`` → the previous revision, ``revision`` + 1); the old
row stays readable with its text, targets, duties and tasks, while the work (occurrences, obstacles)
moves to the current revision. "Late" is derived from the due date (:meth:`Occurrence.is_late`), never
stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from friendlygov.evidence.models import EvidenceFile
from friendlygov.org.models import Body, Unit
from friendlygov.rules import plan_events as ev
from friendlygov.rules import schedule as sch
from friendlygov.rules.schedule import Schedule


class EventKind(models.TextChoices):
    """The cycle's events that show a plan task done (see ``friendlygov.rules.plan_events``)."""

    PLAN_ISSUED = ev.PLAN_ISSUED, _("Ban hành kế hoạch")
    TARGET_REGISTERED = ev.TARGET_REGISTERED, _("Đăng ký mức đạt chuẩn")
    COMMUNICATION_ACTIVITY = ev.COMMUNICATION_ACTIVITY, _("Ghi nhận hoạt động tuyên truyền")
    VILLAGE_REVIEW = ev.VILLAGE_REVIEW, _("Ghi nhận bình xét thôn văn hóa")
    SERVICE_FIGURES_IMPORTED = (
        ev.SERVICE_FIGURES_IMPORTED,
        _("Nhập số liệu hồ sơ của Trung tâm Phục vụ hành chính công"),
    )
    BUDGET_ESTIMATE = ev.BUDGET_ESTIMATE, _("Lập dự toán kinh phí")
    SELF_ASSESSMENT_SUBMITTED = ev.SELF_ASSESSMENT_SUBMITTED, _("Nộp bản tự đánh giá, chấm điểm")
    REWARDS_DECIDED = ev.REWARDS_DECIDED, _("Quyết định khen thưởng")
    ANNUAL_REPORT_ISSUED = ev.ANNUAL_REPORT_ISSUED, _("Ban hành báo cáo kết quả thực hiện năm")
    REVIEW_ISSUED = ev.REVIEW_ISSUED, _("Ban hành báo cáo sơ kết, tổng kết")
    SELF_ASSESSMENT_REPORT = ev.SELF_ASSESSMENT_REPORT, _("Ban hành báo cáo tự đánh giá, chấm điểm")


class Plan(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("đơn vị"))
    number = models.CharField(_("số kế hoạch"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    bases = models.JSONField(_("căn cứ"), default=list, blank=True)  # one document per item
    purposes = models.TextField(_("mục đích"), blank=True)
    # Section III.1: the texts the communication work centres on ("trọng tâm là: …"), one per item, as the
    # plan writes them (not the legal bases of the preamble).
    communication_texts = models.JSONField(_("văn bản trọng tâm tuyên truyền"), default=list, blank=True)
    requirements = models.TextField(_("yêu cầu"), blank=True)
    budget_sources = models.JSONField(_("nguồn kinh phí"), default=list, blank=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    open_ended = models.BooleanField(_("và những năm tiếp theo"), default=False)
    appendix_text = models.TextField(_("phụ lục đã nhập"), blank=True)
    occurrences_through = models.PositiveSmallIntegerField(null=True, blank=True)
    revises = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revised_by",
        verbose_name=_("sửa đổi bản"),
    )
    revision = models.PositiveIntegerField(_("lần sửa đổi"), default=1)
    revision_note = models.CharField(_("nội dung sửa đổi"), max_length=500, blank=True)
    is_current = models.BooleanField(_("bản hiện hành"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_year", "-revision", "-id"]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        indexes = [models.Index(fields=["unit", "is_current"])]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        span = (
            f"{self.start_year}–{self.end_year}" if self.start_year != self.end_year else str(self.start_year)
        )
        return gettext("%(span)s và những năm tiếp theo") % {"span": span} if self.open_ended else span

    @property
    def years(self) -> list[int]:
        """The plan's years; an open-ended plan also covers the years its occurrences reach."""
        last = max(self.end_year, self.occurrences_through or 0) if self.open_ended else self.end_year
        return list(range(self.start_year, last + 1))

    def covers(self, year: int) -> bool:
        return self.start_year <= year and (self.open_ended or year <= self.end_year)


class YearTarget(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("năm"))
    level_code = models.CharField(_("mức độ phấn đấu"), max_length=20)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="plans_target_unique_year")]

    def __str__(self) -> str:
        return f"{self.year}: mức {self.level_code}"


class Duty(models.Model):
    """A responsibility of section V ("Tổ chức thực hiện"), assigned to a body when the name matches."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="duties")
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    body_text = models.CharField(_("cơ quan (như ghi trong kế hoạch)"), max_length=300, blank=True)
    text = models.TextField(_("nhiệm vụ"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Task(models.Model):
    """One row of the appendix ("Phụ lục nhiệm vụ cụ thể")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    number = models.CharField(_("STT"), max_length=20)
    section = models.CharField(_("mục"), max_length=300, blank=True)
    text = models.TextField(_("nhiệm vụ cụ thể"))
    lead_body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_plan_tasks",
        verbose_name=_("cơ quan chủ trì"),
    )
    lead_text = models.CharField(_("cơ quan chủ trì (như ghi trong phụ lục)"), max_length=300, blank=True)
    coordinators = models.ManyToManyField(
        Body, blank=True, related_name="coordinated_plan_tasks", verbose_name=_("cơ quan phối hợp")
    )
    coordinator_texts = models.JSONField(_("cơ quan phối hợp chưa nhận ra"), default=list, blank=True)
    time_phrase = models.CharField(_("thời gian thực hiện"), max_length=300, blank=True)
    schedule = models.JSONField(_("lịch"), default=dict)
    weight = models.DecimalField(
        _("trọng số"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    flags = models.JSONField(_("cần xem lại"), default=list, blank=True)
    notes = models.JSONField(_("ghi chú"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("đang theo dõi"), default=True)
    # The cycle's events that show the task done (EventKind values; empty: progress recorded by hand),
    # proposed from the text when the appendix is read; ``binding_edited`` once staff changed it (a
    # re-import then keeps it). Activity events count against ``yearly_count`` each year.
    event_kinds = models.JSONField(_("hoàn thành khi"), default=list, blank=True)
    yearly_count = models.PositiveSmallIntegerField(
        _("số hoạt động cần đạt mỗi năm"), default=1, validators=[MinValueValidator(1)]
    )
    binding_edited = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    @property
    def unit(self) -> Unit:
        return self.plan.unit

    def get_schedule(self) -> Schedule:
        try:
            return Schedule.from_json(self.schedule)
        except ValueError:
            return Schedule("unreadable")

    @property
    def schedule_label(self) -> str:
        """The schedule in the reader's language (pages); ``get_schedule().describe()`` is the Vietnamese."""
        return describe_schedule(self.get_schedule())

    @property
    def lead_label(self) -> str:
        return self.lead_body.name if self.lead_body_id and self.lead_body else self.lead_text

    @property
    def event_labels(self) -> list[str]:
        labels = dict(EventKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.event_kinds]

    @property
    def counts_activities(self) -> bool:
        return any(kind in ev.ACTIVITY_KINDS for kind in self.event_kinds)


_ROMAN_QUARTERS = ("I", "II", "III", "IV")


def describe_schedule(schedule: Schedule) -> str:
    """``Schedule.describe()`` in the reader's language, for pages ("Hằng năm" / "Every year"). The rules
    stay free of Django, so the translation is made here; files and the command line keep describe()."""
    kind = schedule.kind
    if kind == sch.YEARLY:
        return gettext("Hằng năm")
    if kind == sch.YEARLY_BEFORE:
        return gettext("Trước ngày %(d)s hằng năm") % {"d": f"{schedule.day:02d}/{schedule.month:02d}"}
    if kind == sch.MONTHS:
        months = ", ".join(str(m) for m in schedule.months)
        return ngettext("Tháng %(m)s hằng năm", "Tháng %(m)s hằng năm", len(schedule.months)) % {"m": months}
    if kind == sch.QUARTERS:
        quarters = ", ".join(_ROMAN_QUARTERS[q - 1] for q in schedule.quarters)
        return ngettext("Quý %(q)s hằng năm", "Quý %(q)s hằng năm", len(schedule.quarters)) % {"q": quarters}
    if kind == sch.HALF:
        names = {1: gettext("6 tháng đầu năm"), 2: gettext("6 tháng cuối năm")}
        first, *rest = [names[h] for h in schedule.halves]
        return gettext("%(a)s và %(b)s") % {"a": first, "b": rest[0]} if rest else first
    if kind == sch.QUARTERLY:
        return gettext("Hằng quý")
    if kind == sch.MONTHLY:
        return gettext("Hằng tháng")
    if kind == sch.ONGOING:
        return gettext("Thường xuyên (kiểm tra hằng quý)")
    if kind == sch.YEARS:
        years = ", ".join(str(y) for y in schedule.years)
        return ngettext("Năm %(list)s", "Năm %(list)s", len(schedule.years)) % {"list": years}
    if kind == sch.MONTH_OF_YEAR:
        items = ", ".join(f"{m}/{y}" for y, m in schedule.items)
        return ngettext("Tháng %(list)s", "Tháng %(list)s", len(schedule.items)) % {"list": items}
    if kind == sch.BEFORE_DATE and schedule.exact_date is not None:
        return gettext("Trước ngày %(d)s") % {"d": f"{schedule.exact_date:%d/%m/%Y}"}
    return gettext("Không đọc được")


def local_today() -> dt.date:
    """Today in Asia/Ho_Chi_Minh (the project's TIME_ZONE)."""
    return timezone.localdate()


class Occurrence(models.Model):
    """A dated occurrence of a task: the work for one period (a year, quarter, half or month)."""

    class Kind(models.TextChoices):
        DEADLINE = "deadline", _("Hạn hoàn thành")
        CHECK_IN = "check-in", _("Kiểm tra định kỳ")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Hoàn thành")
        CANCELLED = "cancelled", _("Hủy (không tính)")

    CLOSED = (Status.DONE, Status.CANCELLED)

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="occurrences")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    period = models.CharField(_("kỳ"), max_length=10)
    window_start = models.DateField(_("từ ngày"))
    due = models.DateField(_("hạn"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.DEADLINE)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    note = models.TextField(_("ghi chú"), blank=True)
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    orphaned = models.BooleanField(_("không còn trong lịch"), default=False)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    from_events = models.BooleanField(_("theo sự kiện của chu kỳ"), default=False)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due", "task__position", "id"]
        verbose_name = _("hạn công việc")
        verbose_name_plural = _("hạn công việc")
        constraints = [
            models.UniqueConstraint(fields=["task", "period"], name="plans_occurrence_unique_period")
        ]
        indexes = [models.Index(fields=["unit", "due"]), models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.task.number} — {self.period_label}"

    @property
    def period_label(self) -> str:
        """The period in the reader's language, for pages ("Quý I/2026", "Q1 2026")."""
        year, _sep, part = self.period.partition("-")
        if not part:
            return gettext("Năm %(y)s") % {"y": year}
        if part.startswith("Q"):
            return gettext("Quý %(q)s/%(y)s") % {"q": ("I", "II", "III", "IV")[int(part[1]) - 1], "y": year}
        if part == "H1":
            return gettext("6 tháng đầu năm %(y)s") % {"y": year}
        if part.startswith("H"):
            return gettext("6 tháng cuối năm %(y)s") % {"y": year}
        return gettext("Tháng %(m)s/%(y)s") % {"m": int(part), "y": year}

    @property
    def period_label_vi(self) -> str:
        """The period in Vietnamese whatever the reader's language, for texts that are stored (titles of
        evidence, notifications)."""
        year, _sep, part = self.period.partition("-")
        if not part:
            return f"Năm {year}"
        if part.startswith("Q"):
            return f"Quý {('I', 'II', 'III', 'IV')[int(part[1]) - 1]}/{year}"
        if part.startswith("H"):
            return f"6 tháng {'đầu' if part == 'H1' else 'cuối'} năm {year}"
        return f"Tháng {int(part)}/{year}"

    def is_late(self, today: dt.date | None = None) -> bool:
        return self.due < (today or local_today()) and self.status not in self.CLOSED and not self.orphaned

    @property
    def late(self) -> bool:
        return self.is_late()

    @property
    def days_done_late(self) -> int:
        """Days after the due date it was done (0 when on time, open or the date is unknown)."""
        if self.status != self.Status.DONE or self.done_on is None:
            return 0
        return max(0, (self.done_on - self.due).days)

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.due - (today or local_today())).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left())

    @property
    def due_soon(self) -> bool:
        """Open and due within the next 7 days."""
        return self.status not in self.CLOSED and not self.orphaned and 0 <= self.days_left() <= 7

    @property
    def counts(self) -> bool:
        """Counted in progress roll-ups: not cancelled, still on the schedule."""
        return self.status != self.Status.CANCELLED and not self.orphaned


class CycleEvent(models.Model):
    """An event of the yearly cycle recorded by the area where it happened (a registration sent, a
    self-assessment submitted, a communication activity…), kept once per source record. The plan tasks
    bound to its kind are completed from these rows (``services.record_cycle_event``)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("sự kiện"), max_length=40, choices=EventKind.choices)
    source = models.CharField(max_length=100)  # "<area>.<record>:<id>": the same event is kept once
    happened_on = models.DateField(_("ngày"))
    label = models.CharField(_("nội dung"), max_length=300)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    evidence = models.ForeignKey(
        EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["happened_on", "id"]
        verbose_name = _("sự kiện của chu kỳ")
        verbose_name_plural = _("sự kiện của chu kỳ")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "source"], name="plans_event_unique_source")
        ]
        indexes = [models.Index(fields=["unit", "year", "kind"])]

    def __str__(self) -> str:
        return self.label


class OccurrenceEvidence(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="evidence_links")
    evidence = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(
        CycleEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence_links"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]


class Contribution(models.Model):
    """What a coordinating body did for an occurrence led by another body."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="contributions")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan phối hợp")
    )
    note = models.TextField(_("nội dung phối hợp"))
    evidence = models.ForeignKey(
        EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.body}: {self.note[:60]}"


class Obstacle(models.Model):
    """A difficulty (vướng mắc) reported by a body, consolidated by the coordinator, answered by the leader."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("Mới báo cáo")
        FORWARDED = "forwarded", _("Đã tổng hợp, trình lãnh đạo")
        ANSWERED = "answered", _("Đã trả lời")
        CLOSED = "closed", _("Đã đóng")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="obstacles")
    task = models.ForeignKey(
        Task,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="obstacles",
        verbose_name=_("nhiệm vụ"),
    )
    reported_by_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan báo cáo")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("nội dung vướng mắc"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.REPORTED)
    consolidation_note = models.TextField(_("ý kiến tổng hợp của đầu mối"), blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    forwarded_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("ý kiến trả lời của lãnh đạo"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(_("ghi chú khi đóng"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("vướng mắc")
        verbose_name_plural = _("vướng mắc")

    def __str__(self) -> str:
        return self.text[:80]
