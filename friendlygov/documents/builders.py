"""The documents of the cycle, written from the data: functions (unit, year, options) → OfficialDocument.

Each builder reads through ``documents.sources`` (the other areas' selectors; an area not there gives
"chưa có số liệu") and returns a :class:`Built`: the Decree 30 document model that ``render_docx`` lays
out, plus the same content as plain data for an administrator's Word template. Nothing here writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

from friendlygov.documents import sources
from friendlygov.documents.models import IssuedDocument, Kind
from friendlygov.documents.render import (
    Appendix,
    Block,
    Bullet,
    Heading,
    OfficialDocument,
    PageBreak,
    Paragraph,
    Signature,
    Table,
    attachment_note,
    format_number_line,
    vn_date_line,
    vn_short_date,
)
from friendlygov.org.models import Body, Unit
from friendlygov.rules.service_index import INDICATOR_NAMES
from friendlygov.rules.text import format_vn_number, normalize_vi

MODEL = "“Chính quyền thân thiện”"
NO_DATA = sources.NO_DATA
NAME_BLANK = "……………………"
REVIEW_YEARS = {2027: "mid", 2030: "final"}

# The symbols (ký hiệu) by kind; a công văn takes the drafting body's code after "UBND-".
SYMBOLS: dict[str, str] = {
    Kind.PLAN: "KH-UBND",
    Kind.SELF_ASSESSMENT: "BC-UBND",
    Kind.SUBMISSION: "TTr-UBND",
    Kind.ANNUAL_REPORT: "BC-UBND",
    Kind.REVIEW: "BC-UBND",
    Kind.CITY_REPORT: "BC-SNV",
}


class DocumentDataError(ValidationError):
    """The data cannot give this document (message in Vietnamese, naming the field)."""


def _problem(message: Any, **params: Any) -> ValidationError:
    """A lazy message: documents are built in Vietnamese (translation.override), the page shows the
    problem in the reader's language once the build has stopped."""
    return ValidationError(message, params=params)


@dataclass
class Signer:
    authority: str = ""  # "TM. Ủy ban nhân dân"
    capacity: str = ""  # "KT. Chủ tịch"
    title: str = ""  # "Phó Chủ tịch"
    name: str = ""

    def signature(self) -> Signature:
        return Signature(
            authority=self.authority.strip() or None,
            capacity=self.capacity.strip() or None,
            title=self.title.strip(),
            name=self.name.strip() or NAME_BLANK,
        )


@dataclass
class Options:
    number: int | None = None
    issued_on: dt.date | None = None
    signer: Signer | None = None
    recipients: list[str] | None = None


@dataclass
class Built:
    document: OfficialDocument
    data: dict[str, Any] = field(default_factory=dict)  # kind-specific plain data for templates


# ------------------------------------------------------------------------------------------ helpers


def points(value: Decimal | float | int | None) -> str:
    """Scores the Vietnamese way, trailing zeros dropped: 92.50 → "92,5"; None → "—"."""
    if value is None:
        return "—"
    return format_vn_number(Decimal(str(value)), 2, trim_zeros=True)


def percent(value: Decimal | float | int | None) -> str:
    if value is None:
        return NO_DATA
    return format_vn_number(Decimal(str(value)), 2, trim_zeros=True) + "%"


def count(value: int | None) -> str:
    return NO_DATA if value is None else format_vn_number(Decimal(value), 0)


def unit_label(unit: Unit) -> str:
    """ "xã Thanh Miện", "phường Lê Chân", "thành phố Hải Phòng"."""
    return f"{unit.kind_prefix} {unit.name}"


def committee(unit: Unit) -> str:
    """ "Ủy ban nhân dân xã Thanh Miện"."""
    return f"Ủy ban nhân dân {unit_label(unit)}"


def city_of(unit: Unit) -> Unit | None:
    if unit.is_city:
        return unit
    return unit.parent


def home_affairs(unit: Unit) -> str:
    """ "Sở Nội vụ thành phố Hải Phòng" (the city's Department of Home Affairs)."""
    city = city_of(unit)
    return f"Sở Nội vụ {unit_label(city)}" if city is not None else "Sở Nội vụ"


