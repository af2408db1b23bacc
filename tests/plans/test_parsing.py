"""Reading what people type: yearly targets, section V duties, appendix uploads; the demo PDF."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from friendlygov.evidence.filetypes import sniff
from friendlygov.plans.demo import minimal_pdf
from friendlygov.plans.parsing import (
    DutyLine,
    TargetLine,
    appendix_text_from_upload,
    format_duties,
    format_targets,
    parse_duties,
    parse_targets,
)


def test_targets_lines_and_ranges() -> None:
    targets = parse_targets("2026: 3\n- 2027-2029: 3 — phấn đấu nâng mức\nNăm 2030: mức độ 4\n\n")
    assert targets == [
        TargetLine(2026, "3"),
        TargetLine(2027, "3", "phấn đấu nâng mức"),
        TargetLine(2028, "3", "phấn đấu nâng mức"),
        TargetLine(2029, "3", "phấn đấu nâng mức"),
        TargetLine(2030, "4"),
    ]
    assert parse_targets(format_targets(targets)) == targets


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026 mức ba", "Mục tiêu, dòng 1: «2026 mức ba» không đúng mẫu"),
        ("2026: 3\n2026: 4", "Mục tiêu, dòng 2: năm 2026 đã có ở dòng trên."),
        ("2030-2026: 3", "Mục tiêu, dòng 1: khoảng năm 2030–2026 không hợp lệ."),
    ],
)
def test_targets_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_targets(text)
    assert message in info.value.message_dict["targets"][0]


def test_duties_from_section_v() -> None:
    text = """V. TỔ CHỨC THỰC HIỆN
1. Các cơ quan, đơn vị có liên quan
- Quán triệt, chỉ đạo.
- Phân công cán bộ.
3. Trung tâm Phục vụ Hành chính công xã
Chủ trì, phối hợp với các cơ quan.
7. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam xã
- Đẩy mạnh tuyên truyền;"""
    duties = parse_duties(text)
    assert duties == [
        DutyLine("Các cơ quan, đơn vị có liên quan", "Quán triệt, chỉ đạo."),
        DutyLine("Các cơ quan, đơn vị có liên quan", "Phân công cán bộ."),
        DutyLine("Trung tâm Phục vụ Hành chính công xã", "Chủ trì, phối hợp với các cơ quan."),
        DutyLine("Ủy ban Mặt trận Tổ quốc Việt Nam xã", "Đẩy mạnh tuyên truyền;"),
    ]
    assert parse_duties(format_duties(duties)) == duties


def test_upload_formats() -> None:
    tsv = "STT\tNhiệm vụ\n1\tViệc"
    assert appendix_text_from_upload(("\ufeff" + tsv).encode(), "phu-luc.tsv") == tsv
    csv_text = appendix_text_from_upload('STT,Nhiệm vụ\n1,"Việc, có dấu phẩy"\n'.encode(), "phu-luc.csv")
    assert csv_text == "STT\tNhiệm vụ\n1\tViệc, có dấu phẩy"
    with pytest.raises(ValidationError) as info:
        appendix_text_from_upload(b"\xff\xfe", "phu-luc.txt")
    assert "không phải văn bản UTF-8" in info.value.message_dict["upload"][0]
    with pytest.raises(ValidationError) as info:
        appendix_text_from_upload(b"PK\x03\x04 broken", "phu-luc.docx")
    assert "Không đọc được tệp Word" in info.value.message_dict["upload"][0]


def test_demo_pdf_is_a_pdf() -> None:
    data = minimal_pdf("Xã Thanh Miện (nhiệm vụ 3)")
    assert sniff(data[:16], data, "x.pdf") == "application/pdf"
    assert data.rstrip().endswith(b"%%EOF") and b"Xa Thanh Mien \\(nhiem vu 3\\)" in data
    xref = int(data.split(b"startxref\n")[1].split(b"\n")[0])
    assert data[xref : xref + 4] == b"xref"
