"""Every figure is said once: the self-assessment report, the submission (tờ trình) and the annual report state
the same total ("Tổng điểm …: N điểm", the latest of self, consolidated or appraised, each saying which), the
same level and the same criteria counts as the assessments area's one selector; unscored criteria read "chưa
chấm" (never 0) on the pages, in the documents, in Excel and as null in the API; the communication money of
the annual report is the budget's."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
import time_machine

from friendlygov.assessments import selectors as assessment_selectors
from friendlygov.assessments import services as assessment_services
from friendlygov.assessments.criteria import parsed
from friendlygov.documents import builders
from friendlygov.documents.kinds import common, scores
from friendlygov.documents.models import Kind
from friendlygov.documents.render import render_docx
from friendlygov.operations import selectors as operation_selectors
from friendlygov.operations import services as operation_services
from friendlygov.operations.models import BudgetSource, CommunicationKind
from friendlygov.org import services as org_services
from friendlygov.rules.text import format_vn_number
from tests.factories import World

from .data import make_cycle, make_plan
from .docx_reading import all_paragraphs, open_docx

pytestmark = pytest.mark.django_db

YEAR = 2026
NOW = dt.datetime(YEAR, 12, 10, 9, 0)
DOCUMENTS = (Kind.SELF_ASSESSMENT, Kind.SUBMISSION, Kind.ANNUAL_REPORT)
STAGE_WORDS = {
    "self": "tự chấm",
    "consolidated": "sau khi thống nhất",
    "appraised": "thẩm định",
    "recognised": "thẩm định",
}
# Words that mark draft-only or sample text; none may appear in an official document.
PLACEHOLDERS = ("giả định", "số liệu mẫu", "chưa quét", "dữ liệu mẫu", "TODO", "lorem")

TOTAL = re.compile(r"Tổng điểm (tự chấm|sau khi thống nhất|thẩm định): ([\d.,]+) điểm, tương ứng ([^;.(]+)")
COUNTS = re.compile(
    r"Đã chấm (\d+)/(\d+) tiêu chí: (\d+) tiêu chí đạt điểm tối đa, (\d+) tiêu chí chưa đạt điểm tối đa, "
    r"(\d+) tiêu chí chưa chấm"
)


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def document_text(kind: str, unit: Any, year: int) -> str:
    built = builders.build(kind, unit, year, common.Options())
    document = open_docx(render_docx(built.document))
    seen: list[str] = []
    for paragraph in all_paragraphs(document):  # table cells repeat when merged: each text once per cell
        if paragraph.text.strip():
            seen.append(paragraph.text)
    return "\n".join(seen)


def vn(value: Decimal) -> str:
    return format_vn_number(value, 2, trim_zeros=True)


def check_consistent(unit: Any, year: int) -> dict[str, str]:
    """Render the three documents, extract every figure they share and compare them with one another and
    with the assessments area's selectors. Returns the texts."""
    cycle = assessment_selectors.get_cycle(unit, year)
    assert cycle is not None
    standing = assessment_selectors.current_standing(cycle)
    counts = assessment_selectors.criteria_counts(
        assessment_selectors.load_cycle_data(cycle), standing.column
    )
    level = standing.level_name.lower() if standing.level_name else "chưa đạt chuẩn"
    expected_total = (STAGE_WORDS[standing.stage], vn(standing.total), level)
    expected_counts = tuple(
        str(n)
        for n in (
            counts.scored,
            counts.criteria,
            counts.at_maximum_count,
            counts.below_maximum_count,
            counts.unscored_count,
        )
    )
    assert counts.scored == counts.at_maximum_count + counts.below_maximum_count
    assert counts.criteria == counts.scored + counts.unscored_count
    texts = {kind: document_text(kind, unit, year) for kind in DOCUMENTS}
    for kind, text in texts.items():
        totals = {(stage, number, said.strip()) for stage, number, said in TOTAL.findall(text)}
        assert totals == {expected_total}, (kind, totals)
        assert set(COUNTS.findall(text)) == {expected_counts}, kind
        for word in PLACEHOLDERS:
            assert word.lower() not in text.lower(), (kind, word)
        assert "đạt 0/" not in text, kind
    report = texts[Kind.SELF_ASSESSMENT]
    assert f"Có {counts.at_maximum_count}/{counts.criteria} tiêu chí đạt điểm tối đa;" in report
    weaknesses = [line for line in report.splitlines() if line.startswith("- Tiêu chí ")]
    assert len([w for w in weaknesses if w.rstrip(".;").endswith(": chưa chấm")]) == counts.unscored_count
    assert len(
        [w for w in weaknesses if re.search(r": đạt [\d,]+/[\d,]+ điểm, thiếu [\d,]+ điểm[.;]$", w)]
    ) == (counts.below_maximum_count)
    summary = assessment_selectors.cycle_summary(unit=unit, year=year)
    assert summary is not None
    if summary.target_reached:  # the registered level is proposed, never another
        registered = summary.target_level_name.lower()
        assert (
            f"đề nghị công nhận xã Thanh Miện đạt chuẩn “Chính quyền thân thiện” {registered} năm {year}"
            in (texts[Kind.SUBMISSION])
        )
    else:
        assert "đề nghị công nhận" not in texts[Kind.SUBMISSION]
    return texts


