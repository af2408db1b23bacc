"""Optimistic locking for records two people may edit at once: each carries a `version`; a save made
from a page showing an older version is refused with a message instead of overwriting silently."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

CONFLICT = (
    "Mục này đã được người khác cập nhật trong lúc bạn đang sửa. Hãy tải lại trang để xem bản mới nhất rồi lưu lại."
)


def check_version(obj: Any, expected_version: int | None, *, message: str = CONFLICT, field: str = "version") -> None:
    """Refuse the save when the page was showing another version than the stored one (None: no check)."""
    if expected_version is not None and int(expected_version) != getattr(obj, field):
        raise ValidationError(message)
