"""Operations API: the main reads and writes of the area, through the same services and access checks as
the pages (someone who may not read the unit gets 404; who may read but not act gets 403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from friendlygov.kit.concurrency import ExpectedVersion
from friendlygov.kit.params import Year
from friendlygov.operations import selectors, services
from friendlygov.operations.models import (
    BudgetLine,
    CommunicationActivity,
    Conference,
    Nomination,
    ProgrammeReview,
    ReviewSection,
    SignatureRequest,
    Spending,
    VillageReview,
)
from friendlygov.operations.schemas import (
    BudgetOut,
    CommunicationOut,
    ReviewDataOut,
    ShortfallOut,
    VillagesOut,
    YearlyResultsOut,
)
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.org.models import Body, Unit

router = Router(tags=["Hoạt động (tuyên truyền, thôn, kinh phí, khen thưởng, sơ kết)"])


# ---------------------------------------------------------------------------------------------- helpers


def _unit(request: HttpRequest, slug: str) -> Unit:
    return access.get_unit_for(request.user, slug)


def _body(unit: Unit, body_id: int | None, field: str = "body_id") -> Body | None:
    if body_id is None:
        return None
    body = Body.objects.filter(pk=body_id, unit=unit).first()
    if body is None:
        raise ValidationError({field: f"Không có cơ quan, thôn mã số {body_id} trong đơn vị."})
    return body


def _task(unit: Unit, task_id: int | None, field: str = "task_id") -> Any:
    if task_id is None:
        return None
    from friendlygov.plans.models import Task

    task = Task.objects.filter(pk=task_id, plan__unit=unit).first()
    if task is None:
        raise ValidationError({field: f"Không có nhiệm vụ mã số {task_id} trong kế hoạch của đơn vị."})
    return task


# ------------------------------------------------------------------------------------ communication


class ActivityOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    held_on: dt.date
    place: str
    body_id: int
    body_name: str
    audience: str
    reach: int
    cost: int
    description: str
    task_id: int | None
    criterion_code: str
    files: list[int]
    version: int


class ActivityIn(Schema):
    kind: str
    title: str
    held_on: dt.date
    place: str
    body_id: int
    audience: str = ""
    reach: int = 0
    cost: int = 0
    description: str = ""
    task_id: int | None = None
    criterion_code: str = ""


class ActivityPatch(Schema):
    expected_version: ExpectedVersion
    kind: str | None = None
    title: str | None = None
    held_on: dt.date | None = None
    place: str | None = None
    body_id: int | None = None
    audience: str | None = None
    reach: int | None = None
    cost: int | None = None
    description: str | None = None
    task_id: int | None = None
    criterion_code: str | None = None


def _activity_out(a: CommunicationActivity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "title": a.title,
        "held_on": a.held_on,
        "place": a.place,
        "body_id": a.body_id,
        "body_name": a.body.name,
        "audience": a.audience,
        "reach": a.reach,
        "cost": a.cost,
        "description": a.description,
        "task_id": a.task_id,
        "criterion_code": a.criterion_code,
        "files": [f.evidence_id for f in a.files.all()],
        "version": a.version,
    }


@router.get("/units/{slug}/activities", response=list[ActivityOut])
def list_activities(
    request: HttpRequest,
    slug: str,
    year: Year | None = None,
    quarter: int | None = None,
    kind: str = "",
    q: str = "",
) -> list[dict[str, Any]]:
    unit = _unit(request, slug)
    filters = selectors.ActivityFilter(year=year, quarter=quarter, kind=kind, query=q)
    return [_activity_out(a) for a in selectors.activities(unit, filters)]


@router.post("/units/{slug}/activities", response={201: ActivityOut})
def create_activity(request: AuthenticatedRequest, slug: str, payload: ActivityIn) -> Any:
    unit = _unit(request, slug)
    data = payload.dict()
    data["body"] = _body(unit, data.pop("body_id"))
    data["task"] = _task(unit, data.pop("task_id"))
    return Status(201, _activity_out(services.record_activity(actor=request.user, unit=unit, **data)))


@router.get("/activities/{activity_id}", response=ActivityOut)
def get_activity(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    return _activity_out(access.get_object_for(request.user, CommunicationActivity, pk=activity_id))


@router.patch("/activities/{activity_id}", response=ActivityOut)
def update_activity(
    request: AuthenticatedRequest, activity_id: int, payload: ActivityPatch
) -> dict[str, Any]:
    activity = access.get_object_for(request.user, CommunicationActivity, pk=activity_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("expected_version")
    if "body_id" in data:
        data["body"] = _body(activity.unit, data.pop("body_id"))
    if "task_id" in data:
        data["task"] = _task(activity.unit, data.pop("task_id"))
    saved = services.update_activity(actor=request.user, activity=activity, expected_version=version, **data)
    return _activity_out(saved)


@router.get("/units/{slug}/results/{year}", response=YearlyResultsOut)
def get_yearly_results(request: HttpRequest, slug: str, year: Year) -> dict[str, Any]:
    """The year's results (the dict of ``selectors.yearly_results``)."""
    return selectors.yearly_results(unit=_unit(request, slug), year=year)


