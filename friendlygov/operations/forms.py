from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from friendlygov.kit.fields import VnDateField, VnIntegerField, year_field
from friendlygov.kit.fields import date_field as vn_date_field
from friendlygov.operations.models import (
    BudgetLine,
    BudgetSource,
    CommunicationActivity,
    CommunicationKind,
    Conference,
    CouncilMeeting,
    Nomination,
    ProgrammeReview,
    RewardForm,
    Shortfall,
    SignatureRequest,
    VillageReview,
    VillageReviewItem,
    VoteChoice,
)
from friendlygov.org.models import Body, Unit
from friendlygov.plans.models import Task

DATE_HELP = _("Ngày/tháng/năm, ví dụ 15/03/2026.")
PLACES = [
    "Cổng trụ sở UBND xã",
    "Khuôn viên trụ sở UBND xã",
    "Trung tâm Phục vụ hành chính công xã",
    "Hội trường UBND xã",
    "Nhà văn hóa thôn",
    "Đài truyền thanh xã",
    "Trang thông tin điện tử xã",
    "Nhóm Zalo của xã",
    "Trang Facebook của xã",
]


def date_field(label: Any, required: bool = True, help_text: Any = DATE_HELP) -> VnDateField:
    return vn_date_field(
        label, required=required, help_text=help_text, error_messages={"required": _("Chưa nhập ngày.")}
    )


