"""Vietnamese-style numbers and dates for pages: 1.250.000 đồng, 88,12%, 05/01/2026.

Registered as a template builtin, so every template can use the filters without {% load %}.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone

from friendlygov.rules.text import format_vn_number

register = template.Library()


def format_number(value: Any, places: int = 0, *, trim_zeros: bool = False) -> str:
    """The pages' side of the one number formatter (``rules.text.format_vn_number``): "—" for no value."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return format_vn_number(number, places, trim_zeros=trim_zeros)


@register.filter
def vn_number(value: Any, places: int = 0) -> str:
    return format_number(value, int(places))


@register.filter
def vn_decimal(value: Any, places: int = 2) -> str:
    """Trailing zeros dropped: 18 → "18", 18,5 → "18,5", 18,25 → "18,25"."""
    return format_number(value, int(places), trim_zeros=True)


@register.filter
def vn_percent(value: Any, places: int = 2) -> str:
    if value is None or value == "":
        return "—"
    return format_number(value, int(places)) + "%"


@register.filter
def vn_money(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return format_number(value, 0) + " đồng"


@register.filter
def vn_date(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@register.filter
def vn_datetime(value: Any) -> str:
    if not isinstance(value, dt.datetime):
        return vn_date(value)
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    return moment.strftime("%H:%M %d/%m/%Y")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def query_with(context: Any, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for filters and pagination links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return "?" + encoded if encoded else "?"
