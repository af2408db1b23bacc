import datetime as dt

import pytest

from friendlygov.core.calendar import working_calendar
from friendlygov.core.models import WorkingDaySwap


@pytest.mark.django_db
def test_swaps_apply_on_top_of_holidays() -> None:
    saturday = dt.date(2026, 10, 10)
    monday = dt.date(2026, 10, 12)
    assert not working_calendar().is_working_day(saturday)
    WorkingDaySwap.objects.create(date=saturday, is_working_day=True, reason="làm bù")
    WorkingDaySwap.objects.create(date=monday, is_working_day=False, reason="nghỉ bù")
    calendar = working_calendar()
    assert calendar.is_working_day(saturday) and not calendar.is_working_day(monday)
    assert not calendar.is_working_day(dt.date(2026, 9, 2))  # National Day, from the holidays package
