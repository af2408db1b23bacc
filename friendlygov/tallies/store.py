"""Adding to kept counts: one ``INSERT … ON CONFLICT DO UPDATE`` statement for all the keys a write
touches (SQLite and PostgreSQL both have it), atomic under concurrent writers; the rows a decrement brings
to zero are deleted, so that the kept rows are exactly those a recount gives."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

from friendlygov.audit.services import renew_stamps

#: Rows per statement (SQLite allows 32 766 parameters; a row has at most 8).
BATCH = 500


def add(model: type[models.Model], keys: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Add ``count`` (the last value of each row) to the row of ``model`` with the given key values
    (``keys``: field names of the model's unique constraint, in the rows' order), creating it when
    missing. Returns the number of rows sent."""
    merged: dict[tuple[Any, ...], int] = {}
    for row in rows:
        key = tuple(row[:-1])
        merged[key] = merged.get(key, 0) + row[-1]
    # What was computed from these units' records is old once this commits, even when their counts come out
    # the same (a feedback item's history moved on): the audit log does not hold citizens' writes one by one.
    # The stamp first, as every write takes it (the audit log renews it before a service's counts are kept):
    # one lock order, or a citizen's answer and an official's transition in one unit could deadlock.
    renew_stamps(scopes={key[keys.index("unit")] for key in merged})
    changes = [(*key, n) for key, n in merged.items() if n]
    if not changes:
        return 0
    quote = connection.ops.quote_name
    meta: Any = model._meta
    table = quote(meta.db_table)
    columns = [quote(meta.get_field(name).column) for name in keys]
    count = quote(meta.get_field("count").column)
    placeholders = "(" + ", ".join(["%s"] * (len(keys) + 1)) + ")"
    with connection.cursor() as cursor:
        for first in range(0, len(changes), BATCH):
            batch = changes[first : first + BATCH]
            # Only quoted names from the model are formatted in; every value is a parameter.
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}, {count}) VALUES "  # noqa: S608
                + ", ".join([placeholders] * len(batch))
                + f" ON CONFLICT ({', '.join(columns)}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
            )
            cursor.execute(sql, [value for row in batch for value in row])
        if any(n < 0 for *_, n in changes):
            unit = quote(meta.get_field("unit").column)
            units = sorted({row[keys.index("unit")] for row in changes})
            cursor.execute(
                f"DELETE FROM {table} WHERE {count} = 0 AND {unit} IN ({', '.join(['%s'] * len(units))})",  # noqa: S608
                units,
            )
    return len(changes)
