"""The assessment API: the same services and access checks as the pages (a unit you may not read is
404; an action you may not take is 403; a rule broken — e.g. a locked self-assessment — is 422). Its bodies
are in ``friendlygov.assessments.schemas``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.files import UploadedFile
from ninja.params.functions import File, Form

from friendlygov.assessments import selectors, services
from friendlygov.assessments.models import (
    CityFigure,
    CriteriaSetVersion,
    Cycle,
    JointProposal,
    Registration,
    ScoreEvidence,
)
from friendlygov.assessments.schemas import (
    AppraisalOut,
    AppraiseIn,
    AssignmentIn,
    AssignmentOut,
    CityCycleRowOut,
    CriteriaSetEdit,
    CriteriaSetImport,
    CriteriaSetOut,
    CriterionEvidenceOut,
    CriterionOut,
    CycleOut,
    CycleReturnIn,
    CycleSubmitIn,
    FigureIn,
    FigureOut,
    FinishAppraisalIn,
    GapOut,
    IssueOut,
    MeasuredAcceptIn,
    MeasuredAdoptIn,
    MeasuredOverrideIn,
    MeasuredStateOut,
    NodeOut,
    OpenCyclesIn,
    PathYearOut,
    ProposalDecisionIn,
    ProposalIn,
    ProposalOut,
    RecognitionIn,
    RegistrationDecisionIn,
    RegistrationIn,
    RegistrationOut,
    ScoreIn,
    ScoreOut,
    SettleIn,
    SettlementOut,
    WhatIfIn,
    WhatIfOut,
)
from friendlygov.evidence.models import EvidenceFile
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Body, Unit
from friendlygov.rules.scoring import result_to_json

router = Router(tags=["Đánh giá, chấm điểm"])


def _city(request: HttpRequest, slug: str) -> Unit:
    city = access.get_unit_for(request.user, slug)
    if not city.is_city:
        raise Http404
    return city


def _cycle(request: HttpRequest, slug: str, year: int) -> Cycle:
    unit = access.get_unit_for(request.user, slug)
    cycle = selectors.get_cycle(unit, year)
    if cycle is None:
        raise Http404
    return cycle


def _set_out(row: CriteriaSetVersion) -> dict[str, Any]:
    return {
        "id": row.pk,
        "code": row.code,
        "version": row.version,
        "row_version": row.row_version,
        "name": row.name,
        "status_label": row.status_label,
        "source_label": row.source_label,
        "origin": row.origin,
        "locked": row.is_locked,
        "data": row.data,
    }


def _cycle_out(cycle: Cycle) -> dict[str, Any]:
    data = selectors.load_cycle_data(cycle)
    registration = selectors.registration_of(cycle)
    recognition = selectors.recognition_of(cycle)
    columns = list(selectors.COLUMNS)
    if cycle.status not in (Cycle.Status.SUBMITTED, Cycle.Status.APPRAISED, Cycle.Status.RECOGNISED):
        columns.remove("appraised")
    return {
        "unit": cycle.unit.slug,
        "year": cycle.year,
        "status": cycle.status,
        "status_label": str(cycle.get_status_display()),
        "criteria_set": f"{cycle.criteria_set.code} v{cycle.criteria_set.version}",
        "criteria_set_id": cycle.criteria_set_id,
        "registration_deadline": cycle.registration_deadline,
        "submission_deadline": cycle.submission_deadline,
        "appraisal_deadline": cycle.appraisal_deadline,
        "locked": not cycle.is_editable,
        "version": cycle.version,
        "registration": None
        if registration is None
        else {
            "target_level": registration.target_level,
            "target_level_name": registration.target_level_name,
            "note": registration.note,
            "status": registration.status,
            "status_label": str(registration.get_status_display()),
            "registered_at": registration.registered_at,
            "decision_reason": registration.decision_reason,
            "version": registration.version,
        },
        "results": {column: result_to_json(data.result(column)) for column in columns},
        "recognition": None
        if recognition is None
        else {
            "decision_number": recognition.decision_number,
            "decision_date": recognition.decision_date.isoformat(),
            "signer": recognition.signer,
            "level_code": recognition.level_code,
            "level_name": recognition.level_name,
        },
    }


def _node_out(row: selectors.CriterionRow) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.row.name,
        "depth": row.row.depth,
        "parent": row.row.parent_code,
        "kind": row.row.kind,
        "is_leaf": row.is_leaf,
        "max_points": float(row.row.max_points) if row.row.max_points is not None else None,
        "source": row.row.source,
        "provenance": row.provenance,
        "body": row.body.code if row.body else None,
        "assignment_version": row.assignment_version,  # send as expected_version when assigning
        "values": row.texts,
        "points": {k: float(v) if v is not None else None for k, v in row.points.items()},
        "evidence_count": row.evidence_count,
        "proposal_count": row.proposal_count,
        "appraisal": row.appraisal.decision if row.appraisal else None,
    }


def _body(cycle: Cycle, code: str | None) -> Body | None:
    if not code:
        return None
    body = Body.objects.filter(unit=cycle.unit, code=code.strip().upper()).first()
    if body is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"body_code": f"Đơn vị không có cơ quan ký hiệu «{code}»."})
    return body


@router.get("/cities/{slug}/criteria-sets", response=list[CriteriaSetOut])
def list_criteria_sets(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return [_set_out(row) for row in selectors.city_library(_city(request, slug))]


@router.post("/cities/{slug}/criteria-sets", response={201: CriteriaSetOut})
def import_criteria_set(request: AuthenticatedRequest, slug: str, payload: CriteriaSetImport) -> Any:
    row = services.import_criteria_set_yaml(actor=request.user, city=_city(request, slug), text=payload.yaml)
    return Status(201, _set_out(row))


@router.get("/criteria-sets/{set_id}", response=CriteriaSetOut)
def get_criteria_set(request: HttpRequest, set_id: int) -> dict[str, Any]:
    return _set_out(access.get_object_for(request.user, CriteriaSetVersion, Capability.READ, pk=set_id))


@router.put("/criteria-sets/{set_id}", response=CriteriaSetOut)
def edit_criteria_set(request: AuthenticatedRequest, set_id: int, payload: CriteriaSetEdit) -> dict[str, Any]:
    """Edit a set: in place while unused, else saved as the next version (returned)."""
    row = access.get_object_for(request.user, CriteriaSetVersion, Capability.APPRAISE, pk=set_id)
    saved = services.edit_criteria_set(
        actor=request.user, criteria_set=row, data=payload.data, expected_version=payload.expected_version
    )
    return _set_out(saved)


@router.get("/cities/{slug}/cycles", response=list[CityCycleRowOut])
def city_cycles(request: HttpRequest, slug: str, year: int) -> list[dict[str, Any]]:
    header, rows = selectors.city_overview_table(selectors.city_overview(_city(request, slug), year))
    keys = [
        "unit",
        "criteria_set",
        "target_level",
        "registration_status",
        "registration_deadline",
        "status",
        "submission_deadline",
        "submitted_on",
        "appraisal_deadline",
        "scored",
        "scorable",
        "with_evidence",
        "self_total",
        "self_level",
        "consolidated_total",
        "consolidated_level",
        "appraised_total",
        "appraised_level",
        "recognised_level",
        "recognition_decision",
        "unit_code",
    ]
    return [
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in zip(keys, row, strict=True)}
        for row in rows
    ]


@router.post("/cities/{slug}/cycles", response={201: list[CycleOut]})
def open_cycles(request: AuthenticatedRequest, slug: str, payload: OpenCyclesIn) -> Any:
    city = _city(request, slug)
    criteria_set = access.get_object_for(
        request.user,
        CriteriaSetVersion.objects.filter(unit=city),
        Capability.APPRAISE,
        pk=payload.criteria_set_id,
    )
    units = None
    if payload.units:
        units = [access.get_unit_for(request.user, s) for s in payload.units]
    opened = services.open_cycles(
        actor=request.user,
        city=city,
        year=payload.year,
        criteria_set=criteria_set,
        units=units,
        registration_deadline=payload.registration_deadline,
        submission_deadline=payload.submission_deadline,
        appraisal_deadline=payload.appraisal_deadline,
    )
    return Status(201, [_cycle_out(c) for c in opened])


@router.get("/units/{slug}/cycles", response=list[CycleOut])
def list_cycles(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    unit = access.get_unit_for(request.user, slug)
    return [_cycle_out(c) for c in selectors.unit_cycles(unit).select_related("unit")]


@router.get("/units/{slug}/cycles/{year}", response=CycleOut)
def get_cycle(request: HttpRequest, slug: str, year: int) -> dict[str, Any]:
    return _cycle_out(_cycle(request, slug, year))


@router.get("/units/{slug}/cycles/{year}/tree", response=list[NodeOut])
def tree(request: HttpRequest, slug: str, year: int) -> list[dict[str, Any]]:
    """The criteria tree with each criterion's values and points in the three columns."""
    cycle = _cycle(request, slug, year)
    return [_node_out(row) for row in selectors.criterion_rows(selectors.load_cycle_data(cycle))]


