"""What every document of the cycle shares: options, signer, recipients, numbers and the Decree 30 frame."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from friendlygov.assessments.models import CriteriaSetVersion
from friendlygov.documents import sources
from friendlygov.documents.models import IssuedDocument, Kind
from friendlygov.documents.render import (
    Appendix,
    Block,
    Bullet,
    OfficialDocument,
    Paragraph,
    Signature,
    attachment_note,
    format_number_line,
    vn_short_date,
)
from friendlygov.org.models import Body, Unit
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
    Kind.JOINT_MINUTES: "BB-UBND",
    Kind.REWARD_DECISION: "QĐ-UBND",
    Kind.APPRAISAL_NOTICE: "TB-SNV",
    Kind.RECOGNITION_DECISION: "QĐ-UBND",
}


class DocumentDataError(ValidationError):
    """The data cannot give this document (message in Vietnamese, naming the field)."""


def data_problem(message: Any, **params: Any) -> ValidationError:
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
    # what the person making the document must know before signing it (the reader's language)
    warnings: list[str] = field(default_factory=list)


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


def bullets(items: Sequence[str]) -> list[Block]:
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


def is_request_body(body: Body | None, name: str) -> bool:
    """Bodies outside the People's Committee (Front, Party, associations) are asked, not assigned."""
    if body is not None and body.kind in (Body.Kind.FRONT, Body.Kind.PARTY, Body.Kind.SOCIOPOLITICAL):
        return True
    key = normalize_vi(name)
    return key.startswith(
        ("uy ban mat tran", "ban xay dung dang", "mat tran to quoc", "cac to chuc chinh tri")
    )


def home_affairs_signer(city: Unit) -> Signer:
    """The Department of Home Affairs' signer from the city's organisation data: a reviewer account titled
    Giám đốc (signs as GIÁM ĐỐC), else the head recorded on the Department's body (GIÁM ĐỐC), else a reviewer
    titled Phó Giám đốc (KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC); with no name recorded the name is left to write in."""
    directors, deputies = [], []
    for user in sources.city_reviewers(city):
        title = normalize_vi(getattr(user, "position_title", "") or "")
        if "pho giam doc" in title:
            deputies.append(user)
        elif "giam doc" in title:
            directors.append(user)
    if directors:
        return Signer(title="Giám đốc", name=directors[0].get_full_name())
    body = sources.home_affairs_body(city)
    if body is not None and body.head_name.strip():
        return Signer(title="Giám đốc", name=body.head_name.strip())
    name = deputies[0].get_full_name() if deputies else ""
    return Signer(capacity="KT. Giám đốc", title="Phó Giám đốc", name=name)


def committee_signer(unit: Unit, kind: str | None = None) -> Signer:
    """TM. ỦY BAN NHÂN DÂN / (KT.) CHỦ TỊCH / PHÓ CHỦ TỊCH + the leader recorded for the unit (its
    ``unit_leader`` account: a commune's or the city's). The chairman's own reward decision has no "TM.":
    CHỦ TỊCH, or KT. CHỦ TỊCH / PHÓ CHỦ TỊCH."""
    leader = sources.leader_of(unit)
    name = leader.get_full_name() if leader is not None else ""
    title = normalize_vi(getattr(leader, "position_title", "") or "")
    authority = "" if kind == Kind.REWARD_DECISION else "TM. Ủy ban nhân dân"
    if "chu tich" in title and "pho chu tich" not in title:
        return Signer(authority=authority, capacity="", title="Chủ tịch", name=name)
    return Signer(authority=authority, capacity="KT. Chủ tịch", title="Phó Chủ tịch", name=name)


def default_signer(unit: Unit, kind: str | None = None) -> Signer:
    """Who signs ``kind`` for ``unit`` by default: the People's Committee's leader; the city's report and the
    appraisal notice about a commune: the Department of Home Affairs; the recognition decision: the city's
    People's Committee."""
    if kind == Kind.APPRAISAL_NOTICE:
        city = city_of(unit)
        return home_affairs_signer(city) if city is not None else Signer(title="Giám đốc")
    if kind == Kind.RECOGNITION_DECISION:
        return committee_signer(unit)
    if unit.is_city:
        return home_affairs_signer(unit)
    return committee_signer(unit, kind)


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
    if kind == Kind.JOINT_MINUTES:
        return [f"Ủy ban MTTQ Việt Nam {prefix}", f"Ban Xây dựng Đảng Đảng ủy {prefix}", filing]
    if kind == Kind.REWARD_DECISION:
        return ["Như Điều 3", f"Thường trực Đảng ủy {prefix}", f"CT, các PCT UBND {prefix}", filing]
    if kind == Kind.CITY_REPORT:
        return ["Ủy ban nhân dân thành phố (để báo cáo)", "Giám đốc, các Phó Giám đốc Sở", "Lưu: VT, XDCQ"]
    if kind == Kind.APPRAISAL_NOTICE:
        return [committee(unit), "Giám đốc, các Phó Giám đốc Sở", "Lưu: VT, XDCQ"]
    if kind == Kind.RECOGNITION_DECISION:
        return [
            "Như Điều 3",
            "Thường trực Thành ủy (để báo cáo)",
            "Thường trực HĐND thành phố (để báo cáo)",
            "Chủ tịch, các Phó Chủ tịch UBND thành phố",
            "Lưu: VT, SNV",
        ]
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


def criteria_set_title(criteria_set: CriteriaSetVersion) -> str:
    """The set as an official document names it (its decision, never its internal code)."""
    return criteria_set.official_title


def criteria_basis(cycle: Any) -> str | None:
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


def issued_document(unit: Unit, kind: str, year: int | None = None) -> IssuedDocument | None:
    documents = IssuedDocument.objects.filter(unit=unit, kind=kind, draft=False, number__isnull=False)
    if year is not None:
        documents = documents.filter(year=year)
    return documents.order_by("-issued_on", "-id").first()


def doc_reference(document: IssuedDocument, type_name: str) -> str:
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
        return doc_reference(issued, "Kế hoạch") + about
    number = (plan.number or "").strip()
    if number:
        if "/" not in number:
            number = f"{number}/KH-UBND"
        when = f" ngày {vn_short_date(plan.issued_on)}" if plan.issued_on else ""
        return f"Kế hoạch số {number}{when} của {committee(unit)}{about}"
    return f"Kế hoạch của {committee(unit)}{about}"


def base_document(
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
    signer = options.signer or default_signer(unit, kind)
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


def attachment_line(type_name: str, document_symbol: str, unit: Unit, year: int, options: Options) -> str:
    number = None if options.number is None else str(options.number)
    when = options.issued_on if options.number is not None else None
    issuer = "Sở Nội vụ " + unit_label(unit) if unit.is_city else committee(unit)
    shown_year = options.issued_on.year if options.issued_on else year
    return attachment_note(type_name, number, document_symbol, when, issuer, year=shown_year)


def figure_text(figure: Any) -> str:
    """A measured figure as a sentence part: "92,5% (Khảo sát SIPAS năm 2026 (364 phiếu))"."""
    if figure is None:
        return NO_DATA
    return (
        f"{percent(figure.percent)}; {lower_first(figure.label)}" if figure.label else percent(figure.percent)
    )


def today() -> dt.date:
    return timezone.localdate()
