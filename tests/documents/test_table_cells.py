"""The writer's table cells, copied from one paragraph and run per look (docx_parts._CellText), are the
XML python-docx writes through ``_fmt``, ``_mark_size`` and ``_rich`` cell by cell."""

from __future__ import annotations

import docx
import pytest
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from lxml import etree

from friendlygov.documents.render.docx_parts import _CellText, _fmt, _mark_size, _new_par, _rich, _table_props

VALUES = [
    "Phường Gia Viên",
    "**đậm** và *nghiêng* và ***cả hai***",
    "  có khoảng trắng ở đầu",
    "cuối có khoảng trắng ",
    "cột\tcó tab",
    "dòng một\ndòng hai\n\ndòng bốn",
    "",
    "88,12%",
]


def _table_xml(fast: bool, size: float, align: str) -> bytes:
    document = docx.Document()
    table = document.add_table(rows=len(VALUES), cols=2)
    _table_props(table, [30, 60], borders=True, cell_margin_mm=1.5)
    text = _CellText(before=3, after=3)
    for tr, value in zip(table._tbl.tr_lst, VALUES, strict=True):
        for tc in tr.tc_lst:
            if fast:
                text.center_vertically(tc)
                text.fill(tc, value.split("\n"), align, size, bold=False)  # type: ignore[arg-type]
                continue
            cell = docx.table._Cell(tc, table)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            for line in value.split("\n"):
                p = _new_par(cell)
                _fmt(p, align=align, before=3, after=3)  # type: ignore[arg-type]
                _mark_size(p, size)
                _rich(p, line, size)
    return etree.tostring(table._tbl)


@pytest.mark.parametrize(("size", "align"), [(12, "left"), (11, "center"), (13.5, "right")])
def test_copied_cells_are_the_cells_python_docx_writes(size: float, align: str) -> None:
    fast = _table_xml(True, size, align)
    assert fast == _table_xml(False, size, align)
    assert b"<w:tab/>" in fast and b'xml:space="preserve"' in fast  # the special cases were exercised
