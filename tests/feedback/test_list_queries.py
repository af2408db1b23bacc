"""The staff list is paged in SQL: its queries do not grow with the unit's items, and the page shows the
same rows, deadlines and counts as the full (export) list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from friendlygov.feedback import selectors, services
from friendlygov.feedback.models import Feedback, StateType
from tests.factories import World
from tests.feedback.conftest import submit

pytestmark = pytest.mark.django_db

LIST = "/don-vi/thanh-mien/phan-anh/"
TODAY = dt.datetime(2026, 4, 20, 2, tzinfo=dt.UTC)


def _add(world: World, n: int, *, first_day: int = 0) -> list[Feedback]:
    """`n` items received on working days from 2 March 2026 on, in every kind of state."""
    items = []
    for i in range(n):
        day = dt.date(2026, 3, 2) + dt.timedelta(days=(first_day + i) % 35)
        with time_machine.travel(dt.datetime.combine(day, dt.time(2), tzinfo=dt.UTC), tick=False):
            item = submit(world, contact=False, subject=f"Phản ánh số {first_day + i}")
            kind = i % 4
            target: str
            if kind == 1:
                target = StateType.WAITING_CITIZEN
            elif kind == 2:
                target = StateType.IN_PROGRESS
            elif kind == 3:
                target = StateType.REJECTED
            else:
                target = ""
            if target:
                services.transition_feedback(
                    actor=world.coordinator, feedback=item, state=services.default_state(world.unit, target)
                )
        items.append(item)
    return items


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_items(world: World, client_for: Any) -> None:
    _add(world, 8)
    with time_machine.travel(TODAY, tick=False):
        client = client_for(world.coordinator)
        client.get(LIST)  # warm-up: the session, the default states
        before = {url: _queries(client, url) for url in (LIST, f"{LIST}?qua_han=1", f"{LIST}?loai=open")}
    _add(world, 40, first_day=8)
    with time_machine.travel(TODAY, tick=False):
        after = {url: _queries(client, url) for url in before}
        after_page_2 = _queries(client, f"{LIST}?page=2")
    for url, n in before.items():
        assert after[url] <= n, f"{url}: {n} queries with 8 items, {after[url]} with 48"
    assert after_page_2 <= before[LIST]
    assert before[LIST] <= 25


def test_page_matches_the_full_list(world: World, client_for: Any) -> None:
    _add(world, 36)
    with time_machine.travel(TODAY, tick=False):
        everything = selectors.feedback_rows(unit=world.unit)
        counts = selectors.pending_counts(unit=world.unit)
        first = selectors.feedback_page(unit=world.unit)
        second = selectors.feedback_page(unit=world.unit, page="2")
        assert first.total == second.total == len(everything) == 36
        shown = list(first.page.object_list) + list(second.page.object_list)
        assert [(r.item.pk, r.status) for r in shown] == [(r.item.pk, r.status) for r in everything]
        assert len(first.page.object_list) == selectors.PAGE_SIZE and first.counts == counts
        assert selectors.feedback_page(unit=world.unit, page="99").page.number == 2  # out of range: last
        assert selectors.feedback_page(unit=world.unit, page="x").page.number == 1
        for filters in (
            selectors.Filters(overdue=True),
            selectors.Filters(due_soon=True),
            selectors.Filters(overdue=True, state_type=StateType.OPEN),
            selectors.Filters(state_type=StateType.REJECTED),
            selectors.Filters(query="phan anh so 1"),
        ):
            full = selectors.feedback_rows(unit=world.unit, filters=filters)
            paged = selectors.feedback_page(unit=world.unit, filters=filters, per_page=1000)
            assert [(r.item.pk, r.status) for r in paged.page.object_list] == [
                (r.item.pk, r.status) for r in full
            ], filters
            assert paged.total == len(full)
        assert counts.overdue > 0 and counts.waiting > 0
        client = client_for(world.coordinator)
        html = client.get(f"{LIST}?page=2").content.decode()
        assert "36 phản ánh" in html and "2/2" in html
        assert f'id="overdue-count">{counts.overdue} quá hạn' in html
