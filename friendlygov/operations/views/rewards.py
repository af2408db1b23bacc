"""Pages of the rewards registers: nominations, council, reward decisions, good practices, shortfalls."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import CouncilMeeting, GoodPractice, Nomination
from friendlygov.operations.params import int_or_none as _int
from friendlygov.operations.params import year_of as _year
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Unit
from friendlygov.org.pages import commune_page as _unit_page

from .common import _attempt, _common, _form_page


def _nomination(request: HttpRequest, unit: Unit, pk: int) -> Nomination:
    return access.get_object_for(
        request.user,
        Nomination.objects.filter(unit=unit).select_related("body", "proposed_by_body", "decision", "unit"),
        pk=pk,
    )


@login_required
def nomination_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    n = _nomination(request, unit, pk)
    return render(
        request,
        "operations/nomination_detail.html",
        _common(
            request,
            unit,
            tab="rewards",
            n=n,
            may_edit=services.may_edit_nomination(request.user, n),
            votes=n.votes.select_related("member", "meeting").order_by(
                "meeting__held_on", "member__position"
            ),
        ),
    )


@login_required
def meeting_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    access.require(request.user, Capability.COORDINATE, unit)
    year = _year(request)
    form = f.CouncilMeetingForm(
        request.POST or None,
        request.FILES or None,
        unit=unit,
        year=year,
        initial={
            "nominations": list(
                Nomination.objects.filter(
                    unit=unit, year=year, status=Nomination.Status.PROPOSED
                ).values_list("pk", flat=True)
            )
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        meeting = _attempt(
            form,
            lambda: services.hold_council_meeting(
                actor=request.user,
                unit=unit,
                year=year,
                held_on=d["held_on"],
                members=services.parse_members(d["members"]),
                nominations=d["nominations"],
                place=d["place"],
                chair=d["chair"],
                note=d["note"],
                minutes=d["minutes"],
            ),
        )
        if meeting is not None:
            messages.success(request, _("Đã ghi phiên họp; tiếp theo: ghi biểu quyết từng đề nghị."))
            return redirect("operations:meeting_detail", slug=unit.slug, pk=meeting.pk)
    return _form_page(
        request,
        unit,
        form,
        _("Phiên họp Hội đồng Thi đua - Khen thưởng năm %(y)s") % {"y": year},
        reverse("operations:rewards", args=[unit.slug]) + f"?nam={year}",
        multipart=True,
    )


@login_required
def meeting_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    meeting = access.get_object_for(
        request.user, CouncilMeeting.objects.filter(unit=unit).select_related("minutes", "unit"), pk=pk
    )
    forms_by_nomination: dict[int, Any] = {}
    status = 200
    if request.method == "POST":
        access.require(request.user, Capability.COORDINATE, unit)
        nomination = meeting.nominations.filter(pk=_int(request.POST.get("nomination")) or 0).first()
        if nomination is None:
            raise Http404
        form = f.VotesForm(request.POST, meeting=meeting, prefix=f"n{nomination.pk}")
        if form.is_valid():
            saved = _attempt(
                form,
                lambda: services.record_votes(
                    actor=request.user,
                    meeting=meeting,
                    nomination=nomination,
                    votes=form.votes(),
                    expected_version=form.cleaned_data["version"],
                ),
            )
            if saved is not None:
                messages.success(request, _("Đã ghi biểu quyết: %(s)s.") % {"s": saved.get_status_display()})
                return redirect("operations:meeting_detail", slug=unit.slug, pk=meeting.pk)
        forms_by_nomination[nomination.pk] = form
        status = 400
    sheets = selectors.meeting_sheets(meeting)
    for sheet in sheets:
        if sheet.nomination.pk not in forms_by_nomination:
            initial = {f"vote_{m}": c for m, c in sheet.votes.items()} | {"version": sheet.nomination.version}
            forms_by_nomination[sheet.nomination.pk] = f.VotesForm(
                meeting=meeting, prefix=f"n{sheet.nomination.pk}", initial=initial
            )
    return render(
        request,
        "operations/meeting_detail.html",
        _common(
            request,
            unit,
            tab="rewards",
            meeting=meeting,
            members=list(meeting.members.all()),
            sheets=[(s, forms_by_nomination[s.nomination.pk]) for s in sheets],
        ),
        status=status,
    )


@login_required
def decision_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_decide_rewards(request.user, unit))
    year = _year(request)
    form = f.DecisionForm(request.POST or None, request.FILES or None, unit=unit, year=year)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        decision = _attempt(
            form,
            lambda: services.record_reward_decision(
                actor=request.user,
                unit=unit,
                year=year,
                number=d["number"],
                signed_on=d["signed_on"],
                reward_form=d["reward_form"],
                nominations=d["nominations"],
                signer=d["signer"],
                upload=d["upload"],
            ),
        )
        if decision is not None:
            messages.success(request, _("Đã ghi quyết định khen thưởng %(d)s.") % {"d": decision})
            return redirect(reverse("operations:rewards", args=[unit.slug]) + f"?nam={year}")
    return _form_page(
        request,
        unit,
        form,
        _("Quyết định khen thưởng năm %(y)s") % {"y": year},
        reverse("operations:rewards", args=[unit.slug]) + f"?nam={year}",
        multipart=True,
        intro=_(
            "Chỉ chọn được các đề nghị Hội đồng Thi đua - Khen thưởng đã biểu quyết đề nghị khen thưởng."
        ),
    )


@login_required
@require_POST
def good_practice_publish(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    practice = access.get_object_for(request.user, GoodPractice.objects.filter(unit=unit), pk=pk)
    try:
        services.set_good_practice_published(
            actor=request.user,
            practice=practice,
            published=request.POST.get("publish") == "1",
            expected_version=_int(request.POST.get("version")),
        )
        messages.success(
            request, _("Đã công khai.") if request.POST.get("publish") == "1" else _("Đã thôi công khai.")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("operations:good_practices", args=[unit.slug]) + f"?nam={practice.year}")
