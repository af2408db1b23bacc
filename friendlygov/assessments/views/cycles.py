"""Pages of a commune's cycles and the city's overview: list, detail, deadlines, criteria set, gap, export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors, services
from friendlygov.assessments.forms import (
    DeadlinesForm,
    OpenCyclesForm,
    RegistrationDecisionForm,
    RegistrationForm,
    ReturnForm,
    SwitchCriteriaSetForm,
)
from friendlygov.assessments.models import Cycle, Registration
from friendlygov.assessments.permissions import (
    CyclePermissions,
    acceptable_measured,
    cycle_permissions,
    unit_standing,
)
from friendlygov.db_router import use_replica
from friendlygov.kit.forms_util import attach_errors
from friendlygov.kit.params import year_param
from friendlygov.kit.tabular import write_xlsx
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Unit
from friendlygov.rules.numbers import typed_score_text
from friendlygov.rules.text import normalize_vi

from .common import _city, _cycle, _error, _unit, _xlsx
from .library import _city_url


@login_required
def unit_cycles(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit(request, slug)
    cycles = list(selectors.unit_cycles(unit))
    rows = [(cycle, selectors.cycle_summary(unit=unit, year=cycle.year, cycle=cycle)) for cycle in cycles]
    return render(
        request,
        "assessments/unit_cycles.html",
        {
            "unit": unit,
            "rows": rows,
            "path": selectors.path_across_years(unit),
            "figures": selectors.unit_figures(unit),
            "allowed": unit_standing(request.user, unit),
            "year": timezone.localdate().year,
            "city": unit.parent,
        },
    )


@dataclass
class _CyclePage:
    """One request of a cycle's page: the person's permissions and the forms (the posted one bound)."""

    cycle: Cycle
    registration: Registration | None
    perms: CyclePermissions
    forms: dict[str, Any]


def _cycle_page(request: AuthenticatedRequest, slug: str, year: int) -> _CyclePage:
    cycle = _cycle(request, slug, year)
    registration = selectors.registration_of(cycle)
    reg_form = RegistrationForm(
        cs=crit.parsed(cycle.criteria_set),
        initial={
            "target_level": registration.target_level
            if registration
            else _plan_target(cycle.unit, cycle.year),
            "note": registration.note if registration else "",
            "expected_version": registration.version if registration else 0,  # 0: first registration
        },
    )
    forms: dict[str, Any] = {
        "reg_form": reg_form,
        "decision_form": RegistrationDecisionForm(
            initial={"expected_version": registration.version if registration else None}
        ),
        "return_form": ReturnForm(initial={"expected_version": cycle.version}),
    }
    perms = cycle_permissions(request.user, cycle, registration=registration)
    return _CyclePage(cycle, registration, perms, forms)


def _render_cycle(request: AuthenticatedRequest, page: _CyclePage) -> HttpResponse:
    cycle, perms, registration = page.cycle, page.perms, page.registration
    unit = cycle.unit
    data = selectors.load_cycle_data(cycle)
    measured = selectors.measured_states(data, read_locked=perms.appraising)
    show_appraised = cycle.status in (Cycle.Status.SUBMITTED, Cycle.Status.APPRAISED, Cycle.Status.RECOGNISED)
    columns = [c for c in selectors.COLUMNS if show_appraised or c != "appraised"]
    results = {column: data.result(column) for column in columns}
    issues = selectors.quality_checks(cycle, data) if cycle.is_editable else []
    return render(
        request,
        "assessments/cycle_detail.html",
        {
            "unit": unit,
            "cycle": cycle,
            "cs": crit.parsed(cycle.criteria_set),
            "criteria_set": cycle.criteria_set,
            "registration": registration,
            "recognition": selectors.recognition_of(cycle),
            "rows": selectors.criterion_rows(data, measured),
            "acceptable": acceptable_measured(request.user, data, measured),
            "results": [(column, selectors.COLUMN_LABELS[column], results[column]) for column in columns],
            "show_appraised": show_appraised,
            "issues": issues,
            "completeness": selectors.completeness(data),
            "history": selectors.cycle_history(cycle),
            "allowed": perms,
            **page.forms,
            "deadline": selectors.next_deadline(cycle),
            "today": timezone.localdate(),
            "joint_sheet": perms.joint and bool(services.joint_bodies(request.user, unit)),
            "pending_proposals": selectors.pending_proposals(cycle) if cycle.is_editable else [],
        },
    )


@login_required
@require_safe
def cycle_detail(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    """A cycle's page. Its forms post to their own addresses (``CYCLE_ACTIONS``)."""
    return _render_cycle(request, _cycle_page(request, slug, year))


