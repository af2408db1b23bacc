"""One answer per form token (a replayed token goes to review, never into the figures), staff entry that
a retry cannot store twice, and the thank-you page's next steps."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from friendlygov.org import services as org_services
from friendlygov.surveys import periods, protection, selectors, services
from friendlygov.surveys.models import FormTokenUse, Questionnaire, Response, SurveyLink
from tests.factories import World
from tests.surveys.conftest import all_items, form_data

JSON = "application/json"


def url(link: SurveyLink) -> str:
    return f"/ks/{link.token}/"


def accepted_in_year(world: World, questionnaire: Questionnaire) -> int:
    year = timezone.localdate().year
    figures = selectors.unit_figures(unit=world.unit, questionnaire=questionnaire, period=periods.year(year))
    return figures.respondents


def opened_token(client: Client, link: SurveyLink) -> str:
    """The form token of the page as a browser (or a script) receives it."""
    page = client.get(url(link)).content.decode()
    found = re.search(r'name="started" value="([^"]+)"', page) or re.search(
        r'value="([^"]+)" name="started"', page
    )
    assert found is not None
    return found.group(1)


# ------------------------------------------------------------------------------------- form tokens


def test_one_token_replayed_twenty_times_counts_once(
    world: World, link: SurveyLink, sipas: Questionnaire
) -> None:
    token = opened_token(Client(), link)
    data = {**form_data(sipas, link, 5), "started": token}
    with_time = timezone.now() + dt.timedelta(seconds=30)  # past the "too fast" limit
    with time_machine.travel(with_time, tick=False):
        statuses = [Client().post(url(link), data, REMOTE_ADDR=f"10.1.0.{n}").status_code for n in range(20)]
    assert statuses == [302] * 20  # every sender is thanked; nothing the citizen typed is thrown away
    rows = list(Response.objects.order_by("pk").values_list("pk", "status", "flag_reason"))
    assert len(rows) == 20
    first_pk, first_status, _reason = rows[0]
    assert first_status == "accepted"
    assert all(status == "flagged" for _pk, status, _r in rows[1:])
    assert all(f"Mã mở phiếu đã được dùng cho phiếu số {first_pk}" in reason for *_x, reason in rows[1:])
    assert accepted_in_year(world, sipas) == 1  # the figures count one answer, not twenty
    assert selectors.flagged_count(world.unit) == 19  # the replays wait in the review queue
    assert FormTokenUse.objects.get().response_id == first_pk


def test_replayed_token_by_the_api_goes_to_review(
    world: World, client: Client, link: SurveyLink, sipas: Questionnaire
) -> None:
    form = client.get(f"/api/surveys/public/{link.token}").json()
    token = form["form_token"]
    assert protection.read_form_token(token, link.token) is not None
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=20), tick=False):
        for _ in range(3):
            sent = client.post(
                f"/api/surveys/public/{link.token}/responses",
                {"answers": {"TC.1": 5}, "form_token": token},
                content_type=JSON,
            )
            assert sent.status_code == 201
    assert list(Response.objects.order_by("pk").values_list("status", flat=True)) == [
        "accepted",
        "flagged",
        "flagged",
    ]
    assert accepted_in_year(world, sipas) == 1


def test_each_opened_form_counts(world: World, link: SurveyLink, sipas: Questionnaire) -> None:
    """Different people (each their own page, their own token) are all counted."""
    for n in range(3):
        response = Client().post(url(link), form_data(sipas, link, 4), REMOTE_ADDR=f"10.2.0.{n}")
        assert response.status_code == 302
    assert list(Response.objects.values_list("status", flat=True)) == ["accepted"] * 3
    assert FormTokenUse.objects.count() == 3


def test_refused_or_invalid_answer_leaves_the_token_usable(
    world: World, link: SurveyLink, sipas: Questionnaire
) -> None:
    client = Client()
    assert client.post(url(link), form_data(sipas, link, 5, receipt="TM-1")).status_code == 302
    data = form_data(sipas, link, 4, receipt="TM-1")
    # The receipt number is taken: refused, and the token of this form is not used up.
    refused = client.post(url(link), data)
    assert refused.status_code == 200 and "đã được đánh giá rồi" in refused.content.decode()
    # Nothing answered: the form comes back, token still unused.
    empty = client.post(url(link), {**data, **{f"i{n}": "" for n in range(len(all_items(sipas)))}})
    assert empty.status_code == 200
    fixed = Client().post(url(link), {**data, "receipt_no": "TM-2"})
    assert fixed.status_code == 302
    assert list(Response.objects.order_by("pk").values_list("status", flat=True)) == ["accepted", "accepted"]


def test_token_without_a_one_use_number_is_flagged(link: SurveyLink, sipas: Questionnaire) -> None:
    """Tokens of the old kind (a time but no one-use number) could be replayed: they go to review."""
    old = signing.dumps(
        {"l": link.token, "t": (timezone.now() - dt.timedelta(seconds=60)).timestamp()},
        salt=protection.FORM_TOKEN_SALT,
        compress=True,
    )
    assert protection.read_form_token(old, link.token) is None
    assert Client().post(url(link), {**form_data(sipas, link, 5), "started": old}).status_code == 302
    saved = Response.objects.get()
    assert saved.status == "flagged" and "thời điểm mở phiếu" in saved.flag_reason


def test_a_use_taken_by_a_simultaneous_post_sends_the_answer_to_review(
    link: SurveyLink, sipas: Questionnaire
) -> None:
    """The use is an insert into a unique column, never "look, then write": whatever post inserts second
    finds the number taken, however close together the two arrive."""
    nonce = "n" * 16
    FormTokenUse.objects.create(nonce=nonce, link=link, used_at=timezone.now())  # the other post won
    answer = services.submit_public_response(
        link=link,
        scale={"TC.1": 5},
        started_at=timezone.now() - dt.timedelta(seconds=30),
        form_nonce=nonce,
    )
    assert answer.status == "flagged" and "Mã mở phiếu đã được dùng" in answer.flag_reason
    with pytest.raises(IntegrityError), transaction.atomic():
        FormTokenUse.objects.create(nonce=nonce, link=link, used_at=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_two_posts_at_once_cannot_both_count(world: World, sipas: Questionnaire) -> None:
    """Real concurrency (PostgreSQL): two transactions post one token at the same moment."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (PostgreSQL)")
    link = services.create_link(actor=world.coordinator, unit=world.unit, questionnaire=sipas, label="Quầy")
    started = timezone.now() - dt.timedelta(seconds=30)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def post() -> None:
        try:
            barrier.wait()
            services.submit_public_response(
                link=link, scale={"TC.1": 5}, started_at=started, form_nonce="same-number-1234"
            )
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(Response.objects.values_list("status", flat=True)) == ["accepted", "flagged"]


