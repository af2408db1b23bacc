"""The API: the same steps and the same permissions as the pages; a locked file refuses changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from friendlygov.assessments.models import CriteriaSetVersion, Cycle, Registration, ScoreEntry
from friendlygov.org import services as org_services
from tests.assessments.conftest import TINY, YEAR, figures, fresh, pdf
from tests.factories import World

API = f"/api/assessments/units/thanh-mien/cycles/{YEAR}"


@pytest.fixture
def api(client: Any) -> Any:
    def call(user: Any, method: str, url: str, payload: Any = None, **extra: Any) -> Any:
        token = org_services.create_api_token(actor=user, name="kiểm thử")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", **extra}
        if method == "get":
            return client.get(url, **headers)
        if method == "multipart":
            return client.post(url, payload, **headers)
        return getattr(client, method)(url, payload or {}, content_type="application/json", **headers)

    return call


def test_full_cycle_through_the_api(world: World, api: Any, cycle: Cycle) -> None:
    assert (
        api(world.leader, "post", f"{API}/registration", {"target_level": "3", "expected_version": 0}).json()[
            "status"
        ]
        == "pending"
    )
    decision = api(
        world.reviewer, "post", f"{API}/registration/decision", {"accept": True, "expected_version": 1}
    )
    assert decision.json()["status"] == "accepted"
    for code, body in {"1": "PVHCC", "2": "TN"}.items():
        assert (
            api(
                world.coordinator,
                "post",
                f"{API}/assignments",
                {"criterion_code": code, "body_code": body, "expected_version": 0},
            ).status_code
            == 200
        )
    response = api(
        world.member,
        "post",
        f"{API}/scores",
        {"criterion_code": "1.1", "value": "3,5", "expected_version": 0},
    )
    assert response.status_code == 200 and response.json()["version"] == 1
    assert (
        api(
            world.member,
            "post",
            f"{API}/scores",
            {"criterion_code": "2.1", "value": "1", "expected_version": 0},
        ).status_code
        == 403
    )
    bad = api(
        world.member, "post", f"{API}/scores", {"criterion_code": "1.1", "value": "5", "expected_version": 1}
    )
    assert bad.status_code == 422 and "vượt quá" in bad.json()["detail"]["value"][0]
    upload = api(
        world.member,
        "multipart",
        f"{API}/criteria/1.1/evidence",
        {"file": pdf(), "effective_date": f"{YEAR}-03-01"},
    )
    assert upload.status_code == 201 and len(upload.json()["sha256"]) == 64
    again = api(
        world.member,
        "multipart",
        f"{API}/criteria/1.2/evidence",
        {"evidence_id": upload.json()["evidence_id"]},
    )
    assert again.status_code == 201
    proposal = api(
        world.users["front"],
        "post",
        f"{API}/proposals",
        {"criterion_code": "1.1", "value": "3", "reason": "Thiếu"},
    )
    assert proposal.status_code == 201 and proposal.json()["body"] == "MTTQ"
    settled = api(
        world.coordinator,
        "post",
        f"{API}/settlements",
        {"criterion_code": "1.1", "value": "3", "reason": "Theo MTTQ", "expected_version": 0},
    )
    assert settled.status_code == 200
    tree = {n["code"]: n for n in api(world.users["observer"], "get", f"{API}/tree").json()}
    assert tree["1.1"]["points"] == {"self": 3.5, "consolidated": 3.0, "appraised": 3.0}
    assert (
        tree["1.1"]["body"] == "PVHCC"
        and tree["1.1"]["evidence_count"] == 1
        and tree["1.3"]["provenance"] == "chưa có số liệu"
    )
    detail = api(world.coordinator, "get", f"{API}/criteria/1.1").json()
    whats = [h["what"] for h in detail["history"]]
    assert {"Tự chấm", "Minh chứng", "Đề xuất chấm phối hợp", "Thống nhất điểm"} <= set(whats)
    quality = api(world.leader, "get", f"{API}/quality").json()
    assert {"unscored", "no_source_data"} <= {i["kind"] for i in quality}
    version = fresh(cycle).version
    refused = api(world.leader, "post", f"{API}/submit", {"expected_version": version})
    assert refused.status_code == 422
    submitted = api(
        world.leader, "post", f"{API}/submit", {"acknowledge_issues": True, "expected_version": version}
    )
    assert submitted.status_code == 200 and submitted.json()["locked"] is True
    # the lock holds through the API
    locked = api(
        world.member, "post", f"{API}/scores", {"criterion_code": "1.1", "value": "1", "expected_version": 1}
    )
    assert locked.status_code == 422 and "khóa" in str(locked.json()["detail"])
    assert api(world.member, "multipart", f"{API}/criteria/1.1/evidence", {"note": "x"}).status_code == 422
    assert (
        api(
            world.users["front"],
            "post",
            f"{API}/proposals",
            {"criterion_code": "1.1", "value": "1", "reason": "x"},
        ).status_code
        == 422
    )
    assert ScoreEntry.objects.get(cycle=cycle, criterion_code="1.1").value == "3,5"
    appraised = api(
        world.reviewer,
        "post",
        f"{API}/appraisals",
        {"criterion_code": "1.1", "accept": False, "value": "2", "reason": "Thiếu", "expected_version": 0},
    )
    assert appraised.status_code == 200 and appraised.json()["decision"] == "adjust"
    assert (
        api(
            world.leader,
            "post",
            f"{API}/appraisals",
            {"criterion_code": "1.1", "accept": True, "expected_version": 1},
        ).status_code
        == 403
    )
    finished = api(
        world.reviewer, "post", f"{API}/finish-appraisal", {"expected_version": fresh(cycle).version}
    )
    assert finished.json()["status"] == "appraised"
    level = finished.json()["results"]["appraised"]["level"]
    assert level is None  # K1 never scored: not achieved
    assert (
        api(
            world.reviewer,
            "post",
            f"{API}/recognition",
            {"decision_number": "1", "decision_date": f"{YEAR}-12-30", "signer": "A", "level_code": "1"},
        ).status_code
        == 422
    )


def test_read_endpoints(world: World, api: Any, cycle: Cycle, tiny_set: CriteriaSetVersion) -> None:
    figures(world)
    cycles = api(world.coordinator, "get", "/api/assessments/units/thanh-mien/cycles").json()
    assert [c["year"] for c in cycles] == [YEAR] and cycles[0]["criteria_set"] == "T-1 v1"
    one = api(world.coordinator, "get", API).json()
    assert "appraised" not in one["results"] and one["results"]["self"]["criteria_set"] == "T-1"
    gap = api(world.coordinator, "get", f"{API}/gap").json()
    assert (
        gap["levels"][0]["code"] == "1" and gap["criteria"][0]["at_stake"] >= gap["criteria"][-1]["at_stake"]
    )
    what_if = api(world.coordinator, "post", f"{API}/what-if", {"values": {"1.1": "4"}})
    assert what_if.json()["after"]["total"] - what_if.json()["before"]["total"] == 4
    assert api(world.coordinator, "post", f"{API}/what-if", {"values": {"1.1": "40"}}).status_code == 422
    assert ScoreEntry.objects.filter(cycle=cycle).count() == 0
    figures_out = api(world.coordinator, "get", "/api/assessments/units/thanh-mien/figures").json()
    assert {f["kind"] for f in figures_out} == {"par_index", "sipas"}
    assert api(world.coordinator, "get", "/api/assessments/units/thanh-mien/path").status_code == 200
    sets = api(world.reviewer, "get", "/api/assessments/cities/hai-phong/criteria-sets").json()
    assert sets[0]["code"] == "T-1" and sets[0]["locked"] is True
    table = api(world.reviewer, "get", f"/api/assessments/cities/hai-phong/cycles?year={YEAR}").json()
    assert {row["unit"] for row in table} == {"Xã Thanh Miện", "Xã Gia Lộc"}


def test_library_and_figures_through_the_api(world: World, api: Any) -> None:
    import yaml

    text = yaml.safe_dump(TINY, allow_unicode=True)
    created = api(world.reviewer, "post", "/api/assessments/cities/hai-phong/criteria-sets", {"yaml": text})
    assert created.status_code == 201 and created.json()["status_label"] == "thử nghiệm"
    invalid = api(
        world.reviewer,
        "post",
        "/api/assessments/cities/hai-phong/criteria-sets",
        {"yaml": text.replace("scale: 20", "scale: 21").replace("version: 1", "version: 3")},
    )
    assert invalid.status_code == 422 and "scale" in str(invalid.json()["detail"])
    set_id = created.json()["id"]
    data = created.json()["data"]
    data["name"] = "Đổi tên"
    edited = api(
        world.reviewer,
        "put",
        f"/api/assessments/criteria-sets/{set_id}",
        {"data": data, "expected_version": created.json()["row_version"]},
    )
    assert edited.json()["id"] == set_id and edited.json()["name"] == "Đổi tên"
    opened = api(
        world.reviewer,
        "post",
        "/api/assessments/cities/hai-phong/cycles",
        {"year": YEAR, "criteria_set_id": set_id, "units": ["thanh-mien"]},
    )
    assert opened.status_code == 201 and [c["unit"] for c in opened.json()] == ["thanh-mien"]
    locked_edit = api(
        world.reviewer,
        "put",
        f"/api/assessments/criteria-sets/{set_id}",
        {"data": data, "expected_version": edited.json()["row_version"]},
    )
    assert locked_edit.json()["version"] == 2 and locked_edit.json()["id"] != set_id
    figure = api(
        world.reviewer,
        "post",
        "/api/assessments/cities/hai-phong/figures",
        {
            "unit": "thanh-mien",
            "year": YEAR,
            "kind": "sipas",
            "value": "91,5",
            "decision": "TB 1",
            "expected_version": 0,
        },
    )
    assert figure.status_code == 200 and figure.json()["value"] == 91.5
    assert (
        api(
            world.leader,
            "post",
            "/api/assessments/cities/hai-phong/figures",
            {
                "unit": "thanh-mien",
                "year": YEAR,
                "kind": "sipas",
                "value": "1",
                "decision": "x",
                "expected_version": 0,
            },
        ).status_code
        == 404
    )


def test_registration_changes_and_return_through_the_api(world: World, api: Any, cycle: Cycle) -> None:
    api(world.leader, "post", f"{API}/registration", {"target_level": "3", "expected_version": 0})
    asked = api(
        world.reviewer,
        "post",
        f"{API}/registration/decision",
        {"accept": False, "reason": "Đăng ký mức 2", "expected_version": 1},
    )
    assert asked.json()["status"] == "changes_requested"
    again = api(world.leader, "post", f"{API}/registration", {"target_level": "2", "expected_version": 2})
    assert again.json()["status"] == "pending" and Registration.objects.get().target_level == "2"
    api(
        world.leader,
        "post",
        f"{API}/submit",
        {"acknowledge_issues": True, "expected_version": fresh(cycle).version},
    )
    returned = api(
        world.reviewer,
        "post",
        f"{API}/return",
        {"requests": "Bổ sung", "expected_version": fresh(cycle).version},
    )
    assert returned.json()["status"] == "returned" and returned.json()["locked"] is False
    assert fresh(cycle).status == Cycle.Status.RETURNED
    assert dt.date.today() >= dt.date(2026, 1, 1)