def _register(request: AuthenticatedRequest, page: _CyclePage) -> str | None:
    form = RegistrationForm(request.POST, cs=crit.parsed(page.cycle.criteria_set))
    page.forms["reg_form"] = form
    if not form.is_valid():
        return None
    services.register_target(
        actor=request.user,
        cycle=page.cycle,
        target_level=form.cleaned_data["target_level"],
        note=form.cleaned_data["note"],
        expected_version=form.cleaned_data["expected_version"],
    )
    return _("Đã gửi đăng ký mức đạt chuẩn; chờ thành phố xem xét.")


def _decide(request: AuthenticatedRequest, page: _CyclePage) -> str | None:
    if page.registration is None:
        raise Http404
    form = RegistrationDecisionForm(request.POST)
    page.forms["decision_form"] = form
    if not form.is_valid():
        return None
    accept = form.cleaned_data["decision"] == "accept"
    services.decide_registration(
        actor=request.user,
        registration=page.registration,
        accept=accept,
        reason=form.cleaned_data["reason"],
        expected_version=form.cleaned_data["expected_version"],
    )
    return _("Đã chấp nhận đăng ký.") if accept else _("Đã gửi yêu cầu điều chỉnh.")


def _return(request: AuthenticatedRequest, page: _CyclePage) -> str | None:
    form = ReturnForm(request.POST)
    page.forms["return_form"] = form
    if not form.is_valid():
        return None
    services.return_cycle(
        actor=request.user,
        cycle=page.cycle,
        requests=form.cleaned_data["requests"],
        expected_version=form.cleaned_data["expected_version"],
    )
    return _("Đã trả lại hồ sơ để đơn vị bổ sung.")


def _finish(request: AuthenticatedRequest, page: _CyclePage) -> str | None:
    services.finish_appraisal(actor=request.user, cycle=page.cycle)
    return _("Đã kết thúc thẩm định; kết quả được tính theo bộ tiêu chí.")


@dataclass(frozen=True)
class _CycleAction:
    name: str  # the old ``action`` field's value
    path: str  # the address below the cycle's page
    run: Callable[
        [AuthenticatedRequest, _CyclePage], str | None
    ]  # one service; the message, None: form invalid
    form: str | None = None  # the page's form that shows its errors


CYCLE_ACTIONS: dict[str, _CycleAction] = {
    a.name: a
    for a in [
        _CycleAction("register", "dang-ky/", _register, "reg_form"),
        _CycleAction("decide", "dang-ky/xem-xet/", _decide, "decision_form"),
        _CycleAction("return", "tra-lai/", _return, "return_form"),
        _CycleAction("finish", "ket-thuc-tham-dinh/", _finish),
    ]
}
"""The actions of a cycle's page, each with its own address (``cycle_<name>`` in the URLs)."""


def _cycle_act(request: AuthenticatedRequest, slug: str, year: int, action: _CycleAction) -> HttpResponse:
    page = _cycle_page(request, slug, year)
    try:
        done = action.run(request, page)
        if done:
            messages.success(request, done)
            return redirect("assessments:cycle_detail", slug=page.cycle.unit.slug, year=page.cycle.year)
    except ValidationError as exc:
        form = page.forms.get(action.form or "")
        if form is not None:
            attach_errors(form, exc)
        else:
            _error(request, exc)
    return _render_cycle(request, page)


