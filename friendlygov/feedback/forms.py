from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from friendlygov.feedback.models import STAFF_CHANNELS, ContactRequest, Feedback, FeedbackState, StateType
from friendlygov.kit.entry_keys import ENTRY_KEY_RE, new_entry_key
from friendlygov.kit.fields import VnDateField, VnIntegerField
from friendlygov.org.models import Body, Unit

HONEYPOT = "trang_web"  # a field people never see; bots fill it


class SubmitForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("Ông/bà phản ánh về"), choices=Feedback.Topic.choices, widget=forms.RadioSelect
    )
    subject = forms.CharField(
        label=_("Tiêu đề"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Nêu rõ sự việc, thời gian, nơi xảy ra. Không cần ghi thông tin cá nhân vào đây."),
    )
    procedure_ref = forms.CharField(
        label=_("Thủ tục hoặc số hồ sơ liên quan (nếu có)"),
        max_length=200,
        required=False,
    )
    contact_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    contact_email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email", "type": "email"}),
    )
    contact_address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    consent = forms.BooleanField(label=_("Tôi đồng ý với nội dung trên"), required=False)
    about_body = forms.ModelChoiceField(
        label=_("Cơ quan, bộ phận bị phản ánh (nếu có)"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("— không rõ hoặc không phản ánh về cơ quan cụ thể —"),
        help_text=_("Phản ánh về một cơ quan thì cơ quan đó không tự xử lý phản ánh này."),
    )
    trang_web = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "contact_address")

    def __init__(self, *args: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["about_body"].queryset = (  # type: ignore[attr-defined]
            Body.objects.filter(unit=unit, is_active=True) if unit is not None else Body.objects.none()
        )


class RecordForm(SubmitForm):
    """Feedback received on paper, by phone, in person or at a meeting, typed in by staff."""

    topic = forms.ChoiceField(
        label=_("Nội dung phản ánh về"), choices=Feedback.Topic.choices, widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"), choices=[(c.value, c.label) for c in STAFF_CHANNELS]
    )
    received_on = VnDateField(
        label=_("Ngày tiếp nhận"),
        help_text=_("Thời hạn xử lý tính từ ngày này."),
    )
    consent = forms.BooleanField(
        label=_("Người dân đồng ý để đơn vị lưu thông tin liên hệ (đã được đọc hoặc nghe nội dung trên)"),
        required=False,
    )
    trang_web = None  # type: ignore[assignment]  # no honeypot: staff are logged in
    #: Made when the form is shown: the same form posted again (a retry) is not stored twice.
    entry_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    field_order = ["channel", "received_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["entry_key"] = new_entry_key()

    def clean_entry_key(self) -> str:
        """A key this page did not make (altered by hand) is dropped rather than blocking the entry."""
        key = (self.cleaned_data.get("entry_key") or "").strip()
        return key if ENTRY_KEY_RE.match(key) else ""


class TrackForm(forms.Form):
    ma = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Ông/bà có hài lòng với câu trả lời không?"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("Rất hài lòng")),
            (4, _("Hài lòng")),
            (3, _("Bình thường")),
            (2, _("Không hài lòng")),
            (1, _("Rất không hài lòng")),
        ],
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do mở lại"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    classification = forms.ChoiceField(
        label=_("Phân loại"),
        required=False,
        choices=[("", _("— chưa phân loại —")), *Feedback.Classification.choices],
    )
    body = forms.ModelChoiceField(
        label=_("Giao cho cơ quan"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("— chưa giao —"),
    )
    about_body = forms.ModelChoiceField(
        label=_("Phản ánh về cơ quan, bộ phận"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("— không về cơ quan cụ thể —"),
        help_text=_(
            "Không giao phản ánh cho chính cơ quan bị phản ánh; để trống ô giao thì đầu mối chương trình xử lý."
        ),
    )
    note = forms.CharField(label=_("Ghi chú nội bộ"), required=False, max_length=1000)

    field_order = ["version", "classification", "about_body", "body", "note"]

    def __init__(self, *args: Any, unit: Unit, may_assign: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(unit=unit, is_active=True)  # type: ignore[attr-defined]
        self.fields["about_body"].queryset = Body.objects.filter(unit=unit, is_active=True)  # type: ignore[attr-defined]
        if not may_assign:  # the assigned body's members may correct the classification only
            self.fields["body"].disabled = True
            self.fields["body"].help_text = _("Chỉ đầu mối chương trình giao lại cho cơ quan khác.")
            self.fields["about_body"].disabled = True


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    state = forms.ModelChoiceField(label=_("Chuyển sang trạng thái"), queryset=FeedbackState.objects.none())
    message = forms.CharField(
        label=_("Thông báo cho người dân"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Để trống để dùng câu trả lời mẫu của trạng thái. Người dân xem được trên trang tra cứu."
        ),
    )
    note = forms.CharField(
        label=_("Ghi chú nội bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, feedback: Feedback, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from friendlygov.feedback.models import ALLOWED_TRANSITIONS

        allowed = [t for t in ALLOWED_TRANSITIONS.get(feedback.state.type, ()) if t != StateType.ANSWERED]
        self.fields["state"].queryset = FeedbackState.objects.filter(  # type: ignore[attr-defined]
            unit=feedback.unit, is_active=True, type__in=allowed
        ).exclude(pk=feedback.state_id)


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("Câu trả lời cho người dân"), widget=forms.Textarea(attrs={"rows": 6}))
    publish = forms.BooleanField(
        label=_("Công khai câu trả lời trên trang của đơn vị (không kèm thông tin cá nhân)"), required=False
    )
    public_summary = forms.CharField(
        label=_("Tóm tắt câu hỏi để công khai"),
        max_length=300,
        required=False,
        help_text=_("Viết lại ngắn gọn, không có tên, số điện thoại, địa chỉ. Để trống thì dùng tiêu đề."),
    )
    note = forms.CharField(
        label=_("Ghi chú nội bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnAnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Lý do trả lại (gửi người xử lý, người dân không xem được)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApprovalSettingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    leader_approval = forms.BooleanField(
        label=_("Lãnh đạo duyệt câu trả lời trước khi gửi người dân"),
        required=False,
        help_text=_(
            "Khi bật, câu trả lời của người xử lý chờ lãnh đạo UBND duyệt; người dân chỉ nhận được sau khi duyệt."
        ),
    )


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    publish = forms.BooleanField(required=False)
    public_summary = forms.CharField(label=_("Tóm tắt câu hỏi để công khai"), max_length=300, required=False)


class SettingsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    retention_days = VnIntegerField(
        label=_("Thời hạn lưu thông tin liên hệ (ngày)"),
        min_value=30,
        max_value=3650,
        help_text=_("Tính từ ngày phản ánh được giải quyết xong; hết hạn, thông tin liên hệ tự động bị xóa."),
    )


class StateForm(forms.ModelForm[FeedbackState]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    position = VnIntegerField(label=_("Thứ tự"), min_value=0, initial=0, grouping=False)

    class Meta:
        model = FeedbackState
        fields = ["name", "type", "reply_template", "position", "is_active"]
        widgets = {"reply_template": forms.Textarea(attrs={"rows": 3})}


class ContactRequestForm(forms.Form):
    code = forms.CharField(label=_("Mã tra cứu của phản ánh"), max_length=20)
    verification = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử người dân đã cung cấp"),
        max_length=254,
        help_text=_("Dùng để xác minh đúng là người đã gửi phản ánh."),
    )
    kind = forms.ChoiceField(
        label=_("Yêu cầu"), choices=ContactRequest.Kind.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Ghi chú (cách người dân gửi yêu cầu, …)"), max_length=300, required=False)
