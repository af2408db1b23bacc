"""Helpers that read a rendered .docx back with python-docx (shared by the document tests)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Length
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"


def open_docx(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def all_paragraphs(document: Document) -> Iterator[Paragraph]:
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def cell_texts(cell: _Cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text.strip()]


def paragraph_with(document: Document, start: str) -> Paragraph:
    for p in all_paragraphs(document):
        if p.text.startswith(start):
            return p
    raise AssertionError(f"no paragraph starts with {start!r}")


def run_sizes(p: Paragraph) -> set[float]:
    return {r.font.size.pt for r in p.runs if r.text.strip() and r.font.size is not None}


def all_bold(p: Paragraph) -> bool:
    runs = [r for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.font.bold for r in runs)


def all_italic(p: Paragraph) -> bool:
    runs = [r for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.font.italic for r in runs)


def none_bold(p: Paragraph) -> bool:
    return all(not r.font.bold for r in p.runs if r.text.strip())


def bottom_border(p: Paragraph) -> bool:
    ppr = p._p.pPr
    if ppr is None:
        return False
    pbdr = ppr.find(qn("w:pBdr"))
    if pbdr is None:
        return False
    bottom = pbdr.find(qn("w:bottom"))
    return bottom is not None and bottom.get(qn("w:val")) == "single"


def rules_in(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Empty paragraphs carrying a bottom border (the decree's short rules)."""
    return [p for p in paragraphs if not p.text.strip() and bottom_border(p)]


def rule_width_mm(p: Paragraph, box_mm: float) -> float:
    pf = p.paragraph_format
    left = pf.left_indent.mm if pf.left_indent is not None else 0.0
    right = pf.right_indent.mm if pf.right_indent is not None else 0.0
    return box_mm - left - right


def table_borders(table: Table) -> dict[str, str | None]:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    return {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders}


def mm(length: Length | None) -> float:
    assert length is not None
    return float(length.mm)


def cell_width_mm(cell: _Cell) -> float:
    assert cell.width is not None
    return cell.width.mm


def has_field(part_element: object, name: str) -> bool:
    texts = [el.text or "" for el in part_element.iter(qn("w:instrText"))]  # type: ignore[attr-defined]
    simple = [el.get(qn("w:instr")) or "" for el in part_element.iter(qn("w:fldSimple"))]  # type: ignore[attr-defined]
    return any(name in t.split() for t in texts + simple)