def lower_first(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[1].islower() and not text.startswith(("Ủy ban", "Đảng", "Nhà nước")):
        return text[0].lower() + text[1:]
    return text


def sentence(text: str, end: str = ".") -> str:
    text = text.strip()
    if not text:
        return text
    return text if text[-1] in ".;:!?" else text + end


def _bullets(items: Sequence[str]) -> list[Block]:
    """ "- " lines with ";" after each and "." after the last (Decree 30 lists)."""
    cleaned = [i.strip().rstrip(".;,") for i in items if i and i.strip()]
    return [Bullet(text + ("." if index == len(cleaned) - 1 else ";")) for index, text in enumerate(cleaned)]


_ITEM = re.compile(r"^([a-zđ])\)\s+(.*)$")


def text_blocks(text: str) -> list[Block]:
    """Free text typed in the app as blocks: "a) …" items and other lines → paragraphs, "- …" → bullets."""
    blocks: list[Block] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        item = _ITEM.match(line)
        if item is not None:
            # A paragraph, not a level-3 heading: headings keep with the next block, and a run of long
            # "a) … b) …" items would then be pushed whole onto the next page.
            blocks.append(Paragraph(f"{item[1]}) {item[2].strip()}"))
        elif line[:1] in "-•+":
            blocks.append(Bullet(line.lstrip("-•+ ").strip()))
        else:
            blocks.append(Paragraph(line))
    return blocks


def _is_request_body(body: Body | None, name: str) -> bool:
    """Bodies outside the People's Committee (Front, Party, associations) are asked, not assigned."""
    if body is not None and body.kind in (Body.Kind.FRONT, Body.Kind.PARTY, Body.Kind.SOCIOPOLITICAL):
        return True
    key = normalize_vi(name)
    return key.startswith(
        ("uy ban mat tran", "ban xay dung dang", "mat tran to quoc", "cac to chuc chinh tri")
    )


def default_signer(unit: Unit) -> Signer:
    """TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH + the leader's name (the city: Sở Nội vụ)."""
    if unit.is_city:
        return Signer(authority="", capacity="KT. Giám đốc", title="Phó Giám đốc", name="")
    leader = sources.leader_of(unit)
    name = leader.get_full_name() if leader is not None else ""
    title = normalize_vi(getattr(leader, "position_title", "") or "")
    if "chu tich" in title and "pho chu tich" not in title:
        return Signer(authority="TM. Ủy ban nhân dân", capacity="", title="Chủ tịch", name=name)
    return Signer(authority="TM. Ủy ban nhân dân", capacity="KT. Chủ tịch", title="Phó Chủ tịch", name=name)


def _storage_code(unit: Unit) -> str:
    body = sources.coordinator_body(unit)
    return body.code if body is not None else "VHXH"


def _filing_line(unit: Unit) -> str:
    return f"Lưu: VT, {_storage_code(unit)}"


def default_recipients(kind: str, unit: Unit) -> list[str]:
    prefix = unit.kind_prefix
    villages = "Các tổ dân phố trên địa bàn" if unit.kind == Unit.Kind.WARD else "Các thôn trên địa bàn"
    filing = _filing_line(unit)
    if kind == Kind.PLAN:
        return [
            "Sở Nội vụ thành phố",
            f"Thường trực Đảng ủy {prefix}",
            f"Thường trực HĐND {prefix}",
            f"CT, các PCT UBND {prefix}",
            "Các cơ quan, đơn vị",
            villages,
            filing,
        ]
    if kind == Kind.REGISTRATION:
        return ["Như trên", f"CT, các PCT UBND {prefix}", filing]
    if kind == Kind.SUBMISSION:
        return ["Như trên", "Sở Nội vụ thành phố", f"Thường trực Đảng ủy {prefix}", filing]
    if kind == Kind.CITY_REPORT:
        return ["Ủy ban nhân dân thành phố (để báo cáo)", "Giám đốc, các Phó Giám đốc Sở", "Lưu: VT, XDCQ"]
    return [
        "Sở Nội vụ thành phố",
        f"Thường trực Đảng ủy {prefix}",
        f"Thường trực HĐND {prefix}",
        f"CT, các PCT UBND {prefix}",
        "Các cơ quan, đơn vị",
        filing,
    ]


def symbol_for(kind: str, unit: Unit) -> str:
    if kind == Kind.REGISTRATION:
        return f"UBND-{_storage_code(unit)}"
    return SYMBOLS.get(kind, "UBND")


def criteria_set_title(criteria_set: Any) -> str:
    """The set as an official document names it: by the decision that issued it ("Bộ tiêu chí, Bảng thang điểm
    ban hành kèm theo Quyết định số 5049/QĐ-UBND…"), never by its internal code or a provisional caveat (those
    show on the pages)."""
    data = getattr(criteria_set, "data", None) or {}
    decision = re.sub(r"\s*\([^)]*\)\s*$", "", str(data.get("decision") or "")).strip()
    if decision:
        issued_by = str(data.get("issued_by") or "").strip()
        number = f"Quyết định số {decision}" if decision[:1].isdigit() else decision
        return f"Bộ tiêu chí, Bảng thang điểm ban hành kèm theo {number}" + (f" của {issued_by}" if issued_by else "")
    return re.split(r"\s+[—–-]\s+tạm thời", str(criteria_set.name), maxsplit=1, flags=re.IGNORECASE)[0].strip()


def _criteria_basis(cycle: Any) -> str | None:
    """ "Quyết định số 5049/QĐ-UBND ngày 11/12/2025 của Ủy ban nhân dân thành phố Hải Phòng" from the set."""
    if cycle is None:
        return None
    data = getattr(cycle.criteria_set, "data", None) or {}
    decision = re.sub(r"\s*\([^)]*\)\s*$", "", str(data.get("decision") or "")).strip()
    if not decision:
        return None
    issued_by = str(data.get("issued_by") or "").strip()
    text = f"Quyết định số {decision}" if decision[:1].isdigit() else decision
    if issued_by:
        text += f" của {issued_by}"
    return text + f" về Bộ tiêu chí, Bảng thang điểm và quy trình xét công nhận {MODEL} cấp xã"


def _issued(unit: Unit, kind: str, year: int | None = None) -> IssuedDocument | None:
    documents = IssuedDocument.objects.filter(unit=unit, kind=kind, draft=False, number__isnull=False)
    if year is not None:
        documents = documents.filter(year=year)
    return documents.order_by("-issued_on", "-id").first()


def _doc_reference(document: IssuedDocument, type_name: str) -> str:
    number = format_number_line(str(document.number), document.symbol).removeprefix("Số: ")
    return f"{type_name} số {number} ngày {vn_short_date(document.issued_on)} của {committee(document.unit)}"


def plan_reference(unit: Unit, plan: Any, year: int) -> str | None:
    """ "Kế hoạch số 12/KH-UBND ngày 15/4/2026 của Ủy ban nhân dân xã Thanh Miện về …"."""
    if plan is None:
        return None
    about = f" về {lower_first(plan.title)}" if plan.title else ""
    issued = (
        IssuedDocument.objects.filter(
            unit=unit, kind=Kind.PLAN, draft=False, number__isnull=False, year__lte=year
        )
        .order_by("-issued_on", "-id")
        .first()
    )
    if issued is not None:
        return _doc_reference(issued, "Kế hoạch") + about
    number = (plan.number or "").strip()
    if number:
        if "/" not in number:
            number = f"{number}/KH-UBND"
        when = f" ngày {vn_short_date(plan.issued_on)}" if plan.issued_on else ""
        return f"Kế hoạch số {number}{when} của {committee(unit)}{about}"
    return f"Kế hoạch của {committee(unit)}{about}"


def _base(
    unit: Unit,
    kind: str,
    year: int,
    options: Options,
    *,
    type_name: str | None,
    subject: str,
    body: list[Block],
    summary_line: str | None = None,
    addressees: list[str] | None = None,
    appendices: list[Appendix] | None = None,
) -> OfficialDocument:
    if unit.is_city:
        parent: str | None = f"Ủy ban nhân dân\n{unit_label(unit)}"
        issuing = "Sở Nội vụ"
    else:
        parent = None  # a commune-level People's Committee has no direct parent body in its header
        issuing = f"Ủy ban nhân dân\n{unit_label(unit)}"
    signer = options.signer or default_signer(unit)
    recipients = options.recipients if options.recipients is not None else default_recipients(kind, unit)
    draft = options.number is None
    issued_on = options.issued_on if not draft else None
    return OfficialDocument(
        parent_body=parent,
        issuing_body=issuing,
        number=None if draft else str(options.number),
        symbol=symbol_for(kind, unit),
        place=unit.name,
        date=issued_on,
        type_name=type_name,
        subject=subject,
        summary_line=summary_line,
        body=body,
        recipients=recipients,
        signature=signer.signature(),
        appendices=appendices or [],
        draft=draft,
        addressees=addressees or [],
        year=options.issued_on.year if options.issued_on else year,
    )


def _note(type_name: str, document_symbol: str, unit: Unit, year: int, options: Options) -> str:
    number = None if options.number is None else str(options.number)
    when = options.issued_on if options.number is not None else None
    issuer = "Sở Nội vụ " + unit_label(unit) if unit.is_city else committee(unit)
    shown_year = options.issued_on.year if options.issued_on else year
    return attachment_note(type_name, number, document_symbol, when, issuer, year=shown_year)


def _figure_text(figure: Any) -> str:
    """A measured figure as a sentence part: "92,5% (Khảo sát SIPAS năm 2026 (364 phiếu))"."""
    if figure is None:
        return NO_DATA
    return (
        f"{percent(figure.percent)}; {lower_first(figure.label)}" if figure.label else percent(figure.percent)
    )


# --------------------------------------------------------------------------------------------- plan


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
    """Section II: the first line of the seed, then one line per run of years with the same target note."""
    blocks: list[Block] = [
        Paragraph(
            f"1. Kế hoạch được triển khai đồng bộ tại tất cả các cơ quan, đơn vị trên địa bàn {unit.kind_prefix} "
            f"từ năm {plan.start_year}."
        )
    ]
    runs: list[tuple[list[int], str, str]] = []
    for target in sources.plan_targets(plan):
        note = (target.note or "").strip()
        if runs and runs[-1][1] == target.level_code and runs[-1][2] == note and note:
            runs[-1][0].append(target.year)
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
            title = f"Đề nghị {name}" if _is_request_body(body, name) else name
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
                "year": _problem(
                    gettext_lazy("%(c)s chưa có kế hoạch nào áp dụng cho năm %(y)s nên chưa lập được Kế hoạch."),
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
    focus = ""
    if bases:
        focus = ", trọng tâm là: " + "; ".join(bases)
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
        note=_note("Kế hoạch", symbol_for(Kind.PLAN, unit), unit, year, options),
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
    document = _base(
        unit, Kind.PLAN, year, options, type_name="Kế hoạch", subject=title, body=body, appendices=[appendix]
    )
    data = {
        "ke_hoach": {
            "trich_yeu": title,
            "tu_nam": plan.start_year,
            "den_nam": plan.end_year,
            "va_nhung_nam_tiep_theo": plan.open_ended,
            "lan_sua_doi": plan.revision,
        },
        "nhiem_vu": [
            {"stt": r[0], "noi_dung": r[1], "thoi_gian": r[2], "chu_tri": r[3], "phoi_hop": r[4]}
            for r in rows
        ],
    }
    return Built(document, data)


# ------------------------------------------------------------------------------------- registration


def _registered_level(unit: Unit, year: int) -> tuple[str | None, Any, Any]:
    """(level name, cycle, registration): the registration in the assessment cycle, else the plan's target."""
    cycle = sources.cycle(unit, year)
    registration = sources.registration(cycle)
    if registration is not None:
        return registration.target_level_name or f"Mức độ {registration.target_level}", cycle, registration
    target = sources.target_level(unit, year)
    if target:
        return f"Mức độ {target}", cycle, None
    return None, cycle, None


def build_registration(unit: Unit, year: int, options: Options) -> Built:
    level, cycle, registration = _registered_level(unit, year)
    plan = sources.plan_for_year(unit, year)
    coordinator = sources.coordinator_body(unit)
    body: list[Block] = []
    basis = _criteria_basis(cycle)
    if basis:
        body.append(Paragraph(f"Căn cứ {basis};"))
    reference = plan_reference(unit, plan, year)
    if reference:
        body.append(Paragraph(f"Thực hiện {reference},"))
    body.append(Paragraph(f"{committee(unit)} đăng ký mức đạt chuẩn {MODEL} năm {year} như sau:"))
    items = [f"Mức đăng ký: **{level}**" if level else f"Mức đăng ký: {NO_DATA}"]
    target = sources.target_level(unit, year)
    if target and plan is not None:
        items.append(f"Mục tiêu năm {year} theo Kế hoạch của {unit.kind_prefix}: mức độ {target}")
    if coordinator is not None:
        contact = f"Cơ quan đầu mối tham mưu, theo dõi: {coordinator.name}"
        if coordinator.phone:
            contact += f", điện thoại {coordinator.phone}"
        if coordinator.email:
            contact += f", thư điện tử {coordinator.email}"
        items.append(contact)
    body += _bullets(items)
    body.append(Paragraph(f"{committee(unit)} kính đề nghị {home_affairs(unit)} tổng hợp, theo dõi."))
    subject = f"đăng ký mức đạt chuẩn {MODEL} năm {year}"
    document = _base(
        unit,
        Kind.REGISTRATION,
        year,
        options,
        type_name=None,
        subject=subject,
        summary_line=f"V/v {subject}",
        addressees=[home_affairs(unit)],
        body=body,
    )
    data = {
        "muc_dang_ky": level or "",
        "muc_tieu_ke_hoach": target or "",
        "bo_tieu_chi": criteria_set_title(cycle.criteria_set) if cycle is not None else "",
        "trang_thai_dang_ky": str(registration.get_status_display()) if registration is not None else "",
    }
    return Built(document, data)


# ---------------------------------------------------------------------------------- self-assessment


@dataclass
class ScoreRow:
    code: str
    name: str
    depth: int
    is_group: bool
    is_condition: bool
    max_points: Decimal | None
    self_points: Decimal | None
    consolidated_points: Decimal | None
    appraised_points: Decimal | None
    self_text: str
    consolidated_text: str
    appraised_text: str
    evidence: list[str]
    bonus: bool = False


@dataclass
class Scores:
    cycle: Any
    rows: list[ScoreRow]
    scale: Decimal
    totals: dict[str, Decimal]
    levels: dict[str, str]  # column → level name ("" not achieved)
    appraised: bool
    criteria_set: str
    bonus_cap: Decimal | None = None


_PROVISIONAL = re.compile(r"\s*\((?:giả định|tạm thời|dự kiến)\)", re.IGNORECASE)


def official_text(text: str) -> str:
    """A name from a provisional criteria set without its "(giả định)" marker: the pages label the set as
    provisional; a signed document does not."""
    return _PROVISIONAL.sub("", text).strip()


def scores(unit: Unit, year: int) -> Scores | None:
    """The cycle's criteria with the three columns and the evidence list (None when no cycle)."""
    cycle = sources.cycle(unit, year)
    data = sources.cycle_data(cycle)
    if cycle is None or data is None:
        return None
    rows: list[ScoreRow] = []
    for row in sources.criterion_rows(data):
        tree = row.row
        evidence = []
        if row.is_leaf:
            for link in data.live_evidence(row.code):
                if link.evidence is not None:
                    evidence.append(link.evidence.title or link.evidence.original_name)
                elif link.note:
                    evidence.append(link.note)
        rows.append(
            ScoreRow(
                code=row.code,
                name=official_text(tree.name),
                depth=tree.depth,
                is_group=not tree.is_leaf,
                is_condition=tree.is_condition,
                max_points=tree.max_points,
                self_points=row.points.get("self"),
                consolidated_points=row.points.get("consolidated"),
                appraised_points=row.points.get("appraised"),
                self_text=row.texts.get("self", ""),
                consolidated_text=row.texts.get("consolidated", ""),
                appraised_text=row.texts.get("appraised", ""),
                evidence=evidence,
                bonus=tree.bonus,
            )
        )
    appraised = bool(cycle.final_result)
    totals: dict[str, Decimal] = {}
    levels: dict[str, str] = {}
    for column in ("self", "consolidated", "appraised"):
        result = data.result(column)
        totals[column] = result.total
        levels[column] = result.level.name if result.level else ""
    return Scores(
        cycle=cycle,
        rows=rows,
        scale=data.cs.scale,
        totals=totals,
        levels=levels,
        appraised=appraised,
        criteria_set=criteria_set_title(cycle.criteria_set),
        bonus_cap=data.cs.bonus_cap,
    )


UNSCORED = "chưa chấm"


def _row_points(row: ScoreRow, column: str) -> Decimal | None:
    return {
        "self": row.self_points,
        "consolidated": row.consolidated_points,
        "appraised": row.appraised_points,
    }[column]


def _value(row: ScoreRow, column: str) -> str:
    """A criterion's cell: its points, a condition's verdict, "chưa chấm" when it has none (never 0)."""
    if row.is_condition:
        return {
            "self": row.self_text,
            "consolidated": row.consolidated_text,
            "appraised": row.appraised_text,
        }[column] or UNSCORED
    value = _row_points(row, column)
    return UNSCORED if value is None else points(value)


# The stage a total comes from, as the documents name it: "Tổng điểm <stage>: N điểm".
STAGE_TOTALS = {
    "self": "tự chấm",
    "consolidated": "sau khi thống nhất",
    "appraised": "thẩm định",
    "recognised": "thẩm định",
}


def standing_sentence(summary: Any) -> str:
    """The unit's total and level now, saying which stage they come from (``assessments.current_standing``
    through the cycle summary) — the same words in every document that states them."""
    level = summary.current_level_name.lower() if summary.current_level_name else "chưa đạt chuẩn"
    text = (
        f"Tổng điểm {STAGE_TOTALS[summary.current_stage]}: **{points(summary.current_total)}** điểm, tương ứng "
        f"{level}"
    )
    if summary.current_stage == "recognised":
        text += f"; đã được công nhận đạt chuẩn {MODEL} {level}"
        if summary.recognition_decision:
            text += f" (Quyết định số {summary.recognition_decision})"
    return text


def counts_sentence(summary: Any) -> str:
    """How many criteria are scored, at their maximum, below it and not scored (``criteria_counts``)."""
    counts = summary.counts
    text = (
        f"Đã chấm {counts.scored}/{counts.criteria} tiêu chí: {counts.at_maximum_count} tiêu chí đạt điểm tối "
        f"đa, {counts.below_maximum_count} tiêu chí chưa đạt điểm tối đa, {counts.unscored_count} tiêu chí "
        f"chưa chấm"
    )
    if counts.conditions:
        text += f"; {counts.conditions_answered}/{counts.conditions} điều kiện đã có kết quả"
    return text


def scoring_table(result: Scores, *, appraised: bool = False, evidence: bool = True) -> Table:
    columns = ["Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Điểm thống nhất"]
    widths = [18.0, 110.0, 22.0, 24.0, 24.0]
    if appraised:
        columns.append("Điểm thẩm định")
        widths.append(24.0)
    if evidence:
        columns.append("Minh chứng")
        widths.append(54.0 if not appraised else 30.0)
    rows: list[list[str]] = []
    for row in result.rows:
        mark = "**" if row.is_group or row.depth == 0 else ""
        name = f"{mark}{row.name}{mark}" if mark else row.name
        if row.bonus:
            name += " *(điểm thưởng)*"
        cells = [
            f"{mark}{row.code}{mark}" if mark else row.code,
            name,
            "" if row.max_points is None else points(row.max_points),
            _value(row, "self"),
            _value(row, "consolidated"),
        ]
        if appraised:
            cells.append(_value(row, "appraised"))
        if evidence:
            cells.append("\n".join(f"- {e}" for e in row.evidence) if row.evidence else "")
        rows.append(cells)
    total = ["", "**Tổng cộng**", f"**{points(result.scale)}**"]
    total += [f"**{points(result.totals['self'])}**", f"**{points(result.totals['consolidated'])}**"]
    if appraised:
        total.append(f"**{points(result.totals['appraised'])}**")
    if evidence:
        total.append("")
    rows.append(total)
    level_row = ["", "**Mức đạt chuẩn tương ứng**", ""]
    level_row += [result.levels["self"] or "Chưa đạt", result.levels["consolidated"] or "Chưa đạt"]
    if appraised:
        level_row.append(result.levels["appraised"] or "Chưa đạt")
    if evidence:
        level_row.append("")
    rows.append(level_row)
    align: list[Any] = ["center", "left", "center", "center", "center"]
    if appraised:
        align.append("center")
    if evidence:
        align.append("left")
    return Table(columns=columns, rows=rows, widths=widths, align=align, font_size=12)


def _group_table(result: Scores) -> Table:
    rows = []
    for index, row in enumerate([r for r in result.rows if r.depth == 0 and not r.is_condition], start=1):
        rows.append(
            [
                str(index),
                row.name,
                points(row.max_points),
                _value(row, "self"),
                _value(row, "consolidated"),
            ]
        )
    rows.append(
        [
            "",
            "**Tổng cộng**",
            f"**{points(result.scale)}**",
            f"**{points(result.totals['self'])}**",
            f"**{points(result.totals['consolidated'])}**",
        ]
    )
    return Table(
        columns=["STT", "Nhóm tiêu chí", "Điểm tối đa", "Tự chấm", "Thống nhất"],
        rows=rows,
        widths=[12, 83, 22, 24, 24],
        align=["center", "left", "center", "center", "center"],
    )


def _no_cycle(unit: Unit, year: int) -> Paragraph:
    return Paragraph(
        f"Năm {year}, thành phố chưa mở kỳ đánh giá “Chính quyền thân thiện” cho {unit_label(unit)} nên kết quả "
        f"tự đánh giá, chấm điểm {NO_DATA}."
    )


def build_self_assessment(unit: Unit, year: int, options: Options) -> Built:
    result = scores(unit, year)
    level, cycle, _registration = _registered_level(unit, year)
    plan = sources.plan_for_year(unit, year)
    summary = sources.cycle_summary(unit, year)
    coordinator = sources.coordinator_body(unit)
    basis = [b for b in (_criteria_basis(cycle), plan_reference(unit, plan, year)) if b]
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
        body.append(_no_cycle(unit, year))
    else:
        counts = summary.counts
        text = standing_sentence(summary)
        if summary.current_stage != "self":
            text += f" (tổng điểm tự chấm của các cơ quan, đơn vị: {points(result.totals['self'])} điểm)"
        body.append(Paragraph(f"{text}. Kết quả theo nhóm tiêu chí:"))
        body.append(_group_table(result))
        conditions = [r for r in result.rows if r.is_condition]
        column = counts.column  # the column the current total comes from
        if conditions:
            body.append(Heading(2, "Các điều kiện"))
            body += _bullets([f"{r.name}: {_value(r, column)}" for r in conditions])
        body.append(Heading(1, "Đánh giá chung"))
        by_code = {r.code: r for r in result.rows}
        body.append(Heading(2, "Ưu điểm"))
        body.append(Paragraph(f"Có {counts.at_maximum_count}/{counts.criteria} tiêu chí đạt điểm tối đa."))
        body.append(Heading(2, "Tồn tại, hạn chế"))
        short = [
            f"Tiêu chí {code} - {by_code[code].name}: đạt {_value(by_code[code], column)}/"
            f"{points(by_code[code].max_points)} điểm"
            for code in counts.below_maximum
            if code in by_code
        ] + [
            f"Tiêu chí {code} - {by_code[code].name}: {UNSCORED}"
            for code in counts.unscored
            if code in by_code
        ]
        if short:
            body += _bullets(short)
        else:
            body.append(Paragraph("Không có tiêu chí nào bị trừ điểm."))
        appendices.append(
            Appendix(
                title="Bảng tự đánh giá, chấm điểm",
                subtitle=f"Các tiêu chí mô hình {MODEL} năm {year} của {unit_label(unit)}",
                note=_note("Báo cáo", symbol_for(Kind.SELF_ASSESSMENT, unit), unit, year, options),
                blocks=[scoring_table(result)],
                landscape=True,
            )
        )
        data.update(_scores_data(result))
        data.update(_standing_data(summary))
    body.append(Heading(1, "Đề xuất, kiến nghị"))
    if summary is not None and summary.current_level_name and summary.current_stage != "recognised":
        body.append(
            Paragraph(
                f"{committee(unit)} kính đề nghị {home_affairs(unit)} thẩm định, trình Ủy ban nhân dân thành phố "
                f"xem xét, công nhận {unit_label(unit)} đạt chuẩn {MODEL} "
                f"{summary.current_level_name.lower()} năm {year}."
            )
        )
    else:
        body.append(
            Paragraph(
                f"{committee(unit)} tiếp tục chỉ đạo khắc phục các tồn tại, hạn chế; kính đề nghị {home_affairs(unit)} "
                "quan tâm hướng dẫn."
            )
        )
    subject = f"Kết quả tự đánh giá, chấm điểm các tiêu chí mô hình {MODEL} năm {year}"
    document = _base(
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


def _standing_data(summary: Any) -> dict[str, Any]:
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


def _scores_data(result: Scores) -> dict[str, Any]:
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
                "tu_cham": _value(r, "self"),
                "thong_nhat": _value(r, "consolidated"),
                "tham_dinh": _value(r, "appraised"),
                "minh_chung": list(r.evidence),
            }
            for r in result.rows
        ],
    }


