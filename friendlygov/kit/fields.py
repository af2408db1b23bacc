"""The one number field and the one date field of every form people type into.

Numbers are read the Vietnamese way by :mod:`friendlygov.rules.numbers` (``1.100`` is one thousand one
hundred, ``81,48`` is 81.48), rendered the same way so that a form shown and sent back unchanged keeps its
values, and read back next to the field ("Đọc là: 1.100") — on the server when a form is shown again,
live by ``core/numbers.js`` while typing. A count refuses decimals, naming both readings of ``1,100``.

Dates are dd/mm/yyyy, written and read in that form whatever the interface language (a browser's
``type=date`` picker shows the browser's own order, mm/dd/yyyy on many machines, so it is not used).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from friendlygov.rules import numbers

# The same msgids as friendlygov.rules.numbers.MESSAGES (a test keeps them equal), through gettext.
MESSAGES: dict[str, Any] = {
    "required": _("Chưa nhập số."),
    "too_long": _("«%(text)s…» quá dài để là một số."),
    "not_number": _(
        "«%(text)s» không phải là một số; ghi bằng chữ số, ví dụ 1.100 (một nghìn một trăm), 81,48 hoặc 1.100,5."
    ),
    "many_commas": _(
        "«%(text)s» có nhiều dấu phẩy: dấu phẩy (,) chỉ đứng trước phần thập phân, hàng nghìn tách bằng "
        "dấu chấm (.). Nếu là số nguyên thì ghi %(fixed)s."
    ),
    "foreign": _(
        "«%(text)s» viết theo kiểu nước ngoài (dấu phẩy tách hàng nghìn, dấu chấm trước phần thập phân); "
        "theo cách viết Việt Nam hãy ghi %(fixed)s."
    ),
    "dot": _(
        "«%(text)s» không đọc được: dấu chấm (.) chỉ dùng để tách hàng nghìn, mỗi nhóm đủ ba chữ số "
        "(1.100 là một nghìn một trăm); phần thập phân ghi sau dấu phẩy (,)."
    ),
    "dot_decimal": _(
        "«%(text)s» không đọc được: dấu chấm (.) chỉ dùng để tách hàng nghìn, mỗi nhóm đủ ba chữ số "
        "(1.100 là một nghìn một trăm). Nếu là số thập phân, hãy ghi %(fixed)s."
    ),
    "space": _(
        "«%(text)s» không đọc được: các nhóm chữ số tách bằng dấu cách phải đủ ba chữ số, ví dụ 1 100."
    ),
    "unreadable": _("«%(text)s» không đọc được; ví dụ 1.100 (một nghìn một trăm), 81,48 hoặc 1.100,5."),
    "fraction_both": _(
        "«%(text)s» đọc theo cách viết Việt Nam là %(read)s — không phải số nguyên. "
        "Nếu ý bạn là %(other)s thì ghi %(other)s (dấu chấm tách hàng nghìn)."
    ),
    "fraction": _("«%(text)s» đọc là %(read)s — ô này chỉ nhận số nguyên."),
}

READ_AS = _("Đọc là: %(value)s")
UNREADABLE = _("Chưa đọc được số này — xem cách ghi: 1.100 là một nghìn một trăm, 81,48 có phần thập phân.")
NOT_WHOLE = _("Đọc là: %(value)s — không phải số nguyên")
TOO_SMALL = _("Đọc là %(value)s — phải từ %(limit)s trở lên.")
TOO_LARGE = _("Đọc là %(value)s — tối đa là %(limit)s.")
TOO_MANY_PLACES = _("Đọc là %(value)s — chỉ ghi tối đa %(places)s chữ số sau dấu phẩy.")


def number_error(error: numbers.NumberError) -> ValidationError:
    """A parser refusal as a form error, translated."""
    return ValidationError(MESSAGES[error.code], code=error.code, params=error.params)


class VnNumberInput(forms.TextInput):
    """A text input for a number (never type=number: it would force the browser's own reading), with the
    value read shown next to it."""

    template_name = "core/widgets/vn_number.html"

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        whole: bool = False,
        grouping: bool = True,
        unit: str = "",
    ) -> None:
        base = {
            "inputmode": "numeric" if whole else "decimal",
            "autocomplete": "off",
            "spellcheck": "false",
            "data-vn-number": "whole" if whole else "decimal",
            "maxlength": str(numbers.MAX_LENGTH),
        }
        super().__init__({**base, **(attrs or {})})
        self.whole = whole
        self.grouping = grouping
        self.unit = unit

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, bool) or value is None or value == "":
            return None
        if isinstance(value, int | Decimal):
            return numbers.format_vn(value, grouping=self.grouping)
        if isinstance(value, float):
            return numbers.format_vn(Decimal(repr(value)), grouping=self.grouping)
        return str(value)

    def reading(self, text: str | None) -> str:
        """The server's read-back of what the field holds: "Đọc là: 1.100" (authoritative; the script
        only mirrors it while typing)."""
        if not text or not text.strip():
            return ""
        cleaned = _strip_unit(text, self.unit)
        try:
            number = numbers.read_vn_number(cleaned)
        except numbers.NumberError:
            return str(UNREADABLE)
        shown = with_unit(numbers.format_vn(number, grouping=self.grouping), self.unit)
        if self.whole and number != number.to_integral_value():
            return str(NOT_WHOLE % {"value": shown})
        return str(READ_AS % {"value": shown})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["attrs"]["data-unit"] = self.unit
        widget["attrs"]["data-grouping"] = "1" if self.grouping else "0"
        # read back what was typed (a form shown again); a value the app wrote itself needs no echo
        widget["readback"] = self.reading(widget["value"]) if isinstance(value, str) else ""
        widget["readback_texts"] = {
            "read_as": str(READ_AS),
            "unreadable": str(UNREADABLE),
            "not_whole": str(NOT_WHOLE),
        }
        return context


_UNITS = {
    "%": re.compile(r"\s*%\s*$"),
    "đồng": re.compile(r"(?i)\s*(đồng|đ|vnđ|vnd)\s*$"),
}


def with_unit(text: str, unit: str) -> str:
    """92,5% but 1.500.000 đồng."""
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _strip_unit(text: str, unit: str) -> str:
    pattern = _UNITS.get(unit)
    return pattern.sub("", text) if pattern else text


class _VnNumberMixin:
    """Reading, bounds and messages shared by the decimal and the whole-number field."""

    whole = False

    def _setup(self, kwargs: dict[str, Any]) -> tuple[dict[str, Any], Any, Any]:
        minimum = kwargs.pop("min_value", None)
        maximum = kwargs.pop("max_value", None)
        grouping = kwargs.pop("grouping", True)
        unit = kwargs.pop("unit", "")
        widget = kwargs.get("widget")
        if widget is None or (isinstance(widget, type) and issubclass(widget, VnNumberInput)):
            kwargs["widget"] = VnNumberInput(whole=self.whole, grouping=grouping, unit=unit)
        self.unit = unit
        self.grouping = grouping
        return kwargs, minimum, maximum

    def _read(self, value: Any) -> Decimal | None:
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            raise ValidationError(MESSAGES["not_number"], code="not_number", params={"text": str(value)})
        if isinstance(value, int | Decimal):
            return Decimal(value)
        text = _strip_unit(str(value), self.unit).strip()
        if not text:
            return None
        try:
            return numbers.read_vn_number(text)
        except numbers.NumberError as error:
            raise number_error(error) from None

    def _shown(self, value: Decimal | int) -> str:
        return with_unit(numbers.format_vn(value, grouping=self.grouping), self.unit)

    def _check_bounds(self, value: Decimal | int | None, minimum: Any, maximum: Any) -> None:
        if value is None:
            return
        if minimum is not None and value < minimum:
            raise ValidationError(
                TOO_SMALL,
                code="min_value",
                params={"value": self._shown(value), "limit": self._shown(minimum)},
            )
        if maximum is not None and value > maximum:
            raise ValidationError(
                TOO_LARGE,
                code="max_value",
                params={"value": self._shown(value), "limit": self._shown(maximum)},
            )


class VnDecimalField(_VnNumberMixin, forms.DecimalField):
    """A decimal number typed the Vietnamese way → Decimal. ``unit="%"`` also takes "92,5%";
    ``decimal_places`` limits the digits after the comma (with a message showing the value read)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs, self.minimum, self.maximum = self._setup(kwargs)
        self.places = kwargs.pop("decimal_places", None)
        kwargs.pop("max_digits", None)
        kwargs.pop("localize", None)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        return self._read(value)

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)
        self._check_bounds(value, self.minimum, self.maximum)
        if value is not None and self.places is not None:
            exponent = value.normalize().as_tuple().exponent
            if isinstance(exponent, int) and -exponent > self.places:
                raise ValidationError(
                    TOO_MANY_PLACES,
                    code="max_decimal_places",
                    params={"value": self._shown(value), "places": self.places},
                )

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return forms.Field.widget_attrs(self, widget)


