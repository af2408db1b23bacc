"""The submission asking the city to appraise and recognise (Tờ trình)."""

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
    sentence,
    unit_label,
)
from friendlygov.documents.kinds.registration import registered_level
from friendlygov.documents.kinds.scores import counts_sentence, no_cycle, scores, standing_sentence
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
    summary = sources.cycle_summary(unit, year)
    # recognition is asked only for a level the current total reaches (and not again once recognised)
    proposed = summary.current_level_name if summary is not None and result is not None else ""
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
    if proposed:
        body.append(
            Paragraph(
                f"{committee(unit)} kính trình {city_committee} (qua Sở Nội vụ) xem xét, công nhận "
                f"{unit_label(unit)} đạt chuẩn {MODEL} {proposed.lower()} năm {year}."
            )
        )
    else:
        body.append(
            Paragraph(
                f"{committee(unit)} kính trình {city_committee} (qua Sở Nội vụ) xem xét kết quả thực hiện mô hình "
                f"{MODEL} năm {year} của {unit_label(unit)}."
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
    body.append(Paragraph(f"Kính trình {city_committee} xem xét, quyết định."))
    level_words = f" {proposed.lower()}" if proposed else ""
    subject = f"Về việc đề nghị công nhận {unit_label(unit)} đạt chuẩn {MODEL}{level_words} năm {year}"
    document = base_document(
        unit, Kind.SUBMISSION, year, options, type_name="Tờ trình", subject=subject, body=body
    )
    data: dict[str, Any] = {"muc_de_nghi": proposed, "muc_dang_ky": level or ""}
    if result is not None:
        data.update(scores_data(result))
        data.update(standing_data(summary))
    return Built(document, data)