# --------------------------------------------------------------------------------------- submission


def build_submission(unit: Unit, year: int, options: Options) -> Built:
    result = scores(unit, year)
    level, cycle, _registration = _registered_level(unit, year)
    plan = sources.plan_for_year(unit, year)
    summary = sources.cycle_summary(unit, year)
    # recognition is asked only for a level the current total reaches (and not again once recognised)
    proposed = summary.current_level_name if summary is not None and result is not None else ""
    city = city_of(unit)
    city_committee = committee(city) if city is not None else "Ủy ban nhân dân thành phố"
    body: list[Block] = [
        Paragraph(f"Kính gửi: {city_committee}.", align="center", first_line_indent=False),
    ]
    basis = _criteria_basis(cycle)
    if basis:
        body.append(Paragraph(f"Căn cứ {basis};"))
    reference = plan_reference(unit, plan, year)
    if reference:
        body.append(Paragraph(f"Căn cứ {reference};"))
    report = _issued(unit, Kind.SELF_ASSESSMENT, year)
    if report is not None:
        body.append(
            Paragraph(f"Căn cứ {_doc_reference(report, 'Báo cáo')} về kết quả tự đánh giá, chấm điểm,")
        )
    if result is None or summary is None or summary.counts is None:
        body.append(_no_cycle(unit, year))
    else:
        body.append(
            Paragraph(
                f"{committee(unit)} đã tổ chức tự đánh giá, chấm điểm các tiêu chí mô hình {MODEL} năm {year}; "
                f"mức đăng ký: {(level or NO_DATA).lower()}. {counts_sentence(summary)}."
            )
        )
        body.append(Paragraph(sentence(standing_sentence(summary))))
    if proposed:
        body.append(
            Paragraph(
                f"{committee(unit)} kính trình {city_committee} (qua Sở Nội vụ) xem xét, công nhận "
                f"{unit_label(unit)} đạt chuẩn {MODEL} {proposed.lower()} năm {year}."
            )
        )
    else:
        body.append(
            Paragraph(
                f"{committee(unit)} kính trình {city_committee} (qua Sở Nội vụ) xem xét kết quả thực hiện mô hình "
                f"{MODEL} năm {year} của {unit_label(unit)}."
            )
        )
    body.append(Paragraph("Hồ sơ kèm theo gồm:"))
    files = []
    registration_doc = _issued(unit, Kind.REGISTRATION, year)
    files.append(
        _doc_reference(registration_doc, "Văn bản đăng ký mức đạt chuẩn")
        if registration_doc
        else f"Văn bản đăng ký mức đạt chuẩn năm {year}"
    )
    files.append(
        _doc_reference(report, "Báo cáo tự đánh giá, chấm điểm")
        if report
        else "Báo cáo tự đánh giá, chấm điểm"
    )
    files.append("Bảng tự đánh giá, chấm điểm các tiêu chí kèm theo minh chứng")
    annual = _issued(unit, Kind.ANNUAL_REPORT, year)
    files.append(
        _doc_reference(annual, "Báo cáo kết quả thực hiện")
        if annual
        else f"Báo cáo kết quả thực hiện năm {year}"
    )
    body += _bullets(files)
    body.append(Paragraph(f"Kính trình {city_committee} xem xét, quyết định."))
    level_words = f" {proposed.lower()}" if proposed else ""
    subject = f"Về việc đề nghị công nhận {unit_label(unit)} đạt chuẩn {MODEL}{level_words} năm {year}"
    document = _base(unit, Kind.SUBMISSION, year, options, type_name="Tờ trình", subject=subject, body=body)
    data: dict[str, Any] = {"muc_de_nghi": proposed, "muc_dang_ky": level or ""}
    if result is not None:
        data.update(_scores_data(result))
        data.update(_standing_data(summary))
    return Built(document, data)


