"""The kept survey figures' SIPAS reads are served by an index holding the whole summed row."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_survey_tally_read_index_holds_the_whole_row() -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "tallies_surveytally")
    assert constraints["survey_tally_read"]["columns"] == [
        "unit_id",
        "questionnaire_id",
        "period",
        "item",
        "value",
        "count",
    ]


def test_postgresql_vacuums_the_kept_survey_rows_often() -> None:
    """The covering index answers without the table only for pages a vacuum marked all-visible: the kept
    rows, rewritten by every counted answer, are vacuumed after 20,000 changed rows (migration 0004)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's autovacuum settings (run on PostgreSQL by .ci/run)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'tallies_surveytally'")
        (options,) = cursor.fetchone()
    assert set(options) >= {"autovacuum_vacuum_scale_factor=0", "autovacuum_vacuum_threshold=20000"}
