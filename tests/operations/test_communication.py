"""Communication work: recording with photos, validation that keeps what was typed, figures per quarter and
year, the criteria view, filters, search without diacritics and the Excel export."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from friendlygov.audit.models import AuditEvent
from friendlygov.operations import selectors, services
from friendlygov.operations.models import ActivityFile, CommunicationActivity, CommunicationKind
from tests.factories import World
from tests.operations.conftest import activity, budget_line, png, read_xlsx

URL = "/don-vi/thanh-mien/hoat-dong/tuyen-truyen/"


def form_data(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "kind": CommunicationKind.SLOGAN_PANEL,
        "title": "Pano “4 xin, 4 luôn, 5 không” tại cổng trụ sở",
        "held_on": "15/03/2026",
        "place": "Cổng trụ sở UBND xã",
        "body": world.bodies["VHXH"].pk,
        "audience": "Nhân dân",
        "reach": "0",
        "cost": "12.000.000",
        "description": "",
        "criterion_code": "4.1",
    }
    data.update(overrides)
    return data


def test_coordinator_records_an_activity_with_two_photos(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.coordinator)
    response = client.post(URL + "moi/", form_data(world, photos=[png("cong.png"), png("trung-tam.png")]))
    assert response.status_code == 302, response.content.decode()[:2000]
    item = CommunicationActivity.objects.get()
    assert item.cost == 12_000_000 and item.held_on == dt.date(2026, 3, 15) and item.criterion_code == "4.1"
    assert [f.evidence.original_name for f in item.files.all()] == ["cong.png", "trung-tam.png"]
    assert all(f.evidence.content_type == "image/png" for f in item.files.all())
    detail = client.get(response["Location"]).content.decode()
    assert "cong.png" in detail and "<img" in detail
    assert (
        AuditEvent.objects.filter(object_type="operations.communicationactivity", action="create").count()
        == 1
    )
    assert AuditEvent.objects.filter(object_type="operations.activityfile").count() == 2


def test_bad_input_keeps_every_value_and_says_what_is_wrong(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.coordinator)
    data = form_data(
        world,
        title="",
        held_on="31/02/2026",
        cost="mười triệu",
        reach="-5",
        place="Nhà văn hóa thôn Hòa Bình",
    )
    response = client.post(URL + "moi/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ngày không hợp lệ" in page
    assert "«mười triệu» không phải là một số" in page
    assert "Nhà văn hóa thôn Hòa Bình" in page and "mười triệu" in page and "31/02/2026" in page
    assert CommunicationActivity.objects.count() == 0


def test_future_date_and_bad_criterion_are_refused_by_the_service(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.coordinator)
    response = client.post(URL + "moi/", form_data(world, held_on="25/12/2026", criterion_code="4.1"))
    assert response.status_code == 400
    assert "không được sau hôm nay" in response.content.decode()
    assert "Cổng trụ sở UBND xã" in response.content.decode()
    response = client.post(URL + "moi/", form_data(world, criterion_code="tiêu chí 4"))
    assert "Mã tiêu chí «tiêu chí 4» không hợp lệ" in response.content.decode()
    assert CommunicationActivity.objects.count() == 0


def test_only_images_and_pdfs_are_accepted_and_nothing_is_half_saved(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.coordinator)
    fake = SimpleUploadedFile("anh.png", b"day khong phai anh", content_type="image/png")
    response = client.post(URL + "moi/", form_data(world, photos=[png("tot.png"), fake]))
    assert response.status_code == 400
    assert "không phải PDF, ảnh" in response.content.decode()
    assert "chọn lại tệp" in response.content.decode()
    assert CommunicationActivity.objects.count() == 0 and ActivityFile.objects.count() == 0
    from tests.operations.conftest import xlsx_bytes

    sheet = SimpleUploadedFile("bang.xlsx", xlsx_bytes([["a"]]))
    response = client.post(URL + "moi/", form_data(world, photos=[sheet]))
    assert "phải là ảnh" in response.content.decode()


def test_body_member_records_for_own_body_only(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.member)  # Trung tâm Phục vụ HCC
    ok = client.post(URL + "moi/", form_data(world, body=world.bodies["PVHCC"].pk))
    assert ok.status_code == 302
    other = client.post(URL + "moi/", form_data(world, body=world.bodies["VHXH"].pk))
    assert other.status_code == 400
    with pytest.raises(PermissionDenied):
        activity(world, actor=world.member, body=world.bodies["VHXH"])
    item = CommunicationActivity.objects.get()
    assert client_for(world.users["village"]).get(f"{URL}{item.pk}/sua/").status_code == 403
    assert client_for(world.users["observer"]).get(URL + "moi/").status_code == 403


def test_edit_with_a_stale_version_is_refused_and_keeps_the_typing(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    item = activity(world)
    client = client_for(world.coordinator)
    first = client.post(f"{URL}{item.pk}/sua/", form_data(world, title="Tiêu đề mới", version=item.version))
    assert first.status_code == 302
    stale = client.post(
        f"{URL}{item.pk}/sua/", form_data(world, title="Tiêu đề của người thứ hai", version=item.version)
    )
    assert stale.status_code == 400
    page = stale.content.decode()
    assert "đã được người khác cập nhật" in page and "Tiêu đề của người thứ hai" in page
    item.refresh_from_db()
    assert item.title == "Tiêu đề mới" and item.version == 2
    assert (
        AuditEvent.objects.filter(object_type="operations.communicationactivity", action="update").count()
        == 1
    )


def test_figures_per_quarter_and_year(world: World) -> None:
    activity(world, held_on=dt.date(2026, 2, 1), reach=100, cost=1_000_000)
    activity(world, held_on=dt.date(2026, 3, 31), reach=50, cost=0, kind=CommunicationKind.ZALO)
    activity(world, held_on=dt.date(2026, 7, 1), reach=10, cost=500_000, uploads=[png()])
    activity(world, held_on=dt.date(2025, 12, 31), reach=999)
    # The money is what was spent from the estimate on communication lines (not the activities' own typed
    # cost): one figure for the budget page, this page and the documents.
    briefings = budget_line(world, activity_kind=CommunicationKind.BRIEFING)
    budget_line(world, title="Khen thưởng")  # not communication
    for day, amount in ((dt.date(2026, 2, 1), 800_000), (dt.date(2026, 7, 2), 300_000)):
        services.record_spending(
            actor=world.coordinator, line=briefings, spent_on=day, amount=amount, description="Tài liệu"
        )
    figures = selectors.communication_figures(unit=world.unit, year=2026)
    assert (figures["count"], figures["reach"], figures["cost"], figures["with_files"]) == (
        3,
        160,
        1_100_000,
        1,
    )
    assert figures["cost"] == selectors.budget_figures(unit=world.unit, year=2026)["communication"]["spent"]
    quarters = {q["quarter"]: (q["count"], q["reach"], q["cost"]) for q in figures["by_quarter"]}
    assert quarters == {1: (2, 150, 800_000), 2: (0, 0, 0), 3: (1, 10, 300_000), 4: (0, 0, 0)}
    assert next(k for k in figures["by_kind"] if k["kind"] == CommunicationKind.BRIEFING)["cost"] == 1_100_000
    kinds = {k["kind"]: k["count"] for k in figures["by_kind"]}
    assert (
        kinds[CommunicationKind.ZALO] == 1
        and kinds[CommunicationKind.BRIEFING] == 2
        and len(kinds) == len(CommunicationKind.values)
    )
    assert selectors.communication_figures(unit=world.other, year=2026)["count"] == 0


def test_criteria_view_shows_what_was_done_per_code(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    activity(world, criterion_code="5.1", title="Quán triệt cho cán bộ")
    activity(world, criterion_code="5.1", title="Tin trên Zalo", kind=CommunicationKind.ZALO, reach=300)
    activity(world, criterion_code="4.1", title="Pano ở cổng", kind=CommunicationKind.SLOGAN_PANEL, reach=0)
    rows = selectors.criteria_coverage(unit=world.unit, year=2026)
    assert [(r["code"], r["count"], r["reach"]) for r in rows] == [("4.1", 1, 0), ("5.1", 2, 420)]
    page = client_for(world.users["observer"]).get(URL + "theo-tieu-chi/?nam=2026").content.decode()
    assert "Tiêu chí 5.1" in page and "Tin trên Zalo" in page


def test_criteria_names_come_from_assessments_when_it_knows_them(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        selectors,
        "criteria_info",
        lambda *, unit, year: {
            "5.1": {"name": "Thông tin, tuyên truyền", "evidence": "Biên bản hội nghị quán triệt"}
        },
    )
    activity(world, criterion_code="5.1")
    row = selectors.criteria_coverage(unit=world.unit, year=2026)[0]
    assert row["name"] == "Thông tin, tuyên truyền" and row["evidence"] == "Biên bản hội nghị quán triệt"
    with pytest.raises(ValidationError) as error:
        activity(world, criterion_code="9.9")
    assert "không có mã «9.9»" in str(error.value)


def test_criteria_info_does_not_hide_a_broken_assessments_area(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import friendlygov.assessments.selectors as assessment_selectors

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("đang viết dở")

    assert selectors.criteria_info(unit=world.unit, year=2026) == {}  # no cycle that year: nothing to check
    assert activity(world, criterion_code="7.7").criterion_code == "7.7"
    monkeypatch.setattr(assessment_selectors, "get_cycle", broken)
    with pytest.raises(RuntimeError, match="đang viết dở"):
        selectors.criteria_info(unit=world.unit, year=2026)
    with pytest.raises(RuntimeError, match="đang viết dở"):
        activity(world, criterion_code="7.7")


def test_list_filters_search_without_diacritics_and_export(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    activity(world, title="Quán triệt Nghị quyết cho đảng viên", held_on=dt.date(2026, 2, 5))
    activity(
        world,
        title="Tin bài trên Facebook",
        kind=CommunicationKind.FACEBOOK,
        held_on=dt.date(2026, 8, 5),
        body=world.bodies["PVHCC"],
    )
    client = client_for(world.users["front"])
    page = client.get(URL + "?nam=2026&q=quan+triet").content.decode()
    assert "Quán triệt Nghị quyết" in page and "Tin bài trên Facebook" not in page
    page = client.get(URL + "?nam=2026&quy=3").content.decode()
    assert "Tin bài trên Facebook" in page and "Quán triệt Nghị quyết" not in page
    page = client.get(f"{URL}?nam=2026&co_quan={world.bodies['PVHCC'].pk}").content.decode()
    assert "Tin bài trên Facebook" in page and "Quán triệt Nghị quyết" not in page
    response = client.get(URL + "xuat.xlsx?nam=2026&loai=facebook")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response.content)
    assert rows[2][:4] == ["STT", "Ngày", "Hình thức", "Nội dung"]
    assert [r[3] for r in rows[3:]] == ["Tin bài trên Facebook"]


def test_remove_a_photo(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    item = activity(world, uploads=[png("a.png"), png("b.png")])
    link = item.files.first()
    assert link is not None
    client = client_for(world.coordinator)
    assert client.post(f"{URL}{item.pk}/", {"remove_file": link.pk}).status_code == 302
    assert item.files.count() == 1
    assert AuditEvent.objects.filter(object_type="operations.activityfile", action="delete").count() == 1
    assert (
        client_for(world.users["observer"])
        .post(f"{URL}{item.pk}/", {"remove_file": item.files.get().pk})
        .status_code
        == 403
    )


def test_home_panel_shows_this_quarter(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    activity(world, held_on=dt.date(2026, 10, 5), reach=321)
    activity(world, held_on=dt.date(2026, 6, 5), reach=1000)
    page = client_for(world.leader).get("/don-vi/thanh-mien/").content.decode()
    assert (
        "Tuyên truyền Quý IV/2026" in page
        and "321" in page
        and "1.000" not in page.split("Hoạt động của chương trình")[1][:800]
    )
