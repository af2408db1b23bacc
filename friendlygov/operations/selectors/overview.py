"""The operations overview of a commune and its home-page panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from friendlygov.kit.panels import Panel
from friendlygov.operations import permissions as perms
from friendlygov.operations.models import Conference, Shortfall, SignatureRequest
from friendlygov.org.access import Capability, can
from friendlygov.org.models import Unit

from .budget import budget_figures
from .common import QUARTER_LABELS
from .communication import communication_figures
from .reviews import unit_reviews
from .rewards import reward_figures
from .villages import village_figures


def today() -> dt.date:
    return timezone.localdate()


def current_quarter(day: dt.date | None = None) -> int:
    day = day or today()
    return (day.month - 1) // 3 + 1


def overview(unit: Unit, year: int) -> dict[str, Any]:
    """The figures of the overview page (this area's own; no other area's)."""
    return {
        "communication": communication_figures(unit=unit, year=year),
        "villages": village_figures(unit=unit, year=year),
        "budget": budget_figures(unit=unit, year=year),
        "rewards": reward_figures(unit=unit, year=year),
        "shortfalls_open": Shortfall.objects.filter(
            unit=unit, year=year, status=Shortfall.Status.OPEN
        ).count(),
        "waiting_signatures": SignatureRequest.objects.filter(
            unit=unit, status=SignatureRequest.Status.WAITING
        ).count(),
        "upcoming_conferences": list(
            Conference.objects.filter(
                unit=unit, status=Conference.Status.SCHEDULED, held_on__gte=today()
            ).order_by("held_on")[:3]
        ),
        "reviews": list(unit_reviews(unit)),
    }


def unit_home_panel(request: HttpRequest, unit: Unit) -> Panel | None:
    """This quarter's communication (count, reach), the year's budget used vs approved, documents awaiting
    signature."""
    if not can(request.user, Capability.READ, unit) or unit.is_city:
        return None
    day = today()
    quarter = current_quarter(day)
    # the quarter's row of the year's figures (activities are never dated after today)
    this_quarter = communication_figures(unit=unit, year=day.year)["by_quarter"][quarter - 1]
    budget = budget_figures(unit=unit, year=day.year)
    context = {
        "unit": unit,
        "year": day.year,
        "quarter_label": QUARTER_LABELS[quarter],
        "count": this_quarter["count"],
        "reach": this_quarter["reach"],
        "budget": budget,
        "waiting": SignatureRequest.objects.filter(unit=unit, status=SignatureRequest.Status.WAITING).count(),
        "may_sign": perms.may_sign(request.user, unit),
        "may_record": perms.may_record_any(request.user, unit),
    }
    return Panel("operations/panel_unit.html", context, order=400)