@router.get("/units/{slug}/communication/{year}", response=CommunicationOut)
def get_communication(request: HttpRequest, slug: str, year: Year) -> dict[str, Any]:
    return selectors.communication_figures(unit=_unit(request, slug), year=year)


# ------------------------------------------------------------------------------------------ villages


class ItemResultIn(Schema):
    item_id: int
    met: bool | None = None
    note: str = ""


class VillageReviewIn(Schema):
    results: list[ItemResultIn] = []
    title_result: str
    households_total: int | None = None
    reviewed_on: dt.date | None = None
    note: str = ""
    expected_version: ExpectedVersion  # the review's version; 0 when the village has none for the year yet


class VillageReviewOut(Schema):
    id: int
    village_id: int
    village: str
    year: int
    title_result: str
    households_total: int | None
    reviewed_on: dt.date | None
    results: dict[str, bool | None]
    version: int


def _review_out(r: VillageReview) -> dict[str, Any]:
    return {
        "id": r.pk,
        "village_id": r.village_id,
        "village": r.village.name,
        "year": r.year,
        "title_result": r.title_result,
        "households_total": r.households_total,
        "reviewed_on": r.reviewed_on,
        "results": {str(x.item_id): x.met for x in r.results.all()},
        "version": r.version,
    }


@router.get("/units/{slug}/villages/{year}", response=VillagesOut)
def get_villages(request: HttpRequest, slug: str, year: Year) -> dict[str, Any]:
    return selectors.village_figures(unit=_unit(request, slug), year=year)


@router.get("/units/{slug}/villages/{village_id}/reviews/{year}", response=VillageReviewOut)
def get_village_review(request: HttpRequest, slug: str, village_id: int, year: int) -> dict[str, Any]:
    """The village's review of the year with its ``version`` (404 while there is none: write with 0)."""
    unit = _unit(request, slug)
    village = access.get_object_for(request.user, Body.objects.filter(unit=unit), pk=village_id)
    review = VillageReview.objects.filter(village=village, year=year).select_related("village").first()
    if review is None:
        raise Http404
    return _review_out(review)


@router.put("/units/{slug}/villages/{village_id}/reviews/{year}", response=VillageReviewOut)
def put_village_review(
    request: AuthenticatedRequest, slug: str, village_id: int, year: int, payload: VillageReviewIn
) -> dict[str, Any]:
    unit = _unit(request, slug)
    village = access.get_object_for(request.user, Body.objects.filter(unit=unit), pk=village_id)
    review = services.record_village_review(
        actor=request.user,
        unit=unit,
        village=village,
        year=year,
        results={r.item_id: (r.met, r.note) for r in payload.results},
        title_result=payload.title_result,
        households_total=payload.households_total,
        reviewed_on=payload.reviewed_on,
        note=payload.note,
        expected_version=payload.expected_version,
    )
    return _review_out(review)


