"""The demo on the later dates of ``test_demo_calendar.DATES`` (the same checks, in a file of their own so
that both halves of the calendar can run at once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.core.test_demo_calendar import DATES, LATER, check_the_demo_on


@pytest.mark.parametrize("today", DATES[LATER:], ids=[d.isoformat() for d in DATES[LATER:]])
def test_the_demo_on_any_date(db: Any, today: dt.date) -> None:
    check_the_demo_on(today)
