"""Joint scoring (Ủy ban MTTQ, Ban Xây dựng Đảng): the coordinator accepts or declines each proposal and
the self-assessment waits for every one; the joint scorers' sheet of all criteria saved at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from friendlygov.assessments import services
from friendlygov.assessments.models import ConsolidatedScore, Cycle, JointProposal, JointReview
from friendlygov.assessments.services import SheetRow
from tests.assessments.conftest import YEAR, figures, fresh, score_everything
from tests.factories import World

BASE = f"/don-vi/thanh-mien/danh-gia/{YEAR}/"
API = f"/api/assessments/units/thanh-mien/cycles/{YEAR}"
SHEET = f"{BASE}cham-phoi-hop/"


def ready(world: World, cycle: Cycle) -> Cycle:
    figures(world)
    return score_everything(world, cycle)


def two_proposals(world: World, cycle: Cycle) -> tuple[JointProposal, JointProposal]:
    front = services.propose_score(
        actor=world.users["front"], cycle=cycle, criterion_code="1.1", value="3", reason="Thiếu một buổi"
    )
    party = services.propose_score(
        actor=world.users["party"], cycle=cycle, criterion_code="1.2", value="không", reason="Chưa niêm yết"
    )
    return front, party


# ------------------------------------------------------------------------------ proposals must be settled


def test_submission_waits_for_every_pending_proposal(world: World, scoring: Cycle) -> None:
    cycle = ready(world, scoring)
    front, party = two_proposals(world, cycle)
    with pytest.raises(ValidationError) as info:
        services.submit_cycle(actor=world.leader, cycle=cycle, acknowledge_issues=True)
    lines = info.value.message_dict["proposals"]
    assert "Còn 2 đề xuất" in lines[0]
    assert lines[1].startswith("Tiêu chí 1.1: Ủy ban Mặt trận Tổ quốc Việt Nam xã (Front)")
    assert "đề xuất 3" in lines[1] and "Thiếu một buổi" in lines[1]
    assert lines[2].startswith("Tiêu chí 1.2: Ban Xây dựng Đảng (Party)") and "Chưa niêm yết" in lines[2]
    assert fresh(cycle).status == Cycle.Status.SELF_SCORING
    services.decide_proposal(actor=world.coordinator, proposal=front, accept=True, expected_version=1)
    with pytest.raises(ValidationError) as info:
        services.submit_cycle(actor=world.leader, cycle=fresh(cycle), acknowledge_issues=True)
    assert len(info.value.message_dict["proposals"]) == 2  # the heading and 1.2
    services.decide_proposal(
        actor=world.coordinator,
        proposal=party,
        accept=False,
        reason="Đã niêm yết từ tháng 3",
        expected_version=1,
    )
    submitted = services.submit_cycle(actor=world.leader, cycle=fresh(cycle), acknowledge_issues=True)
    assert submitted.status == Cycle.Status.SUBMITTED
    assert ConsolidatedScore.objects.get(cycle=cycle, criterion_code="1.1").value == "3"
    assert not ConsolidatedScore.objects.filter(cycle=cycle, criterion_code="1.2").exists()


def test_decisions_check_who_reason_state_and_version(world: World, scoring: Cycle) -> None:
    cycle = ready(world, scoring)
    front, party = two_proposals(world, cycle)
    with pytest.raises(PermissionDenied):
        services.decide_proposal(actor=world.users["front"], proposal=front, accept=True)
    with pytest.raises(PermissionDenied):
        services.decide_proposal(actor=world.leader, proposal=front, accept=True)
    with pytest.raises(Http404):
        services.decide_proposal(actor=world.outsider, proposal=front, accept=True)
    with pytest.raises(ValidationError) as info:
        services.decide_proposal(actor=world.coordinator, proposal=party, accept=False, reason=" ")
    assert "Ban Xây dựng Đảng" in info.value.message_dict["reason"][0]
    with pytest.raises(ValidationError) as info:
        services.decide_proposal(
            actor=world.coordinator, proposal=party, accept=False, reason="x", expected_version=7
        )
    assert "người khác cập nhật" in info.value.messages[0]
    decided = services.decide_proposal(
        actor=world.coordinator, proposal=party, accept=False, reason="Đã niêm yết"
    )
    assert (decided.status, decided.decision_reason, decided.decided_by) == (
        "declined",
        "Đã niêm yết",
        world.coordinator,
    )
    with pytest.raises(ValidationError) as info:
        services.decide_proposal(actor=world.coordinator, proposal=party, accept=True)
    assert "đã được xem xét" in info.value.messages[0]


def test_settling_decides_the_criterion_proposals(world: World, scoring: Cycle) -> None:
    cycle = ready(world, scoring)
    services.propose_score(
        actor=world.users["front"], cycle=cycle, criterion_code="1.1", value="3", reason="a"
    )
    services.propose_score(
        actor=world.users["party"], cycle=cycle, criterion_code="1.1", value="2,5", reason="b"
    )
    with pytest.raises(ValidationError) as info:  # keeping the self value still declines both: say why
        services.settle_score(actor=world.coordinator, cycle=cycle, criterion_code="1.1", value="4")
    assert "ghi lý do không chấp nhận" in info.value.message_dict["reason"][0]
    services.settle_score(
        actor=world.coordinator, cycle=cycle, criterion_code="1.1", value="3", reason="Theo MTTQ"
    )
    statuses = dict(JointProposal.objects.filter(cycle=cycle).values_list("body__code", "status"))
    assert statuses == {"MTTQ": "accepted", "BXDD": "declined"}


def test_pages_list_pending_proposals_and_settle_them(world: World, client_for: Any, scoring: Cycle) -> None:
    cycle = ready(world, scoring)
    front, party = two_proposals(world, cycle)
    note = client_for(world.coordinator).get(BASE).content.decode()
    assert 'id="pending-proposals-note"' in note and "1.2 (Ban Xây dựng Đảng)" in note
    leader = client_for(world.leader)
    page = leader.get(f"{BASE}nop/").content.decode()
    assert 'id="pending-proposals"' in page
    assert f"{BASE}tieu-chi/1.1/#proposals" in page and f"{BASE}tieu-chi/1.2/#proposals" in page
    assert "Tiêu chí 1.1: Ủy ban Mặt trận Tổ quốc Việt Nam xã đề xuất 3" in page
    refused = leader.post(f"{BASE}nop/", {"acknowledge": "on", "expected_version": fresh(cycle).version})
    assert refused.status_code == 200 and "Tiêu chí 1.2: Ban Xây dựng Đảng" in refused.content.decode()
    assert fresh(cycle).status == Cycle.Status.SELF_SCORING
    assert (
        "Chấp nhận đề xuất"
        not in client_for(world.users["front"]).get(f"{BASE}tieu-chi/1.1/").content.decode()
    )
    coord = client_for(world.coordinator)  # one test client: logging in again switches the user
    criterion = coord.get(f"{BASE}tieu-chi/1.1/").content.decode()
    assert "Chấp nhận đề xuất" in criterion and "Chờ đầu mối xem xét" in criterion
    accepted = coord.post(
        f"{BASE}tieu-chi/1.1/" + "de-xuat/chap-nhan/", {"proposal": front.pk, "expected_version": 1}
    )
    assert accepted.status_code == 302
    empty = coord.post(
        f"{BASE}tieu-chi/1.2/" + "de-xuat/khong-chap-nhan/", {"proposal": party.pk, "expected_version": 1}
    )
    assert empty.status_code == 200 and "Ghi lý do không chấp nhận" in empty.content.decode()
    stale = coord.post(
        f"{BASE}tieu-chi/1.2/" + "de-xuat/khong-chap-nhan/",
        {"proposal": party.pk, "expected_version": 9, "reason": "Đã niêm yết"},
    )
    assert 'value="Đã niêm yết"' in stale.content.decode()  # the typed reason is kept
    # a proposal of another criterion cannot be decided through this page
    assert (
        coord.post(
            f"{BASE}tieu-chi/1.1/" + "de-xuat/khong-chap-nhan/",
            {"proposal": party.pk, "expected_version": 1, "reason": "x"},
        ).status_code
        == 404
    )
    declined = coord.post(
        f"{BASE}tieu-chi/1.2/" + "de-xuat/khong-chap-nhan/",
        {"proposal": party.pk, "expected_version": 1, "reason": "Đã niêm yết"},
    )
    assert declined.status_code == 302
    leader = client_for(world.leader)
    assert 'id="pending-proposals"' not in leader.get(f"{BASE}nop/").content.decode()
    done = leader.post(f"{BASE}nop/", {"acknowledge": "on", "expected_version": fresh(cycle).version})
    assert done.status_code == 302 and fresh(cycle).status == Cycle.Status.SUBMITTED


def test_api_refuses_submission_with_the_list_and_decides(
    world: World, client_for: Any, scoring: Cycle
) -> None:
    cycle = ready(world, scoring)
    front, party = two_proposals(world, cycle)
    leader = client_for(world.leader)
    cycle.refresh_from_db()
    lock = {"acknowledge_issues": True, "expected_version": cycle.version}
    refused = leader.post(f"{API}/submit", lock, content_type="application/json")
    assert refused.status_code == 422
    listed = refused.json()["detail"]["proposals"]
    assert len(listed) == 3 and listed[1].startswith("Tiêu chí 1.1") and listed[2].startswith("Tiêu chí 1.2")
    detail = client_for(world.coordinator).get(f"{API}/criteria/1.1").json()
    assert detail["proposals"][0]["status"] == "pending" and detail["proposals"][0]["version"] == 1
    url = f"{API}/proposals/{front.pk}/decision"
    body = {"accept": True, "expected_version": 1}
    assert client_for(world.outsider).post(url, body, content_type="application/json").status_code == 404
    assert (
        client_for(world.users["front"]).post(url, body, content_type="application/json").status_code == 403
    )
    assert (
        client_for(world.coordinator).post(url, {"accept": True}, content_type="application/json").status_code
        == 422
    )
    ok = client_for(world.coordinator).post(url, body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    declined = client_for(world.coordinator).post(
        f"{API}/proposals/{party.pk}/decision",
        {"accept": False, "reason": "Đã niêm yết", "expected_version": 1},
        content_type="application/json",
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    cycle.refresh_from_db()
    submitted = client_for(world.leader).post(
        f"{API}/submit",
        {"acknowledge_issues": True, "expected_version": cycle.version},
        content_type="application/json",
    )
    assert submitted.status_code == 200


# ------------------------------------------------------------------------------------------- the sheet


def test_sheet_service_agrees_proposes_and_leaves_the_rest(world: World, scoring: Cycle) -> None:
    cycle = ready(world, scoring)
    front = world.users["front"]
    saved = services.save_joint_sheet(
        actor=front,
        cycle=cycle,
        rows=[
            SheetRow("1.1", agree=True, version=0, seen_value="4"),
            SheetRow("1.2", value="không", reason="Chưa niêm yết ở thôn", version=0),
            SheetRow("2.1"),  # untouched
        ],
    )
    assert saved == 2
    reviews = {r.criterion_code: r for r in JointReview.objects.filter(cycle=cycle)}
    assert set(reviews) == {"1.1", "1.2"}
    assert (reviews["1.1"].verdict, reviews["1.1"].value, reviews["1.1"].body.code) == ("agree", "4", "MTTQ")
    assert reviews["1.2"].verdict == "propose" and reviews["1.2"].proposal is not None
    assert JointProposal.objects.get(cycle=cycle).reason == "Chưa niêm yết ở thôn"
    # a second person of the Front working from the same (old) page is told, row by row, and nothing is saved
    with pytest.raises(ValidationError) as info:
        services.save_joint_sheet(
            actor=front,
            cycle=cycle,
            rows=[
                SheetRow("2.1", agree=True, version=0, seen_value="3"),
                SheetRow("1.1", value="3", reason="Thiếu", version=0),
            ],
        )
    errors = info.value.message_dict
    assert list(errors) == ["1.1"] and errors["1.1"][0].startswith("Tiêu chí 1.1: ý kiến của Ủy ban Mặt trận")
    assert set(JointReview.objects.filter(cycle=cycle).values_list("criterion_code", flat=True)) == {
        "1.1",
        "1.2",
    }
    # the self-assessed value changed since the page was read: agreeing to it is refused
    services.save_score(
        actor=world.member, cycle=cycle, criterion_code="1.1", value="3,5", expected_version=1
    )
    with pytest.raises(ValidationError) as info:
        services.save_joint_sheet(
            actor=front, cycle=cycle, rows=[SheetRow("1.1", agree=True, version=1, seen_value="4")]
        )
    assert "vừa đổi thành «3,5»" in info.value.message_dict["1.1"][0]


def test_sheet_row_errors_name_the_criterion(world: World, scoring: Cycle) -> None:
    cycle = ready(world, scoring)
    with pytest.raises(ValidationError) as info:
        services.save_joint_sheet(
            actor=world.users["party"],
            cycle=cycle,
            rows=[
                SheetRow("1.1", value="9", reason="Quá cao", version=0),
                SheetRow("1.2", agree=True, value="không", version=0),
                SheetRow("2.1", reason="Thiếu", version=0),
                SheetRow("B", value="1", version=0),
                SheetRow("K1", agree=True, version=0, seen_value="có"),
            ],
        )
    errors = info.value.message_dict
    assert set(errors) == {"1.1", "1.2", "2.1", "B"}
    assert all(messages[0].startswith(f"Tiêu chí {code}") for code, messages in errors.items())
    assert (
        not JointReview.objects.exists() and not JointProposal.objects.exists()
    )  # K1 was fine: not saved either
    with pytest.raises(PermissionDenied):
        services.save_joint_sheet(actor=world.member, cycle=cycle, rows=[SheetRow("1.1", agree=True)])


def test_sheet_page_permissions(world: World, client_for: Any, scoring: Cycle) -> None:
    page = client_for(world.users["front"]).get(SHEET)
    assert page.status_code == 200
    html = page.content.decode()
    for code in ("1.1", "1.2", "1.3", "2.1", "2.2", "B", "K1"):
        assert f'id="row-{code}"' in html
    assert 'name="agree-1.3"' not in html  # measured figure: nothing to agree with
    assert 'name="version-1.1" value="0"' in html
    assert client_for(world.users["party"]).get(SHEET).status_code == 200
    for who in ("member", "coordinator", "leader", "observer"):
        assert client_for(world.users[who]).get(SHEET).status_code == 403, who
    assert client_for(world.outsider).get(SHEET).status_code == 404
    assert client_for(world.outsider).post(SHEET, {"agree-1.1": "1"}).status_code == 404


def test_sheet_page_saves_and_keeps_typed_values_on_error(
    world: World, client_for: Any, scoring: Cycle
) -> None:
    cycle = ready(world, scoring)
    client = client_for(world.users["front"])
    typed = {
        "agree-1.1": "1",
        "version-1.1": "0",
        "seen-1.1": "4",
        "value-1.2": "không",
        "reason-1.2": "Chưa niêm yết ở thôn Hòa Bình",
        "version-1.2": "0",
        "value-2.1": "7",
        "reason-2.1": "Chỉ đạt bảy mục",
        "version-2.1": "0",
    }
    response = client.post(SHEET, typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tiêu chí 2.1" in html and 'class="depth-1 has-error"' in html
    assert 'value="Chưa niêm yết ở thôn Hòa Bình"' in html and 'value="Chỉ đạt bảy mục"' in html
    assert 'name="agree-1.1" value="1" checked' in html
    assert not JointReview.objects.filter(cycle=cycle).exists()
    typed["value-2.1"], typed["reason-2.1"] = "2", "Chỉ đạt hai mục"
    saved = client.post(SHEET, typed)
    assert saved.status_code == 302
    assert JointReview.objects.filter(cycle=cycle).count() == 3
    html = client.get(SHEET).content.decode()
    assert "Đã đồng ý" in html and 'name="version-1.1" value="1"' in html


def test_sheet_page_reads_numbers_the_vietnamese_way(world: World, client_for: Any, scoring: Cycle) -> None:
    """Walk: «1.000/1.350» typed on the sheet was stored as 1/1,35; a value typed into the page is read as
    every other form reads it (1.100 is one thousand one hundred), and the typed text is kept on error."""
    cycle = ready(world, scoring)
    client = client_for(world.users["front"])
    typed = {"value-1.1": "1.100", "reason-1.1": "Quá cao", "version-1.1": "0"}
    response = client.post(SHEET, typed)
    assert response.status_code == 200
    assert not JointReview.objects.filter(cycle=cycle).exists()  # 1100 points: refused, not stored as 1,1
    assert 'value="1.100"' in response.content.decode()
    typed["value-1.1"] = "3,5"
    assert client.post(SHEET, typed).status_code == 302
    assert JointReview.objects.get(cycle=cycle, criterion_code="1.1").value == "3,5"
