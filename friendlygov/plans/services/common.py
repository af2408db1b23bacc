"""Helpers shared by the plan writes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.kit.concurrency import CONFLICT
from friendlygov.plans.models import Plan


def _bump(model: type[Any], pk: int, expected_version: int | None) -> None:
    """Increment the version only if nobody else did in the meantime (race-safe optimistic lock)."""
    rows = model.objects.filter(pk=pk)
    if expected_version is not None:
        rows = rows.filter(version=int(expected_version))
    if rows.update(version=F("version") + 1) != 1:
        raise ValidationError(CONFLICT)


def _require_current(plan: Plan) -> None:
    if not plan.is_current:
        raise ValidationError(_("Bản kế hoạch này đã được sửa đổi; chỉ cập nhật được bản hiện hành."))


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs)
