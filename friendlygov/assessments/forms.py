"""Forms of the assessment pages. Values are turned into the contract's syntax here; the services (and
the engine) validate them and name the problem."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from friendlygov.assessments import criteria as crit
from friendlygov.assessments.models import CityFigure, CriteriaSetVersion
from friendlygov.evidence.models import EvidenceFile
from friendlygov.kit.fields import READ_AS, VnDateField, VnDecimalField, VnIntegerField, year_field
from friendlygov.org.models import Body, Unit
from friendlygov.rules.numbers import format_plain, format_vn
from friendlygov.rules.scoring import Condition, CriteriaSet, Criterion, Ratio, format_vi_number

BOOL_CHOICES = [("", _("— chưa chấm —")), ("có", _("Đạt")), ("không", _("Không đạt"))]


def _whole(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


def _plain(value: int | None) -> str:
    return format_plain(value) if value is not None else ""


class ValueForm(forms.Form):
    """A value for a leaf criterion or a condition, with the fields its input type needs."""

    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        node: Criterion | Condition,
        raw: str = "",
        ticked: list[int] | None = None,
        explanation: str | None = None,
        reason: str | None = None,
        reason_required: bool = False,
        value_label: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.node = node
        kind = "condition" if isinstance(node, Condition) else node.kind
        self.kind = kind
        current = crit.safe_value(node, raw)
        if kind in ("boolean", "condition"):
            self.fields["value"] = forms.ChoiceField(
                label=value_label or _("Kết quả"), choices=BOOL_CHOICES, required=False
            )
            if isinstance(current, bool):
                self.initial.setdefault("value", "có" if current else "không")
        elif kind == "ratio":
            self.fields["numerator"] = VnIntegerField(label=_("Tử số"), required=False, min_value=0)
            self.fields["denominator"] = VnIntegerField(label=_("Mẫu số"), required=False, min_value=0)
            self.fields["percent"] = VnDecimalField(
                label=_("Hoặc tỷ lệ (%)"),
                required=False,
                min_value=0,
                max_value=100,
                unit="%",
                help_text=_(
                    "Nhập hai số đếm (ví dụ 1.100 trên 1.350 — dấu chấm tách hàng nghìn) hoặc tỷ lệ phần trăm "
                    "(ví dụ 92,5)."
                ),
            )
            if isinstance(current, Ratio):
                if raw.strip().endswith("%"):
                    self.initial.setdefault("percent", current.numerator)
                else:
                    self.initial.setdefault("numerator", _whole(current.numerator))
                    self.initial.setdefault("denominator", _whole(current.denominator))
        elif kind == "checklist":
            items = list(node.items or []) if isinstance(node, Criterion) else []
            self.fields["ticked"] = forms.MultipleChoiceField(
                label=value_label or _("Các mục đã đạt"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(str(i), item) for i, item in enumerate(items)],
            )
            if isinstance(current, int) and not isinstance(current, bool):
                chosen = ticked if ticked and len(ticked) == current else list(range(current))
                self.initial.setdefault("ticked", [str(i) for i in chosen])
        else:
            maximum = node.max_points if isinstance(node, Criterion) else None
            self.fields["value"] = VnDecimalField(
                label=value_label or _("Điểm"),
                required=False,
                min_value=0,
                max_value=maximum,
                help_text=_("Từ 0 đến %(m)s điểm; dùng dấu phẩy cho số thập phân (ví dụ 4,5).")
                % {"m": format_vi_number(maximum) if maximum is not None else ""},
            )
            if isinstance(current, Decimal):
                self.initial.setdefault("value", current)
            elif raw.strip():
                self.initial.setdefault("value", raw.strip())
        if explanation is not None:
            self.fields["explanation"] = forms.CharField(
                label=_("Giải trình"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Bắt buộc khi không có minh chứng: vì sao chấm mức này."),
            )
            self.initial.setdefault("explanation", explanation)
        if reason is not None:
            self.fields["reason"] = forms.CharField(
                label=_("Lý do"), required=reason_required, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.initial.setdefault("reason", reason)
        # keep the hidden field last
        self.fields["expected_version"] = self.fields.pop("expected_version")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.kind == "ratio" and (data.get("numerator") is None) != (data.get("denominator") is None):
            missing = "denominator" if data.get("denominator") is None else "numerator"
            if missing not in self.errors:
                self.add_error(missing, _("Nhập cả tử số và mẫu số (hoặc chỉ nhập tỷ lệ phần trăm)."))
        return data

    def value_text(self) -> str:
        """The value in the contract's syntax (no grouping, decimal comma: "1100/1350", "92,5%", "4,5"),
        which the engine reads back the same."""
        data = self.cleaned_data
        if self.kind == "ratio":
            numerator, denominator = data.get("numerator"), data.get("denominator")
            if numerator is not None or denominator is not None:
                return f"{_plain(numerator)}/{_plain(denominator)}"
            percent = data.get("percent")
            return f"{format_plain(percent)}%" if percent is not None else ""
        if self.kind == "checklist":
            return str(len(data.get("ticked") or [])) if data.get("ticked") is not None else ""
        if self.kind in ("boolean", "condition"):
            return (data.get("value") or "").strip()
        value = data.get("value")
        return format_plain(value) if value is not None else ""

    def value_read(self) -> str:
        """The value read, the Vietnamese way, for the message after saving: "1.100/1.350", "92,5%"."""
        data = self.cleaned_data
        if self.kind == "ratio":
            numerator, denominator = data.get("numerator"), data.get("denominator")
            if numerator is not None and denominator is not None:
                return f"{format_vn(numerator)}/{format_vn(denominator)}"
            percent = data.get("percent")
            return f"{format_vn(percent)}%" if percent is not None else ""
        if self.kind not in ("boolean", "condition", "checklist"):
            value = data.get("value")
            return format_vn(value) if isinstance(value, Decimal) else ""
        return ""

    def with_reading(self, message: Any) -> str:
        """A success message followed by the value read: "Đã lưu điểm tự chấm. Đọc là: 1.100/1.350"."""
        read = self.value_read()
        return f"{message} {READ_AS % {'value': read}}" if read else str(message)

    def ticked(self) -> list[int] | None:
        if self.kind != "checklist":
            return None
        return [int(i) for i in self.cleaned_data.get("ticked") or []]


def _evidence_label(evidence: Any) -> str:
    body = f", {evidence.body.name}" if evidence.body else ""
    return f"{evidence} ({evidence.effective_date:%d/%m/%Y}{body})"


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp minh chứng (PDF, ảnh, Word, Excel)"), required=False)
    effective_date = VnDateField(label=_("Ngày hiệu lực của minh chứng"), required=False)
    title = forms.CharField(label=_("Tiêu đề"), required=False, max_length=300)
    existing = forms.ModelChoiceField(
        label=_("Hoặc chọn minh chứng đã có trong hệ thống"),
        required=False,
        queryset=EvidenceFile.objects.none(),
        help_text=_(
            "Ví dụ tệp đã nộp cho nhiệm vụ kế hoạch hoặc cho tiêu chí khác — một tệp có thể chứng minh nhiều tiêu chí."
        ),
    )
    note = forms.CharField(
        label=_("Hoặc mô tả minh chứng (chưa có tệp)"),
        required=False,
        max_length=300,
    )

    def __init__(self, *args: Any, choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["existing"]
        field.queryset = EvidenceFile.objects.filter(pk__in=[e.pk for e in choices])  # type: ignore[attr-defined]
        field.label_from_instance = _evidence_label  # type: ignore[attr-defined]


class ScanForm(forms.Form):
    """The scanned file of proof recorded on paper only (one small form on each such row)."""

    link = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    file = forms.FileField(label=_("Bản quét (PDF, ảnh)"))
    effective_date = VnDateField(
        label=_("Ngày hiệu lực"),
        required=False,
        help_text=_("Để trống: lấy ngày ghi nhận minh chứng giấy."),
    )


class RegistrationForm(forms.Form):
    target_level = forms.ChoiceField(label=_("Mức đăng ký đạt chuẩn"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, cs: CriteriaSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_level"].choices = [(lv.code, lv.name) for lv in cs.levels]  # type: ignore[attr-defined]


class RegistrationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Ý kiến của thành phố"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Chấp nhận đăng ký")), ("changes", _("Yêu cầu điều chỉnh"))],
    )
    reason = forms.CharField(
        label=_("Nội dung (bắt buộc khi yêu cầu điều chỉnh)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SubmitForm(forms.Form):
    acknowledge = forms.BooleanField(label=_("Tôi đã xem các vấn đề nêu trên và vẫn nộp"), required=False)
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AppraisalForm(ValueForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, reason="", value_label=str(_("Giá trị sau thẩm định")), **kwargs)
        self.fields["decision"] = forms.ChoiceField(
            label=_("Kết luận"),
            widget=forms.RadioSelect,
            choices=[("accept", _("Chấp nhận giá trị của đơn vị")), ("adjust", _("Điều chỉnh"))],
        )
        self.order_fields(["decision"])


class ReturnForm(forms.Form):
    requests = forms.CharField(
        label=_("Danh sách nội dung cần bổ sung, điều chỉnh"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Hồ sơ chỉ được trả lại một lần: ghi đầy đủ mọi yêu cầu trong một danh sách."),
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RecognitionForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100)
    decision_date = VnDateField(label=_("Ngày quyết định"))
    signer = forms.CharField(label=_("Người ký"), max_length=200)
    level_code = forms.ChoiceField(label=_("Mức công nhận"))
    file = forms.FileField(label=_("Tệp quyết định (PDF)"), required=False)

    def __init__(self, *args: Any, levels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level_code"].choices = levels  # type: ignore[attr-defined]


class DeadlinesForm(forms.Form):
    registration_deadline = VnDateField(label=_("Hạn đăng ký mức"))
    submission_deadline = VnDateField(label=_("Hạn nộp tự đánh giá"))
    appraisal_deadline = VnDateField(label=_("Hạn thẩm định"))
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def _offer_city_library(field: forms.Field, city: Unit) -> None:
    """A criteria-set choice limited to the city's library, each version named with its status."""
    field.queryset = CriteriaSetVersion.objects.filter(unit=city)  # type: ignore[attr-defined]
    field.label_from_instance = (  # type: ignore[attr-defined]
        lambda s: f"{s.code} v{s.version} — {s.name}" + (f" [{s.status_label}]" if s.status_label else "")
    )


