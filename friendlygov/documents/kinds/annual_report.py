"""The annual report on the programme (Báo cáo kết quả thực hiện năm)."""

from __future__ import annotations

from collections.abc import Sequence
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
    count,
    figure_text,
    home_affairs,
    lower_first,
    percent,
    plan_reference,
    sentence,
    symbol_for,
    unit_label,
)
from friendlygov.documents.kinds.gaps import gap_lines, remedy_lines, year_gaps
from friendlygov.documents.kinds.registration import registered_level
from friendlygov.documents.kinds.scores import counts_sentence, no_cycle, standing_sentence
from friendlygov.documents.kinds.self_assessment import standing_data
from friendlygov.documents.models import Kind
from friendlygov.documents.render import (
    Appendix,
    Block,
    Heading,
    Paragraph,
    Table,
    vn_short_date,
)
from friendlygov.org.models import Unit
from friendlygov.rules.plan_events import REWARDS_DECIDED
from friendlygov.rules.service_index import INDICATOR_NAMES
from friendlygov.rules.text import format_vn_number, normalize_vi


def _progress_text(progress: Any) -> str:
    if progress is None or progress.counted == 0:
        return "Không có hạn trong năm"
    if progress.done == progress.counted:
        return "Hoàn thành"
    text = f"Hoàn thành {progress.done}/{progress.counted} hạn"
    if progress.percent is not None:
        text += f"; tiến độ {percent(progress.percent)}"
    if progress.late:
        text += f"; {progress.late} hạn trễ"
    return text


def _task_result_rows(plan: Any, year: int) -> list[list[str]]:
    progress = {p.task.pk: p for p in sources.task_progress(plan, year)}
    rows = []
    for task in sources.plan_tasks(plan):
        rows.append(
            [
                task.number,
                task.text,
                task.lead_label or "",
                task.time_phrase,
                _progress_text(progress.get(task.pk)),
            ]
        )
    return rows


def money(value: int | Decimal | None) -> str:
    return NO_DATA if value is None else format_vn_number(Decimal(value), 0) + " đồng"


def _communication_blocks(year: int, results: dict[str, Any] | None) -> list[Block]:
    communication = (results or {}).get("communication") or {}
    if not communication.get("count"):
        return [
            Paragraph(f"Công tác thông tin, tuyên truyền năm {year}: {NO_DATA}."),
            Paragraph(sentence(panels_sentence(year, results))),
        ]
    blocks: list[Block] = [
        Paragraph(
            f"Năm {year}, tổ chức {count(communication['count'])} hoạt động thông tin, tuyên truyền về mô hình "
            f"{MODEL}, tiếp cận khoảng {count(communication.get('reach'))} lượt người; kinh phí đã chi cho công "
            f"tác tuyên truyền: {money(communication.get('cost'))}. Cụ thể:"
        )
    ]
    items = []
    for kind in communication.get("by_kind") or []:
        if not kind.get("count") or kind.get("kind") == PANELS:  # panels: their own sentence below
            continue
        item = f"{kind['label']}: {count(kind['count'])} hoạt động"
        if kind.get("reach"):
            item += f", {count(kind['reach'])} lượt người"
        if kind.get("cost"):
            item += f", kinh phí đã chi {money(kind['cost'])}"
        items.append(item)
    return [*blocks, *bullets(items), Paragraph(sentence(panels_sentence(year, results)))]


PANELS = "slogan_panel"  # the communication kind of panels and slogans (pano, khẩu hiệu)


def panels_sentence(year: int, results: dict[str, Any] | None) -> str:
    """Panels and slogans of the year (criterion "pano, khẩu hiệu" and plan task 1), from the recorded
    activities and the money spent on them — never "none" when some are recorded."""
    communication = (results or {}).get("communication") or {}
    kind = next((k for k in communication.get("by_kind") or [] if k.get("kind") == PANELS), None)
    if kind is None or not kind.get("count"):
        return f"Năm {year}, chưa ghi nhận pano, khẩu hiệu tuyên truyền nào được xây dựng"
    text = f"Năm {year}, đã xây dựng {count(kind['count'])} pano, khẩu hiệu tuyên truyền"
    places = [lower_first(p) for p in kind.get("places") or []]
    if places:
        text += " tại " + (places[0] if len(places) == 1 else ", ".join(places[:-1]) + " và " + places[-1])
    if kind.get("cost"):
        text += f", kinh phí đã chi {money(kind['cost'])}"
    return text


