"""The Department of Home Affairs' notice of the appraisal result to one commune (Thông báo kết quả thẩm
định): the scores by criterion group, each adjustment with its reason, the result against the registered
level and, when the dossier was returned, what the commune had to complete."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from friendlygov.assessments.models import AppraisalItem, Cycle
from friendlygov.documents import sources
from friendlygov.documents.kinds.common import (
    MODEL,
    NO_DATA,
    Built,
    DocumentDataError,
    Options,
    base_document,
    bullets,
    city_of,
    committee,
    criteria_basis,
    data_problem,
    default_recipients,
    doc_reference,
    issued_document,
    points,
    text_blocks,
    unit_label,
)
from friendlygov.documents.kinds.scores import official_text
from friendlygov.documents.models import Kind
from friendlygov.documents.render import Block, Heading, Paragraph, Table
from friendlygov.org.models import Unit

DONE = (Cycle.Status.APPRAISED, Cycle.Status.RECOGNISED)


@dataclasses.dataclass
class Adjustment:
    code: str
    name: str
    submitted: str  # the commune's value (after joint scoring), as the criterion describes it
    appraised: str
    submitted_points: Decimal | None
    appraised_points: Decimal | None
    reason: str


def difference(before: Decimal | None, after: Decimal | None) -> str:
    """ "-0,5", "+1", "0" — the appraisal against the commune's score."""
    if before is None or after is None:
        return "—"
    delta = after - before
    if delta == 0:
        return "0"
    return ("+" if delta > 0 else "-") + points(abs(delta))


def _level_rank(cs: Any, code: str | None) -> int | None:
    codes = [level.code for level in cs.levels]
    return codes.index(code) if code in codes else None


def appraisal_cycle(unit: Unit, year: int) -> Cycle:
    """The year's cycle whose appraisal the notice reports; DocumentDataError when that step has not
    happened (no cycle, or a dossier not yet appraised nor returned)."""
    if unit.is_city or city_of(unit) is None:
        raise DocumentDataError(
            {
                "unit": data_problem(
                    gettext_lazy(
                        "Thông báo kết quả thẩm định lập cho một xã, phường, đặc khu của thành phố; "
                        "%(u)s không phải."
                    ),
                    u=unit.full_name,
                )
            }
        )
    cycle = sources.cycle(unit, year)
    if cycle is None:
        raise DocumentDataError(
            {
                "year": data_problem(
                    gettext_lazy(
                        "Năm %(y)s, thành phố chưa mở kỳ đánh giá cho %(u)s: chưa có kết quả thẩm định để "
                        "thông báo."
                    ),
                    y=year,
                    u=unit_label(unit),
                )
            }
        )
    if cycle.status not in DONE and cycle.status != Cycle.Status.RETURNED:
        raise DocumentDataError(
            {
                "year": data_problem(
                    gettext_lazy(
                        "Hồ sơ năm %(y)s của %(u)s chưa được Sở Nội vụ thẩm định (hiện: %(s)s): chưa lập "
                        "được thông báo kết quả thẩm định."
                    ),
                    y=year,
                    u=unit_label(unit),
                    s=str(cycle.get_status_display()).lower(),
                )
            }
        )
    return cycle


