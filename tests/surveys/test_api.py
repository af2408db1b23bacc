"""The surveys API: same rules as the pages; the public endpoints need no account."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from friendlygov.org import services as org_services
from friendlygov.rules.sipas import (
    DEFAULT_QUESTIONNAIRE,
    compute_indices,
    result_to_json,
)
from friendlygov.rules.sipas import (
    Answer as PureAnswer,
)
from friendlygov.surveys import protection
from friendlygov.surveys.models import Questionnaire, Response, SurveyLink
from tests.factories import World
from tests.surveys.conftest import submit

JSON = "application/json"


def auth(user: Any) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {org_services.create_api_token(actor=user, name='thử')}"}


def public_payload(link: SurveyLink, answers: dict[str, int], **extra: Any) -> dict[str, Any]:
    token = protection.form_token(link.token, timezone.now() - dt.timedelta(seconds=20))
    return {"answers": answers, "form_token": token, **extra}


def test_questionnaires(world: World, client: Client, sipas: Questionnaire) -> None:
    listed = client.get("/api/surveys/units/thanh-mien/questionnaires", **auth(world.member)).json()
    assert {"SIPAS-DV", "MH-CQTT", "MC-TTPV", "4X-4L-5K"} <= {q["code"] for q in listed}
    detail = client.get(f"/api/surveys/questionnaires/{sipas.pk}", **auth(world.member)).json()
    assert detail["definition"]["elements"][0]["code"] == "TC" and detail["frozen"] is False
    assert client.get("/api/surveys/units/thanh-mien/questionnaires").status_code == 401


def test_outsider_gets_404_by_api(world: World, client: Client, link: SurveyLink) -> None:
    response = submit(link, {"TC.1": 5}, honeypot="x")
    own = Questionnaire.objects.create(unit=world.unit, code="RIENG", name="Riêng")
    headers = auth(world.outsider)
    for path in [
        "/api/surveys/units/thanh-mien/questionnaires",
        "/api/surveys/units/thanh-mien/figures",
        "/api/surveys/units/thanh-mien/sample",
        "/api/surveys/units/thanh-mien/flagged",
        f"/api/surveys/questionnaires/{own.pk}",
    ]:
        assert client.get(path, **headers).status_code == 404, path
    review = client.post(
        f"/api/surveys/responses/{response.pk}/review",
        {"decision": "accept", "expected_status": "flagged"},
        content_type=JSON,
        **headers,
    )
    assert review.status_code == 404
    entry = client.post(
        "/api/surveys/units/thanh-mien/responses",
        {"questionnaire": link.questionnaire_id, "answers": {"TC.1": 5}},
        content_type=JSON,
        **headers,
    )
    assert entry.status_code == 404


def test_public_form_and_submit_without_account(world: World, client: Client, link: SurveyLink) -> None:
    form = client.get(f"/api/surveys/public/{link.token}")
    assert form.status_code == 200
    data = form.json()
    assert data["receipt_mode"] == "optional" and data["definition"]["code"] == "SIPAS-DV"
    assert data["form_token"]
    sent = client.post(
        f"/api/surveys/public/{link.token}/responses",
        public_payload(link, {"TC.1": 5, "TT.1": 4}, receipt_no="API-1", other={"GOPY": {"text": "Tốt"}}),
        content_type=JSON,
    )
    assert sent.status_code == 201 and sent.json()["received"] is True
    saved = Response.objects.get()
    assert (saved.status, saved.receipt_no) == ("accepted", "API-1")
    again = client.post(
        f"/api/surveys/public/{link.token}/responses",
        public_payload(link, {"TC.1": 1}, receipt_no="api-1"),
        content_type=JSON,
    )
    assert again.status_code == 422 and "đã được đánh giá rồi" in again.json()["detail"]["receipt_no"][0]
    flagged = client.post(
        f"/api/surveys/public/{link.token}/responses",
        {"answers": {"TC.1": 1}, "website": "spam"},
        content_type=JSON,
    )
    assert flagged.status_code == 201  # the sender is not told
    assert Response.objects.filter(status="flagged").count() == 1
    assert client.get("/api/surveys/public/khong-co").status_code == 404


def test_public_api_is_rate_limited(link: SurveyLink, settings: Any) -> None:
    settings.SURVEYS_RATE_LIMITS = [(3, 60)]
    codes = [
        Client()
        .post(
            f"/api/surveys/public/{link.token}/responses",
            public_payload(link, {"TC.1": 4}),
            content_type=JSON,
            REMOTE_ADDR="10.1.1.1",
        )
        .status_code
        for _ in range(5)
    ]
    assert codes == [201, 201, 201, 429, 429]
    assert Response.objects.count() == 3


def test_staff_entry(world: World, client: Client, sipas: Questionnaire) -> None:
    payload = {"questionnaire": sipas.pk, "answers": {"TC.1": 5, "CC.2": 2}, "channel": "paper"}
    created = client.post(
        "/api/surveys/units/thanh-mien/responses", payload, content_type=JSON, **auth(world.member)
    )
    assert created.status_code == 201 and created.json()["answers"] == {"TC.1": 5, "CC.2": 2}
    forbidden = client.post(
        "/api/surveys/units/thanh-mien/responses", payload, content_type=JSON, **auth(world.users["observer"])
    )
    assert forbidden.status_code == 403
    invalid = client.post(
        "/api/surveys/units/thanh-mien/responses",
        {**payload, "answers": {"ZZ.1": 5}},
        content_type=JSON,
        **auth(world.member),
    )
    assert invalid.status_code == 422 and "ZZ.1" in str(invalid.json()["detail"])


def test_figures_json_is_the_cli_shape(world: World, client: Client, link: SurveyLink) -> None:
    answers = [{"TC.1": 5, "TT.2": 3}, {"TC.1": 4, "KQ.1": 1}, {"TC.1": 2}]
    pure = []
    for n, scale in enumerate(answers):
        submit(link, scale, device_token=f"device-number-{n:02d}-xxxx")
        pure += [PureAnswer(f"r{n}", item, value) for item, value in scale.items()]
    year = timezone.localdate().year
    data = client.get(
        f"/api/surveys/units/thanh-mien/figures?year={year}", **auth(world.users["observer"])
    ).json()
    assert data == result_to_json(compute_indices(pure, DEFAULT_QUESTIONNAIRE))
    empty = client.get(
        f"/api/surveys/units/thanh-mien/figures?year={year - 1}", **auth(world.users["observer"])
    ).json()
    assert empty["respondents"] == 0 and empty["overall"] is None
    sample = client.get(
        f"/api/surveys/units/thanh-mien/sample?year={year}", **auth(world.users["observer"])
    ).json()
    assert sample["respondents"] == 3 and sample["sample_size"] is None
    bad = client.get("/api/surveys/units/thanh-mien/figures?year=20x", **auth(world.users["observer"]))
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("who", "status"), [("coordinator", 200), ("leader", 200), ("member", 403), ("observer", 403)]
)
def test_flagged_review_by_api(world: World, client: Client, link: SurveyLink, who: str, status: int) -> None:
    bot = submit(link, {"TC.1": 1}, honeypot="x")
    headers = auth(world.users[who])
    listed = client.get("/api/surveys/units/thanh-mien/flagged", **headers)
    assert listed.status_code == status
    decided = client.post(
        f"/api/surveys/responses/{bot.pk}/review",
        {"decision": "accept", "expected_status": "flagged"},
        content_type=JSON,
        **headers,
    )
    assert decided.status_code == status
    if status == 200:
        assert [r["id"] for r in listed.json()] == [bot.pk]
        assert decided.json()["status"] == "accepted"


def test_openapi_lists_the_public_endpoint_without_security(db: Any, client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    submit_op = paths["/api/surveys/public/{token}/responses"]["post"]
    assert "security" not in submit_op or submit_op["security"] == []
    assert "security" in paths["/api/surveys/units/{slug}/figures"]["get"]
