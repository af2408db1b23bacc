"""Decree 30/2020/NĐ-CP document engine: a small document model, a python-docx writer that lays it out
exactly as the decree prescribes, and a sandboxed docxtpl path for administrator-uploaded Word templates.

Nothing here imports Django: the documents app builds `OfficialDocument` objects from its data and calls
`render_docx`; the same code runs alone in tests and from the command line.
"""

from __future__ import annotations

import dataclasses
import io
import re
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TypeAlias

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from friendlygov.kit import ooxml
from friendlygov.kit.office_files import DOCX_READ_ERRORS
from friendlygov.rules.text import format_vn_number as shared_format_vn_number
from friendlygov.signatures.marks import SIGN_PLACE_END, SIGN_PLACE_START

__all__ = [
    "DRAFT_MARK",
    "NATIONAL_TITLE",
    "MOTTO",
    "Appendix",
    "Block",
    "Bullet",
    "DocumentError",
    "Heading",
    "OfficialDocument",
    "PageBreak",
    "Paragraph",
    "Signature",
    "Table",
    "TemplateRenderError",
    "attachment_note",
    "format_number_line",
    "format_vn_number",
    "is_draft_docx",
    "render_docx",
    "render_template",
    "template_placeholders",
    "text_width_mm",
    "validate_template",
    "vn_date_line",
    "vn_short_date",
]

# --------------------------------------------------------------------------------------------------
# Layout constants (Decree 30/2020/NĐ-CP, Appendix I)
# --------------------------------------------------------------------------------------------------

FONT_NAME = "Times New Roman"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_MARK = "DỰ THẢO"
DRAFT_STATUS = "Dự thảo"
ISSUED_STATUS = "Ban hành"
BLANK = "....."  # dotted blank for the number, day and month of a draft

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 20.0
MARGIN_BOTTOM_MM = 20.0
MARGIN_LEFT_MM = 30.0
MARGIN_RIGHT_MM = 15.0
HEADER_DISTANCE_MM = 10.0

BODY_SIZE = 14.0
BODY_FIRST_LINE_INDENT_MM = 12.7
BODY_SPACE_AFTER_PT = 6.0
BODY_LINE_SPACING = 1.2  # multiple of single; the decree allows single to 1.5 lines

HEADER_LEFT_MM = 62.0  # issuing body and number; the rest of the text width holds the national title
FOOTER_LEFT_MM = 78.0  # "Nơi nhận"; the rest holds the signature block
ADDRESSEE_LABEL_MM = 25.0  # "Kính gửi:" of a công văn with several addressees
ADDRESSEE_LIST_MM = 45.0
SIGNATURE_SPACE_PT = 72.0  # room for the hand signature and the seal above the signer's name
RULE_SIZE_EIGHTHS = 6  # 0.75 pt solid rule
RULE_GAP_PT = 5.0  # height of the empty paragraph that carries a rule: the gap under the text above

_Align = Literal["left", "center", "right", "justify"]
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


class DocumentError(ValueError):
    """The document model cannot be laid out (message in Vietnamese, naming the block at fault)."""


# --------------------------------------------------------------------------------------------------
# Document model
# --------------------------------------------------------------------------------------------------


@dataclass
class Heading:
    """Section heading: level 1 "I." (bold, upper case), 2 "1." (bold), 3 "a)" (regular).

    `number` None numbers automatically (I, II… / 1, 2… restarting under each level 1 / a, b…
    restarting under each level 2); "" prints no number; any other text is printed as given.
    """

    level: int
    text: str
    number: str | None = None


@dataclass
class Paragraph:
    """Body paragraph; `**bold**` and `*italic*` mark runs inside the text."""

    text: str
    align: _Align = "justify"
    first_line_indent: bool = True


@dataclass
class Bullet:
    """A "- " line of the body."""

    text: str


@dataclass
class Table:
    """Bordered table: bold header row repeated on every page; widths in millimetres (None: even)."""

    columns: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None
    header_repeat: bool = True
    align: list[_Align] | None = None  # per column; default: STT-like narrow columns centred, others left
    font_size: float = 13.0


@dataclass
class PageBreak:
    """Start a new page."""


Block: TypeAlias = Heading | Paragraph | Bullet | Table | PageBreak


@dataclass
class Signature:
    """Signature block: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / name."""

    authority: str | None
    capacity: str | None
    title: str
    name: str


@dataclass
class Appendix:
    """Appendix on its own section, with its own header line (issuing body / national title)."""

    title: str
    subtitle: str | None = None
    note: str | None = None  # e.g. "(Kèm theo Kế hoạch số 12/KH-UBND ngày 05/01/2026 của …)"
    blocks: list[Block] = field(default_factory=list)
    landscape: bool = False


@dataclass
class OfficialDocument:
    """One administrative document laid out per Decree 30.

    `issuing_body` and `parent_body` may hold "\\n" to choose the line breaks ("ỦY BAN NHÂN DÂN\\nXÃ THANH
    MIỆN"). `number` None or `date` None or `draft` True makes a draft: "DỰ THẢO" is shown and the missing
    number/day/month are dotted blanks; `year` gives the year printed when the date is still blank.
    `type_name` None makes a công văn: no title block, the "V/v …" line (`summary_line`, or "V/v " +
    subject) under the number, and `addressees` printed after "Kính gửi:".
    """

    parent_body: str | None
    issuing_body: str
    number: str | None
    symbol: str
    place: str
    date: date | None
    type_name: str | None
    subject: str
    summary_line: str | None = None
    body: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature: Signature | None = None
    appendices: list[Appendix] = field(default_factory=list)
    draft: bool = False
    addressees: list[str] = field(default_factory=list)
    year: int | None = None
    # Minutes: several signers (the secretary and the chair side by side, then the joint scorers), two to a
    # row, with "Nơi nhận" under them; `signature` is then None. `date_line` False leaves out the "place, date"
    # line (the minutes give their time and place in the body).
    signers: list[Signature] = field(default_factory=list)
    date_line: bool = True

    @property
    def is_draft(self) -> bool:
        return self.draft or self.number is None or self.date is None

    @property
    def is_official_letter(self) -> bool:
        return self.type_name is None


