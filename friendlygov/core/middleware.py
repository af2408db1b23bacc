from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import SESSION_KEY as SESSION_USER_KEY
from django.contrib.auth import logout
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext

# Everything is served by the app itself; nothing may load from elsewhere.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/") and not request.path.startswith("/api/docs"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


IDLE_KEY = "_last_seen"
ABSOLUTE_KEY = "_signed_in_at"
TOUCH_EVERY = 60  # seconds: the session row is rewritten at most once a minute, not on every request


class SessionIdleTimeoutMiddleware:
    """Log out a session idle longer than SESSION_IDLE_TIMEOUT, or older than SESSION_COOKIE_AGE in all.

    Django alone refreshes the expiry whenever the session is saved, so the cookie age would otherwise slide;
    here the first-seen time bounds the session's whole life.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        session = getattr(request, "session", None)
        idle_limit = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 0) or 0)
        if session is not None and SESSION_USER_KEY in session:
            now = int(time.time())
            last_seen = int(session.get(IDLE_KEY, now))
            signed_in_at = int(session.get(ABSOLUTE_KEY, now))
            too_idle = idle_limit > 0 and now - last_seen > idle_limit
            too_old = now - signed_in_at > settings.SESSION_COOKIE_AGE
            if too_idle or too_old:
                logout(request)
            else:
                if ABSOLUTE_KEY not in session:
                    session[ABSOLUTE_KEY] = signed_in_at
                if IDLE_KEY not in session or now - last_seen >= TOUCH_EVERY:
                    session[IDLE_KEY] = now
        return self.get_response(request)


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the person chose another language (the language cookie set by the switcher).

    Commune computers often run browsers set to English; the browser's Accept-Language is therefore
    not followed, unlike Django's LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # For this request only: a worker thread (or a test process) goes back to the language it had,
        # so one English request never leaves the next one, or the next job on the thread, in English.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.headers.get("Vary", "")
        if "Cookie" not in patch_vary:
            response.headers["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        return response


class NulCharacterMiddleware:
    """Refuse input holding a NUL character (``%00`` in a query string, ``\\u0000`` in a JSON body): 400 on
    the pages, 422 on the API (its documented answer to invalid input, on every operation).

    No field of ours may hold one and PostgreSQL cannot store or even compare one (a query filtered by it
    fails); SQLite takes it. Forms already refuse it (Django's CharField), query strings and JSON did not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        in_query = any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        )
        in_json = request.content_type == "application/json" and (
            b"\\u0000" in request.body or b"\x00" in request.body
        )
        if in_query or in_json:
            message = gettext("Dữ liệu gửi lên có ký tự NUL (\\x00), không hợp lệ.")
            if request.path.startswith("/api/"):  # the API's documented answer to invalid input
                return JsonResponse(
                    {"detail": message}, status=422, json_dumps_params={"ensure_ascii": False}
                )
            raise SuspiciousOperation(message)
        return self.get_response(request)
