"""Idempotency keys of staff entry forms: a form records a paper answer or a feedback item once, even when
its post is sent again after a dropped connection (the key is generated when the form is shown, or is an
API client's own ``Idempotency-Key``; each area keeps it unique per unit on its own rows)."""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError

ENTRY_KEY_RE = re.compile(r"^[A-Za-z0-9_.:\-]{8,64}$")


def new_entry_key() -> str:
    return secrets.token_urlsafe(16)


def read_entry_key(raw: str | None) -> str | None:
    """The key as sent, None when there is none; ValidationError on ``entry_key`` when it is malformed."""
    key = (raw or "").strip()
    if not key:
        return None
    if not ENTRY_KEY_RE.match(key):
        raise ValidationError(
            {
                "entry_key": "Mã chống lưu trùng (Idempotency-Key) chỉ gồm chữ, chữ số và . _ : - "
                "(8 đến 64 ký tự)."
            }
        )
    return key