# --------------------------------------------------------------------------------------------------
# Vietnamese formatting helpers
# --------------------------------------------------------------------------------------------------


def _day(d: date) -> str:
    return f"{d.day:02d}"


def _month(d: date) -> str:
    # Decree 30: a leading zero for days under 10 and for months 1 and 2 (not for months 3 to 9).
    return f"{d.month:02d}" if d.month <= 2 else str(d.month)


def vn_date_line(place: str, when: date | None, year: int | None = None) -> str:
    """ "Thanh Miện, ngày 05 tháng 01 năm 2026"; without a date the day and month are dotted blanks."""
    if when is None:
        shown_year = str(year) if year is not None else BLANK
        return f"{place}, ngày {BLANK} tháng {BLANK} năm {shown_year}"
    return f"{place}, ngày {_day(when)} tháng {_month(when)} năm {when.year}"


def vn_short_date(when: date | None, year: int | None = None) -> str:
    """ "05/01/2026", "09/4/2026" (same leading-zero rule); blanks when there is no date yet."""
    if when is None:
        return f"{BLANK}/{BLANK}/{year if year is not None else BLANK}"
    return f"{_day(when)}/{_month(when)}/{when.year}"


def format_number_line(number: str | None, symbol: str) -> str:
    """ "Số: 01/KH-UBND" (numbers under 10 take a leading zero); a draft: "Số: ...../KH-UBND"."""
    if number is None or not str(number).strip():
        shown = BLANK
    else:
        shown = str(number).strip()
        if shown.isdigit() and int(shown) < 10:
            shown = f"{int(shown):02d}"
    return f"Số: {shown}/{symbol}"


def format_vn_number(value: Decimal | int | float, places: int = 0) -> str:
    """Vietnamese number: "." groups thousands, "," marks decimals: 1250000 → "1.250.000", 88.123 → "88,12"."""
    if isinstance(value, bool):
        raise TypeError("format_vn_number: value must be a number, not bool")
    if places < 0:
        raise ValueError("format_vn_number: places must be >= 0")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"Không định dạng được số: {value!r}")
    return shared_format_vn_number(number, places)


def attachment_note(
    type_name: str,
    number: str | None,
    symbol: str,
    when: date | None,
    issuer: str,
    year: int | None = None,
) -> str:
    """ "(Kèm theo Kế hoạch số 12/KH-UBND ngày 05/01/2026 của Ủy ban nhân dân xã Thanh Miện)"."""
    kind = type_name.strip().capitalize()
    num = format_number_line(number, symbol).removeprefix("Số: ")
    return f"(Kèm theo {kind} số {num} ngày {vn_short_date(when, year)} của {issuer})"


# Advance widths (1/1000 em) of ASCII 32..126 in Times New Roman / Liberation Serif (metric-compatible).
_WIDTHS_REGULAR = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722,
    722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333,
    278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
)  # fmt: skip
_WIDTHS_BOLD = (
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778,
    778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333,
    278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
)  # fmt: skip


def text_width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """Estimated printed width of one line of Times New Roman text (Vietnamese marks add no width)."""
    table = _WIDTHS_BOLD if bold else _WIDTHS_REGULAR
    total = 0
    for ch in text:
        base = {"Đ": "D", "đ": "d"}.get(ch) or unicodedata.normalize("NFD", ch)[:1] or " "
        code = ord(base)
        total += table[code - 32] if 32 <= code <= 126 else 500
    return total / 1000 * size_pt * 25.4 / 72


# --------------------------------------------------------------------------------------------------
# Low-level python-docx helpers
# --------------------------------------------------------------------------------------------------

_PPR_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_SECTPR_AFTER_PGNUMTYPE = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
    "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip
_Container: TypeAlias = DocxDocument | _Cell


def _set_rfonts(rpr: BaseOxmlElement) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(theme)) is not None:
            del rfonts.attrib[qn(theme)]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT_NAME)


def _set_child(parent: BaseOxmlElement, tag: str, **attrs: str) -> BaseOxmlElement:
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _setup_styles(document: DocxDocument) -> None:
    """Times New Roman 14, black, Vietnamese, everywhere: document defaults and the styles we use."""
    styles_el = document.styles.element
    doc_defaults = styles_el.find(qn("w:docDefaults"))
    rpr_default = doc_defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    _set_rfonts(rpr)  # rebuilt in schema order: rFonts, color, sz, szCs, lang
    _set_child(rpr, "w:color", val="000000")
    _set_child(rpr, "w:sz", val=str(int(BODY_SIZE * 2)))
    _set_child(rpr, "w:szCs", val=str(int(BODY_SIZE * 2)))
    _set_child(rpr, "w:lang", val="vi-VN", eastAsia="vi-VN", bidi="ar-SA")
    ppr_default = doc_defaults.find(qn("w:pPrDefault"))
    spacing = ppr_default.find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    for style_name in ("Normal", "Header", "Footer", "Table Grid"):
        try:
            style = document.styles[style_name]
        except KeyError:  # pragma: no cover - python-docx's default template has them all
            continue
        style.font.name = FONT_NAME
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_rfonts(style.element.get_or_add_rPr())
    document.styles["Normal"].font.size = Pt(BODY_SIZE)


def _new_par(container: _Container) -> DocxParagraph:
    """A fresh paragraph; a new table cell's own empty first paragraph is used first."""
    if isinstance(container, _Cell):
        paragraphs = container.paragraphs
        if len(paragraphs) == 1:
            p_el = paragraphs[0]._p
            if p_el.pPr is None and not p_el.r_lst:
                return paragraphs[0]
    return container.add_paragraph()


def _fmt(
    p: DocxParagraph,
    *,
    align: _Align = "center",
    before: float = 0,
    after: float = 0,
    line: float = 1.0,
    exact_pt: float | None = None,
    first_line_mm: float | None = None,
    left_mm: float | None = None,
    right_mm: float | None = None,
    keep_next: bool = False,
) -> None:
    pf = p.paragraph_format
    pf.alignment = _ALIGN[align]
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if exact_pt is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(exact_pt)
    else:
        pf.line_spacing = line
    if first_line_mm is not None:
        pf.first_line_indent = Mm(first_line_mm)
    if left_mm is not None:
        pf.left_indent = Mm(left_mm)
    if right_mm is not None:
        pf.right_indent = Mm(right_mm)
    if keep_next:
        pf.keep_with_next = True


