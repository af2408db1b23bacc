"""The address the public sees: what QR posters, survey links and e-mailed links point at.

``FRIENDLYGOV_SITE_URL`` when it is set; otherwise the address of the request being served (its scheme and
host as Django reads them, so ``SECURE_PROXY_SSL_HEADER`` and ``USE_X_FORWARDED_HOST`` are honoured). Work done
outside a request (the daily reminder job) has no request to ask: commands that send links check
:func:`loopback_problem` before they start.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# The request this thread is serving (set by SiteAddressMiddleware).
_current_request: ContextVar[HttpRequest | None] = ContextVar("friendlygov_current_request", default=None)


def configured_url() -> str:
    """``FRIENDLYGOV_SITE_URL`` without its trailing slash ("" when unset)."""
    return str(getattr(settings, "SITE_URL", "") or "").strip().rstrip("/")


def fallback_url() -> str:
    """Outside a request and with no configured address: the local server (only for tests and demos)."""
    return f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"


def base_url(request: HttpRequest | None = None) -> str:
    """Scheme and host the public reaches the site at, without a trailing slash."""
    configured = configured_url()
    if configured:
        return configured
    request = request if request is not None else _current_request.get()
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return fallback_url()


def absolute(path: str, request: HttpRequest | None = None) -> str:
    """An absolute link to ``path`` (a path such as ``/ks/abc/``; an absolute URL is returned unchanged)."""
    if not path or urlsplit(path).scheme:
        return path
    return base_url(request) + ("" if path.startswith("/") else "/") + path


def is_loopback(url: str) -> bool:
    """Whether the address points at this machine only (127.0.0.0/8, ::1, localhost, 0.0.0.0)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def loopback_problem() -> str | None:
    """Why links sent outside a request would be dead (no public address, or a loopback one), or None."""
    configured = configured_url()
    if not configured:
        return (
            "Chưa đặt FRIENDLYGOV_SITE_URL: các đường liên kết gửi đi sẽ trỏ về "
            f"{fallback_url()}, người nhận không mở được. Hãy đặt địa chỉ công khai của hệ thống "
            "(ví dụ FRIENDLYGOV_SITE_URL=https://cqtt.haiphong.gov.vn), hoặc thêm --allow-loopback nếu cố ý."
        )
    if is_loopback(configured):
        return (
            f"FRIENDLYGOV_SITE_URL={configured} là địa chỉ nội bộ của máy này: người nhận không mở được các "
            "đường liên kết. Hãy đặt địa chỉ công khai của hệ thống, hoặc thêm --allow-loopback nếu cố ý."
        )
    return None


class SiteAddressMiddleware:
    """Remember the served request's address, so links built below a view (e-mails, notifications) use it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
