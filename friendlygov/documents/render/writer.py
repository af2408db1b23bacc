"""The writer: an official document laid out in Word as the decree prescribes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from docx.table import _Row
from docx.text.paragraph import Paragraph as DocxParagraph

from friendlygov.signatures.marks import SIGN_PLACE_END, SIGN_PLACE_START

from .docx_parts import (
    _SECTPR_AFTER_PGNUMTYPE,
    _CellText,
    _field_run,
    _fmt,
    _mark_size,
    _new_par,
    _rich,
    _row_flags,
    _rule,
    _run,
    _set_pbdr,
    _setup_styles,
    _table_props,
    _text_par,
)
from .formatting import format_number_line, text_width_mm, vn_date_line
from .layout import (
    ADDRESSEE_LABEL_MM,
    ADDRESSEE_LIST_MM,
    BODY_FIRST_LINE_INDENT_MM,
    BODY_LINE_SPACING,
    BODY_SIZE,
    BODY_SPACE_AFTER_PT,
    DRAFT_MARK,
    DRAFT_STATUS,
    FOOTER_LEFT_MM,
    HEADER_DISTANCE_MM,
    HEADER_LEFT_MM,
    ISSUED_STATUS,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    MOTTO,
    NATIONAL_TITLE,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    SIGNATURE_SPACE_PT,
    DocumentError,
    _Align,
)
from .model import Appendix, Block, Bullet, Heading, OfficialDocument, PageBreak, Paragraph, Table

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
        header_cells = header.cells
        for col, title in enumerate(block.columns):
            cell = header_cells[col]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            for line in title.split("\n"):
                _text_par(cell, line, block.font_size, bold=True, before=3, after=3)
        text = _CellText(before=3, after=3)  # each cell as _fmt, _mark_size and _rich lay it out
        for tr, values in zip(table._tbl.tr_lst[1:], block.rows, strict=True):
            # a row is read whole: never half on one page, half on the next
            _row_flags(_Row(tr, table), cant_split=True)
            for col, (tc, value) in enumerate(zip(tr.tc_lst, values, strict=True)):
                text.center_vertically(tc)
                text.fill(tc, (value or "").split("\n"), aligns[col], block.font_size, bold=False)

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
