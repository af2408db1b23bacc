"""Step 3 pages, scoring: assignments and the criterion page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

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
from friendlygov.assessments.permissions import CriterionPermissions, criterion_permissions
from friendlygov.kit.concurrency import is_conflict
from friendlygov.kit.forms_util import attach_errors
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Body
from friendlygov.rules.scoring import Criterion

from .common import _cycle, _error


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
    request: AuthenticatedRequest, data: selectors.CycleData, code: str, node: Any, post_action: str | None
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


def _typed_decision(request: AuthenticatedRequest, action: str | None) -> tuple[str, str]:
    if action == "decline_proposal":
        return (request.POST.get("proposal", ""), request.POST.get("reason", ""))
    return ("", "")


def _input_label(node: Any) -> str:
    return crit.input_label("condition" if not isinstance(node, Criterion) else node.kind)


@dataclass
class _Page:
    """One request of the criterion page: the cycle's records, the person's permissions and the forms
    (the one of the action being posted bound to the request)."""

    cycle: Cycle
    code: str
    data: selectors.CycleData
    node: Any
    perms: CriterionPermissions
    forms: dict[str, Any]
    evidence_form: EvidenceForm
    action: str | None = None


def _page(request: AuthenticatedRequest, slug: str, year: int, code: str, action: str | None = None) -> _Page:
    cycle = _cycle(request, slug, year)
    data = selectors.load_cycle_data(cycle)
    node = data.node(code)
    if node is None:
        raise Http404
    perms = criterion_permissions(request.user, cycle, code, data=data)
    forms = _value_forms(request, data, code, node, action) if perms.is_leaf else {}
    evidence_form = EvidenceForm(
        request.POST if action == "evidence" else None,
        request.FILES if action == "evidence" else None,
        prefix="evidence",
        choices=selectors.unit_evidence_choices(cycle.unit),
    )
    if perms.is_leaf and len(perms.joint_bodies) > 1:
        forms["propose_form"].fields["body"] = body_choice_field(list(perms.joint_bodies))
    return _Page(cycle, code, data, node, perms, forms, evidence_form, action)


def _render(request: AuthenticatedRequest, page: _Page) -> HttpResponse:
    """The criterion page (after a refused action: the records read again, the forms as posted)."""
    cycle, code, node = page.cycle, page.code, page.node
    data, perms = page.data, page.perms
    if page.action:
        data = selectors.load_cycle_data(cycle)
        perms = criterion_permissions(request.user, cycle, code, data=data)
    results = {column: data.result(column) for column in selectors.COLUMNS}
    shown = _shown_columns(cycle)
    return render(
        request,
        "assessments/criterion_detail.html",
        {
            "unit": cycle.unit,
            "cycle": cycle,
            "node": node,
            "code": code,
            "is_leaf": perms.is_leaf,
            "is_condition": not isinstance(node, Criterion),
            "is_source": perms.is_source,
            "source": data.sources.get(code),
            "measured": perms.measured,
            "perms": perms,
            "body": perms.body,
            "entry": data.entries.get(code),
            "settled": data.consolidated.get(code),
            "appraisal": data.appraisals.get(code),
            "texts": _column_texts(data, node, code, perms.is_leaf, shown, results),
            "links": data.evidence.get(code, []),
            "proposals": [(p, crit.describe_value(node, p.value)) for p in data.proposals.get(code, [])],
            "typed_decision": _typed_decision(request, page.action),
            "children": _child_results(node, results),
            "history": selectors.criterion_history(data, code),
            "evidence_form": page.evidence_form,
            "input_label": _input_label(node),
            **page.forms,
        },
    )


@login_required
@require_safe
def criterion_detail(request: AuthenticatedRequest, slug: str, year: int, code: str) -> HttpResponse:
    """The criterion page. Each of its forms posts to its own address (``ACTIONS``)."""
    return _render(request, _page(request, slug, year, code))


Run = Callable[[AuthenticatedRequest, _Page], str | None]


@dataclass(frozen=True)
class _Action:
    name: str  # the form's prefix and the old ``action`` field's value
    path: str  # the address below the criterion page
    run: Run  # parses its form, calls one service; the success message, None when the form is invalid
    flag: str  # the permission that puts its form on the page
    form: str | None = None  # the page's form that shows its errors


def _act(request: AuthenticatedRequest, slug: str, year: int, code: str, action: _Action) -> HttpResponse:
    """Run one action of the criterion page: redirect when done, else the page again with the errors."""
    page = _page(request, slug, year, code, action.name)
    cycle = page.cycle
    try:
        done = action.run(request, page)
        if done:
            messages.success(request, done)
            if request.POST.get("back") == "list":
                url = reverse(
                    "assessments:cycle_detail", kwargs={"slug": cycle.unit.slug, "year": cycle.year}
                )
                return redirect(f"{url}#row-{code}")
            return redirect("assessments:criterion_detail", slug=cycle.unit.slug, year=cycle.year, code=code)
    except ValidationError as exc:
        form = page.evidence_form if action.form == "evidence_form" else page.forms.get(action.form or "")
        if form is not None and getattr(page.perms, action.flag):
            attach_errors(form, exc)
        else:  # the form is not on the page (e.g. the file is locked): say it at the top
            _error(request, exc)
        if form is not None and is_conflict(exc):
            _take_current_version(form, selectors.load_cycle_data(cycle), code, action.name)
    return _render(request, page)


def _valid(page: _Page, name: str) -> Any:
    form = page.forms.get(f"{name}_form")
    if form is None:  # not a leaf: nothing to post
        raise Http404
    return form if form.is_valid() else None


def _attach(request: AuthenticatedRequest, page: _Page) -> str | None:
    form = page.evidence_form
    if not form.is_valid():
        return None
    data = form.cleaned_data
    services.attach_evidence(
        actor=request.user,
        cycle=page.cycle,
        criterion_code=page.code,
        upload=data.get("file"),
        evidence=data.get("existing"),
        effective_date=data.get("effective_date"),
        title=data.get("title") or "",
        note=data.get("note") or "",
    )
    return _("Đã gắn minh chứng.")


def _link_of(request: AuthenticatedRequest, page: _Page, pk: Any) -> ScoreEvidence:
    return access.get_object_for(
        request.user,
        ScoreEvidence.objects.filter(entry__cycle=page.cycle, entry__criterion_code=page.code),
        Capability.READ,
        pk=pk,
    )


def _remove_evidence(request: AuthenticatedRequest, page: _Page) -> str | None:
    services.detach_evidence(actor=request.user, link=_link_of(request, page, request.POST.get("link")))
    return _("Đã bỏ minh chứng khỏi tiêu chí (tệp vẫn được lưu).")


def _scan(request: AuthenticatedRequest, page: _Page) -> str | None:
    scan = ScanForm(request.POST, request.FILES, prefix="scan")
    if not scan.is_valid():
        raise ValidationError(
            [
                f"{scan.fields[name].label}: {' '.join(str(e) for e in errors)}"
                for name, errors in scan.errors.items()
            ]
        )
    services.attach_scan(
        actor=request.user,
        link=_link_of(request, page, scan.cleaned_data["link"]),
        upload=scan.cleaned_data["file"],
        effective_date=scan.cleaned_data["effective_date"],
    )
    return _("Đã bổ sung bản quét cho minh chứng giấy.")


def _decide(request: AuthenticatedRequest, page: _Page, *, accept: bool) -> str | None:
    decision = ProposalDecisionForm(request.POST)
    if not decision.is_valid():
        raise Http404
    proposal = access.get_object_for(
        request.user,
        JointProposal.objects.filter(cycle=page.cycle, criterion_code=page.code),
        Capability.READ,
        pk=decision.cleaned_data["proposal"],
    )
    services.decide_proposal(
        actor=request.user,
        proposal=proposal,
        accept=accept,
        reason=decision.cleaned_data["reason"],
        expected_version=decision.cleaned_data["expected_version"],
    )
    if accept:
        return _("Đã chấp nhận đề xuất; điểm thống nhất theo đề xuất.")
    return _("Đã ghi không chấp nhận đề xuất.")


def _accept_proposal(request: AuthenticatedRequest, page: _Page) -> str | None:
    return _decide(request, page, accept=True)


def _decline_proposal(request: AuthenticatedRequest, page: _Page) -> str | None:
    return _decide(request, page, accept=False)


def _accept_measured(request: AuthenticatedRequest, page: _Page) -> str | None:
    services.accept_measured(
        actor=request.user,
        cycle=page.cycle,
        criterion_code=page.code,
        expected_version=_int_or_none(request.POST.get("expected_version")),
    )
    return _("Đã dùng số liệu đo được làm giá trị tự chấm.")


def _adopt_late(request: AuthenticatedRequest, page: _Page) -> str | None:
    services.adopt_late_figure(
        actor=request.user,
        cycle=page.cycle,
        criterion_code=page.code,
        expected_version=_int_or_none(request.POST.get("expected_version")),
    )
    return _("Đã dùng số liệu mới công bố làm giá trị thẩm định.")


def _score(request: AuthenticatedRequest, page: _Page) -> str | None:
    form = _valid(page, "score")
    if form is None:
        return None
    services.save_score(
        actor=request.user,
        cycle=page.cycle,
        criterion_code=page.code,
        value=form.value_text(),
        ticked=form.ticked(),
        explanation=form.cleaned_data.get("explanation", ""),
        expected_version=form.cleaned_data.get("expected_version"),
    )
    return str(form.with_reading(_("Đã lưu điểm tự chấm.")))


def _override(request: AuthenticatedRequest, page: _Page) -> str | None:
    form = _valid(page, "override")
    if form is None:
        return None
    services.override_measured(
        actor=request.user,
        cycle=page.cycle,
        criterion_code=page.code,
        value=form.value_text(),
        ticked=form.ticked(),
        reason=form.cleaned_data.get("reason", ""),
        expected_version=form.cleaned_data.get("expected_version"),
    )
    return str(form.with_reading(_("Đã ghi giá trị khác số liệu đo được, kèm lý do.")))


def _propose(request: AuthenticatedRequest, page: _Page) -> str | None:
    form = _valid(page, "propose")
    if form is None:
        return None
    services.propose_score(
        actor=request.user,
        cycle=page.cycle,
        criterion_code=page.code,
        value=form.value_text(),
        ticked=form.ticked(),
        reason=form.cleaned_data.get("reason", ""),
        body=form.cleaned_data.get("body"),
    )
    return str(form.with_reading(_("Đã gửi đề xuất; đầu mối sẽ xem xét và thống nhất điểm.")))


def _settle(request: AuthenticatedRequest, page: _Page) -> str | None:
    form = _valid(page, "settle")
    if form is None:
        return None
    services.settle_score(
        actor=request.user,
        cycle=page.cycle,
        criterion_code=page.code,
        value=form.value_text(),
        ticked=form.ticked(),
        reason=form.cleaned_data.get("reason", ""),
        expected_version=form.cleaned_data.get("expected_version"),
    )
    return str(form.with_reading(_("Đã thống nhất điểm.")))


def _appraise(request: AuthenticatedRequest, page: _Page) -> str | None:
    form = _valid(page, "appraise")
    if form is None:
        return None
    cleaned = form.cleaned_data
    accept = cleaned.get("decision") == "accept"
    services.appraise_criterion(
        actor=request.user,
        cycle=page.cycle,
        criterion_code=page.code,
        accept=accept,
        value="" if accept else form.value_text(),
        ticked=None if accept else form.ticked(),
        reason=cleaned.get("reason", ""),
        expected_version=cleaned.get("expected_version"),
    )
    done = _("Đã ghi kết quả thẩm định tiêu chí.")
    return done if accept else str(form.with_reading(done))


ACTIONS: dict[str, _Action] = {
    a.name: a
    for a in [
        _Action("score", "cham/", _score, "may_score", "score_form"),
        _Action("evidence", "minh-chung/", _attach, "may_attach_evidence", "evidence_form"),
        _Action("remove_evidence", "minh-chung/bo/", _remove_evidence, "may_attach_evidence"),
        _Action("scan", "minh-chung/ban-quet/", _scan, "may_attach_evidence"),
        _Action("accept_measured", "chap-nhan-so-do/", _accept_measured, "may_accept_measured"),
        _Action("override", "ghi-khac-so-do/", _override, "may_override", "override_form"),
        _Action("propose", "de-xuat/", _propose, "may_propose", "propose_form"),
        _Action("accept_proposal", "de-xuat/chap-nhan/", _accept_proposal, "may_decide_proposal"),
        _Action("decline_proposal", "de-xuat/khong-chap-nhan/", _decline_proposal, "may_decide_proposal"),
        _Action("settle", "thong-nhat/", _settle, "may_settle", "settle_form"),
        _Action("appraise", "tham-dinh/", _appraise, "may_appraise", "appraise_form"),
        _Action("adopt_late", "so-lieu-moi/", _adopt_late, "may_adopt_late"),
    ]
}
"""The actions of the criterion page, each with its own address (``criterion_<name>`` in the URLs)."""


def action_view(action: _Action) -> Callable[..., HttpResponse]:
    """The small view of one action of the criterion page."""

    @login_required
    @require_POST
    def view(request: AuthenticatedRequest, slug: str, year: int, code: str) -> HttpResponse:
        return _act(request, slug, year, code, action)

    view.__name__ = view.__qualname__ = f"criterion_{action.name}"
    view.__doc__ = f"POST: the criterion page's «{action.name}» action."
    return view


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


def _int_or_none(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None
