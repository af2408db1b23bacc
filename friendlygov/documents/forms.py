from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from friendlygov.documents import builders
from friendlygov.documents.kinds import common
from friendlygov.documents.models import Kind
from friendlygov.kit.fields import VnDateField, VnIntegerField, year_field
from friendlygov.kit.params import year_param
from friendlygov.org.models import Unit


class RenderForm(forms.Form):
    """The short form before a document is written: number (the next free one proposed), date, signer,
    recipients. "Tải dự thảo" ignores the number; "Ban hành" needs it."""

    kind = forms.CharField(widget=forms.HiddenInput)
    year = year_field(_("Năm của văn bản"))
    number = VnIntegerField(
        label=_("Số văn bản"),
        required=False,
        min_value=1,
        max_value=99_999,
        grouping=False,
        help_text=_("Số tiếp theo còn trống được đề xuất sẵn; chỉ dùng khi ban hành."),
    )
    issued_on = VnDateField(label=_("Ngày ban hành"), required=False)
    confirm_out_of_order = forms.BooleanField(
        label=_("Xác nhận cấp số không theo thứ tự ngày"),
        required=False,
        help_text=_(
            "Chỉ đánh dấu khi đã kiểm tra sổ văn bản: số lớn hơn mang ngày sớm hơn một số đã ban hành "
            "(hoặc ngược lại). Việc xác nhận được ghi vào nhật ký."
        ),
    )
    signer_authority = forms.CharField(label=_("Thẩm quyền ký (TM.)"), required=False, max_length=100)
    signer_capacity = forms.CharField(label=_("Ký thay (KT., Q., TL., TUQ.)"), required=False, max_length=100)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), required=False, max_length=100)
    signer_name = forms.CharField(label=_("Họ và tên người ký"), required=False, max_length=200)
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    output = forms.ChoiceField(
        label=_("Định dạng tải về"),
        choices=[("docx", _("Word (.docx)")), ("pdf", _("PDF"))],
        initial="docx",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        unit: Unit,
        kind: str,
        proposed: int,
        pdf: bool,
        warnings_for: Callable[[int], list[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        today = timezone.localdate()
        year = today.year
        if kind == Kind.REVIEW:
            year = 2027 if today.year <= 2027 else 2030
        signer = common.default_signer(unit, kind)
        kwargs.setdefault(
            "initial",
            {
                "kind": kind,
                "year": year,
                "number": proposed,
                "issued_on": today,
                "signer_authority": signer.authority,
                "signer_capacity": signer.capacity,
                "signer_title": signer.title,
                "signer_name": signer.name,
                "recipients": "\n".join(common.default_recipients(kind, unit)),
                "output": "docx",
            },
        )
        kwargs["prefix"] = kind
        super().__init__(*args, **kwargs)
        if not pdf:
            del self.fields["output"]
        # the warnings for the year asked (bound) or proposed (blank form), shown above the form
        chosen = year_param(self.data.get(self.add_prefix("year"))) if self.is_bound else year
        self.warnings = warnings_for(chosen) if warnings_for is not None and chosen is not None else []
        if self.warnings:
            # the warnings are shown above the form; the person making the document confirms having read them
            self.fields["acknowledge"] = forms.BooleanField(
                label=_("Tôi đã đọc lưu ý trên và vẫn lập văn bản này"),
                required=True,
                error_messages={"required": _("Hãy đánh dấu ô xác nhận đã đọc lưu ý trước khi lập văn bản.")},
            )

    def signer(self) -> common.Signer:
        data = self.cleaned_data
        return common.Signer(
            authority=data.get("signer_authority") or "",
            capacity=data.get("signer_capacity") or "",
            title=data.get("signer_title") or "",
            name=data.get("signer_name") or "",
        )

    def recipient_lines(self) -> list[str]:
        return [
            line.strip().lstrip("-").strip()
            for line in (self.cleaned_data.get("recipients") or "").splitlines()
            if line.strip()
        ]


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại văn bản"),
        choices=[(k, label) for k, label in Kind.choices if k in builders.BUILDERS],
    )
    name = forms.CharField(label=_("Tên mẫu"), max_length=200)
    file = forms.FileField(label=_("Tệp Word (.docx) có trường dữ liệu {{ … }}"))
    activate = forms.BooleanField(label=_("Dùng mẫu này ngay"), required=False)
