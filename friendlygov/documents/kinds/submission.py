"""The submission to the city (Tờ trình): it asks recognition at the registered level when the current total
reaches it, and otherwise reports the self-assessment result without asking anything."""

from __future__ import annotations

from typing import Any

from friendlygov.documents import sources
from friendlygov.documents.kinds.common import (
    MODEL,
    NO_DATA,
    Built,
    Options,
    base_document,
    bullets,
    city_of,
    committee,
    criteria_basis,
    doc_reference,
    issued_document,
    plan_reference,
    points,
    sentence,
    unit_label,
)
from friendlygov.documents.kinds.registration import registered_level
from friendlygov.documents.kinds.scores import (
    counts_sentence,
    no_cycle,
    scores,
    standing_sentence,
    submission_outlook,
)
from friendlygov.documents.kinds.self_assessment import scores_data, standing_data
from friendlygov.documents.models import Kind
from friendlygov.documents.render import (
    Block,
    Paragraph,
)
from friendlygov.org.models import Unit


def build_submission(unit: Unit, year: int, options: Options) -> Built:
    result = scores(unit, year)
    level, cycle, _registration = registered_level(unit, year)
    plan = sources.plan_for_year(unit, year)
    outlook = submission_outlook(unit, year)
    summary = outlook.summary
    proposes = outlook.proposes and result is not None
    city = city_of(unit)
    city_committee = committee(city) if city is not None else "Ủy ban nhân dân thành phố"
    body: list[Block] = [
        Paragraph(f"Kính gửi: {city_committee}.", align="center", first_line_indent=False),
    ]
    basis = criteria_basis(cycle)
    if basis:
        body.append(Paragraph(f"Căn cứ {basis};"))
    reference = plan_reference(unit, plan, year)
    if reference:
        body.append(Paragraph(f"Căn cứ {reference};"))
    report = issued_document(unit, Kind.SELF_ASSESSMENT, year)
    if report is not None:
        body.append(
            Paragraph(f"Căn cứ {doc_reference(report, 'Báo cáo')} về kết quả tự đánh giá, chấm điểm,")
        )
    if result is None or summary is None or summary.counts is None:
        body.append(no_cycle(unit, year))
    else:
        body.append(
            Paragraph(
                f"{committee(unit)} đã tổ chức tự đánh giá, chấm điểm các tiêu chí mô hình {MODEL} năm {year}; "
                f"mức đăng ký: {(level or NO_DATA).lower()}. {counts_sentence(summary)}."
            )
        )
        body.append(Paragraph(sentence(standing_sentence(summary))))
    if proposes:
        body.append(
            Paragraph(
                f"Kết quả trên đạt mức đăng ký. {committee(unit)} kính trình {city_committee} (qua Sở Nội vụ) "
                f"thẩm định, xem xét, công nhận {unit_label(unit)} đạt chuẩn {MODEL} {outlook.level.lower()} "
                f"năm {year}."
            )
        )
    else:
        if summary is not None and summary.target_level:
            body.append(
                Paragraph(
                    f"Kết quả trên chưa đạt mức đăng ký ({outlook.level.lower()}, từ "
                    f"{points(summary.target_min_total)} điểm) nên {committee(unit)} chưa đề nghị xét công "
                    f"nhận năm {year}, đồng thời tiếp tục chỉ đạo các cơ quan, đơn vị khắc phục các tồn tại, hạn "
                    "chế."
                )
            )
        elif summary is not None:
            body.append(
                Paragraph(
                    f"Năm {year}, {unit_label(unit)} chưa đăng ký mức đạt chuẩn nên {committee(unit)} chưa đề "
                    "nghị xét công nhận."
                )
            )
        body.append(
            Paragraph(
                f"{committee(unit)} kính trình {city_committee} (qua Sở Nội vụ) kết quả tự đánh giá, chấm điểm "
                f"mô hình {MODEL} năm {year} của {unit_label(unit)} để theo dõi, hướng dẫn."
            )
        )
    body.append(Paragraph("Hồ sơ kèm theo gồm:"))
    files = []
    registration_doc = issued_document(unit, Kind.REGISTRATION, year)
    files.append(
        doc_reference(registration_doc, "Văn bản đăng ký mức đạt chuẩn")
        if registration_doc
        else f"Văn bản đăng ký mức đạt chuẩn năm {year}"
    )
    files.append(
        doc_reference(report, "Báo cáo tự đánh giá, chấm điểm")
        if report
        else "Báo cáo tự đánh giá, chấm điểm"
    )
    files.append("Bảng tự đánh giá, chấm điểm các tiêu chí kèm theo minh chứng")
    annual = issued_document(unit, Kind.ANNUAL_REPORT, year)
    files.append(
        doc_reference(annual, "Báo cáo kết quả thực hiện")
        if annual
        else f"Báo cáo kết quả thực hiện năm {year}"
    )
    body += bullets(files)
    if proposes:
        body.append(Paragraph(f"Kính trình {city_committee} xem xét, quyết định."))
        subject = f"Về việc đề nghị công nhận {unit_label(unit)} đạt chuẩn {MODEL} {outlook.level.lower()} năm {year}"
    else:
        body.append(Paragraph(f"Kính trình {city_committee} xem xét."))
        subject = f"Về kết quả tự đánh giá, chấm điểm mô hình {MODEL} năm {year} của {unit_label(unit)}"
    document = base_document(
        unit, Kind.SUBMISSION, year, options, type_name="Tờ trình", subject=subject, body=body
    )
    data: dict[str, Any] = {
        "muc_de_nghi": outlook.level if proposes else "",
        "de_nghi_cong_nhan": proposes,
        "muc_dang_ky": level or "",
    }
    if result is not None:
        data.update(scores_data(result))
        data.update(standing_data(summary))
    return Built(document, data, warnings=list(outlook.warnings))
