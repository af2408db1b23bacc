"""Two people at once (issue 16): every write that may change a record carries the version read — 0 when
there was no record yet — and a save made from an older view is refused, naming the other value; on the
page the typed value stays in the form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from friendlygov.assessments import services
from friendlygov.assessments.models import AppraisalItem, ConsolidatedScore, Cycle, ScoreEntry
from friendlygov.org import services as org_services
from tests.assessments.conftest import YEAR, score_everything
from tests.factories import World

API = f"/api/assessments/units/thanh-mien/cycles/{YEAR}"
PAGE = f"/don-vi/thanh-mien/danh-gia/{YEAR}/tieu-chi/1.1/"


def _post(client: Any, user: Any, url: str, payload: dict[str, Any]) -> Any:
    token = org_services.create_api_token(actor=user, name="kiểm thử")
    return client.post(url, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_api_score_without_expected_version_is_422(world: World, client: Any, scoring: Cycle) -> None:
    response = _post(client, world.member, f"{API}/scores", {"criterion_code": "1.1", "value": "3"})
    assert response.status_code == 422
    assert "expected_version" in str(response.json()["detail"])
    assert not ScoreEntry.objects.filter(cycle=scoring).exists()


def test_api_two_first_scores_at_once_the_second_is_told(world: World, client: Any, scoring: Cycle) -> None:
    first = _post(
        client,
        world.member,
        f"{API}/scores",
        {"criterion_code": "1.1", "value": "3,5", "expected_version": 0},
    )
    assert first.status_code == 200 and first.json()["version"] == 1
    second = _post(
        client,
        world.coordinator,
        f"{API}/scores",
        {"criterion_code": "1.1", "value": "2", "expected_version": 0},
    )
    assert second.status_code == 422
    message = str(second.json()["detail"])
    assert "người khác cập nhật" in message and "3,5" in message and world.member.get_full_name() in message
    assert ScoreEntry.objects.get(cycle=scoring, criterion_code="1.1").value == "3,5"
    detail = client.get(
        f"{API}/criteria/1.1",
        HTTP_AUTHORIZATION=f"Bearer {org_services.create_api_token(actor=world.coordinator, name='x')}",
    ).json()
    assert (detail["self_version"], detail["consolidated_version"], detail["appraisal_version"]) == (1, 0, 0)
    again = _post(
        client,
        world.coordinator,
        f"{API}/scores",
        {"criterion_code": "1.1", "value": "2", "expected_version": 1},
    )
    assert again.status_code == 200 and again.json()["version"] == 2


def test_an_entry_made_only_for_evidence_is_no_score_yet(world: World, scoring: Cycle) -> None:
    services.attach_evidence(
        actor=world.member, cycle=scoring, criterion_code="1.1", note="Bản giấy tại văn phòng"
    )
    entry = services.save_score(
        actor=world.member, cycle=scoring, criterion_code="1.1", value="3", expected_version=0
    )
    assert (entry.value, entry.version) == ("3", 2)


def test_new_writes_refused_once_the_record_exists(world: World, scoring: Cycle) -> None:
    """Settlement, appraisal, the city's figure and the registration: 0 means "none yet"."""
    services.settle_score(
        actor=world.coordinator,
        cycle=scoring,
        criterion_code="B",
        value="1",
        reason="Mô hình mới",
        expected_version=0,
    )
    with pytest.raises(ValidationError, match="người khác cập nhật") as info:
        services.settle_score(
            actor=world.coordinator,
            cycle=scoring,
            criterion_code="B",
            value="2",
            reason="x",
            expected_version=0,
        )
    assert "«1»" in str(info.value)
    assert ConsolidatedScore.objects.get(cycle=scoring, criterion_code="B").value == "1"
    services.save_city_figure(
        actor=world.reviewer,
        unit=world.unit,
        year=YEAR,
        kind="sipas",
        value="90",
        decision="TB 1",
        expected_version=0,
    )
    with pytest.raises(ValidationError, match="90%"):
        services.save_city_figure(
            actor=world.reviewer,
            unit=world.unit,
            year=YEAR,
            kind="sipas",
            value="80",
            decision="TB 2",
            expected_version=0,
        )
    with pytest.raises(ValidationError, match="người khác cập nhật"):
        services.register_target(actor=world.leader, cycle=scoring, target_level="2", expected_version=0)


def test_two_first_appraisals_at_once(world: World, scoring: Cycle) -> None:
    cycle = score_everything(world, scoring)
    services.submit_cycle(actor=world.leader, cycle=cycle, acknowledge_issues=True)
    services.appraise_criterion(
        actor=world.reviewer,
        cycle=cycle,
        criterion_code="1.1",
        accept=False,
        value="2",
        reason="Thiếu",
        expected_version=0,
    )
    with pytest.raises(ValidationError, match="điều chỉnh thành 2"):
        services.appraise_criterion(
            actor=world.reviewer, cycle=cycle, criterion_code="1.1", accept=True, expected_version=0
        )
    assert AppraisalItem.objects.get(cycle=cycle, criterion_code="1.1").decision == "adjust"


def _hidden_version(page: str) -> str:
    found = re.search(r'name="score-expected_version" value="(\d+)"', page)
    assert found, "the score form carries the version read"
    return found.group(1)


def test_page_two_people_scoring_a_criterion_without_score(
    world: World, client_for: Any, scoring: Cycle
) -> None:
    """Both opened the page when 1.1 had no score (version 0); the second save is refused with the first
    person's value shown, the typed value stays in the form, and saving once more replaces knowingly."""
    member_page = client_for(world.member).get(PAGE).content.decode()
    assert _hidden_version(member_page) == "0"
    services.save_score(
        actor=world.coordinator, cycle=scoring, criterion_code="1.1", value="2", expected_version=0
    )
    refused = client_for(world.member).post(
        PAGE + "cham/",
        {
            "score-value": "3,5",
            "score-explanation": "Theo báo cáo",
            "score-expected_version": "0",
        },
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "người khác cập nhật" in page and "«2»" in page and world.coordinator.get_full_name() in page
    assert 'value="3,5"' in page and "Theo báo cáo" in page  # nothing typed is lost
    assert _hidden_version(page) == "1"
    assert ScoreEntry.objects.get(cycle=scoring, criterion_code="1.1").value == "2"
    saved = client_for(world.member).post(
        PAGE + "cham/",
        {
            "score-value": "3,5",
            "score-explanation": "Theo báo cáo",
            "score-expected_version": "1",
        },
    )
    assert saved.status_code == 302
    assert ScoreEntry.objects.get(cycle=scoring, criterion_code="1.1").value == "3,5"
