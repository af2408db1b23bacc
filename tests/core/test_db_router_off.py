"""Without DATABASE_REPLICA_URL (the usual case, and this suite's), `use_replica()` changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from friendlygov.db_router import read_alias, replica_configured, use_replica
from friendlygov.org.models import Unit


@pytest.mark.skipif("replica" in settings.DATABASES, reason="DATABASE_REPLICA_URL is set for this run")
def test_use_replica_without_a_replica_reads_the_primary(world: Any) -> None:
    assert not replica_configured()
    with use_replica():
        assert read_alias() == "default"
        assert Unit.objects.count() == 3
