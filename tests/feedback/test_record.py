"""Feedback received on paper, by phone, in person or at a meeting, typed in by the coordinator: the same
path as online feedback (code, states, deadlines from the day received), in the page and the API."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from friendlygov.audit.models import AuditEvent
from friendlygov.feedback import selectors, services
from friendlygov.feedback.models import Channel, Feedback, FeedbackContact, FeedbackEvent
from tests.factories import World
from tests.feedback.conftest import PHONE
from tests.feedback.test_api import auth

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 27)  # a Friday
FIELDS: dict[str, Any] = {
    "topic": Feedback.Topic.SERVICE,
    "subject": "Cán bộ một cửa hẹn trả kết quả nhiều lần",
    "content": "Ông Nguyễn Văn A gọi đường dây nóng: hồ sơ đất đai bị hẹn lại ba lần.",
}


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(
        dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False
    ):
        yield


def record(world: World, **overrides: Any) -> Feedback:
    fields = {
        "actor": world.coordinator,
        "unit": world.unit,
        "channel": Channel.PHONE,
        "received_on": TODAY - dt.timedelta(days=3),
        **FIELDS,
    }
    fields.update(overrides)
    return services.record_feedback(**fields)


def test_recorded_feedback_follows_the_online_path_from_the_day_received(world: World) -> None:
    item = record(
        world,
        contact=services.ContactInput(name="Nguyễn Văn A", phone=PHONE),
        consent=True,
    )
    assert item.channel == "phone" and item.received_on == dt.date(2026, 11, 24) and len(item.code) > 6
    assert FeedbackContact.objects.get(feedback=item).phone == PHONE.strip()
    event = FeedbackEvent.objects.get(feedback=item, kind=FeedbackEvent.Kind.SUBMITTED)
    assert event.actor == world.coordinator
    audit = AuditEvent.objects.filter(
        object_type="feedback.feedback", object_id=str(item.pk), action=AuditEvent.Action.CREATE
    ).get()
    assert audit.actor == world.coordinator and audit.changes["channel"] == [None, "phone"]
    # The deadline counts from the day received, not from the day typed in.
    online = services.submit_feedback(unit=world.unit, **FIELDS)
    rows = {row.item.pk: row for row in selectors.feedback_rows(unit=world.unit, filters=selectors.Filters())}
    assert rows[item.pk].status.handle_by < rows[online.pk].status.handle_by


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"channel": "web"}, "channel"),
        ({"channel": "fax"}, "channel"),
        ({"received_on": TODAY + dt.timedelta(days=1)}, "received_on"),
        ({"received_on": TODAY - dt.timedelta(days=services.RECORD_MAX_AGE_DAYS + 1)}, "received_on"),
        ({"contact": services.ContactInput(phone=PHONE), "consent": False}, "consent"),
        ({"subject": "  "}, "subject"),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(world: World, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        record(world, **overrides)
    assert field in error.value.message_dict
    assert (
        not Feedback.objects.exists()
        and not AuditEvent.objects.filter(object_type__contains="feedback").exists()
    )


def test_only_the_coordinator_records_and_another_commune_gets_404(world: World) -> None:
    for user in (world.member, world.users["observer"], world.users["village"]):
        with pytest.raises(PermissionDenied):
            record(world, actor=user)
    with pytest.raises(Http404):
        record(world, actor=world.outsider)
    assert not Feedback.objects.exists()


def test_the_page_records_and_shows_the_code(world: World, client_for: Any) -> None:
    client = client_for(world.coordinator)
    url = "/don-vi/thanh-mien/phan-anh/nhap/"
    assert "Nhập phản ánh nhận trực tiếp" in client.get("/don-vi/thanh-mien/phan-anh/").content.decode()
    page = client.get(url)
    assert page.status_code == 200 and 'value="27/11/2026"' in page.content.decode()
    wrong = client.post(url, {"channel": "paper", "received_on": "2026-11-28", **FIELDS})
    assert wrong.status_code == 200 and "không được sau hôm nay" in wrong.content.decode()
    assert not Feedback.objects.exists()
    done = client.post(url, {"channel": "paper", "received_on": "2026-11-20", **FIELDS}, follow=True)
    item = Feedback.objects.get()
    body = done.content.decode()
    assert item.channel == "paper" and item.received_on == dt.date(2026, 11, 20)
    assert item.code_display in body and "Đơn, thư, văn bản" in body
    assert client_for(world.member).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    assert (
        client_for(world.outsider)
        .post(url, {"channel": "paper", "received_on": "2026-11-20", **FIELDS})
        .status_code
        == 404
    )
    assert Feedback.objects.count() == 1


def test_the_api_records_for_the_coordinator_only(world: World, client: Any) -> None:
    payload = {"channel": "in_person", "received_on": "2026-11-26", **FIELDS}
    url = "/api/feedback/units/thanh-mien/record"
    response = client.post(
        url, json.dumps(payload), content_type="application/json", **auth(world.coordinator)
    )
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "in_person" and response.json()["received_on"] == "2026-11-26"
    bad = client.post(
        url,
        json.dumps({**payload, "channel": "web"}),
        content_type="application/json",
        **auth(world.coordinator),
    )
    assert bad.status_code == 422
    assert (
        client.post(
            url, json.dumps(payload), content_type="application/json", **auth(world.member)
        ).status_code
        == 403
    )
    assert (
        client.post(
            url, json.dumps(payload), content_type="application/json", **auth(world.outsider)
        ).status_code
        == 404
    )
    assert Feedback.objects.count() == 1


def test_typed_in_citizen_words_are_shown_escaped(world: World, client_for: Any) -> None:
    """What a citizen said on paper or by phone is still the citizen's text: escaped on the list, the item
    and the form shown again after an error."""
    script = "<script>alert('x')</script>"
    client = client_for(world.coordinator)
    url = "/don-vi/thanh-mien/phan-anh/nhap/"
    fields = {**FIELDS, "subject": f"Hẹn lại {script}", "content": f"Nội dung {script}"}
    again = client.post(url, {"channel": "paper", "received_on": "2026-11-28", **fields}).content.decode()
    assert script not in again and "&lt;script&gt;" in again
    client.post(url, {"channel": "paper", "received_on": "2026-11-20", **fields})
    item = Feedback.objects.get()
    for page in (
        client.get("/don-vi/thanh-mien/phan-anh/"),
        client.get(f"/don-vi/thanh-mien/phan-anh/{item.pk}/"),
    ):
        body = page.content.decode()
        assert page.status_code == 200 and script not in body and "&lt;script&gt;" in body
