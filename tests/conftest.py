from __future__ import annotations

import os
from typing import Any

import pytest

from tests.factories import World, make_world

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False
    # Rate limits and cached dashboard figures live in the cache; no test may see another's.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _vietnamese_to_start() -> Any:
    """Every test starts in the default language: a page requested in English leaves English active in the
    thread (LocaleMiddleware), and messages made at call time would follow it into the next test."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


@pytest.fixture
def client_for(client: Any) -> Any:
    """client_for(user) → a test client logged in as that user."""

    def login(user: Any) -> Any:
        client.logout()
        client.force_login(user)
        return client

    return login
