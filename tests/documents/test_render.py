"""The Decree 30 layout written by render_docx, read back with python-docx."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from friendlygov.documents.render import (
    DRAFT_MARK,
    HEADER_LEFT_MM,
    MOTTO,
    NATIONAL_TITLE,
    Appendix,
    Bullet,
    DocumentError,
    Heading,
    OfficialDocument,
    PageBreak,
    Paragraph,
    Signature,
    Table,
    is_draft_docx,
    render_docx,
    text_width_mm,
)

from .docx_reading import (
    FONT,
    all_bold,
    all_italic,
    all_paragraphs,
    cell_texts,
    cell_width_mm,
    has_field,
    mm,
    none_bold,
    open_docx,
    paragraph_with,
    rule_width_mm,
    rules_in,
    run_sizes,
    table_borders,
)
from .sample_plan import build_sample_plan

TEXT_WIDTH_MM = 210 - 30 - 15


@pytest.fixture(scope="module")
def plan_bytes() -> bytes:
    return render_docx(build_sample_plan(when=date(2026, 1, 5)))


@pytest.fixture(scope="module")
def plan(plan_bytes: bytes) -> Document:
    return open_docx(plan_bytes)


@pytest.fixture(scope="module")
def draft() -> Document:
    return open_docx(render_docx(build_sample_plan(draft=True)))


def letter(**changes: object) -> OfficialDocument:
    base = OfficialDocument(
        parent_body="Ủy ban nhân dân thành phố Hải Phòng",
        issuing_body="Ủy ban nhân dân\nxã Thanh Miện",
        number="7",
        symbol="UBND-VHXH",
        place="Thanh Miện",
        date=date(2026, 2, 3),
        type_name=None,
        subject="đăng ký mức đạt chuẩn “Chính quyền thân thiện” năm 2026",
        body=[Paragraph("Ủy ban nhân dân xã Thanh Miện đăng ký mức đạt chuẩn mức độ 3 năm 2026")],
        recipients=["Như trên", "Lưu: VT, VHXH"],
        signature=Signature("TM. Ủy ban nhân dân", "Chủ tịch", "", "Nguyễn Văn Bình"),
        addressees=["Sở Nội vụ thành phố Hải Phòng"],
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# -- page -----------------------------------------------------------------------------------------


def test_a4_portrait_with_decree_margins(plan: Document) -> None:
    section = plan.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert mm(section.page_width) == pytest.approx(210, abs=0.1)
    assert mm(section.page_height) == pytest.approx(297, abs=0.1)
    assert mm(section.top_margin) == pytest.approx(20, abs=0.1)
    assert mm(section.bottom_margin) == pytest.approx(20, abs=0.1)
    assert mm(section.left_margin) == pytest.approx(30, abs=0.1)
    assert mm(section.right_margin) == pytest.approx(15, abs=0.1)


def test_times_new_roman_black_everywhere(plan: Document) -> None:
    defaults = plan.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        assert fonts.get(qn(attr)) == FONT
    assert fonts.get(qn("w:asciiTheme")) is None
    assert defaults.find(qn("w:color")).get(qn("w:val")) == "000000"
    normal = plan.styles["Normal"]
    assert normal.font.name == FONT
    assert normal.font.size.pt == 14
    runs = [r for p in all_paragraphs(plan) for r in p.runs if r.text.strip()]
    assert len(runs) > 50
    for run in runs:
        rpr = run._r.rPr
        assert rpr is not None
        rfonts = rpr.find(qn("w:rFonts"))
        assert {rfonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == {FONT}
        assert str(run.font.color.rgb) == "000000"


# -- header block -----------------------------------------------------------------------------------


def test_header_table_two_borderless_columns(plan: Document) -> None:
    header = plan.tables[0]
    assert len(header.columns) == 2
    assert set(table_borders(header).values()) == {"nil"}
    assert cell_width_mm(header.cell(0, 0)) == pytest.approx(HEADER_LEFT_MM, abs=0.1)
    assert cell_width_mm(header.cell(0, 0)) + cell_width_mm(header.cell(0, 1)) == pytest.approx(
        TEXT_WIDTH_MM, abs=0.2
    )
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert cell_texts(left) == ["ỦY BAN NHÂN DÂN", "XÃ THANH MIỆN"]
    for p in left.paragraphs:
        if p.text.strip():
            assert all_bold(p)
            assert run_sizes(p) == {13}
            assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert cell_texts(right) == [NATIONAL_TITLE, MOTTO]
    title, motto = (p for p in right.paragraphs if p.text.strip())
    assert all_bold(title) and run_sizes(title) == {12}
    assert all_bold(motto) and run_sizes(motto) == {13}


def test_number_and_date_line_on_the_same_row(plan: Document) -> None:
    header = plan.tables[0]
    number = header.cell(1, 0).paragraphs[0]
    assert number.text == "Số: 12/KH-UBND"
    assert run_sizes(number) == {13}
    assert none_bold(number)
    date_line = header.cell(1, 1).paragraphs[0]
    assert date_line.text == "Thanh Miện, ngày 05 tháng 01 năm 2026"
    assert all_italic(date_line)
    assert run_sizes(date_line) == {13}
    assert date_line.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_rules_under_issuing_body_motto_and_subject(plan: Document) -> None:
    header = plan.tables[0]
    left_box = cell_width_mm(header.cell(0, 0))
    right_box = cell_width_mm(header.cell(0, 1))
    (body_rule,) = rules_in(header.cell(0, 0).paragraphs)
    body_width = text_width_mm("ỦY BAN NHÂN DÂN", 13, bold=True)
    assert body_width / 3 <= rule_width_mm(body_rule, left_box) <= body_width / 2
    (motto_rule,) = rules_in(header.cell(0, 1).paragraphs)
    assert rule_width_mm(motto_rule, right_box) == pytest.approx(text_width_mm(MOTTO, 13, bold=True), abs=0.5)
    assert header.cell(0, 1).paragraphs[-1]._p is motto_rule._p  # right under the motto
    body_rules = rules_in(plan.paragraphs)
    subject = paragraph_with(plan, "Triển khai thực hiện mô hình")
    paragraphs = plan.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p._p is subject._p)
    assert paragraphs[index + 1]._p is body_rules[0]._p
    assert 20 <= rule_width_mm(body_rules[0], TEXT_WIDTH_MM) <= TEXT_WIDTH_MM / 2


def test_type_name_and_subject(plan: Document) -> None:
    type_name = paragraph_with(plan, "KẾ HOẠCH")
    assert type_name.text == "KẾ HOẠCH"
    assert all_bold(type_name) and run_sizes(type_name) == {14}
    assert type_name.alignment == WD_ALIGN_PARAGRAPH.CENTER
    subject = paragraph_with(plan, "Triển khai thực hiện mô hình")
    assert all_bold(subject) and run_sizes(subject) == {14}
    assert subject.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_parent_body_regular_above_issuing_body() -> None:
    document = open_docx(render_docx(letter()))
    left = document.tables[0].cell(0, 0)
    texts = cell_texts(left)
    assert texts == ["ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "ỦY BAN NHÂN DÂN", "XÃ THANH MIỆN"]
    parent = next(p for p in left.paragraphs if p.text == texts[0])
    assert none_bold(parent) and run_sizes(parent) == {13}


def test_official_letter_summary_line_and_addressee() -> None:
    document = open_docx(render_docx(letter()))
    left = document.tables[0].cell(1, 0)
    number, summary = (p for p in left.paragraphs if p.text.strip())
    assert number.text == "Số: 07/UBND-VHXH"  # numbers under 10 take a leading zero
    assert summary.text == "V/v đăng ký mức đạt chuẩn “Chính quyền thân thiện” năm 2026"
    assert run_sizes(summary) == {12}
    assert document.tables[0].cell(1, 1).paragraphs[0].text == "Thanh Miện, ngày 03 tháng 02 năm 2026"
    texts = [p.text for p in document.paragraphs]
    assert "Kính gửi: Sở Nội vụ thành phố Hải Phòng." in texts
    assert not any(t in ("KẾ HOẠCH", "CÔNG VĂN") for t in texts)
    signature = cell_texts(document.tables[-1].cell(0, 1))
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Bình"]


def test_several_addressees_listed_with_dashes() -> None:
    document = open_docx(render_docx(letter(addressees=["Sở Nội vụ", "Sở Tài chính;"])))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Kính gửi:")
    assert texts[start + 1 : start + 3] == ["- Sở Nội vụ;", "- Sở Tài chính."]


def test_month_three_to_nine_has_no_leading_zero() -> None:
    document = open_docx(render_docx(letter(date=date(2026, 4, 9), number="15")))
    assert document.tables[0].cell(1, 1).paragraphs[0].text == "Thanh Miện, ngày 09 tháng 4 năm 2026"
    assert document.tables[0].cell(1, 0).paragraphs[0].text == "Số: 15/UBND-VHXH"


# -- draft ----------------------------------------------------------------------------------------


def test_draft_marker_blanks_and_status(draft: Document) -> None:
    marker = draft.paragraphs[0]
    assert marker.text == DRAFT_MARK
    assert all_bold(marker)
    ppr = marker._p.pPr
    assert ppr is not None
    borders = ppr.find(qn("w:pBdr"))
    assert {child.tag.split("}")[1] for child in borders} == {"top", "left", "bottom", "right"}
    assert draft.core_properties.content_status == "Dự thảo"
    header = draft.tables[0]
    assert header.cell(1, 0).paragraphs[0].text == "Số: ...../KH-UBND"
    assert header.cell(1, 1).paragraphs[0].text == "Thanh Miện, ngày ..... tháng ..... năm 2026"


def test_is_draft_docx(plan_bytes: bytes) -> None:
    assert not is_draft_docx(plan_bytes)
    assert is_draft_docx(render_docx(build_sample_plan(draft=True)))
    flagged = render_docx(replace(build_sample_plan(), draft=True))
    assert is_draft_docx(flagged)
    # a draft flag hides the number even when one was given
    assert open_docx(flagged).tables[0].cell(1, 0).paragraphs[0].text == "Số: ...../KH-UBND"


def test_issued_document_has_no_marker(plan: Document) -> None:
    assert DRAFT_MARK not in [p.text for p in all_paragraphs(plan)]
    assert plan.core_properties.content_status == "Ban hành"


# -- body -----------------------------------------------------------------------------------------


def test_body_paragraph_format(plan: Document) -> None:
    p = paragraph_with(plan, "Căn cứ Kế hoạch số 119/KH-UBND")
    pf = p.paragraph_format
    assert p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert pf.first_line_indent.mm == pytest.approx(12.7, abs=0.05)
    assert pf.space_after.pt == 6
    assert 1.0 <= pf.line_spacing <= 1.5
    assert run_sizes(p) == {14}


def test_headings(plan: Document) -> None:
    first = paragraph_with(plan, "I. ")
    assert first.text == "I. MỤC ĐÍCH, YÊU CẦU"
    assert all_bold(first)
    assert paragraph_with(plan, "V. ").text == "V. TỔ CHỨC THỰC HIỆN"
    second = paragraph_with(plan, "1. Mục đích")
    assert all_bold(second) and second.text == "1. Mục đích"
    third = paragraph_with(plan, "a) Đổi mới mạnh mẽ")
    assert none_bold(third)
    assert paragraph_with(plan, "b) Triển khai thực hiện tốt").text.startswith("b) ")
    assert paragraph_with(plan, "2. Yêu cầu")
    # numbering restarts: level 3 under "2. Yêu cầu" starts again at a)
    assert paragraph_with(plan, "a) Việc triển khai mô hình")
    assert paragraph_with(plan, "3. Trung tâm Phục vụ hành chính công xã")


def test_inline_bold_and_italic_runs(plan: Document) -> None:
    p = paragraph_with(plan, "- Tổng hợp các vướng mắc")
    italic = [r.text for r in p.runs if r.font.italic]
    assert italic == ["qua Phòng Văn hóa - Xã hội tổng hợp"]
    assert "*" not in p.text


def test_bullets_are_dash_lines(plan: Document) -> None:
    p = paragraph_with(plan, "- Xây dựng pano")
    assert p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert p.paragraph_format.first_line_indent.mm == pytest.approx(12.7, abs=0.05)


def test_body_ends_with_end_mark(plan: Document) -> None:
    body = [p for p in plan.paragraphs if p.text.strip()]
    footer_index = plan.element.body.index(plan.tables[1]._tbl)
    before_footer = [p for p in body if plan.element.body.index(p._p) < footer_index]
    assert before_footer[-1].text.endswith("xem xét, giải quyết./.")
    assert sum(p.text.count("./.") for p in all_paragraphs(plan)) == 1


def test_end_mark_after_a_table_goes_on_its_own_line() -> None:
    document = open_docx(render_docx(letter(body=[Paragraph("Danh sách:"), Table(["A", "B"], [["1", "2"]])])))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[-1] == "./."


# -- footer ---------------------------------------------------------------------------------------


def test_recipients_block(plan: Document) -> None:
    footer = plan.tables[1]
    assert set(table_borders(footer).values()) == {"nil"}
    left = [p for p in footer.cell(0, 0).paragraphs if p.text.strip()]
    label, items = left[0], left[1:]
    assert label.text == "Nơi nhận:"
    assert all_bold(label) and all_italic(label) and run_sizes(label) == {12}
    assert label.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert [p.text for p in items][:2] == ["- Sở Nội vụ thành phố;", "- Thường trực Đảng ủy xã;"]
    assert items[-1].text == "- Lưu: VT, VHXH."
    assert all(p.text.startswith("- ") and p.text.endswith(";") for p in items[:-1])
    for p in items:
        assert run_sizes(p) == {11} and none_bold(p)


def test_signature_block(plan: Document) -> None:
    right = [p for p in plan.tables[1].cell(0, 1).paragraphs if p.text.strip()]
    assert [p.text for p in right] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Anh Tuấn"]
    for p in right:
        assert all_bold(p) and run_sizes(p) == {14}
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert right[-1].paragraph_format.space_before.pt >= 48  # room to sign
    assert (
        right[0].paragraph_format.space_before
        == plan.tables[1].cell(0, 0).paragraphs[0].paragraph_format.space_before
    )


# -- page numbers -----------------------------------------------------------------------------------


def test_no_number_on_first_page_then_page_field_at_top_centre(plan: Document) -> None:
    section = plan.sections[0]
    assert section.different_first_page_header_footer
    assert not has_field(section.first_page_header._element, "PAGE")
    assert not section.first_page_header.is_linked_to_previous
    header = section.header
    assert has_field(header._element, "PAGE")
    assert header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert not has_field(section.footer._element, "PAGE")


# -- appendix -----------------------------------------------------------------------------------------


def test_appendix_section_landscape(plan: Document) -> None:
    assert len(plan.sections) == 2
    section = plan.sections[1]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert mm(section.page_width) == pytest.approx(297, abs=0.1)
    assert mm(section.page_height) == pytest.approx(210, abs=0.1)
    assert mm(section.left_margin) == pytest.approx(30, abs=0.1)
    assert section.different_first_page_header_footer
    assert has_field(section.header._element, "PAGE")
    pg = section._sectPr.find(qn("w:pgNumType"))
    assert pg is not None and pg.get(qn("w:start")) == "1"  # an appendix numbers its own pages


def test_appendix_header_title_note_and_table(plan: Document) -> None:
    own_header = plan.tables[2]
    assert cell_texts(own_header.cell(0, 0)) == ["ỦY BAN NHÂN DÂN", "XÃ THANH MIỆN"]
    assert cell_texts(own_header.cell(0, 1)) == [NATIONAL_TITLE, MOTTO]
    assert len(own_header.rows) == 1
    title = paragraph_with(plan, "PHỤ LỤC NHIỆM VỤ CỤ THỂ")
    assert all_bold(title) and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    subtitle = paragraph_with(plan, "Thực hiện mô hình")
    assert all_bold(subtitle)
    note = paragraph_with(plan, "(Kèm theo Kế hoạch số")
    assert note.text == "(Kèm theo Kế hoạch số 12/KH-UBND ngày 05/01/2026 của Ủy ban nhân dân xã Thanh Miện)"
    assert all_italic(note)
    table = plan.tables[3]
    assert table.alignment == WD_TABLE_ALIGNMENT.CENTER
    assert [c.text for c in table.rows[0].cells] == [
        "STT",
        "Nhiệm vụ cụ thể",
        "Thời gian thực hiện",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
    ]
    assert len(table.rows) == 11
    first_row = table.rows[0]._tr.trPr
    assert first_row is not None and first_row.find(qn("w:tblHeader")) is not None
    assert all(tr.trPr is None or tr.trPr.find(qn("w:tblHeader")) is None for tr in table._tbl.tr_lst[1:])
    for cell in table.rows[0].cells:
        assert all_bold(cell.paragraphs[0])
    assert set(table_borders(table).values()) == {"single"}
    assert sum(cell_width_mm(c) for c in table.rows[0].cells) == pytest.approx(297 - 45, abs=0.5)


def test_portrait_appendix_and_page_break() -> None:
    doc = letter(
        body=[Paragraph("Trang một"), PageBreak(), Paragraph("Trang hai")],
        appendices=[Appendix("Phụ lục", None, None, [Bullet("Một")], landscape=False)],
    )
    document = open_docx(render_docx(doc))
    assert document.sections[1].orientation == WD_ORIENT.PORTRAIT
    width = document.sections[1].page_width
    assert width is not None and width.mm == pytest.approx(210, abs=0.1)
    breaks = document.element.body.findall(".//" + qn("w:br"))
    assert any(br.get(qn("w:type")) == "page" for br in breaks)


# -- validation ---------------------------------------------------------------------------------------


def test_bad_heading_level_is_refused() -> None:
    with pytest.raises(DocumentError, match="khối 1: đề mục cấp 4"):
        render_docx(letter(body=[Heading(4, "Sai")]))


def test_ragged_table_is_refused() -> None:
    with pytest.raises(DocumentError, match="dòng 2 của bảng có 1 ô, cần 2 ô"):
        render_docx(letter(body=[Table(["A", "B"], [["1", "2"], ["3"]])]))


def test_wide_table_is_scaled_to_the_text_width() -> None:
    document = open_docx(render_docx(letter(body=[Table(["A", "B"], [["1", "2"]], widths=[200, 200])])))
    table = document.tables[1]
    assert sum(cell_width_mm(c) for c in table.rows[0].cells) == pytest.approx(TEXT_WIDTH_MM, abs=0.5)


def test_missing_issuing_body_is_refused() -> None:
    with pytest.raises(DocumentError, match="cơ quan ban hành"):
        render_docx(letter(issuing_body="  "))