# ------------------------------------------------------------------------------------- staff entry


def paper_data(sipas: Questionnaire, **extra: Any) -> dict[str, Any]:
    data = {f"i{n}": "4" for n in range(len(all_items(sipas)))}
    data.update(
        {
            "channel": "paper",
            "submitted_on": timezone.localdate().isoformat(),
            "receipt_no": "",
            "link": "",
            "bang-hoi": str(sipas.pk),
        }
    )
    data.update(extra)
    return data


def test_paper_entry_retried_after_a_dropped_connection_is_stored_once(
    world: World, client_for: Any, sipas: Questionnaire
) -> None:
    client = client_for(world.member)
    entry = f"/don-vi/thanh-mien/khao-sat/nhap-phieu/?bang-hoi={sipas.pk}"
    page = client.get(entry).content.decode()
    key = re.search(r'name="entry_key" value="([^"]+)"', page)
    assert key is not None
    data = paper_data(sipas, entry_key=key.group(1))
    first = client.post(entry, data)
    assert first.status_code == 302
    saved = Response.objects.get()
    again = client.post(entry, data, follow=True)  # the same form, sent again
    assert Response.objects.count() == 1
    assert again.redirect_chain[0][0] == first["Location"]  # lands where the first post led
    html = again.content.decode()
    assert f"Phiếu này đã được lưu trước đó (phiếu số {saved.pk})" in html
    # The page after it carries a new key: the next paper form is stored as a new answer.
    next_key = re.search(r'name="entry_key" value="([^"]+)"', html)
    assert next_key is not None and next_key.group(1) != key.group(1)
    assert client.post(entry, paper_data(sipas, entry_key=next_key.group(1))).status_code == 302
    assert Response.objects.count() == 2
    # Without a key (an old page) nothing changes: each post is stored.
    client.post(entry, paper_data(sipas))
    assert Response.objects.count() == 3


