"""Staff entry retried after a dropped connection is stored once: the form's key (page) or the
``Idempotency-Key`` header (API)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction

from friendlygov.feedback import services
from friendlygov.feedback.models import Channel, Feedback
from tests.factories import World
from tests.feedback.test_api import auth

pytestmark = pytest.mark.django_db

FIELDS: dict[str, Any] = {
    "topic": Feedback.Topic.SERVICE,
    "subject": "Cán bộ một cửa hẹn trả kết quả nhiều lần",
    "content": "Ông Nguyễn Văn A gọi đường dây nóng: hồ sơ đất đai bị hẹn lại ba lần.",
}
URL = "/don-vi/thanh-mien/phan-anh/nhap/"


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(
        dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False
    ):
        yield


def test_the_page_stores_a_retried_form_once(world: World, client_for: Any) -> None:
    client = client_for(world.coordinator)
    page = client.get(URL).content.decode()
    key = re.search(r'name="entry_key" value="([^"]+)"', page)
    assert key is not None
    data = {"channel": "paper", "received_on": "2026-11-20", "entry_key": key.group(1), **FIELDS}
    first = client.post(URL, data)
    assert first.status_code == 302
    item = Feedback.objects.get()
    again = client.post(URL, data, follow=True)  # the connection dropped; the browser sends it again
    assert Feedback.objects.count() == 1
    assert again.redirect_chain[0][0] == first["Location"]  # the same result page
    assert (
        f"Phản ánh này đã được ghi nhận trước đó (mã tra cứu {item.code_display})" in again.content.decode()
    )
    # A new form (a new key) records the next letter.
    fresh = re.search(r'name="entry_key" value="([^"]+)"', client.get(URL).content.decode())
    assert fresh is not None and fresh.group(1) != key.group(1)
    assert client.post(URL, {**data, "entry_key": fresh.group(1)}).status_code == 302
    assert Feedback.objects.count() == 2
    # An error keeps the key, so the corrected form is still one form.
    wrong = client.post(URL, {**data, "entry_key": "sua-loi-12345", "received_on": "2026-11-28"})
    assert wrong.status_code == 200 and 'value="sua-loi-12345"' in wrong.content.decode()
    assert client.post(URL, {**data, "entry_key": "sua-loi-12345"}).status_code == 302
    assert client.post(URL, {**data, "entry_key": "sua-loi-12345"}).status_code == 302
    assert Feedback.objects.count() == 3
    assert client_for(world.outsider).post(URL, data).status_code == 404


def test_the_service_and_the_database_hold_the_line(world: World) -> None:
    fields = {
        "actor": world.coordinator,
        "unit": world.unit,
        "channel": Channel.PHONE,
        "received_on": dt.date(2026, 11, 26),
        **FIELDS,
    }
    first = services.record_feedback(**fields, entry_key="khoa-1234")
    with pytest.raises(services.AlreadyRecorded) as done:
        services.record_feedback(**fields, entry_key="khoa-1234")
    assert done.value.feedback == first and Feedback.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(
            unit=world.unit,
            code="ZZZZZZZZZZ",
            topic="other",
            subject="x" * 10,
            content="y" * 20,
            state=first.state,
            received_on=dt.date(2026, 11, 26),
            entry_key="khoa-1234",
        )
    other = services.record_feedback(
        **{**fields, "actor": world.outsider, "unit": world.other}, entry_key="khoa-1234"
    )
    assert other.pk != first.pk  # each unit has its own keys


def test_the_api_takes_an_idempotency_key(world: World, client: Any) -> None:
    url = "/api/feedback/units/thanh-mien/record"
    body = json.dumps({"channel": "in_person", "received_on": "2026-11-26", **FIELDS})
    headers = {**auth(world.coordinator), "HTTP_IDEMPOTENCY_KEY": "so-tiep-dan:2026-0042"}
    created = client.post(url, body, content_type="application/json", **headers)
    replayed = client.post(url, body, content_type="application/json", **headers)
    assert (created.status_code, replayed.status_code) == (201, 200), replayed.content
    assert created.json()["id"] == replayed.json()["id"] and Feedback.objects.count() == 1
    bad = client.post(url, body, content_type="application/json", **{**headers, "HTTP_IDEMPOTENCY_KEY": "?"})
    assert bad.status_code == 422 and "Idempotency-Key" in bad.content.decode()
    outsider = client.post(
        url,
        body,
        content_type="application/json",
        **{**auth(world.outsider), "HTTP_IDEMPOTENCY_KEY": "so-tiep-dan:2026-0042"},
    )
    assert outsider.status_code == 404 and Feedback.objects.count() == 1
