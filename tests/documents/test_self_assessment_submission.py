"""The self-assessment report and the tờ trình read back as a clerk and a city reviewer would: no provisional
text, counts and totals that add up and equal the selectors', every criterion of the set in the appendix,
strengths and gaps drawn from the data, and a tờ trình that proposes the registered level only when the
current standing reaches it — with the leader warned before it is made (page, API, command line)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pytest
import time_machine
from django.urls import reverse
from docx.document import Document

from friendlygov.assessments import selectors as assessment_selectors
from friendlygov.assessments import services as assessment_services
from friendlygov.assessments.criteria import parsed, tree_rows
from friendlygov.documents import builders, services
from friendlygov.documents.kinds import common
from friendlygov.documents.models import Kind
from friendlygov.documents.render import render_docx
from friendlygov.rules.text import format_vn_number

from .data import make_cycle, make_plan
from .docx_reading import all_paragraphs, open_docx

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 10, 9, 0)
PROVISIONAL = ("giả định", "tạm thời", "chưa quét", "dự kiến", "……")


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def built_docx(kind: str, unit: Any, year: int, number: int | None = 12) -> tuple[Any, Document]:
    built = builders.build(kind, unit, year, common.Options(number=number, issued_on=NOW.date()))
    return built, open_docx(render_docx(built.document))


def texts_of(document: Document) -> list[str]:
    return [p.text for p in all_paragraphs(document) if p.text.strip()]


def number(text: str) -> Decimal:
    return Decimal(text.strip("*").replace(".", "").replace(",", "."))


def vn(value: Decimal) -> str:
    return format_vn_number(value, 2, trim_zeros=True)


def check_no_provisional_text(document: Document) -> None:
    for text in texts_of(document):
        for word in PROVISIONAL:
            assert word not in text.lower(), (word, text)


def appendix_rows(document: Document) -> dict[str, list[str]]:
    table = document.tables[-1]
    return {
        row.cells[1].text if not row.cells[0].text else row.cells[0].text: [c.text for c in row.cells]
        for row in table.rows[1:]
    }


def check_totals(
    rows: dict[str, list[str]], group_codes: list[str], bonus_codes: list[str], width: int
) -> None:
    """The rows shown add up: the groups to "Cộng", "Cộng" and the bonus to "Tổng cộng (kể cả điểm thưởng)"
    (each row is rounded to 0,01: the figures may differ by half a hundredth per row)."""
    base = rows["Cộng điểm các nhóm tiêu chí"]
    total = rows["Tổng cộng (kể cả điểm thưởng)"]
    assert sum(number(rows[c][2]) for c in group_codes) == number(base[2]) == Decimal(100)
    assert number(base[2]) + sum(number(rows[c][2]) for c in bonus_codes) == number(total[2])
    for column in range(3, 3 + width):
        shown = [rows[c][column] for c in group_codes]
        added = sum((number(v) for v in shown if v != "chưa chấm"), Decimal(0))
        assert abs(added - number(base[column])) <= Decimal("0.005") * len(shown), (column, added)
        bonus = sum(
            (number(rows[c][column]) for c in bonus_codes if rows[c][column] != "chưa chấm"), Decimal(0)
        )
        assert number(base[column]) + bonus == number(total[column])


# ------------------------------------------------------------------------------- the self-assessment


def test_self_assessment_report_adds_up_and_agrees_with_the_selectors(world: Any, frozen: Any) -> None:
    make_plan(world)
    cycle = make_cycle(world, 2026)
    built, document = built_docx(Kind.SELF_ASSESSMENT, world.unit, 2026)
    check_no_provisional_text(document)
    text = "\n".join(texts_of(document))
    summary = assessment_selectors.cycle_summary(unit=world.unit, year=2026)
    assert summary is not None and summary.counts is not None
    counts = summary.counts
    # one set of criteria, counted once: the same Y everywhere
    assert f"Đã chấm {counts.scored}/{counts.criteria} tiêu chí:" in text
    assert f"Có {counts.at_maximum_count}/{counts.criteria} tiêu chí đạt điểm tối đa" in text
    assert {int(y) for y in re.findall(r"\d+/(\d+) tiêu chí", text)} == {counts.criteria}
    # every criterion and condition of the set in the appendix table
    cs = parsed(cycle.criteria_set)
    rows = appendix_rows(document)
    codes = [row.code for row in tree_rows(cs)]
    assert all(code in rows for code in codes), [c for c in codes if c not in rows]
    assert "5.4" in rows  # the Fatherland Front's participation
    groups = [c.code for c in cs.criteria if not c.bonus]
    bonus = [c.code for c in cs.criteria if c.bonus]
    assert bonus == ["B"]
    check_totals(rows, groups, bonus, width=3)  # self, consolidated, appraised
    # the body's group table numbers the groups as the appendix does, and adds up the same way
    body = document.tables[1]
    body_rows = {r.cells[0].text or r.cells[1].text: [c.text for c in r.cells] for r in body.rows[1:]}
    assert [r for r in body_rows if r in codes] == [*groups, *bonus]
    check_totals(body_rows, groups, bonus, width=3)
    assert body_rows["Tổng cộng (kể cả điểm thưởng)"][5] == vn(summary.current_total)
    # strengths and gaps: several lines each, from the data
    lines = [t for t in texts_of(document)]
    strengths = lines[lines.index("1. Ưu điểm") + 1 : lines.index("2. Tồn tại, hạn chế")]
    gaps = lines[lines.index("2. Tồn tại, hạn chế") + 1 : lines.index("IV. ĐỀ XUẤT, KIẾN NGHỊ")]
    assert len(strengths) >= 3 and len(gaps) >= 3
    assert any(s.startswith("- Nhóm 5 - ") and "5.4" in s for s in strengths)
    assert any(
        g.startswith("- Tổng điểm thẩm định") and "chưa đạt mức đăng ký (mức độ 3, từ 90 điểm)" in g
        for g in gaps
    )
    assert any("tiêu chí đã chấm có minh chứng kèm theo" in s for s in strengths)
    assert (
        len([g for g in gaps if ", thiếu " in g and g.startswith("- Tiêu chí ")])
        == counts.below_maximum_count
    )
    assert built.data["so_tieu_chi"] == counts.criteria


def test_unscored_criteria_and_paper_evidence(world: Any, frozen: Any) -> None:
    make_plan(world)
    cycle = make_cycle(world, 2026, until="scored")
    assessment_services.attach_evidence(
        actor=world.coordinator,
        cycle=cycle,
        criterion_code="5.4",
        note="Biên bản chấm điểm chung (bản giấy, chưa quét)",
    )
    built, document = built_docx(Kind.SELF_ASSESSMENT, world.unit, 2026, number=None)
    summary = assessment_selectors.cycle_summary(unit=world.unit, year=2026)
    assert summary is not None and summary.counts is not None and summary.counts.unscored
    text = "\n".join(texts_of(document))
    assert "đạt 0/" not in text
    rows = appendix_rows(document)
    for code in summary.counts.unscored:
        assert rows[code][3] == "chưa chấm"
        assert re.search(rf"- Tiêu chí {re.escape(code)} - .*: chưa chấm[.;]", text)
    assert rows["5.4"][-1] == "- Biên bản chấm điểm chung (bản giấy)"
    for word in ("giả định", "tạm thời", "chưa quét"):
        assert word not in text.lower()
    # a draft keeps its blanks for the number and date, nothing else is left dotted
    dotted = [t for t in texts_of(document) if "……" in t or "....." in t]
    assert all(t.startswith("Số: .....") or "ngày ....." in t for t in dotted), dotted
    check_totals(rows, ["1", "2", "3", "4", "5"], ["B"], width=2)  # not appraised: two columns


# ------------------------------------------------------------------------------------------ tờ trình


def test_submission_proposes_the_registered_level_when_the_standing_reaches_it(
    world: Any, frozen: Any
) -> None:
    make_plan(world)
    make_cycle(world, 2026, target="2")  # appraised 89: mức độ 2 reached
    built, document = built_docx(Kind.SUBMISSION, world.unit, 2026)
    check_no_provisional_text(document)
    texts = texts_of(document)
    assert (
        "Về việc đề nghị công nhận xã Thanh Miện đạt chuẩn “Chính quyền thân thiện” mức độ 2 năm 2026"
        in texts
    )
    assert any(
        "xem xét, công nhận xã Thanh Miện đạt chuẩn “Chính quyền thân thiện” mức độ 2 năm 2026." in t
        for t in texts
    )
    assert "Kính trình Ủy ban nhân dân thành phố Hải Phòng xem xét, quyết định./." in texts
    assert built.warnings == []
    assert built.data["de_nghi_cong_nhan"] is True and built.data["muc_de_nghi"] == "Mức độ 2"


def test_submission_reports_when_the_standing_falls_short(world: Any, frozen: Any) -> None:
    make_plan(world)
    make_cycle(world, 2026)  # registered mức độ 3, appraised 89
    built, document = built_docx(Kind.SUBMISSION, world.unit, 2026)
    check_no_provisional_text(document)
    texts = texts_of(document)
    text = "\n".join(texts)
    assert (
        "Về kết quả tự đánh giá, chấm điểm mô hình “Chính quyền thân thiện” năm 2026 của xã Thanh Miện"
        in texts
    )
    assert "đề nghị công nhận" not in text and "quyết định./." not in text
    assert "chưa đạt mức đăng ký (mức độ 3, từ 90 điểm)" in text
    assert built.data["de_nghi_cong_nhan"] is False and built.data["muc_de_nghi"] == ""
    assert built.warnings == [
        "Tổng điểm thẩm định 89 điểm (mức độ 2) chưa đạt mức đăng ký mức độ 3 (từ 90 điểm): tờ trình sẽ báo "
        "cáo kết quả tự đánh giá, không đề nghị công nhận."
    ]
    # the self-assessment report does not propose either
    _, report = built_docx(Kind.SELF_ASSESSMENT, world.unit, 2026)
    assert "công nhận xã Thanh Miện đạt chuẩn" not in "\n".join(texts_of(report))


def test_the_leader_is_warned_before_the_submission_is_made(world: Any, frozen: Any, client_for: Any) -> None:
    make_plan(world)
    make_cycle(world, 2026)
    client = client_for(world.leader)
    url = reverse("documents:unit_documents", kwargs={"slug": world.unit.slug})
    html = client.get(url).content.decode()
    warning = re.search(r'id="canh-bao-submission"[^>]*>(.*?)</div>', html, re.S)
    assert warning is not None and "chưa đạt mức đăng ký mức độ 3" in warning.group(1)
    assert 'name="submission-acknowledge"' in html
    assert 'id="canh-bao-self-assessment"' not in html and 'name="plan-acknowledge"' not in html
    data = {
        "kind_prefix": "submission",
        "action": "draft",
        "submission-kind": "submission",
        "submission-year": "2026",
        "submission-signer_title": "Chủ tịch",
        "submission-signer_name": "Leader",
        "submission-output": "docx",
    }
    refused = client.post(f"{url}du-thao/", data)
    assert refused.status_code == 400
    assert "Hãy đánh dấu ô xác nhận đã đọc lưu ý" in refused.content.decode()
    made = client.post(f"{url}du-thao/", {**data, "submission-acknowledge": "on"})
    assert made.status_code == 200
    assert made["Content-Disposition"].endswith('.docx"')
    # the API: a warnings endpoint before, and the warning with the draft and with the issued record
    slug = world.unit.slug
    before = client.get(f"/api/documents/units/{slug}/warnings?kind=submission&year=2026").json()
    assert before["warnings"] and "chưa đạt mức đăng ký" in before["warnings"][0]
    assert client.get(f"/api/documents/units/{slug}/warnings?kind=plan&year=2026").json()["warnings"] == []
    draft = client.post(
        f"/api/documents/units/{slug}/drafts",
        json.dumps({"kind": "submission", "year": 2026}),
        content_type="application/json",
    )
    assert draft.status_code == 200
    assert unquote(draft["X-Document-Warnings"]) == before["warnings"][0]
    issued = client.post(
        f"/api/documents/units/{slug}/issued",
        json.dumps({"kind": "submission", "year": 2026, "number": 30}),
        content_type="application/json",
    )
    assert issued.status_code == 201 and issued.json()["warnings"] == before["warnings"]
    # another commune's user sees nothing
    outsider = client_for(world.outsider)
    assert outsider.get(f"/api/documents/units/{slug}/warnings?kind=submission&year=2026").status_code == 404


def test_no_warning_when_the_registered_level_is_reached(world: Any, frozen: Any, client_for: Any) -> None:
    make_plan(world)
    make_cycle(world, 2026, target="2")
    html = (
        client_for(world.leader)
        .get(reverse("documents:unit_documents", kwargs={"slug": world.unit.slug}))
        .content.decode()
    )
    assert 'id="canh-bao-submission"' not in html and 'name="submission-acknowledge"' not in html
    rendered = services.render_document(actor=world.leader, unit=world.unit, kind=Kind.SUBMISSION, year=2026)
    assert rendered.warnings == []
