"""Documents drawn up while the interface is English are still all Vietnamese (they are official texts);
the messages about them follow the reader's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from friendlygov.documents import pdf, services
from friendlygov.documents.models import Kind
from friendlygov.operations import services as operations
from friendlygov.operations.models import CommunicationKind, Shortfall
from friendlygov.plans.models import CycleEvent

from .data import make_plan
from .docx_reading import all_paragraphs, open_docx
from .test_views import page_url, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def active(world: Any) -> Iterator[Any]:
    """Thanh Miện's plan and a year of work whose labels the annual report repeats (a kind of activity,
    the status of a shortfall)."""
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0), tick=False):
        make_plan(world)
        operations.record_activity(
            actor=world.coordinator,
            unit=world.unit,
            kind=CommunicationKind.BRIEFING,
            title="Hội nghị quán triệt Kế hoạch",
            held_on=dt.date(2026, 3, 10),
            place="Hội trường UBND xã",
            body=world.bodies["VHXH"],
            reach=120,
            cost=0,
        )
        operations.record_shortfall(
            actor=world.coordinator,
            unit=world.unit,
            year=2026,
            body=world.bodies["TN"],
            reason="Chậm báo cáo",
            noted_on=dt.date(2026, 6, 1),
        )
        yield world


def _texts(content: bytes) -> list[str]:
    return [p.text for p in all_paragraphs(open_docx(content)) if p.text.strip()]


def test_the_annual_report_drawn_up_in_english_is_the_vietnamese_one(active: Any) -> None:
    def draft() -> list[str]:
        return _texts(
            services.render_document(
                actor=active.coordinator, unit=active.unit, kind=Kind.ANNUAL_REPORT, year=2026
            ).content
        )

    vietnamese = draft()
    with translation.override("en"):
        english_interface = draft()
    assert english_interface == vietnamese
    briefing = str(CommunicationKind.BRIEFING.label)  # the label as Vietnamese (the test's default language)
    assert f"- {briefing}: 1 hoạt động, 120 lượt người." in vietnamese
    status = str(Shortfall.Status.OPEN.label).lower()
    assert any(f"Chậm báo cáo ({status})" in t for t in vietnamese)


def test_the_cycle_event_of_a_document_issued_in_english_is_labelled_in_vietnamese(active: Any) -> None:
    with translation.override("en"):
        services.render_document(
            actor=active.coordinator,
            unit=active.unit,
            kind=Kind.ANNUAL_REPORT,
            year=2026,
            number=7,
            issued_on=dt.date(2026, 11, 20),
        )
    event = CycleEvent.objects.get(source__startswith="documents.issued:")
    assert event.label == "Báo cáo kết quả thực hiện năm số 07/BC-UBND ngày 20/11/2026"


def test_problems_with_a_document_are_told_in_english(active: Any) -> None:
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            services.render_document(actor=None, unit=active.unit, kind="review", year=2028)
        # the document is built in Vietnamese; its problem is told when shown, in the reader's language
        assert error.value.message_dict == {
            "year": [
                "Year 2028: the mid-term review report is drawn up only for 2027, the final review report for 2030."
            ]
        }
    services.render_document(
        actor=None, unit=active.unit, kind="plan", year=2026, number=3, issued_on=dt.date(2026, 3, 2)
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.render_document(
            actor=None,
            unit=active.unit,
            kind="annual-report",
            year=2026,
            number=3,
            issued_on=dt.date(2026, 5, 2),
        )
    assert error.value.message_dict["number"][0].startswith(
        "Number 03 is already used for document 03/KH-UBND of 02/03/2026 (implementation plan) by "
    )


def test_the_document_page_lists_problems_in_english(active: Any, client_for: Any) -> None:
    client = client_for(active.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(f"{page_url(active)}du-thao/", post("review", "draft", year="2028"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "the mid-term review report is drawn up only for 2027" in body


def test_pdf_problems_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pdf.SOFFICE_ENV, "/nonexistent/soffice")
    with (
        translation.override("en"),
        pytest.raises(pdf.SofficeNotFoundError, match="LibreOffice is not installed"),
    ):
        pdf.docx_to_pdf(b"PK")
