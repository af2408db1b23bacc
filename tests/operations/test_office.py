"""Conferences and signing: the Office of the People's Council and Committee schedules conferences and
sends documents for signature; the leader marks them signed or returned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from friendlygov.audit.models import AuditEvent
from friendlygov.notifications.models import Notification
from friendlygov.operations import services
from friendlygov.operations.models import Conference, SignatureRequest
from tests.factories import World
from tests.operations.conftest import pdf, read_xlsx

BASE = "/don-vi/thanh-mien/hoat-dong/"


def test_office_schedules_a_conference_and_records_minutes(world: World, people, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["office"])
    data = {
        "title": "Hội nghị sơ kết 2 năm",
        "held_on": "18/11/2026",
        "start_time": "08:00",
        "place": "Hội trường UBND xã",
        "chair": "Lê Anh Tuấn",
        "attendees": "Các phòng, ban; trưởng thôn",
        "note": "",
    }
    assert client.post(BASE + "hoi-nghi/moi/", data).status_code == 302
    conference = Conference.objects.get()
    assert conference.start_time == dt.time(8, 0)
    edit = data | {"status": "held", "version": conference.version, "minutes": pdf("bien-ban.pdf")}
    assert client.post(f"{BASE}hoi-nghi/{conference.pk}/sua/", edit).status_code == 302
    conference.refresh_from_db()
    assert conference.status == "held" and conference.minutes is not None
    bad = client.post(BASE + "hoi-nghi/moi/", data | {"held_on": "", "start_time": "8 giờ"})
    assert (
        bad.status_code == 400
        and "Giờ không hợp lệ" in bad.content.decode()
        and "Hội nghị sơ kết 2 năm" in bad.content.decode()
    )
    with pytest.raises(ValidationError, match="chưa đến ngày tổ chức"):
        future = services.schedule_conference(
            actor=world.coordinator,
            unit=world.unit,
            title="Tổng kết",
            held_on=dt.date(2026, 12, 20),
            place="Hội trường",
            attendees="Toàn thể",
        )
        services.update_conference(
            actor=world.coordinator, conference=future, expected_version=future.version, status="held"
        )
    assert client_for(world.member).get(BASE + "hoi-nghi/moi/").status_code == 403
    rows = read_xlsx(
        client_for(world.users["observer"]).get(BASE + "hoi-nghi/xuat.xlsx?nam=2026&q=so+ket").content
    )
    assert [r[3] for r in rows[3:]] == ["Hội nghị sơ kết 2 năm"]


def test_signature_request_needs_a_file_or_a_link(world: World, people, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["office"])
    response = client.post(
        BASE + "trinh-ky/moi/", {"title": "Báo cáo kết quả năm 2026", "document_kind": "report", "link": ""}
    )
    assert response.status_code == 400
    assert (
        "Đính kèm tệp văn bản hoặc ghi đường dẫn" in response.content.decode()
        and "Báo cáo kết quả năm 2026" in response.content.decode()
    )
    response = client.post(
        BASE + "trinh-ky/moi/", {"title": "Báo cáo", "document_kind": "report", "link": "vanban.gov.vn/x"}
    )
    assert "phải bắt đầu bằng http" in response.content.decode()
    response = client.post(
        BASE + "trinh-ky/moi/",
        {"title": "Báo cáo kết quả năm 2026", "document_kind": "report", "upload": pdf()},
    )
    assert response.status_code == 302
    item = SignatureRequest.objects.get()
    assert item.body == world.bodies["VP"] and item.requested_by == people["office"]
    assert Notification.objects.filter(user=world.leader, title__contains="Văn bản chờ ký").count() == 1


def test_leader_signs_or_returns_and_the_office_resubmits(world: World, people, client_for) -> None:  # type: ignore[no-untyped-def]
    item = services.request_signature(
        actor=people["office"],
        unit=world.unit,
        title="Tờ trình khen thưởng",
        document_kind="submission",
        link="https://vanban.example.vn/1",
    )
    url = f"{BASE}trinh-ky/{item.pk}/"
    assert (
        client_for(people["office"]).post(url, {"decision": "signed", "version": item.version}).status_code
        == 403
    )
    leader = client_for(world.leader)
    missing_reason = leader.post(url, {"decision": "returned", "version": item.version, "reason": ""})
    assert missing_reason.status_code == 400 and "Chưa nhập lý do trả lại" in missing_reason.content.decode()
    assert (
        leader.post(
            url, {"decision": "returned", "version": item.version, "reason": "Sửa lại số liệu"}
        ).status_code
        == 302
    )
    item.refresh_from_db()
    assert (
        item.status == "returned"
        and Notification.objects.filter(user=people["office"], title__contains="bị trả lại").exists()
    )
    services.update_signature_request(
        actor=people["office"],
        request=item,
        expected_version=item.version,
        title="Tờ trình khen thưởng (sửa)",
    )
    item.refresh_from_db()
    assert item.status == "waiting" and item.return_reason == ""
    assert (
        leader.post(
            url, {"decision": "signed", "signed_on": "19/11/2026", "version": item.version}
        ).status_code
        == 302
    )
    item.refresh_from_db()
    assert (
        item.status == "signed"
        and item.signed_on == dt.date(2026, 11, 19)
        and item.decided_by == world.leader
    )
    with pytest.raises(ValidationError, match="đã được ký"):
        services.update_signature_request(
            actor=people["office"], request=item, expected_version=item.version, title="x"
        )
    with pytest.raises(PermissionDenied):
        services.decide_signature(
            actor=world.coordinator, request=item, decision="signed", expected_version=item.version
        )
    assert (
        AuditEvent.objects.filter(object_type="operations.signaturerequest", action="transition").count() == 2
    )
    page = leader.get(BASE + "trinh-ky/?trang_thai=signed&q=to+trinh").content.decode()
    assert "Tờ trình khen thưởng (sửa)" in page
    home = leader.get("/don-vi/thanh-mien/").content.decode()
    assert "Không có văn bản chờ ký" in home
