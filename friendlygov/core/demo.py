"""Loading the demo data: every area's registered step (``friendlygov.kit.demo``), in one transaction."""

from __future__ import annotations

from django.db import transaction

from friendlygov.kit.demo import DEMO_LATER_STEPS, DEMO_STEPS, DemoContext
from friendlygov.org.models import Unit


def database_is_empty() -> bool:
    return not Unit.objects.exists()


@transaction.atomic
def load_demo() -> DemoContext:
    context = DemoContext()
    for step in [*DEMO_STEPS.values(), *DEMO_LATER_STEPS.values()]:
        step(context)
    return context
