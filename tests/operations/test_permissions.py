"""The permission matrix of every page and API endpoint: the neighbour (outsider) gets 404 by URL and by API,
readers of the unit may read, only the right people may write (403 otherwise), anonymous → login."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from friendlygov.operations import services
from friendlygov.operations.models import Nomination, RewardForm, VillageReview
from friendlygov.org import services as org_services
from tests.factories import World
from tests.operations.conftest import activity, budget_line

S = "/don-vi/{slug}/hoat-dong/"


@pytest.fixture
def objects(world: World, people: dict[str, Any]) -> dict[str, Any]:
    act = activity(world)
    item = services.add_review_item(
        actor=world.coordinator, unit=world.unit, year=2026, text="Không có phản ánh"
    )
    review = services.record_village_review(
        actor=world.coordinator,
        unit=world.unit,
        village=world.bodies["TN"],
        year=2026,
        results={item.pk: (True, "")},
        title_result=VillageReview.Title.PENDING,
    )
    line = budget_line(world)
    spending = services.record_spending(
        actor=world.coordinator, line=line, spent_on=dt.date(2026, 5, 1), amount=1000, description="x"
    )
    nomination = services.nominate(
        actor=world.coordinator,
        unit=world.unit,
        year=2026,
        proposed_by_body=world.bodies["VHXH"],
        nominee_kind=Nomination.NomineeKind.INDIVIDUAL,
        nominee_name="Nguyễn Văn Tài",
        achievements="Tốt",
        proposed_form=RewardForm.GIAY_KHEN,
    )
    meeting = services.hold_council_meeting(
        actor=world.coordinator,
        unit=world.unit,
        year=2026,
        held_on=dt.date(2026, 11, 1),
        members=[("A", ""), ("B", ""), ("C", "")],
        nominations=[nomination],
    )
    practice = services.add_good_practice(
        actor=world.coordinator, unit=world.unit, year=2026, title="Hay", summary="Hay lắm"
    )
    shortfall = services.record_shortfall(
        actor=world.coordinator,
        unit=world.unit,
        year=2026,
        body=world.bodies["HB"],
        reason="Chậm",
        noted_on=dt.date(2026, 11, 1),
    )
    conference = services.schedule_conference(
        actor=world.coordinator,
        unit=world.unit,
        title="Hội nghị",
        held_on=dt.date(2026, 12, 1),
        place="Hội trường",
        attendees="Các phòng",
    )
    signature = services.request_signature(
        actor=world.coordinator,
        unit=world.unit,
        title="Báo cáo",
        document_kind="report",
        link="https://vanban.example.vn/1",
    )
    return {
        "activity": act,
        "item": item,
        "review": review,
        "line": line,
        "spending": spending,
        "nomination": nomination,
        "meeting": meeting,
        "practice": practice,
        "shortfall": shortfall,
        "conference": conference,
        "signature": signature,
    }


READ_PAGES = [
    "",
    "ket-qua-nam/",
    "tuyen-truyen/",
    "tuyen-truyen/xuat.xlsx",
    "tuyen-truyen/theo-tieu-chi/",
    "tuyen-truyen/{activity}/",
    "thon/",
    "thon/xuat.xlsx",
    "thon/{village}/nam-2026/",
    "thon/ho-gia-dinh/",
    "thon/ho-gia-dinh/xuat.xlsx",
    "kinh-phi/",
    "kinh-phi/du-toan.xlsx",
    "kinh-phi/chi/",
    "kinh-phi/chi/xuat.xlsx",
    "khen-thuong/",
    "khen-thuong/xuat.xlsx",
    "khen-thuong/de-nghi/{nomination}/",
    "khen-thuong/hoi-dong/{meeting}/",
    "dien-hinh/",
    "dien-hinh/xuat.xlsx",
    "chua-nghiem-tuc/",
    "chua-nghiem-tuc/xuat.xlsx",
    "so-ket-tong-ket/",
    "so-ket-tong-ket/xuat.xlsx",
    "hoi-nghi/",
    "hoi-nghi/xuat.xlsx",
    "trinh-ky/",
    "trinh-ky/xuat.xlsx",
    "trinh-ky/{signature}/",
]
WRITE_PAGES = [  # (url, who may open it)
    ("tuyen-truyen/moi/", "member"),
    ("tuyen-truyen/{activity}/sua/", "coordinator"),
    ("thon/noi-dung/moi/", "coordinator"),
    ("thon/noi-dung/{item}/sua/", "coordinator"),
    ("thon/ho-gia-dinh/nhap/", "village"),
    ("kinh-phi/dong/moi/", "economist"),
    ("kinh-phi/dong/{line}/sua/", "economist"),
    ("kinh-phi/chi/moi/", "economist"),
    ("kinh-phi/chi/{spending}/sua/", "economist"),
    ("khen-thuong/de-nghi/moi/", "member"),
    ("khen-thuong/de-nghi/{nomination}/sua/", "coordinator"),
    ("khen-thuong/hoi-dong/moi/", "coordinator"),
    ("khen-thuong/quyet-dinh/moi/", "coordinator"),
    ("dien-hinh/moi/", "publicist"),
    ("dien-hinh/{practice}/sua/", "publicist"),
    ("chua-nghiem-tuc/moi/", "publicist"),
    ("chua-nghiem-tuc/{shortfall}/sua/", "publicist"),
    ("so-ket-tong-ket/mo/", "coordinator"),
    ("hoi-nghi/moi/", "office"),
    ("hoi-nghi/{conference}/sua/", "office"),
    ("trinh-ky/moi/", "office"),
    ("trinh-ky/{signature}/sua/", "office"),
]


def _url(world: World, objects: dict[str, Any], path: str, slug: str | None = None) -> str:
    ids = {k: v.pk for k, v in objects.items()} | {"village": world.bodies["TN"].pk}
    return S.format(slug=slug or world.unit.slug) + path.format(**ids)


@pytest.mark.parametrize("path", READ_PAGES + [p for p, _who in WRITE_PAGES])
def test_outsider_gets_404_by_url(world: World, objects, client_for, path: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.outsider)
    assert client.get(_url(world, objects, path)).status_code == 404
    # nor through their own unit's address
    if "{" in path:
        assert client.get(_url(world, objects, path, slug=world.other.slug)).status_code == 404


@pytest.mark.parametrize("path", READ_PAGES)
def test_readers_of_the_unit_may_read(world: World, objects, client_for, path: str) -> None:  # type: ignore[no-untyped-def]
    url = _url(world, objects, path)
    for who in ("coordinator", "leader", "member", "village", "front", "observer", "reviewer", "unit_admin"):
        assert client_for(world.users[who]).get(url).status_code == 200, who


@pytest.mark.parametrize(("path", "who"), WRITE_PAGES)
def test_write_pages_for_the_right_people_only(
    world: World, objects, client_for, path: str, who: str
) -> None:  # type: ignore[no-untyped-def]
    url = _url(world, objects, path)
    assert client_for(world.users[who]).get(url).status_code == 200
    for other in ("observer", "leader", "reviewer"):
        assert client_for(world.users[other]).get(url).status_code == 403, other


def test_anonymous_is_sent_to_login(world: World, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/don-vi/thanh-mien/hoat-dong/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_city_reviewer_reads_but_cannot_write(world: World, objects, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.reviewer)
    assert client.get("/don-vi/thanh-mien/hoat-dong/").status_code == 200
    assert client.post("/don-vi/thanh-mien/hoat-dong/tuyen-truyen/moi/", {}).status_code == 403
    assert client.get("/don-vi/hai-phong/hoat-dong/").status_code == 404  # a city has no operations page


# ---------------------------------------------------------------------------------------------- API

API = "/api/operations"


@pytest.fixture
def token_for(world: World) -> Any:
    def make(user: Any) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {org_services.create_api_token(actor=user, name='api')}"}

    return make


def test_api_outsider_gets_404_everywhere(world: World, objects, client, token_for) -> None:  # type: ignore[no-untyped-def]
    auth = token_for(world.outsider)
    gets = [
        "/units/thanh-mien/activities",
        f"/activities/{objects['activity'].pk}",
        "/units/thanh-mien/results/2026",
        "/units/thanh-mien/communication/2026",
        "/units/thanh-mien/villages/2026",
        "/units/thanh-mien/budget/2026",
        "/units/thanh-mien/spendings",
        "/units/thanh-mien/nominations",
        "/units/thanh-mien/good-practices",
        "/units/thanh-mien/shortfalls/2026",
        "/units/thanh-mien/reviews",
        "/units/thanh-mien/conferences",
        "/units/thanh-mien/signature-requests",
    ]
    for path in gets:
        assert client.get(API + path, **auth).status_code == 404, path
    posts = [
        (
            "/units/thanh-mien/activities",
            {
                "kind": "zalo",
                "title": "x",
                "held_on": "2026-11-01",
                "place": "x",
                "body_id": world.bodies["VHXH"].pk,
            },
        ),
        (
            f"/budget-lines/{objects['line'].pk}/spendings",
            {"spent_on": "2026-11-01", "amount": 1, "description": "x"},
        ),
        ("/units/thanh-mien/budget-lines", {"year": 2026, "title": "x", "source": "other", "estimated": 1}),
        (
            f"/signature-requests/{objects['signature'].pk}/decision",
            {"decision": "signed", "expected_version": 1},
        ),
        ("/units/thanh-mien/reviews", {"kind": "midterm"}),
        (
            "/units/thanh-mien/conferences",
            {"title": "x", "held_on": "2026-12-01", "place": "x", "attendees": "x"},
        ),
    ]
    for path, body in posts:
        assert client.post(API + path, body, content_type="application/json", **auth).status_code == 404, path
    assert (
        client.patch(
            f"{API}/activities/{objects['activity'].pk}",
            {"expected_version": 1, "title": "x"},
            content_type="application/json",
            **auth,
        ).status_code
        == 404
    )
    assert (
        client.put(
            f"{API}/units/thanh-mien/villages/{world.bodies['TN'].pk}/reviews/2026",
            {"title_result": "pending", "expected_version": 0},
            content_type="application/json",
            **auth,
        ).status_code
        == 404
    )


def test_api_reads_and_writes_under_the_same_permissions(
    world: World, objects, people, client, token_for
) -> None:  # type: ignore[no-untyped-def]
    member = token_for(world.member)
    listed = client.get(API + "/units/thanh-mien/activities?year=2026&q=quan+triet", **member)
    assert listed.status_code == 200 and [a["id"] for a in listed.json()] == [objects["activity"].pk]
    created = client.post(
        API + "/units/thanh-mien/activities",
        {
            "kind": "zalo",
            "title": "Tin trên Zalo",
            "held_on": "2026-11-02",
            "place": "Nhóm Zalo",
            "body_id": world.bodies["PVHCC"].pk,
            "reach": 250,
        },
        content_type="application/json",
        **member,
    )
    assert created.status_code == 201, created.content
    forbidden = client.post(
        API + "/units/thanh-mien/activities",
        {
            "kind": "zalo",
            "title": "x",
            "held_on": "2026-11-02",
            "place": "x",
            "body_id": world.bodies["VHXH"].pk,
        },
        content_type="application/json",
        **member,
    )
    assert forbidden.status_code == 403
    invalid = client.post(
        API + "/units/thanh-mien/activities",
        {
            "kind": "zalo",
            "title": "",
            "held_on": "2026-12-25",
            "place": "x",
            "body_id": world.bodies["PVHCC"].pk,
        },
        content_type="application/json",
        **member,
    )
    assert invalid.status_code == 422
    assert set(invalid.json()["detail"]) == {"title", "held_on"}
    assert (
        "Chưa nhập nội dung tuyên truyền" in invalid.content.decode()
        and "không được sau hôm nay" in invalid.content.decode()
    )
    act_id = created.json()["id"]
    patched = client.patch(
        f"{API}/activities/{act_id}",
        {"expected_version": 1, "reach": 300},
        content_type="application/json",
        **member,
    )
    assert patched.status_code == 200 and patched.json()["reach"] == 300 and patched.json()["version"] == 2
    stale = client.patch(
        f"{API}/activities/{act_id}",
        {"expected_version": 1, "reach": 1},
        content_type="application/json",
        **member,
    )
    assert stale.status_code == 422 and "người khác cập nhật" in stale.content.decode()
    assert (
        client.post(
            API + "/units/thanh-mien/budget-lines",
            {"year": 2026, "title": "x", "source": "other", "estimated": 1},
            content_type="application/json",
            **member,
        ).status_code
        == 403
    )
    economist = token_for(people["economist"])
    line = client.post(
        API + "/units/thanh-mien/budget-lines",
        {
            "year": 2026,
            "title": "Văn nghệ",
            "source": "state_commune",
            "estimated": 5_000_000,
            "approved": 4_000_000,
        },
        content_type="application/json",
        **economist,
    )
    assert line.status_code == 201
    spent = client.post(
        f"{API}/budget-lines/{line.json()['id']}/spendings",
        {
            "spent_on": "2026-11-03",
            "amount": 4_500_000,
            "description": "Thuê âm thanh",
        },
        content_type="application/json",
        **economist,
    )
    assert spent.status_code == 422 and "Vượt số được phê duyệt" in spent.content.decode()
    budget = client.get(API + "/units/thanh-mien/budget/2026", **member).json()
    assert budget["approved"] == 19_000_000
    results = client.get(API + "/units/thanh-mien/results/2026", **member).json()
    assert results["communication"]["count"] == 2 and results["no_data"] == "chưa có số liệu"
    leader = token_for(world.leader)
    sig = objects["signature"]
    assert (
        client.post(
            f"{API}/signature-requests/{sig.pk}/decision",
            {"decision": "signed", "expected_version": sig.version},
            content_type="application/json",
            **member,
        ).status_code
        == 403
    )
    signed = client.post(
        f"{API}/signature-requests/{sig.pk}/decision",
        {"decision": "signed", "expected_version": sig.version},
        content_type="application/json",
        **leader,
    )
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    village = token_for(world.users["village"])
    put = client.put(
        f"{API}/units/thanh-mien/villages/{world.bodies['TN'].pk}/reviews/2026",
        {
            "results": [{"item_id": objects["item"].pk, "met": True}],
            "title_result": "achieved",
            "reviewed_on": "2026-11-10",
            "expected_version": objects["review"].version,
        },
        content_type="application/json",
        **village,
    )
    assert put.status_code == 200 and put.json()["title_result"] == "achieved"
    assert (
        client.put(
            f"{API}/units/thanh-mien/villages/{world.bodies['HB'].pk}/reviews/2026",
            {"title_result": "pending", "expected_version": 0},
            content_type="application/json",
            **village,
        ).status_code
        == 403
    )
    shortfalls = client.get(API + "/units/thanh-mien/shortfalls/2026", **member).json()
    assert shortfalls[0]["name"] == "Thôn Hòa Bình"
    nomination = client.post(
        API + "/units/thanh-mien/nominations",
        {
            "year": 2026,
            "nominee_kind": "collective",
            "proposed_by_body_id": world.bodies["PVHCC"].pk,
            "body_id": world.bodies["PVHCC"].pk,
            "achievements": "Tốt",
            "proposed_form": "giay_khen",
            "activity_ids": [act_id],
        },
        content_type="application/json",
        **member,
    )
    assert nomination.status_code == 201 and nomination.json()["activity_ids"] == [act_id]