class VndField(VnIntegerField):
    """An amount in đồng written the Vietnamese way: "1.500.000", "1 500 000" or "1500000 đồng"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 10**16 - 1)
        super().__init__(unit="đồng", **kwargs)
        self.widget.attrs.setdefault("placeholder", "1.500.000")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _bodies(unit: Unit) -> Any:
    return Body.objects.filter(unit=unit, is_active=True)


class TaskChoiceField(forms.ModelChoiceField[Task]):
    def label_from_instance(self, obj: Task) -> str:
        return f"{obj.number}. {obj.text[:90]}"


class TaskMultipleChoiceField(forms.ModelMultipleChoiceField[Task]):
    def label_from_instance(self, obj: Task) -> str:
        return f"{obj.number}. {obj.text[:90]}"


def _task_field(tasks: list[Any]) -> forms.ModelChoiceField[Task]:
    return TaskChoiceField(
        label=_("Nhiệm vụ của kế hoạch"),
        required=False,
        queryset=Task.objects.filter(pk__in=[t.pk for t in tasks]),
        empty_label=_("— không gắn nhiệm vụ —"),
    )


# ------------------------------------------------------------------------------------ communication


class ActivityForm(VersionForm):
    kind = forms.ChoiceField(
        label=_("Hình thức tuyên truyền"), choices=[("", "—"), *CommunicationKind.choices]
    )
    title = forms.CharField(label=_("Nội dung tuyên truyền"), max_length=300)
    held_on = date_field(_("Ngày thực hiện"))
    place = forms.CharField(
        label=_("Địa điểm, kênh"),
        max_length=300,
        widget=forms.TextInput(attrs={"list": "place-suggestions"}),
        help_text=_(
            "Ví dụ: Cổng trụ sở UBND xã; Trung tâm Phục vụ hành chính công; Nhà văn hóa thôn Tháp Ngạn; nhóm Zalo của xã."
        ),
    )
    body = forms.ModelChoiceField(label=_("Cơ quan thực hiện"), queryset=Body.objects.none())
    audience = forms.CharField(
        label=_("Đối tượng"),
        max_length=300,
        required=False,
        help_text=_("Ví dụ: đảng viên, cán bộ, công chức; Nhân dân thôn Hòa Bình."),
    )
    reach = VnIntegerField(label=_("Số lượt người được tuyên truyền"), min_value=0, initial=0, required=False)
    cost = VndField(label=_("Kinh phí (đồng)"), required=False)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    task = forms.ModelChoiceField(
        label=_("Nhiệm vụ của kế hoạch"), queryset=Body.objects.none(), required=False
    )
    criterion_code = forms.CharField(
        label=_("Mã tiêu chí minh chứng"),
        max_length=30,
        required=False,
        help_text=_("Mã trong bộ tiêu chí của năm, ví dụ 2.3 (để trống nếu không có)."),
    )
    photos = MultipleFileField(
        label=_("Ảnh hoặc tệp PDF"), help_text=_("Chọn một hoặc nhiều ảnh (JPG, PNG) hoặc PDF.")
    )

    def __init__(self, *args: Any, unit: Unit, bodies: list[Body], tasks: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(pk__in=[b.pk for b in bodies])  # type: ignore[attr-defined]
        self.fields["task"] = _task_field(tasks)
        self.fields["photos"].widget.attrs["accept"] = "image/*,application/pdf"

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in (
                "kind",
                "title",
                "held_on",
                "place",
                "body",
                "audience",
                "reach",
                "cost",
                "description",
                "task",
                "criterion_code",
            )
        } | {"reach": data.get("reach") or 0, "cost": data.get("cost") or 0}

    @staticmethod
    def initial_for(activity: CommunicationActivity) -> dict[str, Any]:
        return {
            "kind": activity.kind,
            "title": activity.title,
            "held_on": activity.held_on,
            "place": activity.place,
            "body": activity.body_id,
            "audience": activity.audience,
            "reach": activity.reach,
            "cost": activity.cost,
            "description": activity.description,
            "task": activity.task_id,
            "criterion_code": activity.criterion_code,
            "version": activity.version,
        }


# ------------------------------------------------------------------------------------------ villages


class ReviewItemForm(VersionForm):
    text = forms.CharField(
        label=_("Nội dung bình xét"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: Không có người dân phản ánh về thái độ của cán bộ thôn."),
    )
    criterion_code = forms.CharField(label=_("Mã tiêu chí liên quan"), max_length=30, required=False)
    position = VnIntegerField(label=_("Thứ tự"), min_value=0, required=False, grouping=False)
    is_active = forms.BooleanField(label=_("Đang áp dụng"), required=False, initial=True)

    @staticmethod
    def initial_for(item: VillageReviewItem) -> dict[str, Any]:
        return {
            "text": item.text,
            "criterion_code": item.criterion_code,
            "position": item.position,
            "is_active": item.is_active,
            "version": item.version,
        }


RESULT_CHOICES = [("", _("Chưa đánh giá")), ("1", _("Đạt")), ("0", _("Chưa đạt"))]


class VillageReviewForm(VersionForm):
    title_result = forms.ChoiceField(
        label=_("Kết quả danh hiệu “Thôn văn hóa”"), choices=VillageReview.Title.choices
    )
    reviewed_on = date_field(_("Ngày bình xét"), required=False)
    households_total = VnIntegerField(label=_("Tổng số hộ của thôn"), min_value=0, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.FileField(label=_("Biên bản bình xét (PDF, ảnh, Word)"), required=False)

    def __init__(self, *args: Any, items: list[VillageReviewItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=item.text, choices=RESULT_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Ghi chú"), max_length=500, required=False
            )

    def item_rows(self) -> list[tuple[VillageReviewItem, Any, Any]]:
        return [(item, self[f"result_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def results(self) -> dict[int, tuple[bool | None, str]]:
        data = self.cleaned_data
        out: dict[int, tuple[bool | None, str]] = {}
        for item in self.items:
            raw = data.get(f"result_{item.pk}") or ""
            out[item.pk] = ({"1": True, "0": False}.get(raw), data.get(f"note_{item.pk}") or "")
        return out

    @staticmethod
    def initial_for(review: VillageReview | None) -> dict[str, Any]:
        if review is None:
            return {"title_result": VillageReview.Title.PENDING, "version": 0}  # 0: no review yet
        initial: dict[str, Any] = {
            "title_result": review.title_result,
            "reviewed_on": review.reviewed_on,
            "households_total": review.households_total,
            "note": review.note,
            "version": review.version,
        }
        for r in review.results.all():
            initial[f"result_{r.item_id}"] = "" if r.met is None else ("1" if r.met else "0")
            initial[f"note_{r.item_id}"] = r.note
        return initial


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV (UTF-8)"))


# -------------------------------------------------------------------------------------------- budget


class BudgetLineForm(VersionForm):
    title = forms.CharField(label=_("Nội dung chi"), max_length=300)
    activity_kind = forms.ChoiceField(
        label=_("Hình thức tuyên truyền"),
        required=False,
        choices=[("", _("— không thuộc hình thức nào —")), *CommunicationKind.choices],
    )
    task = forms.ModelChoiceField(
        label=_("Nhiệm vụ của kế hoạch"), queryset=Body.objects.none(), required=False
    )
    source = forms.ChoiceField(label=_("Nguồn kinh phí"), choices=[("", "—"), *BudgetSource.choices])
    source_note = forms.CharField(label=_("Ghi rõ nguồn"), max_length=200, required=False)
    estimated = VndField(label=_("Dự toán đề nghị (đồng)"))
    approved = VndField(
        label=_("Được phê duyệt (đồng)"), required=False, help_text=_("Để trống khi chưa được giao dự toán.")
    )
    approval_ref = forms.CharField(label=_("Quyết định giao dự toán"), max_length=200, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)
    position = VnIntegerField(label=_("Thứ tự"), min_value=0, required=False, grouping=False)

    def __init__(self, *args: Any, tasks: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"] = _task_field(tasks)

    def service_fields(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data.get(k)
            for k in (
                "title",
                "activity_kind",
                "task",
                "source",
                "source_note",
                "estimated",
                "approved",
                "approval_ref",
                "note",
            )
        }

    @staticmethod
    def initial_for(line: BudgetLine) -> dict[str, Any]:
        return {
            k: getattr(line, k)
            for k in (
                "title",
                "activity_kind",
                "source",
                "source_note",
                "estimated",
                "approved",
                "approval_ref",
                "note",
                "position",
                "version",
            )
        } | {"task": line.task_id}


class SpendingForm(VersionForm):
    line = forms.ModelChoiceField(label=_("Dòng dự toán"), queryset=BudgetLine.objects.none())
    spent_on = date_field(_("Ngày chi"))
    amount = VndField(label=_("Số tiền (đồng)"))
    description = forms.CharField(label=_("Nội dung chi"), max_length=300)
    voucher = forms.CharField(label=_("Số chứng từ"), max_length=100, required=False)
    activity = forms.ModelChoiceField(
        label=_("Cho hoạt động tuyên truyền"),
        queryset=CommunicationActivity.objects.none(),
        required=False,
        empty_label=_("— không gắn hoạt động —"),
    )
    upload = forms.FileField(label=_("Chứng từ (PDF, ảnh)"), required=False)

    def __init__(self, *args: Any, unit: Unit, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = BudgetLine.objects.filter(unit=unit, year=year)  # type: ignore[attr-defined]
        self.fields["activity"].queryset = CommunicationActivity.objects.filter(unit=unit, held_on__year=year)  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data.get(k) for k in ("spent_on", "amount", "description", "voucher", "activity")
        }


# ------------------------------------------------------------------------------------------- rewards


class NominationForm(VersionForm):
    nominee_kind = forms.ChoiceField(
        label=_("Đối tượng"), choices=Nomination.NomineeKind.choices, widget=forms.RadioSelect
    )
    nominee_name = forms.CharField(
        label=_("Tên cá nhân, tập thể"),
        max_length=200,
        required=False,
        help_text=_("Với tập thể là một cơ quan, thôn: có thể để trống và chọn ở dưới."),
    )
    position_title = forms.CharField(label=_("Chức vụ, nơi công tác"), max_length=200, required=False)
    body = forms.ModelChoiceField(
        label=_("Cơ quan, thôn (của cá nhân hoặc là tập thể)"), queryset=Body.objects.none(), required=False
    )
    proposed_by_body = forms.ModelChoiceField(label=_("Cơ quan đề nghị"), queryset=Body.objects.none())
    achievements = forms.CharField(label=_("Thành tích"), widget=forms.Textarea(attrs={"rows": 5}))
    proposed_form = forms.ChoiceField(label=_("Hình thức đề nghị"), choices=RewardForm.choices)
    activities = forms.ModelMultipleChoiceField(
        label=_("Hoạt động tuyên truyền liên quan"),
        required=False,
        queryset=CommunicationActivity.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    tasks = TaskMultipleChoiceField(
        label=_("Nhiệm vụ kế hoạch liên quan"),
        required=False,
        queryset=Task.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    uploads = MultipleFileField(label=_("Minh chứng thành tích (PDF, ảnh, Word)"))

    def __init__(
        self, *args: Any, unit: Unit, year: int, proposers: list[Body], tasks: list[Any], **kwargs: Any
    ) -> None:
        from friendlygov.plans.models import Task

        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _bodies(unit)  # type: ignore[attr-defined]
        self.fields["proposed_by_body"].queryset = Body.objects.filter(pk__in=[b.pk for b in proposers])  # type: ignore[attr-defined]
        activities = CommunicationActivity.objects.filter(unit=unit, held_on__year=year)
        self.fields["activities"].queryset = activities  # type: ignore[attr-defined]
        self.fields["tasks"].queryset = Task.objects.filter(pk__in=[t.pk for t in tasks])  # type: ignore[attr-defined]
        if len(proposers) == 1:
            self.fields["proposed_by_body"].initial = proposers[0].pk

    def service_fields(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data.get(k)
            for k in (
                "nominee_kind",
                "nominee_name",
                "position_title",
                "body",
                "achievements",
                "proposed_form",
            )
        }

    @staticmethod
    def initial_for(n: Nomination) -> dict[str, Any]:
        return {
            k: getattr(n, k)
            for k in (
                "nominee_kind",
                "nominee_name",
                "position_title",
                "achievements",
                "proposed_form",
                "version",
            )
        } | {
            "body": n.body_id,
            "proposed_by_body": n.proposed_by_body_id,
            "activities": [a.pk for a in n.activities.all()],
            "tasks": [t.pk for t in n.tasks.all()],
        }


class CouncilMeetingForm(forms.Form):
    held_on = date_field(_("Ngày họp"))
    place = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)
    chair = forms.CharField(label=_("Chủ trì"), max_length=200, required=False)
    members = forms.CharField(
        label=_("Thành viên Hội đồng"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mỗi dòng một người: «Họ tên — chức vụ»."),
    )
    nominations = forms.ModelMultipleChoiceField(
        label=_("Các đề nghị được xét"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.FileField(label=_("Biên bản họp"), required=False)

    def __init__(self, *args: Any, unit: Unit, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = Nomination.objects.filter(  # type: ignore[attr-defined]
            unit=unit, year=year
        ).exclude(status=Nomination.Status.AWARDED)


class VotesForm(VersionForm):
    def __init__(self, *args: Any, meeting: CouncilMeeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = list(meeting.members.all())
        for member in self.members:
            self.fields[f"vote_{member.pk}"] = forms.ChoiceField(
                label=str(member),
                choices=VoteChoice.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Chưa ghi biểu quyết của %(name)s.") % {"name": member.name}},
            )

    def votes(self) -> dict[int, str]:
        return {
            m.pk: self.cleaned_data[f"vote_{m.pk}"]
            for m in self.members
            if self.cleaned_data.get(f"vote_{m.pk}")
        }


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định"), max_length=60, help_text=_("Ví dụ 215/QĐ-UBND"))
    signed_on = date_field(_("Ngày ký"))
    signer = forms.CharField(label=_("Người ký"), max_length=200, required=False)
    reward_form = forms.ChoiceField(label=_("Hình thức khen thưởng"), choices=RewardForm.choices)
    nominations = forms.ModelMultipleChoiceField(
        label=_("Cá nhân, tập thể được khen thưởng"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    upload = forms.FileField(label=_("Tệp quyết định (PDF)"), required=False)

    def __init__(self, *args: Any, unit: Unit, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = Nomination.objects.filter(  # type: ignore[attr-defined]
            unit=unit, year=year, status=Nomination.Status.PASSED
        )


class GoodPracticeForm(VersionForm):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    summary = forms.CharField(
        label=_("Nội dung công khai"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Nội dung này sẽ hiện trên trang công khai khi được công bố."),
    )
    body = forms.ModelChoiceField(label=_("Cơ quan, thôn"), queryset=Body.objects.none(), required=False)
    nomination = forms.ModelChoiceField(
        label=_("Đề nghị khen thưởng liên quan"), queryset=Nomination.objects.none(), required=False
    )
    activity = forms.ModelChoiceField(
        label=_("Hoạt động liên quan"), queryset=CommunicationActivity.objects.none(), required=False
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _bodies(unit)  # type: ignore[attr-defined]
        self.fields["nomination"].queryset = Nomination.objects.filter(unit=unit)  # type: ignore[attr-defined]
        self.fields["activity"].queryset = CommunicationActivity.objects.filter(unit=unit)  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in ("title", "summary", "body", "nomination", "activity")}


class ShortfallForm(VersionForm):
    body = forms.ModelChoiceField(label=_("Cơ quan, thôn"), queryset=Body.objects.none(), required=False)
    subject = forms.CharField(label=_("Hoặc tên đơn vị, cá nhân"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Lý do, biểu hiện chưa nghiêm túc"), widget=forms.Textarea(attrs={"rows": 3})
    )
    noted_on = date_field(_("Ngày ghi nhận"))
    status = forms.ChoiceField(label=_("Trạng thái"), choices=Shortfall.Status.choices, required=False)
    resolution_note = forms.CharField(
        label=_("Kết quả khắc phục"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _bodies(unit)  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in ("body", "subject", "reason", "noted_on")}


# ------------------------------------------------------------------------------------------- reviews


class OpenReviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=ProgrammeReview.Kind.choices)
    year = year_field(
        _("Năm"),
        required=False,
        help_text=_("Để trống: sơ kết năm 2027, tổng kết năm cuối của kế hoạch (2030)."),
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=300, required=False)


class SectionForm(VersionForm):
    title = forms.CharField(label=_("Tiêu đề mục"), max_length=300)
    text = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 10}))


class AddSectionForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề mục mới"), max_length=300)


# ------------------------------------------------------------------------------ conferences, signing


class ConferenceForm(VersionForm):
    title = forms.CharField(label=_("Tên hội nghị"), max_length=300)
    review = forms.ModelChoiceField(
        label=_("Thuộc đợt sơ kết, tổng kết"), queryset=ProgrammeReview.objects.none(), required=False
    )
    held_on = date_field(_("Ngày tổ chức"))
    start_time = forms.TimeField(
        label=_("Giờ bắt đầu"),
        required=False,
        input_formats=["%H:%M", "%Hh%M", "%Hh"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "08:00"}),
        error_messages={"invalid": _("Giờ không hợp lệ, ví dụ 08:00.")},
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=300)
    chair = forms.CharField(label=_("Chủ trì"), max_length=200, required=False)
    attendees = forms.CharField(label=_("Thành phần tham dự"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Trạng thái"), choices=Conference.Status.choices, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.FileField(label=_("Biên bản hội nghị"), required=False)

    def __init__(self, *args: Any, unit: Unit, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = ProgrammeReview.objects.filter(unit=unit)  # type: ignore[attr-defined]
        if not editing:
            del self.fields["status"]
            del self.fields["minutes"]

    def service_fields(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data.get(k)
            for k in ("title", "review", "held_on", "start_time", "place", "chair", "attendees", "note")
        }

    @staticmethod
    def initial_for(c: Conference) -> dict[str, Any]:
        return {
            k: getattr(c, k)
            for k in (
                "title",
                "held_on",
                "start_time",
                "place",
                "chair",
                "attendees",
                "status",
                "note",
                "version",
            )
        } | {"review": c.review_id}


class SignatureRequestForm(VersionForm):
    title = forms.CharField(
        label=_("Trích yếu văn bản"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    document_kind = forms.ChoiceField(
        label=_("Loại văn bản"), choices=[("", "—"), *SignatureRequest.DocumentKind.choices]
    )
    body = forms.ModelChoiceField(label=_("Cơ quan trình"), queryset=Body.objects.none(), required=False)
    upload = forms.FileField(label=_("Tệp văn bản (PDF, Word)"), required=False)
    link = forms.CharField(
        label=_("Hoặc đường dẫn đến văn bản"),
        max_length=500,
        required=False,
        help_text=_("Ví dụ đường dẫn trên hệ thống quản lý văn bản."),
    )
    note = forms.CharField(
        label=_("Ghi chú khi trình"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _bodies(unit)  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in ("title", "document_kind", "body", "link", "note")}


class DecideForm(VersionForm):
    decision = forms.ChoiceField(
        label=_("Ý kiến"),
        choices=[("signed", _("Đã ký")), ("returned", _("Trả lại"))],
        widget=forms.RadioSelect,
    )
    signed_on = date_field(_("Ngày ký"), required=False, help_text=_("Để trống là hôm nay."))
    reason = forms.CharField(
        label=_("Lý do trả lại"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
