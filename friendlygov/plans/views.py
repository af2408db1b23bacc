"""Pages of the plans area. Thin: parse input, call one service or selector, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from friendlygov.kit.downloads import XLSX_CONTENT_TYPE as XLSX
from friendlygov.kit.downloads import download_response
from friendlygov.kit.forms_util import attach_errors
from friendlygov.kit.params import MAX_ID, int_param
from friendlygov.kit.spreadsheets import write_sheets
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Body, Unit
from friendlygov.org.pages import unit_page as _unit_page
from friendlygov.plans import selectors, services
from friendlygov.plans.forms import (
    AppendixConfirmForm,
    AppendixForm,
    BodyNamesForm,
    ContributionForm,
    OccurrenceForm,
    PlanForm,
    ReturnForm,
    ReviseForm,
    TaskBindingForm,
    TaskForm,
)
from friendlygov.plans.models import Obstacle, Occurrence, Plan, Task, local_today
from friendlygov.plans.permissions import OccurrencePermissions, Standing, occurrence_permissions


def _plan(request: HttpRequest, unit: Unit, pk: int, capability: Capability = Capability.READ) -> Plan:
    return access.get_object_for(
        request.user, Plan.objects.filter(unit=unit).select_related("unit"), capability, pk=pk
    )


def _int(value: str | None) -> int | None:
    """A non-negative integer of the query (an id, a year); malformed or out of range: None."""
    return int_param(value, low=0, high=MAX_ID)


def _body_param(request: HttpRequest, unit: Unit) -> Body | None:
    body_id = _int(request.GET.get("co_quan"))
    return Body.objects.filter(unit=unit, pk=body_id).first() if body_id else None


def _roles(request: HttpRequest, unit: Unit) -> dict[str, bool]:
    return {
        "can_coordinate": access.can(request.user, Capability.COORDINATE, unit),
        "can_lead": access.can(request.user, Capability.LEAD, unit),
    }


# ---------------------------------------------------------------------------------------------- plans


@login_required
def unit_plans(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    today = local_today()
    rows = []
    for plan, older in selectors.unit_plans(unit):
        year = selectors.default_year(plan, today)
        progress = selectors.weighted_mean(selectors.task_progress(plan, year=year, today=today))
        rows.append(
            {
                "plan": plan,
                "older": older,
                "year": year,
                "progress": progress,
                "target": selectors.target_for(plan, year),
                "task_count": plan.tasks.filter(is_active=True).count(),
            }
        )
    context = {
        "unit": unit,
        "rows": rows,
        "late_count": len(selectors.late_occurrences(unit, today=today)),
        "soon_count": len(selectors.due_soon(unit, today=today)),
        "open_obstacles": Obstacle.objects.filter(unit=unit).exclude(status=Obstacle.Status.CLOSED).count(),
        **_roles(request, unit),
    }
    return render(request, "plans/unit_plans.html", context)


@login_required
def plan_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.COORDINATE)
    year = local_today().year
    form = PlanForm(request.POST or None, initial={"start_year": year, "end_year": year + 4})
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            plan = services.create_plan(actor=request.user, unit=unit, **fields)
            messages.success(request, _("Đã tạo kế hoạch. Bước tiếp theo: nhập phụ lục nhiệm vụ."))
            return redirect("plans:appendix_import", slug=unit.slug, pk=plan.pk)
        except ValidationError as exc:
            attach_errors(form, _rename_errors(exc))
    return render(request, "plans/plan_form.html", {"unit": unit, "form": form, "title": _("Kế hoạch mới")})


def _rename_errors(exc: ValidationError) -> ValidationError:
    """Service field names → form field names (targets → targets_text)."""
    if not hasattr(exc, "error_dict"):
        return exc
    renamed = {
        {"targets": "targets_text", "duties": "duties_text"}.get(k, k): v for k, v in exc.error_dict.items()
    }
    return ValidationError(renamed)


@login_required
def plan_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.COORDINATE)
    plan = _plan(request, unit, pk, Capability.COORDINATE)
    form = PlanForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(
                actor=request.user,
                plan=plan,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("plans:plan_detail", slug=unit.slug, pk=plan.pk)
        except ValidationError as exc:
            attach_errors(form, _rename_errors(exc))
    return render(
        request,
        "plans/plan_form.html",
        {"unit": unit, "form": form, "plan": plan, "title": _("Sửa kế hoạch")},
    )


@login_required
def plan_revise(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.COORDINATE)
    plan = _plan(request, unit, pk, Capability.COORDINATE)
    form = ReviseForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.revise_plan(
                actor=request.user,
                plan=plan,
                expected_version=form.cleaned_data["version"],
                revision_note=form.cleaned_data["revision_note"],
                **form.service_fields(),
            )
            messages.success(
                request, _("Đã tạo bản sửa đổi lần %(n)d; bản cũ vẫn xem được.") % {"n": new.revision}
            )
            return redirect("plans:plan_detail", slug=unit.slug, pk=new.pk)
        except ValidationError as exc:
            attach_errors(form, _rename_errors(exc))
    return render(
        request,
        "plans/plan_form.html",
        {
            "unit": unit,
            "form": form,
            "plan": plan,
            "title": _("Sửa đổi kế hoạch (tạo bản mới)"),
            "revising": True,
        },
    )


@login_required
def plan_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    plan = _plan(request, unit, pk)
    today = local_today()
    if plan.is_current and plan.open_ended and (plan.occurrences_through or 0) < today.year + 1:
        services.ensure_occurrences_through(today.year + 1, unit=unit)
        plan.refresh_from_db()
    years = plan.years
    year = _int(request.GET.get("nam"))
    if year not in years:
        year = selectors.default_year(plan, today)
    query = request.GET.get("q", "").strip()
    body = _body_param(request, unit)
    show = request.GET.get("loc", "")
    overview = selectors.timeline(plan, today=today)
    progress_by_task = {row.task.pk: row for row in selectors.task_progress(plan, year=year, today=today)}
    tasks = selectors.plan_tasks(plan)
    if query:
        tasks = selectors.search_tasks(tasks, query)
    if body is not None:
        tasks = [t for t in tasks if t.lead_body_id == body.pk or body in t.coordinators.all()]
    dues = selectors.year_dues(plan, year)
    events = selectors.task_events(plan, year, tasks)
    rows = []
    for task in tasks:
        progress = progress_by_task.get(task.pk)
        row = {
            "task": task,
            "progress": progress,
            "dues": dues.get(task.pk, []),
            "events": events.get(task.pk),
        }
        if show == "tre-han" and not (progress and progress.late):
            continue
        if show == "can-xem" and not (task.flags or not task.lead_body_id or task.coordinator_texts):
            continue
        rows.append(row)
    year_total = next((t for t in overview.totals if t.year == year), None)
    context = {
        "unit": unit,
        "plan": plan,
        "year": year,
        "years": years,
        "rows": rows,
        "task_total": len(selectors.plan_tasks(plan)),
        "overview": overview,
        "year_total": year_total,
        "query": query,
        "body": body,
        "show": show,
        "bodies": Body.objects.filter(unit=unit, is_active=True),
        "chain": selectors.revision_chain(plan),
        "current": selectors.current_plans(unit)
        .filter(pk__in=[p.pk for p in selectors.revision_chain(plan)])
        .first(),
        "retired": plan.tasks.filter(is_active=False),
        "late_count": sum(r.late for r in overview.totals),
        **_roles(request, unit),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_calendar(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    plan = _plan(request, unit, pk)
    years = plan.years
    year = _int(request.GET.get("nam"))
    if year not in years:
        year = selectors.default_year(plan)
    body = _body_param(request, unit)
    context = {
        "unit": unit,
        "plan": plan,
        "year": year,
        "years": years,
        "months": selectors.calendar_months(plan, year, body=body),
        "body": body,
        "bodies": Body.objects.filter(unit=unit, is_active=True),
        "today": local_today(),
    }
    return render(request, "plans/calendar.html", context)


@login_required
def plan_timeline(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    plan = _plan(request, unit, pk)
    context = {"unit": unit, "plan": plan, "timeline": selectors.timeline(plan), "today": local_today()}
    return render(request, "plans/timeline.html", context)


@login_required
def plan_export(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, slug)
    plan = _plan(request, unit, pk)
    year = _int(request.GET.get("nam"))
    if year not in plan.years:
        year = selectors.default_year(plan)
    with translation.override("vi"):  # the statuses inside the sheet, like its headers, in Vietnamese
        data = write_sheets([selectors.task_sheet(plan, year)], title=f"{plan.title} — nhiệm vụ năm {year}")
    return download_response(data, f"nhiem-vu-ke-hoach-{plan.pk}-{year}.xlsx", XLSX)


@login_required
@require_POST
def plan_regenerate(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.COORDINATE)
    plan = _plan(request, unit, pk, Capability.COORDINATE)
    try:
        result = services.regenerate_occurrences(actor=request.user, plan=plan)
        messages.success(
            request,
            _(
                "Đã tính lại các hạn: %(c)d mới, %(u)d đổi hạn, %(r)d bỏ, %(o)d giữ lại vì đã có người thực hiện."
            )
            % {"c": result.created, "u": result.updated, "r": result.removed, "o": result.orphaned},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:plan_detail", slug=unit.slug, pk=plan.pk)


def _render_appendix(
    request: AuthenticatedRequest,
    unit: Unit,
    plan: Plan,
    form: AppendixForm,
    *,
    preview: Any = None,
    confirm_form: AppendixConfirmForm | None = None,
    names_form: BodyNamesForm | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    context = {
        "unit": unit,
        "plan": plan,
        "form": form,
        "preview": preview,
        "confirm_form": confirm_form,
        "names_form": names_form,
        "errors": errors or [],
        "has_tasks": plan.tasks.exists(),
    }
    return render(request, "plans/appendix_import.html", context)


@login_required
@require_safe
def appendix_import(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """Paste or upload → preview (``appendix_preview``, nothing saved) → confirm (``appendix_confirm``;
    the text travels in a hidden field)."""
    unit = _unit_page(request, slug, Capability.COORDINATE)
    plan = _plan(request, unit, pk, Capability.COORDINATE)
    form = AppendixForm(initial={"text": plan.appendix_text, "version": plan.version})
    return _render_appendix(request, unit, plan, form)


@login_required
@require_POST
def appendix_preview(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the pasted or uploaded appendix read and shown as it would be saved; nothing saved."""
    unit = _unit_page(request, slug, Capability.COORDINATE)
    plan = _plan(request, unit, pk, Capability.COORDINATE)
    form = AppendixForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_appendix(request, unit, plan, form)
    text = form.cleaned_data["text"]
    preview = selectors.preview_appendix(plan=plan, text=text)
    return _render_appendix(
        request,
        unit,
        plan,
        AppendixForm(initial={"text": text, "version": plan.version}),
        preview=preview,
        confirm_form=AppendixConfirmForm(initial={"text": text, "version": plan.version}),
        names_form=BodyNamesForm(unit=unit, names=preview.unmatched_names),
    )


