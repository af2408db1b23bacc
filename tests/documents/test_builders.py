"""The documents of the cycle, built from data made through the areas' services, read back with python-docx:
Decree 30 layout (fonts, sizes, margins, header table, rules, numbering, signature block, draft marker) and
the content each document must carry — above all the regenerated Thanh Miện plan with the seed's ten tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from friendlygov.documents import builders, services
from friendlygov.documents.kinds import common
from friendlygov.documents.models import Kind
from friendlygov.documents.render import DRAFT_MARK, MOTTO, NATIONAL_TITLE, is_draft_docx, render_docx

from .data import make_cycle, make_plan
from .docx_reading import (
    FONT,
    all_bold,
    all_italic,
    all_paragraphs,
    cell_texts,
    has_field,
    mm,
    open_docx,
    paragraph_with,
    rules_in,
    run_sizes,
    table_borders,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 9, 0)

# The seed plan's appendix (Thanh Miện's plan 2026–2030, rules/data/thanh-mien-appendix.tsv): STT, time rule as
# written, lead body (the unit's body it names), coordinating bodies as written.
SEED_TASKS = [
    ("1", "Hàng năm", "Phòng Văn hóa - Xã hội", "Các cơ quan, đơn vị thuộc UBND xã, Ủy ban Mặt trận Tổ quốc Việt Nam xã và các tổ chức chính trị- xã hội"),
    ("2", "Hằng năm", "Phòng Văn hóa - Xã hội", "Các thôn"),
    ("3", "Trước ngày 15/02 hằng năm", "Phòng Văn hóa - Xã hội", "Các phòng, ban, đơn vị liên quan"),
    ("4", "Thường xuyên", "Các phòng, ban cơ quan, đơn vị thuộc UBND xã", "Ủy ban Mặt trận Tổ quốc Việt Nam xã, các ngành liên quan"),
    ("5", "Trước ngày 12/11 hằng năm", "Phòng Văn hóa - Xã hội", "Các phòng, ban, đơn vị liên quan"),
    ("6", "Tháng 12 hằng năm", "Phòng Văn hóa - Xã hội", "Ủy ban Mặt trận Tổ quốc Việt Nam xã, Các phòng, ban, đơn vị liên quan"),
    ("7", "Tháng 12 hằng năm", "Phòng Văn hóa - Xã hội", "Các phòng, ban, đơn vị liên quan"),
    ("8", "Hằng năm", "Phòng Kinh tế", ""),
    ("9", "Hằng năm", "Trung tâm Phục vụ hành chính công", "Các phòng, ban, đơn vị liên quan"),
    ("10", "Năm 2027 và năm 2030", "Phòng Văn hóa - Xã hội", "Ban Xây dựng Đảng; Văn phòng HĐND- UBND và các cơ quan, đơn vị có liên quan"),
]  # fmt: skip


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def seeded(world: Any, frozen: Any) -> Any:
    """Thanh Miện with its seed plan, its 2026 cycle recognised, and its leader named as in the seed."""
    leader = world.leader
    leader.full_name = "Lê Anh Tuấn"
    leader.position_title = "Phó Chủ tịch UBND xã"
    leader.save()
    make_plan(world)
    make_cycle(world, 2026)
    return world


def render(kind: str, unit: Any, year: int, number: int | None = None, when: dt.date | None = None) -> bytes:
    built = builders.build(kind, unit, year, common.Options(number=number, issued_on=when))
    return render_docx(built.document)


def check_decree30(document: Document, *, number_line: str, date_line: str, left: list[str]) -> None:
    """What every document of the cycle shares: page, font, header block, rules, page numbers, signature."""
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (mm(section.page_width), mm(section.page_height)) == (
        pytest.approx(210, abs=0.1),
        pytest.approx(297, abs=0.1),
    )
    assert mm(section.top_margin) == pytest.approx(20, abs=0.1)
    assert mm(section.bottom_margin) == pytest.approx(20, abs=0.1)
    assert mm(section.left_margin) == pytest.approx(30, abs=0.1)
    assert mm(section.right_margin) == pytest.approx(15, abs=0.1)
    # Times New Roman everywhere, black.
    runs = [r for p in all_paragraphs(document) for r in p.runs if r.text.strip()]
    assert runs and {r.font.name for r in runs} == {FONT}
    assert {str(r.font.color.rgb) for r in runs} == {"000000"}
    # Header: a borderless two-column table; issuing body bold 13 with a short rule; national title 12 and
    # motto 13 bold with a rule as long as the motto; the number and the place-and-date line under them.
    header = document.tables[0]
    assert set(table_borders(header).values()) == {"nil"}
    assert cell_texts(header.cell(0, 0)) == left
    assert cell_texts(header.cell(0, 1)) == [NATIONAL_TITLE, MOTTO]
    title, motto = (p for p in header.cell(0, 1).paragraphs if p.text.strip())
    assert all_bold(title) and run_sizes(title) == {12}
    assert all_bold(motto) and run_sizes(motto) == {13}
    body_lines = [p for p in header.cell(0, 0).paragraphs if p.text.strip()]
    assert all_bold(body_lines[-1]) and run_sizes(body_lines[-1]) == {13}
    assert len(rules_in(header.cell(0, 0).paragraphs)) == 1
    assert len(rules_in(header.cell(0, 1).paragraphs)) == 1
    number = header.cell(1, 0).paragraphs[0]
    assert number.text == number_line
    assert run_sizes(number) == {13}
    date = next(p for p in header.cell(1, 1).paragraphs if p.text.strip())
    assert date.text == date_line
    assert all_italic(date)
    # No page number on page 1, numbers at the top centre after it.
    assert section.different_first_page_header_footer
    assert not has_field(section.first_page_header._element, "PAGE")
    assert has_field(section.header._element, "PAGE")
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    # "./." closes the body; "Nơi nhận:" 12 bold italic with 11-point lines; the signature 14 bold.
    assert any(p.text.rstrip().endswith("./.") for p in document.paragraphs)
    received = paragraph_with(document, "Nơi nhận:")
    assert all_bold(received) and all_italic(received) and run_sizes(received) == {12}
    footer = next(t for t in document.tables if any("Nơi nhận:" in p.text for p in t.cell(0, 0).paragraphs))
    lines = [p for p in footer.cell(0, 0).paragraphs if p.text.startswith("- ")]
    assert lines and all(run_sizes(p) == {11} for p in lines)
    assert lines[-1].text.startswith("- Lưu: VT") and lines[-1].text.endswith(".")
    assert all(p.text.endswith(";") for p in lines[:-1])
    signature = [p for p in footer.cell(0, 1).paragraphs if p.text.strip()]
    assert all(all_bold(p) and run_sizes(p) == {14} for p in signature)


COMMUNE = ["ỦY BAN NHÂN DÂN", "XÃ THANH MIỆN"]


def test_regenerated_plan_carries_the_seed_tasks_in_a_landscape_appendix(seeded: Any) -> None:
    document = open_docx(render(Kind.PLAN, seeded.unit, 2026, number=12, when=dt.date(2026, 4, 15)))
    check_decree30(
        document, number_line="Số: 12/KH-UBND", date_line="Thanh Miện, ngày 15 tháng 4 năm 2026", left=COMMUNE
    )
    appendix = document.sections[-1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert mm(appendix.page_width) == pytest.approx(297, abs=0.1)
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == [
        "STT", "Nhiệm vụ cụ thể", "Thời gian thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp",
    ]  # fmt: skip
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == SEED_TASKS
    assert rows[0][1].startswith("Tuyên truyền, phổ biến các văn bản về Chính quyền thân thiện")
    assert rows[9][1] == "Sơ kết 2 năm và tổng kết giai đoạn thực hiện Chính quyền thân thiện"
    texts = [p.text for p in document.paragraphs]
    assert "PHỤ LỤC NHIỆM VỤ CỤ THỂ" in texts
    assert "(Kèm theo Kế hoạch số 12/KH-UBND ngày 15/4/2026 của Ủy ban nhân dân xã Thanh Miện)" in texts


def test_plan_body_reads_like_the_seed(seeded: Any) -> None:
    document = open_docx(render(Kind.PLAN, seeded.unit, 2026))
    texts = [p.text for p in document.paragraphs]
    assert "KẾ HOẠCH" in texts
    title = paragraph_with(document, "KẾ HOẠCH")
    assert all_bold(title) and run_sizes(title) == {14} and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (
        "Triển khai thực hiện mô hình “Chính quyền thân thiện” trên địa bàn xã Thanh Miện giai đoạn 2026-2030 và "
        "những năm tiếp theo" in texts
    )
    headings = [t for t in texts if t[:3] in ("I. ", "II.", "III", "IV.", "V. ")]
    assert headings == [
        "I. MỤC ĐÍCH, YÊU CẦU", "II. MỤC TIÊU", "III. NỘI DUNG", "IV. KINH PHÍ THỰC HIỆN", "V. TỔ CHỨC THỰC HIỆN",
    ]  # fmt: skip
    for heading in headings:
        assert all_bold(paragraph_with(document, heading))
    intro = paragraph_with(document, "Căn cứ Kế hoạch số 119/KH-UBND ngày 09/4/2026")
    assert intro.text.endswith(
        "Ủy ban nhân dân xã xây dựng Kế hoạch triển khai thực hiện mô hình “Chính quyền thân thiện” trên địa bàn "
        "xã Thanh Miện giai đoạn 2026-2030 và những năm tiếp theo, cụ thể như sau:"
    )
    assert intro.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert mm(intro.paragraph_format.first_line_indent) == pytest.approx(12.7, abs=0.1)
    for expected in (
        "1. Mục đích",
        "2. Yêu cầu",
        "a) Việc triển khai mô hình “Chính quyền thân thiện” phải được thực hiện nghiêm túc",
        "2. Năm 2026, phấn đấu đạt chuẩn “Chính quyền thân thiện” mức độ 3.",
        "1. Công tác thông tin, tuyên truyền",
        "2. Nhiệm vụ cụ thể triển khai thực hiện mô hình “Chính quyền thân thiện”",
        "(có Phụ lục chi tiết kèm theo)",
        "Kinh phí thực hiện Kế hoạch này do ngân sách nhà nước bảo đảm theo phân cấp ngân sách hiện hành và các "
        "nguồn kinh phí hợp pháp khác.",
        "2. Phòng Văn hóa - Xã hội",
        "3. Trung tâm Phục vụ Hành chính công xã",
        "7. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam xã và các tổ chức chính trị - xã hội xã",
        "8. Đề nghị Ban Xây dựng Đảng Đảng ủy xã",
        "- Xây dựng pano, khẩu hiệu tuyên truyền trực quan",
    ):
        assert any(t.startswith(expected) for t in texts), expected
    closing = paragraph_with(document, "Trên đây là Kế hoạch")
    assert closing.text.endswith("xem xét, giải quyết./.")
    signature = document.tables[1].cell(0, 1)
    assert cell_texts(signature) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Anh Tuấn"]
    received = [p.text for p in document.tables[1].cell(0, 0).paragraphs if p.text.strip()]
    assert received == [
        "Nơi nhận:", "- Sở Nội vụ thành phố;", "- Thường trực Đảng ủy xã;", "- Thường trực HĐND xã;",
        "- CT, các PCT UBND xã;", "- Các cơ quan, đơn vị;", "- Các thôn trên địa bàn;", "- Lưu: VT, VHXH.",
    ]  # fmt: skip


def test_a_draft_says_so_and_leaves_dotted_blanks(seeded: Any) -> None:
    data = render(Kind.PLAN, seeded.unit, 2026)
    assert is_draft_docx(data)
    document = open_docx(data)
    assert document.paragraphs[0].text == DRAFT_MARK
    assert all_bold(document.paragraphs[0])
    check_decree30(
        document,
        number_line="Số: ...../KH-UBND",
        date_line="Thanh Miện, ngày ..... tháng ..... năm 2026",
        left=COMMUNE,
    )
    assert "(Kèm theo Kế hoạch số ...../KH-UBND ngày ...../...../2026 của Ủy ban nhân dân xã Thanh Miện)" in [
        p.text for p in document.paragraphs
    ]
    issued = render(Kind.PLAN, seeded.unit, 2026, number=3, when=dt.date(2026, 2, 3))
    assert not is_draft_docx(issued)
    assert DRAFT_MARK not in [p.text for p in open_docx(issued).paragraphs]


def test_registration_is_an_official_letter_to_home_affairs(seeded: Any) -> None:
    document = open_docx(render(Kind.REGISTRATION, seeded.unit, 2026, number=15, when=dt.date(2026, 2, 5)))
    check_decree30(
        document,
        number_line="Số: 15/UBND-VHXH",
        date_line="Thanh Miện, ngày 05 tháng 02 năm 2026",
        left=COMMUNE,
    )
    summary = document.tables[0].cell(1, 0).paragraphs[1]
    assert summary.text == "V/v đăng ký mức đạt chuẩn “Chính quyền thân thiện” năm 2026"
    assert run_sizes(summary) == {12}
    texts = [p.text for p in document.paragraphs]
    assert "Kính gửi: Sở Nội vụ thành phố Hải Phòng." in texts
    assert "KẾ HOẠCH" not in texts and "CÔNG VĂN" not in texts
    assert any(t.startswith("- Mức đăng ký: Mức độ 3") for t in texts)
    assert any(t.startswith("Căn cứ Quyết định số 5049/QĐ-UBND ngày 11/12/2025") for t in texts)


def test_self_assessment_has_the_scoring_table_appendix(seeded: Any) -> None:
    document = open_docx(
        render(Kind.SELF_ASSESSMENT, seeded.unit, 2026, number=40, when=dt.date(2026, 11, 10))
    )
    check_decree30(
        document,
        number_line="Số: 40/BC-UBND",
        date_line="Thanh Miện, ngày 10 tháng 11 năm 2026",
        left=COMMUNE,
    )
    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    table = document.tables[-1]
    # appraised: the appraised column is shown beside the unit's own
    assert [c.text for c in table.rows[0].cells] == [
        "Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Điểm thống nhất", "Điểm thẩm định", "Minh chứng",
    ]  # fmt: skip
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert rows["1"][1] == "Chính quyền hoạt động công khai, minh bạch"
    assert rows["1"][2] == "20"
    groups = next(r for r in table.rows if r.cells[1].text == "Cộng điểm các nhóm tiêu chí")
    assert groups.cells[2].text == "100"
    total = next(r for r in table.rows if r.cells[1].text == "Tổng cộng (kể cả điểm thưởng)")
    assert total.cells[2].text == "105"
    assert total.cells[4].text == "89"
    texts = [p.text for p in document.paragraphs]
    assert "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM" in texts
    # the cycle is recognised: the total and level stated are the appraised ones, saying so
    assert any(
        t.startswith("Tổng điểm thẩm định: 89 điểm, tương ứng mức độ 2; đã được công nhận") for t in texts
    )


def test_submission_reports_when_the_registered_level_is_not_reached(seeded: Any) -> None:
    # registered mức độ 3, appraised 89 (mức độ 2): the tờ trình reports, it proposes nothing
    document = open_docx(render(Kind.SUBMISSION, seeded.unit, 2026, number=41, when=dt.date(2026, 11, 11)))
    check_decree30(
        document,
        number_line="Số: 41/TTr-UBND",
        date_line="Thanh Miện, ngày 11 tháng 11 năm 2026",
        left=COMMUNE,
    )
    texts = [p.text for p in document.paragraphs]
    assert "TỜ TRÌNH" in texts
    assert (
        "Về kết quả tự đánh giá, chấm điểm mô hình “Chính quyền thân thiện” năm 2026 của xã Thanh Miện"
        in texts
    )
    assert not any("đề nghị công nhận" in t for t in texts)
    assert "Kính gửi: Ủy ban nhân dân thành phố Hải Phòng." in texts
    assert "Kính trình Ủy ban nhân dân thành phố Hải Phòng xem xét./." in texts


def test_annual_report_sections(seeded: Any) -> None:
    document = open_docx(render(Kind.ANNUAL_REPORT, seeded.unit, 2026, number=50, when=dt.date(2026, 12, 15)))
    check_decree30(
        document,
        number_line="Số: 50/BC-UBND",
        date_line="Thanh Miện, ngày 15 tháng 12 năm 2026",
        left=COMMUNE,
    )
    texts = [p.text for p in document.paragraphs]
    for heading in (
        "1. Thực hiện các nhiệm vụ của Kế hoạch",
        "2. Công tác thông tin, tuyên truyền",
        "3. Sự hài lòng của người dân",
        "4. Tiếp nhận, xử lý phản ánh, kiến nghị",
        "III. TỒN TẠI, HẠN CHẾ",
        "IV. KHÓ KHĂN, VƯỚNG MẮC",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ):
        assert heading in texts, heading
    # Areas without data for the year say so instead of failing.
    assert any("chưa có số liệu" in t for t in texts)
    results = document.tables[-1]
    assert [c.text for c in results.rows[0].cells][-1] == "Kết quả năm 2026"
    assert len(results.rows) == 11


def test_review_only_for_2027_and_2030(seeded: Any) -> None:
    with pytest.raises(ValidationError) as error:
        builders.build(Kind.REVIEW, seeded.unit, 2028)
    assert "2027" in str(error.value) and "2030" in str(error.value)
    mid = open_docx(render(Kind.REVIEW, seeded.unit, 2027))
    texts = [p.text for p in mid.paragraphs]
    assert any(t.startswith("Sơ kết 02 năm thực hiện mô hình") for t in texts)
    table = next(t for t in mid.tables if t.rows[0].cells[1].text == "Mục tiêu")
    assert [c.text for c in table.rows[0].cells] == [
        "Năm", "Mục tiêu", "Mức đăng ký", "Tổng điểm", "Mức được công nhận", "So với mục tiêu",
    ]  # fmt: skip
    first = [c.text for c in table.rows[1].cells]
    assert (
        first[0] == "2026"
        and first[1] == "Mức độ 3"
        and first[4] == "Mức độ 2"
        and first[5] == "Chưa đạt mục tiêu"
    )
    final = open_docx(render(Kind.REVIEW, seeded.unit, 2030))
    assert any(p.text.startswith("Tổng kết giai đoạn thực hiện mô hình") for p in final.paragraphs)
    years = next(t for t in final.tables if t.rows[0].cells[1].text == "Mục tiêu")
    assert len(years.rows) == 1 + 5  # 2026..2030


def test_city_report_lists_every_unit(seeded: Any) -> None:
    document = open_docx(render(Kind.CITY_REPORT, seeded.city, 2026, number=7, when=dt.date(2026, 12, 28)))
    check_decree30(
        document,
        number_line="Số: 07/BC-SNV",
        date_line="Hải Phòng, ngày 28 tháng 12 năm 2026",
        left=["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HẢI PHÒNG", "SỞ NỘI VỤ"],
    )
    parent = document.tables[0].cell(0, 0).paragraphs[0]
    assert not all_bold(parent)  # the parent body is regular, the issuing body bold
    table = document.tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[1] for r in rows] == ["Xã Gia Lộc", "Xã Thanh Miện"]
    thanh_mien = rows[1]
    assert thanh_mien[2] == "Mức độ 3" and thanh_mien[3] == "89" and thanh_mien[4] == "89"
    assert thanh_mien[5] == "Mức độ 2 (đã công nhận)"
    with pytest.raises(ValidationError):
        builders.build(Kind.CITY_REPORT, seeded.unit, 2026)


def test_missing_areas_say_no_data(world: Any, frozen: Any) -> None:
    """Without a plan, a cycle or any figure, reports still render and say "chưa có số liệu"."""
    for kind in (Kind.REGISTRATION, Kind.SELF_ASSESSMENT, Kind.SUBMISSION, Kind.ANNUAL_REPORT):
        texts = " ".join(p.text for p in open_docx(render(kind, world.unit, 2026)).paragraphs)
        assert "chưa có số liệu" in texts, kind
    with pytest.raises(ValidationError, match="chưa có kế hoạch"):
        builders.build(Kind.PLAN, world.unit, 2026)


def test_a_selector_without_figures_gives_no_data(seeded: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from friendlygov.surveys import selectors as survey_selectors

    monkeypatch.setattr(survey_selectors, "sipas_figure", lambda *, unit, year: None)
    texts = [p.text for p in open_docx(render(Kind.ANNUAL_REPORT, seeded.unit, 2026)).paragraphs]
    assert "- Chỉ số hài lòng qua khảo sát của xã (SIPAS): chưa có số liệu." in texts


def _broken(**kwargs: Any) -> Any:
    raise RuntimeError("selector renamed or broken")


def test_a_broken_selector_stops_the_document_instead_of_printing_no_data(
    seeded: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A programming error in another area is never written into an official document as "chưa có số
    liệu": building the document fails, and a test sees it."""
    from friendlygov.surveys import selectors as survey_selectors

    monkeypatch.setattr(survey_selectors, "sipas_figure", _broken)
    with pytest.raises(RuntimeError, match="renamed or broken"):
        builders.build(Kind.ANNUAL_REPORT, seeded.unit, 2026)


