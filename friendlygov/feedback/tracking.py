"""Tracking codes and the per-address rate limits of the public feedback pages."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.http import HttpRequest

from friendlygov.kit import ratelimit

#: No 0/O, 1/I/L: a code read aloud over the phone or copied from paper is not misread.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 31^10 ≈ 8·10^14 codes: unguessable under the lookup rate limit
_CLEAN = re.compile(r"[\s\-._]")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str | None:
    """The stored form of a code typed by a person ("abcde-fghjk" → "ABCDEFGHJK"); None if it cannot be one."""
    code = _CLEAN.sub("", raw or "").upper()
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


# Limits: (number of requests, seconds). Overridable in settings for deployments and tests.
SUBMIT_LIMIT = (5, 600)
LOOKUP_LIMIT = (30, 600)


def rate_limited(request: HttpRequest, bucket: str) -> bool:
    """Count one request of `bucket` (``submit`` or ``lookup``) for the client's address; True when over
    the limit (``kit.ratelimit``, the one limiter of the public pages)."""
    limits = getattr(settings, "FEEDBACK_RATE_LIMITS", {})
    window = limits.get(bucket, SUBMIT_LIMIT if bucket == "submit" else LOOKUP_LIMIT)
    return not ratelimit.allow(
        scope=f"feedback:{bucket}", client=ratelimit.client_address(request), windows=[window]
    )
