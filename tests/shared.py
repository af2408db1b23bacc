"""Data made once for all the tests of a module, when each test only reads it or its writes are undone.

``made_once`` opens a transaction on the test database, with the settings every test has
(``tests/conftest.py``), for a module-scoped fixture to make its data in; the fixture yields inside it and
the transaction is rolled back when the module is done, so the other modules find the database empty. Each
test of the module runs in its own savepoint (pytest-django's ``db``), rolled back after it; a test that
needs the files made with the data copies the ``media`` folder into its own ``MEDIA_ROOT``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.utils import translation


@contextmanager
def made_once(django_db_blocker: Any, media: Path) -> Iterator[None]:
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            AXES_ENABLED=False,
        ),
        translation.override("vi"),
        transaction.atomic(),
    ):
        cache.clear()
        yield
        transaction.set_rollback(True)  # leave the test database empty for the other modules
