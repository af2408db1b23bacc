"""Pages of a commune's cycles and the city's overview: list, detail, deadlines, criteria set, gap, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

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
from friendlygov.db_router import use_replica
from friendlygov.kit.forms_util import attach_errors
from friendlygov.kit.params import year_param
from friendlygov.kit.tabular import write_xlsx
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Unit
from friendlygov.rules.numbers import typed_score_text
from friendlygov.rules.text import normalize_vi

from .common import _city, _cycle, _error, _perms, _unit, _xlsx
from .library import _city_url


@login_required
def unit_cycles(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit(request, slug)
    cycles = list(selectors.unit_cycles(unit))
    rows = [(cycle, selectors.cycle_summary(unit=unit, year=cycle.year)) for cycle in cycles]
    return render(
        request,
        "assessments/unit_cycles.html",
        {
            "unit": unit,
            "rows": rows,
            "path": selectors.path_across_years(unit),
            "figures": selectors.unit_figures(unit),
            "allowed": _perms(request.user, unit),
            "year": timezone.localdate().year,
            "city": unit.parent,
        },
    )


@login_required
def cycle_detail(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    cycle = _cycle(request, slug, year)
    unit = cycle.unit
    cs = crit.parsed(cycle.criteria_set)
    registration = selectors.registration_of(cycle)
    perms = _perms(request.user, unit)
    reg_form = RegistrationForm(
        cs=cs,
        initial={
            "target_level": registration.target_level if registration else _plan_target(unit, cycle.year),
            "note": registration.note if registration else "",
            "expected_version": registration.version if registration else 0,  # 0: first registration
        },
    )
    decision_form = RegistrationDecisionForm(
        initial={"expected_version": registration.version if registration else None}
    )
    return_form = ReturnForm(initial={"expected_version": cycle.version})
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "register":
                reg_form = RegistrationForm(request.POST, cs=cs)
                if reg_form.is_valid():
                    services.register_target(
                        actor=request.user,
                        cycle=cycle,
                        target_level=reg_form.cleaned_data["target_level"],
                        note=reg_form.cleaned_data["note"],
                        expected_version=reg_form.cleaned_data["expected_version"],
                    )
                    messages.success(request, _("Đã gửi đăng ký mức đạt chuẩn; chờ thành phố xem xét."))
                    return redirect("assessments:cycle_detail", slug=unit.slug, year=year)
            elif action == "decide" and registration is not None:
                decision_form = RegistrationDecisionForm(request.POST)
                if decision_form.is_valid():
                    accept = decision_form.cleaned_data["decision"] == "accept"
                    services.decide_registration(
                        actor=request.user,
                        registration=registration,
                        accept=accept,
                        reason=decision_form.cleaned_data["reason"],
                        expected_version=decision_form.cleaned_data["expected_version"],
                    )
                    messages.success(
                        request, _("Đã chấp nhận đăng ký.") if accept else _("Đã gửi yêu cầu điều chỉnh.")
                    )
                    return redirect("assessments:cycle_detail", slug=unit.slug, year=year)
            elif action == "return":
                return_form = ReturnForm(request.POST)
                if return_form.is_valid():
                    services.return_cycle(
                        actor=request.user,
                        cycle=cycle,
                        requests=return_form.cleaned_data["requests"],
                        expected_version=return_form.cleaned_data["expected_version"],
                    )
                    messages.success(request, _("Đã trả lại hồ sơ để đơn vị bổ sung."))
                    return redirect("assessments:cycle_detail", slug=unit.slug, year=year)
            elif action == "finish":
                services.finish_appraisal(actor=request.user, cycle=cycle)
                messages.success(request, _("Đã kết thúc thẩm định; kết quả được tính theo bộ tiêu chí."))
                return redirect("assessments:cycle_detail", slug=unit.slug, year=year)
            else:
                raise Http404
        except ValidationError as exc:
            form = {"register": reg_form, "decide": decision_form, "return": return_form}.get(action)
            if form is not None:
                attach_errors(form, exc)
            else:
                _error(request, exc)
    data = selectors.load_cycle_data(cycle)
    measured = selectors.measured_states(
        data, read_locked=cycle.status == Cycle.Status.SUBMITTED and perms["appraise"]
    )
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
            "cs": cs,
            "criteria_set": cycle.criteria_set,
            "registration": registration,
            "recognition": selectors.recognition_of(cycle),
            "rows": selectors.criterion_rows(data, measured),
            "acceptable": _acceptable(request.user, data, measured),
            "results": [(column, selectors.COLUMN_LABELS[column], results[column]) for column in columns],
            "show_appraised": show_appraised,
            "issues": issues,
            "completeness": selectors.completeness(data),
            "history": selectors.cycle_history(cycle),
            "allowed": perms,
            "reg_form": reg_form,
            "decision_form": decision_form,
            "return_form": return_form,
            "can_register": perms["lead"]
            and cycle.is_editable
            and (registration is None or registration.status != Registration.Status.ACCEPTED),
            "can_decide": perms["appraise"]
            and registration is not None
            and registration.status == Registration.Status.PENDING,
            "deadline": selectors.next_deadline(cycle),
            "today": timezone.localdate(),
            "joint_sheet": perms["joint"] and bool(services.joint_bodies(request.user, unit)),
            "pending_proposals": selectors.pending_proposals(cycle) if cycle.is_editable else [],
        },
    )


def _acceptable(
    user: Any, data: selectors.CycleData, measured: dict[str, selectors.MeasuredState]
) -> set[str]:
    """The source criteria whose measured figure this user may accept from the list (not yet accepted, or
    changed since)."""
    if not data.cycle.is_editable:
        return set()
    unit = data.cycle.unit
    coordinate = access.can(user, Capability.COORDINATE, unit)
    out = set()
    for code, state in measured.items():
        if state.figure is None or not (state.status == "pending" or state.changed):
            continue
        body = data.body_for(code)
        if access.can(user, Capability.WORK, unit, body=body) and (body is not None or coordinate):
            out.add(code)
    return out


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


def _what_if_values(request: HttpRequest) -> dict[str, str]:
    return {
        key[2:]: typed_score_text(str(request.POST.get(key, "")))
        for key in request.POST
        if key.startswith("v-")
    }


@login_required
def gap(request: HttpRequest, slug: str, year: int) -> HttpResponse:
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
def cycle_export(request: HttpRequest, slug: str, year: int) -> HttpResponse:
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
def city_overview(request: HttpRequest, slug: str) -> HttpResponse:
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
