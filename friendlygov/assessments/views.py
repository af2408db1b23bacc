"""Pages of the assessment area. Thin: find the unit (404 for people who may not read it), parse the
form, call one service, render. Every page works without JavaScript; HTMX only speeds up "what if"."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors, services
from friendlygov.assessments.forms import (
    AppraisalForm,
    ConditionFormSet,
    CriterionFormSet,
    DeadlinesForm,
    EvidenceForm,
    FigureForm,
    FileImportForm,
    LevelFormSet,
    OpenCyclesForm,
    ProposalDecisionForm,
    RecognitionForm,
    RegistrationDecisionForm,
    RegistrationForm,
    ReturnForm,
    ScanForm,
    SetHeaderForm,
    SubmitForm,
    SwitchCriteriaSetForm,
    ValueForm,
    body_choice_field,
    editor_data,
    editor_initial,
)
from friendlygov.assessments.models import (
    CityFigure,
    CriteriaSetVersion,
    Cycle,
    JointProposal,
    Registration,
    ScoreEvidence,
)
from friendlygov.db_router import use_replica
from friendlygov.kit.concurrency import is_conflict
from friendlygov.kit.downloads import XLSX_CONTENT_TYPE as XLSX
from friendlygov.kit.forms_util import attach_errors
from friendlygov.kit.params import year_param
from friendlygov.kit.tabular import write_xlsx
from friendlygov.org import access
from friendlygov.org.access import Capability
from friendlygov.org.models import Body, Unit
from friendlygov.rules.numbers import typed_score_text
from friendlygov.rules.scoring import Criterion, list_bundled_criteria_sets
from friendlygov.rules.text import normalize_vi


def _unit(request: HttpRequest, slug: str) -> Unit:
    unit = access.get_unit_for(request.user, slug)
    if unit.is_city:
        raise Http404
    request.current_unit = unit  # type: ignore[attr-defined]
    return unit


def _cycle(request: HttpRequest, slug: str, year: int) -> Cycle:
    unit = _unit(request, slug)
    cycle = selectors.get_cycle(unit, year)
    if cycle is None:
        raise Http404
    return cycle


def _city(request: HttpRequest, slug: str) -> Unit:
    city = access.get_unit_for(request.user, slug)
    if not city.is_city:
        raise Http404
    request.current_unit = city  # type: ignore[attr-defined]
    return city


def _error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _perms(user: Any, unit: Unit) -> dict[str, bool]:
    return {
        "lead": access.can(user, Capability.LEAD, unit),
        "coordinate": access.can(user, Capability.COORDINATE, unit),
        "appraise": access.can(user, Capability.APPRAISE, unit),
        "joint": access.can(user, Capability.JOINT_SCORE, unit),
        "work": bool(access.work_bodies(user, unit)) or access.can(user, Capability.COORDINATE, unit),
    }


# ------------------------------------------------------------------------------------ unit pages


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
def cycle_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
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
def assignments(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    cycle = _cycle(request, slug, year)
    unit = cycle.unit
    access.require(request.user, Capability.COORDINATE, unit)
    cs = crit.parsed(cycle.criteria_set)
    bodies = list(Body.objects.filter(unit=unit, is_active=True))
    by_pk = {str(b.pk): b for b in bodies}
    data = selectors.load_cycle_data(cycle)
    # What each row shows: the stored body and version, or after a refused save what the person chose and
    # the versions their page held (so the choices stay and saving again is refused until a reload).
    chosen = {code: str(a.body_id) for code, a in data.assignments.items()}
    versions = {code: a.version for code, a in data.assignments.items()}
    if request.method == "POST":
        wanted: dict[str, Body | None] = {}
        posted_versions: dict[str, int] = {}
        for row in crit.tree_rows(cs):
            value = request.POST.get(f"body-{row.code}", "")
            wanted[row.code] = by_pk.get(value)
            version = request.POST.get(f"version-{row.code}", "")
            if version.isdigit():
                posted_versions[row.code] = int(version)
        try:
            changed = services.assign_many(
                actor=request.user, cycle=cycle, assignments=wanted, expected_versions=posted_versions
            )
            messages.success(request, _("Đã lưu phân công (%(n)d thay đổi).") % {"n": changed})
            return redirect("assessments:cycle_detail", slug=unit.slug, year=year)
        except ValidationError as exc:
            _error(request, exc)
            chosen = {code: str(body.pk) if body is not None else "" for code, body in wanted.items()}
            versions = posted_versions
    rows = [
        (
            row,
            chosen.get(row.code, ""),
            versions.get(row.code, 0),
            data.body_for(row.parent_code) if row.parent_code else None,
        )
        for row in crit.tree_rows(cs)
    ]
    return render(
        request,
        "assessments/assignments.html",
        {"unit": unit, "cycle": cycle, "rows": rows, "bodies": bodies},
    )


def _value_forms(
    request: HttpRequest, data: selectors.CycleData, code: str, node: Any, post_action: str | None
) -> dict[str, Any]:
    entry = data.entries.get(code)
    settled = data.consolidated.get(code)
    appraisal = data.appraisals.get(code)
    bound = request.POST if post_action else None

    def is_bound(action: str) -> Any:
        return bound if post_action == action else None

    return {
        "score_form": ValueForm(
            is_bound("score"),
            prefix="score",
            node=node,
            raw=entry.value if entry else "",
            ticked=entry.ticked if entry else None,
            explanation=entry.explanation if entry else "",
            initial={"expected_version": entry.version if entry else 0},  # 0: no score yet
        ),
        "propose_form": ValueForm(
            is_bound("propose"),
            prefix="propose",
            node=node,
            raw="",
            reason="",
            reason_required=True,
            value_label=str(_("Giá trị đề xuất")),
        ),
        "settle_form": ValueForm(
            is_bound("settle"),
            prefix="settle",
            node=node,
            raw=settled.value if settled else data.raw("self", code),
            ticked=(settled.ticked if settled else (entry.ticked if entry else None)),
            reason=settled.reason if settled else "",
            value_label=str(_("Giá trị thống nhất")),
            initial={"expected_version": settled.version if settled else 0},
        ),
        "override_form": ValueForm(
            is_bound("override"),
            prefix="override",
            node=node,
            raw=entry.value if entry is not None and entry.override_reason else "",
            ticked=entry.ticked if entry is not None and entry.override_reason else None,
            reason=entry.override_reason if entry is not None else "",
            value_label=str(_("Giá trị đơn vị ghi")),
            initial={"expected_version": entry.version if entry else 0},
        ),
        "appraise_form": AppraisalForm(
            is_bound("appraise"),
            prefix="appraise",
            node=node,
            raw=appraisal.value if appraisal else data.raw("consolidated", code),
            ticked=appraisal.ticked if appraisal else None,
            initial={
                "decision": appraisal.decision if appraisal else "accept",
                "reason": appraisal.reason if appraisal else "",
                "expected_version": appraisal.version if appraisal else 0,
            },
        ),
    }


@login_required
def criterion_detail(request: HttpRequest, slug: str, year: int, code: str) -> HttpResponse:
    cycle = _cycle(request, slug, year)
    unit = cycle.unit
    data = selectors.load_cycle_data(cycle)
    node = data.node(code)
    if node is None:
        raise Http404
    is_leaf = not (isinstance(node, Criterion) and node.children)
    is_source = isinstance(node, Criterion) and bool(node.source)
    body = data.body_for(code)
    perms = _perms(request.user, unit)
    can_work = access.can(request.user, Capability.WORK, unit, body=body) and (
        body is not None or perms["coordinate"]
    )
    action = request.POST.get("action") if request.method == "POST" else None
    forms = _value_forms(request, data, code, node, action) if is_leaf else {}
    evidence_form = EvidenceForm(
        request.POST if action == "evidence" else None,
        request.FILES if action == "evidence" else None,
        prefix="evidence",
        choices=selectors.unit_evidence_choices(unit),
    )
    joint_bodies = services.joint_bodies(request.user, unit) if perms["joint"] else []
    if len(joint_bodies) > 1 and is_leaf:
        forms["propose_form"].fields["body"] = body_choice_field(joint_bodies)
    appraising = cycle.status == Cycle.Status.SUBMITTED and perms["appraise"]
    measured = (
        selectors.measured_states(data, read_locked=appraising, only=code).get(code) if is_source else None
    )
    flags = {
        "accept_measured": is_source and cycle.is_editable and can_work,
        "override": is_source and cycle.is_editable and can_work,
        "adopt_late": appraising and measured is not None and measured.late,
        "score": is_leaf and not is_source and cycle.is_editable and can_work,
        "evidence": is_leaf and cycle.is_editable and can_work,
        "propose": is_leaf and not is_source and cycle.is_editable and perms["joint"],
        "settle": is_leaf and not is_source and cycle.is_editable and perms["coordinate"],
        "appraise": is_leaf and cycle.status == Cycle.Status.SUBMITTED and perms["appraise"],
    }
    if action:
        try:
            done = _criterion_action(request, cycle, code, action, forms, evidence_form)
            if done:
                messages.success(request, done)
                if request.POST.get("back") == "list":
                    url = reverse("assessments:cycle_detail", kwargs={"slug": unit.slug, "year": year})
                    return redirect(f"{url}#row-{code}")
                return redirect("assessments:criterion_detail", slug=unit.slug, year=year, code=code)
        except ValidationError as exc:
            form = forms.get(f"{action}_form") if action != "evidence" else evidence_form
            if form is not None and flags.get(action):
                attach_errors(form, exc)
            else:  # the form is not on the page (e.g. the file is locked): say it at the top
                _error(request, exc)
            if form is not None and is_conflict(exc):
                _take_current_version(form, selectors.load_cycle_data(cycle), code, action)
        data = selectors.load_cycle_data(cycle)
        if is_source:
            measured = selectors.measured_states(data, read_locked=appraising, only=code).get(code)
    results = {column: data.result(column) for column in selectors.COLUMNS}
    shown = [
        c
        for c in selectors.COLUMNS
        if c != "appraised"
        or cycle.status in (Cycle.Status.SUBMITTED, Cycle.Status.APPRAISED, Cycle.Status.RECOGNISED)
    ]
    children = []
    if isinstance(node, Criterion) and node.children:
        children = [
            (child, {c: results[c].criterion(child.code) for c in selectors.COLUMNS})
            for child in node.children
        ]
    return render(
        request,
        "assessments/criterion_detail.html",
        {
            "unit": unit,
            "cycle": cycle,
            "node": node,
            "code": code,
            "is_leaf": is_leaf,
            "is_condition": not isinstance(node, Criterion),
            "is_source": is_source,
            "source": data.sources.get(code),
            "measured": measured,
            "can_accept_measured": flags["accept_measured"],
            "can_override": flags["override"],
            "can_adopt_late": flags["adopt_late"],
            "body": body,
            "entry": data.entries.get(code),
            "settled": data.consolidated.get(code),
            "appraisal": data.appraisals.get(code),
            "texts": [
                (
                    c,
                    selectors.COLUMN_LABELS[c],
                    crit.describe_value(node, data.raw(c, code)) if is_leaf else "",
                    results[c].criterion(code),
                )
                for c in shown
            ],
            "links": data.evidence.get(code, []),
            "proposals": [(p, crit.describe_value(node, p.value)) for p in data.proposals.get(code, [])],
            "typed_decision": (request.POST.get("proposal", ""), request.POST.get("reason", ""))
            if action == "decline_proposal"
            else ("", ""),
            "children": children,
            "history": selectors.criterion_history(data, code),
            "allowed": perms,
            "can_score": flags["score"],
            "can_attach": flags["evidence"],
            "can_propose": flags["propose"],
            "can_settle": flags["settle"],
            "can_appraise": flags["appraise"],
            "evidence_form": evidence_form,
            "input_label": crit.input_label("condition" if not isinstance(node, Criterion) else node.kind),
            **forms,
        },
    )


def _take_current_version(form: Any, data: selectors.CycleData, code: str, action: str) -> None:
    """After a refused save (someone else saved meanwhile) the form shows again what the person typed,
    with the message naming the other value; it now carries the current version, so that saving once
    more (after looking) replaces that value knowingly instead of being refused again."""
    rows: dict[str, Any] = {"score": data.entries, "settle": data.consolidated, "appraise": data.appraisals}
    if action not in rows or not form.is_bound:
        return
    row = rows[action].get(code)
    form.data = form.data.copy()
    form.data[form.add_prefix("expected_version")] = str(row.version if row is not None else 0)


def _criterion_action(
    request: HttpRequest,
    cycle: Cycle,
    code: str,
    action: str,
    forms: dict[str, Any],
    evidence_form: EvidenceForm,
) -> str | None:
    """Run one POSTed action of the criterion page; returns the success message (None: form invalid)."""
    user = request.user
    if action == "evidence":
        if not evidence_form.is_valid():
            return None
        data = evidence_form.cleaned_data
        services.attach_evidence(
            actor=user,
            cycle=cycle,
            criterion_code=code,
            upload=data.get("file"),
            evidence=data.get("existing"),
            effective_date=data.get("effective_date"),
            title=data.get("title") or "",
            note=data.get("note") or "",
        )
        return _("Đã gắn minh chứng.")
    if action in ("accept_proposal", "decline_proposal"):
        decision = ProposalDecisionForm(request.POST)
        if not decision.is_valid():
            raise Http404
        proposal = access.get_object_for(
            user,
            JointProposal.objects.filter(cycle=cycle, criterion_code=code),
            Capability.READ,
            pk=decision.cleaned_data["proposal"],
        )
        accept = action == "accept_proposal"
        services.decide_proposal(
            actor=user,
            proposal=proposal,
            accept=accept,
            reason=decision.cleaned_data["reason"],
            expected_version=decision.cleaned_data["expected_version"],
        )
        if accept:
            return _("Đã chấp nhận đề xuất; điểm thống nhất theo đề xuất.")
        return _("Đã ghi không chấp nhận đề xuất.")
    if action == "accept_measured":
        services.accept_measured(
            actor=user,
            cycle=cycle,
            criterion_code=code,
            expected_version=_int_or_none(request.POST.get("expected_version")),
        )
        return _("Đã dùng số liệu đo được làm giá trị tự chấm.")
    if action == "adopt_late":
        services.adopt_late_figure(
            actor=user,
            cycle=cycle,
            criterion_code=code,
            expected_version=_int_or_none(request.POST.get("expected_version")),
        )
        return _("Đã dùng số liệu mới công bố làm giá trị thẩm định.")
    if action == "remove_evidence":
        link = access.get_object_for(
            user,
            ScoreEvidence.objects.filter(entry__cycle=cycle, entry__criterion_code=code),
            Capability.READ,
            pk=request.POST.get("link"),
        )
        services.detach_evidence(actor=user, link=link)
        return _("Đã bỏ minh chứng khỏi tiêu chí (tệp vẫn được lưu).")
    if action == "scan":
        scan = ScanForm(request.POST, request.FILES, prefix="scan")
        if not scan.is_valid():
            raise ValidationError(
                [
                    f"{scan.fields[name].label}: {' '.join(str(e) for e in errors)}"
                    for name, errors in scan.errors.items()
                ]
            )
        link = access.get_object_for(
            user,
            ScoreEvidence.objects.filter(entry__cycle=cycle, entry__criterion_code=code),
            Capability.READ,
            pk=scan.cleaned_data["link"],
        )
        services.attach_scan(
            actor=user,
            link=link,
            upload=scan.cleaned_data["file"],
            effective_date=scan.cleaned_data["effective_date"],
        )
        return _("Đã bổ sung bản quét cho minh chứng giấy.")
    form = forms.get(f"{action}_form")
    if form is None:
        raise Http404
    if not form.is_valid():
        return None
    cleaned = form.cleaned_data
    if action == "score":
        services.save_score(
            actor=user,
            cycle=cycle,
            criterion_code=code,
            value=form.value_text(),
            ticked=form.ticked(),
            explanation=cleaned.get("explanation", ""),
            expected_version=cleaned.get("expected_version"),
        )
        return form.with_reading(_("Đã lưu điểm tự chấm."))
    if action == "override":
        services.override_measured(
            actor=user,
            cycle=cycle,
            criterion_code=code,
            value=form.value_text(),
            ticked=form.ticked(),
            reason=cleaned.get("reason", ""),
            expected_version=cleaned.get("expected_version"),
        )
        return form.with_reading(_("Đã ghi giá trị khác số liệu đo được, kèm lý do."))
    if action == "propose":
        services.propose_score(
            actor=user,
            cycle=cycle,
            criterion_code=code,
            value=form.value_text(),
            ticked=form.ticked(),
            reason=cleaned.get("reason", ""),
            body=cleaned.get("body"),
        )
        return form.with_reading(_("Đã gửi đề xuất; đầu mối sẽ xem xét và thống nhất điểm."))
    if action == "settle":
        services.settle_score(
            actor=user,
            cycle=cycle,
            criterion_code=code,
            value=form.value_text(),
            ticked=form.ticked(),
            reason=cleaned.get("reason", ""),
            expected_version=cleaned.get("expected_version"),
        )
        return form.with_reading(_("Đã thống nhất điểm."))
    if action == "appraise":
        accept = cleaned.get("decision") == "accept"
        services.appraise_criterion(
            actor=user,
            cycle=cycle,
            criterion_code=code,
            accept=accept,
            value="" if accept else form.value_text(),
            ticked=None if accept else form.ticked(),
            reason=cleaned.get("reason", ""),
            expected_version=cleaned.get("expected_version"),
        )
        done = _("Đã ghi kết quả thẩm định tiêu chí.")
        return done if accept else form.with_reading(done)
    raise Http404


def _int_or_none(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


@login_required
def joint_sheet(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The joint scorers' sheet: every criterion on one page with the self-assessed value and its evidence;
    per row «đồng ý» or a proposed value with the reason; saved at once (rows left empty stay as they are)."""
    cycle = _cycle(request, slug, year)
    unit = cycle.unit
    access.require(request.user, Capability.JOINT_SCORE, unit)
    bodies = services.joint_bodies(request.user, unit)
    if not bodies:
        raise PermissionDenied
    by_pk = {str(b.pk): b for b in bodies}
    body = by_pk.get(request.POST.get("co_quan") or request.GET.get("co_quan") or "", bodies[0])
    data = selectors.load_cycle_data(cycle)
    codes = [row.code for row in crit.tree_rows(data.cs) if row.is_leaf and not row.source]
    typed: dict[str, services.SheetRow] = {}
    row_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        post = request.POST
        typed = {
            code: services.SheetRow(
                criterion_code=code,
                agree=post.get(f"agree-{code}") == "1",
                value=post.get(f"value-{code}", "")[:100],
                reason=post.get(f"reason-{code}", "")[:2000],
                version=_int_or_none(post.get(f"version-{code}")),
                seen_value=post.get(f"seen-{code}"),
            )
            for code in codes
        }
        try:
            # values typed into the page are read the Vietnamese way (1.100/1.350), like every form's
            # number field; the typed text itself is what the page shows again on an error
            read = [dataclasses.replace(row, value=typed_score_text(row.value)) for row in typed.values()]
            saved = services.save_joint_sheet(actor=request.user, cycle=cycle, rows=read, body=body)
            done = _("Đã lưu ý kiến chấm phối hợp của %(body)s (%(n)d tiêu chí).")
            messages.success(request, done % {"body": body.name, "n": saved})
            url = reverse("assessments:joint_sheet", kwargs={"slug": unit.slug, "year": year})
            return redirect(f"{url}?co_quan={body.pk}" if len(bodies) > 1 else url)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                row_errors = {
                    code: [m for e in errors for m in e.messages] for code, errors in exc.error_dict.items()
                }
                unknown = [m for code, msgs in row_errors.items() if code not in codes for m in msgs]
                explain = _("Chưa lưu gì: xem lỗi ở các dòng được đánh dấu; mọi giá trị đã nhập vẫn còn.")
                messages.error(request, " ".join(unknown) or explain)
            else:
                _error(request, exc)
    reviews = selectors.joint_reviews(cycle, body)
    measured = selectors.measured_states(data)
    rows = []
    for row in crit.tree_rows(data.cs):
        code = row.code
        entry = data.entries.get(code)
        review = reviews.get(code)
        rows.append(
            {
                "row": row,
                "editable": code in codes,
                "self_text": crit.describe_value(row.node, data.raw("self", code)) if row.is_leaf else "",
                "self_raw": entry.value if entry is not None else "",
                "evidence": len(data.live_evidence(code)) if row.is_leaf else None,
                "explanation": entry.explanation if entry is not None else "",
                "review": review,
                "review_text": crit.describe_value(row.node, review.value) if review is not None else "",
                "version": review.version if review is not None else 0,
                "typed": typed.get(code),
                "errors": row_errors.get(code, []),
                "measured": measured.get(code),
            }
        )
    return render(
        request,
        "assessments/joint_sheet.html",
        {
            "unit": unit,
            "cycle": cycle,
            "body": body,
            "bodies": bodies,
            "rows": rows,
            "editable": cycle.is_editable,
            "error_count": len(row_errors),
        },
    )


