"""The mid-term (2027) and final (2030) reviews (Báo cáo sơ kết / tổng kết)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
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
from friendlygov.documents.kinds.gaps import (
    YearGaps,
    criteria_line,
    feedback_line,
    level_line,
    overdue_lines,
    remedy_lines,
    sample_line,
    shortfall_lines,
    year_gaps,
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


ACHIEVED = "Đạt mục tiêu"
MISSED = "Chưa đạt mục tiêu"
NOT_APPRAISED = "Chưa thẩm định"
NO_RESULT = "Chưa có kết quả"
STANDARD_SECTIONS = ("results", "limitations", "causes", "lessons", "tasks_ahead", "proposals")


def _verdict(row: Any, level: Any) -> str:
    """A year is judged only from its appraised (or recognised) result: a self-score alone is "chưa thẩm
    định" and a year without a cycle or without any score is "chưa có kết quả" — neither is a failure."""
    if row is None or row.cycle is None or level is None:
        return NO_RESULT
    if not level.appraised:
        scored = level.lost or level.standing.total
        return NOT_APPRAISED if scored else NO_RESULT
    if row.on_track is None:
        return "Không có mục tiêu để so sánh"
    return ACHIEVED if row.on_track else MISSED


def review_rows(unit: Unit, plan: Any, year: int) -> list[ReviewRow]:
    """Each year of the plan up to ``year`` against its target (the assessments area's path, else the plan)."""
    first = plan.start_year if plan is not None else year
    path = {row.year: row for row in (sources.path_across_years(unit) or []) if first <= row.year <= year}
    rows = []
    for current in range(first, year + 1):
        row = path.get(current)
        target = sources.target_level(unit, current)
        target_text = (row.target_name if row is not None else "") or (
            f"Mức độ {target}" if target else NO_DATA
        )
        verdict = _verdict(row, sources.level_standing(unit, current))
        has_total = verdict not in (NO_RESULT,) and row is not None and row.total is not None
        rows.append(
            ReviewRow(
                year=current,
                target=target_text,
                registered=(row.registered if row is not None else "") or "—",
                total=points(row.total) if has_total and row is not None else "—",
                basis=(row.basis if has_total and row is not None else "") or "",
                recognised=(row.recognised if row is not None else "") or "—",
                verdict=verdict,
            )
        )
    return rows


def _count_sentence(rows: list[ReviewRow]) -> str:
    appraised = [r for r in rows if r.verdict in (ACHIEVED, MISSED)]
    achieved = sum(1 for r in appraised if r.verdict == ACHIEVED)
    parts = [f"Số năm đạt mục tiêu: {achieved}/{len(appraised)} năm đã có kết quả thẩm định"]
    pending = [str(r.year) for r in rows if r.verdict == NOT_APPRAISED]
    empty = [str(r.year) for r in rows if r.verdict == NO_RESULT]
    if pending:
        parts.append(f"năm {', '.join(pending)} chưa thẩm định (chưa tính)")
    if empty:
        parts.append(f"năm {', '.join(empty)} chưa có kết quả (chưa tính)")
    return "; ".join(parts) + "."


def _leadership_blocks(unit: Unit, plan: Any, year: int, years: list[int]) -> list[Block]:
    blocks: list[Block] = []
    reference = plan_reference(unit, plan, year)
    if plan is None:
        return [Paragraph(f"Kế hoạch thực hiện mô hình {MODEL}: {NO_DATA}.")]
    text = f"{committee(unit)} đã ban hành {reference}"
    if getattr(plan, "revision", 1) > 1:
        text += f" (sửa đổi lần {plan.revision - 1})"
    blocks.append(
        Paragraph(
            text + "; hằng năm đăng ký mức đạt chuẩn và phân công các cơ quan, đơn vị chủ trì thực hiện."
        )
    )
    registered = []
    for current in years:
        level = sources.level_standing(unit, current)
        if level is not None and level.registered_name:
            registered.append(f"năm {current}: {level.registered_name.lower()}")
    if registered:
        blocks.append(Paragraph(f"Mức đăng ký đạt chuẩn: {'; '.join(registered)}."))
    leads = sources.lead_body_progress(unit, years)
    span = str(years[0]) if len(years) == 1 else f"{years[0]}\u00a0-\u00a0{years[-1]}"
    if leads:
        blocks.append(Paragraph(f"Kết quả thực hiện các hạn nhiệm vụ theo cơ quan chủ trì ({span}):"))
        blocks.append(
            Table(
                columns=["STT", "Cơ quan chủ trì", "Số nhiệm vụ", "Số hạn", "Đã hoàn thành", "Quá hạn"],
                rows=[
                    [
                        str(i),
                        lead.lead or "Chưa xác định",
                        count(lead.tasks),
                        count(lead.counted),
                        count(lead.done),
                        count(lead.late),
                    ]
                    for i, lead in enumerate(leads, 1)
                ],
                widths=[12, 70, 22, 20, 24, 18],
                align=["center", "left", "center", "center", "center", "center"],
                font_size=12,
            )
        )
    return blocks