def _opening_blocks(unit: Unit, year: int, cycle: Any, commune: str, finished: bool) -> list[Block]:
    """The grounds (criteria set, the commune's submission) and the opening sentence."""
    body: list[Block] = []
    basis = criteria_basis(cycle)
    if basis:
        body.append(Paragraph(f"Căn cứ {basis};"))
    submission = issued_document(unit, Kind.SUBMISSION, year)
    submitted_on = timezone.localdate(cycle.submitted_at) if cycle.submitted_at else None
    if submission is not None:
        body.append(Paragraph(f"Căn cứ {doc_reference(submission, 'Tờ trình')} và hồ sơ kèm theo;"))
    elif submitted_on is not None:
        body.append(
            Paragraph(
                f"Căn cứ hồ sơ tự đánh giá, chấm điểm năm {year} của {commune} nộp ngày "
                f"{submitted_on:%d/%m/%Y};"
            )
        )
    appraised_on = timezone.localdate(cycle.appraised_at) if finished and cycle.appraised_at else None
    when = f" ngày {appraised_on:%d/%m/%Y}" if appraised_on else ""
    if finished:
        body.append(
            Paragraph(
                f"Sở Nội vụ đã thẩm định{when} hồ sơ đề nghị công nhận đạt chuẩn mô hình {MODEL} năm {year} "
                f"của {unit_label(unit)} và thông báo kết quả như sau:"
            )
        )
    else:
        body.append(
            Paragraph(
                f"Sở Nội vụ đã xem xét hồ sơ đề nghị công nhận đạt chuẩn mô hình {MODEL} năm {year} của "
                f"{unit_label(unit)}; hồ sơ chưa đủ để kết thúc thẩm định. Sở Nội vụ thông báo kết quả thẩm "
                f"định bước đầu và các nội dung cần bổ sung như sau:"
            )
        )
    return body


def _score_blocks(
    rows: list[Any], data: Any, finished: bool, submitted_result: Any, appraised_result: Any
) -> list[Block]:
    """Section I: the scores by criterion group, the totals and the conditions."""
    body: list[Block] = []
    body.append(Heading(1, "Kết quả chấm điểm theo nhóm tiêu chí"))
    appraised_label = "Điểm thẩm định" if finished else "Điểm thẩm định (tạm tính)"
    table_rows: list[list[str]] = []
    groups = [r for r in rows if r.row.depth == 0 and not r.row.is_condition]
    for index, row in enumerate(groups, start=1):
        before, after = row.points.get("consolidated"), row.points.get("appraised")
        name = official_text(row.row.name) + (" *(điểm thưởng)*" if row.row.bonus else "")
        table_rows.append(
            [
                str(index),
                name,
                "" if row.row.max_points is None else points(row.row.max_points),
                points(before),
                points(after),
                difference(before, after),
            ]
        )
    table_rows.append(
        [
            "",
            "**Tổng cộng**",
            f"**{points(data.cs.scale)}**",
            f"**{points(submitted_result.total)}**",
            f"**{points(appraised_result.total)}**",
            f"**{difference(submitted_result.total, appraised_result.total)}**",
        ]
    )
    body.append(
        Table(
            columns=["STT", "Nhóm tiêu chí", "Điểm tối đa", "Điểm xã tự chấm", appraised_label, "Chênh lệch"],
            rows=table_rows,
            widths=[13, 69, 20, 22, 22, 19],
            align=["center", "left", "center", "center", "center", "center"],
            font_size=12,
        )
    )
    body.append(
        Paragraph(
            "*Điểm xã tự chấm là điểm sau khi thống nhất với Ủy ban MTTQ và Ban Xây dựng Đảng, như hồ sơ "
            "xã đã nộp.*"
        )
    )
    conditions = [r for r in rows if r.row.is_condition]
    if conditions:
        body.append(Paragraph("Các điều kiện để được xét công nhận:"))
        body += bullets(
            [
                f"{official_text(r.row.name)}: xã tự đánh giá «{r.texts.get('consolidated') or 'chưa có'}», "
                f"thẩm định «{r.texts.get('appraised') or 'chưa có'}»"
                for r in conditions
            ]
        )
    return body


def _adjustments(rows: list[Any]) -> list[Adjustment]:
    return [
        Adjustment(
            code=r.code,
            name=official_text(r.row.name),
            submitted=r.texts.get("consolidated") or "",
            appraised=r.texts.get("appraised") or (r.appraisal.value if r.appraisal else ""),
            submitted_points=r.points.get("consolidated"),
            appraised_points=r.points.get("appraised"),
            reason=(r.appraisal.reason if r.appraisal else "").strip(),
        )
        for r in rows
        if r.appraisal is not None and r.appraisal.decision == AppraisalItem.Decision.ADJUST
    ]


