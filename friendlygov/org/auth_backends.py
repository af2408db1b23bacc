from __future__ import annotations

import unicodedata
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


def find_account(username: str) -> Any:
    """The account a login name points at: the username in any case, or a unique e-mail address."""
    users = get_user_model().objects
    user = users.filter(username__iexact=username).first()
    if user is None and "@" in username:
        matches = list(users.filter(email__iexact=username)[:2])
        user = matches[0] if len(matches) == 1 else None
    return user


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or the e-mail address (case-insensitive)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or password is None:
            return None
        user = find_account(username)
        if user is None:
            get_user_model()().set_password(password)  # same time whether or not the user exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    """What django-axes counts failed logins under (settings.AXES_USERNAME_CALLABLE): the account, not the
    text typed — ``TM.KINHTE``, `` tm.kinhte `` and the account's e-mail address share one counter, as they
    log into the same account. A name that matches no account is counted under its lower-case form."""
    typed: Any = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = getattr(request, "data", request.POST).get("username")
    text = unicodedata.normalize("NFKC", str(typed or "")).strip()  # as the login form reads it
    if not text:
        return ""
    user = find_account(text)
    return str(user.get_username() if user is not None else text).lower()