def _communication_blocks(unit: Unit, years: list[int]) -> list[Block]:
    rows = []
    for current in years:
        figures = (sources.yearly_results(unit, current) or {}).get("communication") or {}
        if figures.get("count"):
            rows.append(
                [
                    str(current),
                    count(figures["count"]),
                    count(figures.get("reach")),
                    count(figures.get("cost")),
                ]
            )
        else:
            rows.append([str(current), "—", "—", "—"])
    if all(r[1] == "—" for r in rows):
        return [Paragraph(f"Công tác thông tin, tuyên truyền: {NO_DATA}.")]
    return [
        Table(
            columns=["Năm", "Số hoạt động", "Lượt người được tuyên truyền", "Kinh phí đã chi (đồng)"],
            rows=rows,
            widths=[20, 35, 55, 55],
            align=["center", "center", "center", "right"],
            font_size=12,
        )
    ]


def _budget_blocks(unit: Unit, years: list[int]) -> list[Block]:
    rows = []
    for current in years:
        budget = (sources.yearly_results(unit, current) or {}).get("budget") or {}
        if budget.get("lines_count"):
            rows.append(
                [
                    str(current),
                    count(budget.get("estimated")),
                    count(budget.get("approved")),
                    count(budget.get("spent")),
                    percent(budget.get("used_percent")) if budget.get("used_percent") is not None else "—",
                ]
            )
        else:
            rows.append([str(current), "—", "—", "—", "—"])
    if all(r[1] == "—" for r in rows):
        return [Paragraph(f"Kinh phí thực hiện: {NO_DATA}.")]
    return [
        Table(
            columns=[
                "Năm",
                "Dự toán đề nghị (đồng)",
                "Được phê duyệt (đồng)",
                "Đã chi (đồng)",
                "Tỷ lệ chi so với dự toán được duyệt",
            ],
            rows=rows,
            widths=[16, 40, 40, 40, 34],
            align=["center", "right", "right", "right", "center"],
            font_size=12,
        )
    ]


def _reward_blocks(unit: Unit, years: list[int]) -> list[Block]:
    lines = []
    for current in years:
        rewards = (sources.yearly_results(unit, current) or {}).get("rewards") or {}
        if not rewards.get("nominations") and not rewards.get("decisions"):
            lines.append(f"Năm {current}: chưa có đề nghị, quyết định khen thưởng")
            continue
        text = (
            f"Năm {current}: đề nghị khen thưởng {count(rewards.get('collectives'))} tập thể, "
            f"{count(rewards.get('individuals'))} cá nhân; đã khen thưởng {count(rewards.get('awarded'))}"
        )
        decisions = [
            f"Quyết định số {d.get('number')}"
            + (f" ngày {d['signed_on']:%d/%m/%Y}" if d.get("signed_on") else "")
            + f" ({lower_first(str(d.get('form_label', '')))}, {count(d.get('count'))} tập thể, cá nhân)"
            for d in rewards.get("decisions") or []
        ]
        if decisions:
            text += " theo " + "; ".join(decisions)
        awards = sources.year_awards(unit, current)
        if awards is not None and awards.total:
            text += f"; tiền thưởng {money(awards.total)}"
        lines.append(text)
    return bullets(lines)


def _cause_lines(unit: Unit, gaps: list[YearGaps], rows: list[ReviewRow]) -> tuple[list[str], list[str]]:
    """(limitations, causes) drawn from the data of every year of the period."""
    limitations: list[str] = []
    causes: list[str] = []
    verdicts = {r.year: r for r in rows}
    for year_gap in gaps:
        row = verdicts[year_gap.year]
        mine = []
        if row.verdict == MISSED:
            mine.append(f"kết quả thẩm định chưa đạt mục tiêu {row.target.lower()}")
        line = level_line(year_gap) if year_gap.level is not None and year_gap.level.appraised else None
        if line and row.verdict != MISSED:  # a self-score is not judged (the table says "chưa thẩm định")
            mine.append(lower_first(line))
        mine += [lower_first(x) for x in overdue_lines(year_gap)]
        mine += [lower_first(x) for x in (sample_line(year_gap), feedback_line(year_gap)) if x]
        mine += [lower_first(x) for x in shortfall_lines(year_gap)]
        limitations += [f"Năm {year_gap.year}: {x}" for x in mine]
        criteria = criteria_line(year_gap)
        if criteria:
            causes.append(f"Năm {year_gap.year}: {lower_first(criteria)}")
    late_leads = [lead for lead in sources.lead_body_progress(unit, [g.year for g in gaps]) if lead.late]
    if late_leads:
        causes.append(
            "Một số cơ quan chủ trì chưa bảo đảm tiến độ nhiệm vụ: "
            + "; ".join(
                f"{lead.lead or 'chưa xác định'} ({count(lead.late)}/{count(lead.counted)} hạn quá hạn)"
                for lead in late_leads
            )
        )
    small = [g for g in gaps if g.small_sample]
    if small:
        causes.append(
            "Công tác tổ chức khảo sát sự hài lòng chưa huy động đủ người dân tham gia: "
            + "; ".join(
                f"năm {g.year} đạt {count(g.sample.respondents)}/{count(g.sample.needed)} phiếu"
                for g in small
            )
        )
    return limitations, causes