@router.get("/units/{slug}/cycles/{year}/criteria/{code}", response=CriterionOut)
def criterion(request: HttpRequest, slug: str, year: int, code: str) -> dict[str, Any]:
    cycle = _cycle(request, slug, year)
    data = selectors.load_cycle_data(cycle)
    row = next((r for r in selectors.criterion_rows(data) if r.code == code), None)
    if row is None:
        raise Http404
    entry = data.entries.get(code)
    node = data.node(code)
    return {
        "node": _node_out(row),
        "self_version": entry.version if entry else 0,
        "consolidated_version": data.consolidated[code].version if code in data.consolidated else 0,
        "appraisal_version": data.appraisals[code].version if code in data.appraisals else 0,
        "explanation": entry.explanation if entry else "",
        "evidence": [
            {
                "id": link.pk,
                "evidence_id": link.evidence_id,
                "title": str(link.evidence) if link.evidence else "",
                "effective_date": link.evidence.effective_date if link.evidence else None,
                "sha256": link.evidence.sha256 if link.evidence else "",
                "note": link.note,
                "removed": link.removed_at is not None,
            }
            for link in data.evidence.get(code, [])
        ],
        "proposals": [
            {
                "id": p.pk,
                "body": p.body.code,
                "value": p.value,
                "reason": p.reason,
                "proposed_at": p.proposed_at,
                "status": p.status,
                "decision_reason": p.decision_reason,
                "version": p.version,
            }
            for p in data.proposals.get(code, [])
        ],
        "consolidated_reason": data.consolidated[code].reason if code in data.consolidated else "",
        "appraisal_reason": data.appraisals[code].reason if code in data.appraisals else "",
        "history": [
            {
                "at": h.at,
                "actor": h.actor_name,
                "what": h.what,
                "action": h.action,
                "changes": [list(c) for c in h.changes],
                "note": h.note,
            }
            for h in selectors.criterion_history(data, code)
        ]
        if node is not None
        else [],
    }


