"""Reads of dashboards and reports go to the replica inside `use_replica()`; writes never do, and nothing
goes there inside a transaction on the primary.

The suite has no replica by default. Here a second alias, `replica`, is a test mirror of `default`
(`"TEST": {"MIRROR": "default"}`): a second connection to the same test database, exactly as a streaming
replica is a second server with the same data. The tests are transactional so that what the primary
commits is visible through the other connection.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext

from friendlygov.db_router import REPLICA_ALIAS, ReplicaRouter, read_alias, use_replica
from friendlygov.org.models import Unit

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA_ALIAS])


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Add the `replica` alias (a mirror of the test database) for this module only."""
    added = REPLICA_ALIAS not in django_settings.DATABASES
    if added:
        mirror: Any = copy.deepcopy(
            connections["default"].settings_dict
        )  # already points at the test database
        mirror["TEST"] = {**mirror.get("TEST", {}), "MIRROR": "default"}
        django_settings.DATABASES[REPLICA_ALIAS] = mirror
        if REPLICA_ALIAS not in connections.settings:  # the same dict in practice; be explicit anyway
            connections.settings[REPLICA_ALIAS] = mirror
    yield
    if added:
        with django_db_blocker.unblock():
            connections[REPLICA_ALIAS].close()
        django_settings.DATABASES.pop(REPLICA_ALIAS, None)
        connections.settings.pop(REPLICA_ALIAS, None)
        with contextlib.suppress(AttributeError):
            del connections[REPLICA_ALIAS]


@pytest.fixture(autouse=True)
def replica_router(settings: Any) -> None:
    settings.DATABASE_ROUTERS = ["friendlygov.db_router.ReplicaRouter"]


def _queries_on(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


def test_reads_go_to_the_primary_unless_asked(world: Any) -> None:
    assert Unit.objects.all().db == "default"
    with _queries_on(REPLICA_ALIAS) as on_replica:
        assert Unit.objects.count() == 3
    assert len(on_replica) == 0


def test_reads_inside_use_replica_go_to_the_replica_and_see_committed_data(world: Any) -> None:
    with use_replica():
        assert Unit.objects.all().db == REPLICA_ALIAS
        with _queries_on(REPLICA_ALIAS) as on_replica, _queries_on("default") as on_primary:
            names = sorted(Unit.objects.values_list("slug", flat=True))
    assert names == ["gia-loc", "hai-phong", "thanh-mien"]
    assert len(on_replica) == 1 and len(on_primary) == 0
    assert Unit.objects.all().db == "default"  # the block is over


def test_the_decorator_form(world: Any) -> None:
    @use_replica()
    def city_figures() -> tuple[str, int]:
        return Unit.objects.all().db, Unit.objects.filter(parent=world.city).count()

    assert city_figures() == (REPLICA_ALIAS, 2)
    assert city_figures() == (REPLICA_ALIAS, 2)  # a fresh context per call
    assert read_alias() == "default"


def test_writes_always_go_to_the_primary(world: Any) -> None:
    with use_replica():
        assert router.db_for_write(Unit) == "default"
        with _queries_on(REPLICA_ALIAS) as on_replica:
            unit = Unit.objects.create(kind=Unit.Kind.COMMUNE, name="Tứ Kỳ", slug="tu-ky", parent=world.city)
            Unit.objects.filter(pk=unit.pk).update(name="Tứ Kỳ mới")
        assert not any(
            q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for q in on_replica
        )
        assert unit._state.db == "default"
        # A replica-read object saved again goes to the primary too.
        fetched = Unit.objects.get(pk=unit.pk)
        assert fetched._state.db == REPLICA_ALIAS
        fetched.name = "Tứ Kỳ (sau)"
        fetched.save()
    assert Unit.objects.get(pk=unit.pk).name == "Tứ Kỳ (sau)"


def test_never_the_replica_inside_a_transaction_on_the_primary(world: Any) -> None:
    with transaction.atomic(), use_replica():
        Unit.objects.create(kind=Unit.Kind.COMMUNE, name="Ninh Giang", slug="ninh-giang", parent=world.city)
        assert read_alias() == "default"
        assert Unit.objects.all().db == "default"
        assert Unit.objects.filter(slug="ninh-giang").exists()  # sees its own uncommitted write
    with use_replica():
        assert read_alias() == REPLICA_ALIAS


def test_nesting_and_threads_keep_their_own_choice(world: Any) -> None:
    with use_replica():
        with use_replica():
            assert read_alias() == REPLICA_ALIAS
        assert read_alias() == REPLICA_ALIAS
        seen: list[str] = []
        thread = threading.Thread(target=lambda: seen.append(read_alias()))
        thread.start()
        thread.join()
        assert seen == ["default"]  # another request's thread is not affected
    assert read_alias() == "default"


def test_the_replica_is_never_migrated() -> None:
    replica_router = ReplicaRouter()
    assert replica_router.allow_migrate("default", "org") is True
    assert replica_router.allow_migrate(REPLICA_ALIAS, "org") is False
    assert replica_router.allow_relation(object(), object()) is True


@pytest.mark.parametrize(
    "url",
    [
        "/thanh-pho/hai-phong/",
        "/thanh-pho/hai-phong/danh-gia/",
        "/thanh-pho/hai-phong/khao-sat/",
        "/thanh-pho/hai-phong/ho-so/",
    ],
)
def test_city_dashboards_read_from_the_replica(world: Any, client: Any, url: str) -> None:
    client.force_login(world.reviewer)
    with _queries_on(REPLICA_ALIAS) as on_replica:
        assert client.get(url).status_code == 200
    assert len(on_replica.captured_queries) > 0
