"""The demo: Thanh Miện's plan through the appendix parser, some work done with evidence, some late."""

from __future__ import annotations

import datetime as dt

import time_machine

from friendlygov.kit.demo import DemoContext
from friendlygov.org import demo as org_demo
from friendlygov.plans import demo, selectors
from friendlygov.plans.models import Obstacle, Occurrence, OccurrenceEvidence, Plan


@time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC))
def test_demo_loads_the_seed_plan(db: None) -> None:
    context = DemoContext()
    org_demo.load(context)
    demo.load(context)
    plan = context.extra["plan"]
    assert isinstance(plan, Plan) and plan.title.startswith("Triển khai thực hiện mô hình")
    assert plan.tasks.count() == 10 and set(context.extra["plan_tasks"]) == {str(n) for n in range(1, 11)}
    assert [(t.year, t.level_code) for t in plan.targets.all()] == [(y, "3") for y in range(2026, 2030)] + [
        (2030, "4")
    ]
    assert "nâng mức" in plan.targets.get(year=2028).note
    assert plan.duties.filter(body__code="PVHCC").exists()
    # done on the programme calendar's days: the budget estimate (01), the registration (01), two check-ins,
    # the villages' reviews (10) and the self-assessment (11); the third quarter's check-in is not reported
    done = Occurrence.objects.filter(status="done")
    assert sorted((o.task.number, o.period) for o in done) == [
        ("2", "2026"), ("3", "2026"), ("4", "2026-Q1"), ("4", "2026-Q2"), ("5", "2026"), ("8", "2026")
    ]  # fmt: skip
    assert OccurrenceEvidence.objects.count() == 6
    assert [(o.task.number, o.period) for o in selectors.late_occurrences(context.unit)] == [("4", "2026-Q3")]
    assert Occurrence.objects.filter(status="in_progress").exists()
    assert Obstacle.objects.get().status == "forwarded"
    assert selectors.target_level_for(unit=context.unit, year=2026) == "3"
    assert selectors.task_completion_figure(unit=context.unit, year=2026) is not None