@router.post("/units/{slug}/cycles/{year}/registration", response=RegistrationOut)
def register(request: AuthenticatedRequest, slug: str, year: int, payload: RegistrationIn) -> Any:
    cycle = _cycle(request, slug, year)
    services.register_target(
        actor=request.user,
        cycle=cycle,
        target_level=payload.target_level,
        note=payload.note,
        expected_version=payload.expected_version,
    )
    return _cycle_out(cycle)["registration"]


@router.post("/units/{slug}/cycles/{year}/registration/decision", response=RegistrationOut)
def decide(request: AuthenticatedRequest, slug: str, year: int, payload: RegistrationDecisionIn) -> Any:
    cycle = _cycle(request, slug, year)
    registration = Registration.objects.filter(cycle=cycle).first()
    if registration is None:
        raise Http404
    services.decide_registration(
        actor=request.user,
        registration=registration,
        accept=payload.accept,
        reason=payload.reason,
        expected_version=payload.expected_version,
    )
    return _cycle_out(cycle)["registration"]


@router.post("/units/{slug}/cycles/{year}/assignments", response=AssignmentOut)
def assign(request: AuthenticatedRequest, slug: str, year: int, payload: AssignmentIn) -> dict[str, Any]:
    cycle = _cycle(request, slug, year)
    assignment = services.assign_criterion(
        actor=request.user,
        cycle=cycle,
        criterion_code=payload.criterion_code,
        body=_body(cycle, payload.body_code),
        expected_version=payload.expected_version,
    )
    return {
        "criterion_code": payload.criterion_code,
        "body_code": assignment.body.code if assignment else None,
        "version": assignment.version if assignment else 0,  # 0: no assignment left
    }