# ------------------------------------------------------------------------------------ annual report


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
    return [*blocks, *_bullets(items), Paragraph(sentence(panels_sentence(year, results)))]


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
    budget = (results or {}).get("budget") or {}
    if not budget.get("lines_count"):
        return []
    items = [
        f"Dự toán đề nghị: {money(budget.get('estimated'))}",
        f"Được phê duyệt: {money(budget.get('approved'))}",
        f"Đã chi: {money(budget.get('spent'))}"
        + (
            f" (đạt {percent(budget['used_percent'])} dự toán được duyệt)"
            if budget.get("used_percent") is not None
            else ""
        ),
    ]
    communication = budget.get("communication") or {}
    if communication.get("spent") is not None:
        items.append(f"Trong đó, chi cho công tác thông tin, tuyên truyền: {money(communication['spent'])}")
    return _bullets(items)


def _reward_blocks(results: dict[str, Any] | None) -> list[Block]:
    rewards = (results or {}).get("rewards") or {}
    if not rewards.get("nominations") and not rewards.get("decisions"):
        return []
    items = [
        f"Đề nghị khen thưởng {count(rewards.get('nominations'))} tập thể, cá nhân; Hội đồng thi đua - khen thưởng "
        f"thông qua {count(rewards.get('passed'))}; đã khen thưởng {count(rewards.get('awarded'))}"
    ]
    for decision in rewards.get("decisions") or []:
        signed = decision.get("signed_on")
        when = f" ngày {vn_short_date(signed)}" if signed else ""
        items.append(
            f"Quyết định số {decision.get('number')}{when}: {lower_first(str(decision.get('form_label', '')))} cho "
            f"{count(decision.get('count'))} tập thể, cá nhân"
        )
    return _bullets(items)


