from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from friendlygov.kit.fields import VnDateField, VnDecimalField, VnIntegerField, date_field, year_field
from friendlygov.org.models import Body
from friendlygov.plans.models import Obstacle, Occurrence, Plan, Task
from friendlygov.plans.parsing import (
    DutyLine,
    TargetLine,
    appendix_text_from_upload,
    format_duties,
    format_targets,
    parse_duties,
    parse_targets,
    split_lines,
)
from friendlygov.rules.schedule import appendix_column_problems
from friendlygov.rules.slips import Slip, apply_slips, find_slips
from friendlygov.rules.slips import choose as choose_slips
from friendlygov.rules.slips import describe as describe_slip

DATE_HELP = _("Ngày/tháng/năm, ví dụ 15/02/2026.")


def _date_field(label: Any, required: bool = True) -> VnDateField:
    return date_field(label, required=required, help_text=DATE_HELP)


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _mutable(data: Any) -> Any:
    """A changeable copy of a bound form's data (a QueryDict keeps its lists)."""
    return data.copy() if isinstance(data, QueryDict) else dict(data)


class PlanForm(VersionMixin):
    number = forms.CharField(
        label=_("Số kế hoạch"), max_length=60, required=False, help_text=_("Ví dụ 52/KH-UBND")
    )
    issued_on = _date_field(_("Ngày ban hành"), required=False)
    confirm_out_of_order = forms.BooleanField(
        label=_("Xác nhận cấp số không theo thứ tự ngày"),
        required=False,
        help_text=_(
            "Chỉ đánh dấu khi đã kiểm tra sổ văn bản: số lớn hơn mang ngày sớm hơn một số đã ban hành "
            "(hoặc ngược lại). Việc xác nhận được ghi vào nhật ký."
        ),
    )
    title = forms.CharField(label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    start_year = year_field(_("Từ năm"))
    end_year = year_field(_("Đến năm"))
    open_ended = forms.BooleanField(label=_("… và những năm tiếp theo"), required=False)
    bases = forms.CharField(
        label=_("Căn cứ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một văn bản căn cứ."),
    )
    communication_texts = forms.CharField(
        label=_("Văn bản trọng tâm tuyên truyền (mục III.1)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Mỗi dòng một văn bản, ghi đúng như trong kế hoạch («Đề án số 04-ĐA/TU ngày 14/01/2026 …»)."
        ),
    )
    purposes = forms.CharField(label=_("Mục đích"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(
        label=_("Yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    targets_text = forms.CharField(
        label=_("Mục tiêu mức độ theo năm"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "2026: 3\n2027-2029: 3 — phấn đấu nâng mức\n2030: 4"}
        ),
        help_text=_(
            "Mỗi dòng «năm: mức — ghi chú»; có thể ghi khoảng năm, ví dụ «2027-2029: 3 — phấn đấu nâng mức»."
        ),
    )
    budget_sources = forms.CharField(
        label=_("Nguồn kinh phí"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một nguồn."),
    )
    duties_text = forms.CharField(
        label=_("Tổ chức thực hiện (trách nhiệm của các cơ quan)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Dán nguyên mục V của kế hoạch: dòng đánh số là tên cơ quan (ví dụ «2. Phòng Văn hóa - Xã hội»), "
            "các dòng dưới là nhiệm vụ của cơ quan đó."
        ),
    )

    slips_reviewed = forms.BooleanField(widget=forms.HiddenInput, required=False)

    # the pasted text fields where typing slips are looked for (rules.slips)
    SLIP_FIELDS = (
        "title",
        "bases",
        "communication_texts",
        "purposes",
        "requirements",
        "targets_text",
        "budget_sources",
        "duties_text",
    )

    def __init__(self, *args: Any, plan: Plan | None = None, **kwargs: Any) -> None:
        if plan is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(plan)
        super().__init__(*args, **kwargs)
        # Typing slips are offered, never corrected silently: the first save shows them (nothing saved); the
        # next applies only the ones ticked ("slip" = "<field>|<key>") and names both kinds in the audit.
        self.slips: list[tuple[str, Slip]] = []
        self.corrections: list[str] = []
        if not self.is_bound:
            return
        offered = [
            (name, slip) for name in self.SLIP_FIELDS for slip in find_slips(str(self.data.get(name) or ""))
        ]
        if not offered:
            return
        if not self.data.get("slips_reviewed"):
            self.slips = offered
            return
        data = _mutable(self.data)
        ticked = set(data.getlist("slip")) if hasattr(data, "getlist") else set(data.get("slip") or ())
        for name in self.SLIP_FIELDS:
            mine = [slip for field, slip in offered if field == name]
            keys = {t.split("|", 1)[1] for t in ticked if t.startswith(name + "|")}
            accepted, refused = choose_slips(mine, keys)
            if accepted:
                data[name] = apply_slips(str(data.get(name) or ""), accepted)
            label = str(self.fields[name].label)
            self.corrections += [f"{label}: sửa {describe_slip(s)}" for s in accepted]
            self.corrections += [f"{label}: giữ nguyên {describe_slip(s)}" for s in refused]
        self.data = data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.slips:
            data = _mutable(self.data)
            data["slips_reviewed"] = "True"  # the page shown again carries the choice to the next save
            self.data = data
            raise ValidationError(
                _(
                    "Có %(n)s chỗ có thể gõ nhầm (xem danh sách bên dưới). Không có gì được sửa tự động: đánh "
                    "dấu những chỗ muốn sửa (chỗ không đánh dấu được giữ nguyên) rồi bấm Lưu lại."
                )
                % {"n": len(self.slips)}
            )
        return cleaned

    @staticmethod
    def initial_for(plan: Plan) -> dict[str, Any]:
        return {
            "version": plan.version,
            "number": plan.number,
            "issued_on": plan.issued_on,
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "open_ended": plan.open_ended,
            "bases": "\n".join(plan.bases),
            "communication_texts": "\n".join(plan.communication_texts),
            "purposes": plan.purposes,
            "requirements": plan.requirements,
            "budget_sources": "\n".join(plan.budget_sources),
            "targets_text": format_targets(
                [TargetLine(t.year, t.level_code, t.note) for t in plan.targets.all()]
            ),
            "duties_text": format_duties([DutyLine(d.body_text, d.text) for d in plan.duties.all()]),
        }

    def clean_targets_text(self) -> list[TargetLine]:
        try:
            return parse_targets(self.cleaned_data.get("targets_text") or "")
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["targets"]) from exc

    def clean_duties_text(self) -> list[DutyLine]:
        return parse_duties(self.cleaned_data.get("duties_text") or "")

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "number": data["number"],
            "issued_on": data["issued_on"],
            "title": data["title"],
            "start_year": data["start_year"],
            "end_year": data["end_year"],
            "open_ended": data["open_ended"],
            "bases": split_lines(data["bases"]),
            "communication_texts": split_lines(data["communication_texts"]),
            "purposes": data["purposes"],
            "requirements": data["requirements"],
            "budget_sources": split_lines(data["budget_sources"]),
            "targets": data["targets_text"],
            "duties": data["duties_text"],
            "confirm_out_of_order": bool(data.get("confirm_out_of_order")),
            "corrections": list(self.corrections),
        }


class ReviseForm(PlanForm):
    revision_note = forms.CharField(
        label=_("Nội dung sửa đổi"),
        max_length=500,
        help_text=_(
            "Ví dụ: «Điều chỉnh theo Kế hoạch số 20/KH-UBND ngày 10/3/2027: nâng mục tiêu năm 2028 lên mức 4»."
        ),
    )


class AppendixForm(VersionMixin):
    text = forms.CharField(
        label=_("Dán bảng phụ lục"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=_(
            "Chọn cả bảng trong Word hoặc Excel (từ dòng tiêu đề STT … Cơ quan phối hợp) rồi dán vào đây. "
            "Dòng trống, tiêu đề lặp ở đầu trang và dòng nối tiếp được tự xử lý."
        ),
    )
    upload = forms.FileField(
        label=_("Hoặc tải tệp lên"),
        required=False,
        help_text=_("Tệp .tsv, .txt (UTF-8), .xlsx, .csv hoặc .docx có bảng phụ lục."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload:
            try:
                data["text"] = appendix_text_from_upload(upload.read(), upload.name or "")
            except ValidationError as exc:
                self.add_error("upload", exc.message_dict.get("upload", exc.messages))
                return data
        if not (data.get("text") or "").strip() and not self.errors:
            self.add_error("text", _("Chưa có nội dung phụ lục: hãy dán bảng hoặc tải tệp lên."))
        elif not self.errors and (problems := appendix_column_problems(data["text"])):
            self.add_error("upload" if upload else "text", problems)
        return data


class AppendixConfirmForm(VersionMixin):
    text = forms.CharField(widget=forms.HiddenInput)


MAX_BODY_NAMES = 200


class BodyNamesForm(forms.Form):
    """For each body name the appendix reader did not recognise, the unit's body it means (or none)."""

    body_name_count = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, unit: Any, names: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if names is None:
            raw = str(self.data.get("body_name_count") or "0")
            count = min(int(raw), MAX_BODY_NAMES) if raw.isdigit() else 0
            names = [str(self.data.get(f"body_name_{i}", "")) for i in range(count)]
        self.names = names[:MAX_BODY_NAMES]
        self.fields["body_name_count"].initial = len(self.names)
        bodies = Body.objects.filter(unit=unit, is_active=True).order_by("position", "name")
        for i, name in enumerate(self.names):
            self.fields[f"body_name_{i}"] = forms.CharField(
                widget=forms.HiddenInput, initial=name, max_length=300
            )
            self.fields[f"body_for_{i}"] = forms.ModelChoiceField(
                label=name, queryset=bodies, required=False, empty_label=_("— để nguyên, chưa gán —")
            )

    def rows(self) -> list[tuple[str, forms.BoundField]]:
        return [(name, self[f"body_for_{i}"]) for i, name in enumerate(self.names)]

    def mapping(self) -> dict[str, Body]:
        chosen: dict[str, Body] = {}
        for i in range(len(self.names)):
            body = self.cleaned_data.get(f"body_for_{i}")
            name = (self.cleaned_data.get(f"body_name_{i}") or "").strip()
            if body is not None and name:
                chosen[name] = body
        return chosen


class TaskForm(VersionMixin):
    number = forms.CharField(label=_("STT"), max_length=20)
    section = forms.CharField(label=_("Mục"), max_length=300, required=False)
    text = forms.CharField(label=_("Nhiệm vụ cụ thể"), widget=forms.Textarea(attrs={"rows": 4}))
    time_phrase = forms.CharField(
        label=_("Thời gian thực hiện"),
        max_length=300,
        required=False,
        help_text=_(
            "Ví dụ: «Hằng năm», «Trước ngày 15/02 hằng năm», «Tháng 12 hằng năm», «Quý I, III hằng năm», "
            "«6 tháng đầu năm», «Hằng quý», «Thường xuyên», «Năm 2027 và năm 2030», «Trước ngày 30/6/2027»."
        ),
    )
    lead_body = forms.ModelChoiceField(
        label=_("Cơ quan chủ trì"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("— chưa xác định (đầu mối theo dõi) —"),
    )
    lead_text = forms.CharField(label=_("Chủ trì (như ghi trong phụ lục)"), max_length=300, required=False)
    coordinators = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"),
        queryset=Body.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    coordinator_texts = forms.CharField(
        label=_("Phối hợp khác (tên chưa nhận ra, mỗi dòng một tên)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = VnDecimalField(
        label=_("Trọng số"), min_value=Decimal("0.01"), max_value=Decimal(1000), decimal_places=2
    )
    is_active = forms.BooleanField(label=_("Đang theo dõi"), required=False)

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": task.version,
                "number": task.number,
                "section": task.section,
                "text": task.text,
                "time_phrase": task.time_phrase,
                "lead_body": task.lead_body_id,
                "lead_text": task.lead_text,
                "coordinators": list(task.coordinators.values_list("pk", flat=True)),
                "coordinator_texts": "\n".join(task.coordinator_texts),
                "weight": task.weight,
                "is_active": task.is_active,
            },
        )
        super().__init__(*args, **kwargs)
        bodies = Body.objects.filter(unit=task.plan.unit, is_active=True)
        self.fields["lead_body"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["coordinators"].queryset = bodies  # type: ignore[attr-defined]


class TaskBindingForm(VersionMixin):
    """The events that show a task done, and the yearly count of activities."""

    event_kinds = forms.MultipleChoiceField(
        label=_("Hoàn thành khi"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Chọn một hoặc nhiều sự kiện; nhiệm vụ của năm hoàn thành khi tất cả đã diễn ra trong năm. "
            "Không chọn gì: tiến độ do cơ quan chủ trì tự cập nhật."
        ),
    )
    yearly_count = VnIntegerField(
        label=_("Số hoạt động cần đạt mỗi năm"),
        min_value=1,
        max_value=1000,
        help_text=_(
            "Dùng cho hoạt động tuyên truyền và bình xét thôn văn hóa: đủ số này trong năm là hoàn thành."
        ),
    )

    def __init__(self, *args: Any, task: Task, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": task.version,
                "event_kinds": list(task.event_kinds),
                "yearly_count": task.yearly_count,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["event_kinds"].choices = choices  # type: ignore[attr-defined]


class OccurrenceForm(VersionMixin):
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=Occurrence.Status.choices, widget=forms.RadioSelect
    )
    percent = VnIntegerField(
        label=_("Tiến độ (%)"),
        required=False,
        min_value=0,
        max_value=100,
        unit="%",
        grouping=False,
        help_text=_("Chỉ khi đang thực hiện (1–99, mặc định 50). Chưa thực hiện là 0%, hoàn thành là 100%."),
    )
    note = forms.CharField(
        label=_("Ghi chú kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("Tệp minh chứng"),
        required=False,
        help_text=_("PDF, ảnh, Word hoặc Excel; giới hạn dung lượng theo hệ thống."),
    )
    effective_date = _date_field(_("Ngày hiệu lực của minh chứng"), required=False)
    evidence_title = forms.CharField(label=_("Tên minh chứng"), max_length=300, required=False)

    def __init__(self, *args: Any, can_cancel: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_cancel:
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                c for c in Occurrence.Status.choices if c[0] != Occurrence.Status.CANCELLED
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("file") and not data.get("effective_date"):
            self.add_error(
                "effective_date", _("Hãy ghi ngày hiệu lực của minh chứng (ngày ký, ngày tổ chức…).")
            )
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp minh chứng"))
    effective_date = _date_field(_("Ngày hiệu lực"))
    title = forms.CharField(label=_("Tên minh chứng"), max_length=300, required=False)


class ContributionForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Cơ quan phối hợp"), queryset=Body.objects.none())
    note = forms.CharField(label=_("Nội dung đã phối hợp"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Tệp minh chứng (nếu có)"), required=False)
    effective_date = _date_field(_("Ngày hiệu lực của minh chứng"), required=False)

    def __init__(self, *args: Any, bodies: list[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(pk__in=[b.pk for b in bodies])  # type: ignore[attr-defined]
        if len(bodies) == 1:
            self.fields["body"].initial = bodies[0].pk


class ReturnForm(VersionMixin):
    reason = forms.CharField(
        label=_("Lý do trả lại, nội dung cần bổ sung"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ObstacleForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Cơ quan báo cáo"), queryset=Body.objects.none())
    task = forms.ModelChoiceField(
        label=_("Nhiệm vụ liên quan"),
        queryset=Task.objects.none(),
        required=False,
        empty_label=_("— chung cho chương trình —"),
    )
    text = forms.CharField(label=_("Nội dung khó khăn, vướng mắc"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, bodies: list[Body], tasks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(pk__in=[b.pk for b in bodies])  # type: ignore[attr-defined]
        if len(bodies) == 1:
            self.fields["body"].initial = bodies[0].pk
        self.fields["task"].queryset = tasks  # type: ignore[attr-defined]


class ForwardForm(forms.Form):
    obstacles = forms.ModelMultipleChoiceField(
        label=_("Các vướng mắc tổng hợp"),
        queryset=Obstacle.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Ý kiến tổng hợp, đề xuất"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["obstacles"].queryset = queryset  # type: ignore[attr-defined]


class AnswerForm(VersionMixin):
    answer = forms.CharField(label=_("Ý kiến trả lời, chỉ đạo"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(VersionMixin):
    note = forms.CharField(
        label=_("Ghi chú khi đóng"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
