from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from friendlygov.kit.fields import VnDecimalField


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp xuất từ hệ thống giải quyết TTHC (Excel .xlsx hoặc CSV UTF-8)"))


class SettingsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    online_max_points = VnDecimalField(
        label=_("Điểm tối đa: tỷ lệ hồ sơ nộp trực tuyến"), min_value=0, max_value=100, decimal_places=2
    )
    digitisation_max_points = VnDecimalField(
        label=_("Điểm tối đa: tỷ lệ hồ sơ được số hóa"), min_value=0, max_value=100, decimal_places=2
    )