class VnIntegerField(_VnNumberMixin, forms.IntegerField):
    """A whole number — a count, an amount in đồng, a year — typed the Vietnamese way → int. Decimals are
    refused with both readings: «1,100» is 1,1 the Vietnamese way; one thousand one hundred is 1.100.
    ``grouping=False`` for years, document numbers and positions (rendered 2026, not 2.026)."""

    whole = True

    def __init__(self, **kwargs: Any) -> None:
        kwargs, self.minimum, self.maximum = self._setup(kwargs)
        kwargs.pop("localize", None)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        number = self._read(value)
        if number is None:
            return None
        if isinstance(value, int | Decimal):
            text = numbers.format_vn(number)
        else:
            text = _strip_unit(str(value), self.unit)
        try:
            return numbers.count_reading(text, number)
        except numbers.NumberError as error:
            raise number_error(error) from None

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)
        self._check_bounds(value, self.minimum, self.maximum)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return forms.Field.widget_attrs(self, widget)


def year_field(label: Any, *, required: bool = True, help_text: Any = "") -> VnIntegerField:
    """A year 2000–2100, shown without grouping."""
    return VnIntegerField(
        label=label, required=required, min_value=2000, max_value=2100, grouping=False, help_text=help_text
    )


# ---------------------------------------------------------------------------------------------- dates

