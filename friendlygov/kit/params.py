"""Query parameters of pages, read without trusting them (issue 16): a value that is malformed or out of
range counts as absent — the filter is ignored, the page shows everything — and never becomes an error
of the server (a year -1, an id of 23 digits, a day 30 of February)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import Field

MAX_ID = 2**63 - 1  # the largest primary key (BigAutoField; SQLite and PostgreSQL bigint)
YEAR_MIN, YEAR_MAX = 2000, 2100  # the years the programme's data can concern
# The year of an API query or path: outside the programme's years there are no data, and a day of year 1
# has no time-zone offset a client can read (Asia/Ho_Chi_Minh was +07:06:40 until 1906).
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX, description="Năm (2000–2100).")]
_INTEGER = re.compile(r"-?[0-9]{1,19}")  # ASCII digits only: int() also reads "١٢" and "1_000"


def int_param(value: Any, *, low: int, high: int) -> int | None:
    """The integer ``value`` when it is written in plain digits and lies in [low, high]; else None."""
    text = value.strip() if isinstance(value, str) else ""
    if not _INTEGER.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def id_param(value: Any) -> int | None:
    """A record's id (a positive integer a database key can hold), or None."""
    return int_param(value, low=1, high=MAX_ID)


def year_param(value: Any) -> int | None:
    """A year of the programme (2000–2100), or None."""
    return int_param(value, low=YEAR_MIN, high=YEAR_MAX)


def date_param(value: Any) -> dt.date | None:
    """A date written YYYY-MM-DD or dd/mm/yyyy within the programme's years, or None."""
    text = value.strip() if isinstance(value, str) else ""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day if YEAR_MIN <= day.year <= YEAR_MAX else None
    return None
