"""Feedback pages: public submit/track/published never show contact details; staff pages' permissions."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.test import Client

from friendlygov.audit.models import AuditEvent
from friendlygov.feedback import services
from friendlygov.feedback.models import Feedback, FeedbackContact, StateType
from tests.factories import World
from tests.feedback.conftest import EMAIL, PHONE, submit

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'


def post_form(client: Client, slug: str = "thanh-mien", **overrides: str) -> object:
    data = {
        "topic": "procedure",
        "subject": "Thủ tục khai sinh",
        "content": "Nội dung phản ánh đủ dài để gửi.",
        "procedure_ref": "",
        "contact_name": "Nguyễn Văn Bí Mật",
        "contact_phone": PHONE,
        "contact_email": EMAIL,
        "contact_address": "Thôn Tháp Ngạn",
        "consent": "on",
        "trang_web": "",
    }
    data.update(overrides)
    return client.post(f"/phan-anh/{slug}/gui/", data)


def assert_no_contact(html: str) -> None:
    assert PHONE not in html and EMAIL not in html and "Bí Mật" not in html


# ---------------------------------------------------------------- public


def test_public_submit_thanks_and_track(world: World, client: Client) -> None:
    page = client.get("/phan-anh/thanh-mien/gui/").content.decode()
    assert "13/2023/NĐ-CP" in page and 'name="trang_web"' in page
    response = post_form(client)
    assert response.status_code == 302 and response["Location"].endswith("/phan-anh/thanh-mien/da-gui/")
    item = Feedback.objects.get()
    thanks = client.get("/phan-anh/thanh-mien/da-gui/").content.decode()
    assert item.code_display in thanks
    assert_no_contact(thanks)
    tracked = client.get(f"/phan-anh/tra-cuu/?ma={item.code_display.lower()}").content.decode()
    assert "Mới tiếp nhận" in tracked and "Thủ tục khai sinh" in tracked
    assert_no_contact(tracked)
    assert FeedbackContact.objects.get().phone == PHONE


def test_contact_without_consent_shows_the_error(world: World, client: Client) -> None:
    response = post_form(client, consent="")
    assert response.status_code == 200
    assert "đánh dấu đồng ý" in response.content.decode()
    assert not Feedback.objects.exists()


def test_honeypot_keeps_nothing(world: World, client: Client) -> None:
    response = post_form(client, trang_web="http://spam.example")
    assert response.status_code == 200 and "Cảm ơn" in response.content.decode()
    assert not Feedback.objects.exists()


def test_burst_is_throttled_without_losing_accepted(world: World, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FEEDBACK_RATE_LIMITS = {"submit": (3, 600)}
    codes = [post_form(client, subject=f"Phản ánh số {i}").status_code for i in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert Feedback.objects.count() == 3
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert post_form(other).status_code == 302


def test_unknown_code_and_city_slug(world: World, client: Client) -> None:
    assert "Không tìm thấy" in client.get("/phan-anh/tra-cuu/?ma=ABCDEFGHJK").content.decode()
    assert client.get("/phan-anh/hai-phong/gui/").status_code == 404
    assert client.get("/phan-anh/khong-co/gui/").status_code == 404


def test_script_payloads_are_escaped(world: World, client: Client, client_for) -> None:  # type: ignore[no-untyped-def]
    item = submit(world, subject=f"Tiêu đề {SCRIPT}", content=f"Nội dung {SCRIPT}")
    services.answer_feedback(
        actor=world.coordinator,
        feedback=item,
        answer=f"Trả lời {SCRIPT}",
        publish=True,
        public_summary=f"Tóm tắt {SCRIPT}",
    )
    pages = [
        client.get(f"/phan-anh/tra-cuu/?ma={item.code}").content.decode(),
        client.get("/phan-anh/thanh-mien/").content.decode(),
        client_for(world.coordinator).get(f"/don-vi/thanh-mien/phan-anh/{item.pk}/").content.decode(),
        client_for(world.coordinator).get("/don-vi/thanh-mien/phan-anh/").content.decode(),
    ]
    for html in pages:
        assert SCRIPT not in html
        assert "&lt;script&gt;" in html


def test_rate_and_reopen_from_the_tracking_page(world: World, client: Client) -> None:
    item = submit(world)
    services.answer_feedback(
        actor=world.coordinator, feedback=item, answer="Đã thay bảng niêm yết mới ở quầy."
    )
    page = client.get(f"/phan-anh/tra-cuu/?ma={item.code}").content.decode()
    assert "Đã thay bảng niêm yết" in page and "Đánh giá câu trả lời" in page and "Mở lại phản ánh" in page
    client.post(f"/phan-anh/tra-cuu/{item.code}/danh-gia/", {"rating": "5"})
    item.refresh_from_db()
    assert item.rating == 5 and item.satisfied is True
    client.post(f"/phan-anh/tra-cuu/{item.code}/mo-lai/", {"reason": "Vẫn chưa rõ lệ phí bao nhiêu."})
    item.refresh_from_db()
    assert item.reopen_count == 1 and item.state.type == StateType.OPEN
    page = client.get(f"/phan-anh/tra-cuu/?ma={item.code}").content.decode()
    assert "Mở lại phản ánh</button>" not in page
    assert client.post("/phan-anh/tra-cuu/ZZZZZZZZZZ/danh-gia/", {"rating": "5"}).status_code == 404


def test_published_page_has_answers_without_personal_data(world: World, client: Client) -> None:
    item = submit(world, content=f"Tôi là Nguyễn Văn Bí Mật, số {PHONE}, hỏi về khai sinh.")
    services.answer_feedback(
        actor=world.coordinator,
        feedback=item,
        answer="Hồ sơ khai sinh nộp trực tuyến được.",
        publish=True,
        public_summary="Hỏi về nộp hồ sơ khai sinh trực tuyến",
    )
    submit(world, subject="Chưa trả lời thì không công khai")
    html = client.get("/phan-anh/thanh-mien/").content.decode()
    assert "Hỏi về nộp hồ sơ khai sinh trực tuyến" in html and "Hồ sơ khai sinh nộp trực tuyến được." in html
    assert "Chưa trả lời thì không công khai" not in html
    assert_no_contact(html)


# ---------------------------------------------------------------- staff pages and permissions


def staff_urls(item: Feedback) -> list[str]:
    base = "/don-vi/thanh-mien/phan-anh/"
    return [base, f"{base}phan-anh.xlsx", f"{base}{item.pk}/"]


def test_outsider_gets_404_everywhere(world: World, client_for, item: Feedback) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.outsider)
    base = "/don-vi/thanh-mien/phan-anh/"
    for url in [*staff_urls(item), f"{base}{item.pk}/lien-he/", f"{base}cai-dat/", f"{base}du-lieu-ca-nhan/"]:
        assert client.get(url).status_code == 404, url
    for action in ("phan-loai", "chuyen-trang-thai", "tra-loi", "cong-khai"):
        assert client.post(f"{base}{item.pk}/{action}/", {"version": 1}).status_code == 404
    # The outsider's own unit URL with our item's id is 404 too.
    assert client.get(f"/don-vi/gia-loc/phan-anh/{item.pk}/").status_code == 404


@pytest.mark.parametrize(
    "who", ["coordinator", "leader", "member", "village", "front", "observer", "reviewer"]
)
def test_readers_see_list_and_detail_without_contact(
    world: World, client_for, item: Feedback, who: str
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.users[who])
    for url in staff_urls(item)[::2]:
        response = client.get(url)
        assert response.status_code == 200
        assert_no_contact(response.content.decode())


@pytest.mark.parametrize(
    ("who", "status"),
    [("coordinator", 200), ("observer", 403), ("leader", 403), ("member", 403), ("reviewer", 403)],
)
def test_contact_page_only_for_handlers_and_logged(
    world: World, client_for, item: Feedback, who: str, status: int
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.users[who]).get(f"/don-vi/thanh-mien/phan-anh/{item.pk}/lien-he/")
    assert response.status_code == status
    logged = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL, object_id=str(item.pk))
    if status == 200:
        assert PHONE in response.content.decode() and response["Cache-Control"] == "no-store"
        assert logged.count() == 1
    else:
        assert not logged.exists()


def test_assigned_member_answers_through_the_pages(world: World, client_for, item: Feedback) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for(world.coordinator)
    response = coordinator.post(
        f"/don-vi/thanh-mien/phan-anh/{item.pk}/phan-loai/",
        {"version": item.version, "classification": "policy", "body": world.bodies["PVHCC"].pk},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    member = client_for(world.member)
    assert member.get(f"/don-vi/thanh-mien/phan-anh/{item.pk}/lien-he/").status_code == 200
    # The assigned body's member corrects the classification but cannot reassign (the field is disabled).
    response = member.post(
        f"/don-vi/thanh-mien/phan-anh/{item.pk}/phan-loai/",
        {"version": item.version, "classification": "conduct", "body": world.bodies["KT"].pk},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.classification == "conduct" and item.body == world.bodies["PVHCC"]
    response = member.post(
        f"/don-vi/thanh-mien/phan-anh/{item.pk}/tra-loi/",
        {"version": item.version, "answer": "Trung tâm đã thay bảng niêm yết.", "public_summary": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state.type == StateType.ANSWERED
    village = client_for(world.users["village"])
    assert (
        village.post(
            f"/don-vi/thanh-mien/phan-anh/{item.pk}/tra-loi/",
            {"version": item.version, "answer": "Không được phép trả lời."},
        ).status_code
        == 403
    )
    member = client_for(world.member)  # client_for reuses one client
    stale = member.post(
        f"/don-vi/thanh-mien/phan-anh/{item.pk}/tra-loi/",
        {"version": 1, "answer": "Bản cũ hơn của câu trả lời."},
    )
    assert stale.status_code == 400 and "người khác cập nhật" in stale.content.decode()


def test_settings_and_contact_request_pages(world: World, client_for, item: Feedback) -> None:  # type: ignore[no-untyped-def]
    assert client_for(world.member).get("/don-vi/thanh-mien/phan-anh/cai-dat/").status_code == 403
    coordinator = client_for(world.coordinator)
    assert coordinator.get("/don-vi/thanh-mien/phan-anh/cai-dat/").status_code == 200
    response = coordinator.post("/don-vi/thanh-mien/phan-anh/cai-dat/", {"version": 1, "retention_days": 180})
    assert response.status_code == 302
    response = coordinator.post(
        "/don-vi/thanh-mien/phan-anh/du-lieu-ca-nhan/",
        {"code": item.code, "verification": PHONE, "kind": "erasure", "note": "gọi điện"},
    )
    assert response.status_code == 200 and "Đã xóa thông tin liên hệ" in response.content.decode()
    assert not FeedbackContact.objects.exists()
    assert client_for(world.member).get("/don-vi/thanh-mien/phan-anh/du-lieu-ca-nhan/").status_code == 403


def test_search_without_diacritics_filters_and_export(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    submit(world, subject="Đèn chiếu sáng thôn Tháp Ngạn hỏng")
    submit(world, subject="Hỏi về chứng thực bản sao")
    client = client_for(world.coordinator)
    html = client.get("/don-vi/thanh-mien/phan-anh/?q=den chieu sang").content.decode()
    assert "Đèn chiếu sáng" in html and "chứng thực" not in html
    data = client.get("/don-vi/thanh-mien/phan-anh/phan-anh.xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("Đèn chiếu sáng" in v for v in values)
    assert not any(PHONE in v or EMAIL in v for v in values)


def test_overdue_is_highlighted_and_counted(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC), tick=False):
        late = submit(world, subject="Phản ánh đã quá hạn")
        waiting = submit(world, subject="Phản ánh chờ người dân")
        services.transition_feedback(
            actor=world.coordinator,
            feedback=waiting,
            state=services.default_state(world.unit, StateType.WAITING_CITIZEN),
        )
    with time_machine.travel(dt.datetime(2026, 3, 23, 2, tzinfo=dt.UTC), tick=False):
        due = submit(world, subject="Phản ánh mới hôm nay")
    with time_machine.travel(dt.datetime(2026, 3, 25, 2, tzinfo=dt.UTC), tick=False):
        client = client_for(world.coordinator)
        html = client.get("/don-vi/thanh-mien/phan-anh/").content.decode()
        assert 'id="overdue-count">1 quá hạn' in html
        only = client.get("/don-vi/thanh-mien/phan-anh/?qua_han=1").content.decode()
        assert late.subject in only and waiting.subject not in only and due.subject not in only
        assert 'class="overdue"' in only
        # The home-page panel (rendered alone, so that other areas' panels do not matter here).
        from django.template.loader import render_to_string
        from django.test import RequestFactory

        from friendlygov.feedback.selectors import unit_home_panel
        from friendlygov.kit.panels import UNIT_PANELS

        assert UNIT_PANELS["feedback"] is unit_home_panel
        request = RequestFactory().get("/")
        request.user = world.coordinator
        panel = unit_home_panel(request, world.unit)
        assert panel is not None
        html = render_to_string(panel.template, {"p": panel.context})
        assert "1 quá hạn" in html and "?qua_han=1" in html
