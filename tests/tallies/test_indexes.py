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
