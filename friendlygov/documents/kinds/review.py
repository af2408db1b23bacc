"""The mid-term (2027) and final (2030) reviews (Báo cáo sơ kết / tổng kết)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from friendlygov.documents import sources
from friendlygov.documents.kinds.annual_report import money, obstacle_texts, practice_lines
from friendlygov.documents.kinds.common import (
    MODEL,
    NO_DATA,
    REVIEW_YEARS,
    Built,
    DocumentDataError,
    Options,
    base_document,
    bullets,
    committee,
    count,
    data_problem,
    figure_text,
    lower_first,
    percent,
    plan_reference,
    points,
    text_blocks,
)
from friendlygov.documents.models import Kind
from friendlygov.documents.render import (
    Block,
    Heading,
    Paragraph,
    Table,
)
from friendlygov.org.models import Unit


@dataclass
class ReviewRow:
    year: int
    target: str
    registered: str
    total: str
    basis: str
    recognised: str
    verdict: str


def review_rows(unit: Unit, plan: Any, year: int) -> list[ReviewRow]:
    """Each year of the plan up to ``year`` against its target (the assessments area's path, else the plan)."""
    first = plan.start_year if plan is not None else year
    path = {row.year: row for row in (sources.path_across_years(unit) or []) if first <= row.year <= year}
    rows = []
    for current in range(first, year + 1):
        row = path.get(current)
        target = sources.target_level(unit, current)
        if row is not None:
            verdict = {True: "Đạt mục tiêu", False: "Chưa đạt mục tiêu"}.get(row.on_track, "Chưa có kết quả")
            rows.append(
                ReviewRow(
                    year=current,
                    target=row.target_name or (f"Mức độ {target}" if target else NO_DATA),
                    registered=row.registered or "—",
                    total=points(row.total) if row.total is not None else "—",
                    basis=row.basis or "",
                    recognised=row.recognised or "—",
                    verdict=verdict,
                )
            )
        else:
            rows.append(
                ReviewRow(
                    year=current,
                    target=f"Mức độ {target}" if target else NO_DATA,
                    registered="—",
                    total="—",
                    basis="",
                    recognised="—",
                    verdict="Chưa có kết quả",
                )
            )
    return rows


def build_review(unit: Unit, year: int, options: Options) -> Built:
    stage = REVIEW_YEARS.get(year)
    if stage is None:
        raise DocumentDataError(
            {
                "year": data_problem(
                    gettext_lazy(
                        "Năm %(y)s: báo cáo sơ kết chỉ lập cho năm 2027, báo cáo tổng kết cho năm 2030."
                    ),
                    y=year,
                )
            }
        )
    plan = sources.plan_for_year(unit, year)
    first = plan.start_year if plan is not None else year
    period = f"{first}\u00a0-\u00a0{year}"  # no line break inside the period
    rows = review_rows(unit, plan, year)
    reference = plan_reference(unit, plan, year)
    what = "sơ kết" if stage == "mid" else "tổng kết"
    span = f"{year - first + 1:02d} năm" if stage == "mid" else "giai đoạn"
    body: list[Block] = []
    intro = f"{committee(unit)} báo cáo {what} {span} thực hiện mô hình {MODEL} ({period}) như sau:"
    body.append(Paragraph(f"Thực hiện {reference}, {lower_first(intro)}" if reference else intro))
    body.append(Heading(1, "Kết quả đạt được so với mục tiêu"))
    body.append(Heading(2, "Mức đạt chuẩn từng năm so với mục tiêu của Kế hoạch"))
    body.append(
        Table(
            columns=["Năm", "Mục tiêu", "Mức đăng ký", "Tổng điểm", "Mức được công nhận", "So với mục tiêu"],
            rows=[
                [
                    str(r.year),
                    r.target,
                    r.registered,
                    f"{r.total}" + (f"\n({r.basis})" if r.basis else ""),
                    r.recognised,
                    r.verdict,
                ]
                for r in rows
            ],
            widths=[15, 28, 28, 26, 34, 34],
            align=["center", "center", "center", "center", "center", "center"],
            font_size=12,
        )
    )
    achieved = sum(1 for r in rows if r.verdict == "Đạt mục tiêu")
    body.append(Paragraph(f"Số năm đạt mục tiêu: {achieved}/{len(rows)}."))
    body.append(Heading(2, "Thực hiện các nhiệm vụ của Kế hoạch"))
    lines = []
    for current in range(first, year + 1):
        figure = sources.task_completion(unit, current)
        lines.append(f"Năm {current}: {figure_text(figure)}")
    body += bullets(lines)
    body.append(Heading(2, "Sự hài lòng của người dân"))
    body += bullets(
        [
            f"Năm {current}: {figure_text(sources.sipas_figure(unit, current))}"
            for current in range(first, year + 1)
        ]
    )
    body.append(Heading(2, "Tiếp nhận, xử lý phản ánh, kiến nghị"))
    feedback_lines = []
    for current in range(first, year + 1):
        figures = sources.feedback_figures(unit, current)
        if figures is None:
            feedback_lines.append(f"Năm {current}: {NO_DATA}")
        else:
            on_time = figures.get("on_time") or {}
            feedback_lines.append(
                f"Năm {current}: tiếp nhận {count(figures.get('received'))}, xử lý đúng hạn "
                f"{percent(on_time.get('percent'))}"
            )
    body += bullets(feedback_lines)
    extra = sources.review_data(unit, year) or {}
    written = {str(x.get("key")): str(x.get("text") or "") for x in extra.get("sections") or []}
    if written.get("results", "").strip():
        body.append(Heading(2, "Kết quả nổi bật"))
        body += text_blocks(written["results"])
    totals = extra.get("totals") or {}
    total_lines = []
    communication = totals.get("communication") or {}
    if communication.get("count"):
        total_lines.append(
            f"Tổ chức {count(communication['count'])} hoạt động tuyên truyền, tiếp cận khoảng "
            f"{count(communication.get('reach'))} lượt người, kinh phí {money(communication.get('cost'))}"
        )
    budget = totals.get("budget") or {}
    if budget.get("approved") or budget.get("spent"):
        total_lines.append(
            f"Kinh phí được phê duyệt {money(budget.get('approved'))}, đã chi {money(budget.get('spent'))}"
        )
    rewards = totals.get("rewards") or {}
    if rewards.get("nominations"):
        total_lines.append(
            f"Đề nghị khen thưởng {count(rewards['nominations'])} tập thể, cá nhân; đã khen thưởng "
            f"{count(rewards.get('awarded'))}"
        )
    if total_lines:
        body.append(Heading(2, f"Tổng hợp cả giai đoạn {period}"))
        body += bullets(total_lines)
    good = practice_lines(sources.good_practices(unit))
    if good:
        body.append(Heading(2, "Cách làm hay, mô hình hiệu quả"))
        body += bullets(good)
    body.append(Heading(1, "Tồn tại, hạn chế và nguyên nhân"))
    shortfalls = [
        f"Năm {r.year}: chưa đạt mục tiêu {r.target.lower()}"
        for r in rows
        if r.verdict == "Chưa đạt mục tiêu"
    ]
    for current in range(first, year + 1):
        shortfalls += obstacle_texts(unit, current)[0]
    limitation_blocks = text_blocks(written.get("limitations", ""))
    if shortfalls:
        body += bullets(shortfalls)
    body += limitation_blocks
    if not shortfalls and not limitation_blocks:
        body.append(Paragraph("Không có tồn tại, hạn chế lớn."))
    if written.get("lessons", "").strip():
        body.append(Heading(1, "Bài học kinh nghiệm"))
        body += text_blocks(written["lessons"])
    body.append(Heading(1, "Phương hướng, nhiệm vụ"))
    if written.get("tasks_ahead", "").strip():
        body += text_blocks(written["tasks_ahead"])
    elif stage == "mid":
        next_targets = [
            f"năm {y}: mức độ {t}" for y in range(year + 1, 2031) if (t := sources.target_level(unit, y))
        ]
        body.append(
            Paragraph(
                f"Tiếp tục thực hiện Kế hoạch đến năm 2030; phấn đấu "
                f"{', '.join(next_targets) if next_targets else 'đạt các mục tiêu đã đề ra'}."
            )
        )
    else:
        body.append(
            Paragraph(
                f"Duy trì, nâng cao kết quả đạt chuẩn {MODEL} trong những năm tiếp theo; đề xuất khen thưởng các tập "
                "thể, cá nhân có thành tích tiêu biểu."
            )
        )
    body.append(Heading(1, "Đề xuất, kiến nghị"))
    proposals = text_blocks(written.get("proposals", ""))
    body += proposals or [Paragraph("Không có đề xuất, kiến nghị.")]
    title = "Sơ kết" if stage == "mid" else "Tổng kết"
    subject = f"{title} {span} thực hiện mô hình {MODEL} giai đoạn {period}"
    document = base_document(
        unit, Kind.REVIEW, year, options, type_name="Báo cáo", subject=subject, body=body
    )
    data = {
        "loai_bao_cao": what,
        "giai_doan": period,
        "cac_nam": [dataclasses.asdict(r) for r in rows],
    }
    return Built(document, data)