@router.post("/units/{slug}/cycles/{year}/scores", response=ScoreOut)
def post_score(request: AuthenticatedRequest, slug: str, year: int, payload: ScoreIn) -> Any:
    cycle = _cycle(request, slug, year)
    return services.save_score(
        actor=request.user,
        cycle=cycle,
        criterion_code=payload.criterion_code,
        value=payload.value,
        explanation=payload.explanation,
        ticked=payload.ticked,
        expected_version=payload.expected_version,
    )


@router.post("/units/{slug}/cycles/{year}/criteria/{code}/evidence", response={201: CriterionEvidenceOut})
def add_evidence(
    request: AuthenticatedRequest,
    slug: str,
    year: int,
    code: str,
    file: UploadedFile | None = File(None),  # noqa: B008
    effective_date: dt.date | None = Form(None),  # noqa: B008
    title: str = Form(""),  # noqa: B008
    note: str = Form(""),  # noqa: B008
    evidence_id: int | None = Form(None),  # noqa: B008
) -> Any:
    """Attach a new file (multipart, with its effective date), an evidence file already in the system
    (``evidence_id``), or a description only (``note``)."""
    cycle = _cycle(request, slug, year)
    existing = None
    if evidence_id:
        existing = access.get_object_for(
            request.user, EvidenceFile.objects.filter(unit=cycle.unit), Capability.READ, pk=evidence_id
        )
    link = services.attach_evidence(
        actor=request.user,
        cycle=cycle,
        criterion_code=code,
        upload=file,
        evidence=existing,
        effective_date=effective_date,
        title=title,
        note=note,
    )
    evidence = link.evidence
    return Status(
        201,
        {
            "id": link.pk,
            "evidence_id": link.evidence_id,
            "title": str(evidence) if evidence else "",
            "effective_date": evidence.effective_date if evidence else None,
            "sha256": evidence.sha256 if evidence else "",
            "note": link.note,
            "removed": False,
        },
    )


@router.post(
    "/units/{slug}/cycles/{year}/criteria/{code}/evidence/{link_id}/scan", response=CriterionEvidenceOut
)
def add_scan(
    request: AuthenticatedRequest,
    slug: str,
    year: int,
    code: str,
    link_id: int,
    file: UploadedFile = File(...),  # noqa: B008
    effective_date: dt.date | None = Form(None),  # noqa: B008
) -> Any:
    """The scanned file of proof recorded on paper only (``note`` without a file): the same record now
    holds the file (multipart; ``effective_date`` defaults to the day the paper proof was recorded)."""
    cycle = _cycle(request, slug, year)
    link = access.get_object_for(
        request.user,
        ScoreEvidence.objects.filter(entry__cycle=cycle, entry__criterion_code=code),
        Capability.READ,
        pk=link_id,
    )
    link = services.attach_scan(actor=request.user, link=link, upload=file, effective_date=effective_date)
    evidence = link.evidence
    assert evidence is not None
    return {
        "id": link.pk,
        "evidence_id": evidence.pk,
        "title": str(evidence),
        "effective_date": evidence.effective_date,
        "sha256": evidence.sha256,
        "note": link.note,
        "removed": False,
    }