def cycle_action_view(action: _CycleAction) -> Callable[..., HttpResponse]:
    """The small view of one action of a cycle's page."""

    @login_required
    @require_POST
    def view(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
        return _cycle_act(request, slug, year, action)

    view.__name__ = view.__qualname__ = f"cycle_{action.name}"
    return view


def _plan_target(unit: Unit, year: int) -> str | None:
    """The plan's target level for the year pre-fills the registration."""
    from friendlygov.assessments.sources import plan_target_level

    return plan_target_level(unit=unit, year=year)


@login_required
def deadlines(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    cycle = _cycle(request, slug, year)
    access.require(request.user, Capability.APPRAISE, cycle.unit)
    form = DeadlinesForm(
        request.POST or None,
        initial={
            "registration_deadline": cycle.registration_deadline,
            "submission_deadline": cycle.submission_deadline,
            "appraisal_deadline": cycle.appraisal_deadline,
            "expected_version": cycle.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_deadlines(actor=request.user, cycle=cycle, **form.cleaned_data)
            messages.success(request, _("Đã lưu thời hạn."))
            return redirect("assessments:cycle_detail", slug=cycle.unit.slug, year=year)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "assessments/simple_form.html",
        {
            "unit": cycle.unit,
            "form": form,
            "title": _("Thời hạn kỳ đánh giá năm %(y)d") % {"y": year},
            "back": ("assessments:cycle_detail", cycle.unit.slug, year),
        },
    )


@login_required
def switch_criteria_set(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    """The city moves an open cycle to another version of its criteria set (e.g. a corrected one)."""
    cycle = _cycle(request, slug, year)
    access.require(request.user, Capability.APPRAISE, cycle.unit)
    city = cycle.unit.parent
    if city is None:
        raise Http404
    form = SwitchCriteriaSetForm(
        request.POST or None, city=city, initial={"criteria_set": cycle.criteria_set_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.switch_criteria_set(
                actor=request.user, cycle=cycle, criteria_set=form.cleaned_data["criteria_set"]
            )
            messages.success(request, _("Đã đổi bộ tiêu chí của kỳ đánh giá."))
            return redirect("assessments:cycle_detail", slug=cycle.unit.slug, year=year)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "assessments/simple_form.html",
        {
            "unit": cycle.unit,
            "form": form,
            "title": _("Bộ tiêu chí của kỳ đánh giá năm %(y)d") % {"y": year},
            "intro": _(
                "Chỉ đổi được khi kỳ đánh giá còn mở. Điểm đã chấm của các tiêu chí không còn trong bộ mới "
                "vẫn được giữ nhưng không được tính."
            ),
            "back": ("assessments:cycle_detail", cycle.unit.slug, year),
        },
    )


def _what_if_values(request: AuthenticatedRequest) -> dict[str, str]:
    return {
        key[2:]: typed_score_text(str(request.POST.get(key, "")))
        for key in request.POST
        if key.startswith("v-")
    }


@login_required
def gap(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    cycle = _cycle(request, slug, year)
    data = selectors.load_cycle_data(cycle)
    column = (
        request.GET.get("cot")
        or request.POST.get("cot")
        or selectors.current_standing(cycle, data).column  # the latest stage's column
    )
    if column not in selectors.COLUMNS:
        column = "consolidated"
    view = selectors.gap_view(data, column)
    what_if = None
    raw_values = {code: data.raw(column, code) for code in crit.scorable_codes(data.cs)}
    if request.method == "POST":
        posted = _what_if_values(request)
        what_if = selectors.what_if(data, posted, column)
        raw_values.update(posted)
        if request.headers.get("HX-Request"):
            return render(request, "assessments/_what_if_result.html", {"what_if": what_if})
    leaves = [
        (row, raw_values.get(row.code, ""), crit.input_label(row.kind))
        for row in crit.tree_rows(data.cs)
        if row.is_leaf
    ]
    return render(
        request,
        "assessments/gap.html",
        {
            "unit": cycle.unit,
            "cycle": cycle,
            "view": view,
            "column": column,
            "columns": selectors.COLUMN_LABELS.items(),
            "what_if": what_if,
            "leaves": leaves,
            "upcoming": [g for g in view.levels if not g.achieved],
        },
    )


@login_required
def cycle_export(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    cycle = _cycle(request, slug, year)
    data = selectors.load_cycle_data(cycle)
    rows = []
    unscored = _("chưa chấm")

    def text(row: selectors.CriterionRow, column: str) -> str:
        """The value as entered; "chưa chấm" for a criterion without one (its points cell stays empty)."""
        return row.texts[column] or (unscored if row.is_leaf and row.points[column] is None else "")

    for row in selectors.criterion_rows(data):
        entry = row.entry
        rows.append(
            [
                row.code,
                "  " * row.row.depth + row.row.name,
                float(row.row.max_points) if row.row.max_points is not None else "",
                row.body.name if row.body else "",
                text(row, "self"),
                float(row.points["self"]) if row.points["self"] is not None else "",
                text(row, "consolidated"),
                float(row.points["consolidated"]) if row.points["consolidated"] is not None else "",
                text(row, "appraised"),
                float(row.points["appraised"]) if row.points["appraised"] is not None else "",
                row.evidence_count,
                entry.explanation if entry else "",
                row.provenance,
            ]
        )
    header = [
        "Mã",
        "Tiêu chí",
        "Điểm tối đa",
        "Cơ quan chấm",
        "Tự chấm",
        "Điểm tự chấm",
        "Thống nhất",
        "Điểm thống nhất",
        "Thẩm định",
        "Điểm thẩm định",
        "Số minh chứng",
        "Giải trình",
        "Nguồn số liệu",
    ]
    title = f"Bảng điểm Chính quyền thân thiện năm {year} — {cycle.unit.full_name} ({cycle.criteria_set.official_title})"
    return _xlsx(
        write_xlsx([("Bảng điểm", header, rows)], title=title), f"bang-diem-{cycle.unit.slug}-{year}.xlsx"
    )


@login_required
@use_replica()  # a city dashboard may read slightly stale data
def city_overview(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    city = _city(request, slug)
    year = year_param(request.GET.get("nam")) or timezone.localdate().year
    rows = selectors.city_overview(city, year)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("trang_thai", "")
    if query:
        wanted = normalize_vi(query)
        rows = [r for r in rows if wanted in normalize_vi(r.unit.name) or wanted in r.unit.slug]
    if status == "chua_mo":
        rows = [r for r in rows if r.cycle is None]
    elif status:
        rows = [r for r in rows if r.cycle is not None and r.cycle.status == status]
    if request.GET.get("xuat") == "xlsx":
        header, table = selectors.city_overview_table(rows)
        title = f"Kết quả Chính quyền thân thiện năm {year} — {city.full_name}"
        return _xlsx(
            write_xlsx([(f"Năm {year}", header, table)], title=title), f"danh-gia-{city.slug}-{year}.xlsx"
        )
    years = sorted(
        set(Cycle.objects.filter(unit__parent=city).values_list("year", flat=True))
        | {timezone.localdate().year},
        reverse=True,
    )
    return render(
        request,
        "assessments/city_overview.html",
        {
            "city": city,
            "year": year,
            "years": years,
            "rows": rows,
            "query": query,
            "status": status,
            # Labels translated once for the page (a get_..._display per row translates every choice).
            "cycle_statuses": {value: str(label) for value, label in Cycle.Status.choices},
            "registration_statuses": {value: str(label) for value, label in Registration.Status.choices},
            "today": timezone.localdate(),
            "can_appraise": access.can(request.user, Capability.APPRAISE, city),
        },
    )


@login_required
def open_cycles(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    city = _city(request, slug)
    access.require(request.user, Capability.APPRAISE, city)
    form = OpenCyclesForm(request.POST or None, city=city, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opened = services.open_cycles(
                actor=request.user,
                city=city,
                year=data["year"],
                criteria_set=data["criteria_set"],
                registration_deadline=data["registration_deadline"],
                submission_deadline=data["submission_deadline"],
                appraisal_deadline=data["appraisal_deadline"],
                units=list(data["units"]) or None,
            )
            messages.success(
                request,
                _("Đã mở kỳ đánh giá năm %(y)d cho %(n)d đơn vị.") % {"y": data["year"], "n": len(opened)},
            )
            return redirect(f"{_city_url(city)}?nam={data['year']}")
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "assessments/simple_form.html",
        {
            "city": city,
            "form": form,
            "title": _("Mở kỳ đánh giá"),
            "back_city": city,
            "intro": _(
                "Mỗi đơn vị một kỳ mỗi năm, trên bộ tiêu chí thành phố chọn. Phân công năm trước được chép sang (không chép điểm)."
            ),
        },
    )
