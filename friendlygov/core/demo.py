"""Demo data: Hải Phòng with Thanh Miện and a few other units, dated relative to today.

Each area contributes a step (a function taking the DemoContext); they run in order in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string

DEMO_PASSWORD = "thanthien2026"

DEMO_STEPS: list[str] = [
    "friendlygov.org.demo.load",
    "friendlygov.plans.demo.load",
    "friendlygov.assessments.demo.load",
    "friendlygov.surveys.demo.load",
    "friendlygov.feedback.demo.load",
    "friendlygov.dossiers.demo.load",
    "friendlygov.operations.demo.load",
    "friendlygov.documents.demo.load",
]


@dataclass
class DemoContext:
    city: Any = None
    unit: Any = None  # Thanh Miện
    other_units: list[Any] = field(default_factory=list)
    bodies: dict[str, Any] = field(default_factory=dict)  # by code, Thanh Miện's
    users: dict[str, Any] = field(default_factory=dict)  # by username
    extra: dict[str, Any] = field(default_factory=dict)


def database_is_empty() -> bool:
    from friendlygov.org.models import Unit

    return not Unit.objects.exists()


@transaction.atomic
def load_demo() -> DemoContext:
    context = DemoContext()
    for path in DEMO_STEPS:
        import_string(path)(context)
    return context