@router.post("/units/{slug}/cycles/{year}/proposals", response={201: ProposalOut})
def propose(request: AuthenticatedRequest, slug: str, year: int, payload: ProposalIn) -> Any:
    cycle = _cycle(request, slug, year)
    body = _body(cycle, payload.body_code) if payload.body_code else None
    proposal = services.propose_score(
        actor=request.user,
        cycle=cycle,
        criterion_code=payload.criterion_code,
        value=payload.value,
        ticked=payload.ticked,
        reason=payload.reason,
        body=body,
    )
    return Status(
        201,
        {
            "id": proposal.pk,
            "body": proposal.body.code,
            "value": proposal.value,
            "reason": proposal.reason,
            "proposed_at": proposal.proposed_at,
        },
    )


@router.post("/units/{slug}/cycles/{year}/settlements", response=SettlementOut)
def settle(request: AuthenticatedRequest, slug: str, year: int, payload: SettleIn) -> dict[str, Any]:
    cycle = _cycle(request, slug, year)
    row = services.settle_score(
        actor=request.user,
        cycle=cycle,
        criterion_code=payload.criterion_code,
        value=payload.value,
        ticked=payload.ticked,
        reason=payload.reason,
        expected_version=payload.expected_version,
    )
    return {
        "criterion_code": row.criterion_code,
        "value": row.value,
        "reason": row.reason,
        "version": row.version,
    }


@router.post("/units/{slug}/cycles/{year}/proposals/{proposal_id}/decision", response=ProposalOut)
def decide_proposal(
    request: AuthenticatedRequest, slug: str, year: int, proposal_id: int, payload: ProposalDecisionIn
) -> dict[str, Any]:
    """The coordinator accepts a joint proposal (the settled value becomes the proposed one) or declines
    it with a reason; submission waits until no proposal is pending."""
    cycle = _cycle(request, slug, year)
    proposal = JointProposal.objects.filter(cycle=cycle, pk=proposal_id).select_related("body").first()
    if proposal is None:
        raise Http404
    proposal = services.decide_proposal(
        actor=request.user,
        proposal=proposal,
        accept=payload.accept,
        reason=payload.reason,
        expected_version=payload.expected_version,
    )
    return {
        "id": proposal.pk,
        "body": proposal.body.code,
        "value": proposal.value,
        "reason": proposal.reason,
        "proposed_at": proposal.proposed_at,
        "status": proposal.status,
        "decision_reason": proposal.decision_reason,
        "version": proposal.version,
    }


@router.get("/units/{slug}/cycles/{year}/quality", response=list[IssueOut])
def quality(request: HttpRequest, slug: str, year: int) -> list[dict[str, Any]]:
    cycle = _cycle(request, slug, year)
    return [{"code": i.code, "kind": i.kind, "message": i.message} for i in selectors.quality_checks(cycle)]


@router.post("/units/{slug}/cycles/{year}/submit", response=CycleOut)
def submit(request: AuthenticatedRequest, slug: str, year: int, payload: CycleSubmitIn) -> dict[str, Any]:
    cycle = _cycle(request, slug, year)
    cycle = services.submit_cycle(
        actor=request.user,
        cycle=cycle,
        acknowledge_issues=payload.acknowledge_issues,
        expected_version=payload.expected_version,
    )
    return _cycle_out(cycle)


@router.post("/units/{slug}/cycles/{year}/appraisals", response=AppraisalOut)
def appraise(request: AuthenticatedRequest, slug: str, year: int, payload: AppraiseIn) -> dict[str, Any]:
    cycle = _cycle(request, slug, year)
    row = services.appraise_criterion(
        actor=request.user,
        cycle=cycle,
        criterion_code=payload.criterion_code,
        accept=payload.accept,
        value=payload.value,
        ticked=payload.ticked,
        reason=payload.reason,
        expected_version=payload.expected_version,
    )
    return {
        "criterion_code": row.criterion_code,
        "decision": row.decision,
        "value": row.value,
        "reason": row.reason,
        "version": row.version,
    }


def _measured_out(state: selectors.MeasuredState) -> dict[str, Any]:
    entry, figure = state.entry, state.figure
    return {
        "criterion_code": state.code,
        "source": state.key,
        "source_label": state.source_label,
        "status": state.status,
        "live_value": state.live_text or None,
        "live_label": figure.label if figure is not None else None,
        "live_reference": figure.reference if figure is not None else None,
        "live_as_of": figure.as_of if figure is not None else None,
        "value": entry.value if entry is not None else "",
        "measured_value": entry.measured_value if entry is not None else "",
        "measured_at": entry.measured_at if entry is not None else None,
        "override_reason": entry.override_reason if entry is not None else "",
        "changed": state.changed,
        "late": state.late,
        "version": entry.version if entry is not None else 0,
    }