def test_a_broken_measured_figure_stops_the_self_assessment_report(world: Any, frozen: Any) -> None:
    from friendlygov.core import figures

    make_plan(world)
    make_cycle(world, 2026, until="scored")  # open: the report reads the live figures
    builders.build(Kind.SELF_ASSESSMENT, world.unit, 2026)
    broken = figures.FigureSource("survey.sipas", "SIPAS", _broken)
    with figures.SOURCES.overridden("survey.sipas", broken), pytest.raises(RuntimeError, match="renamed"):
        builders.build(Kind.SELF_ASSESSMENT, world.unit, 2026)


def test_signer_and_recipients_from_the_form(seeded: Any) -> None:
    options = common.Options(
        number=2,
        issued_on=dt.date(2026, 1, 5),
        signer=common.Signer(
            authority="TM. Ủy ban nhân dân", capacity="", title="Chủ tịch", name="Nguyễn Văn A"
        ),
        recipients=["Sở Nội vụ", "Lưu: VT"],
    )
    document = open_docx(render_docx(builders.build(Kind.PLAN, seeded.unit, 2026, options).document))
    footer = document.tables[1]
    assert cell_texts(footer.cell(0, 1)) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A"]
    assert cell_texts(footer.cell(0, 0)) == ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT."]
    assert document.tables[0].cell(1, 1).paragraphs[-1].text == "Thanh Miện, ngày 05 tháng 01 năm 2026"


