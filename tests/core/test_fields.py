"""The one number field and the one date field: reading, read-back, round trip, and every form using them."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

import friendlygov
from friendlygov.kit import fields as core_fields
from friendlygov.kit.fields import (
    VnDateField,
    VnDateInput,
    VnDecimalField,
    VnIntegerField,
    VnNumberInput,
    year_field,
)
from friendlygov.rules import numbers

PACKAGE = Path(friendlygov.__file__).resolve().parent


class Sample(forms.Form):
    count = VnIntegerField(label="Số lượt", min_value=0)
    share = VnDecimalField(
        label="Tỷ lệ", required=False, min_value=0, max_value=100, unit="%", decimal_places=2
    )
    year = year_field("Năm", required=False)
    amount = VnIntegerField(label="Số tiền", required=False, min_value=0, unit="đồng")
    day = VnDateField(label="Ngày", required=False)


def test_the_form_messages_are_the_parsers_messages() -> None:
    """The fields give gettext the very msgids the pure parser writes (the English UI can translate)."""
    assert set(core_fields.MESSAGES) == set(numbers.MESSAGES)
    with translation.override("vi"):
        for code, text in numbers.MESSAGES.items():
            assert str(core_fields.MESSAGES[code]) == text


def test_reading_units_and_bounds() -> None:
    form = Sample(
        {"count": "1.100", "share": "81,48%", "year": "2026", "amount": "1.500.000 đồng", "day": "5/1/2026"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "count": 1100,
        "share": Decimal("81.48"),
        "year": 2026,
        "amount": 1500000,
        "day": dt.date(2026, 1, 5),
    }
    form = Sample({"count": "1,100", "share": "1.100", "year": "1999", "amount": "-5"})
    assert not form.is_valid()
    assert "Nếu ý bạn là 1.100 thì ghi 1.100" in form.errors["count"][0]
    assert form.errors["share"] == ["Đọc là 1.100% — tối đa là 100%."]
    assert form.errors["year"] == ["Đọc là 1999 — phải từ 2000 trở lên."]
    assert form.errors["amount"] == ["Đọc là -5 đồng — phải từ 0 đồng trở lên."]
    form = Sample({"count": "3", "share": "1,234"})
    assert not form.is_valid()
    assert form.errors["share"] == ["Đọc là 1,234% — chỉ ghi tối đa 2 chữ số sau dấu phẩy."]


def test_initial_values_render_the_vietnamese_way_and_survive_a_round_trip() -> None:
    initial = {
        "count": 1100,
        "share": Decimal("81.480"),
        "year": 2026,
        "amount": 1500000,
        "day": dt.date(2026, 2, 15),
    }
    form = Sample(initial=initial)
    html = form.as_div()
    for value in (
        'value="1.100"',
        'value="81,48"',
        'value="2026"',
        'value="1.500.000"',
        'value="15/02/2026"',
    ):
        assert value in html
    # what the page wrote, sent back unchanged, is the same value and nothing "changed"
    posted = {name: form[name].field.widget.format_value(form[name].value()) for name in form.fields}
    again = Sample(posted, initial=initial)
    assert again.is_valid() and again.cleaned_data == {**initial, "share": Decimal("81.48")}
    assert not again.has_changed()


def test_the_server_reads_back_what_was_typed() -> None:
    form = Sample({"count": "1100", "share": "12,5", "amount": "2500000"})
    assert form.is_valid()
    assert "Đọc là: 1.100</output>" in str(form["count"])
    assert "Đọc là: 12,5%</output>" in str(form["share"])
    assert "Đọc là: 2.500.000 đồng</output>" in str(form["amount"])
    bad = Sample({"count": "1,5", "share": "8.5"})
    assert "Đọc là: 1,5 — không phải số nguyên</output>" in str(bad["count"])
    assert "Chưa đọc được số này" in str(bad["share"])
    # a value the app wrote itself is not echoed (the output is there, hidden, for the script)
    quiet = str(Sample(initial={"count": 5})["count"])
    assert re.search(r"<output [^>]*hidden></output>", quiet)


def test_the_number_widget_is_a_text_input_with_the_read_back_hooks() -> None:
    html = str(Sample()["count"])
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'data-vn-number="whole"' in html
    assert 'id="id_count-readback"' in html and 'data-read-as="Đọc là: %(value)s"' in html
    assert 'inputmode="decimal"' in str(Sample()["share"])


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_are_written_and_read_dd_mm_yyyy_in_any_language(language: str) -> None:
    with translation.override(language):
        form = Sample(initial={"count": 1, "day": dt.date(2026, 3, 9)})
        assert 'value="09/03/2026"' in str(form["day"]) and 'placeholder="dd/mm/yyyy"' in str(form["day"])
        for typed in ("09/03/2026", "9/3/2026", "09-03-2026", "09.03.2026", "2026-03-09"):
            bound = Sample({"count": "1", "day": typed})
            assert bound.is_valid() and bound.cleaned_data["day"] == dt.date(2026, 3, 9), typed
        for typed in ("03/09/26", "31/02/2026", "2026/03/09", "09/03/0026"):
            assert not Sample({"count": "1", "day": typed}).is_valid(), typed


# ---------------------------------------------------------------------------------------- every form


def _form_classes() -> list[type[forms.BaseForm]]:
    found: list[type[forms.BaseForm]] = []
    for info in pkgutil.iter_modules([str(PACKAGE)]):
        if not (PACKAGE / info.name / "forms.py").exists():
            continue
        module = importlib.import_module(f"friendlygov.{info.name}.forms")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_form_uses_the_one_number_field_and_the_one_date_field() -> None:
    classes = _form_classes()
    assert len(classes) > 40
    wrong: list[str] = []
    for cls in classes:
        for name, field in cls.base_fields.items():
            hidden = isinstance(field.widget, forms.HiddenInput)
            if isinstance(field, forms.DateField) and not isinstance(field, VnDateField):
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: date field")
            if (
                isinstance(field, forms.DateField)
                and not hidden
                and not isinstance(field.widget, VnDateInput)
            ):
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: date widget")
            if isinstance(field, forms.IntegerField | forms.FloatField) and not hidden:
                if not isinstance(field, VnIntegerField | VnDecimalField):
                    wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: number field")
                elif not isinstance(field.widget, VnNumberInput):
                    wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: number widget")
    assert wrong == []


def test_no_form_module_builds_its_own_date_or_number_input() -> None:
    pattern = re.compile(
        r"""forms\.(DateInput|NumberInput|DecimalField|FloatField)\b|["']type["']:\s*["'](date|number)"""
    )
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.glob("*/forms.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
