"""Pages of the communication register: list, export, edit, criteria coverage."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import CommunicationActivity, CommunicationKind
from friendlygov.operations.params import choice_of as _choice
from friendlygov.operations.params import int_or_none as _int
from friendlygov.operations.params import query_of as _q
from friendlygov.operations.params import year_of as _year
from friendlygov.operations.params import years_around as _years
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.org.models import Body, Unit
from friendlygov.org.pages import commune_page as _unit_page

from .common import _attempt, _common, _form_page, _xlsx


def _activity_filter(request: HttpRequest) -> selectors.ActivityFilter:
    g = request.GET
    quarter = _int(g.get("quy"))
    return selectors.ActivityFilter(
        year=_year(request),
        quarter=quarter if quarter in (1, 2, 3, 4) else None,
        kind=_choice(request, "loai", CommunicationKind),
        body_id=_int(g.get("co_quan")),
        criterion=g.get("tieu_chi", "").strip()[:30],
        task_id=_int(g.get("nhiem_vu")),
        query=_q(request),
    )


@login_required
def activities(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    filters = _activity_filter(request)
    items = selectors.activities(unit, filters)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "operations/activities.html",
        _common(
            request,
            unit,
            tab="communication",
            page=page,
            total=len(items),
            f=filters,
            year=filters.year,
            years=_years(unit, filters.year or 0),
            kinds=CommunicationKind.choices,
            bodies=Body.objects.filter(unit=unit, is_active=True),
            totals={"reach": sum(a.reach for a in items), "cost": sum(a.cost for a in items)},
            figures=selectors.communication_figures(unit=unit, year=filters.year or selectors.today().year),
        ),
    )


@login_required
def activities_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    filters = _activity_filter(request)
    rows = selectors.activity_rows(selectors.activities(unit, filters))
    return _xlsx(
        f"tuyen-truyen-{unit.slug}-{filters.year}.xlsx",
        "Tuyên truyền",
        selectors.ACTIVITY_HEADER,
        rows,
        f"Hoạt động tuyên truyền năm {filters.year} — {unit.full_name}",
    )


@login_required
def activity_criteria(request: HttpRequest, slug: str) -> HttpResponse:
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


def _activity_form_page(
    request: HttpRequest, unit: Unit, form: Any, activity: CommunicationActivity | None
) -> HttpResponse:
    title = _("Sửa hoạt động tuyên truyền") if activity else _("Ghi hoạt động tuyên truyền")
    back = (
        reverse("operations:activity_detail", args=[unit.slug, activity.pk])
        if activity
        else reverse("operations:activities", args=[unit.slug])
    )
    return _form_page(request, unit, form, title, back, multipart=True, places=f.PLACES, activity=activity)


@login_required
def activity_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    bodies = perms.duty_bodies_for(request.user, unit)
    perms.require_that(request.user, unit, bool(bodies))
    form = f.ActivityForm(
        request.POST or None,
        request.FILES or None,
        unit=unit,
        bodies=bodies,
        tasks=selectors.task_choices(unit),
        initial={
            "held_on": selectors.today(),
            "reach": 0,
            "body": bodies[0].pk if len(bodies) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        activity = _attempt(
            form,
            lambda: services.record_activity(
                actor=request.user, unit=unit, uploads=form.cleaned_data["photos"], **form.service_fields()
            ),
        )
        if activity is not None:
            messages.success(request, _("Đã ghi hoạt động tuyên truyền."))
            return redirect("operations:activity_detail", slug=unit.slug, pk=activity.pk)
    return _activity_form_page(request, unit, form, None)


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


@login_required
def activity_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    activity = _activity(request, unit, pk)
    perms.require_that(request.user, unit, perms.may_record_for(request.user, unit, activity.body))
    bodies = perms.duty_bodies_for(request.user, unit)
    if activity.body not in bodies:
        bodies.append(activity.body)
    form = f.ActivityForm(
        request.POST or None,
        request.FILES or None,
        unit=unit,
        bodies=bodies,
        tasks=selectors.task_choices(unit),
        initial=f.ActivityForm.initial_for(activity),
    )
    if request.method == "POST" and form.is_valid():
        saved = _attempt(
            form,
            lambda: services.update_activity(
                actor=request.user,
                activity=activity,
                expected_version=form.cleaned_data["version"],
                uploads=form.cleaned_data["photos"],
                **form.service_fields(),
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("operations:activity_detail", slug=unit.slug, pk=activity.pk)
    return _activity_form_page(request, unit, form, activity)
