from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.factories import World, make_world

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The files that take longest (tens of seconds each: a subprocess round trip, a walk of every page, the demo
# loaded at several dates), longest first. `make test` (--dist loadfile --no-loadscope-reorder) hands files to
# the workers in collection order, so these start first and the end of the run is made of short files —
# otherwise (xdist's default order puts files with few tests last) one worker may still be in the long walk
# while the other has finished. Only the order of the files changes; the order within a file is kept.
LONGEST_FIRST = (
    "tests/core/test_backup.py",
    "tests/core/test_hostile_queries.py",
    "tests/core/test_demo_calendar_later.py",
    "tests/core/test_demo_calendar.py",
    "tests/operations/test_permissions.py",
    "tests/core/test_demo_today.py",
    "tests/browser/test_assessments.py",
    "tests/documents/test_services.py",
    "tests/assessments/test_permission_parity.py",
    "tests/documents/test_command.py",
    "tests/core/test_query_counts.py",
    "tests/documents/test_views.py",
    "tests/tallies/test_kept_figures.py",
    "tests/plans/test_occurrence_page.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In xdist's workers only (their order is the one the files are handed out in): a run in one process
    keeps pytest-django's order."""
    if not hasattr(config, "workerinput"):
        return
    root = Path(config.rootpath)
    missing = [name for name in LONGEST_FIRST if not (root / name).is_file()]
    if missing:
        raise pytest.UsageError(f"tests/conftest.py LONGEST_FIRST names files that do not exist: {missing}")
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


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
