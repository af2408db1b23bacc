"""Pages of the communication register: list, export, edit, criteria coverage."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import CommunicationActivity
from friendlygov.operations.params import year_of as _year
from friendlygov.operations.params import years_around as _years
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.org.models import Unit
from friendlygov.org.pages import commune_page as _unit_page

from .common import _common


@login_required
def activity_criteria(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    return render(
        request,
        "operations/activity_criteria.html",
        _common(
            request,
            unit,
            tab="communication",
            year=year,
            years=_years(unit, year),
            rows=selectors.criteria_coverage(unit=unit, year=year),
            known=bool(selectors.criteria_info(unit=unit, year=year)),
        ),
    )


def _activity(request: HttpRequest, unit: Unit, pk: int) -> CommunicationActivity:
    return access.get_object_for(
        request.user,
        CommunicationActivity.objects.filter(unit=unit).select_related("body", "task", "unit", "created_by"),
        pk=pk,
    )


@login_required
def activity_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    activity = _activity(request, unit, pk)
    if request.method == "POST" and request.POST.get("remove_file"):
        try:
            services.remove_activity_file(
                actor=request.user, activity=activity, file_id=int(request.POST["remove_file"])
            )
            messages.success(request, _("Đã gỡ tệp."))
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("operations:activity_detail", slug=unit.slug, pk=activity.pk)
    info = (
        selectors.criteria_info(unit=unit, year=activity.held_on.year).get(activity.criterion_code)
        if activity.criterion_code
        else None
    )
    return render(
        request,
        "operations/activity_detail.html",
        _common(
            request,
            unit,
            tab="communication",
            a=activity,
            files=activity.files.select_related("evidence"),
            criterion=info,
            may_edit=perms.may_record_for(request.user, unit, activity.body),
            spendings=activity.spendings.select_related("line"),
        ),
    )