def partial_cycle(world: World, stage: str) -> Any:
    """Thanh Miện's cycle with some criteria at their maximum, some below it and some not scored, taken as
    far as ``stage``: "self", "consolidated" (a value settled), "submitted", "appraised" or "recognised"."""
    cycle = make_cycle(world, YEAR, until="registered")
    cs = parsed(cycle.criteria_set)

    def kind(leaf: Any) -> str:
        return str(getattr(leaf, "kind", None) or leaf.input or "points")

    # the smallest criterion is left unscored and the next smallest points one is scored at half, so that
    # the total still reaches a level (a level is needed to appraise and recognise)
    leaves = sorted(
        (leaf for leaf in cs.leaves() if not leaf.source and not leaf.bonus), key=lambda x: x.max_points
    )
    unscored = leaves[0]
    halved, settled = [leaf for leaf in leaves[1:] if kind(leaf) == "points"][:2]
    for leaf in cs.leaves():
        if leaf is unscored or leaf.source in ("city.par_index", "survey.sipas"):
            continue  # unscored; no published figure in these tests
        ticked = None
        if kind(leaf) == "checklist":
            value, ticked = "", list(range(len(leaf.items or [])))
        elif kind(leaf) == "boolean":
            value = "có"
        elif kind(leaf) == "ratio":
            value = "100%"
        else:
            value = str(leaf.max_points / 2 if leaf is halved else leaf.max_points).replace(".", ",")
        if leaf.source:  # measured, but no records here: the unit's own figure, with the reason
            assessment_services.override_measured(
                actor=world.coordinator,
                cycle=cycle,
                criterion_code=leaf.code,
                value=value,
                ticked=ticked,
                reason="Số liệu tổng hợp của bộ phận chuyên môn.",
            )
            continue
        assessment_services.save_score(
            actor=world.coordinator, cycle=cycle, criterion_code=leaf.code, value=value, ticked=ticked
        )
    for condition in cs.conditions:
        assessment_services.save_score(
            actor=world.coordinator, cycle=cycle, criterion_code=condition.code, value="có"
        )
    if stage == "self":
        return cycle
    assessment_services.settle_score(
        actor=world.coordinator,
        cycle=cycle,
        criterion_code=settled.code,
        value=str(settled.max_points - 1).replace(".", ","),
        reason="Thống nhất với Ủy ban MTTQ xã",
    )
    if stage == "consolidated":
        return cycle
    cycle = assessment_services.submit_cycle(actor=world.leader, cycle=cycle, acknowledge_issues=True)
    if stage == "submitted":
        return cycle
    cycle = assessment_services.finish_appraisal(actor=world.reviewer, cycle=cycle)
    if stage == "appraised":
        return cycle
    level = assessment_selectors.load_cycle_data(cycle).result("appraised").level
    assessment_services.recognise(
        actor=world.reviewer,
        cycle=cycle,
        decision_number="123/QĐ-UBND",
        decision_date=dt.date(YEAR, 12, 8),
        signer="Chủ tịch UBND thành phố",
        level_code=level.code if level else "1",
    )
    return cycle


