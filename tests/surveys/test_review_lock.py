"""Two reviewers deciding one flagged response (issue 16): a response has no version, so the status the
reviewer saw is its lock — the second decision is refused instead of silently replacing the first."""

from __future__ import annotations

from typing import Any

from django.test import Client

from friendlygov.org import services as org_services
from friendlygov.surveys.models import Response, SurveyLink
from tests.factories import World
from tests.surveys.conftest import submit


def _review(client: Client, user: Any, pk: int, payload: dict[str, Any]) -> Any:
    token = org_services.create_api_token(actor=user, name="thử")
    return client.post(
        f"/api/surveys/responses/{pk}/review",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_api_review_requires_the_status_read(world: World, client: Client, link: SurveyLink) -> None:
    bot = submit(link, {"TC.1": 1}, honeypot="x")
    assert _review(client, world.coordinator, bot.pk, {"decision": "accept"}).status_code == 422
    first = _review(client, world.coordinator, bot.pk, {"decision": "reject", "expected_status": "flagged"})
    assert first.status_code == 200 and first.json()["status"] == "rejected"
    second = _review(client, world.leader, bot.pk, {"decision": "accept", "expected_status": "flagged"})
    assert second.status_code == 422 and "vừa được người khác xem xét" in str(second.json()["detail"])
    assert Response.objects.get(pk=bot.pk).status == Response.Status.REJECTED
    revised = _review(client, world.leader, bot.pk, {"decision": "accept", "expected_status": "rejected"})
    assert revised.status_code == 200 and revised.json()["status"] == "accepted"
    assert revised.json()["questionnaire_version"] == 1


def test_page_second_reviewer_of_the_queue_is_told(world: World, client_for: Any, link: SurveyLink) -> None:
    bot = submit(link, {"TC.1": 1}, honeypot="x")
    url = f"/don-vi/thanh-mien/khao-sat/phieu/{bot.pk}/xem-xet/"
    client_for(world.coordinator).post(url, {"decision": "reject"})
    page = client_for(world.leader).post(url, {"decision": "accept"}, follow=True).content.decode()
    assert "vừa được người khác xem xét" in page
    assert Response.objects.get(pk=bot.pk).status == Response.Status.REJECTED