def _adjustment_blocks(adjustments: list[Adjustment]) -> list[Block]:
    """Section II: each adjustment with its reason."""
    body: list[Block] = []
    if adjustments:
        body.append(
            Paragraph(
                f"Sở Nội vụ điều chỉnh {len(adjustments)} tiêu chí so với kết quả xã tự chấm; các tiêu chí "
                "còn lại thống nhất với kết quả xã tự chấm:"
            )
        )
        body.append(
            Table(
                columns=["STT", "Tiêu chí", "Xã tự chấm", "Thẩm định", "Lý do điều chỉnh"],
                rows=[
                    [
                        str(i),
                        f"{a.code}. {a.name}",
                        _value_cell(a.submitted, a.submitted_points),
                        _value_cell(a.appraised, a.appraised_points),
                        a.reason or NO_DATA,
                    ]
                    for i, a in enumerate(adjustments, start=1)
                ],
                widths=[13, 53, 24, 24, 51],
                align=["center", "left", "center", "center", "left"],
                font_size=12,
            )
        )
    else:
        body.append(Paragraph("Sở Nội vụ thống nhất với kết quả xã tự chấm ở tất cả các tiêu chí."))
    return body


def _verdict(unit: Unit, year: int, data: Any, registration: Any, reached: Any) -> str:
    """The conclusion of a finished appraisal: the level reached against the level registered."""
    target_name = registration.target_level_name if registration is not None else ""
    target_rank = _level_rank(data.cs, registration.target_level if registration else None)
    reached_rank = _level_rank(data.cs, reached.code if reached else None)
    if reached is None:
        verdict = (
            f"Kết luận: {unit_label(unit)} chưa đạt chuẩn mô hình {MODEL} năm {year}; chưa đủ điều kiện "
            "đề nghị công nhận."
        )
    elif target_rank is None or reached_rank is None or reached_rank == target_rank:
        verdict = (
            f"Kết luận: {unit_label(unit)} đạt chuẩn mô hình {MODEL} {reached.name.lower()} năm {year}"
            + (", đúng mức đã đăng ký" if target_rank is not None else "")
            + ". Sở Nội vụ tổng hợp, trình Ủy ban nhân dân thành phố xem xét, công nhận."
        )
    elif reached_rank < target_rank:
        verdict = (
            f"Kết luận: {unit_label(unit)} đạt {reached.name.lower()}, chưa đạt mức đã đăng ký "
            f"({target_name.lower()}). Sở Nội vụ tổng hợp, trình Ủy ban nhân dân thành phố xem xét, "
            f"công nhận ở {reached.name.lower()}."
        )
    else:
        verdict = (
            f"Kết luận: {unit_label(unit)} đạt {reached.name.lower()}, cao hơn mức đã đăng ký "
            f"({target_name.lower()}); theo mức đã đăng ký, Sở Nội vụ trình Ủy ban nhân dân thành phố "
            f"xem xét, công nhận {target_name.lower()}."
        )
    return verdict


def _return_blocks(cycle: Any, finished: bool, commune: str, requests: str) -> list[Block]:
    """Section IV: what to complete when the dossier was returned."""
    body: list[Block] = []
    if cycle.returned_at is not None:
        returned_on = timezone.localdate(cycle.returned_at)
        body.append(Heading(1, "Nội dung hồ sơ cần bổ sung, hoàn thiện"))
        if finished:
            body.append(
                Paragraph(
                    f"Ngày {returned_on:%d/%m/%Y}, Sở Nội vụ đã trả lại hồ sơ để xã bổ sung các nội dung sau; "
                    "xã đã bổ sung, nộp lại hồ sơ và kết quả trên được thẩm định trên hồ sơ đã bổ sung:"
                )
            )
        else:
            deadline = cycle.appraisal_deadline
            body.append(
                Paragraph(
                    f"Ngày {returned_on:%d/%m/%Y}, Sở Nội vụ trả lại hồ sơ. Đề nghị {commune} bổ sung, hoàn "
                    f"thiện các nội dung sau và nộp lại trước ngày {deadline:%d/%m/%Y} (hạn thẩm định):"
                )
            )
        body += text_blocks(requests) or [Paragraph(NO_DATA)]
    return body


