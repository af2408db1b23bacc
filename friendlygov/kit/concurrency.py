"""Optimistic locking for records two people may edit at once: each carries a `version`; a save made
from a page showing an older version is refused with a message instead of overwriting silently.

A record that does not exist yet counts as version 0: a page or client that saw no record sends 0, and
its save is refused when someone else created the record in the meantime (two people entering the first
score of a criterion at once)."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from pydantic import Field

CONFLICT = "Mục này đã được người khác cập nhật trong lúc bạn đang sửa. Hãy tải lại trang để xem bản mới nhất rồi lưu lại."
CONFLICT_CODE = "version_conflict"

# The lock of an API write: the version the client read (0 when it saw no record yet). Required wherever a
# write may change an existing record; another version than the stored one is refused with 422.
ExpectedVersion = Annotated[
    int,
    Field(
        ge=0,
        description="Phiên bản của bản ghi khi đọc (0 nếu chưa có bản ghi); khác phiên bản hiện tại → 422.",
    ),
]


def current_version(obj: Any, *, field: str = "version") -> int:
    """The stored version of ``obj``; 0 when there is no record yet (``obj`` is None)."""
    return 0 if obj is None else int(getattr(obj, field))


def check_version(
    obj: Any, expected_version: int | None, *, message: str = CONFLICT, field: str = "version"
) -> None:
    """Refuse the save when the page was showing another version than the stored one (None: no check).
    ``obj`` None is a record not created yet: only ``expected_version`` 0 (or None) matches it."""
    if expected_version is not None and int(expected_version) != current_version(obj, field=field):
        raise ValidationError(message, code=CONFLICT_CODE)


def is_conflict(error: ValidationError) -> bool:
    """Whether ``error`` is a refused save of an older version (raised by check_version)."""
    return any(e.code == CONFLICT_CODE for e in error.error_list) if hasattr(error, "error_list") else False
