"""Feedback API. Public endpoints (auth=None) submit and track — their schemas carry no contact detail;
staff endpoints use the same services and access checks as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.params.functions import Header

from friendlygov.feedback import selectors, services
from friendlygov.feedback.models import Feedback, FeedbackState, StateType
from friendlygov.feedback.schemas import FeedbackFiguresOut
from friendlygov.feedback.tracking import rate_limited
from friendlygov.kit.concurrency import ExpectedVersion
from friendlygov.kit.params import Year
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Body

router = Router(tags=["Phản ánh, kiến nghị"])


class Throttled(Exception):
    pass


# ---------------------------------------------------------------- schemas


class FeedbackIn(Schema):
    """The citizen's words and contact, shared by the public submission and the staff entry."""

    topic: str
    subject: str
    content: str
    procedure_ref: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""
    consent: bool = False
    about_body_id: int | None = None  # the body complained about, if any (it will not handle the item)


class FeedbackSubmitIn(FeedbackIn):
    website: str = ""  # honeypot: leave empty


class SubmitOut(Schema):
    code: str
    code_display: str
    state: str
    received_on: dt.date | None = None


class PublicEventOut(Schema):
    on: dt.date
    title: str
    message: str


class TrackOut(Schema):
    code: str
    code_display: str
    unit_name: str
    topic: str
    subject: str
    received_on: dt.date
    state_name: str
    state_type: str
    answer: str
    answered_on: dt.date | None
    can_rate: bool
    can_reopen: bool
    events: list[PublicEventOut]


class RateIn(Schema):
    rating: int | None = None
    satisfied: bool | None = None


class ReopenIn(Schema):
    reason: str


class PublishedOut(Schema):
    summary: str
    answer: str
    topic: str
    received_on: dt.date
    published_on: dt.date | None


class ItemOut(Schema):
    id: int
    code: str
    topic: str
    subject: str
    content: str
    procedure_ref: str
    classification: str
    body_id: int | None
    body_name: str | None
    about_body_id: int | None
    awaiting_approval: bool
    state_id: int
    state_name: str
    state_type: str
    received_on: dt.date
    handle_by: dt.date | None
    overdue: bool
    due_soon: bool
    paused: bool
    answer: str
    is_published: bool
    rating: int | None
    satisfied: bool | None
    has_contact: bool
    channel: str
    version: int


class RecordIn(FeedbackIn):
    channel: str  # paper, phone, in_person or meeting
    received_on: dt.date


class StateOut(Schema):
    id: int
    name: str
    type: str
    reply_template: str
    is_active: bool


class TransitionIn(Schema):
    state_id: int
    message: str = ""
    note: str = ""
    expected_version: ExpectedVersion  # the item's ``version``


class FeedbackAnswerIn(Schema):
    answer: str
    publish: bool = False
    public_summary: str = ""
    note: str = ""
    expected_version: ExpectedVersion


class AssignIn(Schema):
    body_id: int | None = None
    classification: str = ""
    note: str = ""
    expected_version: ExpectedVersion
    about_body_id: int | None = None  # left out: unchanged; null: not about a particular body


class FeedbackApproveIn(Schema):
    expected_version: ExpectedVersion  # the item's version the leader read


class FeedbackReturnIn(Schema):
    reason: str
    expected_version: ExpectedVersion  # the item's version the leader read


class FeedbackApprovalSettingIn(Schema):
    leader_approval: bool
    expected_version: ExpectedVersion  # as GET returns it; 0 when the unit has saved no settings yet


class FeedbackApprovalSettingOut(Schema):
    leader_approval: bool
    version: int
    awaiting: int


class CountsOut(Schema):
    pending: int
    overdue: int
    due_soon: int
    waiting: int


def _item_out(row: selectors.Row) -> dict[str, Any]:
    item, status = row.item, row.status
    return {
        "id": item.pk,
        "code": item.code,
        "topic": item.topic,
        "subject": item.subject,
        "content": item.content,
        "procedure_ref": item.procedure_ref,
        "classification": item.classification,
        "body_id": item.body_id,
        "body_name": item.body.name if item.body else None,
        "about_body_id": item.about_body_id,
        "awaiting_approval": services.awaiting_approval(item) is not None,
        "state_id": item.state_id,
        "state_name": item.state.name,
        "state_type": item.state.type,
        "received_on": item.received_on,
        "handle_by": status.handle_by if status.pending else None,
        "overdue": status.overdue,
        "due_soon": status.due_soon,
        "paused": status.paused,
        "answer": item.answer,
        "is_published": item.is_published,
        "rating": item.rating,
        "satisfied": item.satisfied,
        "has_contact": selectors.has_contact(item),
        "channel": item.channel,
        "version": item.version,
    }


def _row(item: Feedback) -> selectors.Row:
    item = selectors.detail(feedback=item)
    return selectors.Row(item, selectors.deadlines_of(item))


def _item(request: HttpRequest, item_id: int, capability: Capability = Capability.READ) -> Feedback:
    return access.get_object_for(
        request.user, Feedback.objects.select_related("unit", "state", "body"), capability, pk=item_id
    )