@pytest.mark.parametrize("stage", ["self", "consolidated", "submitted", "appraised", "recognised"])
def test_the_three_documents_state_the_same_total_level_and_counts(
    world: World, frozen: Any, stage: str, client_for: Any
) -> None:
    make_plan(world)
    cycle = partial_cycle(world, stage)
    texts = check_consistent(world.unit, YEAR)
    # the pages state the same total: the home panel and the yearly results page
    standing = assessment_selectors.current_standing(cycle)
    client = client_for(world.coordinator)
    home = client.get("/don-vi/thanh-mien/").content.decode()
    assert re.search(
        r'id="current-standing">[^<]*<strong>' + re.escape(vn(standing.total)) + "</strong>", home
    )
    yearly = client.get(f"/don-vi/thanh-mien/hoat-dong/ket-qua-nam/?nam={YEAR}").content.decode()
    assert f'<span data-figure="yearly-total">{vn(standing.total)}</span>' in yearly
    expected = {
        "self": "Tổng điểm tự chấm:",
        "consolidated": "Tổng điểm sau khi thống nhất:",
        "submitted": "Tổng điểm sau khi thống nhất:",
        "appraised": "Tổng điểm thẩm định:",
        "recognised": "Tổng điểm thẩm định:",
    }[stage]
    assert all(expected in text for text in texts.values())
    if stage == "recognised":
        assert all("đã được công nhận đạt chuẩn" in text for text in texts.values())


