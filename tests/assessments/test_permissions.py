"""Who may do what. A user of another commune gets 404 for every object of ours, by URL and by API;
someone who may read but not act gets 403."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest

from friendlygov.assessments import services
from friendlygov.assessments.models import CriteriaSetVersion, Cycle, ScoreEvidence
from friendlygov.org import services as org_services
from tests.assessments.conftest import YEAR, figures, pdf, score_everything
from tests.factories import World

UNIT = "/don-vi/thanh-mien/danh-gia/"
CYCLE = f"{UNIT}{YEAR}/"
API = "/api/assessments"
API_CYCLE = f"{API}/units/thanh-mien/cycles/{YEAR}"


@pytest.fixture
def recognised(world: World, scoring: Cycle) -> Cycle:
    figures(world)
    cycle = services.submit_cycle(actor=world.leader, cycle=score_everything(world, scoring))
    cycle = services.finish_appraisal(actor=world.reviewer, cycle=cycle)
    services.recognise(
        actor=world.reviewer,
        cycle=cycle,
        decision_number="1/QĐ",
        decision_date=dt.date(YEAR, 12, 30),
        signer="A",
        level_code="3",
        upload=pdf("qd.pdf"),
    )
    return cycle


def page_urls(set_id: int) -> list[str]:
    return [
        UNIT,
        CYCLE,
        f"{CYCLE}phan-cong/",
        f"{CYCLE}tieu-chi/1.1/",
        f"{CYCLE}tieu-chi/1/",
        f"{CYCLE}tieu-chi/K1/",
        f"{CYCLE}nop/",
        f"{CYCLE}cong-nhan/",
        f"{CYCLE}cong-nhan/tep/",
        f"{CYCLE}thoi-han/",
        f"{CYCLE}phan-tich/",
        f"{CYCLE}bang-diem.xlsx",
        "/thanh-pho/hai-phong/danh-gia/",
        "/thanh-pho/hai-phong/danh-gia/mo-ky/",
        "/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/",
        f"/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/{set_id}/",
        f"/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/{set_id}/sua/",
        f"/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/{set_id}.yaml",
        f"/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/{set_id}.xlsx",
        "/thanh-pho/hai-phong/danh-gia/so-lieu/",
    ]


def test_outsider_gets_404_for_every_page(
    world: World, client_for: Any, recognised: Cycle, tiny_set: CriteriaSetVersion
) -> None:
    client = client_for(world.outsider)
    for url in page_urls(tiny_set.pk):
        assert client.get(url).status_code == 404, url
    link = ScoreEvidence.objects.filter(entry__cycle=recognised).first()
    assert link is not None
    posts = [
        (f"{CYCLE}dang-ky/", {"target_level": "1"}),
        (f"{CYCLE}ket-thuc-tham-dinh/", {}),
        (f"{CYCLE}tieu-chi/1.1/cham/", {"score-value": "1"}),
        (f"{CYCLE}tieu-chi/1.1/minh-chung/bo/", {"link": link.pk}),
        (f"{CYCLE}phan-tich/", {"v-1.1": "1"}),
        ("/thanh-pho/hai-phong/danh-gia/bo-tieu-chi/", {"template": "bac-giang"}),
        ("/thanh-pho/hai-phong/danh-gia/so-lieu/luu/", {"action": "save"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert client.get(f"/minh-chung/{link.evidence_id}/").status_code == 404


LOCKED_WRITES = {
    "registration",
    "decision",
    "assignments",
    "scores",
    "settlements",
    "submit",
    "appraisals",
    "return",
    "finish-appraisal",
    "figures",
}


def test_outsider_gets_404_for_every_api_object(
    world: World, client: Any, recognised: Cycle, tiny_set: CriteriaSetVersion
) -> None:
    token = org_services.create_api_token(actor=world.outsider, name="x")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    gets = [
        f"{API}/units/thanh-mien/cycles",
        API_CYCLE,
        f"{API_CYCLE}/tree",
        f"{API_CYCLE}/criteria/1.1",
        f"{API_CYCLE}/quality",
        f"{API_CYCLE}/gap",
        f"{API}/units/thanh-mien/path",
        f"{API}/units/thanh-mien/figures",
        f"{API}/cities/hai-phong/criteria-sets",
        f"{API}/criteria-sets/{tiny_set.pk}",
        f"{API}/cities/hai-phong/cycles?year={YEAR}",
    ]
    for url in gets:
        assert client.get(url, **auth).status_code == 404, url
    posts = [
        (f"{API_CYCLE}/registration", {"target_level": "1"}),
        (f"{API_CYCLE}/registration/decision", {"accept": True}),
        (f"{API_CYCLE}/assignments", {"criterion_code": "1.1", "body_code": "VP"}),
        (f"{API_CYCLE}/scores", {"criterion_code": "1.1", "value": "1"}),
        (f"{API_CYCLE}/proposals", {"criterion_code": "1.1", "value": "1", "reason": "x"}),
        (f"{API_CYCLE}/settlements", {"criterion_code": "1.1", "value": "1", "reason": "x"}),
        (f"{API_CYCLE}/submit", {"acknowledge_issues": True}),
        (f"{API_CYCLE}/appraisals", {"criterion_code": "1.1", "accept": True}),
        (f"{API_CYCLE}/return", {"requests": "x"}),
        (f"{API_CYCLE}/finish-appraisal", {}),
        (
            f"{API_CYCLE}/recognition",
            {"decision_number": "1", "decision_date": f"{YEAR}-12-30", "signer": "A", "level_code": "1"},
        ),
        (f"{API_CYCLE}/what-if", {"values": {"1.1": "1"}}),
        (f"{API}/cities/hai-phong/criteria-sets", {"yaml": "x"}),
        (f"{API}/cities/hai-phong/cycles", {"year": YEAR + 1, "criteria_set_id": tiny_set.pk}),
        (
            f"{API}/cities/hai-phong/figures",
            {"unit": "thanh-mien", "year": YEAR, "kind": "sipas", "value": "1", "decision": "x"},
        ),
    ]
    for url, payload in posts:
        if url.rsplit("/", 1)[-1] in LOCKED_WRITES:
            payload = {**payload, "expected_version": 1}
        assert client.post(url, payload, content_type="application/json", **auth).status_code == 404, url
    assert (
        client.put(
            f"{API}/criteria-sets/{tiny_set.pk}",
            {"data": {}, "expected_version": 1},
            content_type="application/json",
            **auth,
        ).status_code
        == 404
    )
    assert client.post(f"{API_CYCLE}/criteria/1.1/evidence", {"note": "x"}, **auth).status_code == 404
    # the outsider's own unit is fine
    assert client.get(f"{API}/units/gia-loc/cycles", **auth).status_code == 200


def test_readers_read_but_cannot_act(world: World, client_for: Any, scoring: Cycle) -> None:
    observer = world.users["observer"]
    client = client_for(observer)
    for url in [UNIT, CYCLE, f"{CYCLE}tieu-chi/1.1/", f"{CYCLE}phan-tich/", f"{CYCLE}bang-diem.xlsx"]:
        assert client.get(url).status_code == 200, url
    for url in [f"{CYCLE}phan-cong/", f"{CYCLE}nop/", f"{CYCLE}cong-nhan/", f"{CYCLE}thoi-han/"]:
        assert client.get(url).status_code == 403, url
    response = client.post(f"{CYCLE}tieu-chi/1.1/" + "cham/", {"score-value": "1"})
    assert response.status_code == 403
    assert (
        client.get("/thanh-pho/hai-phong/danh-gia/").status_code == 404
    )  # commune users do not see the city's table


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("coordinator", {"score", "settle", "assign"}),
        ("member", {"score"}),
        ("front", {"propose"}),
        ("leader", {"register", "submit"}),
        ("reviewer", {"decide"}),
        ("observer", set()),
    ],
)
def test_permission_matrix(world: World, scoring: Cycle, who: str, allowed: set[str]) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    user = world.users[who]
    actions = {
        "score": lambda: services.save_score(actor=user, cycle=scoring, criterion_code="1.1", value="1"),
        "settle": lambda: services.settle_score(
            actor=user, cycle=scoring, criterion_code="1.2", value="có", reason="x"
        ),
        "assign": lambda: services.assign_criterion(
            actor=user, cycle=scoring, criterion_code="1.1", body=world.bodies["VP"]
        ),
        "propose": lambda: services.propose_score(
            actor=user, cycle=scoring, criterion_code="1.1", value="1", reason="x"
        ),
        "register": lambda: services.register_target(actor=user, cycle=scoring, target_level="1"),
        "decide": lambda: services.decide_registration(
            actor=user, registration=scoring.registration, accept=True
        ),
        "submit": lambda: services.submit_cycle(actor=user, cycle=scoring, acknowledge_issues=True),
    }
    for name, action in actions.items():
        if name in allowed:
            with contextlib.suppress(ValidationError):  # allowed; a rule of the step may still say no
                action()
        else:
            with pytest.raises(PermissionDenied):
                action()
