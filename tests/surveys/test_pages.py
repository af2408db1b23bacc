"""Staff pages: the permission matrix (the neighbour always gets 404) and the main flows."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone, translation

from friendlygov.audit.models import AuditEvent
from friendlygov.surveys import services
from friendlygov.surveys.models import DossierCount, Questionnaire, Response, SurveyLink
from tests.factories import World
from tests.surveys.conftest import all_items, submit

READ_PAGES = [
    "/don-vi/{slug}/khao-sat/",
    "/don-vi/{slug}/khao-sat/?ky=quy&nam=2026&quy=2",
    "/don-vi/{slug}/khao-sat/?ky=tuy-chon&tu=2026-01-01&den=2026-03-31",
    "/don-vi/{slug}/khao-sat/bao-cao.xlsx",
    "/don-vi/{slug}/khao-sat/bang-hoi/",
    "/don-vi/{slug}/khao-sat/bang-hoi/{q}/",
    "/don-vi/{slug}/khao-sat/bang-hoi/{q}/v1.yaml",
    "/don-vi/{slug}/khao-sat/bang-hoi/{own}/",
    "/don-vi/{slug}/khao-sat/diem-khao-sat/",
    "/don-vi/{slug}/khao-sat/diem-khao-sat/{link}/ap-phich/",
    "/don-vi/{slug}/khao-sat/diem-khao-sat/{link}/ap-phich/?kho=a5",
    "/don-vi/{slug}/khao-sat/diem-khao-sat/{link}/qr.png",
    "/don-vi/{slug}/khao-sat/diem-khao-sat/{link}/qr.svg",
]
ENTRY_PAGES = ["/don-vi/{slug}/khao-sat/nhap-phieu/"]
REVIEW_PAGES = ["/don-vi/{slug}/khao-sat/can-xem-xet/"]
COORDINATOR_PAGES = [
    "/don-vi/{slug}/khao-sat/bang-hoi/nhap/",
    "/don-vi/{slug}/khao-sat/bang-hoi/{own}/sua/",
    "/don-vi/{slug}/khao-sat/diem-khao-sat/{link}/",
]
READERS = [
    "coordinator",
    "leader",
    "member",
    "village",
    "front",
    "party",
    "observer",
    "reviewer",
    "unit_admin",
    "admin",
]


@pytest.fixture
def own(world: World) -> Questionnaire:
    template = Questionnaire.objects.get(unit__isnull=True, code="MH-CQTT")
    return services.copy_questionnaire(actor=world.coordinator, source=template, unit=world.unit)


@pytest.fixture
def urls(world: World, sipas: Questionnaire, link: SurveyLink, own: Questionnaire) -> dict[str, Any]:
    return {"slug": world.unit.slug, "q": sipas.pk, "link": link.pk, "own": own.pk}


def expect(client: Client, pages: list[str], urls: dict[str, Any], status: int) -> None:
    for page in pages:
        response = client.get(page.format(**urls))
        assert response.status_code == status, (page, response.status_code)


def test_outsider_gets_404_everywhere(world: World, client_for: Any, urls: dict[str, Any]) -> None:
    client = client_for(world.outsider)
    expect(client, READ_PAGES + ENTRY_PAGES + REVIEW_PAGES + COORDINATOR_PAGES, urls, 404)
    # Also through their own unit's address with our objects' ids.
    theirs = {**urls, "slug": world.other.slug}
    for page in [
        "/don-vi/{slug}/khao-sat/diem-khao-sat/{link}/ap-phich/",
        "/don-vi/{slug}/khao-sat/bang-hoi/{own}/",
        "/don-vi/{slug}/khao-sat/diem-khao-sat/{link}/qr.png",
    ]:
        assert client.get(page.format(**theirs)).status_code == 404
    assert client.get("/thanh-pho/hai-phong/khao-sat/").status_code == 404


@pytest.mark.parametrize("who", READERS)
def test_readers(world: World, client_for: Any, urls: dict[str, Any], who: str) -> None:
    expect(client_for(world.users[who]), READ_PAGES, urls, 200)


@pytest.mark.parametrize(
    ("who", "entry", "review", "coordinate"),
    [
        ("coordinator", 200, 200, 200),
        ("member", 200, 403, 403),
        ("village", 200, 403, 403),
        ("leader", 403, 200, 403),
        ("front", 200, 403, 403),  # the Fatherland Front runs SIPAS surveys with the commune (QĐ 1001)
        ("observer", 403, 403, 403),
        ("reviewer", 403, 403, 403),
        ("admin", 200, 200, 200),
    ],
)
def test_actions_matrix(
    world: World, client_for: Any, urls: dict[str, Any], who: str, entry: int, review: int, coordinate: int
) -> None:
    client = client_for(world.users[who])
    expect(client, ENTRY_PAGES, urls, entry)
    expect(client, REVIEW_PAGES, urls, review)
    expect(client, COORDINATOR_PAGES, urls, coordinate)


def test_anonymous_goes_to_login(client: Client, urls: dict[str, Any]) -> None:
    response = client.get("/don-vi/thanh-mien/khao-sat/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_city_comparison_for_city_reviewers(world: World, client_for: Any, link: SurveyLink) -> None:
    submit(link, {"TC.1": 5, "TT.1": 4})
    body = client_for(world.reviewer).get("/thanh-pho/hai-phong/khao-sat/").content.decode()
    assert "Thanh Miện" in body and "Gia Lộc" in body and "100,00%" in body
    assert client_for(world.coordinator).get("/thanh-pho/hai-phong/khao-sat/").status_code == 404
    home = client_for(world.reviewer).get("/thanh-pho/hai-phong/").content.decode()
    assert "Sự hài lòng của người dân năm" in home and "So sánh các đơn vị" in home


def test_home_panel(world: World, client_for: Any, link: SurveyLink) -> None:
    submit(link, {"TC.1": 5, "TT.1": 4}, honeypot="bot")
    submit(link, {"TC.1": 5, "TT.1": 5}, device_token="")
    body = client_for(world.coordinator).get("/don-vi/thanh-mien/").content.decode()
    assert f"Sự hài lòng (SIPAS) năm {timezone.localdate().year}" in body
    assert "100,00%" in body and "1 phiếu được tính" in body and "1 phiếu cần xem xét" in body


def test_coordinator_creates_a_link_member_cannot(
    world: World, client_for: Any, sipas: Questionnaire
) -> None:
    data = {
        "questionnaire": sipas.pk,
        "label": "Thôn Hòa Bình",
        "body": world.bodies["HB"].pk,
        "receipt_mode": "off",
        "channel": "online",
    }
    assert (
        client_for(world.member).post("/don-vi/thanh-mien/khao-sat/diem-khao-sat/", data).status_code == 403
    )
    response = client_for(world.coordinator).post("/don-vi/thanh-mien/khao-sat/diem-khao-sat/", data)
    assert response.status_code == 302
    link = SurveyLink.objects.get(label="Thôn Hòa Bình")
    assert link.unit == world.unit and len(link.token) >= 12
    page = client_for(world.coordinator).get("/don-vi/thanh-mien/khao-sat/diem-khao-sat/").content.decode()
    assert f"/ks/{link.token}/" in page


def test_body_of_another_unit_is_refused(world: World, sipas: Questionnaire) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.create_link(
            actor=world.coordinator,
            unit=world.unit,
            questionnaire=sipas,
            label="x",
            body=world.other_bodies["HB"],
        )
    assert "body" in error.value.message_dict


def test_poster_has_inline_qr_and_site_url(
    world: World, client_for: Any, link: SurveyLink, settings: Any
) -> None:
    settings.SITE_URL = "https://khaosat.example.vn"
    html = (
        client_for(world.member)
        .get(f"/don-vi/thanh-mien/khao-sat/diem-khao-sat/{link.pk}/ap-phich/?kho=a5")
        .content.decode()
    )
    assert (
        '<svg role="img" aria-label="Mã QR"' in html
        and f"https://khaosat.example.vn/ks/{link.token}/" in html
    )
    assert "poster-a5.css" in html and 'class="sheet a5"' in html
    png = client_for(world.member).get(f"/don-vi/thanh-mien/khao-sat/diem-khao-sat/{link.pk}/qr.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    svg = client_for(world.member).get(f"/don-vi/thanh-mien/khao-sat/diem-khao-sat/{link.pk}/qr.svg")
    assert svg.content.startswith(b"<?xml") and b"<svg" in svg.content
    assert (
        client_for(world.member)
        .get(f"/don-vi/thanh-mien/khao-sat/diem-khao-sat/{link.pk}/qr.gif")
        .status_code
        == 404
    )


def test_paper_entry_by_keyboard(world: World, client_for: Any, sipas: Questionnaire) -> None:
    client = client_for(world.member)
    page = client.get(f"/don-vi/thanh-mien/khao-sat/nhap-phieu/?bang-hoi={sipas.pk}").content.decode()
    assert 'inputmode="numeric"' in page and "autofocus" in page and 'data-digit="1"' in page
    items = all_items(sipas)
    data = {f"i{n}": str((n % 5) + 1) for n in range(len(items))}
    data["i3"] = "0"
    data.update(
        {
            "channel": "phone",
            "submitted_on": timezone.localdate().isoformat(),
            "receipt_no": "",
            "link": "",
            "bang-hoi": str(sipas.pk),
        }
    )
    response = client.post(f"/don-vi/thanh-mien/khao-sat/nhap-phieu/?bang-hoi={sipas.pk}", data)
    assert response.status_code == 302 and "kenh=phone" in response["Location"]
    saved = Response.objects.get()
    assert (saved.status, saved.channel, saved.entered_by) == ("accepted", "phone", world.member)
    assert saved.answers.filter(value__gt=0).count() == len(items) - 1
    assert saved.answers.get(item=items[3]).value == 0  # typed 0: "no answer", kept, never counted as valid
    assert AuditEvent.objects.filter(object_type="surveys.response", object_id=str(saved.pk)).exists()
    bad = client.post(f"/don-vi/thanh-mien/khao-sat/nhap-phieu/?bang-hoi={sipas.pk}", {**data, "i0": "7"})
    assert bad.status_code == 200 and "Chỉ gõ một chữ số từ 1 đến 5" in bad.content.decode()
    future = client.post(
        f"/don-vi/thanh-mien/khao-sat/nhap-phieu/?bang-hoi={sipas.pk}", {**data, "submitted_on": "2999-01-01"}
    )
    assert "không được sau hôm nay" in future.content.decode()
    assert Response.objects.count() == 1


def test_review_accept_and_reject(world: World, client_for: Any, link: SurveyLink) -> None:
    bot = submit(link, {"TC.1": 1}, honeypot="x")
    fast = submit(link, {"TC.1": 1}, started_at=timezone.now())
    client = client_for(world.coordinator)
    queue = client.get("/don-vi/thanh-mien/khao-sat/can-xem-xet/").content.decode()
    assert f"Phiếu số {bot.pk}" in queue and f"Phiếu số {fast.pk}" in queue
    assert (
        client_for(world.users["observer"])
        .post(f"/don-vi/thanh-mien/khao-sat/phieu/{bot.pk}/xem-xet/", {"decision": "accept"})
        .status_code
        == 403
    )
    assert (
        client_for(world.outsider)
        .post(f"/don-vi/thanh-mien/khao-sat/phieu/{bot.pk}/xem-xet/", {"decision": "accept"})
        .status_code
        == 404
    )
    assert (
        client_for(world.outsider)
        .post(f"/don-vi/gia-loc/khao-sat/phieu/{bot.pk}/xem-xet/", {"decision": "accept"})
        .status_code
        == 404
    )
    client = client_for(world.coordinator)
    client.post(f"/don-vi/thanh-mien/khao-sat/phieu/{bot.pk}/xem-xet/", {"decision": "reject"})
    client.post(f"/don-vi/thanh-mien/khao-sat/phieu/{fast.pk}/xem-xet/", {"decision": "accept"})
    bot.refresh_from_db()
    fast.refresh_from_db()
    assert (bot.status, fast.status, fast.reviewed_by) == ("rejected", "accepted", world.coordinator)
    assert AuditEvent.objects.filter(object_type="surveys.response", action="transition").count() == 2


def test_dossier_count_and_figures_page(world: World, client_for: Any, link: SurveyLink) -> None:
    year = timezone.localdate().year
    submit(link, {"TC.1": 5, "TC.2": 3})
    client = client_for(world.coordinator)
    response = client.post(
        "/don-vi/thanh-mien/khao-sat/so-ho-so/",
        {
            "start": f"{year}-01-01",
            "end": f"{year}-12-31",
            "transactions": "4000",
            "note": "Báo cáo năm",
            "next": "/don-vi/thanh-mien/khao-sat/",
        },
    )
    assert response.status_code == 302
    assert DossierCount.objects.get().transactions == 4000
    page = client.get("/don-vi/thanh-mien/khao-sat/").content.decode()
    assert "/ 364 phiếu cần có" in page and "Chưa đủ cỡ mẫu" in page
    assert "50,00%" in page  # TC: (100 + 0) / 2
    assert '<svg class="chart"' in page
    assert (
        client_for(world.member)
        .post(
            "/don-vi/thanh-mien/khao-sat/so-ho-so/",
            {"start": f"{year}-01-01", "end": f"{year}-12-31", "transactions": "1"},
        )
        .status_code
        == 403
    )


def test_excel_export(world: World, client_for: Any, link: SurveyLink) -> None:
    submit(link, {"TC.1": 5, "TC.2": 3})
    response = client_for(world.users["observer"]).get("/don-vi/thanh-mien/khao-sat/bao-cao.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Chỉ số", "Theo kỳ", "Câu hỏi lựa chọn", "Ý kiến"]
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=4, values_only=True)}
    assert summary["Số phiếu được tính"] == 1 and summary["Chỉ số hài lòng chung (%)"] == 50
    items = {row[1]: row for row in book["Chỉ số"].iter_rows(min_row=4, values_only=True)}
    assert items["TC.1"][3:6] == (1, 1, 100)


def test_import_and_edit_through_pages(world: World, client_for: Any) -> None:
    client = client_for(world.coordinator)
    text = "format: friendlygov.questionnaire/1\ncode: THU\nname: Thử\nelements:\n  - code: A\n    items:\n      - code: A.1\n        text: Một\n"
    response = client.post("/don-vi/thanh-mien/khao-sat/bang-hoi/nhap/", {"kind": "other", "text": text})
    assert response.status_code == 302
    q = Questionnaire.objects.get(unit=world.unit, code="THU")
    bad = client.post("/don-vi/thanh-mien/khao-sat/bang-hoi/nhap/", {"kind": "other", "text": "code: [x"})
    assert "YAML" in bad.content.decode()
    link = services.create_link(actor=world.coordinator, unit=world.unit, questionnaire=q, label="x")
    submit(link, {"A.1": 4})
    edited = text.replace("Một", "Một (sửa)")
    response = client.post(
        f"/don-vi/thanh-mien/khao-sat/bang-hoi/{q.pk}/sua/noi-dung/",
        {"yaml_text": edited, "version": q.version, "note": "sửa chữ"},
    )
    assert response.status_code == 302
    detail = client.get(response["Location"], follow=True).content.decode()
    assert "Phiên bản 1 đã có câu trả lời nên được giữ nguyên" in detail
    assert q.versions.count() == 2
    exported = client.get(f"/don-vi/thanh-mien/khao-sat/bang-hoi/{q.pk}/v2.yaml").content.decode()
    assert "Một (sửa)" in exported and exported.startswith("# Bảng hỏi")


def test_poster_uses_the_served_address_and_warns_on_loopback(
    world: World, client_for: Any, link: SurveyLink, settings: Any
) -> None:
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "192.168.1.20"]
    client = client_for(world.member)
    poster = f"/don-vi/thanh-mien/khao-sat/diem-khao-sat/{link.pk}/ap-phich/"
    html = client.get(poster, HTTP_HOST="192.168.1.20:8123").content.decode()
    assert f"http://192.168.1.20:8123/ks/{link.token}/" in html and 'role="alert"' not in html
    html = client.get(poster, HTTP_HOST="127.0.0.1:8123").content.decode()
    assert f"http://127.0.0.1:8123/ks/{link.token}/" in html and "127.0.0.1:8000" not in html
    assert 'class="warning" role="alert"' in html and "FRIENDLYGOV_SITE_URL" in html
    listing = client.get(
        "/don-vi/thanh-mien/khao-sat/diem-khao-sat/", HTTP_HOST="127.0.0.1:8123"
    ).content.decode()
    assert f"http://127.0.0.1:8123/ks/{link.token}/" in listing and "FRIENDLYGOV_SITE_URL" in listing
    settings.SITE_URL = "https://khaosat.example.vn"
    html = client.get(poster, HTTP_HOST="127.0.0.1:8123").content.decode()
    assert f"https://khaosat.example.vn/ks/{link.token}/" in html and 'role="alert"' not in html


def test_review_queue_in_english_says_one_second(world: World, client_for: Any, link: SurveyLink) -> None:
    """Walk: the English review queue wrote «answered in 1 seconds»."""
    fast = submit(link, {"TC.1": 1}, started_at=timezone.now())
    Response.objects.filter(pk=fast.pk).update(duration_seconds=1)
    client = client_for(world.coordinator)
    client.cookies["django_language"] = "en"
    with translation.override("vi"):  # the English request must not leave English active for later tests
        queue = client.get("/don-vi/thanh-mien/khao-sat/can-xem-xet/").content.decode()
    assert "answered in 1 second" in queue and "answered in 1 seconds" not in queue