def build_appraisal_notice(unit: Unit, year: int, options: Options) -> Built:
    cycle = appraisal_cycle(unit, year)
    city = city_of(unit)
    assert city is not None
    data = sources.cycle_data(cycle)
    assert data is not None
    rows = sources.criterion_rows(data)
    registration = sources.registration(cycle)
    finished = cycle.status in DONE
    submitted_result = data.result("consolidated")
    appraised_result = data.result("appraised")
    commune = committee(unit)

    body: list[Block] = _opening_blocks(unit, year, cycle, commune, finished)

    # I. the scores by criterion group
    body += _score_blocks(rows, data, finished, submitted_result, appraised_result)

    # II. each adjustment with its reason
    body.append(Heading(1, "Các nội dung điều chỉnh khi thẩm định"))
    adjustments = _adjustments(rows)
    body += _adjustment_blocks(adjustments)

    # III. the result
    body.append(Heading(1, "Kết quả thẩm định"))
    reached = appraised_result.level
    target_name = registration.target_level_name if registration is not None else ""
    result_lines = [
        f"Tổng điểm xã tự chấm: {points(submitted_result.total)}/{points(data.cs.scale)} điểm, tương ứng "
        + (submitted_result.level.name.lower() if submitted_result.level else "chưa đạt chuẩn"),
        f"Tổng điểm thẩm định{'' if finished else ' (tạm tính)'}: {points(appraised_result.total)}/"
        f"{points(data.cs.scale)} điểm, tương ứng " + (reached.name.lower() if reached else "chưa đạt chuẩn"),
        f"Mức xã đăng ký năm {year}: " + (target_name.lower() if target_name else "xã chưa đăng ký"),
    ]
    body += bullets(result_lines)
    verdict = _verdict(unit, year, data, registration, reached) if finished else ""
    if finished:
        body.append(Paragraph(verdict))

    # IV. what to complete when the dossier was returned
    requests = (cycle.return_requests or "").strip()
    body += _return_blocks(cycle, finished, commune, requests)
    if finished and adjustments:
        body.append(
            Paragraph(
                f"Đề nghị {commune} rà soát, khắc phục những nội dung Sở Nội vụ đã điều chỉnh nêu tại mục II "
                "trong năm tiếp theo."
            )
        )
    body.append(Paragraph(f"Sở Nội vụ thông báo để {commune} biết, thực hiện."))

    subject = f"Kết quả thẩm định mô hình {MODEL} năm {year} của {unit_label(unit)}"
    document = base_document(
        city, Kind.APPRAISAL_NOTICE, year, options, type_name="Thông báo", subject=subject, body=body
    )
    if options.recipients is None:  # the commune's People's Committee, not the city's
        document = dataclasses.replace(document, recipients=default_recipients(Kind.APPRAISAL_NOTICE, unit))
    data_out: dict[str, Any] = {
        "xa": unit.full_name,
        "trang_thai": str(cycle.get_status_display()),
        "tong_xa_tu_cham": str(submitted_result.total),
        "tong_tham_dinh": str(appraised_result.total),
        "muc_dat": reached.name if reached else "",
        "muc_dang_ky": target_name,
        "ket_luan": verdict,
        "dieu_chinh": [
            {
                "ma": a.code,
                "tieu_chi": a.name,
                "xa_tu_cham": a.submitted,
                "tham_dinh": a.appraised,
                "ly_do": a.reason,
            }
            for a in adjustments
        ],
        "yeu_cau_bo_sung": requests,
    }
    return Built(document, data_out)


def _value_cell(text: str, value: Decimal | None) -> str:
    if value is None:
        return text or "chưa chấm"
    shown = f"{points(value)} điểm"
    return f"{text} ({shown})" if text and text != points(value) else shown
