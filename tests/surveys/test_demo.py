"""The surveys part of the demo data loads on top of the organisation part."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.utils import timezone

from friendlygov.kit.demo import DemoContext
from friendlygov.org import demo as org_demo
from friendlygov.surveys import demo, selectors
from friendlygov.surveys.models import Response, SurveyLink
from friendlygov.tallies import services as tallies


def test_demo_loads(db: Any) -> None:
    context = DemoContext()
    org_demo.load(context)
    demo.load(context)
    tallies.rebuild()  # as the demo loader's step of the kept figures does
    unit = context.unit
    assert SurveyLink.objects.filter(unit=unit).count() == 4
    assert Response.objects.filter(unit=unit).count() > 300
    assert Response.objects.filter(unit=unit, status="flagged").count() == 3
    for other in context.other_units:
        assert Response.objects.filter(unit=other).exists()
    year = timezone.localdate().year
    assert selectors.sipas_figure(unit=unit, year=year - 1) is not None
    assert not Response.objects.filter(submitted_at__gt=timezone.now()).exists()


def test_demo_early_in_the_morning_has_no_future_answers(db: Any) -> None:
    with time_machine.travel(
        dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False
    ):
        context = DemoContext()
        org_demo.load(context)
        demo.load(context)
        assert not Response.objects.filter(submitted_at__gt=timezone.now()).exists()
        assert Response.objects.filter(submitted_at__year=2026).exists()