def test_an_unscored_criterion_reads_not_scored_everywhere(
    world: World, frozen: Any, client_for: Any
) -> None:
    cycle = partial_cycle(world, "self")
    data = assessment_selectors.load_cycle_data(cycle)
    counts = assessment_selectors.criteria_counts(data, "self")
    code = next(c for c in counts.unscored if not data.node(c).source)  # type: ignore[union-attr]
    name = data.node(code).name  # type: ignore[union-attr]
    row = next(r for r in assessment_selectors.criterion_rows(data) if r.code == code)
    assert row.points == {"self": None, "consolidated": None, "appraised": None}

    # the criterion list page
    page = client_for(world.coordinator).get(f"/don-vi/thanh-mien/danh-gia/{YEAR}/").content.decode()
    cells = re.search(rf'<tr[^>]*data-code="{re.escape(code)}"[^>]*>(.*?)</tr>', page, re.S)
    assert cells is not None
    assert "chưa chấm" in cells[1] and "<strong>0</strong>" not in cells[1]

    # the criterion's own page
    detail = client_for(world.coordinator).get(f"/don-vi/thanh-mien/danh-gia/{YEAR}/tieu-chi/{code}/")
    values = re.search(r'<tr data-column="self">(.*?)</tr>', detail.content.decode(), re.S)
    assert values is not None and "chưa chấm" in values[1]

    # the self-assessment report: its weakness list and its scoring table
    report = document_text(Kind.SELF_ASSESSMENT, world.unit, YEAR)
    assert f"Tiêu chí {code} - {name}: chưa chấm" in report
    assert f"{name}: đạt 0/" not in report
    built = builders.build(Kind.SELF_ASSESSMENT, world.unit, YEAR)
    table = next(
        r for r in built.data["tieu_chi"] if r["ma"] == code
    )  # the template data say it the same way
    assert (table["tu_cham"], table["thong_nhat"]) == ("chưa chấm", "chưa chấm")

    # Excel: the value says so, the points cell is empty (not 0)
    response = client_for(world.coordinator).get(f"/don-vi/thanh-mien/danh-gia/{YEAR}/bang-diem.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    excel = next(r for r in sheet.iter_rows(values_only=True) if r[1] == code)  # after STT
    assert excel[5] == "chưa chấm" and excel[6] in (None, "")

    # the documents' scoring workbook: "chưa chấm" in the points cells, the totals still add up
    from friendlygov.documents import excel

    scored = scores.scores(world.unit, YEAR)
    assert scored is not None
    book = openpyxl.load_workbook(io.BytesIO(excel.scoring_workbook(world.unit, YEAR, scored))).active
    assert book is not None
    cells = next(r for r in book.iter_rows(values_only=True) if r[0] == code)
    assert (cells[3], cells[4]) == ("chưa chấm", "chưa chấm")

    # the API: null, not 0
    token = org_services.create_api_token(actor=world.users["observer"], name="kiểm thử")
    tree = client_for(world.users["observer"]).get(
        f"/api/assessments/units/thanh-mien/cycles/{YEAR}/tree", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    node = next(n for n in tree.json() if n["code"] == code)
    assert node["points"] == {"self": None, "consolidated": None, "appraised": None}


def _operations(world: World, *, panels: bool) -> None:
    tasks = {t.number: t for t in make_plan(world).tasks.all()}
    activities = []
    for days, kind, place, cost in (
        (300, CommunicationKind.SLOGAN_PANEL, "Cổng trụ sở UBND xã", 12_000_000),
        (295, CommunicationKind.SLOGAN_PANEL, "Trung tâm Phục vụ hành chính công xã", 6_500_000),
        (170, CommunicationKind.CULTURAL_EVENT, "Sân vận động xã", 9_000_000),
        (45, CommunicationKind.BRIEFING, "Hội trường UBND xã", 1_200_000),
    ):
        if kind == CommunicationKind.SLOGAN_PANEL and not panels:
            continue
        activities.append(
            operation_services.record_activity(
                actor=world.coordinator,
                unit=world.unit,
                kind=kind,
                title=f"Hoạt động tại {place}",
                held_on=NOW.date() - dt.timedelta(days=days),
                place=place,
                body=world.bodies["VHXH"],
                reach=100,
                cost=cost,  # what the recorder typed: not the budget's figure
                task=tasks.get("1"),
            )
        )
    line = operation_services.add_budget_line(
        actor=world.coordinator,
        unit=world.unit,
        year=YEAR,
        title="Làm pano, khẩu hiệu",
        activity_kind=CommunicationKind.SLOGAN_PANEL,
        source=BudgetSource.STATE_COMMUNE,
        estimated=25_000_000,
        approved=20_000_000,
    )
    operation_services.add_budget_line(
        actor=world.coordinator,
        unit=world.unit,
        year=YEAR,
        title="Khen thưởng",
        source=BudgetSource.STATE_COMMUNE,
        estimated=6_000_000,
        approved=6_000_000,
    )
    if panels:
        operation_services.record_spending(
            actor=world.coordinator,
            line=line,
            spent_on=NOW.date() - dt.timedelta(days=290),
            amount=18_500_000,
            description="Thanh toán hợp đồng làm pano",
            activity=activities[0],
        )


def test_annual_report_states_the_budget_s_communication_money_and_the_panels(
    world: World, frozen: Any
) -> None:
    _operations(world, panels=True)
    budget = operation_selectors.budget_figures(unit=world.unit, year=YEAR)
    communication = operation_selectors.communication_figures(unit=world.unit, year=YEAR)
    assert communication["cost"] == budget["communication"]["spent"] == 18_500_000
    text = document_text(Kind.ANNUAL_REPORT, world.unit, YEAR)
    stated = re.findall(r"kinh phí đã chi cho công tác tuyên truyền: ([\d.]+) đồng", text)
    assert stated == ["18.500.000"]
    # the budget section refers to that figure instead of stating it a second time
    assert "Trong đó, chi cho công tác thông tin, tuyên truyền" not in text
    spent = re.findall(r"Đã chi: ([\d.]+) đồng", text)
    assert spent == ["18.500.000"]
    assert "toàn bộ cho công tác thông tin, tuyên truyền (chi tiết tại mục 2)" in text
    # the activities' typed costs (28.700.000 in all) are not a second figure of the report
    assert "28.700.000" not in text and "27.700.000" not in text
    panels = next(line for line in text.splitlines() if "pano, khẩu hiệu tuyên truyền" in line)
    assert panels == (
        "Năm 2026, đã xây dựng 2 pano, khẩu hiệu tuyên truyền tại cổng trụ sở UBND xã và trung tâm Phục vụ "
        "hành chính công xã, kinh phí đã chi 18.500.000 đồng."
    )
    assert "chưa ghi nhận pano" not in text


def test_annual_report_says_no_panels_only_when_none_are_recorded(world: World, frozen: Any) -> None:
    _operations(world, panels=False)
    text = document_text(Kind.ANNUAL_REPORT, world.unit, YEAR)
    assert "Năm 2026, chưa ghi nhận pano, khẩu hiệu tuyên truyền nào được xây dựng." in text
    assert "kinh phí đã chi cho công tác tuyên truyền: 0 đồng" in text