def _mark_size(p: DocxParagraph, size_pt: float) -> None:
    """Font size of the paragraph mark (what sizes an empty paragraph)."""
    ppr = p._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
    _set_rfonts(rpr)
    _set_child(rpr, "w:sz", val=str(int(size_pt * 2)))
    _set_child(rpr, "w:szCs", val=str(int(size_pt * 2)))


def _run(p: DocxParagraph, text: str, size: float, *, bold: bool = False, italic: bool = False) -> None:
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = RGBColor(0, 0, 0)
    _set_rfonts(run._r.get_or_add_rPr())


_MARKUP = re.compile(r"(\*\*\*.+?\*\*\*|\*\*.+?\*\*|\*[^*\s][^*]*?\*)")


def _inline(text: str) -> list[tuple[str, bool, bool]]:
    """Split `**bold**`, `*italic*`, `***both***` runs: [(text, bold, italic)]."""
    parts: list[tuple[str, bool, bool]] = []
    for piece in _MARKUP.split(text):
        if not piece:
            continue
        if piece.startswith("***") and piece.endswith("***") and len(piece) > 6:
            parts.append((piece[3:-3], True, True))
        elif piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            parts.append((piece[2:-2], True, False))
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            parts.append((piece[1:-1], False, True))
        else:
            parts.append((piece, False, False))
    return parts


def _rich(p: DocxParagraph, text: str, size: float, *, bold: bool = False, italic: bool = False) -> None:
    for piece, b, i in _inline(text):
        _run(p, piece, size, bold=bold or b, italic=italic or i)


def _text_par(
    container: _Container,
    text: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    align: _Align = "center",
    before: float = 0,
    after: float = 0,
    keep_next: bool = False,
) -> DocxParagraph:
    p = _new_par(container)
    _fmt(p, align=align, before=before, after=after, keep_next=keep_next)
    _mark_size(p, size)
    _run(p, text, size, bold=bold, italic=italic)
    return p


def _set_pbdr(p: DocxParagraph, sides: Iterable[str], space_pt: int = 0) -> None:
    ppr = p._p.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(RULE_SIZE_EIGHTHS))
        edge.set(qn("w:space"), str(space_pt))
        edge.set(qn("w:color"), "000000")
        pbdr.append(edge)
    ppr.insert_element_before(pbdr, *_PPR_AFTER_PBDR)


def _rule(container: _Container, width_mm: float, box_mm: float, *, after: float = 0) -> DocxParagraph:
    """A centred solid rule `width_mm` long: an empty 1-pt paragraph with a bottom border, narrowed by
    its indents inside a box `box_mm` wide (a table column or the text width)."""
    width_mm = min(width_mm, box_mm)
    side = max((box_mm - width_mm) / 2, 0)
    p = _new_par(container)
    _set_pbdr(p, ["bottom"])
    _fmt(
        p, align="center", exact_pt=RULE_GAP_PT, left_mm=round(side, 2), right_mm=round(side, 2), after=after
    )
    _mark_size(p, 1)
    return p


def _cell_width(cell: _Cell, width_mm: float) -> None:
    cell.width = Mm(width_mm)


def _table_props(
    table: DocxTable, widths_mm: Sequence[float], *, borders: bool, cell_margin_mm: float
) -> None:
    tbl = table._tbl
    tblpr = tbl.tblPr
    table.autofit = False  # fixed layout
    total = Mm(sum(widths_mm)).twips
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.insert_element_before(
            tblw, "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
            "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange",
        )  # fmt: skip
    tblw.set(qn("w:w"), str(total))
    tblw.set(qn("w:type"), "dxa")
    edges = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        if borders:
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), "4")
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), "000000")
        else:
            edge.set(qn("w:val"), "nil")
        edges.append(edge)
    old = tblpr.find(qn("w:tblBorders"))
    if old is not None:
        tblpr.remove(old)
    tblpr.insert_element_before(
        edges, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
        "w:tblPrChange",
    )  # fmt: skip
    margins = OxmlElement("w:tblCellMar")
    twips = str(Mm(cell_margin_mm).twips)
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), twips)
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tblpr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for index, width in enumerate(widths_mm):
        table.columns[index].width = Mm(width)
        for cell in table.columns[index].cells:
            _cell_width(cell, width)


