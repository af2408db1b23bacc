"""The covering index of the kept survey figures exists on SQLite only (migration 0003 says why)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_survey_tally_read_index_exists_on_sqlite_only() -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "tallies_surveytally")
    if connection.vendor == "sqlite":
        assert constraints["survey_tally_read"]["columns"] == [
            "unit_id",
            "questionnaire_id",
            "period",
            "item",
            "value",
            "count",
        ]
    else:
        assert "survey_tally_read" not in constraints
