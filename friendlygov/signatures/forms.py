from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from friendlygov.signatures.models import DocumentSignature, SigningSettings


class TrustRootForm(forms.Form):
    name = forms.CharField(label=_("Tên gọi"), max_length=200, required=False)
    file = forms.FileField(label=_("Chứng thư gốc (PEM hoặc DER)"))


class SettingsForm(forms.ModelForm[SigningSettings]):
    class Meta:
        model = SigningSettings
        fields = ["pkcs11_enabled", "pkcs12_enabled", "upload_enabled", "requires_digital_signature"]


class CertificateForm(forms.Form):
    file = forms.FileField(label=_("Tệp chứng thư số của cơ quan (.p12, .pfx)"))
    passphrase_env = forms.CharField(
        label=_("Tên biến môi trường chứa mật khẩu"),
        max_length=100,
        initial="FRIENDLYGOV_P12_PASSWORD",
        help_text=_("Mật khẩu không được lưu trong hệ thống; máy chủ đọc nó từ biến môi trường này."),
    )


class SignForm(forms.Form):
    method = forms.ChoiceField(label=_("Cách ký"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, methods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(DocumentSignature.Method.choices)
        self.choices = [(m, labels[m]) for m in methods if m != DocumentSignature.Method.UPLOAD]
        field = self.fields["method"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = self.choices
        if len(self.choices) == 1:
            field.initial = self.choices[0][0]


class UploadSignedForm(forms.Form):
    file = forms.FileField(label=_("Tệp PDF đã ký số"))


class SealForm(forms.Form):
    seal_image = forms.FileField(
        label=_("Ảnh con dấu (PNG nền trong, màu đỏ)"),
        help_text=_(
            "Vẽ đúng kích thước thật (ghi độ phân giải dpi trong tệp PNG) đè lên khoảng một phần ba ảnh chữ ký."
        ),
    )


class SignatureImageForm(forms.Form):
    signature_image = forms.FileField(
        label=_("Ảnh chữ ký của tôi (PNG nền trong, màu xanh)"),
        help_text=_("Dùng khi bạn ký số văn bản; không bắt buộc (không có ảnh thì hệ thống ghi chữ)."),
    )
