"""The operations area in the English interface: the services' messages, the import's row errors and the
yearly page are English; what is kept for later (audit notes, notifications, a review's frozen figures)
stays Vietnamese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from friendlygov.audit.models import AuditEvent
from friendlygov.notifications.models import Notification
from friendlygov.operations import services
from friendlygov.operations.models import CommunicationKind, ProgrammeReview, VoteChoice
from tests.factories import World
from tests.operations.conftest import activity, xlsx_bytes
from tests.operations.test_rewards import council, nominate, vote

IN_2027 = dt.datetime(2027, 6, 10, 9, 0, tzinfo=dt.UTC)


def _english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_activity_errors_name_the_field_in_english(world: World) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        activity(world, kind="banner", title="", place="", reach=-3, held_on=dt.date(2026, 12, 24))
    assert error.value.message_dict == {
        "kind": ["Communication channel «banner» is not valid."],
        "title": ["Please enter the message."],
        "held_on": ["Date must not be after today (20/11/2026)."],
        "place": ["Please enter the place or channel."],
        "reach": ["People reached must not be negative."],
    }


def test_the_same_errors_stay_vietnamese_by_default(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        activity(world, title="")
    assert error.value.message_dict == {"title": ["Chưa nhập nội dung tuyên truyền."]}


def test_review_and_council_errors_in_english(world: World) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.open_review(actor=world.coordinator, unit=world.unit, kind="midterm")
    assert error.value.message_dict["year"] == [
        "It is not 2027 yet: the mid-term review can be opened from 2027."
    ]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.hold_council_meeting(
            actor=world.coordinator,
            unit=world.unit,
            year=2026,
            held_on=dt.date(2026, 11, 15),
            members=[("Lê Anh Tuấn", "Chủ tịch")],
            nominations=[nominate(world)],
        )
    assert error.value.message_dict["members"] == [
        "The council needs at least 3 members (one a line: «Full name — position»)."
    ]


def test_household_import_rows_in_english(world: World, client_for: Any) -> None:
    data = xlsx_bytes(
        [
            ["Chủ hộ", "Thôn", "Gia đình văn hóa", "Năm", "Địa chỉ"],
            ["", "Tháp Ngạn", "có", 2026, ""],
            ["Trần Văn Bảo", "Thôn Không Có", "có", 2026, ""],
            ["Lê Thị Chi", "Hòa Bình", "đạt chuẩn?", 2026, ""],
        ]
    )
    client = _english(client_for(world.coordinator))
    response = client.post(
        "/don-vi/thanh-mien/hoat-dong/thon/ho-gia-dinh/nhap/", {"file": SimpleUploadedFile("hgd.xlsx", data)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "Row 2, column «Chủ hộ»: must not be empty.",
        "Row 3, column «Thôn»: there is no village «Thôn Không Có» in Xã Thanh Miện.",
        "Row 4, column «Gia đình văn hóa»: write «có» or «không» (it says «đạt chuẩn?»).",
    ):
        assert message in page, message
    assert "không được để trống" not in page


def test_yearly_page_names_what_has_no_figures_in_english(world: World, client_for: Any) -> None:
    page = _english(client_for(world.users["observer"])).get(
        "/don-vi/thanh-mien/hoat-dong/ket-qua-nam/?nam=2026"
    )
    body = page.content.decode()
    assert "SIPAS survey" in body and "Progress of the plan&#x27;s tasks" in body and "no data yet" in body
    assert "Khảo sát SIPAS" not in body and "chưa có số liệu" not in body


def test_what_is_kept_stays_vietnamese_when_the_reader_uses_english(world: World, people: Any) -> None:
    with translation.override("en"):
        n1 = nominate(world)
        meeting = council(world, [n1])
        vote(world, meeting, n1, [VoteChoice.FOR, VoteChoice.FOR, VoteChoice.FOR, VoteChoice.ABSENT])
        services.request_signature(
            actor=people["office"],
            unit=world.unit,
            title="Tờ trình khen thưởng",
            document_kind="submission",
            link="https://vanban.example.vn/1",
        )
    note = AuditEvent.objects.filter(object_type="operations.nomination", action="transition").get().note
    assert "Lê Anh Tuấn: Đồng ý" in note and "Hoàng Văn Bình: Vắng mặt" in note
    notice = Notification.objects.get(user=world.leader)
    assert notice.body == "Tờ trình trình ký."


def test_a_review_completed_in_english_freezes_vietnamese_figures(world: World) -> None:
    activity(world, held_on=dt.date(2026, 5, 1), kind=CommunicationKind.BRIEFING)
    with time_machine.travel(IN_2027, tick=False):
        review = services.open_review(actor=world.coordinator, unit=world.unit, kind="midterm")
        ProgrammeReview.objects.filter(pk=review.pk).update(from_year=2026)
        for section in review.sections.all():
            services.update_review_section(
                actor=world.coordinator, section=section, text="Đã viết.", expected_version=section.version
            )
        review.refresh_from_db()
        with translation.override("en"):
            services.complete_review(actor=world.coordinator, review=review, expected_version=review.version)
    review.refresh_from_db()
    first = review.snapshot["years"][0]
    assert [q["label"] for q in first["communication"]["by_quarter"]] == [
        "Quý I",
        "Quý II",
        "Quý III",
        "Quý IV",
    ]
    assert first["communication"]["by_kind"][0]["label"] == str(CommunicationKind.choices[0][1])
    with translation.override("vi"):
        assert "Khảo sát SIPAS" in first["missing"]