def _budget_blocks(results: dict[str, Any] | None) -> list[Block]:
    """The year's estimate, approval and spending. The money spent on communication is stated once, in the
    communication section; here it is only referred to (the same figure, ``communication_figures``' cost)."""
    budget = (results or {}).get("budget") or {}
    if not budget.get("lines_count"):
        return []
    spent = int(budget.get("spent") or 0)
    communication = int(((budget.get("communication") or {}).get("spent")) or 0)
    spent_text = f"Đã chi: {money(spent)}"
    if budget.get("used_percent") is not None:
        spent_text += f" (đạt {percent(budget['used_percent'])} dự toán được duyệt)"
    if spent and communication == spent:
        spent_text += ", toàn bộ cho công tác thông tin, tuyên truyền (chi tiết tại mục 2)"
    elif communication:
        spent_text += (
            f", gồm kinh phí công tác thông tin, tuyên truyền (chi tiết tại mục 2) và {money(spent - communication)} "
            "cho các nội dung khác"
        )
    items = [
        f"Dự toán đề nghị: {money(budget.get('estimated'))}",
        f"Được phê duyệt: {money(budget.get('approved'))}",
        spent_text,
    ]
    if budget.get("pending_approval"):
        items.append(f"Số nội dung chi chưa được phê duyệt dự toán: {count(budget['pending_approval'])}")
    return bullets(items)


def _reward_blocks(unit: Unit, year: int, results: dict[str, Any] | None) -> list[Block]:
    """Nominations, the council's outcome and the decisions, with the progress of the plan's reward task
    as the plans area measures it (the reward decision completes it)."""
    rewards = (results or {}).get("rewards") or {}
    tasks = sources.event_task_progress(unit, year, REWARDS_DECIDED)
    if not rewards.get("nominations") and not rewards.get("decisions") and not tasks:
        return []
    items = []
    if rewards.get("nominations"):
        text = (
            f"Các cơ quan, đơn vị đề nghị khen thưởng {count(rewards['nominations'])} tập thể, cá nhân "
            f"({count(rewards.get('collectives'))} tập thể, {count(rewards.get('individuals'))} cá nhân)"
        )
        waiting = (
            rewards["nominations"] - int(rewards.get("passed") or 0) - int(rewards.get("not_passed") or 0)
        )
        outcome = []
        if rewards.get("passed"):
            outcome.append(f"Hội đồng thi đua - khen thưởng thông qua {count(rewards['passed'])}")
        if rewards.get("not_passed"):
            outcome.append(f"không thông qua {count(rewards['not_passed'])}")
        if waiting:
            outcome.append(f"{count(waiting)} đề nghị đang chờ Hội đồng thi đua - khen thưởng xét")
        if rewards.get("awarded"):
            outcome.append(f"đã khen thưởng {count(rewards['awarded'])}")
        items.append(text + ("; " + ", ".join(outcome) if outcome else ""))
    else:
        items.append(f"Năm {year}, chưa có đề nghị khen thưởng")
    for decision in rewards.get("decisions") or []:
        signed = decision.get("signed_on")
        when = f" ngày {vn_short_date(signed)}" if signed else ""
        items.append(
            f"Quyết định số {decision.get('number')}{when}: {lower_first(str(decision.get('form_label', '')))} cho "
            f"{count(decision.get('count'))} tập thể, cá nhân"
        )
    awards = sources.year_awards(unit, year)
    if awards is not None and awards.total:
        items.append(
            f"Tiền thưởng theo các quyết định của Chủ tịch {committee(unit)}: {money(awards.total)} "
            f"({count(len(awards.collectives))} tập thể, {count(len(awards.individuals))} cá nhân)"
        )
    for progress in tasks:
        items.append(
            f"Nhiệm vụ {progress.task.number} của Kế hoạch (khen thưởng, biểu dương): "
            f"{lower_first(_progress_text(progress))}"
        )
    return bullets(items)


def practice_lines(practices: Sequence[dict[str, Any]]) -> list[str]:
    lines = []
    for practice in practices:
        title = str(practice.get("title") or "").strip()
        if not title:
            continue
        named = str(practice.get("body") or "")
        body = f" ({named})" if named and normalize_vi(named) not in normalize_vi(title) else ""
        summary = str(practice.get("summary") or "").strip().rstrip(".")
        lines.append(f"{title}{body}" + (f": {summary}" if summary else ""))
    return lines


