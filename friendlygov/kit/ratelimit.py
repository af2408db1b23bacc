"""The one rate limiter of the public pages (survey answers, citizens' feedback and its lookups).

Counts live in Django's cache: per worker with the default local-memory cache, shared by every worker and
server with ``FRIENDLYGOV_CACHE=db`` or Redis (settings.cache_backend). Each window starts with the first
request it counts. Addresses are keyed hashes in the cache keys, never kept in clear.

The client's address is ``REMOTE_ADDR`` unless ``settings.CLIENT_IP_HEADER``
(``FRIENDLYGOV_CLIENT_IP_HEADER``, e.g. ``HTTP_X_FORWARDED_FOR``) names a header that a trusted reverse
proxy sets; its last entry is the address the proxy saw. Unset, a forwarded header is ignored: a client
could write anything in it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

#: (requests, seconds): at most that many requests in that many seconds.
Window = tuple[int, int]


def client_address(request: HttpRequest) -> str:
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        forwarded = str(request.META.get(header, ""))
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR") or "")


def allow(*, scope: str, client: str, windows: Sequence[Window]) -> bool:
    """Count one request of ``scope`` from ``client``; False when any window's limit is already passed."""
    digest = salted_hmac("friendlygov.ratelimit", client or "unknown", algorithm="sha256").hexdigest()[:32]
    allowed = True
    for limit, seconds in windows:
        key = f"rl:{scope}:{seconds}:{digest}"
        if cache.add(key, 1, timeout=seconds):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=seconds)
                count = 1
        if count > limit:
            allowed = False
    return allowed
