"""PostgreSQL vacuums the kept survey rows after a fixed number of changed rows, not a fifth of the table.

Every counted answer rewrites ~57 kept rows, and the covering index ``survey_tally_read`` is only read
without visiting the table for pages PostgreSQL knows to be all-visible, which only a vacuum records. With
the default (a vacuum once a fifth of the table has changed: ~1,650 answers at city size) the city's SIPAS
read went from 86 to 8,993 table visits and 3.4 to 9.5 ms after 912 answers spread over the city (the city
survey comparison 49 -> 56 ms), back to 3.7 ms after a vacuum (bench/RESULTS.md, issue 18 fourth round).
20,000 changed rows is ~350 answers. SQLite has no vacuum of this kind: nothing to do there."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SETTINGS = "autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 20000"


def set_autovacuum(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE tallies_surveytally SET ({SETTINGS})")


def reset_autovacuum(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE tallies_surveytally RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold)"
        )


class Migration(migrations.Migration):
    dependencies = [("tallies", "0003_survey_tally_read")]

    operations = [migrations.RunPython(set_autovacuum, reset_autovacuum)]