def _satisfaction_blocks(unit: Unit, year: int) -> list[Block]:
    survey = sources.sipas_figure(unit, year)
    city = sources.city_figure("sipas", unit, year)
    par = sources.city_figure("par_index", unit, year)
    items = [f"Chỉ số hài lòng qua khảo sát của {unit.kind_prefix} (SIPAS): {figure_text(survey)}"]
    if city is not None:
        items.append(f"Chỉ số hài lòng do thành phố công bố: {figure_text(city)}")
    if par is not None:
        items.append(f"Chỉ số cải cách hành chính (PAR INDEX): {figure_text(par)}")
    return bullets(items)


def _feedback_blocks(unit: Unit, year: int) -> list[Block]:
    figures = sources.feedback_figures(unit, year)
    if figures is None:
        return [Paragraph(f"Tiếp nhận, xử lý phản ánh, kiến nghị năm {year}: {NO_DATA}.")]
    on_time = figures.get("on_time") or {}
    satisfied = figures.get("satisfaction") or {}
    items = [
        f"Tiếp nhận {count(figures.get('received'))} phản ánh, kiến nghị; đã trả lời "
        f"{count(figures.get('answered'))}, từ chối tiếp nhận {count(figures.get('rejected'))}",
        f"Tỷ lệ xử lý đúng hạn: {percent(on_time.get('percent'))} "
        f"({count(on_time.get('numerator'))}/{count(on_time.get('denominator'))})",
        f"Tỷ lệ người phản ánh hài lòng: {percent(satisfied.get('percent'))} "
        f"({count(satisfied.get('numerator'))}/{count(satisfied.get('denominator'))} ý kiến đánh giá)",
        f"Số trả lời đã công khai: {count(figures.get('published'))}",
    ]
    return bullets(items)


def _dossier_blocks(unit: Unit, year: int) -> list[Block]:
    names = {
        "on_time": INDICATOR_NAMES["on_time"],
        "online_share": INDICATOR_NAMES["online"],
        "digitisation": INDICATOR_NAMES["digitisation"],
    }
    items = []
    for key, label in names.items():
        figure = sources.dossier_figure(key, unit, year)
        if figure is not None:
            items.append(f"{label}: {figure_text(figure)}")
    return bullets(items) if items else []


def obstacle_texts(unit: Unit, year: int) -> tuple[list[str], list[str]]:
    """(difficulties of the year, proposals): unresolved difficulties are proposed for the city's help."""
    found = sources.obstacles(unit, year)
    difficulties = [sentence(o.text).rstrip(".") for o in found]
    open_ones = [o for o in found if not (o.answer or "").strip()]
    proposals = []
    if open_ones:
        proposals.append(
            f"Đề nghị {home_affairs(unit)} quan tâm hướng dẫn, tháo gỡ các khó khăn, vướng mắc nêu trên chưa được "
            "giải quyết"
        )
    return difficulties, proposals


