"""A citizen answers on a phone after scanning the QR code; staff see the new figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from playwright.sync_api import expect

from friendlygov.surveys import definitions, services
from friendlygov.surveys.models import Questionnaire, Response, SurveyLink
from tests.browser.conftest import login
from tests.factories import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def desk(world: World) -> SurveyLink:
    services.ensure_library()
    sipas = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    return services.create_link(
        actor=world.coordinator,
        unit=world.unit,
        questionnaire=sipas,
        label="Bàn tiếp nhận — Trung tâm Phục vụ HCC",
        receipt_mode=SurveyLink.ReceiptMode.OPTIONAL,
    )


def answer_everything(page: Any, link: SurveyLink, level: str) -> None:
    definition = link.questionnaire.current_version().definition
    for element in definition["elements"]:
        for item in element["items"]:
            group = page.get_by_role("group", name=item["text"], exact=True)
            group.get_by_label(level, exact=True).check()


def test_scan_answer_thank_then_same_receipt_refused_and_staff_see_figures(
    world: World, desk: SurveyLink, live_server: Any, phone_page: Any, page: Any
) -> None:
    form_url = f"{live_server.url}/ks/{desk.token}/"
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=True) as traveller:
        phone_page.goto(form_url)  # what the QR code on the desk opens
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
        option = phone_page.locator("label.opt").first.bounding_box()
        assert option is not None and option["height"] >= 44  # big tap targets
        phone_page.get_by_label("Số biên nhận hồ sơ").fill("TM-2026-00123")
        answer_everything(phone_page, desk, "Hài lòng")
        traveller.shift(dt.timedelta(seconds=40))  # a person takes a while to answer
        phone_page.get_by_role("button", name="Gửi phiếu").click()
        phone_page.wait_for_load_state()
        expect(phone_page.get_by_text("Xin cảm ơn ông/bà!")).to_be_visible()
        assert phone_page.url.endswith(f"/ks/{desk.token}/cam-on/")

        # The same dossier again (someone at home with the same receipt): refused politely.
        phone_page.goto(form_url)
        phone_page.get_by_label("Số biên nhận hồ sơ").fill("tm-2026-00123")
        answer_everything(phone_page, desk, "Rất không hài lòng")
        traveller.shift(dt.timedelta(seconds=40))
        phone_page.get_by_role("button", name="Gửi phiếu").click()
        phone_page.wait_for_load_state()
        alert = phone_page.get_by_role("alert").first
        assert "đã được đánh giá rồi" in alert.inner_text()
        assert "Xin cảm ơn" in alert.inner_text()

    assert list(Response.objects.values_list("status", "receipt_no")) == [("accepted", "TM-2026-00123")]

    # Staff see the new figures.
    login(page, live_server, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}/don-vi/thanh-mien/khao-sat/")
    assert page.get_by_test_id("respondents").inner_text() == "1"
    assert page.get_by_test_id("overall").inner_text() == "100,00%"
    items = len(definitions.item_codes(desk.questionnaire.current_version().definition))
    assert page.locator("table.data tbody tr").count() >= items