def _measured_state(request: HttpRequest, cycle: Cycle, code: str) -> dict[str, Any]:
    data = selectors.load_cycle_data(cycle)
    appraising = cycle.status == Cycle.Status.SUBMITTED and access.can(
        request.user, Capability.APPRAISE, cycle.unit
    )
    state = selectors.measured_states(data, read_locked=appraising, only=code).get(code)
    if state is None:
        raise Http404
    return _measured_out(state)


@router.get("/units/{slug}/cycles/{year}/measured", response=list[MeasuredStateOut])
def measured(request: HttpRequest, slug: str, year: int) -> list[dict[str, Any]]:
    """Every source criterion against its measured figure: the figure now, what was accepted or typed
    instead (with the reason), whether the figure changed since, or was published after submission."""
    cycle = _cycle(request, slug, year)
    appraising = cycle.status == Cycle.Status.SUBMITTED and access.can(
        request.user, Capability.APPRAISE, cycle.unit
    )
    states = selectors.measured_states(selectors.load_cycle_data(cycle), read_locked=appraising)
    return [_measured_out(state) for state in states.values()]


@router.post("/units/{slug}/cycles/{year}/criteria/{code}/measured/accept", response=MeasuredStateOut)
def accept_measured(
    request: AuthenticatedRequest, slug: str, year: int, code: str, payload: MeasuredAcceptIn
) -> Any:
    """Accept the measured figure as the self-assessed value (one action)."""
    cycle = _cycle(request, slug, year)
    services.accept_measured(
        actor=request.user, cycle=cycle, criterion_code=code, expected_version=payload.expected_version
    )
    return _measured_state(request, cycle, code)


@router.post("/units/{slug}/cycles/{year}/criteria/{code}/measured/override", response=MeasuredStateOut)
def override_measured(
    request: AuthenticatedRequest, slug: str, year: int, code: str, payload: MeasuredOverrideIn
) -> Any:
    """Record another value than the measured figure, with the reason (required)."""
    cycle = _cycle(request, slug, year)
    services.override_measured(
        actor=request.user,
        cycle=cycle,
        criterion_code=code,
        value=payload.value,
        ticked=payload.ticked,
        reason=payload.reason,
        expected_version=payload.expected_version,
    )
    return _measured_state(request, cycle, code)


@router.post("/units/{slug}/cycles/{year}/criteria/{code}/measured/adopt-late", response=AppraisalOut)
def adopt_late(
    request: AuthenticatedRequest, slug: str, year: int, code: str, payload: MeasuredAdoptIn
) -> Any:
    """The appraiser adopts a figure published after submission as the criterion's appraised value."""
    cycle = _cycle(request, slug, year)
    row = services.adopt_late_figure(
        actor=request.user, cycle=cycle, criterion_code=code, expected_version=payload.expected_version
    )
    return {
        "criterion_code": row.criterion_code,
        "decision": row.decision,
        "value": row.value,
        "reason": row.reason,
        "version": row.version,
    }


@router.post("/units/{slug}/cycles/{year}/return", response=CycleOut)
def return_file(
    request: AuthenticatedRequest, slug: str, year: int, payload: CycleReturnIn
) -> dict[str, Any]:
    cycle = _cycle(request, slug, year)
    return _cycle_out(
        services.return_cycle(
            actor=request.user,
            cycle=cycle,
            requests=payload.requests,
            expected_version=payload.expected_version,
        )
    )


@router.post("/units/{slug}/cycles/{year}/finish-appraisal", response=CycleOut)
def finish(request: AuthenticatedRequest, slug: str, year: int, payload: FinishAppraisalIn) -> dict[str, Any]:
    cycle = _cycle(request, slug, year)
    return _cycle_out(
        services.finish_appraisal(actor=request.user, cycle=cycle, expected_version=payload.expected_version)
    )


