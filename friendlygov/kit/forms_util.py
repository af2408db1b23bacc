"""Mapping a domain ValidationError back onto a form, so the user sees it next to the field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        for message in error.messages:
            form.add_error(None, message)
