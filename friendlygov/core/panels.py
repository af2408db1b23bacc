"""Home-page panels contributed by each area.

A panel function takes (request, unit) and returns a Panel or None. The shell imports them by dotted
path so that it depends on no area directly; each area adds its own line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import import_string

from friendlygov.org.models import Unit


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


UNIT_PANELS: list[str] = [
    "friendlygov.org.selectors.unit_home_panel",
    "friendlygov.assessments.selectors.unit_home_panel",
    "friendlygov.plans.selectors.home_panel",
    "friendlygov.surveys.selectors.unit_panel",
    "friendlygov.feedback.selectors.unit_home_panel",
    "friendlygov.operations.selectors.unit_home_panel",
]
CITY_PANELS: list[str] = [
    "friendlygov.assessments.selectors.city_home_panel",
    "friendlygov.surveys.selectors.city_panel",
    "friendlygov.documents.selectors.city_panel",
]


def collect(paths: list[str], request: HttpRequest, unit: Unit) -> list[Panel]:
    panels = []
    for path in paths:
        function: Callable[[HttpRequest, Unit], Panel | None] = import_string(path)
        panel = function(request, unit)
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda p: p.order)