def _result_blocks(
    unit: Unit, years: list[int], rows: list[ReviewRow], this_year: int, written: dict[str, str]
) -> list[Block]:
    """Section II: the levels reached against the targets, the tasks, communication, satisfaction,
    feedback, budget, rewards, the clerk's highlights and the good practices."""
    body: list[Block] = []
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
    body.append(
        Paragraph(
            "Kết quả từng năm chỉ được đánh giá đạt hay chưa đạt mục tiêu khi đã có kết quả thẩm định của thành phố. "
            + _count_sentence(rows)
        )
    )
    body.append(Heading(2, "Thực hiện các nhiệm vụ của Kế hoạch"))
    body += bullets(
        [
            f"Năm {current}: "
            + (
                "chưa đến kỳ thực hiện"
                if current > this_year
                else figure_text(sources.task_completion(unit, current))
            )
            for current in years
        ]
    )
    body.append(Heading(2, "Công tác thông tin, tuyên truyền"))
    body += _communication_blocks(unit, years)
    body.append(Heading(2, "Sự hài lòng của người dân"))
    body += bullets(_satisfaction_lines(unit, years))
    body.append(Heading(2, "Tiếp nhận, xử lý phản ánh, kiến nghị"))
    body += bullets(_feedback_lines(unit, years))
    body.append(Heading(2, "Kinh phí thực hiện"))
    body += _budget_blocks(unit, years)
    body.append(Heading(2, "Công tác thi đua, khen thưởng"))
    body += _reward_blocks(unit, years)
    if written.get("results", "").strip():
        body.append(Heading(2, "Kết quả nổi bật"))
        body += text_blocks(written["results"])
    good = practice_lines(sources.good_practices(unit))
    if good:
        body.append(Heading(2, "Cách làm hay, mô hình hiệu quả"))
        body += bullets(good)
    return body


def _satisfaction_lines(unit: Unit, years: list[int]) -> list[str]:
    satisfaction = []
    for current in years:
        line = f"Năm {current}: {figure_text(sources.sipas_figure(unit, current))}"
        sample = sources.sipas_sample(unit, current)
        if sample is not None and sample.needed and sample.respondents:
            line += f"; cỡ mẫu tối thiểu {count(sample.needed)} phiếu"
        satisfaction.append(line)
    return satisfaction


def _feedback_lines(unit: Unit, years: list[int]) -> list[str]:
    feedback_lines = []
    for current in years:
        figures = sources.feedback_figures(unit, current)
        if not figures or not figures.get("received"):
            feedback_lines.append(f"Năm {current}: {NO_DATA}")
        else:
            on_time = figures.get("on_time") or {}
            feedback_lines.append(
                f"Năm {current}: tiếp nhận {count(figures.get('received'))}, xử lý đúng hạn "
                f"{percent(on_time.get('percent'))}"
            )
    return feedback_lines


def _difficulties(unit: Unit, years: list[int]) -> tuple[list[str], list[str]]:
    """The obstacles reported over the years, and the proposals still open (each once)."""
    difficulties = []
    open_proposals: list[str] = []
    for current in years:
        found, proposed = obstacle_texts(unit, current)
        difficulties += [f"{lower_first(text).rstrip('.')} (năm {current})" for text in found]
        open_proposals += [p for p in proposed if p not in open_proposals]
    return difficulties, open_proposals


def _shortcoming_blocks(limitations: list[str], causes: list[str], written: dict[str, str]) -> list[Block]:
    body: list[Block] = []
    typed_limits = text_blocks(written.get("limitations", ""))
    typed_causes = text_blocks(written.get("causes", ""))
    if limitations or typed_limits or causes or typed_causes:
        body.append(Heading(2, "Tồn tại, hạn chế"))
        body += bullets(limitations)
        body += typed_limits
        if not limitations and not typed_limits:
            body.append(Paragraph("Không có tồn tại, hạn chế lớn."))
        body.append(Heading(2, "Nguyên nhân"))
        body += bullets(causes)
        body += typed_causes
        if not causes and not typed_causes:
            body.append(Paragraph(f"Chưa xác định được nguyên nhân từ số liệu: {NO_DATA}."))
    else:
        body.append(Paragraph("Không có tồn tại, hạn chế lớn."))
    return body


