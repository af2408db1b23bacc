"""Pages of the obstacles (difficulties the bodies report): the list with its report and forward forms,
an obstacle with its answer and close forms. Each form posts to its own small view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from friendlygov.kit.forms_util import attach_errors
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Body, Unit
from friendlygov.org.pages import unit_page as _unit_page
from friendlygov.plans import selectors, services
from friendlygov.plans.forms import AnswerForm, CloseForm, ForwardForm, ObstacleForm
from friendlygov.plans.models import Obstacle, Task


def _roles(request: AuthenticatedRequest, unit: Unit) -> dict[str, bool]:
    return {
        "can_coordinate": access.can(request.user, Capability.COORDINATE, unit),
        "can_lead": access.can(request.user, Capability.LEAD, unit),
    }


def _refused(request: AuthenticatedRequest, form: Any, exc: ValidationError, *, shown: bool) -> None:
    """The service's message: on its form when the page shows the form, else at the top of the page."""
    if shown:
        attach_errors(form, exc)
    else:
        messages.error(request, " ".join(exc.messages))


# ---------------------------------------------------------------------------------------------- the list


@dataclass
class _ListPage:
    unit: Unit
    bodies: list[Body]  # the bodies the person reports for
    report_form: ObstacleForm
    forward_form: ForwardForm


def _list_page(request: AuthenticatedRequest, slug: str, posted: str | None = None) -> _ListPage:
    unit = _unit_page(request, slug)
    bodies = services.reporting_bodies(request.user, unit)
    tasks = Task.objects.filter(plan__unit=unit, plan__is_current=True, is_active=True).order_by(
        "plan", "position"
    )
    reported = Obstacle.objects.filter(unit=unit, status=Obstacle.Status.REPORTED)
    return _ListPage(
        unit,
        bodies,
        ObstacleForm(request.POST if posted == "report" else None, bodies=bodies, tasks=tasks),
        ForwardForm(request.POST if posted == "forward" else None, queryset=reported),
    )


def _render_list(request: AuthenticatedRequest, page: _ListPage, status: int = 200) -> HttpResponse:
    unit = page.unit
    state = request.GET.get("status", "")
    if state not in Obstacle.Status.values:
        state = ""
    query = request.GET.get("q", "").strip()
    context = {
        "unit": unit,
        "items": selectors.obstacles_for_unit(unit, status=state, query=query),
        "status": state,
        "query": query,
        "statuses": Obstacle.Status.choices,
        "report_form": page.report_form,
        "forward_form": page.forward_form,
        "can_report": bool(page.bodies),
        "has_reported": Obstacle.objects.filter(unit=unit, status=Obstacle.Status.REPORTED).exists(),
        **_roles(request, unit),
    }
    return render(request, "plans/obstacles.html", context, status=status)


@login_required
@require_safe
def obstacles(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The unit's obstacles. The report form posts to ``obstacle_report``, the forward form to
    ``obstacle_forward``."""
    return _render_list(request, _list_page(request, slug))


@login_required
@require_POST
def obstacle_report(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """POST: a body reports a difficulty; the coordinators are told."""
    page = _list_page(request, slug, "report")
    if not page.bodies:
        raise PermissionDenied  # reads the unit, speaks for no body
    form = page.report_form
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.report_obstacle(
                actor=request.user, unit=page.unit, body=data["body"], text=data["text"], task=data["task"]
            )
            messages.success(request, _("Đã gửi vướng mắc đến đầu mối (Phòng Văn hóa - Xã hội)."))
            return redirect("plans:obstacles", slug=page.unit.slug)
        except ValidationError as exc:
            attach_errors(form, exc)
    return _render_list(request, page, status=400)


@login_required
@require_POST
def obstacle_forward(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """POST: the coordinator forwards reported obstacles to the leaders with a note."""
    page = _list_page(request, slug, "forward")
    access.require(request.user, Capability.COORDINATE, page.unit)
    form = page.forward_form
    if form.is_valid():
        try:
            forwarded = services.forward_obstacles(
                actor=request.user,
                unit=page.unit,
                obstacles=list(form.cleaned_data["obstacles"]),
                note=form.cleaned_data["note"],
            )
            messages.success(
                request,
                ngettext(
                    "Đã tổng hợp %(n)d vướng mắc, trình lãnh đạo.",
                    "Đã tổng hợp %(n)d vướng mắc, trình lãnh đạo.",
                    len(forwarded),
                )
                % {"n": len(forwarded)},
            )
            return redirect("plans:obstacles", slug=page.unit.slug)
        except ValidationError as exc:
            attach_errors(form, exc)
    return _render_list(request, page, status=400)


# ---------------------------------------------------------------------------------------------- one obstacle


@dataclass
class _DetailPage:
    unit: Unit
    obstacle: Obstacle
    answer_form: AnswerForm
    close_form: CloseForm


def _detail_page(request: AuthenticatedRequest, slug: str, pk: int, posted: str | None = None) -> _DetailPage:
    unit = _unit_page(request, slug)
    obstacle = access.get_object_for(
        request.user,
        Obstacle.objects.filter(unit=unit).select_related(
            "reported_by_body", "task", "reported_by", "answered_by"
        ),
        Capability.READ,
        pk=pk,
    )
    return _DetailPage(
        unit,
        obstacle,
        AnswerForm(
            request.POST if posted == "answer" else None,
            initial={"version": obstacle.version, "answer": obstacle.answer},
        ),
        CloseForm(request.POST if posted == "close" else None, initial={"version": obstacle.version}),
    )


def _render_detail(request: AuthenticatedRequest, page: _DetailPage, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {
        "unit": page.unit,
        "obstacle": page.obstacle,
        "answer_form": page.answer_form,
        "close_form": page.close_form,
        **_roles(request, page.unit),
    }
    return render(request, "plans/obstacle_detail.html", context, status=status)


@login_required
@require_safe
def obstacle_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """An obstacle. The answer form posts to ``obstacle_answer``, the close form to ``obstacle_close``."""
    return _render_detail(request, _detail_page(request, slug, pk))


@login_required
@require_POST
def obstacle_answer(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the unit's leader answers; the reporting body and the coordinators are told."""
    page = _detail_page(request, slug, pk, "answer")
    access.require(request.user, Capability.LEAD, page.unit)
    form = page.answer_form
    if form.is_valid():
        try:
            services.answer_obstacle(
                actor=request.user,
                obstacle=page.obstacle,
                expected_version=form.cleaned_data["version"],
                answer=form.cleaned_data["answer"],
            )
            messages.success(request, _("Đã gửi ý kiến trả lời."))
            return redirect("plans:obstacle_detail", slug=page.unit.slug, pk=page.obstacle.pk)
        except ValidationError as exc:
            _refused(request, form, exc, shown=page.obstacle.status != Obstacle.Status.CLOSED)
    return _render_detail(request, page, status=400)


@login_required
@require_POST
def obstacle_close(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the coordinator or the leader closes the obstacle."""
    page = _detail_page(request, slug, pk, "close")
    if not any(_roles(request, page.unit).values()):
        raise PermissionDenied
    form = page.close_form
    if form.is_valid():
        try:
            services.close_obstacle(
                actor=request.user,
                obstacle=page.obstacle,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Đã đóng vướng mắc."))
            return redirect("plans:obstacle_detail", slug=page.unit.slug, pk=page.obstacle.pk)
        except ValidationError as exc:
            _refused(request, form, exc, shown=page.obstacle.status != Obstacle.Status.CLOSED)
    return _render_detail(request, page, status=400)
