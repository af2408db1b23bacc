"""The commune's plan (Kế hoạch) written from the plan in the register."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from friendlygov.documents import sources
from friendlygov.documents.kinds.common import (
    MODEL,
    NO_DATA,
    Built,
    DocumentDataError,
    Options,
    attachment_line,
    base_document,
    committee,
    data_problem,
    is_request_body,
    lower_first,
    sentence,
    symbol_for,
    text_blocks,
    unit_label,
)
from friendlygov.documents.models import Kind
from friendlygov.documents.render import (
    Appendix,
    Block,
    Bullet,
    Heading,
    Paragraph,
    Table,
)
from friendlygov.org.models import Body, Unit

COMMUNICATION = [
    "Tăng cường công tác tuyên truyền, quán triệt, triển khai thực hiện có hiệu quả các văn bản về Chính quyền "
    "thân thiện{focus}",
    "Xây dựng pano, khẩu hiệu tuyên truyền trực quan về quyết tâm xây dựng {model}, khẩu hiệu “4 xin, 4 luôn và "
    "5 không” tại cổng, trong khuôn viên trụ sở Ủy ban nhân dân {prefix} và Trung tâm Phục vụ hành chính công "
    "{prefix}",
    "Tuyên truyền thông qua các hoạt động văn hóa, văn nghệ quần chúng và các bảng tin văn hóa tại các {villages} "
    "nhằm tạo sức lan tỏa sâu rộng trong cộng đồng dân cư",
    "Tổ chức quán triệt, triển khai đến toàn thể đảng viên, cán bộ, công chức của đảng ủy, chính quyền và toàn "
    "thể cán bộ, đảng viên ở các {villages} về thực hiện quy chế dân chủ ở cơ sở, {model} thông qua hệ thống đài "
    "truyền thanh, trang thông tin điện tử và các nền tảng mạng xã hội, như: zalo, facebook...",
]


def _targets_blocks(plan: Any, unit: Unit) -> list[Block]:
    """Section II: the first line of the seed, then one objective per run of consecutive years with the same
    note, written as the plan wrote it (an objective may span years of different levels: "Từ năm 2027,
    phấn đấu nâng mức độ … Phấn đấu đạt chuẩn Mức độ 4 vào năm 2030"); a year without a note is its own
    objective, written from its level."""
    blocks: list[Block] = [
        Paragraph(
            f"1. Kế hoạch được triển khai đồng bộ tại tất cả các cơ quan, đơn vị trên địa bàn {unit.kind_prefix} "
            f"từ năm {plan.start_year}."
        )
    ]
    runs: list[tuple[list[int], str, str]] = []
    for target in sources.plan_targets(plan):
        note = (target.note or "").strip()
        previous = runs[-1] if runs else None
        if previous is not None and note and previous[2] == note and previous[0][-1] == target.year - 1:
            previous[0].append(target.year)
        else:
            runs.append(([target.year], target.level_code, note))
    for index, (years, level, note) in enumerate(runs, start=2):
        if note:
            text = note
        elif len(years) == 1:
            text = f"Năm {years[0]}, phấn đấu đạt chuẩn {MODEL} mức độ {level}"
        else:
            text = f"Từ năm {years[0]} đến năm {years[-1]}, phấn đấu đạt chuẩn {MODEL} mức độ {level}"
        blocks.append(Paragraph(f"{index}. {sentence(text)}"))
    if not runs:
        blocks.append(Paragraph(f"2. Mục tiêu theo từng năm: {NO_DATA}."))
    return blocks


def _budget_sentence(plan: Any) -> str:
    items = [lower_first(s.strip().rstrip(".;")) for s in (plan.budget_sources or []) if s and s.strip()]
    if not items:
        return (
            "Kinh phí thực hiện Kế hoạch này do ngân sách nhà nước bảo đảm theo phân cấp ngân sách hiện hành và "
            "các nguồn kinh phí hợp pháp khác."
        )
    joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]
    return f"Kinh phí thực hiện Kế hoạch này do {joined}."


def _duty_blocks(plan: Any) -> list[Block]:
    groups: list[tuple[str, Body | None, list[str]]] = []
    for duty in sources.plan_duties(plan):
        name = (duty.body_text or (duty.body.name if duty.body else "")).strip()
        if groups and groups[-1][0] == name:
            groups[-1][2].append(duty.text)
        else:
            groups.append((name, duty.body, [duty.text]))
    blocks: list[Block] = []
    for name, body, texts in groups:
        if name:
            title = f"Đề nghị {name}" if is_request_body(body, name) else name
            blocks.append(Heading(2, title))
        if len(texts) == 1 and name:
            blocks.append(Paragraph(sentence(texts[0])))
        else:
            blocks.extend(Bullet(sentence(t)) for t in texts)
    if not blocks:
        blocks.append(Paragraph(f"Phân công thực hiện: {NO_DATA}."))
    return blocks


def _plan_or_error(unit: Unit, year: int) -> Any:
    plan = sources.plan_for_year(unit, year)
    if plan is None:
        raise DocumentDataError(
            {
                "year": data_problem(
                    gettext_lazy(
                        "%(c)s chưa có kế hoạch nào áp dụng cho năm %(y)s nên chưa lập được Kế hoạch."
                    ),
                    c=committee(unit),
                    y=year,
                )
            }
        )
    return plan


def appendix_rows(plan: Any) -> list[list[str]]:
    """The appendix table: STT, task, original time phrase, lead body, coordinating bodies."""
    rows: list[list[str]] = []
    section = None
    for task in sources.plan_tasks(plan):
        if task.section and task.section != section:
            section = task.section
            rows.append(["", f"**{section}**", "", "", ""])
        rows.append(
            [task.number, task.text, task.time_phrase, task.lead_label or "", sources.task_coordinators(task)]
        )
    return rows


def build_plan(unit: Unit, year: int, options: Options) -> Built:
    plan = _plan_or_error(unit, year)
    prefix = unit.kind_prefix
    villages = "tổ dân phố" if unit.kind == Unit.Kind.WARD else "thôn"
    coordinator = sources.coordinator_body(unit)
    coordinator_name = f"{coordinator.name} {prefix}" if coordinator else f"Phòng Văn hóa - Xã hội {prefix}"
    title = plan.title.strip()
    bases = [b.strip().rstrip(".;") for b in (plan.bases or []) if b and b.strip()]
    intro = f"Ủy ban nhân dân {prefix} xây dựng Kế hoạch {lower_first(title)}, cụ thể như sau:"
    if bases:
        intro = "Căn cứ " + "; căn cứ ".join(bases) + ". " + intro
    # Section III.1 names the texts to publicise as the plan lists them (its own field, not the bases).
    texts = [t.strip().rstrip(".;,") for t in (plan.communication_texts or []) if t and t.strip()]
    focus = ", trọng tâm là: " + ", ".join(texts) if texts else ""
    body: list[Block] = [Paragraph(intro)]
    body += [Heading(1, "Mục đích, yêu cầu"), Heading(2, "Mục đích")]
    body += text_blocks(plan.purposes) or [Paragraph(f"Mục đích: {NO_DATA}.")]
    body += [Heading(2, "Yêu cầu")]
    body += text_blocks(plan.requirements) or [Paragraph(f"Yêu cầu: {NO_DATA}.")]
    body += [Heading(1, "Mục tiêu"), *_targets_blocks(plan, unit)]
    body += [Heading(1, "Nội dung"), Heading(2, "Công tác thông tin, tuyên truyền")]
    body += [
        Bullet(sentence(line.format(focus=focus, model=MODEL, prefix=prefix, villages=villages)))
        for line in COMMUNICATION
    ]
    body += [
        Heading(2, f"Nhiệm vụ cụ thể triển khai thực hiện mô hình {MODEL}"),
        Paragraph("*(có Phụ lục chi tiết kèm theo)*"),
        Heading(1, "Kinh phí thực hiện"),
        Paragraph(_budget_sentence(plan)),
        Heading(1, "Tổ chức thực hiện"),
        *_duty_blocks(plan),
        Paragraph(
            f"Trên đây là Kế hoạch {title}. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc đề nghị phản ánh "
            f"về Ủy ban nhân dân {prefix} (*qua {lower_first(coordinator_name)}*) để tổng hợp, báo cáo Ủy ban nhân "
            f"dân {prefix} xem xét, giải quyết."
        ),
    ]
    period = f"{plan.start_year} - {plan.end_year}" + (" và những năm tiếp theo" if plan.open_ended else "")
    rows = appendix_rows(plan)
    appendix = Appendix(
        title="Phụ lục nhiệm vụ cụ thể",
        subtitle=f"Thực hiện mô hình {MODEL} tại {unit_label(unit)} giai đoạn {period}",
        note=attachment_line("Kế hoạch", symbol_for(Kind.PLAN, unit), unit, year, options),
        blocks=[
            Table(
                columns=[
                    "STT",
                    "Nhiệm vụ cụ thể",
                    "Thời gian thực hiện",
                    "Cơ quan chủ trì",
                    "Cơ quan phối hợp",
                ],
                rows=rows or [["", NO_DATA, "", "", ""]],
                widths=[14, 108, 36, 42, 52],
                align=["center", "justify", "center", "center", "left"],
            )
        ],
        landscape=True,
    )
    document = base_document(
        unit, Kind.PLAN, year, options, type_name="Kế hoạch", subject=title, body=body, appendices=[appendix]
    )
    data = {
        "ke_hoach": {
            "trich_yeu": title,
            "tu_nam": plan.start_year,
            "den_nam": plan.end_year,
            "va_nhung_nam_tiep_theo": plan.open_ended,
            "lan_sua_doi": plan.revision,
            "van_ban_trong_tam_tuyen_truyen": texts,
        },
        "nhiem_vu": [
            {"stt": r[0], "noi_dung": r[1], "thoi_gian": r[2], "chu_tri": r[3], "phoi_hop": r[4]}
            for r in rows
        ],
    }
    return Built(document, data)
