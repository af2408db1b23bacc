"""The Department of Home Affairs' report on every unit of the city."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from friendlygov.documents import sources
from friendlygov.documents.kinds.common import (
    MODEL,
    NO_DATA,
    Built,
    DocumentDataError,
    Options,
    attachment_line,
    base_document,
    bullets,
    data_problem,
    points,
    symbol_for,
    unit_label,
)
from friendlygov.documents.models import Kind
from friendlygov.documents.render import (
    Appendix,
    Block,
    Heading,
    Paragraph,
    Table,
)
from friendlygov.org.models import Unit


def city_rows(city: Unit, year: int) -> list[list[str]]:
    """Every unit of the city: registered level, self-score, appraised score, level reached/recognised."""
    return city_rows_of(city, sources.city_overview(city, year))


def city_rows_of(city: Unit, overview: list[Any] | None) -> list[list[str]]:
    """:func:`city_rows` from a city overview already read (None: the assessments area is not there)."""
    if overview is None:
        return [[str(i), u.full_name, NO_DATA, "", "", ""] for i, u in enumerate(_city_units(city), start=1)]
    rows = []
    for index, row in enumerate(overview, start=1):
        registration = row.registration
        consolidated = row.totals.get("consolidated")
        appraised = row.totals.get("appraised")
        level = row.recognition.level_name if row.recognition else (appraised[1] if appraised else "")
        rows.append(
            [
                str(index),
                row.unit.full_name,
                registration.target_level_name
                if registration
                else ("Chưa đăng ký" if row.cycle else NO_DATA),
                points(consolidated[0]) if consolidated else "—",
                points(appraised[0]) if appraised else "—",
                (level or "—") + (" (đã công nhận)" if row.recognition else ""),
            ]
        )
    return rows


def _city_units(city: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=city, is_active=True).order_by("name"))


def build_city_report(unit: Unit, year: int, options: Options) -> Built:
    if not unit.is_city:
        raise DocumentDataError(
            {
                "unit": data_problem(
                    gettext_lazy("Báo cáo tổng hợp chỉ lập cho thành phố; %(u)s không phải thành phố."),
                    u=unit.full_name,
                )
            }
        )
    overview = sources.city_overview(unit, year)
    rows = city_rows_of(unit, overview)  # the overview is read once (it scores every unit)
    units = len(rows)
    body: list[Block] = []
    body.append(
        Paragraph(
            f"Sở Nội vụ báo cáo kết quả thực hiện mô hình {MODEL} năm {year} của các xã, phường, đặc khu trên địa "
            f"bàn {unit_label(unit)} như sau:"
        )
    )
    body.append(Heading(1, "Tình hình chung"))
    if overview is None:
        body.append(Paragraph(f"Kết quả đăng ký, tự đánh giá và thẩm định: {NO_DATA}."))
    else:
        opened = sum(1 for r in overview if r.cycle is not None)
        registered = sum(1 for r in overview if r.registration is not None)
        submitted = sum(1 for r in overview if r.cycle is not None and r.cycle.submitted_at is not None)
        appraised = sum(1 for r in overview if r.totals.get("appraised"))
        recognised = sum(1 for r in overview if r.recognition is not None)
        body += bullets(
            [
                f"Tổng số đơn vị cấp xã: {units}; đã mở kỳ đánh giá năm {year}: {opened}",
                f"Số đơn vị đã đăng ký mức đạt chuẩn: {registered}",
                f"Số đơn vị đã nộp hồ sơ tự đánh giá: {submitted}",
                f"Số đơn vị đã được thẩm định: {appraised}; đã được công nhận: {recognised}",
            ]
        )
        by_level: dict[str, int] = {}
        for r in overview:
            if r.recognition is not None:
                by_level[r.recognition.level_name] = by_level.get(r.recognition.level_name, 0) + 1
        if by_level:
            body.append(
                Paragraph(
                    "Kết quả công nhận theo mức: "
                    + "; ".join(f"{k}: {v} đơn vị" for k, v in sorted(by_level.items()))
                    + "."
                )
            )
    body.append(Heading(1, "Kết quả của từng đơn vị"))
    body.append(Paragraph("*(có Phụ lục chi tiết kèm theo)*"))
    body.append(Heading(1, "Đề xuất, kiến nghị"))
    late = [r.unit.full_name for r in (overview or []) if r.submission_late]
    if late:
        body.append(
            Paragraph(
                "Đề nghị các đơn vị chưa nộp hồ sơ đúng hạn khẩn trương hoàn thiện: " + ", ".join(late) + "."
            )
        )
    else:
        body.append(
            Paragraph("Đề nghị Ủy ban nhân dân thành phố xem xét, công nhận các đơn vị đủ điều kiện.")
        )
    appendix = Appendix(
        title="Phụ lục kết quả thực hiện của các đơn vị",
        subtitle=f"Mô hình {MODEL} năm {year}",
        note=attachment_line("Báo cáo", symbol_for(Kind.CITY_REPORT, unit), unit, year, options),
        blocks=[
            Table(
                columns=[
                    "STT",
                    "Đơn vị",
                    "Mức đăng ký",
                    "Điểm tự chấm (thống nhất)",
                    "Điểm thẩm định",
                    "Mức đạt",
                ],
                rows=rows or [["", NO_DATA, "", "", "", ""]],
                widths=[14, 70, 40, 40, 36, 52],
                align=["center", "left", "center", "center", "center", "center"],
                font_size=12,
            )
        ],
        landscape=True,
    )
    subject = f"Kết quả thực hiện mô hình {MODEL} năm {year} của các xã, phường, đặc khu"
    document = base_document(
        unit,
        Kind.CITY_REPORT,
        year,
        options,
        type_name="Báo cáo",
        subject=subject,
        body=body,
        appendices=[appendix],
    )
    data = {
        "don_vi": [
            {
                "stt": r[0],
                "ten": r[1],
                "muc_dang_ky": r[2],
                "tu_cham": r[3],
                "tham_dinh": r[4],
                "muc_dat": r[5],
            }
            for r in rows
        ]
    }
    return Built(document, data)