def test_default_signer_follows_the_leader_account(world: Any) -> None:
    leader = world.leader
    leader.full_name, leader.position_title = "Trần Văn B", "Chủ tịch UBND xã"
    leader.save()
    signer = common.default_signer(world.unit)
    assert (signer.authority, signer.capacity, signer.title, signer.name) == (
        "TM. Ủy ban nhân dân", "", "Chủ tịch", "Trần Văn B",
    )  # fmt: skip
    leader.position_title = "Phó Chủ tịch UBND xã"
    leader.save()
    signer = common.default_signer(world.unit)
    assert (signer.capacity, signer.title) == ("KT. Chủ tịch", "Phó Chủ tịch")


def test_template_context_is_plain_data(seeded: Any) -> None:
    built = builders.build(
        Kind.PLAN, seeded.unit, 2026, common.Options(number=12, issued_on=dt.date(2026, 4, 15))
    )
    context = builders.template_context(built, seeded.unit, Kind.PLAN, 2026)
    assert set(context) == set(builders.TEMPLATE_FIELDS)
    assert context["so_ky_hieu"] == "Số: 12/KH-UBND"
    assert context["ngay_thang"] == "Thanh Miện, ngày 15 tháng 4 năm 2026"
    assert context["noi_dung"][1] == {
        "loai": "de_muc",
        "cap": 1,
        "so": "I.",
        "noi_dung": "I. MỤC ĐÍCH, YÊU CẦU",
    }
    assert [t["thoi_gian"] for t in context["du_lieu"]["nhiem_vu"]] == [t[1] for t in SEED_TASKS]
    assert services.parse_kind("self-assessment") == Kind.SELF_ASSESSMENT