def build_annual_report(unit: Unit, year: int, options: Options) -> Built:
    plan = sources.plan_for_year(unit, year)
    results = sources.yearly_results(unit, year)
    summary = sources.cycle_summary(unit, year)
    level, _cycle, _registration = registered_level(unit, year)
    body: list[Block] = []
    reference = plan_reference(unit, plan, year)
    intro = f"{committee(unit)} báo cáo kết quả thực hiện mô hình {MODEL} năm {year} như sau:"
    body.append(Paragraph(f"Thực hiện {reference}, {lower_first(intro)}" if reference else intro))
    body.append(Heading(1, "Công tác lãnh đạo, chỉ đạo, triển khai"))
    if plan is not None:
        body.append(
            Paragraph(
                f"{committee(unit)} đã ban hành và triển khai {reference or 'Kế hoạch'}; đăng ký mức đạt chuẩn năm "
                f"{year}: {(level or NO_DATA).lower()}; phân công các cơ quan, đơn vị chủ trì, phối hợp thực hiện "
                "các nhiệm vụ theo Phụ lục của Kế hoạch."
            )
        )
    else:
        body.append(Paragraph(f"Kế hoạch thực hiện năm {year}: {NO_DATA}."))
    body.append(Heading(1, "Kết quả thực hiện"))
    body.append(Heading(2, "Thực hiện các nhiệm vụ của Kế hoạch"))
    completion = sources.task_completion(unit, year)
    appendices: list[Appendix] = []
    rows: list[list[str]] = []
    if plan is not None:
        rows = _task_result_rows(plan, year)
        body.append(
            Paragraph(
                f"Tiến độ chung các nhiệm vụ năm {year}: {figure_text(completion)}. Kết quả từng nhiệm vụ tại Phụ "
                "lục kèm theo."
            )
        )
        appendices.append(
            Appendix(
                title="Phụ lục kết quả thực hiện nhiệm vụ",
                subtitle=f"Năm {year} của {unit_label(unit)}",
                note=attachment_line("Báo cáo", symbol_for(Kind.ANNUAL_REPORT, unit), unit, year, options),
                blocks=[
                    Table(
                        columns=[
                            "STT",
                            "Nhiệm vụ cụ thể",
                            "Cơ quan chủ trì",
                            "Thời gian thực hiện",
                            f"Kết quả năm {year}",
                        ],
                        rows=rows or [["", NO_DATA, "", "", ""]],
                        widths=[14, 112, 42, 36, 48],
                        align=["center", "justify", "center", "center", "left"],
                        font_size=12,
                    )
                ],
                landscape=True,
            )
        )
    else:
        body.append(Paragraph(f"Tiến độ các nhiệm vụ: {NO_DATA}."))
    body.append(Heading(2, "Công tác thông tin, tuyên truyền"))
    body += _communication_blocks(year, results)
    body.append(Heading(2, "Sự hài lòng của người dân"))
    body += _satisfaction_blocks(unit, year)
    body.append(Heading(2, "Tiếp nhận, xử lý phản ánh, kiến nghị"))
    body += _feedback_blocks(unit, year)
    dossier = _dossier_blocks(unit, year)
    if dossier:
        body.append(Heading(2, "Giải quyết thủ tục hành chính"))
        body += dossier
    body.append(Heading(2, "Kết quả đánh giá, chấm điểm"))
    if summary is not None and summary.counts is not None:
        body.append(Paragraph(sentence(standing_sentence(summary))))
        body.append(Paragraph(sentence(counts_sentence(summary))))
    else:
        body.append(no_cycle(unit, year))
    budget = _budget_blocks(results)
    if budget:
        body.append(Heading(2, "Kinh phí thực hiện"))
        body += budget
    rewards = _reward_blocks(unit, year, results)
    if rewards:
        body.append(Heading(2, "Công tác thi đua, khen thưởng"))
        body += rewards
    good = practice_lines((results or {}).get("good_practices") or [])
    if good:
        body.append(Heading(2, "Cách làm hay, mô hình hiệu quả"))
        body += bullets(good)
    gaps = year_gaps(unit, year)
    gap_texts = gap_lines(gaps)
    body.append(Heading(1, "Tồn tại, hạn chế"))
    body += bullets(gap_texts) if gap_texts else [Paragraph("Không có tồn tại, hạn chế phát sinh trong năm.")]
    difficulties, proposals = obstacle_texts(unit, year)
    body.append(Heading(1, "Khó khăn, vướng mắc"))
    body += bullets(difficulties) if difficulties else [Paragraph("Không có khó khăn, vướng mắc phát sinh.")]
    body.append(Heading(1, "Đề xuất, kiến nghị"))
    body += bullets(proposals) if proposals else [Paragraph("Không có đề xuất, kiến nghị.")]
    body.append(Heading(1, f"Phương hướng, nhiệm vụ năm {year + 1}"))
    next_target = sources.target_level(unit, year + 1)
    body.append(
        Paragraph(
            f"Tiếp tục thực hiện các nhiệm vụ của Kế hoạch; phấn đấu năm {year + 1} đạt chuẩn {MODEL} "
            f"{('mức độ ' + next_target) if next_target else 'theo mục tiêu đã đề ra'}"
            + (". Trong đó:" if remedy_lines(gaps) else ".")
        )
    )
    body += bullets(remedy_lines(gaps))
    subject = f"Kết quả thực hiện mô hình {MODEL} năm {year}"
    document = base_document(
        unit,
        Kind.ANNUAL_REPORT,
        year,
        options,
        type_name="Báo cáo",
        subject=subject,
        body=body,
        appendices=appendices,
    )
    data = {
        **standing_data(summary),
        "tien_do_chung": percent(completion.percent) if completion is not None else "",
        "nhiem_vu": [
            {"stt": r[0], "noi_dung": r[1], "chu_tri": r[2], "thoi_gian": r[3], "ket_qua": r[4]} for r in rows
        ],
        "ton_tai": gap_texts,
        "kho_khan": difficulties,
        "de_xuat": proposals,
    }
    return Built(document, data)
