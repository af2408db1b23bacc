"""The answers outside the scale on the figures page: choices counted, the latest texts, the Excel sheets."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from friendlygov.org.models import Unit
from friendlygov.surveys import periods, selectors, services
from friendlygov.surveys.models import Answer, OtherAnswer, Questionnaire, QuestionnaireVersion, Response
from friendlygov.tallies import services as tallies
from tests.factories import World

ZONE = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=ZONE)
IN_PERIOD = dt.datetime(2026, 3, 1, 9, 0, tzinfo=ZONE)
DIRECT = "Trực tiếp tại Trung tâm Phục vụ hành chính công"
ONLINE = "Trực tuyến trên Cổng dịch vụ công"
POST = "Qua dịch vụ bưu chính"
FASTER = "Rút ngắn thời gian giải quyết"
SIMPLER = "Đơn giản hóa thủ tục, giấy tờ"


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def answer(
    unit: Unit,
    questionnaire: Questionnaire,
    other: dict[str, tuple[str, list[str]]],
    *,
    when: dt.datetime = IN_PERIOD,
    status: str = Response.Status.ACCEPTED,
) -> Response:
    response = Response.objects.create(
        unit=unit,
        questionnaire=questionnaire,
        questionnaire_version=questionnaire.current_version(),
        channel=Response.Channel.PAPER,
        submitted_at=when,
        status=status,
        receipt_no=None,
    )
    Answer.objects.create(response=response, item="TC.1", value=4)
    OtherAnswer.objects.bulk_create(
        OtherAnswer(response=response, question=code, text=text, choices=chosen)
        for code, (text, chosen) in other.items()
    )
    if status == Response.Status.ACCEPTED:
        tallies.count_response(response=response, sign=1)
    return response


def seed(world: World, sipas: Questionnaire, repeat: int = 1) -> None:
    """Per repeat: 4 accepted answers of the period, plus noise that must not count."""
    for n in range(repeat):
        answer(world.unit, sipas, {"HINHTHUC": ("", [DIRECT]), "NHUCAU": ("", [FASTER, SIMPLER])})
        answer(
            world.unit,
            sipas,
            {"HINHTHUC": ("", [DIRECT]), "NHUCAU": ("Thêm ghế chờ", [FASTER]), "GOPY": (f"Tốt lắm {n}", [])},
        )
        answer(world.unit, sipas, {"HINHTHUC": ("", [ONLINE]), "GOPY": ("<b>Cảm ơn</b>", [])})
        answer(world.unit, sipas, {})
        # Not counted: flagged, rejected, another period, another commune.
        answer(
            world.unit,
            sipas,
            {"HINHTHUC": ("", [POST]), "NHUCAU": ("GẮN CỜ", [SIMPLER]), "GOPY": ("GẮN CỜ", [])},
            status=Response.Status.FLAGGED,
        )
        answer(world.unit, sipas, {"HINHTHUC": ("", [POST])}, status=Response.Status.REJECTED)
        answer(
            world.unit,
            sipas,
            {"HINHTHUC": ("", [POST]), "GOPY": ("NĂM TRƯỚC", [])},
            when=dt.datetime(2025, 12, 31, 23, 0, tzinfo=ZONE),
        )
        answer(world.other, sipas, {"HINHTHUC": ("", [POST]), "GOPY": ("XÃ KHÁC", [])})


def summaries(
    world: World, questionnaire: Questionnaire, version: QuestionnaireVersion | None = None
) -> dict[str, selectors.QuestionSummary]:
    found = selectors.other_question_summaries(
        unit=world.unit,
        questionnaire=questionnaire,
        period=periods.year(2026),
        version=version or questionnaire.current_version(),
    )
    return {s.code: s for s in found}


def test_counts_and_shares(world: World, sipas: Questionnaire) -> None:
    seed(world, sipas)
    found = summaries(world, sipas)
    single = found["HINHTHUC"]
    assert single.answered == 3
    assert [(c.label, c.count, c.share) for c in single.choices] == [
        (DIRECT, 2, Decimal("66.67")),
        (ONLINE, 1, Decimal("33.33")),
        (POST, 0, Decimal("0.00")),  # flagged, rejected, last year's and the neighbour's never count
    ]
    needs = found["NHUCAU"]
    assert needs.answered == 2
    counts = {c.label: (c.count, c.share) for c in needs.choices}
    assert counts[FASTER] == (2, Decimal("100.00")) and counts[SIMPLER] == (1, Decimal("50.00"))
    assert needs.text_count == 1 and [t.text for t in needs.latest] == ["Thêm ghế chờ"]
    text = found["GOPY"]
    assert text.text_count == 2 and not text.choices
    assert sorted(t.text for t in text.latest) == ["<b>Cảm ơn</b>", "Tốt lắm 0"]


def test_multiple_choice_of_an_own_questionnaire(world: World) -> None:
    template = Questionnaire.objects.get(unit__isnull=True, code="MH-CQTT")
    own = services.copy_questionnaire(actor=world.coordinator, source=template, unit=world.unit)
    options = next(q for q in own.current_version().definition["questions"] if q["code"] == "BIET")["choices"]
    answer(world.unit, own, {"BIET": ("", [options[0], options[1]])})
    answer(world.unit, own, {"BIET": ("", [options[0]])})
    answer(world.unit, own, {"BIET": ("", ["Lựa chọn cũ"])})
    answer(world.unit, own, {"BIET": ("", [options[1]])}, status=Response.Status.FLAGGED)
    biet = summaries(world, own)["BIET"]
    assert biet.answered == 3
    counts = {c.label: (c.count, c.share, c.retired) for c in biet.choices}
    assert counts[options[0]] == (2, Decimal("66.67"), False)
    assert counts[options[1]] == (1, Decimal("33.33"), False)
    assert counts["Lựa chọn cũ"] == (1, Decimal("33.33"), True)


def test_only_the_latest_texts_are_shown(world: World, sipas: Questionnaire) -> None:
    for n in range(selectors.LATEST_TEXTS + 5):
        answer(world.unit, sipas, {"GOPY": (f"Ý kiến {n}", [])}, when=IN_PERIOD + dt.timedelta(hours=n))
    text = summaries(world, sipas)["GOPY"]
    assert text.text_count == selectors.LATEST_TEXTS + 5
    assert [t.text for t in text.latest] == [f"Ý kiến {n}" for n in range(24, 4, -1)]


def test_queries_do_not_grow_with_answers(world: World, sipas: Questionnaire, client_for: Any) -> None:
    client = client_for(world.coordinator)
    url = f"/don-vi/thanh-mien/khao-sat/?bang-hoi={sipas.pk}&ky=nam&nam=2026"
    version = sipas.current_version()
    seed(world, sipas, repeat=1)
    client.get(url)  # warm caches (session, navigation)
    with CaptureQueriesContext(connection) as few_selector:
        summaries(world, sipas, version)
    with CaptureQueriesContext(connection) as few_page:
        assert client.get(url).status_code == 200
    seed(world, sipas, repeat=8)
    with CaptureQueriesContext(connection) as many_selector:
        summaries(world, sipas, version)
    with CaptureQueriesContext(connection) as many_page:
        assert client.get(url).status_code == 200
    assert len(many_selector.captured_queries) == len(few_selector.captured_queries) <= 4
    assert len(many_page.captured_queries) == len(few_page.captured_queries)


def test_page_shows_the_summary_escaped(world: World, sipas: Questionnaire, client_for: Any) -> None:
    seed(world, sipas)
    response = client_for(world.users["observer"]).get(
        f"/don-vi/thanh-mien/khao-sat/?bang-hoi={sipas.pk}&ky=nam&nam=2026"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="question-HINHTHUC"' in html and DIRECT in html
    assert "66,67%" in html or "66,7%" in html
    assert "&lt;b&gt;Cảm ơn&lt;/b&gt;" in html and "<b>Cảm ơn</b>" not in html
    for hidden in ("GẮN CỜ", "NĂM TRƯỚC", "XÃ KHÁC"):
        assert hidden not in html


def test_outsider_gets_404(world: World, sipas: Questionnaire, client_for: Any) -> None:
    seed(world, sipas)
    client = client_for(world.outsider)
    query = f"?bang-hoi={sipas.pk}&ky=nam&nam=2026"
    assert client.get(f"/don-vi/thanh-mien/khao-sat/{query}").status_code == 404
    assert client.get(f"/don-vi/thanh-mien/khao-sat/bao-cao.xlsx{query}").status_code == 404


def test_excel_export_has_all_texts(world: World, sipas: Questionnaire, client_for: Any) -> None:
    seed(world, sipas)
    for n in range(selectors.LATEST_TEXTS + 3):
        answer(world.unit, sipas, {"GOPY": (f"Ý kiến {n}", [])})
    answer(world.unit, sipas, {"GOPY": ('=HYPERLINK("http://x")', [])})
    response = client_for(world.users["observer"]).get(
        f"/don-vi/thanh-mien/khao-sat/bao-cao.xlsx?bang-hoi={sipas.pk}&ky=nam&nam=2026"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    texts = [row for row in book["Ý kiến"].iter_rows(min_row=4, values_only=True)]
    assert {row[1] for row in texts} == {"NHUCAU", "GOPY"}  # after STT
    gopy = [row[4] for row in texts if row[1] == "GOPY"]
    assert len(gopy) == 2 + selectors.LATEST_TEXTS + 3 + 1
    assert '\'=HYPERLINK("http://x")' in gopy  # a citizen's text never becomes a formula
    assert not any(str(row[4]).startswith(("GẮN CỜ", "NĂM TRƯỚC", "XÃ KHÁC")) for row in texts)
    choices = {
        (row[1], row[3]): row[4:6] for row in book["Câu hỏi lựa chọn"].iter_rows(min_row=4, values_only=True)
    }
    assert choices[("HINHTHUC", DIRECT)] == (2, pytest.approx(66.67))
