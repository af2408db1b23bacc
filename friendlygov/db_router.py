"""Reads of dashboards and reports may go to a read replica; everything else uses the primary.

Settings add the ``replica`` alias and this router only when ``DATABASE_REPLICA_URL`` is set. Code that
may read slightly stale data (a city dashboard, a report, an export) wraps its reads::

    @use_replica()
    def city_table(city): ...

    with use_replica():
        rows = list(Report.objects.filter(...))

Rules:
- writes always go to ``default``;
- a read inside ``use_replica()`` goes to ``replica`` only when that alias is configured and the code is
  not inside a transaction on ``default`` (in a transaction the read must see the transaction's own
  writes, and a replica lags behind anyway);
- without ``use_replica()`` every read goes to ``default``, so a page that has just saved something reads
  it back.
"""

from __future__ import annotations

import contextvars
from contextlib import ContextDecorator
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_ALIAS = "replica"

_replica_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "friendlygov_use_replica", default=False
)


class use_replica(ContextDecorator):  # noqa: N801 - reads like a function at the call site
    """Send the reads inside this block (or decorated function) to the replica when there is one."""

    def __init__(self) -> None:
        self._tokens: list[contextvars.Token[bool]] = []

    def _recreate_cm(self) -> use_replica:
        # A decorated function gets a fresh context manager per call (safe across threads).
        return type(self)()

    def __enter__(self) -> use_replica:
        self._tokens.append(_replica_wanted.set(True))
        return self

    def __exit__(self, *exc: object) -> None:
        _replica_wanted.reset(self._tokens.pop())


def replica_configured() -> bool:
    return REPLICA_ALIAS in settings.DATABASES


def read_alias() -> str:
    """The alias a read would use right now (for code that opens a cursor itself)."""
    if not _replica_wanted.get() or not replica_configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA_ALIAS


class ReplicaRouter:
    """Listed in DATABASE_ROUTERS when a replica is configured."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if model._meta.app_label == "django_cache":
            # The database cache holds rate limits and fingerprints that must see the latest writes.
            return DEFAULT_DB_ALIAS
        alias = read_alias()
        return alias if alias == REPLICA_ALIAS else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same data: an object read from the replica may be linked to one from the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        # The replica follows the primary by streaming replication; it is never migrated itself.
        return db != REPLICA_ALIAS
