"""The plan document is faithful to the seed plan (Thanh Miện's Kế hoạch 2026–2030): section III.1 lists the
texts to publicise as the seed does (not the plan's legal bases), and every objective of section II reads as the
seed writes it. The seed's sentences are quoted below verbatim."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from friendlygov.documents import builders
from friendlygov.documents.kinds import common
from friendlygov.documents.models import Kind
from friendlygov.documents.render import render_docx

from .data import make_plan
from .docx_reading import open_docx

# Section III.1, first item, as the seed has it.
SEED_III_1 = (
    "- Tăng cường công tác tuyên truyền, quán triệt, triển khai thực hiện có hiệu quả các văn bản về Chính quyền "
    "thân thiện, trọng tâm là: Đề án số 04-ĐA/TU ngày 14/01/2026 của Thành ủy Hải Phòng, Nghị quyết số 05-NQ/TU "
    "ngày 14/01/2026 của Ban Chấp hành Đảng bộ thành phố về xây dựng mô hình chủ nghĩa xã hội gắn với con người xã "
    "hội chủ nghĩa tại thành phố Hải Phòng giai đoạn 2026-2030 và những năm tiếp theo, Nghị quyết số 05-NQ/ĐU ngày "
    "20/3/2026 của Đảng ủy Ủy ban nhân dân thành phố về nâng cao chất lượng, hiệu quả thực hiện công tác dân vận "
    "của chính quyền tại Đảng bộ Ủy ban nhân dân thành phố giai đoạn 2026-2030, Đề án thực hiện mô hình “Chính "
    "quyền thân thiện” tại xã, xã, đặc khu, Quyết định số 5049/QĐ-UBND ngày 11/12/2025 của Ủy ban nhân dân thành "
    "phố ban hành Bộ tiêu chí, Bảng thang điểm và quy trình xét công nhận “Chính quyền thân thiện” cấp xã trên địa "
    "bàn thành phố Hải Phòng."
)
# Section II as the seed has it. Objective 1 is the seed's sentence without its typing slip ("tại các tất cả
# các"), generated from the plan's first year and the unit.
SEED_OBJECTIVES = [
    "1. Kế hoạch được triển khai đồng bộ tại tất cả các cơ quan, đơn vị trên địa bàn xã từ năm 2026.",
    "2. Năm 2026, phấn đấu đạt chuẩn “Chính quyền thân thiện” mức độ 3.",
    "3. Từ năm 2027, phấn đấu nâng mức độ đạt chuẩn “Chính quyền thân thiện”. Phấn đấu đạt chuẩn Mức độ 4 vào "
    "năm 2030.",
]


@pytest.fixture
def plan(world: Any) -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0), tick=False):
        yield make_plan(world)


def _texts(unit: Any) -> list[str]:
    built = builders.build(Kind.PLAN, unit, 2026, common.Options())
    return [p.text for p in open_docx(render_docx(built.document)).paragraphs]


def test_section_iii_1_lists_the_texts_to_publicise_as_the_seed(plan: Any) -> None:
    texts = _texts(plan.unit)
    start = texts.index("1. Công tác thông tin, tuyên truyền")
    assert texts[start + 1] == SEED_III_1
    # the legal basis (Kế hoạch 119) opens the plan, it is not a text section III.1 centres on
    assert "119/KH-UBND" not in texts[start + 1]


def test_every_objective_reads_as_in_the_seed(plan: Any) -> None:
    texts = _texts(plan.unit)
    start = texts.index("II. MỤC TIÊU")
    end = texts.index("III. NỘI DUNG")
    assert texts[start + 1 : end] == SEED_OBJECTIVES


def test_without_texts_to_publicise_the_sentence_stands_alone(plan: Any) -> None:
    from friendlygov.plans import services

    services.update_plan(
        actor=plan.created_by, plan=plan, expected_version=plan.version, communication_texts=[]
    )
    texts = _texts(plan.unit)
    assert (
        "- Tăng cường công tác tuyên truyền, quán triệt, triển khai thực hiện có hiệu quả các văn bản về Chính "
        "quyền thân thiện." in texts
    )


def test_years_apart_with_the_same_note_stay_two_objectives(plan: Any) -> None:
    from friendlygov.plans import services
    from friendlygov.plans.parsing import parse_targets

    services.update_plan(
        actor=plan.created_by,
        plan=plan,
        expected_version=plan.version,
        targets=parse_targets("2026: 3 — Giữ mức độ 3\n2027: 4\n2028: 3 — Giữ mức độ 3"),
    )
    texts = _texts(plan.unit)
    start = texts.index("II. MỤC TIÊU")
    assert texts[start + 2 : start + 5] == [
        "2. Giữ mức độ 3.",
        "3. Năm 2027, phấn đấu đạt chuẩn “Chính quyền thân thiện” mức độ 4.",
        "4. Giữ mức độ 3.",
    ]
