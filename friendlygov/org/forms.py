from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from friendlygov.kit.fields import VnDateField, VnIntegerField
from friendlygov.org.models import Body, Role, Unit


class BodyForm(forms.ModelForm[Body]):
    aliases_text = forms.CharField(
        label=_("Tên gọi khác"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Mỗi dòng một tên (ví dụ: VH-XH, Phòng VHXH) — dùng để nhận ra cơ quan trong các bảng nhập."
        ),
    )
    # The version the page showed (the lock of an edit; a new body has none).
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Body
        fields = ["kind", "name", "code", "head_name", "phone", "email", "address", "position", "is_active"]
        field_classes = {"position": VnIntegerField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["aliases_text"].initial = "\n".join(self.instance.aliases)
            self.fields["expected_version"].initial = self.instance.version
            self.fields["expected_version"].required = True

    def service_fields(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["aliases"] = [a.strip() for a in self.cleaned_data["aliases_text"].splitlines() if a.strip()]
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV (UTF-8)"))


class AccountImportForm(ImportForm):
    invite = forms.BooleanField(
        label=_("Gửi thư mời đặt mật khẩu cho tài khoản mới"), required=False, initial=True
    )


class AccountForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    position_title = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=[])
    body = forms.ModelChoiceField(label=_("Cơ quan, thôn"), queryset=Body.objects.none(), required=False)
    invite = forms.BooleanField(label=_("Gửi thư mời đặt mật khẩu"), required=False, initial=True)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = [(v, lbl) for v, lbl in Role.choices if v != Role.SYSTEM_ADMIN]
        if not unit.is_city:
            roles = [(v, lbl) for v, lbl in roles if v != Role.CITY_REVIEWER]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        self.fields["body"].queryset = Body.objects.filter(unit=unit, is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.BODY_MEMBER and not data.get("body"):
            self.add_error("body", _("Thành viên cơ quan, thôn cần chọn cơ quan hoặc thôn."))
        return data


class DeactivateForm(forms.Form):
    hand_over_to = forms.ModelChoiceField(
        label=_("Bàn giao công việc cho"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Vai trò của người nghỉ được chuyển cho người này."),
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hand_over_to"].queryset = candidates  # type: ignore[attr-defined]


class RenameForm(forms.Form):
    new_name = forms.CharField(label=_("Tên mới"), max_length=200)
    effective_date = VnDateField(label=_("Ngày hiệu lực"))
    decision = forms.CharField(label=_("Căn cứ (số quyết định/nghị quyết)"), max_length=300, required=False)


class MergeForm(forms.Form):
    sources = forms.ModelMultipleChoiceField(
        label=_("Các đơn vị được sáp nhập"), queryset=Unit.objects.none()
    )
    effective_date = VnDateField(label=_("Ngày hiệu lực"))
    decision = forms.CharField(label=_("Căn cứ"), max_length=300, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Unit.objects.filter(parent=unit.parent, is_active=True).exclude(pk=unit.pk)
        self.fields["sources"].queryset = others  # type: ignore[attr-defined]


def _province_choices() -> list[tuple[str, str]]:
    from friendlygov.org import official_list

    provinces = sorted(official_list.shipped().values(), key=lambda p: p.code)
    return [("", "—")] + [(p.code, f"{p.code} — {p.full_name} ({len(p.units)})") for p in provinces]


class OfficialUnitsForm(forms.Form):
    """The system administrator's choice of a province (or city) of the official list to load."""

    province = forms.ChoiceField(label=_("Tỉnh, thành phố"), choices=_province_choices)