# -------------------------------------------------------------------------------------------- budget


class BudgetLineIn(Schema):
    year: int
    title: str
    source: str
    estimated: int
    activity_kind: str = ""
    task_id: int | None = None
    source_note: str = ""
    approved: int | None = None
    approval_ref: str = ""
    note: str = ""


class BudgetLinePatch(Schema):
    expected_version: ExpectedVersion
    title: str | None = None
    source: str | None = None
    estimated: int | None = None
    activity_kind: str | None = None
    source_note: str | None = None
    approved: int | None = None
    approval_ref: str | None = None
    note: str | None = None


class BudgetLineOut(Schema):
    id: int
    year: int
    title: str
    activity_kind: str
    task_id: int | None
    source: str
    source_note: str
    estimated: int
    approved: int | None
    approval_ref: str
    note: str
    version: int


class SpendingIn(Schema):
    spent_on: dt.date
    amount: int
    description: str
    voucher: str = ""
    activity_id: int | None = None


class SpendingOut(Schema):
    id: int
    line_id: int
    activity_id: int | None
    spent_on: dt.date
    amount: int
    description: str
    voucher: str
    version: int


@router.get("/units/{slug}/budget/{year}", response=BudgetOut)
def get_budget(request: HttpRequest, slug: str, year: Year) -> dict[str, Any]:
    return selectors.budget_figures(unit=_unit(request, slug), year=year)


@router.post("/units/{slug}/budget-lines", response={201: BudgetLineOut})
def create_budget_line(request: AuthenticatedRequest, slug: str, payload: BudgetLineIn) -> Any:
    unit = _unit(request, slug)
    data = payload.dict()
    data["task"] = _task(unit, data.pop("task_id"))
    return Status(201, services.add_budget_line(actor=request.user, unit=unit, **data))


