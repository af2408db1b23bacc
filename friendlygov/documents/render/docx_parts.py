"""Low-level python-docx helpers: styles, paragraphs, runs, rules, tables, fields."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from .layout import BODY_SIZE, FONT_NAME, RULE_GAP_PT, RULE_SIZE_EIGHTHS, _Align

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


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
    el: BaseOxmlElement | None = parent.find(qn(tag))
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
        paragraphs: list[DocxParagraph] = container.paragraphs
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
    # Every cell of a column the same width, set on the cells' elements directly: the table is new (no
    # merged cells), and python-docx's column cells walk the whole grid for each column (a big table's
    # widths cost about as much as its text).
    cell_twips = [str(Mm(width).twips) for width in widths_mm]
    for tr in tbl.tr_lst:
        for tc, width, width_twips in zip(tr.tc_lst, widths_mm, cell_twips, strict=True):
            tcpr = tc.find(_TCPR)
            tcw = tcpr.find(_TCW) if tcpr is not None else None
            if tcw is not None and tcw.get(_TYPE) == "dxa":
                tcw.set(_W, width_twips)  # what ``tc.width = Mm(width)`` writes into a new cell's width
            else:  # pragma: no cover - a new table's cells all have a width in twips
                tc.width = Mm(width)


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


class _CellText:
    """Paragraphs of table cells laid out exactly as ``_fmt`` + ``_mark_size`` + ``_rich`` lay them out,
    written by copying one paragraph and one run made by those functions for each look (alignment, size,
    bold, italic): python-docx's property setters cost about a millisecond a cell, and a city's tables
    have thousands of cells. The XML is the same, element by element and attribute by attribute."""

    def __init__(self, *, before: float, after: float) -> None:
        self.before, self.after = before, after
        self._pars: dict[tuple[_Align, float], BaseOxmlElement] = {}
        self._runs: dict[tuple[float, bool, bool], BaseOxmlElement] = {}
        self._valign: BaseOxmlElement | None = None

    def _par(self, align: _Align, size: float) -> BaseOxmlElement:
        proto = self._pars.get((align, size))
        if proto is None:
            p = DocxParagraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
            _fmt(p, align=align, before=self.before, after=self.after)
            _mark_size(p, size)
            proto = self._pars[(align, size)] = p._p
        return copy.deepcopy(proto)

    def _run(self, text: str, size: float, bold: bool, italic: bool) -> BaseOxmlElement:
        proto = self._runs.get((size, bold, italic))
        if proto is None:
            p = DocxParagraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
            _run(p, "", size, bold=bold, italic=italic)
            proto = self._runs[(size, bold, italic)] = p._p.r_lst[0]
        r = copy.deepcopy(proto)
        if text:
            if _RUN_SPECIAL.search(text):
                r.text = text  # tabs and breaks: python-docx's own translation
            else:  # what python-docx's ``add_t`` writes for plain text
                t = etree.SubElement(r, _T)
                t.text = text
                if len(text.strip()) < len(text):
                    t.set(_SPACE, "preserve")
        return r

    def center_vertically(self, cell: BaseOxmlElement) -> None:
        """``vertical_alignment = CENTER`` of a new cell (its properties hold only its width)."""
        tcpr = cell.find(_TCPR)
        if tcpr is None or [child.tag for child in tcpr] != [_TCW]:  # pragma: no cover - not a new cell
            cell.get_or_add_tcPr().vAlign_val = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            return
        if self._valign is None:
            scratch = OxmlElement("w:tcPr")
            scratch.vAlign_val = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            self._valign = scratch[0]
        tcpr.append(copy.deepcopy(self._valign))

    def fill(
        self, cell: BaseOxmlElement, lines: Sequence[str], align: _Align, size: float, *, bold: bool
    ) -> None:
        """Write ``lines`` (one paragraph each, ``**bold**``/``*italic*`` marks read) into a new table
        cell (``w:tc``), in place of its own empty paragraph."""
        for p in cell.p_lst:
            if p.pPr is not None or p.r_lst:  # pragma: no cover - a new cell's paragraph is empty
                raise ValueError("_CellText.fill: the cell is not new")
            cell.remove(p)
        for line in lines:
            p = self._par(align, size)
            for piece, b, i in _inline(line):
                p.append(self._run(piece, size, bold or b, i))
            cell.append(p)


_RUN_SPECIAL = re.compile(r"[\t\r\n]")
_TCPR, _TCW, _TYPE, _W, _T, _SPACE = (
    qn(name) for name in ("w:tcPr", "w:tcW", "w:type", "w:w", "w:t", "xml:space")
)
