"""The self-assessment report (Báo cáo tự đánh giá)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from friendlygov.documents import sources
from friendlygov.documents.kinds.common import (
    MODEL,
    NO_DATA,
    Built,
    Options,
    attachment_line,
    base_document,
    bullets,
    committee,
    criteria_basis,
    home_affairs,
    lower_first,
    percent,
    plan_reference,
    points,
    symbol_for,
    unit_label,
)
from friendlygov.documents.kinds.registration import registered_level
from friendlygov.documents.kinds.scores import (
    STAGE_TOTALS,
    UNSCORED,
    Scores,
    counts_sentence,
    group_table,
    no_cycle,
    rounding_note,
    row_points,
    score_value,
    scores,
    scoring_table,
    standing_sentence,
    submission_outlook,
    table_columns,
)
from friendlygov.documents.models import Kind
from friendlygov.documents.render import (
    Appendix,
    Block,
    Heading,
    Paragraph,
)
from friendlygov.org.models import Unit


def build_self_assessment(unit: Unit, year: int, options: Options) -> Built:
    result = scores(unit, year)
    level, cycle, _registration = registered_level(unit, year)
    plan = sources.plan_for_year(unit, year)
    summary = sources.cycle_summary(unit, year)
    coordinator = sources.coordinator_body(unit)
    basis = [b for b in (criteria_basis(cycle), plan_reference(unit, plan, year)) if b]
    intro = f"{committee(unit)} báo cáo kết quả tự đánh giá, chấm điểm các tiêu chí mô hình {MODEL} năm {year} như sau:"
    body: list[Block] = [
        Paragraph(("Thực hiện " + "; ".join(basis) + ", " + lower_first(intro)) if basis else intro)
    ]
    body.append(Heading(1, "Công tác triển khai"))
    body.append(
        Paragraph(
            f"{committee(unit)} đã phân công các phòng, ban, đơn vị tự chấm điểm các tiêu chí được giao, kèm theo "
            f"minh chứng; Ủy ban Mặt trận Tổ quốc Việt Nam {unit.kind_prefix} và Ban Xây dựng Đảng tham gia chấm "
            f"điểm; {coordinator.name if coordinator else 'Phòng Văn hóa - Xã hội'} tổng hợp, thống nhất kết quả."
        )
    )
    if summary is not None and summary.counts is not None:
        body.append(
            Paragraph(
                f"{counts_sentence(summary)}; {summary.counts.with_evidence} tiêu chí đã chấm có minh chứng kèm "
                "theo."
            )
        )
    body.append(Heading(1, "Kết quả tự đánh giá, chấm điểm"))
    body.append(Heading(2, "Mức đăng ký"))
    body.append(Paragraph(f"Mức đăng ký năm {year}: {level or NO_DATA}."))
    body.append(Heading(2, "Kết quả chấm điểm"))
    appendices: list[Appendix] = []
    data: dict[str, Any] = {"muc_dang_ky": level or ""}
    if result is None or summary is None or summary.counts is None:
        body.append(no_cycle(unit, year))
    else:
        counts = summary.counts
        text = standing_sentence(summary)
        if summary.current_stage != "self":
            text += f" (tổng điểm tự chấm của các cơ quan, đơn vị: {points(result.totals['self'])} điểm)"
        body.append(Paragraph(f"{text}. Kết quả theo nhóm tiêu chí:"))
        body.append(group_table(result))
        note = rounding_note(result, table_columns(result))
        if note is not None:
            body.append(note)
        conditions = [r for r in result.rows if r.is_condition]
        column = counts.column  # the column the current total comes from
        if conditions:
            body.append(Heading(2, "Các điều kiện"))
            body += bullets([f"{r.name}: {score_value(r, column)}" for r in conditions])
        body.append(Heading(1, "Đánh giá chung"))
        body.append(Heading(2, "Ưu điểm"))
        body += bullets(strengths(result, summary)) or [Paragraph("Chưa có tiêu chí nào đạt điểm tối đa.")]
        body.append(Heading(2, "Tồn tại, hạn chế"))
        body += bullets(gaps(result, summary)) or [Paragraph("Không có tiêu chí nào bị trừ điểm.")]
        table_note = rounding_note(result, table_columns(result))
        appendices.append(
            Appendix(
                title="Bảng tự đánh giá, chấm điểm",
                subtitle=f"Các tiêu chí mô hình {MODEL} năm {year} của {unit_label(unit)}",
                note=attachment_line("Báo cáo", symbol_for(Kind.SELF_ASSESSMENT, unit), unit, year, options),
                blocks=[scoring_table(result), *([table_note] if table_note else [])],
                landscape=True,
            )
        )
        data.update(scores_data(result))
        data.update(standing_data(summary))
    body.append(Heading(1, "Đề xuất, kiến nghị"))
    outlook = submission_outlook(unit, year)
    if outlook.proposes and summary is not None and summary.current_stage != "recognised":
        body.append(
            Paragraph(
                f"{committee(unit)} kính đề nghị {home_affairs(unit)} thẩm định, trình Ủy ban nhân dân thành phố "
                f"xem xét, công nhận {unit_label(unit)} đạt chuẩn {MODEL} {outlook.level.lower()} năm {year}."
            )
        )
    else:
        focus = largest_shortfalls(result, summary)
        first = f", trước hết ở các tiêu chí còn thiếu nhiều điểm nhất: {focus}" if focus else ""
        body.append(
            Paragraph(
                f"{committee(unit)} tiếp tục chỉ đạo khắc phục các tồn tại, hạn chế{first}; kính đề nghị "
                f"{home_affairs(unit)} quan tâm hướng dẫn."
            )
        )
    subject = f"Kết quả tự đánh giá, chấm điểm các tiêu chí mô hình {MODEL} năm {year}"
    document = base_document(
        unit,
        Kind.SELF_ASSESSMENT,
        year,
        options,
        type_name="Báo cáo",
        subject=subject,
        body=body,
        appendices=appendices,
    )
    return Built(document, data)


def strengths(result: Scores, summary: Any) -> list[str]:
    """What went well, from the data: the standing against the registered level, each group's criteria at
    their maximum, the measured figures at or above their full-points target, the evidence kept."""
    counts = summary.counts
    column = counts.column
    lines: list[str] = []
    if summary.target_reached:
        lines.append(
            f"Tổng điểm {STAGE_TOTALS[summary.current_stage]} {points(summary.current_total)} điểm, đạt mức đăng ký "
            f"({summary.target_level_name.lower()}, từ {points(summary.target_min_total)} điểm)"
        )
    at_maximum = set(counts.at_maximum)
    lines.append(f"Có {counts.at_maximum_count}/{counts.criteria} tiêu chí đạt điểm tối đa")
    for group in [r for r in result.rows if r.depth == 0 and not r.is_condition]:
        full = [r for r in result.rows if r.group == group.code and r.code in at_maximum]
        if not full:
            continue
        if not group.is_group:  # a criterion on its own at the top (e.g. the bonus)
            label = " (điểm thưởng)" if group.bonus else ""
            lines.append(
                f"Tiêu chí {group.code} - {group.name}{label}: đạt điểm tối đa ({points(group.max_points)} điểm)"
            )
            continue
        lines.append(
            f"Nhóm {group.code} - {group.name}: {score_value(group, column)}/{points(group.max_points)} điểm; "
            f"đạt điểm tối đa: {', '.join(r.code for r in full)}"
        )
    for row in result.rows:
        if row.target is None or row.code not in at_maximum:
            continue
        value = {
            "self": row.self_text,
            "consolidated": row.consolidated_text,
            "appraised": row.appraised_text,
        }[column]
        if value:
            lines.append(
                f"{row.name} ({row.code}): {value}, đạt mức đủ điểm (từ {percent(row.target * 100)})"
            )
    if counts.scored:
        lines.append(
            f"{counts.with_evidence} trong số {counts.scored} tiêu chí đã chấm có minh chứng kèm theo (số liệu "
            "đo được là minh chứng của tiêu chí tương ứng)"
        )
    return lines


def gaps(result: Scores, summary: Any) -> list[str]:
    """What fell short, from the data: the standing against the registered level, each criterion below its
    maximum with the points missing, the criteria not scored, conditions not met, evidence missing."""
    counts = summary.counts
    column = counts.column
    by_code = {r.code: r for r in result.rows}
    lines: list[str] = []
    if summary.target_level and not summary.target_reached:
        line = (
            f"Tổng điểm {STAGE_TOTALS[summary.current_stage]} {points(summary.current_total)} điểm, "
            f"{(summary.current_level_name or 'chưa đạt chuẩn').lower()}; chưa đạt mức đăng ký "
            f"({summary.target_level_name.lower()}, từ {points(summary.target_min_total)} điểm)"
        )
        if summary.target_min_total is not None and summary.target_min_total > summary.current_total:
            line += f", còn thiếu {points(summary.target_min_total - summary.current_total)} điểm"
        lines.append(line)
    for code in counts.below_maximum:
        row = by_code.get(code)
        if row is None or row.max_points is None:
            continue
        value = row_points(row, column) or Decimal(0)
        label = " (điểm thưởng)" if row.bonus else ""
        lines.append(
            f"Tiêu chí {code} - {row.name}{label}: đạt {points(value)}/{points(row.max_points)} điểm, thiếu "
            f"{points(row.max_points - value)} điểm"
        )
    lines += [
        f"Tiêu chí {code} - {by_code[code].name}: {UNSCORED}" for code in counts.unscored if code in by_code
    ]
    for row in result.rows:
        if row.is_condition and score_value(row, column) not in ("Đạt", UNSCORED):
            lines.append(f"Điều kiện {row.code} - {row.name}: {score_value(row, column)}")
    scored = {*counts.at_maximum, *counts.below_maximum}
    missing = [r.code for r in result.rows if r.code in scored and not r.evidence and not r.measured]
    if missing:
        lines.append(f"{len(missing)} tiêu chí đã chấm chưa có minh chứng kèm theo: {', '.join(missing)}")
    return lines


def largest_shortfalls(result: Scores | None, summary: Any, limit: int = 3) -> str:
    """The criteria with the most points missing in the current column: "4.3 (thiếu 3,5 điểm), …"."""
    if result is None or summary is None or summary.counts is None:
        return ""
    column = summary.counts.column
    by_code = {r.code: r for r in result.rows}
    missing = []
    for code in summary.counts.below_maximum:
        row = by_code.get(code)
        if row is not None and row.max_points is not None:
            missing.append((row.max_points - (row_points(row, column) or Decimal(0)), code))
    missing.sort(key=lambda item: -item[0])  # stable: the set's order among equal shortfalls
    return ", ".join(f"{code} (thiếu {points(lost)} điểm)" for lost, code in missing[:limit])


def standing_data(summary: Any) -> dict[str, Any]:
    if summary is None:
        return {}
    counts = summary.counts
    return {
        "tong_diem": points(summary.current_total),
        "giai_doan": STAGE_TOTALS[summary.current_stage],
        "muc_dat": summary.current_level_name,
        "so_tieu_chi": counts.criteria if counts else None,
        "so_tieu_chi_da_cham": counts.scored if counts else None,
        "so_tieu_chi_dat_toi_da": counts.at_maximum_count if counts else None,
        "so_tieu_chi_chua_dat_toi_da": counts.below_maximum_count if counts else None,
        "so_tieu_chi_chua_cham": counts.unscored_count if counts else None,
    }


def scores_data(result: Scores) -> dict[str, Any]:
    return {
        "bo_tieu_chi": result.criteria_set,
        "thang_diem": points(result.scale),
        "tong_tu_cham": points(result.totals["self"]),
        "tong_thong_nhat": points(result.totals["consolidated"]),
        "tong_tham_dinh": points(result.totals["appraised"]) if result.appraised else "",
        "muc_tu_cham": result.levels["self"],
        "muc_thong_nhat": result.levels["consolidated"],
        "tieu_chi": [
            {
                "ma": r.code,
                "ten": r.name,
                "cap": r.depth,
                "la_nhom": r.is_group,
                "diem_toi_da": "" if r.max_points is None else points(r.max_points),
                "tu_cham": score_value(r, "self"),
                "thong_nhat": score_value(r, "consolidated"),
                "tham_dinh": score_value(r, "appraised"),
                "minh_chung": list(r.evidence),
            }
            for r in result.rows
        ],
    }
