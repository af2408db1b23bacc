"""Protection of the public survey against stuffing: rate limits per address, device tokens, form timing.

Rate limits go through the one limiter of the public pages (``kit.ratelimit``: the cache it counts in, the
client's address behind a trusted proxy). Limits: ``settings.SURVEYS_RATE_LIMITS`` — a list of
``(submissions, seconds)`` windows, default 10 a minute and 60 an hour per address (generous because a
service centre's visitors may share one address). Addresses and device tokens are stored only as keyed
hashes.

Form tokens (issued with the form page, and by the API's form endpoint) are signed and carry a one-use
number: the first answer stored with a token uses it up (a unique row, so two simultaneous posts cannot
both take it); a later answer with the same token is kept but goes to review, never into the figures.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from friendlygov.kit import ratelimit

DEFAULT_RATE_LIMITS: tuple[tuple[int, int], ...] = ((10, 60), (60, 3600))
DEVICE_COOKIE = "fg_ks"
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 3600
FORM_TOKEN_SALT = "friendlygov.surveys.form"
FORM_TOKEN_MAX_AGE = 7 * 24 * 3600
#: Answers sent faster than this after the form was opened are flagged.
DEFAULT_MIN_SECONDS = 3
#: A second answer from the same device within this many hours is flagged (kiosk links excepted).
DEFAULT_DEVICE_REPEAT_HOURS = 24


def min_seconds() -> int:
    return int(getattr(settings, "SURVEYS_MIN_SECONDS", DEFAULT_MIN_SECONDS))


def device_repeat_hours() -> int:
    return int(getattr(settings, "SURVEYS_DEVICE_REPEAT_HOURS", DEFAULT_DEVICE_REPEAT_HOURS))


def rate_limits() -> tuple[tuple[int, int], ...]:
    return tuple(tuple(w) for w in getattr(settings, "SURVEYS_RATE_LIMITS", DEFAULT_RATE_LIMITS))


def keyed_hash(kind: str, value: str) -> str:
    if not value:
        return ""
    return salted_hmac(f"friendlygov.surveys.{kind}", value, algorithm="sha256").hexdigest()


def allow_submission(ip: str, *, scope: str = "submit") -> bool:
    """Count one submission attempt from ``ip``; False when a window's limit is already reached."""
    return ratelimit.allow(scope=f"surveys:{scope}", client=ip, windows=rate_limits())


def new_device_token() -> str:
    return secrets.token_urlsafe(24)


def device_token(request: HttpRequest) -> str:
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    return value if 16 <= len(value) <= 64 else ""


@dataclass(frozen=True)
class OpenedForm:
    """What a valid form token says: when the form was opened, and its one-use number."""

    started_at: dt.datetime
    nonce: str


def form_token(link_token: str, at: dt.datetime | None = None) -> str:
    """A signed token recording when the form was opened (to flag answers sent implausibly fast), with a
    random one-use number: the first answer stored with it uses it up (``FormTokenUse``)."""
    moment = at or timezone.now()
    return signing.dumps(
        {"l": link_token, "t": moment.timestamp(), "n": secrets.token_urlsafe(12)},
        salt=FORM_TOKEN_SALT,
        compress=True,
    )


def read_form_token(token: str, link_token: str) -> OpenedForm | None:
    """The opened form, or None when the token is missing, forged, too old, for another link, or of the
    old kind without a one-use number."""
    if not token:
        return None
    try:
        data: Any = signing.loads(token, salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("l") != link_token:
        return None
    nonce = data.get("n")
    if not isinstance(nonce, str) or not 8 <= len(nonce) <= 32:
        return None
    try:
        started = dt.datetime.fromtimestamp(float(data["t"]), tz=dt.UTC)
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    return OpenedForm(started_at=started, nonce=nonce)
