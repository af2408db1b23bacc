"""Villages: the coordinator's items, the village head's results, the unit's view of which villages met
them, and the households' titles imported from Excel (row/column errors, nothing half-saved)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from friendlygov.audit.models import AuditEvent
from friendlygov.operations import selectors, services
from friendlygov.operations.models import HouseholdTitle, VillageReview, VillageReviewItem
from tests.factories import World
from tests.operations.conftest import read_xlsx, xlsx_bytes

BASE = "/don-vi/thanh-mien/hoat-dong/thon/"


def items(world: World, year: int = 2026) -> list[VillageReviewItem]:
    return [
        services.add_review_item(actor=world.coordinator, unit=world.unit, year=year, text=text)
        for text in (
            "Không có phản ánh về thái độ của cán bộ thôn",
            "Công khai, dân chủ ở thôn",
            "Bảng tin văn hóa cập nhật",
        )
    ]


def test_only_the_coordinator_adds_items_and_they_are_audited(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for(world.users["village"]).get(BASE + "noi-dung/moi/?nam=2026").status_code == 403
    client = client_for(world.coordinator)
    response = client.post(
        BASE + "noi-dung/moi/?nam=2026", {"text": "Không có hộ vi phạm quy ước thôn", "is_active": "on"}
    )
    assert response.status_code == 302
    item = VillageReviewItem.objects.get()
    assert (item.year, item.position) == (2026, 1)
    duplicate = client.post(
        BASE + "noi-dung/moi/?nam=2026", {"text": "không có hộ vi phạm quy ước thôn", "is_active": "on"}
    )
    assert duplicate.status_code == 400 and "đã có nội dung" in duplicate.content.decode()
    assert AuditEvent.objects.filter(object_type="operations.villagereviewitem").count() == 1


def test_village_head_records_results_for_own_village_only(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    first, second, third = items(world)
    tn, hb = world.bodies["TN"], world.bodies["HB"]
    client = client_for(world.users["village"])
    data = {
        f"result_{first.pk}": "1",
        f"result_{second.pk}": "1",
        f"result_{third.pk}": "1",
        f"note_{third.pk}": "Cập nhật hằng tháng",
        "title_result": VillageReview.Title.ACHIEVED,
        "reviewed_on": "10/11/2026",
        "households_total": "412",
        "note": "",
    }
    response = client.post(f"{BASE}{tn.pk}/nam-2026/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    review = VillageReview.objects.get(village=tn)
    assert review.title_result == VillageReview.Title.ACHIEVED and review.households_total == 412
    assert {r.item_id: r.met for r in review.results.all()} == {
        first.pk: True,
        second.pk: True,
        third.pk: True,
    }
    assert client.post(f"{BASE}{hb.pk}/nam-2026/", data).status_code == 403
    assert client.get(f"{BASE}{hb.pk}/nam-2026/").status_code == 200  # may read every village
    with pytest.raises(PermissionDenied):
        services.record_village_review(
            actor=world.users["village"],
            unit=world.unit,
            village=hb,
            year=2026,
            results={},
            title_result=VillageReview.Title.PENDING,
        )
    assert AuditEvent.objects.filter(object_type="operations.villagereviewresult").count() == 3


def test_title_cannot_be_achieved_with_an_unmet_item_and_values_stay(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    first, second, third = items(world)
    client = client_for(world.coordinator)
    data = {
        f"result_{first.pk}": "0",
        f"note_{first.pk}": "Có 01 phản ánh đã xác minh",
        f"result_{second.pk}": "1",
        f"result_{third.pk}": "1",
        "title_result": VillageReview.Title.ACHIEVED,
        "reviewed_on": "10/11/2026",
        "households_total": "356",
    }
    response = client.post(f"{BASE}{world.bodies['HB'].pk}/nam-2026/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "chưa thể ghi đạt danh hiệu" in page and "Có 01 phản ánh đã xác minh" in page and "356" in page
    assert not VillageReview.objects.exists()
    no_date = client.post(
        f"{BASE}{world.bodies['HB'].pk}/nam-2026/", data | {"title_result": "not_achieved", "reviewed_on": ""}
    )
    assert "Ghi ngày bình xét" in no_date.content.decode()


def test_unit_sees_which_villages_met_the_items(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    first, second, third = items(world)
    services.record_village_review(
        actor=world.coordinator,
        unit=world.unit,
        village=world.bodies["TN"],
        year=2026,
        results={first.pk: (True, ""), second.pk: (True, ""), third.pk: (True, "")},
        title_result=VillageReview.Title.ACHIEVED,
        reviewed_on=dt.date(2026, 11, 10),
    )
    services.record_village_review(
        actor=world.coordinator,
        unit=world.unit,
        village=world.bodies["HB"],
        year=2026,
        results={first.pk: (False, ""), second.pk: (True, "")},
        title_result=VillageReview.Title.NOT_ACHIEVED,
        reviewed_on=dt.date(2026, 11, 10),
    )
    figures = selectors.village_figures(unit=world.unit, year=2026)
    assert (
        figures["villages"],
        figures["reviewed"],
        figures["achieved"],
        figures["not_achieved"],
        figures["all_items_met"],
    ) == (2, 2, 1, 1, 1)
    rows = {r["village"]: (r["met"], r["all_met"]) for r in figures["rows"]}
    assert rows == {"Thôn Tháp Ngạn": (3, True), "Thôn Hòa Bình": (1, False)}
    client = client_for(world.users["observer"])
    page = client.get(BASE + "?nam=2026").content.decode()
    assert "Thôn Tháp Ngạn" in page and "1/2 thôn đạt danh hiệu" in page
    filtered = client.get(BASE + "?nam=2026&q=hoa+binh").content.decode()
    assert "Thôn Hòa Bình" in filtered and "Thôn Tháp Ngạn" not in filtered.split('id="villages"')[1]
    rows_x = read_xlsx(client.get(BASE + "xuat.xlsx?nam=2026").content)
    assert (
        rows_x[3][1] == "Thôn Tháp Ngạn"
        and rows_x[3][2] == "Đạt danh hiệu “Thôn văn hóa”"
        and rows_x[3][4:7] == ["Đạt", "Đạt", "Đạt"]
    )


def test_stale_review_version_is_refused(world: World) -> None:
    (item, *_rest) = items(world)
    review = services.record_village_review(
        actor=world.coordinator,
        unit=world.unit,
        village=world.bodies["TN"],
        year=2026,
        results={item.pk: (True, "")},
        title_result="pending",
    )
    services.record_village_review(
        actor=world.coordinator,
        unit=world.unit,
        village=world.bodies["TN"],
        year=2026,
        results={item.pk: (True, "")},
        title_result="pending",
        expected_version=review.version,
        note="a",
    )
    with pytest.raises(ValidationError, match="người khác cập nhật"):
        services.record_village_review(
            actor=world.coordinator,
            unit=world.unit,
            village=world.bodies["TN"],
            year=2026,
            results={item.pk: (False, "")},
            title_result="pending",
            expected_version=review.version,
        )


HEADER = ["Chủ hộ", "Thôn", "Gia đình văn hóa", "Năm", "Địa chỉ"]


def test_household_import_creates_then_updates(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_bytes(
        [
            HEADER,
            ["Nguyễn Văn An", "Tháp Ngạn", "có", 2026, "Xóm 1"],
            ["Trần Thị Bình", "thon hoa binh", "không", 2026, ""],
            ["Lê Văn Cường", "Thôn Tháp Ngạn", "x", 2026, ""],
        ]
    )
    result = services.import_household_titles(
        actor=world.coordinator, unit=world.unit, data=data, filename="hgd.xlsx"
    )
    assert (result.created, result.updated) == (3, 0)
    again = xlsx_bytes(
        [
            HEADER,
            ["Nguyễn Văn An", "Tháp Ngạn", "không", 2026, "Xóm 1"],
            ["Trần Thị Bình", "Hòa Bình", "không", 2026, ""],
        ]
    )
    result = services.import_household_titles(
        actor=world.coordinator, unit=world.unit, data=again, filename="hgd2.xlsx"
    )
    assert (result.created, result.updated) == (0, 1)
    assert HouseholdTitle.objects.get(head_name="Nguyễn Văn An").is_cultural is False
    figures = selectors.village_figures(unit=world.unit, year=2026)["households"]
    assert (figures["listed"], figures["cultural"], str(figures["percent"])) == (3, 1, "33.33")
    client = client_for(world.users["observer"])
    page = client.get("/don-vi/thanh-mien/hoat-dong/thon/ho-gia-dinh/?nam=2026&q=nguyen+van").content.decode()
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" not in page
    exported = read_xlsx(
        client.get("/don-vi/thanh-mien/hoat-dong/thon/ho-gia-dinh/xuat.xlsx?nam=2026&gdvh=khong").content
    )
    assert sorted(r[1] for r in exported[3:]) == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_household_import_reports_rows_and_columns_and_saves_nothing(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_bytes(
        [
            HEADER,
            ["Nguyễn Văn An", "Tháp Ngạn", "có", 2026, ""],
            ["", "Tháp Ngạn", "có", 2026, ""],
            ["Trần Văn Bảo", "Thôn Không Có", "có", 2026, ""],
            ["Lê Thị Chi", "Hòa Bình", "đạt chuẩn?", 2026, ""],
            ["Phạm Văn Dũng", "Hòa Bình", "có", "năm nay", ""],
            ["Nguyễn Văn An", "Tháp Ngạn", "không", 2026, ""],
        ]
    )
    client = client_for(world.coordinator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/don-vi/thanh-mien/hoat-dong/thon/ho-gia-dinh/nhap/", {"file": SimpleUploadedFile("hgd.xlsx", data)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "Dòng 3, cột «Chủ hộ»: không được để trống",
        "Dòng 4, cột «Thôn»: không có thôn «Thôn Không Có»",
        "Dòng 5, cột «Gia đình văn hóa»: ghi «có» hoặc «không»",
        "Dòng 6, cột «Năm»: năm «năm nay» không hợp lệ",
        "Dòng 7, cột «Chủ hộ»: hộ «Nguyễn Văn An» trùng với dòng 2",
    ):
        assert message in page, message
    assert not HouseholdTitle.objects.exists()
    missing_column = xlsx_bytes([["Chủ hộ", "Thôn", "Năm"], ["A", "Tháp Ngạn", 2026]])
    with pytest.raises(ValidationError, match="thiếu cột «Gia đình văn hóa»"):
        services.import_household_titles(
            actor=world.coordinator, unit=world.unit, data=missing_column, filename="x.xlsx"
        )


def test_village_head_imports_own_village_only(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_bytes(
        [HEADER, ["Nguyễn Văn An", "Tháp Ngạn", "có", 2026, ""], ["Đỗ Thị Hoa", "Hòa Bình", "có", 2026, ""]]
    )
    with pytest.raises(ValidationError) as error:
        services.import_household_titles(
            actor=world.users["village"], unit=world.unit, data=data, filename="x.xlsx"
        )
    assert "Dòng 3, cột «Thôn»: bạn chỉ nhập được danh sách của thôn mình" in str(error.value)
    assert not HouseholdTitle.objects.exists()
    with pytest.raises(PermissionDenied):
        services.import_household_titles(actor=world.member, unit=world.unit, data=data, filename="x.xlsx")
    assert (
        client_for(world.member).get("/don-vi/thanh-mien/hoat-dong/thon/ho-gia-dinh/nhap/").status_code == 403
    )
    csv = "Chủ hộ,Thôn,Gia đình văn hóa,Năm\nNguyễn Văn An,Tháp Ngạn,có,2026\n".encode()
    result = services.import_household_titles(
        actor=world.users["village"], unit=world.unit, data=csv, filename="x.csv"
    )
    assert result.created == 1


def test_villages_page_in_english_counts_one_village(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    """Walk: the English villages page wrote «1 villages meet every … item»."""
    first, second, third = items(world)
    services.record_village_review(
        actor=world.coordinator,
        unit=world.unit,
        village=world.bodies["TN"],
        year=2026,
        results={first.pk: (True, ""), second.pk: (True, ""), third.pk: (True, "")},
        title_result=VillageReview.Title.ACHIEVED,
        reviewed_on=dt.date(2026, 11, 10),
    )
    client = client_for(world.users["observer"])
    assert (
        "1/2 thôn đạt danh hiệu; 1 thôn đạt đủ các nội dung"
        in client.get(BASE + "?nam=2026").content.decode()
    )
    client.cookies["django_language"] = "en"
    with translation.override("vi"):  # the English request must not leave English active for later tests
        page = client.get(BASE + "?nam=2026").content.decode()
    assert "1 village meets every" in page and "1 villages" not in page
