"""Tracking codes and the per-address rate limits of the public feedback pages."""

from __future__ import annotations

import hashlib
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

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


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forwarded header can be forged unless the proxy in front is trusted and sets it.
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def rate_limited(request: HttpRequest, bucket: str) -> bool:
    """Count one request of `bucket` for the client's address; True when over the limit.

    The address is hashed before it becomes a cache key, so it is not kept in clear anywhere.
    """
    limits = getattr(settings, "FEEDBACK_RATE_LIMITS", {})
    count_limit, window = limits.get(bucket, SUBMIT_LIMIT if bucket == "submit" else LOOKUP_LIMIT)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()[:32]
    key = f"feedback-rl:{bucket}:{digest}"
    if cache.add(key, 1, timeout=window):
        return count_limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count > count_limit
