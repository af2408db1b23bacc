"""Reads: progress roll-ups (weighted, cancelled left out), late and due lists, targets, figure, home panel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from friendlygov.plans import selectors, services
from friendlygov.plans.models import Occurrence, Plan, Task
from tests.factories import World
from tests.plans.conftest import occ


def _set(occurrence: Occurrence, status: str, percent: int | None = None) -> None:
    Occurrence.objects.filter(pk=occurrence.pk).update(
        status=status,
        percent=percent if percent is not None else {"done": 100, "not_started": 0}.get(status, 50),
    )


def test_progress_rolls_up_weighted_and_leaves_cancelled_out(world: World, imported: Plan) -> None:
    _set(occ(imported, "3", "2026"), "done")  # task 3: 100
    _set(occ(imported, "5", "2026"), "in_progress", 40)  # task 5: 40
    _set(occ(imported, "1", "2026"), "cancelled", 0)  # task 1: nothing counted
    rows = {r.task.number: r for r in selectors.task_progress(imported, year=2026)}
    assert rows["3"].percent == 100 and rows["5"].percent == 40 and rows["1"].percent is None
    assert rows["4"].counted == 4 and rows["10"].counted == 0
    # 9 tasks count in 2026 (task 1 cancelled, task 10 has no 2026 deadline): (100 + 40) / 8 … with weights 1
    counted = [r for r in rows.values() if r.percent is not None]
    assert len(counted) == 8
    assert selectors.weighted_mean(rows.values()) == Decimal(140) / 8
    Task.objects.filter(plan=imported, number="3").update(weight=Decimal(3))
    rows = selectors.task_progress(imported, year=2026)
    assert selectors.weighted_mean(rows) == Decimal(340) / 10


def test_figure_for_the_assessments_area(world: World, imported: Plan) -> None:
    assert selectors.task_completion_figure(unit=world.unit, year=2026) is not None
    _set(occ(imported, "3", "2026"), "done")
    figure = selectors.task_completion_figure(unit=world.unit, year=2026)
    assert figure is not None
    assert figure.percent == Decimal("11.11")  # 100 / 9 tasks with a 2026 deadline
    assert (figure.numerator, figure.denominator) == (1, 12)
    assert figure.reference == f"/don-vi/thanh-mien/ke-hoach/{imported.pk}/"
    assert selectors.task_completion_figure(unit=world.other, year=2026) is None
    assert selectors.task_completion_figure(unit=world.unit, year=2019) is None


def test_target_level_for(world: World, plan: Plan) -> None:
    assert selectors.target_level_for(unit=world.unit, year=2026) == "3"
    assert selectors.target_level_for(unit=world.unit, year=2030) == "4"
    assert selectors.target_level_for(unit=world.unit, year=2028) is None
    assert selectors.target_level_for(unit=world.unit, year=2025) is None
    assert selectors.target_level_for(unit=world.other, year=2026) is None


def test_timeline_per_task_and_year(world: World, imported: Plan) -> None:
    _set(occ(imported, "10", "2027"), "done")
    timeline = selectors.timeline(imported, today=dt.date(2026, 1, 5))
    assert timeline.years == [2026, 2027, 2028, 2029, 2030]
    row = next(cells for task, cells in timeline.rows if task.number == "10")
    assert [c.counted for c in row] == [0, 1, 0, 0, 1] and row[1].percent == 100
    assert timeline.targets[2027] is not None and timeline.targets[2027].note == "phấn đấu nâng mức"


@time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
def test_late_and_due_soon_lists(world: World, imported: Plan) -> None:
    late = selectors.late_occurrences(world.unit)
    assert [(o.task.number, o.period) for o in late] == [
        ("3", "2026"),
        ("4", "2026-Q1"),
        ("4", "2026-Q2"),
        ("4", "2026-Q3"),
        ("5", "2026"),
    ]
    _set(occ(imported, "3", "2026"), "done")
    _set(occ(imported, "4", "2026-Q1"), "cancelled")
    assert len(selectors.late_occurrences(world.unit)) == 3
    assert selectors.due_soon(world.unit) == []  # nothing until 31/12
    soon = selectors.due_soon(world.unit, days=45)
    assert {o.due for o in soon} == {dt.date(2026, 12, 31)}
    assert sorted(o.task.number for o in soon) == ["1", "2", "4", "6", "7", "8", "9"]
    filtered = selectors.filter_occurrences(
        world.unit, selectors.OccurrenceFilter(status="open", query="cai cach thu tuc")
    )
    assert {o.task.number for o in filtered} == {"9"}
    by_body = selectors.filter_occurrences(
        world.unit, selectors.OccurrenceFilter(body=world.bodies["PVHCC"], year=2026)
    )
    assert [o.task.number for o in by_body] == ["9"]


def test_my_work(world: World, imported: Plan) -> None:
    work = selectors.my_work(world.member, world.unit)
    assert work.bodies == [world.bodies["PVHCC"]]
    assert {o.task.number for o in work.leading} == {"9"}
    party = selectors.my_work(world.users["party"], world.unit, today=dt.date(2027, 12, 1))
    assert {o.task.number for o in party.coordinating} >= {"10"}
    assert selectors.my_work(world.users["observer"], world.unit).bodies == []


def test_calendar_months(world: World, imported: Plan) -> None:
    months = selectors.calendar_months(imported, 2026)
    assert [m.month for m in months] == list(range(1, 13))
    february = months[1]
    assert [(o.task.number, o.due) for o in february.items] == [("3", dt.date(2026, 2, 13))]
    assert len(months[11].items) == 7
    pvhcc = selectors.calendar_months(imported, 2026, body=world.bodies["PVHCC"])
    assert sum(len(m.items) for m in pvhcc) == 1


def test_task_sheet_for_excel(world: World, imported: Plan) -> None:
    spec = selectors.task_sheet(imported, 2026)
    header, rows = list(spec.header), list(spec.rows)
    assert spec.name == "Nhiệm vụ" and header[0] == "STT" and "Hạn năm 2026" in header
    row3 = next(r for r in rows if r[0] == "3")
    assert row3[header.index("Hạn năm 2026")] == dt.date(2026, 2, 13)  # a date, one per row
    assert row3[header.index("Cơ quan chủ trì")] == "Phòng Văn hóa - Xã hội"
    due = header.index("Hạn năm 2026")
    for row in rows:
        assert row[due] is None or isinstance(row[due], dt.date)
    # a task due several times has one row per deadline, its own cells repeated for the merge
    several = [n for n in {r[0] for r in rows} if sum(1 for r in rows if r[0] == n) > 1]
    assert several
    for number in several:
        mine = [r for r in rows if r[0] == number]
        dues = [r[due] for r in mine]
        assert dues == sorted(dues) and len(set(dues)) == len(dues)
        assert len({r[header.index("Nhiệm vụ cụ thể")] for r in mine}) == 1
    coordinators = header.index("Cơ quan phối hợp")
    for row in rows:
        names = [n.strip() for n in str(row[coordinators] or "").split(";") if n.strip()]
        assert len(names) == len(set(names))


def test_home_panel_empty_state_and_content(world: World) -> None:
    request = RequestFactory().get("/")
    request.user = world.coordinator
    panel = selectors.home_panel(request, world.unit)
    assert panel is not None and panel.context["plan"] is None and panel.context["can_coordinate"]
    assert selectors.home_panel(request, world.city) is None


@time_machine.travel(dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC))
def test_home_panel_with_a_plan(world: World, imported: Plan) -> None:
    request = RequestFactory().get("/")
    request.user = world.member
    panel = selectors.home_panel(request, world.unit)
    assert panel is not None
    assert panel.context["target"].level_code == "3"
    assert panel.context["late_count"] == 5 and panel.context["soon_count"] == 7
    assert len(panel.context["soon"]) == 5
    assert not panel.context["can_coordinate"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=500), st.integers(min_value=0, max_value=100)),
        min_size=1,
        max_size=8,
    )
)
def test_weighted_mean_is_between_min_and_max(items: list[tuple[int, int]]) -> None:
    rows = []
    for weight, percent in items:
        task = Task(weight=Decimal(weight) / 100)
        rows.append(selectors.TaskProgress(task=task, percent=Decimal(percent), counted=1))
    mean = selectors.weighted_mean(rows)
    assert mean is not None
    assert min(p for _, p in items) <= mean <= max(p for _, p in items)


@pytest.mark.parametrize(("year", "expected"), [(2024, 2026), (2028, 2028), (2040, 2030)])
def test_default_year_is_clamped(world: World, imported: Plan, year: int, expected: int) -> None:
    assert selectors.default_year(imported, dt.date(year, 5, 1)) == expected


def test_revision_chain(world: World, plan: Plan) -> None:
    new = services.revise_plan(
        actor=world.coordinator, plan=plan, expected_version=plan.version, revision_note="Sửa"
    )
    assert [p.revision for p in selectors.revision_chain(plan)] == [1, 2]
    assert selectors.unit_plans(world.unit)[0][0] == new
    assert selectors.unit_plans(world.unit)[0][1][0].pk == plan.pk
