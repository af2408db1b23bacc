"""Rewards and naming: nominations with achievements, the council's votes, the decision, published good
practices (public selector) and the internal list of those that fall short."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from friendlygov.audit.models import AuditEvent
from friendlygov.operations import selectors, services
from friendlygov.operations.models import Nomination, RewardForm, Shortfall, VoteChoice
from friendlygov.operations.tally import tally
from tests.factories import World
from tests.operations.conftest import activity, pdf, read_xlsx

BASE = "/don-vi/thanh-mien/hoat-dong/"
MEMBERS = [
    ("Lê Anh Tuấn", "Chủ tịch Hội đồng"),
    ("Nguyễn Thị Hạnh", "Ủy viên"),
    ("Trần Minh Đức", "Ủy viên"),
    ("Hoàng Văn Bình", "Ủy viên"),
]


def nominate(world: World, **overrides: Any) -> Nomination:
    fields: dict[str, Any] = {
        "actor": world.coordinator,
        "unit": world.unit,
        "year": 2026,
        "proposed_by_body": world.bodies["VHXH"],
        "nominee_kind": Nomination.NomineeKind.INDIVIDUAL,
        "nominee_name": "Nguyễn Văn Tài",
        "position_title": "Trưởng thôn",
        "body": world.bodies["TN"],
        "achievements": "Vận động 96% hộ tham gia bình xét.",
        "proposed_form": RewardForm.GIAY_KHEN,
    }
    fields.update(overrides)
    return services.nominate(**fields)


def council(world: World, nominations: list[Nomination]) -> Any:
    return services.hold_council_meeting(
        actor=world.coordinator,
        unit=world.unit,
        year=2026,
        held_on=dt.date(2026, 11, 15),
        members=MEMBERS,
        nominations=nominations,
    )


def vote(world: World, meeting: Any, nomination: Nomination, choices: list[str]) -> Nomination:
    members = list(meeting.members.all())
    nomination.refresh_from_db()
    return services.record_votes(
        actor=world.coordinator,
        meeting=meeting,
        nomination=nomination,
        votes={m.pk: c for m, c in zip(members, choices, strict=True)},
        expected_version=nomination.version,
    )


def test_a_body_nominates_with_activities_and_evidence_through_the_page(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    act = activity(world, body=world.bodies["PVHCC"], actor=world.member, title="Tin trên Zalo")
    client = client_for(world.member)
    response = client.post(
        BASE + "khen-thuong/de-nghi/moi/?nam=2026",
        {
            "nominee_kind": "collective",
            "nominee_name": "",
            "body": world.bodies["PVHCC"].pk,
            "proposed_by_body": world.bodies["PVHCC"].pk,
            "achievements": "100% hồ sơ đúng hạn.",
            "proposed_form": "giay_khen",
            "activities": [act.pk],
            "uploads": [pdf("thanh-tich.pdf")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    n = Nomination.objects.get()
    assert n.nominee_name == "Trung tâm Phục vụ hành chính công" and list(n.activities.all()) == [act]
    assert [e.original_name for e in n.evidence.all()] == ["thanh-tich.pdf"]
    links = AuditEvent.objects.filter(object_type="operations.nomination", action="update").get()
    assert links.changes["activity_ids"] == [[], [act.pk]] and len(links.changes["evidence_ids"][1]) == 1
    bad = client.post(
        BASE + "khen-thuong/de-nghi/moi/?nam=2026",
        {
            "nominee_kind": "individual",
            "nominee_name": "",
            "proposed_by_body": world.bodies["PVHCC"].pk,
            "achievements": "Thành tích rất tốt",
            "proposed_form": "giay_khen",
        },
    )
    assert bad.status_code == 400 and "Chưa nhập tên cá nhân, tập thể" in bad.content.decode()
    assert "Thành tích rất tốt" in bad.content.decode()
    with pytest.raises(PermissionDenied):
        nominate(world, actor=world.member, proposed_by_body=world.bodies["VHXH"])
    assert client_for(world.users["observer"]).get(BASE + "khen-thuong/de-nghi/moi/").status_code == 403


def test_council_votes_decide_who_passes(world: World) -> None:
    n1, n2 = nominate(world), nominate(world, nominee_name="Phạm Văn Long")
    meeting = council(world, [n1, n2])
    passed = vote(world, meeting, n1, [VoteChoice.FOR, VoteChoice.FOR, VoteChoice.FOR, VoteChoice.AGAINST])
    failed = vote(world, meeting, n2, [VoteChoice.FOR, VoteChoice.FOR, VoteChoice.ABSTAIN, VoteChoice.ABSENT])
    assert passed.status == Nomination.Status.PASSED and failed.status == Nomination.Status.NOT_PASSED
    transition = AuditEvent.objects.filter(object_type="operations.nomination", action="transition").first()
    assert (
        transition is not None
        and "đồng ý" in transition.note
        and "Hoàng Văn Bình: Vắng mặt" in transition.note
    )
    with pytest.raises(ValidationError, match="Chưa ghi biểu quyết"):
        members = list(meeting.members.all())
        services.record_votes(
            actor=world.coordinator,
            meeting=meeting,
            nomination=failed,
            votes={members[0].pk: "for"},
            expected_version=failed.version,
        )
    with pytest.raises(ValidationError, match="người khác cập nhật"):
        services.record_votes(
            actor=world.coordinator,
            meeting=meeting,
            nomination=passed,
            votes={m.pk: "for" for m in meeting.members.all()},
            expected_version=1,
        )


def test_votes_page_keeps_choices_when_one_is_missing(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    n = nominate(world)
    meeting = council(world, [n])
    members = list(meeting.members.all())
    client = client_for(world.coordinator)
    data = {
        "nomination": n.pk,
        f"n{n.pk}-version": n.version,
        f"n{n.pk}-vote_{members[0].pk}": "for",
        f"n{n.pk}-vote_{members[1].pk}": "against",
    }
    response = client.post(f"{BASE}khen-thuong/hoi-dong/{meeting.pk}/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa ghi biểu quyết của Trần Minh Đức" in page
    assert re.search(rf'name="n{n.pk}-vote_{members[1].pk}" value="against"[^>]*checked', page)
    data |= {f"n{n.pk}-vote_{members[2].pk}": "for", f"n{n.pk}-vote_{members[3].pk}": "for"}
    assert client.post(f"{BASE}khen-thuong/hoi-dong/{meeting.pk}/", data).status_code == 302
    n.refresh_from_db()
    assert n.status == Nomination.Status.PASSED
    assert client_for(world.member).post(f"{BASE}khen-thuong/hoi-dong/{meeting.pk}/", data).status_code == 403


def test_council_needs_three_members(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    n = nominate(world)
    response = client_for(world.coordinator).post(
        BASE + "khen-thuong/hoi-dong/moi/?nam=2026",
        {
            "held_on": "15/11/2026",
            "members": "Lê Anh Tuấn — Chủ tịch\nNguyễn Thị Hạnh",
            "nominations": [n.pk],
        },
    )
    assert response.status_code == 400
    assert (
        "cần ít nhất 3 thành viên" in response.content.decode()
        and "Nguyễn Thị Hạnh" in response.content.decode()
    )
    assert services.parse_members(
        "- Lê Anh Tuấn — Chủ tịch Hội đồng\nNguyễn Thị Hạnh, Ủy viên\n\nTrần Minh Đức"
    ) == [("Lê Anh Tuấn", "Chủ tịch Hội đồng"), ("Nguyễn Thị Hạnh", "Ủy viên"), ("Trần Minh Đức", "")]


def test_decision_only_for_passed_nominations(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    n1, n2 = nominate(world), nominate(world, nominee_name="Phạm Văn Long")
    meeting = council(world, [n1, n2])
    vote(world, meeting, n1, ["for"] * 4)
    with pytest.raises(ValidationError, match="chưa được Hội đồng"):
        services.record_reward_decision(
            actor=world.coordinator,
            unit=world.unit,
            year=2026,
            number="1/QĐ-UBND",
            signed_on=dt.date(2026, 11, 18),
            reward_form=RewardForm.GIAY_KHEN,
            nominations=[n1, n2],
        )
    assert client_for(world.leader).get(BASE + "khen-thuong/quyet-dinh/moi/").status_code == 403
    client = client_for(world.coordinator)
    response = client.post(
        BASE + "khen-thuong/quyet-dinh/moi/?nam=2026",
        {
            "number": "215/QĐ-UBND",
            "signed_on": "18/11/2026",
            "signer": "Lê Anh Tuấn",
            "reward_form": "giay_khen",
            "nominations": [n1.pk],
            "upload": pdf("qd.pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    n1.refresh_from_db()
    assert n1.status == Nomination.Status.AWARDED and n1.decision is not None and n1.decision.file is not None
    again = client.post(
        BASE + "khen-thuong/quyet-dinh/moi/?nam=2026",
        {
            "number": "215/qđ-ubnd",
            "signed_on": "18/11/2026",
            "reward_form": "giay_khen",
            "nominations": [n1.pk],
        },
    )
    assert again.status_code == 400
    figures = selectors.reward_figures(unit=world.unit, year=2026)
    assert (figures["nominations"], figures["passed"], figures["awarded"]) == (2, 1, 1)
    assert figures["decisions"][0]["number"] == "215/QĐ-UBND" and figures["decisions"][0]["names"] == [
        "Nguyễn Văn Tài"
    ]
    assert client_for(world.member).get(BASE + "khen-thuong/quyet-dinh/moi/").status_code == 403
    rows = read_xlsx(client.get(BASE + "khen-thuong/xuat.xlsx?nam=2026&trang_thai=awarded").content)
    assert [r[3] for r in rows[3:]] == ["Nguyễn Văn Tài"]
    page = client.get(BASE + "khen-thuong/?nam=2026&q=pham+van").content.decode()
    assert (
        "Phạm Văn Long" in page
        and "Nguyễn Văn Tài" not in page.split('id="nominations"')[1].split("</table>")[0]
    )


def test_good_practices_are_public_only_when_published(world: World, people, client_for) -> None:  # type: ignore[no-untyped-def]
    practice = services.add_good_practice(
        actor=people["publicist"],
        unit=world.unit,
        year=2026,
        title="Một lần đến — trọn việc",
        summary="Hẹn trả kết quả qua Zalo.",
        body=world.bodies["PVHCC"],
    )
    assert selectors.published_good_practices(unit=world.unit) == []
    client = client_for(people["publicist"])
    assert (
        client.post(
            f"{BASE}dien-hinh/{practice.pk}/cong-khai/", {"publish": "1", "version": practice.version}
        ).status_code
        == 302
    )
    published = selectors.published_good_practices(unit=world.unit)
    assert [(p["title"], p["body"], p["year"]) for p in published] == [
        ("Một lần đến — trọn việc", "Trung tâm Phục vụ hành chính công", 2026)
    ]
    assert set(published[0]) == {"title", "summary", "body", "year", "published_on"}
    assert selectors.published_good_practices(unit=world.other) == []
    with pytest.raises(PermissionDenied):
        services.add_good_practice(actor=world.member, unit=world.unit, year=2026, title="x", summary="y")
    assert (
        client_for(world.member)
        .post(f"{BASE}dien-hinh/{practice.pk}/cong-khai/", {"publish": "0"})
        .status_code
        == 403
    )


def test_shortfalls_are_internal(world: World, people, client_for) -> None:  # type: ignore[no-untyped-def]
    services.record_shortfall(
        actor=people["publicist"],
        unit=world.unit,
        year=2026,
        body=world.bodies["HB"],
        reason="Chậm cập nhật bảng tin",
        noted_on=dt.date(2026, 11, 1),
    )
    with pytest.raises(ValidationError, match="Chọn cơ quan, thôn hoặc ghi tên"):
        services.record_shortfall(
            actor=world.coordinator, unit=world.unit, year=2026, reason="x", noted_on=dt.date(2026, 11, 1)
        )
    listed = selectors.shortfalls(unit=world.unit, year=2026)
    assert [(s["name"], s["status"]) for s in listed] == [("Thôn Hòa Bình", "open")]
    assert selectors.published_good_practices(unit=world.unit) == []
    item = Shortfall.objects.get()
    with pytest.raises(ValidationError, match="Ghi kết quả khắc phục"):
        services.update_shortfall(
            actor=world.coordinator, shortfall=item, expected_version=item.version, status="resolved"
        )
    page = (
        client_for(world.users["observer"])
        .get(BASE + "chua-nghiem-tuc/?nam=2026&q=bang+tin")
        .content.decode()
    )
    assert "Chậm cập nhật bảng tin" in page and "nội bộ" in page
    assert client_for(world.outsider).get(BASE + "chua-nghiem-tuc/").status_code == 404
    rows = read_xlsx(client_for(world.leader).get(BASE + "chua-nghiem-tuc/xuat.xlsx?nam=2026").content)
    assert rows[3][2] == "Thôn Hòa Bình"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["for", "against", "abstain", "absent"]), max_size=15),
    st.integers(min_value=0, max_value=5),
)
def test_tally_passes_iff_more_than_half_of_all_members_vote_for(choices: list[str], missing: int) -> None:
    members = len(choices) + missing
    result = tally(choices, members=members)
    assert result.votes_for + result.against + result.abstain + result.absent == members
    assert result.passed == (members > 0 and choices.count("for") * 2 > members)