@router.post("/units/{slug}/cycles/{year}/recognition", response=CycleOut)
def recognition(
    request: AuthenticatedRequest, slug: str, year: int, payload: RecognitionIn
) -> dict[str, Any]:
    cycle = _cycle(request, slug, year)
    services.recognise(actor=request.user, cycle=cycle, **payload.dict())
    cycle.refresh_from_db()
    return _cycle_out(cycle)


@router.get("/units/{slug}/cycles/{year}/gap", response=GapOut)
def gap(request: HttpRequest, slug: str, year: int, column: str = "consolidated") -> dict[str, Any]:
    """Points missing to each level (per criterion, most at stake first) and the failing gates."""
    cycle = _cycle(request, slug, year)
    if column not in selectors.COLUMNS:
        column = "consolidated"
    view = selectors.gap_view(selectors.load_cycle_data(cycle), column)
    return {
        "column": column,
        "result": result_to_json(view.result),
        "levels": [
            {
                "code": g.level.code,
                "name": g.level.name,
                "reached": g.reached,
                "achieved": g.achieved,
                "points_needed": float(g.points_needed),
                "share_shortfalls": [{"code": s.code, "needed": float(s.needed)} for s in g.share_shortfalls],
                "gates": [{"code": x.code, "reason": x.reason} for x in g.gates],
            }
            for g in view.levels
        ],
        "criteria": [
            {
                "code": c.code,
                "name": c.name,
                "points": float(c.points),
                "max_points": float(c.max_points),
                "at_stake": float(c.at_stake),
                "gain": float(c.gain),
                "body": c.body.code if c.body else None,
            }
            for c in view.criteria
        ],
    }


@router.post("/units/{slug}/cycles/{year}/what-if", response=WhatIfOut)
def what_if(request: HttpRequest, slug: str, year: int, payload: WhatIfIn) -> dict[str, Any]:
    """The result with some values changed; nothing is saved."""
    cycle = _cycle(request, slug, year)
    column = payload.column if payload.column in selectors.COLUMNS else "consolidated"
    outcome = selectors.what_if(selectors.load_cycle_data(cycle), payload.values, column)
    if outcome.problems:
        from django.core.exceptions import ValidationError

        raise ValidationError(outcome.problems)
    assert outcome.after is not None
    return {"before": result_to_json(outcome.before), "after": result_to_json(outcome.after)}


@router.get("/units/{slug}/path", response=list[PathYearOut])
def path(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Year by year against the plan's targets."""
    unit = access.get_unit_for(request.user, slug)
    return [
        {
            "year": p.year,
            "target_level": p.target_code,
            "registered": p.registered,
            "status": p.status,
            "total": float(p.total) if p.total is not None else None,
            "level": p.level_code,
            "basis": p.basis,
            "recognised": p.recognised,
            "on_track": p.on_track,
        }
        for p in selectors.path_across_years(unit)
    ]


def _figure_out(f: CityFigure) -> dict[str, Any]:
    return {
        "unit": f.unit.slug,
        "year": f.year,
        "kind": f.kind,
        "value": float(f.value),
        "decision": f.decision,
        "published_on": f.published_on,
        "version": f.version,
    }


@router.get("/units/{slug}/figures", response=list[FigureOut])
def unit_figures(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    unit = access.get_unit_for(request.user, slug)
    return [_figure_out(f) for f in selectors.unit_figures(unit).select_related("unit")]


@router.post("/cities/{slug}/figures", response=FigureOut)
def save_figure(request: AuthenticatedRequest, slug: str, payload: FigureIn) -> dict[str, Any]:
    city = _city(request, slug)
    unit = access.get_unit_for(request.user, payload.unit)
    if unit.parent_id != city.pk:
        raise Http404
    figure = services.save_city_figure(
        actor=request.user,
        unit=unit,
        year=payload.year,
        kind=payload.kind,
        value=payload.value,
        decision=payload.decision,
        published_on=payload.published_on,
        expected_version=payload.expected_version,
    )
    return _figure_out(figure)