def _practice_lines(practices: Sequence[dict[str, Any]]) -> list[str]:
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
    items = [f"Chỉ số hài lòng qua khảo sát của {unit.kind_prefix} (SIPAS): {_figure_text(survey)}"]
    if city is not None:
        items.append(f"Chỉ số hài lòng do thành phố công bố: {_figure_text(city)}")
    if par is not None:
        items.append(f"Chỉ số cải cách hành chính (PAR INDEX): {_figure_text(par)}")
    return _bullets(items)


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
    return _bullets(items)


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
            items.append(f"{label}: {_figure_text(figure)}")
    return _bullets(items) if items else []


def _obstacle_texts(unit: Unit, year: int) -> tuple[list[str], list[str]]:
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
    level, _cycle, _registration = _registered_level(unit, year)
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
                f"Tiến độ chung các nhiệm vụ năm {year}: {_figure_text(completion)}. Kết quả từng nhiệm vụ tại Phụ "
                "lục kèm theo."
            )
        )
        appendices.append(
            Appendix(
                title="Phụ lục kết quả thực hiện nhiệm vụ",
                subtitle=f"Năm {year} của {unit_label(unit)}",
                note=_note("Báo cáo", symbol_for(Kind.ANNUAL_REPORT, unit), unit, year, options),
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
    body.append(Heading(2, "Kết quả tự đánh giá, chấm điểm"))
    if summary is not None and summary.counts is not None:
        body.append(Paragraph(sentence(standing_sentence(summary))))
        body.append(Paragraph(sentence(counts_sentence(summary))))
    else:
        body.append(_no_cycle(unit, year))
    budget = _budget_blocks(results)
    if budget:
        body.append(Heading(2, "Kinh phí thực hiện"))
        body += budget
    rewards = _reward_blocks(results)
    if rewards:
        body.append(Heading(2, "Công tác thi đua, khen thưởng"))
        body += rewards
    good = _practice_lines((results or {}).get("good_practices") or [])
    if good:
        body.append(Heading(2, "Cách làm hay, mô hình hiệu quả"))
        body += _bullets(good)
    shortfalls = [
        f"{item['name']}: {str(item.get('reason') or '').rstrip('.')}"
        + (f" ({str(item.get('status_label', '')).lower()})" if item.get("status_label") else "")
        for item in sources.shortfalls(unit, year)
    ]
    if shortfalls:
        body.append(Heading(1, "Tồn tại, hạn chế"))
        body += _bullets(shortfalls)
    difficulties, proposals = _obstacle_texts(unit, year)
    body.append(Heading(1, "Khó khăn, vướng mắc"))
    body += _bullets(difficulties) if difficulties else [Paragraph("Không có khó khăn, vướng mắc phát sinh.")]
    body.append(Heading(1, "Đề xuất, kiến nghị"))
    body += _bullets(proposals) if proposals else [Paragraph("Không có đề xuất, kiến nghị.")]
    body.append(Heading(1, f"Phương hướng, nhiệm vụ năm {year + 1}"))
    next_target = sources.target_level(unit, year + 1)
    body.append(
        Paragraph(
            f"Tiếp tục thực hiện các nhiệm vụ của Kế hoạch; phấn đấu năm {year + 1} đạt chuẩn {MODEL} "
            f"{('mức độ ' + next_target) if next_target else 'theo mục tiêu đã đề ra'}."
        )
    )
    subject = f"Kết quả thực hiện mô hình {MODEL} năm {year}"
    document = _base(
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
        **_standing_data(summary),
        "tien_do_chung": percent(completion.percent) if completion is not None else "",
        "nhiem_vu": [
            {"stt": r[0], "noi_dung": r[1], "chu_tri": r[2], "thoi_gian": r[3], "ket_qua": r[4]} for r in rows
        ],
        "kho_khan": difficulties,
        "de_xuat": proposals,
    }
    return Built(document, data)


# -------------------------------------------------------------------------------------------- review


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
                "year": _problem(
                    gettext_lazy("Năm %(y)s: báo cáo sơ kết chỉ lập cho năm 2027, báo cáo tổng kết cho năm 2030."),
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
        lines.append(f"Năm {current}: {_figure_text(figure)}")
    body += _bullets(lines)
    body.append(Heading(2, "Sự hài lòng của người dân"))
    body += _bullets(
        [
            f"Năm {current}: {_figure_text(sources.sipas_figure(unit, current))}"
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
    body += _bullets(feedback_lines)
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
        body += _bullets(total_lines)
    good = _practice_lines(sources.good_practices(unit))
    if good:
        body.append(Heading(2, "Cách làm hay, mô hình hiệu quả"))
        body += _bullets(good)
    body.append(Heading(1, "Tồn tại, hạn chế và nguyên nhân"))
    shortfalls = [
        f"Năm {r.year}: chưa đạt mục tiêu {r.target.lower()}"
        for r in rows
        if r.verdict == "Chưa đạt mục tiêu"
    ]
    for current in range(first, year + 1):
        shortfalls += _obstacle_texts(unit, current)[0]
    limitation_blocks = text_blocks(written.get("limitations", ""))
    if shortfalls:
        body += _bullets(shortfalls)
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
    document = _base(unit, Kind.REVIEW, year, options, type_name="Báo cáo", subject=subject, body=body)
    data = {
        "loai_bao_cao": what,
        "giai_doan": period,
        "cac_nam": [dataclasses.asdict(r) for r in rows],
    }
    return Built(document, data)


# --------------------------------------------------------------------------------------- city report


def city_rows(city: Unit, year: int) -> list[list[str]]:
    """Every unit of the city: registered level, self-score, appraised score, level reached/recognised."""
    return city_rows_of(city, sources.city_overview(city, year))


def city_rows_of(city: Unit, overview: list[Any] | None) -> list[list[str]]:
    """:func:`city_rows` from a city overview already read (None: the assessments area is not there)."""
    if overview is None:
        return [[str(i), u.full_name, NO_DATA, "", "", ""] for i, u in enumerate(_city_units(city), start=1)]
    rows = []
    for index, row in enumerate(overview, start=1):
        registration = row.registration
        consolidated = row.totals.get("consolidated")
        appraised = row.totals.get("appraised")
        level = row.recognition.level_name if row.recognition else (appraised[1] if appraised else "")
        rows.append(
            [
                str(index),
                row.unit.full_name,
                registration.target_level_name
                if registration
                else ("Chưa đăng ký" if row.cycle else NO_DATA),
                points(consolidated[0]) if consolidated else "—",
                points(appraised[0]) if appraised else "—",
                (level or "—") + (" (đã công nhận)" if row.recognition else ""),
            ]
        )
    return rows


def _city_units(city: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=city, is_active=True).order_by("name"))


def build_city_report(unit: Unit, year: int, options: Options) -> Built:
    if not unit.is_city:
        raise DocumentDataError(
            {
                "unit": _problem(
                    gettext_lazy("Báo cáo tổng hợp chỉ lập cho thành phố; %(u)s không phải thành phố."),
                    u=unit.full_name,
                )
            }
        )
    overview = sources.city_overview(unit, year)
    rows = city_rows_of(unit, overview)  # the overview is read once (it scores every unit)
    units = len(rows)
    body: list[Block] = []
    body.append(
        Paragraph(
            f"Sở Nội vụ báo cáo kết quả thực hiện mô hình {MODEL} năm {year} của các xã, phường, đặc khu trên địa "
            f"bàn {unit_label(unit)} như sau:"
        )
    )
    body.append(Heading(1, "Tình hình chung"))
    if overview is None:
        body.append(Paragraph(f"Kết quả đăng ký, tự đánh giá và thẩm định: {NO_DATA}."))
    else:
        opened = sum(1 for r in overview if r.cycle is not None)
        registered = sum(1 for r in overview if r.registration is not None)
        submitted = sum(1 for r in overview if r.cycle is not None and r.cycle.submitted_at is not None)
        appraised = sum(1 for r in overview if r.totals.get("appraised"))
        recognised = sum(1 for r in overview if r.recognition is not None)
        body += _bullets(
            [
                f"Tổng số đơn vị cấp xã: {units}; đã mở kỳ đánh giá năm {year}: {opened}",
                f"Số đơn vị đã đăng ký mức đạt chuẩn: {registered}",
                f"Số đơn vị đã nộp hồ sơ tự đánh giá: {submitted}",
                f"Số đơn vị đã được thẩm định: {appraised}; đã được công nhận: {recognised}",
            ]
        )
        by_level: dict[str, int] = {}
        for r in overview:
            if r.recognition is not None:
                by_level[r.recognition.level_name] = by_level.get(r.recognition.level_name, 0) + 1
        if by_level:
            body.append(
                Paragraph(
                    "Kết quả công nhận theo mức: "
                    + "; ".join(f"{k}: {v} đơn vị" for k, v in sorted(by_level.items()))
                    + "."
                )
            )
    body.append(Heading(1, "Kết quả của từng đơn vị"))
    body.append(Paragraph("*(có Phụ lục chi tiết kèm theo)*"))
    body.append(Heading(1, "Đề xuất, kiến nghị"))
    late = [r.unit.full_name for r in (overview or []) if r.submission_late]
    if late:
        body.append(
            Paragraph(
                "Đề nghị các đơn vị chưa nộp hồ sơ đúng hạn khẩn trương hoàn thiện: " + ", ".join(late) + "."
            )
        )
    else:
        body.append(
            Paragraph("Đề nghị Ủy ban nhân dân thành phố xem xét, công nhận các đơn vị đủ điều kiện.")
        )
    appendix = Appendix(
        title="Phụ lục kết quả thực hiện của các đơn vị",
        subtitle=f"Mô hình {MODEL} năm {year}",
        note=_note("Báo cáo", symbol_for(Kind.CITY_REPORT, unit), unit, year, options),
        blocks=[
            Table(
                columns=[
                    "STT",
                    "Đơn vị",
                    "Mức đăng ký",
                    "Điểm tự chấm (thống nhất)",
                    "Điểm thẩm định",
                    "Mức đạt",
                ],
                rows=rows or [["", NO_DATA, "", "", "", ""]],
                widths=[14, 70, 40, 40, 36, 52],
                align=["center", "left", "center", "center", "center", "center"],
                font_size=12,
            )
        ],
        landscape=True,
    )
    subject = f"Kết quả thực hiện mô hình {MODEL} năm {year} của các xã, phường, đặc khu"
    document = _base(
        unit,
        Kind.CITY_REPORT,
        year,
        options,
        type_name="Báo cáo",
        subject=subject,
        body=body,
        appendices=[appendix],
    )
    data = {
        "don_vi": [
            {
                "stt": r[0],
                "ten": r[1],
                "muc_dang_ky": r[2],
                "tu_cham": r[3],
                "tham_dinh": r[4],
                "muc_dat": r[5],
            }
            for r in rows
        ]
    }
    return Built(document, data)


# ------------------------------------------------------------------------------------------ registry


BUILDERS: dict[str, Callable[[Unit, int, Options], Built]] = {
    Kind.PLAN: build_plan,
    Kind.REGISTRATION: build_registration,
    Kind.SELF_ASSESSMENT: build_self_assessment,
    Kind.SUBMISSION: build_submission,
    Kind.ANNUAL_REPORT: build_annual_report,
    Kind.REVIEW: build_review,
    Kind.CITY_REPORT: build_city_report,
}

UNIT_KINDS = [
    Kind.PLAN,
    Kind.REGISTRATION,
    Kind.SELF_ASSESSMENT,
    Kind.SUBMISSION,
    Kind.ANNUAL_REPORT,
    Kind.REVIEW,
]
CITY_KINDS = [Kind.CITY_REPORT]


def build(kind: str, unit: Unit, year: int, options: Options | None = None) -> Built:
    builder = BUILDERS.get(kind)
    if builder is None:
        raise DocumentDataError(
            {"kind": _problem(gettext_lazy("Loại văn bản «%(k)s» không lập được từ dữ liệu."), k=kind)}
        )
    return builder(unit, year, options or Options())


# ------------------------------------------------------------------------------- template context

TEMPLATE_FIELDS = [
    "loai", "nam", "du_thao", "so", "ky_hieu", "so_ky_hieu", "ngay", "ngay_thang", "dia_danh",
    "co_quan_chu_quan", "co_quan_ban_hanh", "ten_loai", "trich_yeu", "vv", "kinh_gui", "noi_dung",
    "phu_luc", "noi_nhan", "nguoi_ky", "don_vi", "du_lieu",
]  # fmt: skip


def _flatten(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    counters = [0, 0, 0]
    out: list[dict[str, Any]] = []
    letters = "abcdeghiklmnopqrstuvxy"
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
    for block in blocks:
        if isinstance(block, Heading):
            counters[block.level - 1] += 1
            for deeper in range(block.level, 3):
                counters[deeper] = 0
            n = counters[block.level - 1]
            auto = {
                1: f"{romans[(n - 1) % len(romans)]}.",
                2: f"{n}.",
                3: f"{letters[(n - 1) % len(letters)]})",
            }
            number = block.number if block.number is not None else auto[block.level]
            text = block.text.upper() if block.level == 1 else block.text
            out.append(
                {"loai": "de_muc", "cap": block.level, "so": number, "noi_dung": f"{number} {text}".strip()}
            )
        elif isinstance(block, Paragraph):
            out.append({"loai": "doan", "noi_dung": block.text.replace("**", "").replace("*", "")})
        elif isinstance(block, Bullet):
            out.append(
                {"loai": "gach_dau_dong", "noi_dung": "- " + block.text.replace("**", "").replace("*", "")}
            )
        elif isinstance(block, Table):
            out.append(
                {
                    "loai": "bang",
                    "cot": list(block.columns),
                    "dong": [[c.replace("**", "") for c in r] for r in block.rows],
                }
            )
        elif isinstance(block, PageBreak):
            out.append({"loai": "ngat_trang"})
    return out


def template_context(built: Built, unit: Unit, kind: str, year: int) -> dict[str, Any]:
    """Plain data an uploaded template fills in (names in Vietnamese without diacritics)."""
    doc = built.document
    draft = doc.is_draft
    signature = doc.signature
    return {
        "loai": kind,
        "nam": year,
        "du_thao": draft,
        "so": "" if draft else (doc.number or ""),
        "ky_hieu": doc.symbol,
        "so_ky_hieu": format_number_line(None if draft else doc.number, doc.symbol),
        "ngay": None if draft else doc.date,
        "ngay_thang": vn_date_line(doc.place, None if draft else doc.date, doc.year),
        "dia_danh": doc.place,
        "co_quan_chu_quan": (doc.parent_body or "").replace("\n", " "),
        "co_quan_ban_hanh": doc.issuing_body.replace("\n", " "),
        "ten_loai": doc.type_name or "",
        "trich_yeu": doc.subject,
        "vv": doc.summary_line or "",
        "kinh_gui": list(doc.addressees),
        "noi_dung": _flatten(doc.body),
        "phu_luc": [
            {
                "tieu_de": a.title,
                "phu_de": a.subtitle or "",
                "ghi_chu": a.note or "",
                "noi_dung": _flatten(a.blocks),
            }
            for a in doc.appendices
        ],
        "noi_nhan": list(doc.recipients),
        "nguoi_ky": {
            "tham_quyen": (signature.authority or "") if signature else "",
            "ky_thay": (signature.capacity or "") if signature else "",
            "chuc_vu": signature.title if signature else "",
            "ho_ten": signature.name if signature else "",
        },
        "don_vi": {"ten": unit.name, "ten_day_du": unit.full_name, "ma": unit.slug},
        "du_lieu": built.data,
    }


def today() -> dt.date:
    return timezone.localdate()
