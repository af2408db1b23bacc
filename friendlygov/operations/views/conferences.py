"""Pages of the conference register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import Conference
from friendlygov.operations.params import int_or_none as _int
from friendlygov.operations.params import year_status_args as _year_status_args
from friendlygov.operations.params import years_around as _years
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.org.pages import commune_page as _unit_page

from .common import _attempt, _common, _form_page, _xlsx


@login_required
def conferences(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    args = _year_status_args(request, Conference.Status)
    return render(
        request,
        "operations/conferences.html",
        _common(
            request,
            unit,
            tab="office",
            items=selectors.conferences(unit, **args),
            year=args["year"],
            years=_years(unit, args["year"]),
            status=args["status"],
            query=args["query"],
            statuses=Conference.Status.choices,
        ),
    )


@login_required
def conferences_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    args = _year_status_args(request, Conference.Status)
    rows = selectors.conference_rows(selectors.conferences(unit, **args))
    return _xlsx(
        f"hoi-nghi-{unit.slug}-{args['year']}.xlsx",
        "Hội nghị",
        selectors.CONFERENCE_HEADER,
        rows,
        f"Hội nghị năm {args['year']} — {unit.full_name}",
    )


@login_required
def conference_edit(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_organise(request.user, unit))
    conference = (
        access.get_object_for(request.user, Conference.objects.filter(unit=unit), pk=pk) if pk else None
    )
    initial = (
        f.ConferenceForm.initial_for(conference) if conference else {"review": _int(request.GET.get("dot"))}
    )
    form = f.ConferenceForm(
        request.POST or None,
        request.FILES or None,
        unit=unit,
        editing=conference is not None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: (
                services.update_conference(
                    actor=request.user,
                    conference=conference,
                    expected_version=d["version"],
                    status=d.get("status") or None,
                    minutes=d.get("minutes"),
                    **form.service_fields(),
                )
                if conference
                else services.schedule_conference(actor=request.user, unit=unit, **form.service_fields())
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu hội nghị."))
            return redirect(
                reverse("operations:conferences", args=[unit.slug]) + f"?nam={saved.held_on.year}"
            )
    return _form_page(
        request,
        unit,
        form,
        _("Sửa hội nghị") if conference else _("Lên lịch hội nghị"),
        reverse("operations:conferences", args=[unit.slug]),
        multipart=True,
    )
