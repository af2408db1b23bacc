"""A covering index for the SIPAS reads of the kept survey figures, on SQLite only.

The city's SIPAS figures sum a period's kept rows per unit, item and value
(``tallies.selectors.survey_counts``). On SQLite an index holding the whole row serves that read without
visiting the table (13 → 6.5 ms for a city). On PostgreSQL the same index would put ``count`` in an index,
so the upsert of every counted answer could no longer update its rows in place (HOT): +0.7 ms per public
submission against 3 ms saved on a city's read, so it is not created there. Not a model ``Meta`` index for
that reason (the model state does not depend on the database).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

INDEX = "survey_tally_read"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON tallies_surveytally "
            "(unit_id, questionnaire_id, period, item, value, count)"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("tallies", "0002_feedback_tally"),
    ]

    operations = [migrations.RunPython(create, drop)]