def _row_flags(row: Any, *, cant_split: bool = False, header: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    if cant_split:
        trpr.insert_element_before(
            OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden"
        )
    if header:
        trpr.insert_element_before(OxmlElement("w:tblHeader"), "w:tblCellSpacing", "w:jc", "w:hidden")


def _field_run(p: DocxParagraph, instruction: str, placeholder: str, size: float) -> None:
    def run_with(child: BaseOxmlElement) -> None:
        run = p.add_run()
        run.font.size = Pt(size)
        _set_rfonts(run._r.get_or_add_rPr())
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    _run(p, placeholder, size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# --------------------------------------------------------------------------------------------------
# The writer
# --------------------------------------------------------------------------------------------------


_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
    (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def _mark_signing_place(p: DocxParagraph) -> None:
    """Empty bookmarks before and after the signer's name: the PDF's named destinations tell the signing
    code where the name sits, so the signature goes in the space above it (friendlygov.signatures.marks)."""
    for index, (name, at_start) in enumerate(((SIGN_PLACE_START, True), (SIGN_PLACE_END, False))):
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(9000 + index))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(9000 + index))
        first_run = p._p.find(qn("w:r"))
        if at_start and first_run is not None:
            first_run.addprevious(start)
            first_run.addprevious(end)
        else:
            p._p.append(start)
            p._p.append(end)


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


_LETTERS = "abcdeghiklmnopqrstuvxy"  # Vietnamese order, no f/j/w/z


def _letter(n: int) -> str:
    return _LETTERS[(n - 1) % len(_LETTERS)] * ((n - 1) // len(_LETTERS) + 1)


def _split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _upper(text: str) -> str:
    return text.upper()


def _end_mark(text: str) -> str:
    stripped = text.rstrip()
    if stripped.endswith("./."):
        return stripped
    if stripped.endswith("."):
        return stripped + "/."
    return stripped.rstrip(";:,") + "./."


def _recipient_lines(recipients: Sequence[str]) -> list[str]:
    cleaned = [r.strip().removeprefix("-").strip().rstrip(";.,").strip() for r in recipients]
    cleaned = [r for r in cleaned if r]
    lines = []
    for index, item in enumerate(cleaned):
        last = index == len(cleaned) - 1
        lines.append(f"- {item}{'.' if last else ';'}")
    return lines


class _Writer:
    def __init__(self, model: OfficialDocument) -> None:
        self.model = model
        self.doc = docx.Document()
        _setup_styles(self.doc)
        self.text_width = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
        self.counters = [0, 0, 0]

    # -- page setup ------------------------------------------------------------------------------
    def _page(self, section: Section, *, landscape: bool, restart_numbers: bool) -> None:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width = Mm(PAGE_HEIGHT_MM)
            section.page_height = Mm(PAGE_WIDTH_MM)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width = Mm(PAGE_WIDTH_MM)
            section.page_height = Mm(PAGE_HEIGHT_MM)
        section.top_margin = Mm(MARGIN_TOP_MM)
        section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
        section.left_margin = Mm(MARGIN_LEFT_MM)
        section.right_margin = Mm(MARGIN_RIGHT_MM)
        section.header_distance = Mm(HEADER_DISTANCE_MM)
        section.footer_distance = Mm(HEADER_DISTANCE_MM)
        section.gutter = Mm(0)
        # No number on the first page; the others numbered at the top centre.
        section.different_first_page_header_footer = True
        first = section.first_page_header
        first.is_linked_to_previous = False
        _mark_size(first.paragraphs[0], BODY_SIZE)
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        _fmt(p, align="center")
        _mark_size(p, BODY_SIZE)
        _field_run(p, "PAGE", "2", BODY_SIZE)
        if restart_numbers:
            sectpr = section._sectPr
            pg = OxmlElement("w:pgNumType")
            pg.set(qn("w:start"), "1")
            sectpr.insert_element_before(pg, *_SECTPR_AFTER_PGNUMTYPE)
        self.text_width = (PAGE_HEIGHT_MM if landscape else PAGE_WIDTH_MM) - MARGIN_LEFT_MM - MARGIN_RIGHT_MM

    # -- header block ------------------------------------------------------------------------------
    def _header_table(self, *, with_number: bool) -> None:
        m = self.model
        right_mm = self.text_width - HEADER_LEFT_MM
        rows = 2 if with_number else 1
        table = self.doc.add_table(rows=rows, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_props(table, [HEADER_LEFT_MM, right_mm], borders=False, cell_margin_mm=0)
        for row in table.rows:
            _row_flags(row, cant_split=True)
        left, right = table.cell(0, 0), table.cell(0, 1)
        if m.parent_body:
            for line in _split_lines(m.parent_body):
                _text_par(left, _upper(line), 13)
        body_lines = [_upper(line) for line in _split_lines(m.issuing_body)]
        for line in body_lines:
            _text_par(left, line, 13, bold=True)
        longest = max((text_width_mm(line, 13, bold=True) for line in body_lines), default=30.0)
        _rule(left, max(longest * 0.4, 12.0), HEADER_LEFT_MM)
        _text_par(right, NATIONAL_TITLE, 12, bold=True)
        _text_par(right, MOTTO, 13, bold=True)
        _rule(right, text_width_mm(MOTTO, 13, bold=True), right_mm)
        if not with_number:
            return
        left, right = table.cell(1, 0), table.cell(1, 1)
        _text_par(left, format_number_line(None if m.is_draft else m.number, m.symbol), 13, before=6)
        if m.is_official_letter:
            summary = m.summary_line or f"V/v {m.subject}"
            if not summary.startswith("V/v"):
                summary = f"V/v {summary}"
            _text_par(left, summary, 12, before=6)
        if not m.date_line:
            return
        when = None if m.is_draft else m.date
        year = m.year if m.year is not None else (m.date.year if m.date else None)
        _text_par(right, vn_date_line(m.place, when, year), 13, italic=True, before=6)

    def _draft_box(self) -> None:
        box = 34.0
        p = _new_par(self.doc)
        _set_pbdr(p, ["top", "left", "bottom", "right"], space_pt=2)
        _fmt(p, align="center", left_mm=self.text_width - box, right_mm=0, after=6)
        _mark_size(p, 13)
        _run(p, DRAFT_MARK, 13, bold=True)

    def _title_block(self) -> None:
        m = self.model
        if m.is_official_letter:
            self._addressees()
            return
        assert m.type_name is not None
        _text_par(self.doc, _upper(m.type_name), 14, bold=True, before=18, keep_next=True)
        p = _new_par(self.doc)
        _fmt(p, align="center", keep_next=True)
        _mark_size(p, 14)
        _rich(p, m.subject, 14, bold=True)
        subject_width = min(text_width_mm(m.subject, 14, bold=True), self.text_width)
        _rule(self.doc, max(subject_width / 3, 20.0), self.text_width, after=12)

    def _addressees(self) -> None:
        names = [a.strip().removeprefix("-").strip().rstrip(";.,").strip() for a in self.model.addressees]
        names = [n for n in names if n]
        if not names:
            _new_par(self.doc).paragraph_format.space_after = Pt(12)
            return
        if len(names) == 1:
            _text_par(self.doc, f"Kính gửi: {names[0]}.", 14, before=18, after=12)
            return
        label = _text_par(self.doc, "Kính gửi:", 14, align="left", before=18)
        label.paragraph_format.left_indent = Mm(ADDRESSEE_LABEL_MM)
        p = None
        for line in _recipient_lines(names):
            p = _new_par(self.doc)
            _fmt(p, align="left", left_mm=ADDRESSEE_LIST_MM)
            _mark_size(p, 14)
            _run(p, line, 14)
        if p is not None:
            p.paragraph_format.space_after = Pt(12)

    # -- body --------------------------------------------------------------------------------------
    def _body_par(
        self, text: str, *, bold: bool = False, indent: bool = True, align: _Align = "justify"
    ) -> DocxParagraph:
        p = _new_par(self.doc)
        _fmt(
            p,
            align=align,
            after=BODY_SPACE_AFTER_PT,
            line=BODY_LINE_SPACING,
            first_line_mm=BODY_FIRST_LINE_INDENT_MM if indent else None,
        )
        _mark_size(p, BODY_SIZE)
        _rich(p, text, BODY_SIZE, bold=bold)
        return p

    def _heading(self, block: Heading, where: str) -> DocxParagraph:
        if block.level not in (1, 2, 3):
            raise DocumentError(f"{where}: đề mục cấp {block.level} không hợp lệ (chỉ có cấp 1, 2, 3).")
        level = block.level
        self.counters[level - 1] += 1
        for deeper in range(level, 3):
            self.counters[deeper] = 0
        count = self.counters[level - 1]
        if block.number is not None:
            number = block.number
        elif level == 1:
            number = f"{_roman(count)}."
        elif level == 2:
            number = f"{count}."
        else:
            number = f"{_letter(count)})"
        text = _upper(block.text) if level == 1 else block.text
        full = f"{number} {text}".strip() if number else text
        p = self._body_par(full, bold=level in (1, 2))
        p.paragraph_format.keep_with_next = True
        return p

    def _table(self, block: Table, where: str) -> None:
        ncols = len(block.columns)
        if ncols == 0:
            raise DocumentError(f"{where}: bảng không có cột nào.")
        for index, row in enumerate(block.rows, start=1):
            if len(row) != ncols:
                raise DocumentError(f"{where}: dòng {index} của bảng có {len(row)} ô, cần {ncols} ô.")
        if block.widths is not None and len(block.widths) != ncols:
            raise DocumentError(f"{where}: bảng có {ncols} cột nhưng {len(block.widths)} độ rộng.")
        if block.align is not None and len(block.align) != ncols:
            raise DocumentError(f"{where}: bảng có {ncols} cột nhưng {len(block.align)} kiểu căn lề.")
        widths = list(block.widths) if block.widths else [self.text_width / ncols] * ncols
        if any(w <= 0 for w in widths):
            raise DocumentError(f"{where}: độ rộng cột phải lớn hơn 0.")
        total = sum(widths)
        if total > self.text_width:
            widths = [w * self.text_width / total for w in widths]
        aligns: list[_Align] = (
            list(block.align) if block.align else ["center" if w < 20 else "left" for w in widths]
        )
        table = self.doc.add_table(rows=1 + len(block.rows), cols=ncols)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_props(table, widths, borders=True, cell_margin_mm=1.5)
        header = table.rows[0]
        _row_flags(header, cant_split=True, header=block.header_repeat)
        for col, title in enumerate(block.columns):
            cell = header.cells[col]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            for line in title.split("\n"):
                _text_par(cell, line, block.font_size, bold=True, before=3, after=3)
        for r, values in enumerate(block.rows, start=1):
            row = table.rows[r]
            _row_flags(row, cant_split=True)  # a row is read whole: never half on one page, half on the next
            for col, value in enumerate(values):
                cell = row.cells[col]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                for line in (value or "").split("\n"):
                    p = _new_par(cell)
                    _fmt(p, align=aligns[col], before=3, after=3)
                    _mark_size(p, block.font_size)
                    _rich(p, line, block.font_size)

    def _blocks(self, blocks: Sequence[Block], where: str, *, end_mark: bool) -> None:
        self.counters = [0, 0, 0]
        last_par: DocxParagraph | None = None
        last_kind: type | None = None
        for index, block in enumerate(blocks, start=1):
            label = f"{where}, khối {index}"
            if last_kind is Table and not isinstance(block, Table | PageBreak):
                self.doc.add_paragraph().paragraph_format.space_after = Pt(0)
                _mark_size(self.doc.paragraphs[-1], 6)
            if isinstance(block, Heading):
                last_par = self._heading(block, label)
            elif isinstance(block, Paragraph):
                last_par = self._body_par(block.text, indent=block.first_line_indent, align=block.align)
            elif isinstance(block, Bullet):
                last_par = self._body_par(f"- {block.text.strip().removeprefix('- ').strip()}")
            elif isinstance(block, Table):
                self._table(block, label)
                last_par = None
            elif isinstance(block, PageBreak):
                p = _new_par(self.doc)
                _mark_size(p, BODY_SIZE)
                p.add_run().add_break(WD_BREAK.PAGE)
                last_par = None
            else:
                raise DocumentError(f"{label}: loại khối không được hỗ trợ ({type(block).__name__}).")
            last_kind = type(block)
        if not end_mark:
            return
        if last_par is not None and last_kind in (Paragraph, Bullet):
            runs = last_par.runs
            if runs:
                runs[-1].text = _end_mark(runs[-1].text)
                return
        self._body_par("./.", indent=False, align="right")

    def _signer_grid(self) -> None:
        """Several signers, two to a row (minutes): a row of titles, then a row of names, so that the names
        of a pair line up whatever their titles' length; "Nơi nhận" under them on the left."""
        m = self.model
        half = self.text_width / 2
        pairs = [m.signers[i : i + 2] for i in range(0, len(m.signers), 2)]
        table = self.doc.add_table(rows=2 * len(pairs), cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_props(table, [half, half], borders=False, cell_margin_mm=1)
        for index, pair in enumerate(pairs):
            titles, names = table.rows[2 * index], table.rows[2 * index + 1]
            _row_flags(titles, cant_split=True)
            _row_flags(names, cant_split=True)
            for col, sig in enumerate(pair):
                lines = [x for x in (sig.authority, sig.capacity, sig.title) if x and x.strip()]
                for number, line in enumerate(lines):
                    top = 12 if number == 0 and index > 0 else 0
                    _text_par(
                        titles.cells[col], _upper(line.strip()), 13, bold=True, before=top, keep_next=True
                    )
                last = index == len(pairs) - 1
                _text_par(
                    names.cells[col],
                    sig.name.strip(),
                    14,
                    bold=True,
                    before=SIGNATURE_SPACE_PT,
                    keep_next=not last,
                )
        if m.recipients:
            _text_par(self.doc, "Nơi nhận:", 12, bold=True, italic=True, align="left", before=12)
            for line in _recipient_lines(m.recipients):
                _text_par(self.doc, line, 11, align="left")

    def _footer(self) -> None:
        m = self.model
        if m.signers:
            self._signer_grid()
            return
        if not m.recipients and m.signature is None:
            return
        right_mm = self.text_width - FOOTER_LEFT_MM
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_props(table, [FOOTER_LEFT_MM, right_mm], borders=False, cell_margin_mm=0)
        _row_flags(table.rows[0], cant_split=True)
        left, right = table.cell(0, 0), table.cell(0, 1)
        if m.recipients:
            _text_par(left, "Nơi nhận:", 12, bold=True, italic=True, align="left", before=6)
            for line in _recipient_lines(m.recipients):
                _text_par(left, line, 11, align="left")
        if m.signature is not None:
            sig = m.signature
            lines = [x for x in (sig.authority, sig.capacity, sig.title) if x and x.strip()]
            for line in lines:
                _text_par(right, _upper(line.strip()), 14, bold=True, before=6 if line is lines[0] else 0)
            name = _text_par(right, sig.name.strip(), 14, bold=True, before=SIGNATURE_SPACE_PT)
            _mark_signing_place(name)

    def _appendix(self, appendix: Appendix, index: int) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._page(section, landscape=appendix.landscape, restart_numbers=True)
        self._header_table(with_number=False)
        _text_par(self.doc, _upper(appendix.title), 14, bold=True, before=18, keep_next=True)
        if appendix.subtitle:
            p = _new_par(self.doc)
            _fmt(p, align="center", keep_next=True)
            _mark_size(p, 14)
            _rich(p, appendix.subtitle, 14, bold=True)
        if appendix.note:
            _text_par(self.doc, appendix.note, 14, italic=True, keep_next=True)
        rule_width = max(
            min(text_width_mm(appendix.subtitle or appendix.title, 14, True), self.text_width) / 3, 20.0
        )
        _rule(self.doc, rule_width, self.text_width, after=12)
        self._blocks(appendix.blocks, f"Phụ lục {index}", end_mark=False)

    def _properties(self) -> None:
        m = self.model
        props = self.doc.core_properties
        props.title = m.subject[:250]
        props.subject = (m.type_name or m.summary_line or "Công văn")[:250]
        props.author = " ".join(_split_lines(m.issuing_body))[:250]
        props.last_modified_by = props.author
        props.category = (m.type_name or "CÔNG VĂN")[:250]
        props.content_status = DRAFT_STATUS if m.is_draft else ISSUED_STATUS
        props.keywords = format_number_line(None if m.is_draft else m.number, m.symbol)
        props.language = "vi-VN"
        props.comments = ""
        props.revision = 1
        if m.date is not None:
            stamp = datetime(m.date.year, m.date.month, m.date.day)
            props.created = stamp
            props.modified = stamp

    def write(self) -> bytes:
        m = self.model
        if not m.issuing_body.strip():
            raise DocumentError("Văn bản thiếu tên cơ quan ban hành.")
        if not m.symbol.strip():
            raise DocumentError("Văn bản thiếu ký hiệu (ví dụ KH-UBND).")
        if not m.place.strip():
            raise DocumentError("Văn bản thiếu địa danh.")
        self._page(self.doc.sections[0], landscape=False, restart_numbers=False)
        if m.is_draft:
            self._draft_box()
        self._header_table(with_number=True)
        self._title_block()
        self._blocks(m.body, "Nội dung văn bản", end_mark=True)
        body = self.doc.paragraphs
        if body:
            body[-1].paragraph_format.keep_with_next = True
        self._footer()
        for index, appendix in enumerate(m.appendices, start=1):
            self._appendix(appendix, index)
        self._properties()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def render_docx(doc: OfficialDocument) -> bytes:
    """Lay `doc` out per Decree 30/2020/NĐ-CP and return the .docx bytes."""
    return _Writer(doc).write()


def is_draft_docx(data: bytes) -> bool:
    """True when a .docx written by `render_docx` is a draft (status property or the DỰ THẢO box)."""
    document = docx.Document(io.BytesIO(data))
    if document.core_properties.content_status == DRAFT_STATUS:
        return True
    return any(p.text.strip() == DRAFT_MARK for p in document.paragraphs[:3])


# --------------------------------------------------------------------------------------------------
# Administrator-uploaded Word templates (docxtpl, sandboxed Jinja)
# --------------------------------------------------------------------------------------------------

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_OUTPUT_CHARS = 30_000_000  # characters of XML one part of the template may produce
MAX_RENDER_SECONDS = 20.0
MAX_REPEAT = 200_000  # characters or items a "*" may build
MAX_WIDTH = 1000  # widths/counts given to padding filters and methods, and in format strings


class TemplateRenderError(Exception):
    """The uploaded template cannot be used or filled; the message is Vietnamese and safe to show."""


def _limit_error(kind: str) -> Exception:
    from jinja2.exceptions import SecurityError

    error = SecurityError(f"limit: {kind}")
    error.friendlygov_limit = kind  # type: ignore[attr-defined]
    return error


# A format spec with a width/precision of 4+ digits, or taken from an argument ("{:{}}", "%*d").
_WIDTH_IN_FORMAT = re.compile(r"\{[^{}]*:[^{}]*(?:\d{4,}|\{)|%[-+ #0]*(?:\d{4,}|\*|\d*\.(?:\d{4,}|\*))")
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_BOUNDED_FILTERS = ("center", "indent", "wordwrap", "truncate", "format", "batch", "slice", "filesizeformat")


def _check_format(fmt: Any) -> None:
    if isinstance(fmt, str) and _WIDTH_IN_FORMAT.search(fmt):
        raise _limit_error("size")


def _check_widths(values: Iterable[Any]) -> None:
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WIDTH:
            raise _limit_error("size")


def _make_sandbox(timeout: float) -> Any:
    """A Jinja environment for untrusted templates.

    ImmutableSandboxedEnvironment already refuses "_"-prefixed and other internal attributes, mutating
    methods and callables marked `alters_data`; on top of it an unsafe attribute raises at once (instead of
    quietly rendering as empty), repetitions, powers, paddings and format widths are capped, `lipsum` is
    gone, `range` checks a deadline while it iterates, and the output of each part is bounded.
    """
    from jinja2 import Template, Undefined
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    deadline = time.monotonic() + timeout

    def check_time() -> None:
        if time.monotonic() > deadline:
            raise _limit_error("time")

    class BoundedTemplate(Template):
        def render(self, *args: Any, **kwargs: Any) -> str:
            chunks: list[str] = []
            size = 0
            for chunk in self.generate(*args, **kwargs):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise _limit_error("size")
                check_time()
                chunks.append(chunk)
            return "".join(chunks)

    class BoundedRange:
        """What `range(...)` gives a template: iterable, sized, printed as nothing."""

        def __init__(self, values: range) -> None:
            self._values = values

        def __iter__(self) -> Any:
            for item in self._values:
                check_time()
                yield item

        def __len__(self) -> int:
            return len(self._values)

        def __str__(self) -> str:
            return ""

        __html__ = __str__

    class DocumentSandbox(ImmutableSandboxedEnvironment):
        template_class = BoundedTemplate
        intercepted_binops = frozenset({"*", "**", "%"})

        def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
            raise SecurityError(f"unsafe attribute {attribute!r}")

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            check_time()
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    sized = isinstance(seq, str | list | tuple) and isinstance(times, int)
                    if sized and len(seq) * max(times, 0) > MAX_REPEAT:
                        raise _limit_error("size")
            elif operator == "**":
                if isinstance(left, int | float) and isinstance(right, int | float):
                    too_big_int = isinstance(left, int) and abs(left).bit_length() * abs(right) > 4096
                    if abs(right) > 64 or too_big_int:
                        raise _limit_error("size")
            elif operator == "%":
                _check_format(left)
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Any:
            # str.format/format_map are replaced by a sandboxed wrapper when the attribute is read.
            wrapped = super().wrap_str_format(value)
            if wrapped is not None:
                _check_format(value.__self__)
            return wrapped

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            check_time()
            if (
                isinstance(getattr(__obj, "__self__", None), str)
                and getattr(__obj, "__name__", "") in _WIDTH_METHODS
            ):
                _check_widths((*args, *kwargs.values()))
            return super().call(__context, __obj, *args, **kwargs)

    env = DocumentSandbox(autoescape=True, undefined=Undefined)
    env.globals.pop("lipsum", None)

    def bounded_filter(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            check_time()
            if name == "format" and args:
                _check_format(args[0])
            _check_widths((*args[1:], *kwargs.values()))
            return original(*args, **kwargs)

        if hasattr(original, "jinja_pass_arg"):
            wrapper.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
        return wrapper

    for name in _BOUNDED_FILTERS:
        if name in env.filters:
            env.filters[name] = bounded_filter(name, env.filters[name])

    safe_range: Callable[..., range] = env.globals["range"]  # type: ignore[assignment]

    def bounded_range(*args: int) -> BoundedRange:
        return BoundedRange(safe_range(*args))  # the sandbox's range refuses more than 100 000 items

    env.globals["range"] = bounded_range
    return env


def _check_zip(template_bytes: bytes) -> list[str]:
    if not isinstance(template_bytes, bytes | bytearray) or not template_bytes:
        return ["Tệp mẫu rỗng."]
    if len(template_bytes) > MAX_TEMPLATE_BYTES:
        return [f"Tệp mẫu quá lớn (tối đa {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB)."]
    try:
        archive = zipfile.ZipFile(io.BytesIO(template_bytes))
    except zipfile.BadZipFile:
        return ["Tệp mẫu không phải tệp Word .docx (không đọc được dạng nén ZIP)."]
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            return ["Tệp mẫu có quá nhiều thành phần bên trong, không phải tệp Word hợp lệ."]
        if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
            return ["Tệp mẫu khi giải nén quá lớn, không phải tệp Word hợp lệ."]
        try:  # compression ratios (a zip bomb), names, encryption: the checks every uploaded package gets
            ooxml.check_members(infos, "mẫu")
        except ooxml.PackageError as exc:
            return [exc.message]
        names = {info.filename for info in infos}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            return ["Tệp mẫu không phải văn bản Word .docx (thiếu phần nội dung word/document.xml)."]
        try:
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        except (zipfile.BadZipFile, OSError, RuntimeError):
            return ["Tệp mẫu bị hỏng, không đọc được."]
        if "macroEnabled" in content_types or any(n.lower().endswith("vbaproject.bin") for n in names):
            return ["Tệp mẫu có macro (.docm): không được chấp nhận, hãy lưu lại dưới dạng .docx."]
    return []


def _load_template(template_bytes: bytes) -> Any:
    from docxtpl import DocxTemplate

    problems = _check_zip(template_bytes)
    if problems:
        raise TemplateRenderError(problems[0])
    try:
        tpl = DocxTemplate(io.BytesIO(bytes(template_bytes)))
        tpl.init_docx()
    except DOCX_READ_ERRORS as exc:  # a broken or foreign package
        raise TemplateRenderError("Tệp mẫu không phải văn bản Word .docx hợp lệ (không mở được).") from exc
    return tpl


def _location(exc: Exception) -> str:
    context = getattr(exc, "docx_context", None)
    if context is None:
        return ""
    text = " ".join(part.strip() for part in context if part and part.strip())
    text = re.sub(r"\s+", " ", text)[:160]
    return f" Gần đoạn: “{text}”." if text else ""


def _plain(value: Any, path: str = "context", depth: int = 0) -> Any:
    """Copy the context into plain data: the template sees values, never our objects or their methods."""
    from docxtpl import InlineImage, Listing, RichText
    from markupsafe import Markup

    passthrough: tuple[type, ...] = (RichText, Listing, InlineImage)
    try:
        from docxtpl.subdoc import Subdoc

        passthrough += (Subdoc,)
    except ImportError:  # pragma: no cover - docxcompose missing
        pass

    if depth > 20:
        raise TemplateRenderError(f"Dữ liệu cho mẫu lồng nhau quá sâu tại {path}.")
    if value is None or isinstance(value, bool | int | float | Decimal | date | Markup):
        return value
    if isinstance(value, str):
        return Listing(value) if "\n" in value else value
    if isinstance(value, passthrough):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{path}.{k}", depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
    raise TemplateRenderError(f"Dữ liệu cho mẫu có kiểu không hỗ trợ tại {path}: {type(value).__name__}.")


def render_template(
    template_bytes: bytes, context: dict[str, Any], *, timeout: float = MAX_RENDER_SECONDS
) -> bytes:
    """Fill an administrator-uploaded Word template with `context` in a sandbox.

    The context is copied into plain data first (str, numbers, dates, dicts, lists, dataclasses,
    docxtpl RichText/Listing/InlineImage), so the template never reaches our objects or their methods.
    Raises TemplateRenderError (Vietnamese message) for a bad file, a syntax error, a forbidden
    expression (internal attributes, mutating calls), a limit exceeded (size, `timeout` seconds) or an
    expression that cannot be computed.
    """
    from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError, UndefinedError
    from lxml.etree import XMLSyntaxError

    tpl = _load_template(template_bytes)
    data = _plain(context)
    env = _make_sandbox(timeout)
    try:
        tpl.render(data, jinja_env=env, autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
    except SecurityError as exc:
        limit = getattr(exc, "friendlygov_limit", None)
        if limit == "time":
            seconds = f"{timeout:g}".replace(".", ",")
            message = f"Mẫu văn bản chạy quá lâu (quá {seconds} giây): kiểm tra các vòng lặp {{% for %}}."
        elif limit == "size":
            message = "Mẫu văn bản tạo ra dữ liệu quá lớn (lặp chuỗi, độ rộng hoặc số mũ quá lớn)."
        else:
            message = (
                "Mẫu văn bản dùng biểu thức không được phép (thành phần nội bộ hoặc lệnh thay đổi dữ liệu); "
                "chỉ được dùng các trường dữ liệu được cung cấp."
            )
        raise TemplateRenderError(message + _location(exc)) from None
    except TemplateSyntaxError as exc:
        raise TemplateRenderError(
            "Mẫu văn bản sai cú pháp trường dữ liệu ({{ … }} hoặc {% … %})." + _location(exc)
        ) from None
    except UndefinedError as exc:
        found = re.search(r"'([A-Za-z_][A-Za-z0-9_]*)' is undefined", str(exc))
        name = f" “{found.group(1)}”" if found else ""
        raise TemplateRenderError(
            f"Mẫu văn bản dùng trường{name} không có dữ liệu." + _location(exc)
        ) from None
    except TemplateError as exc:
        raise TemplateRenderError("Không điền được dữ liệu vào mẫu văn bản." + _location(exc)) from None
    except XMLSyntaxError:
        raise TemplateRenderError(
            "Sau khi điền dữ liệu, tệp Word bị hỏng: kiểm tra các lệnh {% … %} có mở và đóng trong cùng "
            "một đoạn hoặc dùng {%p … %} cho cả đoạn."
        ) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError, MemoryError, RecursionError):
        raise TemplateRenderError(
            "Không điền được dữ liệu vào mẫu văn bản: một biểu thức trong mẫu không tính được."
        ) from None
    return out.getvalue()


def _template_ast(template_bytes: bytes) -> tuple[Any, Any]:
    from jinja2.exceptions import TemplateSyntaxError

    tpl = _load_template(template_bytes)
    env = _make_sandbox(MAX_RENDER_SECONDS)
    xml = tpl.patch_xml(tpl.xml_to_string(tpl.docx._element.body))
    for part in _header_footer_parts(tpl):
        xml += tpl.patch_xml(tpl.xml_to_string(part))
    try:
        return env, env.parse(xml)
    except TemplateSyntaxError as exc:
        line = max((exc.lineno or 1) - 4, 0)
        exc.docx_context = [re.sub(r"<[^>]+>", "", x) for x in xml.splitlines()[line : line + 7]]  # type: ignore[attr-defined]
        raise TemplateRenderError(
            "Mẫu văn bản sai cú pháp trường dữ liệu ({{ … }} hoặc {% … %})." + _location(exc)
        ) from None


def _header_footer_parts(tpl: Any) -> list[Any]:
    from docx.oxml import parse_xml

    parts = []
    for rel in tpl.docx._part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and not rel.is_external and rel.target_part.blob:
            parts.append(parse_xml(rel.target_part.blob))
    return parts


def template_placeholders(template_bytes: bytes) -> list[str]:
    """Top-level data names a template uses (`{{ don_vi.ten }}` gives "don_vi"), sorted."""
    from jinja2 import meta

    env, ast = _template_ast(template_bytes)
    names = meta.find_undeclared_variables(ast) - set(env.globals)
    return sorted(names)


def validate_template(template_bytes: bytes, allowed: Iterable[str] | None = None) -> list[str]:
    """Problems of an uploaded template, in Vietnamese; an empty list means it can be used.

    Checks: a .docx (zip, with word/document.xml, no macros, sizes), Jinja syntax, no internal
    ("_"-prefixed) attributes, and — when `allowed` is given — only known top-level fields.
    """
    from jinja2 import meta, nodes

    problems = _check_zip(template_bytes)
    if problems:
        return problems
    try:
        env, ast = _template_ast(template_bytes)
    except TemplateRenderError as exc:
        return [str(exc)]
    forbidden: set[str] = set()
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Name)):
        name: Any = None
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value
        elif isinstance(node, nodes.Name):
            name = node.name
        elif isinstance(node, nodes.Filter) and node.name == "attr" and node.args:
            arg = node.args[0]
            name = arg.value if isinstance(arg, nodes.Const) else None
        if isinstance(name, str) and name.startswith("_"):
            forbidden.add(name)
    for name in sorted(forbidden):
        problems.append(f"Mẫu dùng thành phần nội bộ không được phép: “{name}”.")
    used = meta.find_undeclared_variables(ast) - set(env.globals)
    if allowed is not None:
        known = set(allowed)
        for name in sorted(used - known - forbidden):
            problems.append(
                f"Mẫu dùng trường “{name}” không có trong danh sách trường dữ liệu được cung cấp."
            )
    return problems