@login_required
def submit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    cycle = _cycle(request, slug, year)
    unit = cycle.unit
    access.require(request.user, Capability.LEAD, unit)
    data = selectors.load_cycle_data(cycle)
    issues = selectors.quality_checks(cycle, data)
    form = SubmitForm(request.POST or None, initial={"expected_version": cycle.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_cycle(
                actor=request.user,
                cycle=cycle,
                acknowledge_issues=form.cleaned_data["acknowledge"],
                expected_version=form.cleaned_data["expected_version"],
            )
            messages.success(
                request, _("Đã nộp bản tự đánh giá; hồ sơ được khóa và chuyển thành phố thẩm định.")
            )
            return redirect("assessments:cycle_detail", slug=unit.slug, year=year)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "assessments/submit.html",
        {
            "unit": unit,
            "cycle": cycle,
            "issues": issues,
            "form": form,
            "result": data.result("consolidated"),
            "registration": selectors.registration_of(cycle),
            "completeness": selectors.completeness(data),
            "late": timezone.localdate() > cycle.submission_deadline,
            "pending": [
                (p, crit.describe_value(data.node(p.criterion_code), p.value) or p.value)
                for p in selectors.pending_proposals(cycle)
            ],
        },
    )


@login_required
def recognise(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    cycle = _cycle(request, slug, year)
    unit = cycle.unit
    access.require(request.user, Capability.APPRAISE, unit)
    cs = crit.parsed(cycle.criteria_set)
    final = (cycle.final_result or {}).get("level") or {}
    codes = [lv.code for lv in cs.levels]
    top = codes.index(final["code"]) if final.get("code") in codes else -1
    levels = [(lv.code, lv.name) for lv in cs.levels[: top + 1]][::-1]
    form = RecognitionForm(
        request.POST or None,
        request.FILES or None,
        levels=levels,
        initial={"level_code": final.get("code"), "decision_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recognise(
                actor=request.user, cycle=cycle, upload=form.cleaned_data.pop("file"), **form.cleaned_data
            )
            messages.success(request, _("Đã ghi quyết định công nhận."))
            return redirect("assessments:cycle_detail", slug=unit.slug, year=year)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "assessments/recognise.html",
        {"unit": unit, "cycle": cycle, "form": form, "final": cycle.final_result},
    )


@login_required
def recognition_file(request: HttpRequest, slug: str, year: int) -> FileResponse:
    cycle = _cycle(request, slug, year)
    recognition = selectors.recognition_of(cycle)
    if recognition is None or not recognition.file:
        raise Http404
    response = FileResponse(
        recognition.file.open("rb"),
        as_attachment=False,
        filename=recognition.file_name,
        content_type=recognition.file_type,
    )
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def deadlines(request: HttpRequest, slug: str, year: int) -> HttpResponse:
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
def switch_criteria_set(request: HttpRequest, slug: str, year: int) -> HttpResponse:
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


# ------------------------------------------------------------------------------------ city pages


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
def open_cycles(request: HttpRequest, slug: str) -> HttpResponse:
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


def _city_url(city: Unit) -> str:
    from django.urls import reverse

    return reverse("assessments:city_overview", kwargs={"slug": city.slug})


@login_required
def library(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(request, slug)
    can_manage = access.can(request.user, Capability.APPRAISE, city)
    form = FileImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST":
        access.require(request.user, Capability.APPRAISE, city)
        try:
            if request.POST.get("template"):
                row = services.load_template(actor=request.user, city=city, name=request.POST["template"])
                messages.success(
                    request, _("Đã nạp mẫu %(c)s phiên bản %(v)d.") % {"c": row.code, "v": row.version}
                )
                return redirect("assessments:criteria_set_detail", slug=city.slug, pk=row.pk)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                row = services.import_criteria_set(
                    actor=request.user, city=city, data=upload.read(), filename=upload.name
                )
                messages.success(
                    request,
                    _("Đã nạp bộ tiêu chí %(c)s phiên bản %(v)d.") % {"c": row.code, "v": row.version},
                )
                return redirect("assessments:criteria_set_detail", slug=city.slug, pk=row.pk)
        except ValidationError as exc:
            errors = exc.messages
    rows = list(selectors.city_library(city))
    used = {row.pk: row.cycles.count() for row in rows}
    templates = []
    for name, cs in list_bundled_criteria_sets():
        status = cs.extra.get("status") if isinstance(cs.extra.get("status"), str) else ""
        source = cs.extra.get("source") if isinstance(cs.extra.get("source"), str) else ""
        templates.append(
            {
                "name": name,
                "cs": cs,
                "status": status,
                "source": source,
                "loaded": any(r.code == cs.code and r.version == cs.version for r in rows),
            }
        )
    return render(
        request,
        "assessments/library.html",
        {
            "city": city,
            "rows": rows,
            "used": used,
            "templates": templates,
            "form": form,
            "errors": errors,
            "can_manage": can_manage,
        },
    )


def _library_row(request: HttpRequest, slug: str, pk: int) -> tuple[Unit, CriteriaSetVersion]:
    city = _city(request, slug)
    row = access.get_object_for(
        request.user, CriteriaSetVersion.objects.filter(unit=city), Capability.READ, pk=pk
    )
    return city, row


@login_required
def criteria_set_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    city, row = _library_row(request, slug, pk)
    cs = crit.parsed(row)
    assumptions = cs.extra.get("assumptions")
    return render(
        request,
        "assessments/criteria_set_detail.html",
        {
            "city": city,
            "row": row,
            "cs": cs,
            "tree": crit.tree_rows(cs, with_conditions=False),
            "assumptions": assumptions if isinstance(assumptions, list) else [],
            "cycles": row.cycles.select_related("unit").order_by("-year", "unit__name"),
            "can_manage": access.can(request.user, Capability.APPRAISE, city),
            "versions": CriteriaSetVersion.objects.filter(unit=city, code=row.code).order_by("-version"),
        },
    )


@login_required
def criteria_set_yaml(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _city_row = _library_row(request, slug, pk)[1]
    response = HttpResponse(
        selectors.criteria_set_yaml_text(_city_row), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_city_row.code}-v{_city_row.version}.yaml"'
    return response


@login_required
def criteria_set_xlsx(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    from friendlygov.assessments.workbook import criteria_workbook

    row = _library_row(request, slug, pk)[1]
    return _xlsx(criteria_workbook(crit.parsed(row)), f"{row.code}-v{row.version}.xlsx")


@login_required
def criteria_set_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    city, row = _library_row(request, slug, pk)
    access.require(request.user, Capability.APPRAISE, city)
    cs = crit.parsed(row)
    initial = editor_initial(cs)
    post = request.POST if request.method == "POST" else None
    header = SetHeaderForm(post, initial=initial["header"], prefix="set")
    criteria_fs = CriterionFormSet(post, initial=initial["criteria"], prefix="c")
    levels_fs = LevelFormSet(post, initial=initial["levels"], prefix="l")
    conditions_fs = ConditionFormSet(post, initial=initial["conditions"], prefix="k")
    errors: list[str] = []
    if (
        post is not None
        and header.is_valid()
        and criteria_fs.is_valid()
        and levels_fs.is_valid()
        and conditions_fs.is_valid()
    ):
        data, problems = editor_data(cs, header, criteria_fs, levels_fs, conditions_fs)
        if problems:
            errors = problems
        else:
            try:
                saved = services.edit_criteria_set(
                    actor=request.user,
                    criteria_set=row,
                    data=data,
                    expected_version=int(request.POST.get("row_version") or row.row_version),
                )
                if saved.pk != row.pk:
                    messages.success(
                        request,
                        _("Bộ tiêu chí đang được dùng nên đã lưu thành phiên bản mới %(v)d.")
                        % {"v": saved.version},
                    )
                else:
                    messages.success(request, _("Đã lưu bộ tiêu chí."))
                return redirect("assessments:criteria_set_detail", slug=city.slug, pk=saved.pk)
            except ValidationError as exc:
                errors = exc.messages
    return render(
        request,
        "assessments/criteria_set_edit.html",
        {
            "city": city,
            "row": row,
            "header": header,
            "criteria_fs": criteria_fs,
            "levels_fs": levels_fs,
            "conditions_fs": conditions_fs,
            "errors": errors,
        },
    )


@login_required
def figures(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(request, slug)
    can_manage = access.can(request.user, Capability.APPRAISE, city)
    year = year_param(request.GET.get("nam"))
    form = FigureForm(
        request.POST if request.POST.get("action") == "save" else None,
        city=city,
        initial={"year": year or timezone.localdate().year},
    )
    import_form = FileImportForm(
        request.POST if request.POST.get("action") == "import" else None,
        request.FILES if request.POST.get("action") == "import" else None,
    )
    errors: list[str] = []
    if request.method == "POST":
        access.require(request.user, Capability.APPRAISE, city)
        try:
            if request.POST.get("action") == "save" and form.is_valid():
                services.save_city_figure(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Đã lưu số liệu."))
                return redirect("assessments:figures", slug=city.slug)
            if request.POST.get("action") == "import" and import_form.is_valid():
                upload = import_form.cleaned_data["file"]
                result = services.import_city_figures(
                    actor=request.user, city=city, data=upload.read(), filename=upload.name
                )
                messages.success(
                    request,
                    _("Đã nhập: %(c)d mới, %(u)d cập nhật.") % {"c": result.created, "u": result.updated},
                )
                return redirect("assessments:figures", slug=city.slug)
        except ValidationError as exc:
            if request.POST.get("action") == "save":
                attach_errors(form, exc)
            else:
                errors = exc.messages
    if request.GET.get("xuat") == "mau":
        header = [c.title for c in services.FIGURE_COLUMNS]
        sample = [
            [u.slug, timezone.localdate().year, "PAR INDEX", "", "", ""]
            for u in Unit.objects.filter(parent=city, is_active=True)
        ]
        return _xlsx(write_xlsx([("Số liệu", header, sample)], numbered=False), f"so-lieu-{city.slug}.xlsx")
    return render(
        request,
        "assessments/figures.html",
        {
            "city": city,
            "figures": selectors.city_figures(city, year),
            "form": form,
            "import_form": import_form,
            "errors": errors,
            "can_manage": can_manage,
            "year": year,
            "columns": services.FIGURE_COLUMNS,
            "kinds": CityFigure.Kind.choices,
        },
    )