def _body(unit: Any, body_id: int | None, field: str) -> Body | None:
    if body_id is None:
        return None
    body = Body.objects.filter(pk=body_id, unit=unit).first()
    if body is None:
        raise ValidationError({field: "Cơ quan không thuộc đơn vị này."})
    return body


def _commune(request: HttpRequest, slug: str) -> Any:
    unit = access.get_unit_for(request.user, slug)
    if unit.is_city:
        raise Http404
    return unit


# ---------------------------------------------------------------- public


@router.post("/public/{slug}/submit", auth=None, response={201: SubmitOut, 429: dict})
def public_submit(request: HttpRequest, slug: str, payload: FeedbackSubmitIn) -> Any:
    """Gửi phản ánh không cần đăng nhập. Trả về mã tra cứu."""
    unit = services.public_unit(slug)
    if rate_limited(request, "submit"):
        return Status(429, {"detail": "Quá nhiều yêu cầu từ địa chỉ này. Vui lòng thử lại sau 10 phút."})
    if payload.website:
        return Status(201, {"code": "", "code_display": "", "state": "", "received_on": None})
    feedback = services.submit_feedback(
        unit=unit,
        channel="api",
        about_body=_body(unit, payload.about_body_id, "about_body_id"),
        **services.feedback_input(payload.model_dump()),
    )
    return Status(
        201,
        {
            "code": feedback.code,
            "code_display": feedback.code_display,
            "state": feedback.state.name,
            "received_on": feedback.received_on,
        },
    )


def _public(request: HttpRequest, code: str) -> Feedback:
    feedback = selectors.find_by_code(code)
    if feedback is None:
        raise Http404
    return feedback


@router.get("/public/track/{code}", auth=None, response={200: TrackOut, 429: dict})
def public_track(request: HttpRequest, code: str) -> Any:
    """Tình trạng xử lý và câu trả lời theo mã tra cứu (không có thông tin liên hệ)."""
    if rate_limited(request, "lookup"):
        return Status(429, {"detail": "Quá nhiều yêu cầu từ địa chỉ này. Vui lòng thử lại sau 10 phút."})
    return Status(200, selectors.public_status(_public(request, code)).__dict__)


@router.post("/public/track/{code}/rate", auth=None, response={200: TrackOut, 429: dict})
def public_rate(request: HttpRequest, code: str, payload: RateIn) -> Any:
    if rate_limited(request, "lookup"):
        return Status(429, {"detail": "Quá nhiều yêu cầu từ địa chỉ này. Vui lòng thử lại sau 10 phút."})
    feedback = services.rate_feedback(
        feedback=_public(request, code), rating=payload.rating, satisfied=payload.satisfied
    )
    return Status(200, selectors.public_status(feedback).__dict__)


@router.post("/public/track/{code}/reopen", auth=None, response={200: TrackOut, 429: dict})
def public_reopen(request: HttpRequest, code: str, payload: ReopenIn) -> Any:
    if rate_limited(request, "lookup"):
        return Status(429, {"detail": "Quá nhiều yêu cầu từ địa chỉ này. Vui lòng thử lại sau 10 phút."})
    feedback = services.reopen_feedback(feedback=_public(request, code), reason=payload.reason)
    return Status(200, selectors.public_status(feedback).__dict__)


@router.get("/public/{slug}/published", auth=None, response=list[PublishedOut])
def public_published(request: HttpRequest, slug: str) -> Any:
    return [a.__dict__ for a in selectors.published_answers(unit=services.public_unit(slug), limit=200)]


# ---------------------------------------------------------------- staff


@router.get("/units/{slug}/items", response=list[ItemOut])
def list_items(
    request: HttpRequest,
    slug: str,
    state_type: str = "",
    q: str = "",
    overdue: bool = False,
    year: Year | None = None,
) -> Any:
    unit = _commune(request, slug)
    filters = selectors.Filters(
        state_type=state_type if state_type in StateType.values else "",
        query=q[:100],
        overdue=overdue,
        year=year,
    )
    return [_item_out(r) for r in selectors.feedback_rows(unit=unit, filters=filters)]