@router.patch("/budget-lines/{line_id}", response=BudgetLineOut)
def update_budget_line(request: AuthenticatedRequest, line_id: int, payload: BudgetLinePatch) -> Any:
    line = access.get_object_for(request.user, BudgetLine, pk=line_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("expected_version")
    return services.update_budget_line(actor=request.user, line=line, expected_version=version, **data)


@router.post("/budget-lines/{line_id}/spendings", response={201: SpendingOut})
def create_spending(request: AuthenticatedRequest, line_id: int, payload: SpendingIn) -> Any:
    line = access.get_object_for(request.user, BudgetLine, pk=line_id)
    data = payload.dict()
    activity_id = data.pop("activity_id")
    data["activity"] = (
        CommunicationActivity.objects.filter(pk=activity_id, unit=line.unit).first()
        if activity_id is not None
        else None
    )
    if activity_id is not None and data["activity"] is None:
        raise ValidationError({"activity_id": f"Không có hoạt động mã số {activity_id} trong đơn vị."})
    return Status(201, services.record_spending(actor=request.user, line=line, **data))


@router.get("/units/{slug}/spendings", response=list[SpendingOut])
def list_spendings(request: HttpRequest, slug: str, year: Year | None = None, q: str = "") -> list[Spending]:
    return selectors.spendings(_unit(request, slug), selectors.SpendingFilter(year=year, query=q))


# ------------------------------------------------------------------------------------------- rewards


class NominationIn(Schema):
    year: int
    nominee_kind: str
    nominee_name: str = ""
    position_title: str = ""
    body_id: int | None = None
    proposed_by_body_id: int
    achievements: str
    proposed_form: str
    activity_ids: list[int] = []
    task_ids: list[int] = []


class NominationOut(Schema):
    id: int
    year: int
    nominee_kind: str
    nominee_name: str
    position_title: str
    body_id: int | None
    proposed_by_body_id: int
    achievements: str
    proposed_form: str
    status: str
    decision: str | None
    activity_ids: list[int]
    task_ids: list[int]
    version: int


def _nomination_out(n: Nomination) -> dict[str, Any]:
    return {
        "id": n.pk,
        "year": n.year,
        "nominee_kind": n.nominee_kind,
        "nominee_name": n.nominee_name,
        "position_title": n.position_title,
        "body_id": n.body_id,
        "proposed_by_body_id": n.proposed_by_body_id,
        "achievements": n.achievements,
        "proposed_form": n.proposed_form,
        "status": n.status,
        "decision": str(n.decision) if n.decision else None,
        "activity_ids": [a.pk for a in n.activities.all()],
        "task_ids": [t.pk for t in n.tasks.all()],
        "version": n.version,
    }


@router.get("/units/{slug}/nominations", response=list[NominationOut])
def list_nominations(
    request: HttpRequest, slug: str, year: int | None = None, status: str = "", q: str = ""
) -> list[dict[str, Any]]:
    unit = _unit(request, slug)
    return [
        _nomination_out(n)
        for n in selectors.nominations(unit, selectors.NominationFilter(year=year, status=status, query=q))
    ]


@router.post("/units/{slug}/nominations", response={201: NominationOut})
def create_nomination(request: AuthenticatedRequest, slug: str, payload: NominationIn) -> Any:
    unit = _unit(request, slug)
    data = payload.dict()
    proposer = _body(unit, data.pop("proposed_by_body_id"), "proposed_by_body_id")
    assert proposer is not None
    data["body"] = _body(unit, data.pop("body_id"))
    activity_ids, task_ids = data.pop("activity_ids"), data.pop("task_ids")
    acts = list(CommunicationActivity.objects.filter(unit=unit, pk__in=activity_ids))
    if len(acts) != len(set(activity_ids)):
        raise ValidationError({"activity_ids": "Có hoạt động không thuộc đơn vị."})
    tasks = [_task(unit, t, "task_ids") for t in task_ids]
    nomination = services.nominate(
        actor=request.user, unit=unit, proposed_by_body=proposer, activities=acts, tasks=tasks, **data
    )
    return Status(201, _nomination_out(nomination))


class GoodPracticeOut(Schema):
    id: int
    year: int
    title: str
    summary: str
    body: str
    is_published: bool


@router.get("/units/{slug}/good-practices", response=list[GoodPracticeOut])
def list_good_practices(request: HttpRequest, slug: str, year: Year | None = None) -> list[dict[str, Any]]:
    unit = _unit(request, slug)
    return [
        {
            "id": g.pk,
            "year": g.year,
            "title": g.title,
            "summary": g.summary,
            "body": g.body.name if g.body else "",
            "is_published": g.is_published,
        }
        for g in selectors.good_practices(unit, year=year)
    ]


@router.get("/units/{slug}/shortfalls/{year}", response=list[ShortfallOut])
def list_shortfalls(request: HttpRequest, slug: str, year: Year) -> list[dict[str, Any]]:
    """INTERNAL list of units that fell short (readers of the unit only)."""
    return selectors.shortfalls(unit=_unit(request, slug), year=year)


# ------------------------------------------------------------------------------------------- reviews


class ProgrammeReviewIn(Schema):
    kind: str
    year: int | None = None
    title: str = ""


class ReviewOut(Schema):
    id: int
    kind: str
    year: int
    from_year: int
    title: str
    status: str
    version: int


class SectionIn(Schema):
    text: str
    title: str | None = None
    expected_version: ExpectedVersion


class SectionOut(Schema):
    id: int
    key: str
    title: str
    text: str
    version: int


@router.get("/units/{slug}/reviews", response=list[ReviewOut])
def list_reviews(request: HttpRequest, slug: str) -> Any:
    return list(selectors.unit_reviews(_unit(request, slug)))


@router.post("/units/{slug}/reviews", response={201: ReviewOut})
def create_review(request: AuthenticatedRequest, slug: str, payload: ProgrammeReviewIn) -> Any:
    unit = _unit(request, slug)
    return Status(
        201,
        services.open_review(
            actor=request.user, unit=unit, kind=payload.kind, year=payload.year, title=payload.title
        ),
    )


@router.get("/reviews/{review_id}", response=ReviewDataOut)
def get_review(request: HttpRequest, review_id: int) -> dict[str, Any]:
    """The review's data (the dict of ``selectors.review_data``)."""
    return selectors.review_data(review=access.get_object_for(request.user, ProgrammeReview, pk=review_id))


@router.put("/reviews/{review_id}/sections/{key}", response=SectionOut)
def put_section(request: AuthenticatedRequest, review_id: int, key: str, payload: SectionIn) -> Any:
    review = access.get_object_for(request.user, ProgrammeReview, pk=review_id)
    section = ReviewSection.objects.filter(review=review, key=key).first()
    if section is None:
        raise ValidationError({"key": f"Không có mục «{key}»."})
    return services.update_review_section(
        actor=request.user,
        section=section,
        text=payload.text,
        title=payload.title,
        expected_version=payload.expected_version,
    )


# ------------------------------------------------------------------------------ conferences, signing


class ConferenceIn(Schema):
    title: str
    held_on: dt.date
    place: str
    attendees: str
    chair: str = ""
    note: str = ""
    review_id: int | None = None


class ConferenceOut(Schema):
    id: int
    title: str
    held_on: dt.date
    place: str
    chair: str
    attendees: str
    status: str
    review_id: int | None
    version: int


@router.get("/units/{slug}/conferences", response=list[ConferenceOut])
def list_conferences(request: HttpRequest, slug: str, year: Year | None = None) -> list[Conference]:
    return selectors.conferences(_unit(request, slug), year=year)


@router.post("/units/{slug}/conferences", response={201: ConferenceOut})
def create_conference(request: AuthenticatedRequest, slug: str, payload: ConferenceIn) -> Any:
    unit = _unit(request, slug)
    data = payload.dict()
    review_id = data.pop("review_id")
    data["review"] = ProgrammeReview.objects.filter(pk=review_id, unit=unit).first() if review_id else None
    if review_id and data["review"] is None:
        raise ValidationError({"review_id": "Không có đợt sơ kết, tổng kết này trong đơn vị."})
    return Status(201, services.schedule_conference(actor=request.user, unit=unit, **data))


class SignatureIn(Schema):
    title: str
    document_kind: str
    link: str
    note: str = ""
    body_id: int | None = None


class SignatureOut(Schema):
    id: int
    title: str
    document_kind: str
    link: str
    file_id: int | None
    status: str
    signed_on: dt.date | None
    return_reason: str
    version: int


class SignatureDecisionIn(Schema):
    decision: str
    expected_version: ExpectedVersion
    signed_on: dt.date | None = None
    reason: str = ""


@router.get("/units/{slug}/signature-requests", response=list[SignatureOut])
def list_signature_requests(
    request: HttpRequest, slug: str, status: str = "", q: str = ""
) -> list[SignatureRequest]:
    return selectors.signature_requests(_unit(request, slug), status=status, query=q)


@router.post("/units/{slug}/signature-requests", response={201: SignatureOut})
def create_signature_request(request: AuthenticatedRequest, slug: str, payload: SignatureIn) -> Any:
    unit = _unit(request, slug)
    data = payload.dict()
    data["body"] = _body(unit, data.pop("body_id"))
    return Status(201, services.request_signature(actor=request.user, unit=unit, **data))


@router.post("/signature-requests/{request_id}/decision", response=SignatureOut)
def decide_signature(request: AuthenticatedRequest, request_id: int, payload: SignatureDecisionIn) -> Any:
    item = access.get_object_for(request.user, SignatureRequest, pk=request_id)
    return services.decide_signature(
        actor=request.user,
        request=item,
        decision=payload.decision,
        expected_version=payload.expected_version,
        signed_on=payload.signed_on,
        reason=payload.reason,
    )
