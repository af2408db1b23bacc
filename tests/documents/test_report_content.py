"""The annual report and the reviews read as a clerk would sign them: the gaps of section III come from the
data (the level registered against the total, overdue deadlines, too few survey answers), each figure is the
selector's, the reviews judge only appraised years, give causes, cover leadership, communication, budget and
rewards, keep what the clerk typed, and their proposals agree with the body."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from friendlygov.assessments import selectors as assessment_selectors
from friendlygov.documents import builders
from friendlygov.documents.kinds import common
from friendlygov.documents.models import Kind
from friendlygov.documents.render import render_docx
from friendlygov.operations import services as operation_services
from friendlygov.operations.models import ProgrammeReview
from friendlygov.plans import selectors as plan_selectors
from friendlygov.rules.plan_events import REWARDS_DECIDED
from friendlygov.rules.text import format_vn_number
from friendlygov.surveys import definitions
from friendlygov.surveys import selectors as survey_selectors
from friendlygov.surveys import services as survey_services
from friendlygov.surveys.models import Questionnaire
from tests.factories import World

from .data import make_cycle, make_plan
from .docx_reading import all_paragraphs, open_docx

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 10, 9, 0)


def lines_of(kind: str, unit: Any, year: int) -> list[str]:
    built = builders.build(kind, unit, year, common.Options())
    document = open_docx(render_docx(built.document))
    return [p.text for p in all_paragraphs(document) if p.text.strip()]


def section(lines: list[str], start: str, end_prefix: str) -> list[str]:
    """The lines after the heading ``start`` up to the next heading starting with ``end_prefix``."""
    first = lines.index(start) + 1
    rest = lines[first:]
    stop = next((i for i, line in enumerate(rest) if line.startswith(end_prefix)), len(rest))
    return rest[:stop]


def survey_answers(world: World, count: int, transactions: int) -> None:
    cache.clear()  # the public form's rate limits
    sipas = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    items = definitions.item_codes(sipas.current_version().definition)
    for n in range(count):
        survey_services.enter_paper_response(
            actor=world.coordinator,
            unit=world.unit,
            questionnaire=sipas,
            scale=dict.fromkeys(items, 4),
            submitted_on=NOW.date() - dt.timedelta(days=10 + n),
        )
    survey_services.set_dossier_count(
        actor=world.coordinator,
        unit=world.unit,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        transactions=transactions,
    )


def test_annual_report_lists_the_real_gaps_with_the_selectors_figures(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        make_plan(world)
        make_cycle(world, 2026, until="registered")  # registered level 3, nothing scored yet
        survey_answers(world, count=3, transactions=4000)
        lines = lines_of(Kind.ANNUAL_REPORT, world.unit, 2026)
        overdue = plan_selectors.overdue_dues(unit=world.unit, year=2026)
        sample = survey_selectors.sipas_sample(unit=world.unit, year=2026)
        level = assessment_selectors.level_standing(unit=world.unit, year=2026)
        rewards = plan_selectors.event_task_progress(unit=world.unit, year=2026, kind=REWARDS_DECIDED)
    gaps = section(lines, "III. TỒN TẠI, HẠN CHẾ", "IV. ")
    text = "\n".join(gaps)
    # the registered level against the total, in points
    assert level is not None and level.reached is False and level.points_needed
    needed = format_vn_number(level.points_needed, 2, trim_zeros=True)
    assert f"Chưa đạt mức độ 3 đã đăng ký: tổng điểm tự chấm còn thiếu {needed} điểm" in text
    # every overdue deadline's task, with its days
    assert overdue
    for due in overdue:
        assert f"Nhiệm vụ {due.task.number} “" in text
        assert f"{due.due:%d/%m/%Y}" in text
    single = [d for d in overdue if sum(1 for x in overdue if x.task.pk == d.task.pk) == 1]
    for due in single:
        assert f"quá hạn {due.days_overdue} ngày (hạn {due.due:%d/%m/%Y}" in text
    # too few survey answers for the sample size: the surveys area's figures
    assert sample is not None and sample.reached is False
    assert (sample.respondents, sample.needed) == (3, 364)
    assert "mới đạt 3/364 phiếu theo cỡ mẫu tối thiểu (tính trên 4.000 hồ sơ), còn thiếu 361 phiếu" in text
    # no invented text: each line is one of the gaps above or an operations shortfall
    assert all(
        line.startswith(("- Chưa đạt", "- Còn", "- Nhiệm vụ", "- Số phiếu", "- Các tiêu chí"))
        for line in gaps
    )
    # the reward task's progress is the plans area's
    assert rewards  # task 6 of the seed plan is completed by the reward decision
    for progress in rewards:
        assert any(
            line.startswith(f"- Nhiệm vụ {progress.task.number} của Kế hoạch (khen thưởng") for line in lines
        )
    # the direction answers the gaps, the proposals agree with the difficulties (none here)
    direction = "\n".join(section(lines, "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027", "PHỤ LỤC"))
    assert "Hoàn thành ngay các nhiệm vụ đã quá hạn" in direction and "đủ cỡ mẫu tối thiểu" in direction
    assert section(lines, "IV. KHÓ KHĂN, VƯỚNG MẮC", "V. ") == ["Không có khó khăn, vướng mắc phát sinh."]
    assert section(lines, "V. ĐỀ XUẤT, KIẾN NGHỊ", "VI. ") == ["Không có đề xuất, kiến nghị."]


def test_annual_report_without_gaps_says_so(world: World) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0), tick=False):
        lines = lines_of(Kind.ANNUAL_REPORT, world.unit, 2026)
    assert section(lines, "III. TỒN TẠI, HẠN CHẾ", "IV. ") == [
        "Không có tồn tại, hạn chế phát sinh trong năm."
    ]
    assert not any("quá hạn" in line for line in lines)


def _review(world: World) -> ProgrammeReview:
    """2026 appraised (full marks), 2027 only self-scored, a mid-term review with typed sections."""
    with time_machine.travel(NOW, tick=False):
        make_plan(world)
        make_cycle(world, 2026, until="appraised")
    with time_machine.travel(dt.datetime(2027, 12, 10, 9, 0), tick=False):
        make_cycle(world, 2027, until="scored")
        review = operation_services.open_review(
            actor=world.coordinator, unit=world.unit, kind=ProgrammeReview.Kind.MIDTERM, year=2027
        )
        typed = {
            "results": "Người dân đánh giá cao thái độ phục vụ tại Trung tâm.",
            "proposals": "Đề nghị thành phố hỗ trợ kinh phí số hóa hồ sơ.",
        }
        for s in review.sections.all():
            if s.key in typed:
                operation_services.update_review_section(
                    actor=world.coordinator, section=s, text=typed[s.key], expected_version=s.version
                )
        extra = operation_services.add_review_section(
            actor=world.coordinator, review=review, title="Ý kiến khác"
        )
        operation_services.update_review_section(
            actor=world.coordinator,
            section=extra,
            text="Nội dung riêng của văn thư.",
            expected_version=extra.version,
        )
    return review


def year_rows(kind: str, unit: Any, year: int) -> dict[str, list[str]]:
    built = builders.build(kind, unit, year, common.Options())
    document = open_docx(render_docx(built.document))
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Mục tiêu")
    return {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}


def test_midterm_review_judges_only_appraised_years_and_gives_causes(world: World) -> None:
    _review(world)
    with time_machine.travel(dt.datetime(2027, 12, 10, 9, 0), tick=False):
        rows = year_rows(Kind.REVIEW, world.unit, 2027)
        lines = lines_of(Kind.REVIEW, world.unit, 2027)
    assert rows["2026"][-1] == "Chưa đạt mục tiêu"  # appraised 89 points: level 2 against a target of 3
    assert rows["2027"][-1] == "Chưa thẩm định"  # a self-score only: not a failure, not counted
    assert "(tự chấm)" in rows["2027"][3]
    text = "\n".join(lines)
    counted = "Số năm đạt mục tiêu: 0/1 năm đã có kết quả thẩm định; năm 2027 chưa thẩm định (chưa tính)."
    assert counted in text
    assert "- Năm 2026: kết quả thẩm định chưa đạt mục tiêu mức độ 3;" in lines
    assert not any(
        line.startswith("- Năm 2027: kết quả") or "Năm 2027: chưa đạt mức" in line for line in lines
    )
    for heading in (
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI",
        "II. KẾT QUẢ ĐẠT ĐƯỢC SO VỚI MỤC TIÊU",
        "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
    ):
        assert heading in lines, heading
    for heading in (
        "Công tác thông tin, tuyên truyền",
        "Kinh phí thực hiện",
        "Công tác thi đua, khen thưởng",
    ):
        assert any(re.fullmatch(rf"\d+\. {heading}", line) for line in lines), heading
    causes = section(lines, "2. Nguyên nhân", "IV. ")
    assert causes and all(line.startswith("- ") for line in causes)
    assert any("chưa bảo đảm tiến độ nhiệm vụ" in line for line in causes)
    # the clerk's text is kept, the proposals agree with it
    assert "Người dân đánh giá cao thái độ phục vụ tại Trung tâm." in lines
    assert "Nội dung riêng của văn thư." in lines
    assert any(line.endswith(". Ý KIẾN KHÁC") for line in lines)
    proposals = section(
        lines, next(line for line in lines if line.endswith("ĐỀ XUẤT, KIẾN NGHỊ")), "Nơi nhận"
    )
    assert proposals[0].startswith("Đề nghị thành phố hỗ trợ kinh phí số hóa hồ sơ.")
    assert "Không có đề xuất, kiến nghị." not in text


def test_final_review_years_without_results_are_not_failures(world: World) -> None:
    _review(world)
    with time_machine.travel(dt.datetime(2030, 12, 10, 9, 0), tick=False):
        rows = year_rows(Kind.REVIEW, world.unit, 2030)
        lines = lines_of(Kind.REVIEW, world.unit, 2030)
    assert [rows[str(y)][-1] for y in range(2026, 2031)] == [
        "Chưa đạt mục tiêu",
        "Chưa thẩm định",
        "Chưa có kết quả",
        "Chưa có kết quả",
        "Chưa có kết quả",
    ]
    text = "\n".join(lines)
    counted = (
        "Số năm đạt mục tiêu: 0/1 năm đã có kết quả thẩm định; năm 2027 chưa thẩm định (chưa tính); "
        "năm 2028, 2029, 2030 chưa có kết quả (chưa tính)."
    )
    assert counted in text
    assert not any(re.match(r"- Năm 20(2[7-9]|30): kết quả thẩm định chưa đạt", line) for line in lines)
    assert "Không có đề xuất, kiến nghị." in text or any("Đề nghị" in line for line in lines)