DATE_FORMAT = "%d/%m/%Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_HELP = _("Ngày/tháng/năm, ví dụ 15/02/2026.")
DATE_INVALID = _("Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 15/02/2026.")
DATE_YEAR = _("Năm của ngày «%(text)s» không hợp lệ: ghi đủ bốn chữ số của năm, ví dụ 15/02/2026.")


class VnDateInput(forms.DateInput):
    """dd/mm/yyyy in a text box: the form it is written in is the form it is read in."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-vn-date": "",
        }
        super().__init__({**base, **(attrs or {})}, format=DATE_FORMAT)


class VnDateField(forms.DateField):
    """The date field of every form: dd/mm/yyyy (also 15-02-2026, 15.02.2026 and 2026-02-15 when pasted);
    a year of fewer than four digits (15/02/26) is refused rather than read as the year 26."""

    input_formats = DATE_INPUT_FORMATS

    def __init__(self, **kwargs: Any) -> None:
        widget = kwargs.get("widget")
        if widget is None:
            kwargs["widget"] = VnDateInput()
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault(
            "help_text", DATE_HELP if not isinstance(kwargs["widget"], forms.HiddenInput) else ""
        )
        messages = {"invalid": DATE_INVALID, **(kwargs.pop("error_messages", None) or {})}
        super().__init__(error_messages=messages, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        result = super().to_python(value)
        if isinstance(result, dt.date) and result.year < 1900:
            raise ValidationError(DATE_YEAR, code="invalid_year", params={"text": str(value).strip()})
        return result


def date_field(
    label: Any, *, required: bool = True, help_text: Any = DATE_HELP, **kwargs: Any
) -> VnDateField:
    return VnDateField(label=label, required=required, help_text=help_text, **kwargs)
