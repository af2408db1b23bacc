"""Demo data: the registry of the areas' demo steps (the shell's ``core.demo`` runs them).

Each area contributes a step (a function taking the DemoContext), registered from its own
``AppConfig.ready()`` with the steps it builds on (``register_demo_step(self.label, demo.load,
after=("org",))``); they run in the order registered, in one transaction. A step registered before a step
it names in ``after`` (or naming one that does not exist) fails at start-up.

An area may also give a ``later`` step: the later steps run after every area's first step, in the same order.
They are for what needs the other areas' records, whatever the order of the apps: this year's measured
figures accepted and the self-assessment submitted once the dossiers, feedback and communication work of the
year exist; a programme review that reads the year's cycle once it is submitted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from friendlygov.kit.registry import Registry, installed_app

DEMO_PASSWORD = "thanthien2026"


@dataclass
class DemoContext:
    city: Any = None
    unit: Any = None  # Thanh Miện
    other_units: list[Any] = field(default_factory=list)
    bodies: dict[str, Any] = field(default_factory=dict)  # by code, Thanh Miện's
    users: dict[str, Any] = field(default_factory=dict)  # by username
    extra: dict[str, Any] = field(default_factory=dict)


DemoStep = Callable[[DemoContext], None]

DEMO_STEPS: Registry[DemoStep] = Registry("demo steps", installed_app)
DEMO_LATER_STEPS: Registry[DemoStep] = Registry("later demo steps", installed_app)


def register_demo_step(
    area: str, step: DemoStep, *, after: Sequence[str] = (), later: DemoStep | None = None
) -> None:
    """Add ``area``'s demo step; the steps in ``after`` must already be registered (they run before it).
    ``later`` (optional) runs after every area's first step (see the module's text)."""
    missing = [name for name in after if name not in DEMO_STEPS]
    if missing:
        raise ImproperlyConfigured(
            f"demo step {area!r} builds on {', '.join(map(repr, missing))}, not registered before it "
            "(register that step, or list its app earlier in INSTALLED_APPS)."
        )
    DEMO_STEPS.register(area, step)
    if later is not None:
        DEMO_LATER_STEPS.register(area, later)