@router.post("/units/{slug}/record", response={200: ItemOut, 201: ItemOut})
def record(
    request: AuthenticatedRequest,
    slug: str,
    payload: RecordIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Any:
    """Nhập phản ánh nhận qua đơn thư, điện thoại, trực tiếp hoặc hội nghị (người điều phối).

    Với tiêu đề ``Idempotency-Key`` (8–64 ký tự: chữ, chữ số, ``. _ : -``), gửi lại cùng khóa không ghi
    thêm phản ánh mà trả về 200 với phản ánh đã ghi lần đầu."""
    unit = _commune(request, slug)
    try:
        item = services.record_feedback(
            actor=request.user,
            unit=unit,
            channel=payload.channel,
            received_on=payload.received_on,
            about_body=_body(unit, payload.about_body_id, "about_body_id"),
            entry_key=idempotency_key or "",
            **services.feedback_input(payload.model_dump()),
        )
    except services.AlreadyRecorded as done:
        return Status(200, _item_out(_row(done.feedback)))
    return Status(201, _item_out(_row(item)))


@router.get("/units/{slug}/counts", response=CountsOut)
def counts(request: HttpRequest, slug: str) -> Any:
    return selectors.pending_counts(unit=_commune(request, slug)).__dict__


@router.get("/units/{slug}/states", response=list[StateOut])
def states(request: HttpRequest, slug: str) -> Any:
    unit = _commune(request, slug)
    return services.ensure_default_states(unit=unit)


@router.get("/units/{slug}/figures", response=FeedbackFiguresOut)
def figures(request: HttpRequest, slug: str, year: Year) -> Any:
    """The year's figures; percents as text ("88.12"), as every Decimal of the API."""
    return selectors.feedback_figures(unit=_commune(request, slug), year=year)


@router.get("/items/{item_id}", response=ItemOut)
def get_item(request: HttpRequest, item_id: int) -> Any:
    return _item_out(_row(_item(request, item_id)))


@router.post("/items/{item_id}/transition", response=ItemOut)
def transition(request: AuthenticatedRequest, item_id: int, payload: TransitionIn) -> Any:
    item = _item(request, item_id)
    state = FeedbackState.objects.filter(pk=payload.state_id, unit=item.unit).first()
    if state is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"state_id": "Trạng thái không thuộc đơn vị này."})
    item = services.transition_feedback(
        actor=request.user,
        feedback=item,
        state=state,
        message=payload.message,
        note=payload.note,
        expected_version=payload.expected_version,
    )
    return _item_out(_row(item))


@router.post("/items/{item_id}/answer", response=ItemOut)
def answer(request: AuthenticatedRequest, item_id: int, payload: FeedbackAnswerIn) -> Any:
    item = services.answer_feedback(
        actor=request.user,
        feedback=_item(request, item_id),
        answer=payload.answer,
        publish=payload.publish,
        public_summary=payload.public_summary,
        note=payload.note,
        expected_version=payload.expected_version,
    )
    return _item_out(_row(item))


@router.post("/items/{item_id}/assign", response=ItemOut)
def assign(request: AuthenticatedRequest, item_id: int, payload: AssignIn) -> Any:
    item = _item(request, item_id)
    body = None
    if payload.body_id is not None:
        body = Body.objects.filter(pk=payload.body_id, unit=item.unit).first()
        if body is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"body_id": "Cơ quan không thuộc đơn vị này."})
    about: Body | None | services._Keep = services.KEEP
    if "about_body_id" in payload.model_fields_set:
        about = _body(item.unit, payload.about_body_id, "about_body_id")
    item = services.assign_feedback(
        actor=request.user,
        feedback=item,
        body=body,
        about_body=about,
        classification=payload.classification,
        note=payload.note,
        expected_version=payload.expected_version,
    )
    return _item_out(_row(item))


@router.post("/items/{item_id}/approve", response=ItemOut)
def approve(request: AuthenticatedRequest, item_id: int, payload: FeedbackApproveIn) -> Any:
    """Lãnh đạo duyệt câu trả lời đang chờ duyệt: người dân nhận được câu trả lời từ lúc này."""
    item = services.approve_answer(
        actor=request.user, feedback=_item(request, item_id), expected_version=payload.expected_version
    )
    return _item_out(_row(item))


@router.post("/items/{item_id}/return-answer", response=ItemOut)
def return_answer(request: AuthenticatedRequest, item_id: int, payload: FeedbackReturnIn) -> Any:
    """Lãnh đạo trả lại câu trả lời cho người xử lý, kèm lý do (người dân không thấy)."""
    item = services.return_answer(
        actor=request.user,
        feedback=_item(request, item_id),
        reason=payload.reason,
        expected_version=payload.expected_version,
    )
    return _item_out(_row(item))


def _approval_setting(unit: Any) -> dict[str, Any]:
    current = services.settings_for(unit)
    return {
        "leader_approval": current.leader_approval,
        "version": services.settings_version(unit),
        "awaiting": selectors.awaiting_count(unit),
    }


@router.get("/units/{slug}/approval-setting", response=FeedbackApprovalSettingOut)
def approval_setting(request: HttpRequest, slug: str) -> Any:
    return _approval_setting(_commune(request, slug))


@router.post("/units/{slug}/approval-setting", response=FeedbackApprovalSettingOut)
def set_approval_setting(request: AuthenticatedRequest, slug: str, payload: FeedbackApprovalSettingIn) -> Any:
    """Bật/tắt việc lãnh đạo duyệt câu trả lời trước khi gửi người dân (lãnh đạo hoặc quản trị đơn vị)."""
    unit = _commune(request, slug)
    services.set_leader_approval(
        actor=request.user,
        unit=unit,
        required=payload.leader_approval,
        expected_version=payload.expected_version,
    )
    return _approval_setting(unit)
