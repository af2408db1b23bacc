"""FRIENDLYGOV_CACHE: one cache per worker by default; a table in the database (or Redis) shared by every
worker and app server, so that the public pages' rate limits count once for the whole site."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from friendlygov.db_router import REPLICA_ALIAS, ReplicaRouter
from friendlygov.settings import cache_backend
from friendlygov.surveys import protection


def test_cache_setting_names_the_backend() -> None:
    assert cache_backend("")["BACKEND"].endswith("LocMemCache")
    assert cache_backend("locmem")["BACKEND"].endswith("LocMemCache")
    assert cache_backend("db") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "friendlygov_cache",
    }
    assert cache_backend(" redis://cache.internal:6379/1 ") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
    }
    with pytest.raises(ImproperlyConfigured, match="FRIENDLYGOV_CACHE='memcache' không hợp lệ"):
        cache_backend("memcache")


@pytest.fixture
def database_cache(db: None) -> Iterator[None]:
    with override_settings(CACHES={"default": cache_backend("db")}, SURVEYS_RATE_LIMITS=((2, 60),)):
        call_command("createcachetable", verbosity=0)
        yield
        caches["default"].clear()


@pytest.mark.usefixtures("database_cache")
def test_rate_limits_are_counted_in_the_shared_table() -> None:
    assert protection.allow_submission("203.0.113.7") and protection.allow_submission("203.0.113.7")
    assert not protection.allow_submission("203.0.113.7")  # the third in the minute
    assert protection.allow_submission("203.0.113.8")  # another address counts on its own
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM friendlygov_cache")
        assert cursor.fetchone()[0] == 2  # one counter per address: what every app server reads


def test_the_database_cache_is_never_read_from_the_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache.backends.db import DatabaseCache

    from friendlygov.org.models import Unit

    monkeypatch.setattr("friendlygov.db_router.read_alias", lambda: REPLICA_ALIAS)  # as inside use_replica()
    cache_model = DatabaseCache("friendlygov_cache", {}).cache_model_class
    assert ReplicaRouter().db_for_read(Unit) == REPLICA_ALIAS
    assert ReplicaRouter().db_for_read(cache_model) == "default"
