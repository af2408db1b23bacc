"""The city People's Committee's decision recognising the units that reached a level in the year (Quyết
định công nhận, drafted by the Department of Home Affairs): only the units whose recognition is recorded."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.translation import gettext_lazy

from friendlygov.documents import sources
from friendlygov.documents.kinds.common import (
    MODEL,
    Built,
    DocumentDataError,
    Options,
    base_document,
    committee,
    criteria_basis,
    criteria_set_title,
    data_problem,
    home_affairs,
    points,
    unit_label,
)
from friendlygov.documents.models import IssuedDocument, Kind
from friendlygov.documents.render import Block, Paragraph, Table, format_number_line, vn_short_date
from friendlygov.org.models import Unit

LOCAL_GOVERNMENT_LAW = "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"


def recognised_rows(city: Unit, year: int) -> list[Any]:
    """The city's rows of the year with a recognition recorded (``assessments.city_overview``)."""
    overview = sources.city_overview(city, year) or []
    return [row for row in overview if row.recognition is not None]


def home_affairs_reference(document: IssuedDocument, type_name: str) -> str:
    """ "Thông báo số 05/TB-SNV ngày 20/12/2025 của Sở Nội vụ"."""
    number = format_number_line(str(document.number), document.symbol).removeprefix("Số: ")
    return f"{type_name} số {number} ngày {vn_short_date(document.issued_on)} của Sở Nội vụ"


def _issued(city: Unit, kind: str, year: int) -> list[IssuedDocument]:
    return list(
        IssuedDocument.objects.filter(
            unit=city, kind=kind, year=year, draft=False, number__isnull=False
        ).order_by("issued_on", "number")
    )


def build_recognition_decision(unit: Unit, year: int, options: Options) -> Built:
    if not unit.is_city:
        raise DocumentDataError(
            {
                "unit": data_problem(
                    gettext_lazy(
                        "Quyết định công nhận là của Ủy ban nhân dân thành phố; %(u)s không phải thành phố."
                    ),
                    u=unit.full_name,
                )
            }
        )
    rows = recognised_rows(unit, year)
    if not rows:
        raise DocumentDataError(
            {
                "year": data_problem(
                    gettext_lazy(
                        "Năm %(y)s, %(c)s chưa ghi nhận công nhận đạt chuẩn cho đơn vị nào: chưa lập được "
                        "quyết định công nhận."
                    ),
                    y=year,
                    c=committee(unit),
                )
            }
        )
    city_committee = committee(unit)
    body: list[Block] = [
        Paragraph(f"**{city_committee.upper()}**", align="center", first_line_indent=False),
        Paragraph(f"*Căn cứ {LOCAL_GOVERNMENT_LAW};*"),
    ]
    cycle = rows[0].cycle
    basis = criteria_basis(cycle)
    body.append(Paragraph(f"*Căn cứ {basis or criteria_set_title(cycle.criteria_set)};*"))
    notices = _issued(unit, Kind.APPRAISAL_NOTICE, year)
    if notices:
        references = "; ".join(home_affairs_reference(n, "Thông báo") for n in notices)
        body.append(Paragraph(f"*Căn cứ kết quả thẩm định tại {references};*"))
    else:
        body.append(Paragraph(f"*Căn cứ kết quả thẩm định mô hình {MODEL} năm {year} của Sở Nội vụ;*"))
    reports = _issued(unit, Kind.CITY_REPORT, year)
    proposal = f" tại {home_affairs_reference(reports[-1], 'Báo cáo')}" if reports else ""
    body.append(Paragraph(f"*Theo đề nghị của Giám đốc Sở Nội vụ{proposal}.*"))
    body.append(Paragraph("**QUYẾT ĐỊNH:**", align="center", first_line_indent=False))
    body.append(
        Paragraph(
            f"**Điều 1.** Công nhận {len(rows):02d} đơn vị hành chính cấp xã đạt chuẩn mô hình {MODEL} năm "
            f"{year} ở mức đạt chuẩn như sau:"
        )
    )
    table_rows = []
    for index, row in enumerate(rows, start=1):
        appraised = row.totals.get("appraised")
        table_rows.append(
            [
                str(index),
                row.unit.full_name,
                row.recognition.level_name,
                points(appraised[0]) if appraised else "—",
            ]
        )
    body.append(
        Table(
            columns=["STT", "Đơn vị", "Mức đạt chuẩn", "Điểm thẩm định"],
            rows=table_rows,
            widths=[14, 78, 44, 29],
            align=["center", "left", "center", "center"],
        )
    )
    body.append(
        Paragraph(
            "Các đơn vị được công nhận có trách nhiệm duy trì, nâng cao chất lượng thực hiện các tiêu chí; "
            "Sở Nội vụ theo dõi, kiểm tra việc duy trì kết quả."
        )
    )
    body.append(Paragraph("**Điều 2.** Quyết định này có hiệu lực kể từ ngày ký."))
    body.append(
        Paragraph(
            "**Điều 3.** Chánh Văn phòng Ủy ban nhân dân thành phố, Giám đốc Sở Nội vụ, Thủ trưởng các cơ "
            "quan, đơn vị có liên quan và Chủ tịch Ủy ban nhân dân các xã, phường, đặc khu có tên tại Điều 1 "
            "chịu trách nhiệm thi hành Quyết định này."
        )
    )
    subject = f"Về việc công nhận xã, phường, đặc khu đạt chuẩn mô hình {MODEL} năm {year}"
    document = base_document(
        unit, Kind.RECOGNITION_DECISION, year, options, type_name="Quyết định", subject=subject, body=body
    )
    # the People's Committee issues it: no parent body above the city's committee in the header
    document = dataclasses.replace(
        document, parent_body=None, issuing_body=f"Ủy ban nhân dân\n{unit_label(unit)}"
    )
    data = {
        "co_quan_tham_muu": home_affairs(unit),
        "don_vi": [{"stt": r[0], "ten": r[1], "muc_dat": r[2], "diem_tham_dinh": r[3]} for r in table_rows],
    }
    return Built(document, data)
