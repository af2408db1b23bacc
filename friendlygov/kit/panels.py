"""Home-page panels contributed by each area.

A panel function takes (request, unit) and returns a Panel or None. The shell depends on no area: each
area registers its own panels from its ``AppConfig.ready()`` (``register_unit_panel(self.label, …)``), under
its app label — an unknown label or a second panel of the same area on the same page fails at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from friendlygov.kit.registry import Registry, installed_app

if TYPE_CHECKING:  # the kit sits below the organisation tree; the type only
    from friendlygov.org.models import Unit


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


PanelFunction = Callable[[HttpRequest, "Unit"], "Panel | None"]


UNIT_PANELS: Registry[PanelFunction] = Registry("unit home panels", installed_app)
CITY_PANELS: Registry[PanelFunction] = Registry("city home panels", installed_app)


def register_unit_panel(area: str, function: PanelFunction) -> None:
    UNIT_PANELS.register(area, function)


def register_city_panel(area: str, function: PanelFunction) -> None:
    CITY_PANELS.register(area, function)


def collect(registry: Registry[PanelFunction], request: HttpRequest, unit: Unit) -> list[Panel]:
    panels = []
    for function in registry.values():
        panel = function(request, unit)
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda p: p.order)