class OpenCyclesForm(forms.Form):
    year = year_field(_("Năm đánh giá"))
    criteria_set = forms.ModelChoiceField(label=_("Bộ tiêu chí"), queryset=CriteriaSetVersion.objects.none())
    registration_deadline = VnDateField(
        label=_("Hạn đăng ký mức"),
        required=False,
        help_text=_("Để trống: 15/02 của năm."),
    )
    submission_deadline = VnDateField(
        label=_("Hạn nộp tự đánh giá"),
        required=False,
        help_text=_("Để trống: 12/11 của năm."),
    )
    appraisal_deadline = VnDateField(
        label=_("Hạn thẩm định"), required=False, help_text=_("Để trống: 31/12 của năm.")
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Các đơn vị"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Không chọn: mở cho mọi đơn vị chưa có kỳ đánh giá năm này."),
    )

    def __init__(self, *args: Any, city: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_city_library(self.fields["criteria_set"], city)
        self.fields["units"].queryset = Unit.objects.filter(parent=city, is_active=True)  # type: ignore[attr-defined]


class SwitchCriteriaSetForm(forms.Form):
    criteria_set = forms.ModelChoiceField(label=_("Bộ tiêu chí"), queryset=CriteriaSetVersion.objects.none())

    def __init__(self, *args: Any, city: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_city_library(self.fields["criteria_set"], city)


class FileImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp"))


class FigureForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    year = year_field(_("Năm"))
    kind = forms.ChoiceField(label=_("Chỉ số"), choices=CityFigure.Kind.choices)
    value = VnDecimalField(
        label=_("Giá trị (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        unit="%",
        help_text=_("Ví dụ 85,62"),
    )
    decision = forms.CharField(
        label=_("Văn bản công bố"),
        max_length=300,
        help_text=_("Ví dụ: Quyết định 123/QĐ-UBND ngày 20/3/2027"),
    )
    published_on = VnDateField(label=_("Ngày công bố"), required=False)

    def __init__(self, *args: Any, city: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(parent=city).order_by("name")  # type: ignore[attr-defined]


def body_choice_field(bodies: list[Body]) -> forms.ModelChoiceField[Body]:
    return forms.ModelChoiceField(
        label=_("Thay mặt"), queryset=Body.objects.filter(pk__in=[b.pk for b in bodies])
    )


# --------------------------------------------------------------------------------- tree editor


class SetHeaderForm(forms.Form):
    name = forms.CharField(label=_("Tên bộ tiêu chí"), max_length=400)
    issued_by = forms.CharField(label=_("Cơ quan ban hành"), max_length=300, required=False)
    decision = forms.CharField(label=_("Văn bản ban hành"), max_length=300, required=False)
    effective_from = VnDateField(label=_("Ngày hiệu lực"), required=False)
    scale = VnDecimalField(label=_("Thang điểm"))
    bonus_cap = VnDecimalField(label=_("Trần điểm thưởng"), required=False)
    status = forms.CharField(
        label=_("Tình trạng"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ: chính thức, tạm thời, mẫu tham khảo"),
    )
    source = forms.CharField(label=_("Nguồn"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


INPUT_CHOICES = [
    ("", _("(mặc định: điểm)")),
    ("points", _("Điểm")),
    ("boolean", _("Đạt / không đạt")),
    ("ratio", _("Tỷ lệ")),
    ("checklist", _("Danh mục")),
]


class CriterionRowForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=50, required=False)
    parent = forms.CharField(label=_("Mã cha"), max_length=50, required=False)
    name = forms.CharField(
        label=_("Tên tiêu chí"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    max_points = VnDecimalField(label=_("Điểm tối đa"), required=False)
    input = forms.ChoiceField(label=_("Kiểu nhập"), choices=INPUT_CHOICES, required=False)
    target = VnDecimalField(label=_("Ngưỡng"), required=False)
    items = forms.CharField(
        label=_("Các mục (mỗi dòng một mục)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    bonus = forms.BooleanField(label=_("Điểm thưởng"), required=False)
    min_share = VnDecimalField(label=_("Tỷ lệ tối thiểu"), required=False)
    source = forms.CharField(label=_("Nguồn số liệu"), max_length=50, required=False)
    evidence = forms.CharField(
        label=_("Minh chứng"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    extra = forms.CharField(required=False, widget=forms.HiddenInput)


class LevelRowForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=20, required=False)
    name = forms.CharField(label=_("Tên mức"), max_length=200, required=False)
    min_total = VnDecimalField(label=_("Tổng điểm tối thiểu"), required=False)
    min_share = VnDecimalField(label=_("Tỷ lệ tối thiểu mỗi nhóm"), required=False)
    extra = forms.CharField(required=False, widget=forms.HiddenInput)


class ConditionRowForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=20, required=False)
    name = forms.CharField(
        label=_("Điều kiện"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(label=_("Bắt buộc"), required=False)
    extra = forms.CharField(required=False, widget=forms.HiddenInput)


CriterionFormSet = forms.formset_factory(CriterionRowForm, extra=3, can_delete=True)
LevelFormSet = forms.formset_factory(LevelRowForm, extra=1, can_delete=True)
ConditionFormSet = forms.formset_factory(ConditionRowForm, extra=1, can_delete=True)


def editor_initial(cs: CriteriaSet) -> dict[str, Any]:
    """Initial data of the editor forms for a set."""
    rows: list[dict[str, Any]] = []

    def visit(node: Criterion, parent: str | None) -> None:
        rows.append(
            {
                "code": node.code,
                "parent": parent or "",
                "name": node.name,
                "max_points": node.max_points,
                "input": node.input or "",
                "target": node.target,
                "items": "\n".join(node.items or []),
                "bonus": node.bonus,
                "min_share": node.min_share,
                "source": node.source or "",
                "evidence": node.evidence or "",
                "extra": json.dumps(node.extra, ensure_ascii=False) if node.extra else "",
            }
        )
        for child in node.children:
            visit(child, node.code)

    for top in cs.criteria:
        visit(top, None)
    return {
        "header": {
            "name": cs.name,
            "issued_by": cs.issued_by or "",
            "decision": cs.decision or "",
            "effective_from": cs.effective_from,
            "scale": cs.scale,
            "bonus_cap": cs.bonus_cap,
            "status": cs.extra.get("status", "") if isinstance(cs.extra.get("status"), str) else "",
            "source": cs.extra.get("source", "") if isinstance(cs.extra.get("source"), str) else "",
        },
        "criteria": rows,
        "levels": [
            {
                "code": lv.code,
                "name": lv.name,
                "min_total": lv.min_total,
                "min_share": lv.min_share,
                "extra": json.dumps(lv.extra, ensure_ascii=False) if lv.extra else "",
            }
            for lv in cs.levels
        ],
        "conditions": [
            {
                "code": c.code,
                "name": c.name,
                "required": c.required,
                "extra": json.dumps(c.extra, ensure_ascii=False) if c.extra else "",
            }
            for c in cs.conditions
        ],
    }


def _num(value: Decimal | None) -> Any:
    """A number the editor read → int or Decimal for the contract data; empty → ""."""
    if value is None:
        return ""
    return int(value) if value == value.to_integral_value() else value


def _extra(text: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _apply_header(data: dict[str, Any], h: dict[str, Any]) -> None:
    """The header form's fields written over the base set's (criteria, levels and conditions cleared)."""
    for key in ("criteria", "conditions", "levels", "issued_by", "decision", "effective_from", "bonus_cap"):
        data.pop(key, None)
    data["name"] = h["name"].strip()
    for key in ("issued_by", "decision"):
        if h.get(key, "").strip():
            data[key] = h[key].strip()
    if h.get("effective_from"):
        data["effective_from"] = h["effective_from"].isoformat()
    data["scale"] = _num(h["scale"])
    if h.get("bonus_cap") is not None:
        data["bonus_cap"] = _num(h["bonus_cap"])
    for key in ("status", "source"):
        if h.get(key, "").strip():
            data[key] = h[key].strip()
        else:
            data.pop(key, None)


def _criterion_node(code: str, row: dict[str, Any]) -> dict[str, Any]:
    """One criterion row of the editor as the contract's mapping (children attached later)."""
    node: dict[str, Any] = {
        "code": code,
        "name": (row.get("name") or "").strip(),
        "max_points": _num(row.get("max_points")),
    }
    if node["max_points"] == "":
        node.pop("max_points")
    if row.get("input"):
        node["input"] = row["input"]
    if row.get("target") is not None:
        node["target"] = _num(row["target"])
    items = [line.strip() for line in (row.get("items") or "").splitlines() if line.strip()]
    if items:
        node["items"] = items
    if row.get("bonus"):
        node["bonus"] = True
    if row.get("min_share") is not None:
        node["min_share"] = _num(row["min_share"])
    for key in ("source", "evidence"):
        if (row.get(key) or "").strip():
            node[key] = row[key].strip()
    for key, value in _extra(row.get("extra") or "").items():
        node.setdefault(key, value)
    return node


def _level_rows(levels: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for form in levels.forms:
        row = form.cleaned_data
        if not row or row.get("DELETE") or not (row.get("code") or "").strip():
            continue
        level: dict[str, Any] = {
            "code": row["code"].strip(),
            "name": (row.get("name") or "").strip(),
            "min_total": _num(row.get("min_total")),
        }
        if row.get("min_share") is not None:
            level["min_share"] = _num(row["min_share"])
        for key, value in _extra(row.get("extra") or "").items():
            level.setdefault(key, value)
        rows.append(level)
    return rows


def _condition_rows(conditions: Any) -> list[dict[str, Any]]:
    conds = []
    for form in conditions.forms:
        row = form.cleaned_data
        if not row or row.get("DELETE") or not (row.get("code") or "").strip():
            continue
        cond: dict[str, Any] = {
            "code": row["code"].strip(),
            "name": (row.get("name") or "").strip(),
            "required": bool(row.get("required")),
        }
        for key, value in _extra(row.get("extra") or "").items():
            cond.setdefault(key, value)
        conds.append(cond)
    return conds


def editor_data(
    base: CriteriaSet, header: SetHeaderForm, criteria: Any, levels: Any, conditions: Any
) -> tuple[dict[str, Any], list[str]]:
    """The contract data the editor forms describe (problems of the tree shape listed separately)."""
    from friendlygov.assessments.workbook import assemble_tree
    from friendlygov.rules.scoring import criteria_set_to_dict

    problems: list[str] = []
    data = criteria_set_to_dict(base)
    _apply_header(data, header.cleaned_data)
    nodes: dict[str, dict[str, Any]] = {}
    order: list[tuple[str, str, str]] = []
    for index, form in enumerate(criteria.forms, start=1):
        row = form.cleaned_data
        if not row or row.get("DELETE") or not (row.get("code") or "").strip():
            if (
                row
                and not row.get("DELETE")
                and ((row.get("name") or "").strip() or row.get("max_points") is not None)
            ):
                problems.append(f"Dòng tiêu chí {index}: thiếu mã tiêu chí.")
            continue
        code = row["code"].strip()
        where = f"Dòng tiêu chí {index} (mã «{code}»)"
        if code in nodes:
            problems.append(f"{where}: mã lặp lại.")
            continue
        nodes[code] = _criterion_node(code, row)
        order.append((where, code, (row.get("parent") or "").strip()))
    data["criteria"] = assemble_tree(order, nodes, problems, parent_column="Mã cha")
    data["levels"] = _level_rows(levels)
    conds = _condition_rows(conditions)
    if conds:
        data["conditions"] = conds
    return data, problems


class ProposalDecisionForm(forms.Form):
    """The coordinator's decision on one joint proposal (the criterion page's accept / decline buttons)."""

    proposal = forms.IntegerField(widget=forms.HiddenInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=2000)
