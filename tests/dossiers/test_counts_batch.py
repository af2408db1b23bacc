"""`dossier_counts` (all units in one grouped query) agrees with `dossier_count` unit by unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from friendlygov.dossiers import selectors
from friendlygov.dossiers.models import Dossier
from tests.dossiers.test_figures import aware, make
from tests.factories import World

pytestmark = pytest.mark.django_db


def test_dossier_counts_match_each_unit(world: World) -> None:
    units = [world.unit, world.other]
    year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert selectors.dossier_counts(units=units, start=year[0], end=year[1]) == {
        world.unit.pk: None,
        world.other.pk: None,
    }
    assert selectors.dossier_counts(units=[], start=year[0], end=year[1]) == {}
    Dossier.objects.bulk_create(
        [
            make(world, "C-1", aware(2025, 1, 1, 0, 0), None, None),
            make(world, "C-2", aware(2025, 12, 31, 23, 59), None, None),
            make(world, "C-3", aware(2026, 1, 1, 0, 0), None, None),
            make(world, "C-4", aware(2024, 12, 31, 23, 59), None, None, unit=world.other),
        ]
    )
    for start, end in (
        year,
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2027, 1, 1), dt.date(2027, 1, 31)),
    ):
        with CaptureQueriesContext(connection) as queries:
            batch = selectors.dossier_counts(units=units, start=start, end=end)
        assert len(queries) <= 2
        assert batch == {u.pk: selectors.dossier_count(unit=u, start=start, end=end) for u in units}
    assert selectors.dossier_counts(units=units, start=year[0], end=year[1]) == {
        world.unit.pk: 2,
        world.other.pk: 0,
    }
