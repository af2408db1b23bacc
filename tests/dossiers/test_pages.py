"""Dossier pages and API: permission matrix (outsider 404 by URL and API), import through the page,
the city comparison for reviewers."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from friendlygov.dossiers.models import Dossier
from friendlygov.org import services as org_services
from tests.dossiers.helpers import GOOD_ROWS, csv_bytes
from tests.factories import World

pytestmark = pytest.mark.django_db

UNIT_PAGES = ["/don-vi/thanh-mien/ho-so/", "/don-vi/thanh-mien/ho-so/mau-nhap.csv"]


def auth(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Bearer {org_services.create_api_token(actor=user, name='t')}"}


def upload(rows=GOOD_ROWS, name: str = "ho-so.csv") -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    return SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")


@pytest.mark.parametrize(
    "url", [*UNIT_PAGES, "/don-vi/thanh-mien/ho-so/nhap/", "/don-vi/thanh-mien/ho-so/cai-dat/"]
)
def test_outsider_gets_404(world: World, client_for, url: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(world.outsider).get(url).status_code == 404


def test_outsider_gets_404_by_api(world: World, client: Client) -> None:
    headers = auth(world.outsider)
    assert client.get("/api/dossiers/units/thanh-mien/figures?year=2026", **headers).status_code == 404
    assert (
        client.get(
            "/api/dossiers/units/thanh-mien/count?start=2026-01-01&end=2026-12-31", **headers
        ).status_code
        == 404
    )
    response = client.post("/api/dossiers/units/thanh-mien/import", {"file": upload()}, **headers)
    assert response.status_code == 404 and not Dossier.objects.exists()
    assert client.get("/api/dossiers/cities/hai-phong/comparison?year=2026", **headers).status_code == 404


@pytest.mark.parametrize(
    "who", ["coordinator", "leader", "member", "village", "front", "observer", "reviewer"]
)
def test_readers_see_figures(world: World, client_for, who: str) -> None:  # type: ignore[no-untyped-def]
    for url in UNIT_PAGES:
        assert client_for(world.users[who]).get(url).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [("coordinator", 200), ("member", 200), ("village", 403), ("observer", 403), ("reviewer", 403)],
)
def test_import_page_permissions(world: World, client_for, who: str, status: int) -> None:  # type: ignore[no-untyped-def]
    assert client_for(world.users[who]).get("/don-vi/thanh-mien/ho-so/nhap/").status_code == status


def test_import_through_the_page_and_errors_listed(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.member)
    response = client.post("/don-vi/thanh-mien/ho-so/nhap/", {"file": upload()})
    assert response.status_code == 302 and Dossier.objects.count() == 5
    page = client.get("/don-vi/thanh-mien/ho-so/?nam=2026").content.decode()
    assert '<p id="rate-online"><span class="stat">40,00%</span>' in page  # 2 of 5 online
    assert (
        '<p id="rate-on-time"><span class="stat">60,00%</span>' in page
    )  # 2 late: two supplements; pending past appointment
    assert '<strong id="points-online">9,6</strong>' in page
    bad = [row[:] for row in GOOD_ROWS]
    bad[0][2] = "hôm qua"
    response = client.post("/don-vi/thanh-mien/ho-so/nhap/", {"file": upload(bad)})
    assert response.status_code == 200
    assert "Dòng 2, cột «Ngày tiếp nhận»: «hôm qua» không phải ngày hợp lệ" in response.content.decode()


def test_settings_page(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for(world.member).get("/don-vi/thanh-mien/ho-so/cai-dat/").status_code == 403
    client = client_for(world.coordinator)
    response = client.post(
        "/don-vi/thanh-mien/ho-so/cai-dat/",
        {"version": 1, "online_max_points": "22", "digitisation_max_points": "22"},
    )
    assert response.status_code == 302
    assert world.unit.dossier_settings.online_max_points == 22


def test_city_comparison_for_reviewers(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.member)
    client.post("/don-vi/thanh-mien/ho-so/nhap/", {"file": upload()})
    reviewer = client_for(world.reviewer)
    page = reviewer.get("/thanh-pho/hai-phong/ho-so/?nam=2026").content.decode()
    assert "Thanh Miện" in page and "Gia Lộc" in page and "40,00%" in page
    data = reviewer.get("/thanh-pho/hai-phong/ho-so/so-sanh.xlsx?nam=2026").content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert any(c.value == "Xã Thanh Miện" for row in sheet.iter_rows() for c in row)
    for who in ("coordinator", "outsider", "leader"):
        assert client_for(world.users[who]).get("/thanh-pho/hai-phong/ho-so/").status_code == 404
    assert client_for(world.reviewer).get("/thanh-pho/thanh-mien/ho-so/").status_code == 404


def test_api_import_and_figures(world: World, client: Client) -> None:
    headers = auth(world.coordinator)
    response = client.post("/api/dossiers/units/thanh-mien/import", {"file": upload()}, **headers)
    assert response.status_code == 200, response.content
    assert response.json() | {"batch_id": 0} == {
        "rows": 5,
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "batch_id": 0,
    }
    again = client.post("/api/dossiers/units/thanh-mien/import", {"file": upload()}, **headers).json()
    assert again["unchanged"] == 5
    bad = [row[:] for row in GOOD_ROWS]
    bad[2][8] = "có lẽ"
    error = client.post("/api/dossiers/units/thanh-mien/import", {"file": upload(bad)}, **headers)
    assert error.status_code == 422
    assert error.json()["detail"] == ["Dòng 4, cột «Số hóa»: «có lẽ» không hợp lệ (ghi «Có» hoặc «Không»)."]
    figures = client.get(
        "/api/dossiers/units/thanh-mien/figures?year=2026", **auth(world.users["observer"])
    ).json()
    assert figures["received"] == 5 and figures["online"]["numerator"] == 2
    assert figures["online"]["points"] == "9.60" and figures["digitisation"]["points"] == "22.00"
    assert figures["digitisation"]["max_points"] == "22" and figures["on_time"]["percent"] == "60.00"
    count = client.get(
        "/api/dossiers/units/thanh-mien/count?start=2026-03-01&end=2026-03-02", **headers
    ).json()
    assert count == {"count": 3}
    forbidden = client.post(
        "/api/dossiers/units/thanh-mien/import", {"file": upload()}, **auth(world.users["village"])
    )
    assert forbidden.status_code == 403
    comparison = client.get("/api/dossiers/cities/hai-phong/comparison?year=2026", **auth(world.reviewer))
    assert comparison.status_code == 200 and {r["unit"] for r in comparison.json()} == {
        "thanh-mien",
        "gia-loc",
    }