@login_required
@require_POST
def appendix_confirm(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the previewed appendix saved (the bodies' other names learned, the chosen slips corrected)."""
    unit = _unit_page(request, slug, Capability.COORDINATE)
    plan = _plan(request, unit, pk, Capability.COORDINATE)
    confirm_form = AppendixConfirmForm(request.POST)
    names_form = BodyNamesForm(request.POST, unit=unit)
    errors: list[str] = []
    if not names_form.is_valid():
        errors = [str(m) for ms in names_form.errors.values() for m in ms]
    elif confirm_form.is_valid():
        try:
            result = services.import_appendix(
                actor=request.user,
                plan=plan,
                text=confirm_form.cleaned_data["text"],
                expected_version=confirm_form.cleaned_data["version"],
                body_names=names_form.mapping(),
                accepted_slips=request.POST.getlist("slip"),
            )
            _imported_messages(request, result, learned=len(names_form.mapping()))
            return redirect("plans:plan_detail", slug=unit.slug, pk=plan.pk)
        except ValidationError as exc:
            errors = exc.messages
    form = AppendixForm(initial={"text": request.POST.get("text", ""), "version": plan.version})
    return _render_appendix(
        request, unit, plan, form, confirm_form=confirm_form, names_form=names_form, errors=errors
    )


def _imported_messages(request: AuthenticatedRequest, result: services.ImportResult, *, learned: int) -> None:
    if learned:
        messages.success(
            request,
            ngettext(
                "Đã ghi nhớ %(n)d tên gọi khác của cơ quan; lần nhập sau tự nhận ra.",
                "Đã ghi nhớ %(n)d tên gọi khác của cơ quan; lần nhập sau tự nhận ra.",
                learned,
            )
            % {"n": learned},
        )
    messages.success(
        request,
        _("Đã lưu phụ lục: %(c)d nhiệm vụ mới, %(u)d cập nhật, %(r)d ngừng theo dõi; các hạn đã được tạo.")
        % {"c": result.created, "u": result.updated, "r": result.retired},
    )


# ---------------------------------------------------------------------------------------------- tasks


def _task(request: HttpRequest, unit: Unit, pk: int, capability: Capability = Capability.READ) -> Task:
    return access.get_object_for(
        request.user,
        Task.objects.filter(plan__unit=unit).select_related("plan__unit", "lead_body"),
        capability,
        unit_path="plan.unit",
        pk=pk,
    )


@login_required
def task_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    task = _task(request, unit, pk)
    items = selectors.task_occurrences(task)
    context = {
        "unit": unit,
        "task": task,
        "plan": task.plan,
        "occurrences": items,
        "progress": selectors.progress_of_task(task),
        "obstacles": task.obstacles.select_related("reported_by_body"),
        **_roles(request, unit),
    }
    return render(request, "plans/task_detail.html", context)


@login_required
def task_binding(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """Staff change the events that show the task done (the appendix proposed them)."""
    unit = _unit_page(request, slug, Capability.COORDINATE)
    task = _task(request, unit, pk, Capability.COORDINATE)
    form = TaskBindingForm(request.POST or None, task=task, choices=selectors.bindable_kinds())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_task_binding(
                actor=request.user,
                task=task,
                expected_version=data["version"],
                event_kinds=data["event_kinds"],
                yearly_count=data["yearly_count"],
            )
            messages.success(request, _("Đã lưu sự kiện hoàn thành của nhiệm vụ; tiến độ đã được tính lại."))
            return redirect("plans:task_detail", slug=unit.slug, pk=task.pk)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "plans/task_binding.html",
        {"unit": unit, "task": task, "plan": task.plan, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def task_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug, Capability.COORDINATE)
    task = _task(request, unit, pk, Capability.COORDINATE)
    form = TaskForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_task(
                actor=request.user,
                task=task,
                expected_version=data["version"],
                number=data["number"],
                section=data["section"],
                text=data["text"],
                time_phrase=data["time_phrase"],
                lead_body=data["lead_body"],
                lead_text=data["lead_text"],
                coordinators=list(data["coordinators"]),
                coordinator_texts=data["coordinator_texts"],
                weight=data["weight"],
                is_active=data["is_active"],
            )
            messages.success(request, _("Đã lưu nhiệm vụ; các hạn đã được tính lại."))
            return redirect("plans:task_detail", slug=unit.slug, pk=task.pk)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request, "plans/task_form.html", {"unit": unit, "task": task, "plan": task.plan, "form": form}
    )


# ---------------------------------------------------------------------------------------------- occurrences


def _occurrence(request: HttpRequest, unit: Unit, pk: int) -> Occurrence:
    return access.get_object_for(
        request.user,
        Occurrence.objects.filter(unit=unit).select_related("task__plan__unit", "task__lead_body", "unit"),
        Capability.READ,
        pk=pk,
    )


@dataclass
class _OccurrencePage:
    """One request of an occurrence's page: the person's permissions and the forms (the posted one bound)."""

    unit: Unit
    occurrence: Occurrence
    perms: OccurrencePermissions
    forms: dict[str, Any]


def _occurrence_page(
    request: AuthenticatedRequest, slug: str, pk: int, action: str | None = None
) -> _OccurrencePage:
    unit = _unit_page(request, slug)
    occurrence = _occurrence(request, unit, pk)
    perms = occurrence_permissions(request.user, occurrence)

    def bound(name: str) -> tuple[Any, Any]:
        return (request.POST, request.FILES) if action == name else (None, None)

    initial = {
        "version": occurrence.version,
        "status": occurrence.status,
        "percent": occurrence.percent if occurrence.status == Occurrence.Status.IN_PROGRESS else None,
        "note": occurrence.note,
        "effective_date": local_today(),
    }
    forms = {
        "update_form": OccurrenceForm(*bound("update"), initial=initial, can_cancel=perms.may_cancel),
        "contribution_form": ContributionForm(
            *bound("contribute"),
            bodies=list(perms.contribution_bodies),
            initial={"effective_date": local_today()},
        ),
        "return_form": ReturnForm(bound("return")[0], initial={"version": occurrence.version}),
    }
    return _OccurrencePage(unit, occurrence, perms, forms)


def _render_occurrence(
    request: AuthenticatedRequest, page: _OccurrencePage, status: int = 200
) -> HttpResponse:
    occurrence = page.occurrence
    context = {
        "unit": page.unit,
        "occurrence": occurrence,
        "task": occurrence.task,
        "plan": occurrence.task.plan,
        "detail": selectors.occurrence_detail(occurrence),
        "events": selectors.occurrence_events(occurrence),
        "allowed": page.perms,
        "coordinators": list(occurrence.task.coordinators.all()),
        **page.forms,
    }
    return render(request, "plans/occurrence_detail.html", context, status=status)


@login_required
@require_safe
def occurrence_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """An occurrence's page. Each of its forms posts to its own address (``OCCURRENCE_ACTIONS``)."""
    return _render_occurrence(request, _occurrence_page(request, slug, pk))


def _update(request: AuthenticatedRequest, page: _OccurrencePage) -> str | None:
    form = page.forms["update_form"]
    if not form.is_valid():
        return None
    data = form.cleaned_data
    services.update_occurrence(
        actor=request.user,
        occurrence=page.occurrence,
        expected_version=data["version"],
        status=data["status"],
        percent=data["percent"],
        note=data["note"],
        upload=data["file"] or None,
        effective_date=data["effective_date"],
        evidence_title=data["evidence_title"],
    )
    return _("Đã lưu cập nhật.")


def _contribute(request: AuthenticatedRequest, page: _OccurrencePage) -> str | None:
    form = page.forms["contribution_form"]
    if not form.is_valid():
        return None
    data = form.cleaned_data
    services.add_contribution(
        actor=request.user,
        occurrence=page.occurrence,
        body=data["body"],
        note=data["note"],
        upload=data["file"] or None,
        effective_date=data["effective_date"],
    )
    return _("Đã ghi nội dung phối hợp.")


def _return(request: AuthenticatedRequest, page: _OccurrencePage) -> str | None:
    form = page.forms["return_form"]
    if not form.is_valid():
        return None
    services.return_occurrence(
        actor=request.user,
        occurrence=page.occurrence,
        expected_version=form.cleaned_data["version"],
        reason=form.cleaned_data["reason"],
    )
    return _("Đã trả lại để cơ quan chủ trì bổ sung; cơ quan đã được thông báo.")


@dataclass(frozen=True)
class _OccurrenceAction:
    name: str  # the form's key
    path: str  # the address below the occurrence's page
    standing: Standing  # who may post it (404 / 403 before the form is read)
    run: Callable[[AuthenticatedRequest, _OccurrencePage], str | None]  # one service; None: form invalid
    flag: str  # the permission that puts its form on the page
    form: str  # the page's form that shows its errors


OCCURRENCE_ACTIONS: dict[str, _OccurrenceAction] = {
    a.name: a
    for a in [
        _OccurrenceAction("update", "cap-nhat/", Standing.LEAD, _update, "may_update", "update_form"),
        _OccurrenceAction(
            "contribute", "phoi-hop/", Standing.CONTRIBUTE, _contribute, "may_contribute", "contribution_form"
        ),
        _OccurrenceAction("return", "tra-lai/", Standing.COORDINATE, _return, "may_return", "return_form"),
    ]
}
"""The actions of an occurrence's page, each with its own address (``occurrence_<name>`` in the URLs)."""


def occurrence_action_view(action: _OccurrenceAction) -> Callable[..., HttpResponse]:
    """The small view of one action of an occurrence's page: the permission, its form, one service;
    redirect when done, else the page again with the errors (400)."""

    @login_required
    @require_POST
    def view(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
        page = _occurrence_page(request, slug, pk, action.name)
        page.perms.require(action.standing)
        try:
            done = action.run(request, page)
            if done:
                messages.success(request, done)
                return redirect("plans:occurrence_detail", slug=page.unit.slug, pk=page.occurrence.pk)
        except ValidationError as exc:
            if getattr(page.perms, action.flag):
                attach_errors(page.forms[action.form], exc)
            else:  # the form is not on the page (e.g. the plan was revised): say it at the top
                messages.error(request, " ".join(exc.messages))
        return _render_occurrence(request, page, status=400)

    view.__name__ = view.__qualname__ = f"occurrence_{action.name}"
    view.__doc__ = f"POST: the occurrence page's «{action.name}» action."
    return view


@login_required
def due_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Late and due in the next 30 days (or as filtered)."""
    unit = _unit_page(request, slug)
    today = local_today()
    show = request.GET.get("loc", "")
    body = _body_param(request, unit)
    query = request.GET.get("q", "").strip()
    base = selectors.OccurrenceFilter(body=body, query=query)
    late = (
        []
        if show == "sap-den-han"
        else selectors.filter_occurrences(unit, _with(base, status="late"), today=today)
    )
    soon = (
        []
        if show == "tre-han"
        else selectors.filter_occurrences(
            unit,
            _with(base, status="open", due_from=today, due_to=today + dt.timedelta(days=30)),
            today=today,
        )
    )
    context = {
        "unit": unit,
        "late": late,
        "soon": soon,
        "show": show,
        "body": body,
        "query": query,
        "bodies": Body.objects.filter(unit=unit, is_active=True),
        "today": today,
    }
    return render(request, "plans/due_list.html", context)


def _with(spec: selectors.OccurrenceFilter, **changes: Any) -> selectors.OccurrenceFilter:
    from dataclasses import replace

    return replace(spec, **changes)


@login_required
def my_work(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    work = selectors.my_work(request.user, unit)
    query = request.GET.get("q", "").strip()
    if query:
        matches = {
            t.pk for t in selectors.search_tasks({o.task for o in [*work.leading, *work.coordinating]}, query)
        }
        work.leading = [o for o in work.leading if o.task_id in matches]
        work.coordinating = [o for o in work.coordinating if o.task_id in matches]
    context = {"unit": unit, "work": work, "query": query, "today": local_today()}
    return render(request, "plans/my_work.html", context)
