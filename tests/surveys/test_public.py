"""The public page: answering without an account, and the protections against stuffing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from friendlygov.kit import ratelimit
from friendlygov.surveys import protection, selectors, services
from friendlygov.surveys.models import OtherAnswer, Questionnaire, Response, SurveyLink
from tests.factories import World
from tests.surveys.conftest import all_items, form_data, submit


def url(link: SurveyLink) -> str:
    return f"/ks/{link.token}/"


def test_page_is_light_accessible_and_sets_a_device_cookie(
    client: Client, link: SurveyLink, sipas: Questionnaire
) -> None:
    response = client.get(url(link))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html  # no JavaScript needed
    assert html.count("<fieldset") >= len(all_items(sipas)) and "<legend>" in html
    assert 'for="id_i0_0"' in html and "Rất hài lòng" in html
    assert "Số biên nhận hồ sơ" in html
    assert 'name="website"' in html and 'class="hp"' in html  # the honeypot, hidden by CSS
    assert protection.DEVICE_COOKIE in response.cookies
    assert len(html.encode()) < 40_000


def test_answer_then_thank_you(client: Client, link: SurveyLink, sipas: Questionnaire) -> None:
    client.get(url(link))
    response = client.post(url(link), form_data(sipas, link, 5, receipt="tm 0001"))
    assert response.status_code == 302 and response["Location"] == f"/ks/{link.token}/cam-on/"
    saved = Response.objects.get()
    assert (saved.status, saved.receipt_no, saved.channel) == ("accepted", "TM0001", "online")
    assert saved.answers.count() == len(all_items(sipas))
    assert saved.device_hash and saved.ip_hash and "127.0.0.1" not in saved.ip_hash
    thanks = client.get(response["Location"]).content.decode()
    assert "Xin cảm ơn ông/bà!" in thanks


def test_second_answer_with_same_receipt_is_refused_politely(
    client: Client, link: SurveyLink, sipas: Questionnaire
) -> None:
    assert client.post(url(link), form_data(sipas, link, 5, receipt="TM-0001")).status_code == 302
    other = Client()
    again = other.post(url(link), form_data(sipas, link, 1, receipt=" tm-0001 "))
    assert again.status_code == 200
    html = again.content.decode()
    assert "Hồ sơ có số biên nhận TM-0001 đã được đánh giá rồi" in html and "Xin cảm ơn" in html
    assert Response.objects.count() == 1
    # The same receipt number is fine for another unit.
    assert selectors.flagged_count(link.unit) == 0


def test_required_receipt(client: Client, world: World, sipas: Questionnaire) -> None:
    link = services.create_link(
        actor=world.coordinator, unit=world.unit, questionnaire=sipas, label="Kiosk", receipt_mode="required"
    )
    html = client.post(url(link), form_data(sipas, link, 4)).content.decode()
    assert "Xin nhập số biên nhận hồ sơ" in html and Response.objects.count() == 0


def test_at_least_one_answer(client: Client, link: SurveyLink, sipas: Questionnaire) -> None:
    html = client.post(url(link), form_data(sipas, link, {})).content.decode()
    assert "Xin trả lời ít nhất một câu" in html and Response.objects.count() == 0


def test_honeypot_is_flagged_and_excluded_until_accepted(
    client: Client, link: SurveyLink, sipas: Questionnaire, world: World
) -> None:
    assert client.post(url(link), form_data(sipas, link, 1, honeypot="http://spam")).status_code == 302
    saved = Response.objects.get()
    assert saved.status == "flagged" and "Ô ẩn" in saved.flag_reason
    year = saved.submitted_at.year
    from friendlygov.surveys import periods

    figures = selectors.unit_figures(unit=world.unit, questionnaire=sipas, period=periods.year(year))
    assert (figures.respondents, figures.result.overall, figures.flagged) == (0, None, 1)
    services.review_response(actor=world.coordinator, response=saved, decision="accept")
    figures = selectors.unit_figures(unit=world.unit, questionnaire=sipas, period=periods.year(year))
    assert (figures.respondents, figures.result.overall, figures.flagged) == (1, Decimal("0.00"), 0)


def test_too_fast_and_missing_token_are_flagged(
    client: Client, link: SurveyLink, sipas: Questionnaire
) -> None:
    client.post(url(link), form_data(sipas, link, 5, seconds_ago=1))
    client.post(url(link), {**form_data(sipas, link, 5), "started": "forged"})
    reasons = list(Response.objects.order_by("pk").values_list("status", "flag_reason"))
    assert reasons[0][0] == "flagged" and "Gửi quá nhanh" in reasons[0][1]
    assert reasons[1][0] == "flagged" and "thời điểm mở phiếu" in reasons[1][1]


def test_repeated_device_is_flagged_but_not_on_kiosks(
    world: World, link: SurveyLink, sipas: Questionnaire
) -> None:
    first = submit(link, {"TC.1": 5}, device_token="d" * 32)
    second = submit(link, {"TC.1": 5}, device_token="d" * 32)
    other_device = submit(link, {"TC.1": 5}, device_token="e" * 32)
    assert (first.status, second.status, other_device.status) == ("accepted", "flagged", "accepted")
    assert "Thiết bị này" in second.flag_reason
    kiosk = services.create_link(
        actor=world.coordinator, unit=world.unit, questionnaire=sipas, label="Kiosk", channel="kiosk"
    )
    a = submit(kiosk, {"TC.1": 5}, device_token="k" * 32)
    b = submit(kiosk, {"TC.1": 4}, device_token="k" * 32)
    assert (a.status, b.status, b.channel) == ("accepted", "accepted", "kiosk")


def test_burst_from_one_address_is_throttled_without_losing_accepted_answers(
    link: SurveyLink, sipas: Questionnaire, settings: object
) -> None:
    settings.SURVEYS_RATE_LIMITS = [(5, 60), (50, 3600)]  # type: ignore[attr-defined]
    statuses = []
    for n in range(9):
        response = Client().post(
            url(link), form_data(sipas, link, 4, receipt=f"B{n}"), REMOTE_ADDR="10.0.0.7"
        )
        statuses.append(response.status_code)
    assert statuses == [302] * 5 + [429] * 4
    throttled = Client().post(url(link), form_data(sipas, link, 4, receipt="B99"), REMOTE_ADDR="10.0.0.7")
    assert (
        throttled.status_code == 429
        and "Các phiếu đã gửi thành công trước đó vẫn được ghi nhận" in throttled.content.decode()
    )
    assert Response.objects.filter(status="accepted").count() == 5  # the accepted ones are all kept
    # Another address is not affected.
    assert (
        Client().post(url(link), form_data(sipas, link, 4, receipt="C1"), REMOTE_ADDR="10.0.0.8").status_code
        == 302
    )
    assert Response.objects.count() == 6


def test_proxy_header_only_when_configured(settings: object, rf: object) -> None:
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")  # type: ignore[attr-defined]
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"  # type: ignore[attr-defined]
    assert ratelimit.client_address(request) == "5.6.7.8"


def test_citizen_text_is_escaped_on_the_review_page(
    client: Client, client_for: object, world: World, sipas: Questionnaire
) -> None:
    link = services.create_link(
        actor=world.coordinator, unit=world.unit, questionnaire=sipas, label="<b>Điểm</b>"
    )
    data = form_data(sipas, link, 5, honeypot="x")
    text_field = next(
        f"q{n}" for n, q in enumerate(sipas.current_version().definition["questions"]) if q["type"] == "text"
    )
    data[text_field] = "<script>alert('x')</script> Rất tốt"
    Client().post(url(link), data)
    assert OtherAnswer.objects.get().text.startswith("<script>")
    html = client_for(world.coordinator).get("/don-vi/thanh-mien/khao-sat/can-xem-xet/").content.decode()  # type: ignore[operator]
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Rất tốt" in html
    assert "&lt;b&gt;Điểm&lt;/b&gt;" in html


def test_closed_and_unknown_links(client: Client, world: World, link: SurveyLink) -> None:
    assert client.get("/ks/khong-co/").status_code == 404
    assert "Không tìm thấy phiếu khảo sát" in client.get("/ks/khong-co/").content.decode()
    services.update_link(actor=world.coordinator, link=link, expected_version=link.version, is_active=False)
    response = client.get(url(link))
    assert "hiện không nhận phiếu" in response.content.decode()


def test_other_questions_are_stored(client: Client, link: SurveyLink, sipas: Questionnaire) -> None:
    questions = sipas.current_version().definition["questions"]
    data = form_data(sipas, link, 4)
    for n, q in enumerate(questions):
        if q["type"] == "single":
            data[f"q{n}"] = q["choices"][0]
        elif q["type"] == "needs":
            data[f"q{n}"] = q["choices"][:2]
            data[f"q{n}_text"] = "Thêm chỗ để xe"
    assert client.post(url(link), data).status_code == 302
    stored = {o.question: (o.text, o.choices) for o in OtherAnswer.objects.all()}
    assert stored["HINHTHUC"] == ("", [questions[0]["choices"][0]])
    assert stored["NHUCAU"] == ("Thêm chỗ để xe", questions[1]["choices"][:2])


@pytest.mark.parametrize("value", ["6", "x"])
def test_invalid_scale_value(client: Client, link: SurveyLink, sipas: Questionnaire, value: str) -> None:
    data = form_data(sipas, link, 4)
    data["i0"] = value
    response = client.post(url(link), data)
    assert response.status_code == 200 and Response.objects.count() == 0