def _closing_blocks(
    unit: Unit,
    year: int,
    stage: str,
    gaps: list[YearGaps],
    written: dict[str, str],
    sections: list[dict[str, Any]],
) -> list[Block]:
    """The lessons, the clerk's own sections and the way ahead."""
    body: list[Block] = []
    if written.get("lessons", "").strip():
        body.append(Heading(1, "Bài học kinh nghiệm"))
        body += text_blocks(written["lessons"])
    for section in sections:  # what the clerk typed under a section of their own: kept whole
        if str(section.get("key")) not in STANDARD_SECTIONS:
            body.append(Heading(1, str(section.get("title") or "").strip() or "Nội dung khác"))
            body += text_blocks(str(section.get("text") or ""))
    body.append(Heading(1, "Phương hướng, nhiệm vụ"))
    remedies = remedy_lines(gaps)
    if written.get("tasks_ahead", "").strip():
        body += text_blocks(written["tasks_ahead"])
    elif stage == "mid":
        next_targets = [
            f"năm {y}: mức độ {t}" for y in range(year + 1, 2031) if (t := sources.target_level(unit, y))
        ]
        body.append(
            Paragraph(
                f"Tiếp tục thực hiện Kế hoạch đến năm 2030; phấn đấu "
                f"{', '.join(next_targets) if next_targets else 'đạt các mục tiêu đã đề ra'}"
                + (". Trong đó:" if remedies else ".")
            )
        )
        body += bullets(remedies)
    else:
        body.append(
            Paragraph(
                f"Duy trì, nâng cao kết quả đạt chuẩn {MODEL} trong những năm tiếp theo"
                + ("; khắc phục các tồn tại nêu tại mục III. Trong đó:" if remedies else ".")
            )
        )
        body += bullets(remedies)
    return body


def _proposal_blocks(written: dict[str, str], open_proposals: list[str]) -> list[Block]:
    body: list[Block] = []
    proposals = text_blocks(written.get("proposals", ""))
    body += proposals
    body += bullets(open_proposals)
    if not proposals and not open_proposals:
        body.append(Paragraph("Không có đề xuất, kiến nghị."))
    return body


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
    years = list(range(first, year + 1))
    period = f"{first}\u00a0-\u00a0{year}"  # no line break inside the period
    rows = review_rows(unit, plan, year)
    reference = plan_reference(unit, plan, year)
    what = "sơ kết" if stage == "mid" else "tổng kết"
    span = f"{year - first + 1:02d} năm" if stage == "mid" else "giai đoạn"
    extra = sources.review_data(unit, year) or {}
    sections = [x for x in extra.get("sections") or [] if str(x.get("text") or "").strip()]
    written = {str(x.get("key")): str(x.get("text") or "") for x in sections}
    body: list[Block] = []
    intro = f"{committee(unit)} báo cáo {what} {span} thực hiện mô hình {MODEL} ({period}) như sau:"
    body.append(Paragraph(f"Thực hiện {reference}, {lower_first(intro)}" if reference else intro))

    body.append(Heading(1, "Công tác lãnh đạo, chỉ đạo, triển khai"))
    this_year = timezone.localdate().year
    body += _leadership_blocks(unit, plan, year, [y for y in years if y <= this_year] or years[:1])

    body += _result_blocks(unit, years, rows, this_year, written)

    gaps = [year_gaps(unit, current) for current in years if current <= this_year]
    limitations, causes = _cause_lines(unit, gaps, rows)
    difficulties, open_proposals = _difficulties(unit, years)
    if difficulties:
        causes.append("Khó khăn, vướng mắc phát sinh trong quá trình thực hiện: " + "; ".join(difficulties))
    body.append(Heading(1, "Tồn tại, hạn chế và nguyên nhân"))
    body += _shortcoming_blocks(limitations, causes, written)
    body += _closing_blocks(unit, year, stage, gaps, written, sections)
    body.append(Heading(1, "Đề xuất, kiến nghị"))
    body += _proposal_blocks(written, open_proposals)
    title = "Sơ kết" if stage == "mid" else "Tổng kết"
    subject = f"{title} {span} thực hiện mô hình {MODEL} giai đoạn {period}"
    document = base_document(
        unit, Kind.REVIEW, year, options, type_name="Báo cáo", subject=subject, body=body
    )
    data = {
        "loai_bao_cao": what,
        "giai_doan": period,
        "cac_nam": [dataclasses.asdict(r) for r in rows],
        "ton_tai": limitations,
        "nguyen_nhan": causes,
        "de_xuat": open_proposals,
    }
    return Built(document, data)
