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
from friendlygov.operations.models import CouncilMeeting, GoodPractice, Nomination, RewardForm, Shortfall
from friendlygov.operations.params import choice_of as _choice
from friendlygov.operations.params import int_or_none as _int
from friendlygov.operations.params import query_of as _q
from friendlygov.operations.params import year_of as _year
from friendlygov.operations.params import year_status_args as _year_status_args
from friendlygov.operations.params import years_around as _years
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Body, Unit
from friendlygov.org.pages import commune_page as _unit_page

from .common import _attempt, _common, _form_page, _xlsx


def _nomination_filter(request: HttpRequest) -> selectors.NominationFilter:
    return selectors.NominationFilter(
        year=_year(request),
        status=_choice(request, "trang_thai", Nomination.Status),
        nominee_kind=_choice(request, "doi_tuong", Nomination.NomineeKind),
        body_id=_int(request.GET.get("co_quan")),
        query=_q(request),
    )


@login_required
def rewards(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    filters = _nomination_filter(request)
    year = filters.year or selectors.today().year
    return render(
        request,
        "operations/rewards.html",
        _common(
            request,
            unit,
            tab="rewards",
            items=selectors.nominations(unit, filters),
            f=filters,
            year=year,
            years=_years(unit, year),
            statuses=Nomination.Status.choices,
            nominee_kinds=Nomination.NomineeKind.choices,
            bodies=Body.objects.filter(unit=unit, is_active=True),
            meetings=CouncilMeeting.objects.filter(unit=unit, year=year).prefetch_related(
                "members", "nominations"
            ),
            decisions=selectors.decisions(unit, year),
            figures=selectors.reward_figures(unit=unit, year=year),
            may_nominate=bool(perms.duty_bodies_for(request.user, unit)),
        ),
    )


@login_required
def rewards_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    filters = _nomination_filter(request)
    rows = selectors.nomination_rows(selectors.nominations(unit, filters))
    return _xlsx(
        f"khen-thuong-{unit.slug}-{filters.year}.xlsx",
        "Đề nghị khen thưởng",
        selectors.NOMINATION_HEADER,
        rows,
        f"Đề nghị khen thưởng năm {filters.year} — {unit.full_name}",
    )


def _nomination(request: HttpRequest, unit: Unit, pk: int) -> Nomination:
    return access.get_object_for(
        request.user,
        Nomination.objects.filter(unit=unit).select_related("body", "proposed_by_body", "decision", "unit"),
        pk=pk,
    )


@login_required
def nomination_edit(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    proposers = perms.duty_bodies_for(request.user, unit)
    perms.require_that(request.user, unit, bool(proposers))
    nomination = _nomination(request, unit, pk) if pk else None
    if nomination is not None:
        perms.require_that(request.user, unit, services.may_edit_nomination(request.user, nomination))
    year = nomination.year if nomination else _year(request)
    form = f.NominationForm(
        request.POST or None,
        request.FILES or None,
        unit=unit,
        year=year,
        proposers=proposers,
        tasks=selectors.task_choices(unit),
        initial=f.NominationForm.initial_for(nomination)
        if nomination
        else {"nominee_kind": Nomination.NomineeKind.INDIVIDUAL, "proposed_form": RewardForm.GIAY_KHEN},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: (
                services.update_nomination(
                    actor=request.user,
                    nomination=nomination,
                    expected_version=d["version"],
                    activities=d["activities"],
                    tasks=d["tasks"],
                    uploads=d["uploads"],
                    **form.service_fields(),
                )
                if nomination
                else services.nominate(
                    actor=request.user,
                    unit=unit,
                    year=year,
                    proposed_by_body=d["proposed_by_body"],
                    activities=d["activities"],
                    tasks=d["tasks"],
                    uploads=d["uploads"],
                    **form.service_fields(),
                )
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu đề nghị khen thưởng."))
            return redirect("operations:nomination_detail", slug=unit.slug, pk=saved.pk)
    title = _("Sửa đề nghị khen thưởng") if nomination else _("Đề nghị khen thưởng năm %(y)s") % {"y": year}
    return _form_page(
        request,
        unit,
        form,
        title,
        reverse("operations:rewards", args=[unit.slug]) + f"?nam={year}",
        multipart=True,
        intro=_("Khen thưởng, biểu dương cá nhân, tập thể có thành tích tiêu biểu (tháng 12 hằng năm)."),
    )


@login_required
def nomination_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
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
def good_practices(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    flag = request.GET.get("cong_khai", "")
    items = selectors.good_practices(
        unit, year=year, query=_q(request), published={"co": True, "khong": False}.get(flag)
    )
    return render(
        request,
        "operations/good_practices.html",
        _common(
            request,
            unit,
            tab="rewards",
            items=items,
            year=year,
            years=_years(unit, year),
            query=_q(request),
            flag=flag,
        ),
    )


@login_required
def good_practices_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    flag = request.GET.get("cong_khai", "")
    items = selectors.good_practices(
        unit, year=year, query=_q(request), published={"co": True, "khong": False}.get(flag)
    )
    return _xlsx(
        f"dien-hinh-{unit.slug}-{year}.xlsx",
        "Cách làm hay",
        selectors.GOOD_PRACTICE_HEADER,
        selectors.good_practice_rows(items),
        f"Cách làm hay, điển hình năm {year} — {unit.full_name}",
    )


@login_required
def good_practice_edit(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_publicise(request.user, unit))
    practice = (
        access.get_object_for(request.user, GoodPractice.objects.filter(unit=unit), pk=pk) if pk else None
    )
    year = practice.year if practice else _year(request)
    initial = (
        {k: getattr(practice, k) for k in ("title", "summary", "version")}
        | {"body": practice.body_id, "nomination": practice.nomination_id, "activity": practice.activity_id}
        if practice
        else {}
    )
    form = f.GoodPracticeForm(request.POST or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _attempt(
            form,
            lambda: (
                services.update_good_practice(
                    actor=request.user,
                    practice=practice,
                    expected_version=form.cleaned_data["version"],
                    **form.service_fields(),
                )
                if practice
                else services.add_good_practice(
                    actor=request.user, unit=unit, year=year, **form.service_fields()
                )
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu cách làm hay."))
            return redirect(reverse("operations:good_practices", args=[unit.slug]) + f"?nam={year}")
    return _form_page(
        request,
        unit,
        form,
        _("Cách làm hay, điển hình năm %(y)s") % {"y": year},
        reverse("operations:good_practices", args=[unit.slug]) + f"?nam={year}",
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


@login_required
def shortfalls(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    args = _year_status_args(request, Shortfall.Status)
    return render(
        request,
        "operations/shortfalls.html",
        _common(
            request,
            unit,
            tab="rewards",
            items=selectors.shortfall_list(unit, **args),
            year=args["year"],
            years=_years(unit, args["year"]),
            status=args["status"],
            query=args["query"],
            statuses=Shortfall.Status.choices,
        ),
    )


@login_required
def shortfalls_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    args = _year_status_args(request, Shortfall.Status)
    rows = selectors.shortfall_rows(selectors.shortfall_list(unit, **args))
    return _xlsx(
        f"chua-nghiem-tuc-{unit.slug}-{args['year']}.xlsx",
        "Chưa nghiêm túc",
        selectors.SHORTFALL_HEADER,
        rows,
        f"Đơn vị thực hiện chưa nghiêm túc năm {args['year']} (nội bộ) — {unit.full_name}",
    )


@login_required
def shortfall_edit(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_publicise(request.user, unit))
    item = access.get_object_for(request.user, Shortfall.objects.filter(unit=unit), pk=pk) if pk else None
    year = item.year if item else _year(request)
    initial = (
        {
            k: getattr(item, k)
            for k in ("subject", "reason", "noted_on", "status", "resolution_note", "version")
        }
        | {"body": item.body_id}
        if item
        else {"noted_on": selectors.today()}
    )
    form = f.ShortfallForm(request.POST or None, unit=unit, initial=initial)
    if not item:
        del form.fields["status"]
        del form.fields["resolution_note"]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: (
                services.update_shortfall(
                    actor=request.user,
                    shortfall=item,
                    expected_version=d["version"],
                    status=d.get("status") or None,
                    resolution_note=d.get("resolution_note"),
                    **form.service_fields(),
                )
                if item
                else services.record_shortfall(
                    actor=request.user, unit=unit, year=year, **form.service_fields()
                )
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu."))
            return redirect(reverse("operations:shortfalls", args=[unit.slug]) + f"?nam={year}")
    return _form_page(
        request,
        unit,
        form,
        _("Đơn vị thực hiện chưa nghiêm túc (nội bộ)"),
        reverse("operations:shortfalls", args=[unit.slug]) + f"?nam={year}",
        intro=_("Danh sách này chỉ dùng trong nội bộ, không hiện trên trang công khai."),
    )
