"""Step 3 pages, scoring: assignments and the criterion page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors, services
from friendlygov.assessments.forms import (
    AppraisalForm,
    EvidenceForm,
    ProposalDecisionForm,
    ScanForm,
    ValueForm,
    body_choice_field,
)
from friendlygov.assessments.models import Cycle, JointProposal, ScoreEvidence
from friendlygov.kit.concurrency import is_conflict
from friendlygov.kit.forms_util import attach_errors
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Body
from friendlygov.rules.scoring import Criterion

from .common import _cycle, _error, _perms


@login_required
def assignments(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
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


def _criterion_flags(
    cycle: Cycle,
    perms: dict[str, bool],
    is_leaf: bool,
    is_source: bool,
    can_work: bool,
    appraising: bool,
    measured: Any,
) -> dict[str, bool]:
    """Which actions the criterion page offers."""
    return {
        "accept_measured": is_source and cycle.is_editable and can_work,
        "override": is_source and cycle.is_editable and can_work,
        "adopt_late": appraising and measured is not None and measured.late,
        "score": is_leaf and not is_source and cycle.is_editable and can_work,
        "evidence": is_leaf and cycle.is_editable and can_work,
        "propose": is_leaf and not is_source and cycle.is_editable and perms["joint"],
        "settle": is_leaf and not is_source and cycle.is_editable and perms["coordinate"],
        "appraise": is_leaf and cycle.status == Cycle.Status.SUBMITTED and perms["appraise"],
    }


def _criterion_post(
    request: AuthenticatedRequest,
    cycle: Cycle,
    code: str,
    action: str,
    forms: dict[str, Any],
    evidence_form: Any,
    flags: dict[str, bool],
) -> HttpResponse | None:
    """One action of the criterion page: the redirect when done, None to show the page again."""
    unit = cycle.unit
    try:
        done = _criterion_action(request, cycle, code, action, forms, evidence_form)
        if done:
            messages.success(request, done)
            if request.POST.get("back") == "list":
                url = reverse("assessments:cycle_detail", kwargs={"slug": unit.slug, "year": cycle.year})
                return redirect(f"{url}#row-{code}")
            return redirect("assessments:criterion_detail", slug=unit.slug, year=cycle.year, code=code)
    except ValidationError as exc:
        form = forms.get(f"{action}_form") if action != "evidence" else evidence_form
        if form is not None and flags.get(action):
            attach_errors(form, exc)
        else:  # the form is not on the page (e.g. the file is locked): say it at the top
            _error(request, exc)
        if form is not None and is_conflict(exc):
            _take_current_version(form, selectors.load_cycle_data(cycle), code, action)
    return None


def _shown_columns(cycle: Cycle) -> list[str]:
    return [
        c
        for c in selectors.COLUMNS
        if c != "appraised"
        or cycle.status in (Cycle.Status.SUBMITTED, Cycle.Status.APPRAISED, Cycle.Status.RECOGNISED)
    ]


def _child_results(node: Any, results: dict[str, Any]) -> list[Any]:
    if isinstance(node, Criterion) and node.children:
        return [
            (child, {c: results[c].criterion(child.code) for c in selectors.COLUMNS})
            for child in node.children
        ]
    return []


def _column_texts(
    data: selectors.CycleData, node: Any, code: str, is_leaf: bool, shown: list[str], results: dict[str, Any]
) -> list[Any]:
    return [
        (
            c,
            selectors.COLUMN_LABELS[c],
            crit.describe_value(node, data.raw(c, code)) if is_leaf else "",
            results[c].criterion(code),
        )
        for c in shown
    ]


def _typed_decision(request: HttpRequest, action: str | None) -> tuple[str, str]:
    if action == "decline_proposal":
        return (request.POST.get("proposal", ""), request.POST.get("reason", ""))
    return ("", "")


def _input_label(node: Any) -> str:
    return crit.input_label("condition" if not isinstance(node, Criterion) else node.kind)


@login_required
def criterion_detail(request: AuthenticatedRequest, slug: str, year: int, code: str) -> HttpResponse:
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
    flags = _criterion_flags(cycle, perms, is_leaf, is_source, can_work, appraising, measured)
    if action:
        response = _criterion_post(request, cycle, code, action, forms, evidence_form, flags)
        if response is not None:
            return response
        data = selectors.load_cycle_data(cycle)
        if is_source:
            measured = selectors.measured_states(data, read_locked=appraising, only=code).get(code)
    results = {column: data.result(column) for column in selectors.COLUMNS}
    shown = _shown_columns(cycle)
    children = _child_results(node, results)
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
            "texts": _column_texts(data, node, code, is_leaf, shown, results),
            "links": data.evidence.get(code, []),
            "proposals": [(p, crit.describe_value(node, p.value)) for p in data.proposals.get(code, [])],
            "typed_decision": _typed_decision(request, action),
            "children": children,
            "history": selectors.criterion_history(data, code),
            "allowed": perms,
            "can_score": flags["score"],
            "can_attach": flags["evidence"],
            "can_propose": flags["propose"],
            "can_settle": flags["settle"],
            "can_appraise": flags["appraise"],
            "evidence_form": evidence_form,
            "input_label": _input_label(node),
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
    request: AuthenticatedRequest,
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
    form: ValueForm | None = forms.get(f"{action}_form")
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
