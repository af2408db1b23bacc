"""The surveys API: questionnaires, the public (anonymous) answer endpoint, staff entry, figures and the
review of flagged responses. Same services and access checks as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.params.functions import Header

from friendlygov.kit import ratelimit
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Unit
from friendlygov.rules.sipas import result_to_json
from friendlygov.surveys import periods, protection, selectors, services
from friendlygov.surveys.models import Questionnaire, QuestionnaireVersion, Response, SurveyLink

router = Router(tags=["Khảo sát"])


class QuestionnaireOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    unit: str | None
    is_active: bool
    current_version: int


class QuestionnaireDetailOut(QuestionnaireOut):
    frozen: bool
    definition: dict[str, Any]


class PublicFormOut(Schema):
    unit: str
    label: str
    receipt_mode: str
    questionnaire_version: int
    form_token: str
    definition: dict[str, Any]


class OtherAnswerIn(Schema):
    text: str = ""
    choices: list[str] = []


class PublicSubmitIn(Schema):
    answers: dict[str, int | None]
    other: dict[str, OtherAnswerIn] = {}
    receipt_no: str | None = None
    device_token: str = ""
    form_token: str = ""
    questionnaire_version: int | None = None  # the version of the questions answered (not a lock)
    website: str = ""  # honeypot: people leave it empty


class ReceivedOut(Schema):
    received: bool
    message: str


class StaffEntryIn(Schema):
    questionnaire: int
    answers: dict[str, int | None]
    other: dict[str, OtherAnswerIn] = {}
    channel: str = Response.Channel.PAPER
    receipt_no: str | None = None
    submitted_on: dt.date | None = None
    link: int | None = None


class ResponseOut(Schema):
    id: int
    questionnaire: str
    questionnaire_version: int
    channel: str
    receipt_no: str | None
    submitted_at: dt.datetime
    status: str
    flag_reason: str
    answers: dict[str, int]
    other: dict[str, dict[str, Any]]


class ResponseReviewIn(Schema):
    decision: str
    note: str = ""
    expected_status: Literal["flagged", "accepted", "rejected"]  # the status read (the response's lock)


class SampleOut(Schema):
    period: str
    start: dt.date
    end: dt.date
    respondents: int
    flagged: int
    transactions: int | None
    transactions_source: str
    error: float
    sample_size: int | None


class SipasItemOut(Schema):
    code: str
    index: float | None  # percent, rounded; None: no valid answer
    valid: int
    ci95: list[float] | None


class SipasElementOut(Schema):
    code: str
    name: str | None = None  # only when the questionnaire names the element (left out otherwise)
    index: float | None
    items: list[SipasItemOut]


class SipasFiguresOut(Schema):
    """The figures in the shape of ``friendlygov sipas --format json``."""

    respondents: int
    overall: float | None
    elements: list[SipasElementOut]


def _questionnaire_out(q: Questionnaire, version: QuestionnaireVersion | None = None) -> dict[str, Any]:
    version = version or q.current_version()
    return {
        "id": q.pk,
        "code": q.code,
        "name": q.name,
        "kind": q.kind,
        "unit": q.unit.slug if q.unit else None,
        "is_active": q.is_active,
        "current_version": version.number,
        "frozen": version.is_frozen,
        "definition": version.definition,
    }


def _response_out(r: Response) -> dict[str, Any]:
    return {
        "id": r.pk,
        "questionnaire": r.questionnaire.code,
        "questionnaire_version": r.questionnaire_version.number,
        "channel": r.channel,
        "receipt_no": r.receipt_no,
        "submitted_at": r.submitted_at,
        "status": r.status,
        "flag_reason": r.flag_reason,
        "answers": {a.item: a.value for a in r.answers.all()},
        "other": {o.question: {"text": o.text, "choices": o.choices} for o in r.other_answers.all()},
    }


def _commune(request: HttpRequest, slug: str) -> Unit:
    unit = access.get_unit_for(request.user, slug)
    if unit.is_city:
        raise Http404
    return unit


class PeriodQuery(Schema):
    """The period of the figures: ``year`` with optional ``quarter`` or ``month``, or ``start`` and ``end``;
    ``questionnaire``: its id (default the unit's SIPAS questionnaire of the year)."""

    questionnaire: int | None = None
    year: int | None = None
    quarter: int | None = None
    month: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None


def _period(query: PeriodQuery) -> periods.Period:
    def text(value: Any) -> str:
        return "" if value is None else str(value)

    if query.start or query.end:
        mapped = {"ky": "tuy-chon", "tu": text(query.start), "den": text(query.end)}
    elif query.month:
        mapped = {"ky": "thang", "nam": text(query.year), "thang": text(query.month)}
    elif query.quarter:
        mapped = {"ky": "quy", "nam": text(query.year), "quy": text(query.quarter)}
    else:
        mapped = {"ky": "nam", "nam": text(query.year)}
    period, problems = periods.parse_period(mapped)
    if problems:
        raise ValidationError({"period": problems})
    return period


def _figure_questionnaire(query: PeriodQuery, unit: Unit, period: periods.Period) -> Questionnaire:
    if query.questionnaire is not None:
        found = (
            selectors.questionnaire_for(unit, query.questionnaire)
            if 0 < query.questionnaire < 2**63
            else None
        )
    else:
        found = selectors.unit_sipas_questionnaire(unit, period.start.year)
    if found is None:
        raise Http404
    return found


# --------------------------------------------------------------------------------------------------
# Questionnaires


@router.get("/units/{slug}/questionnaires", response=list[QuestionnaireOut])
def list_questionnaires(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    unit = _commune(request, slug)
    return [_questionnaire_out(q) for q in selectors.questionnaires_for(unit)]


@router.get("/questionnaires/{questionnaire_id}", response=QuestionnaireDetailOut)
def get_questionnaire(request: HttpRequest, questionnaire_id: int) -> dict[str, Any]:
    questionnaire = Questionnaire.objects.select_related("unit").filter(pk=questionnaire_id).first()
    if questionnaire is None:
        raise Http404
    if questionnaire.unit is not None:
        access.require(request.user, Capability.READ, questionnaire.unit)
    elif not access.visible_units(request.user).exists():
        raise Http404
    return _questionnaire_out(questionnaire)


# --------------------------------------------------------------------------------------------------
# Public answering (no account)


def _open_link(token: str) -> SurveyLink:
    link = selectors.public_link(token)
    if link is None or not services.link_is_open(link):
        raise Http404
    return link


@router.get("/public/{token}", response=PublicFormOut, auth=None)
def public_form(request: HttpRequest, token: str) -> dict[str, Any]:
    link = _open_link(token)
    version = link.questionnaire.current_version()
    return {
        "unit": link.unit.full_name,
        "label": link.label,
        "receipt_mode": link.receipt_mode,
        "questionnaire_version": version.number,
        "form_token": protection.form_token(link.token),
        "definition": version.definition,
    }


@router.post("/public/{token}/responses", response={201: ReceivedOut, 429: ReceivedOut}, auth=None)
def public_submit(request: HttpRequest, token: str, payload: PublicSubmitIn) -> Any:
    link = _open_link(token)
    ip = ratelimit.client_address(request)
    if not protection.allow_submission(ip):
        return Status(
            429,
            {
                "received": False,
                "message": "Có quá nhiều phiếu gửi từ cùng một địa chỉ. Xin chờ vài phút rồi gửi lại; "
                "các phiếu đã gửi trước đó vẫn được ghi nhận.",
            },
        )
    version = None
    if payload.questionnaire_version is not None:
        version = link.questionnaire.versions.filter(number=payload.questionnaire_version).first()
    opened = protection.read_form_token(payload.form_token, link.token)
    services.submit_public_response(
        link=link,
        scale=payload.answers,
        other={code: answer.dict() for code, answer in payload.other.items()},
        receipt_no=payload.receipt_no,
        device_token=payload.device_token[:64],
        ip=ip,
        started_at=opened.started_at if opened else None,
        form_nonce=opened.nonce if opened else "",
        honeypot=payload.website,
        version=version,
    )
    return Status(201, {"received": True, "message": "Xin cảm ơn ông/bà! Phiếu đã được ghi nhận."})


# --------------------------------------------------------------------------------------------------
# Staff


@router.post("/units/{slug}/responses", response={200: ResponseOut, 201: ResponseOut})
def staff_entry(
    request: AuthenticatedRequest,
    slug: str,
    payload: StaffEntryIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Any:
    """A form filled on paper or by phone (201). With an ``Idempotency-Key`` header (8–64 letters, digits,
    ``. _ : -``), sending the same key again stores nothing and answers 200 with the form stored first."""
    unit = _commune(request, slug)
    questionnaire = selectors.questionnaire_for(unit, payload.questionnaire)
    if questionnaire is None:
        raise ValidationError({"questionnaire": "Không có bảng hỏi này trong thư viện của đơn vị."})
    link = None
    if payload.link is not None:
        link = SurveyLink.objects.filter(unit=unit, pk=payload.link).first()
        if link is None:
            raise ValidationError({"link": "Không có điểm khảo sát này trong đơn vị."})
    try:
        response = services.enter_paper_response(
            actor=request.user,
            unit=unit,
            questionnaire=questionnaire,
            scale=payload.answers,
            other={code: answer.dict() for code, answer in payload.other.items()},
            channel=payload.channel,
            receipt_no=payload.receipt_no,
            submitted_on=payload.submitted_on,
            link=link,
            entry_key=idempotency_key or "",
        )
    except services.AlreadyEntered as done:
        return Status(200, _response_out(done.response))
    return Status(201, _response_out(response))


@router.get("/units/{slug}/figures", response=SipasFiguresOut, exclude_unset=True)
def figures(request: HttpRequest, slug: str, query: Query[PeriodQuery]) -> dict[str, Any]:
    """The figures in the shape of ``friendlygov sipas --format json`` (``result_to_json``).

    Query: ``questionnaire`` (id; default the unit's SIPAS questionnaire), and ``year`` with optional
    ``quarter`` or ``month``, or ``start`` and ``end`` (ISO dates)."""
    unit = _commune(request, slug)
    period = _period(query)
    questionnaire = _figure_questionnaire(query, unit, period)
    result = selectors.unit_figures(unit=unit, questionnaire=questionnaire, period=period)
    return result_to_json(result.result)


@router.get("/units/{slug}/sample", response=SampleOut)
def sample(request: HttpRequest, slug: str, query: Query[PeriodQuery]) -> dict[str, Any]:
    """Answers received against the sample size the period needs (same query as ``figures``)."""
    unit = _commune(request, slug)
    period = _period(query)
    questionnaire = _figure_questionnaire(query, unit, period)
    result = selectors.unit_figures(unit=unit, questionnaire=questionnaire, period=period)
    return {
        "period": period.key,
        "start": period.start,
        "end": period.end,
        "respondents": result.respondents,
        "flagged": result.flagged,
        "transactions": result.transactions,
        "transactions_source": result.transactions_source,
        "error": float(selectors.SAMPLE_ERROR),
        "sample_size": result.needed,
    }


@router.get("/units/{slug}/flagged", response=list[ResponseOut])
def flagged(request: AuthenticatedRequest, slug: str) -> list[dict[str, Any]]:
    unit = _commune(request, slug)
    if not services.can_review(request.user, unit):
        raise PermissionDenied
    rows = selectors.flagged_responses(unit).select_related("questionnaire_version")[:500]
    return [_response_out(r) for r in rows]


@router.post("/responses/{response_id}/review", response=ResponseOut)
def review(request: AuthenticatedRequest, response_id: int, payload: ResponseReviewIn) -> dict[str, Any]:
    response = access.get_object_for(
        request.user,
        Response.objects.select_related("unit", "questionnaire", "questionnaire_version"),
        pk=response_id,
    )
    updated = services.review_response(
        actor=request.user,
        response=response,
        decision=payload.decision,
        note=payload.note,
        expected_status=payload.expected_status,
    )
    updated = (
        Response.objects.select_related("questionnaire", "questionnaire_version")
        .prefetch_related("answers", "other_answers")
        .get(pk=updated.pk)
    )
    return _response_out(updated)