def test_entry_key_fails_closed_under_a_race(world: World, sipas: Questionnaire) -> None:
    first = services.enter_paper_response(
        actor=world.member, unit=world.unit, questionnaire=sipas, scale={"TC.1": 4}, entry_key="khoa-1234"
    )
    with pytest.raises(services.AlreadyEntered) as done:
        services.enter_paper_response(
            actor=world.coordinator,
            unit=world.unit,
            questionnaire=sipas,
            scale={"TC.1": 2},
            entry_key="khoa-1234",
        )
    assert done.value.response == first and Response.objects.count() == 1
    # The database holds the line even if two posts both pass the first look.
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            unit=world.unit,
            questionnaire=sipas,
            questionnaire_version=first.questionnaire_version,
            channel="paper",
            submitted_at=timezone.now(),
            entry_key="khoa-1234",
        )
    # Another unit's key space is its own.
    other = services.enter_paper_response(
        actor=world.outsider, unit=world.other, questionnaire=sipas, scale={"TC.1": 4}, entry_key="khoa-1234"
    )
    assert other.pk != first.pk


def auth(user: Any) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {org_services.create_api_token(actor=user, name='thử')}"}


def test_api_staff_entry_with_idempotency_key(world: World, client: Client, sipas: Questionnaire) -> None:
    payload = {"questionnaire": sipas.pk, "answers": {"TC.1": 5}, "channel": "paper"}
    path = "/api/surveys/units/thanh-mien/responses"
    headers = {**auth(world.member), "HTTP_IDEMPOTENCY_KEY": "may-tinh-1:phieu-0001"}
    created = client.post(path, payload, content_type=JSON, **headers)
    replayed = client.post(path, payload, content_type=JSON, **headers)
    assert (created.status_code, replayed.status_code) == (201, 200)
    assert created.json()["id"] == replayed.json()["id"] and Response.objects.count() == 1
    bad = client.post(path, payload, content_type=JSON, **{**headers, "HTTP_IDEMPOTENCY_KEY": "x y"})
    assert bad.status_code == 422 and "Idempotency-Key" in str(bad.json()["detail"])
    outsider = client.post(
        path,
        payload,
        content_type=JSON,
        **{**auth(world.outsider), "HTTP_IDEMPOTENCY_KEY": "may-tinh-1:phieu-0001"},
    )
    assert outsider.status_code == 404
    schema = client.get("/api/openapi.json").json()
    params = schema["paths"]["/api/surveys/units/{slug}/responses"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in params)


# ------------------------------------------------------------------------------------- thank-you page


def test_thank_you_page_offers_next_steps(world: World, link: SurveyLink, sipas: Questionnaire) -> None:
    other_questionnaire = Questionnaire.objects.get(unit__isnull=True, code="MH-CQTT")
    other = services.create_link(
        actor=world.coordinator, unit=world.unit, questionnaire=other_questionnaire, label="Mô hình"
    )
    closed = services.create_link(
        actor=world.coordinator,
        unit=world.unit,
        questionnaire=Questionnaire.objects.get(unit__isnull=True, code="MC-TTPV"),
        label="Đã đóng",
        is_active=False,
    )
    html = Client().get(f"/ks/{link.token}/cam-on/").content.decode()
    assert "/cong-khai/thanh-mien/" in html  # the unit's public page
    assert "/phan-anh/thanh-mien/gui/" in html  # send feedback
    assert "/phan-anh/tra-cuu/" in html  # look feedback up
    assert f"/ks/{other.token}/" in html and other_questionnaire.name in html  # another survey
    assert f"/ks/{closed.token}/" not in html and f'href="/ks/{link.token}/"' not in html
    kiosk = services.create_link(
        actor=world.coordinator, unit=world.unit, questionnaire=sipas, label="Kiosk", channel="kiosk"
    )
    kiosk_html = Client().get(f"/ks/{kiosk.token}/cam-on/").content.decode()
    assert f'href="/ks/{kiosk.token}/"' in kiosk_html and "Phiếu mới cho người tiếp theo" in kiosk_html
