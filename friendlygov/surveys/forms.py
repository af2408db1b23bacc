"""Forms of the surveys pages. The answer forms are built from a questionnaire version's definition; their
field names are positional (``i0``, ``i1`` … for scale items, ``q0`` … for other questions) so that any
item code works in HTML."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from friendlygov.kit.entry_keys import ENTRY_KEY_RE, new_entry_key
from friendlygov.kit.fields import VnDateField, VnIntegerField
from friendlygov.org.models import Body, Unit
from friendlygov.surveys import definitions
from friendlygov.surveys.models import Questionnaire, Response, SurveyLink

SCALE_CHOICES = [(str(level), label) for level, label in definitions.SCALE_LABELS.items()]


class _AnswerFields:
    """Shared by the public and the paper forms: the definition's items and questions as fields."""

    definition: dict[str, Any]
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def item_fields(self) -> list[tuple[str, str]]:
        """(field name, item code) in questionnaire order."""
        return [(f"i{n}", code) for n, code in enumerate(definitions.item_codes(self.definition))]

    def question_fields(self) -> list[tuple[str, dict[str, Any]]]:
        return [(f"q{n}", q) for n, q in enumerate(definitions.questions_of(self.definition))]

    def _add_question_fields(self, *, public: bool) -> None:
        for name, question in self.question_fields():
            label = question["text"]
            choices = [(c, c) for c in question["choices"]]
            if question["type"] == "single":
                self.fields[name] = forms.ChoiceField(
                    label=label, choices=choices, required=False, widget=forms.RadioSelect
                )
            elif question["type"] in ("multiple", "needs"):
                self.fields[name] = forms.MultipleChoiceField(
                    label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
                )
            if question["type"] in ("text", "needs"):
                text_name = name if question["type"] == "text" else f"{name}_text"
                text_label = label if question["type"] == "text" else _("Ý kiến khác về nhu cầu, mong đợi")
                self.fields[text_name] = forms.CharField(
                    label=text_label,
                    required=False,
                    max_length=definitions.MAX_TEXT,
                    widget=forms.Textarea(attrs={"rows": 3}) if public else forms.TextInput(),
                )

    def other_answers(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, question in self.question_fields():
            kind = question["type"]
            if kind == "single":
                value = self.cleaned_data.get(name) or ""
                if value:
                    result[question["code"]] = {"choices": [value]}
            elif kind == "multiple":
                chosen = self.cleaned_data.get(name) or []
                if chosen:
                    result[question["code"]] = {"choices": list(chosen)}
            elif kind == "text":
                text = (self.cleaned_data.get(name) or "").strip()
                if text:
                    result[question["code"]] = {"text": text}
            else:
                chosen = self.cleaned_data.get(name) or []
                text = (self.cleaned_data.get(f"{name}_text") or "").strip()
                if chosen or text:
                    result[question["code"]] = {"choices": list(chosen), "text": text}
        return result


class PublicAnswerForm(_AnswerFields, forms.Form):
    """The citizen's form: big radio rows, an optional receipt number, a honeypot."""

    receipt_no = forms.CharField(label=_("Số biên nhận hồ sơ"), required=False, max_length=60)
    website = forms.CharField(label=_("Để trống ô này"), required=False, max_length=200)
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, definition: dict[str, Any], receipt_mode: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        if receipt_mode == SurveyLink.ReceiptMode.OFF:
            del self.fields["receipt_no"]
        else:
            field = self.fields["receipt_no"]
            field.required = receipt_mode == SurveyLink.ReceiptMode.REQUIRED
            field.error_messages["required"] = _("Xin nhập số biên nhận hồ sơ (in trên giấy biên nhận).")
            field.help_text = _(
                "In ở góc trên giấy biên nhận và hẹn trả kết quả. Mỗi hồ sơ chỉ đánh giá một lần."
            )
            field.widget.attrs.update(
                {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
            )
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        for name, code in self.item_fields():
            self.fields[name] = forms.ChoiceField(
                label=code, choices=SCALE_CHOICES, required=False, widget=forms.RadioSelect
            )
        self._add_question_fields(public=True)

    def scale_answers(self) -> dict[str, int | None]:
        result: dict[str, int | None] = {}
        for name, code in self.item_fields():
            raw = self.cleaned_data.get(name)
            if raw:
                result[code] = int(raw)
        return result


class DigitField(forms.CharField):
    """One typed digit 0..5 (0 or empty: no answer)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=1, required=False, **kwargs)

    def to_python(self, value: Any) -> Any:
        text = (super().to_python(value) or "").strip()
        if text and (len(text) != 1 or text not in "012345"):
            raise forms.ValidationError(_("Chỉ gõ một chữ số từ 1 đến 5 (0 hoặc để trống: không trả lời)."))
        return text


class PaperEntryForm(_AnswerFields, forms.Form):
    """Staff typing a paper (or phone) form: one digit per item, keyboard only."""

    channel = forms.ChoiceField(
        label=_("Kênh"), choices=Response.Channel.choices, initial=Response.Channel.PAPER
    )
    submitted_on = VnDateField(label=_("Ngày trả lời"))
    receipt_no = forms.CharField(label=_("Số biên nhận hồ sơ"), required=False, max_length=60)
    link = forms.ModelChoiceField(
        label=_("Điểm khảo sát"),
        queryset=SurveyLink.objects.none(),
        required=False,
        empty_label=_("— không —"),
    )
    #: Made when the form is shown: the same form posted again (a retry) is not stored twice.
    entry_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, definition: dict[str, Any], links: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        if not self.is_bound:
            self.initial["entry_key"] = new_entry_key()
        self.fields["link"].queryset = links  # type: ignore[attr-defined]
        self.fields["submitted_on"].initial = timezone.localdate()
        for position, (name, code) in enumerate(self.item_fields()):
            attrs = {
                "inputmode": "numeric",
                "pattern": "[0-5]",
                "autocomplete": "off",
                "class": "digit",
                "data-digit": "1",
                "size": "1",
            }
            if position == 0:
                attrs["autofocus"] = "autofocus"
            self.fields[name] = DigitField(label=code, widget=forms.TextInput(attrs=attrs))
        self._add_question_fields(public=False)

    def scale_answers(self) -> dict[str, int | None]:
        result: dict[str, int | None] = {}
        for name, code in self.item_fields():
            raw = self.cleaned_data.get(name)
            if raw:
                result[code] = int(raw)
        return result

    def clean_entry_key(self) -> str:
        """A key this page did not make (altered by hand) is dropped rather than blocking the entry."""
        key = (self.cleaned_data.get("entry_key") or "").strip()
        return key if ENTRY_KEY_RE.match(key) else ""


class LinkForm(forms.ModelForm[SurveyLink]):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = SurveyLink
        fields = [
            "questionnaire",
            "label",
            "body",
            "receipt_mode",
            "channel",
            "active_from",
            "active_until",
            "is_active",
        ]
        field_classes = {"active_from": VnDateField, "active_until": VnDateField}

    def __init__(self, *args: Any, unit: Unit, questionnaires: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = questionnaires  # type: ignore[attr-defined]
        self.fields["body"].queryset = Body.objects.filter(unit=unit, is_active=True)  # type: ignore[attr-defined]
        self.fields["body"].required = False
        self.fields["label"].help_text = _("Ví dụ: Bàn tiếp nhận Trung tâm Phục vụ HCC; Thôn Tháp Ngạn")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class QuestionnaireImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại bảng hỏi"), choices=Questionnaire.Kind.choices)
    file = forms.FileField(label=_("Tệp YAML"), required=False)
    text = forms.CharField(
        label=_("Hoặc dán nội dung YAML"), required=False, widget=forms.Textarea(attrs={"rows": 16})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload:
            raw = upload.read(1_000_001)
            if len(raw) > 1_000_000:
                raise forms.ValidationError(_("Tệp bảng hỏi quá lớn (tối đa 1 MB)."))
            try:
                data["yaml_text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("Tệp bảng hỏi phải là văn bản UTF-8.")) from error
        elif data.get("text", "").strip():
            data["yaml_text"] = data["text"]
        else:
            raise forms.ValidationError(_("Chọn tệp YAML hoặc dán nội dung bảng hỏi."))
        return data


class DefinitionEditForm(forms.Form):
    yaml_text = forms.CharField(
        label=_("Nội dung bảng hỏi (YAML)"), widget=forms.Textarea(attrs={"rows": 28, "class": "code"})
    )
    note = forms.CharField(label=_("Ghi chú thay đổi"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


class QuestionnaireSettingsForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Questionnaire.Kind.choices)
    description = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("Đang dùng"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DossierCountForm(forms.Form):
    transactions = VnIntegerField(label=_("Số hồ sơ, giao dịch trong kỳ (N)"), min_value=0, required=False)
    note = forms.CharField(label=_("Nguồn số liệu"), required=False, max_length=300)
    start = VnDateField(widget=forms.HiddenInput)
    end = VnDateField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Chấp nhận")), ("reject", _("Loại bỏ"))])
    note = forms.CharField(required=False, max_length=300)
