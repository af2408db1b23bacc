"""The minutes of the joint scoring with the Ủy ban MTTQ and the Ban Xây dựng Đảng (Biên bản chấm điểm).

Decree 30's form for minutes: "Số: …/BB-UBND" with no place-and-date line, the time, place, participants,
chair and secretary in the body, the content, the ending time; the secretary and the chair sign side by
side, the representatives of the two joint scorers under them, and "Nơi nhận" below.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy

from friendlygov.assessments.joint_record import Difference, JointScoring, Person
from friendlygov.documents import sources
from friendlygov.documents.kinds.common import (
    MODEL,
    NAME_BLANK,
    Built,
    DocumentDataError,
    Options,
    base_document,
    committee,
    criteria_basis,
    data_problem,
    default_recipients,
    lower_first,
    points,
    sentence,
    unit_label,
)
from friendlygov.documents.kinds.scores import ScoreRow, scores
from friendlygov.documents.models import Kind
from friendlygov.documents.render import Block, Bullet, Heading, Paragraph, Signature, Table
from friendlygov.org.models import Unit


def _clock(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút"


def _day(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    month = f"{local.month:02d}" if local.month <= 2 else str(local.month)
    return f"ngày {local.day:02d} tháng {month} năm {local.year}"


def _who(person: Person | None) -> str:
    if person is None:
        return NAME_BLANK
    return f"đồng chí {person.name}" + (f", {person.position_title}" if person.position_title else "")


def _points_text(row: ScoreRow | None, column: str, fallback: str) -> str:
    if row is None:
        return fallback
    value = row.self_points if column == "self" else row.consolidated_points
    if value is None or not fallback or fallback.endswith(points(value)):
        return fallback  # "2,5" needs no "(2,5 điểm)"
    return f"{fallback} ({points(value)} điểm)"


def settlement(difference: Difference) -> str:
    """How a differing proposal was settled, in words."""
    if difference.accepted:
        text = f"Chấp nhận đề xuất; thống nhất {difference.settled}"
    else:
        text = f"Không chấp nhận đề xuất; giữ {difference.settled}"
    reason = difference.decision_reason.strip()
    if reason and not reason.startswith("Theo đề xuất của"):
        text += f" ({lower_first(reason).rstrip('.')})"
    return text


def _problem(unit: Unit, year: int, joint: JointScoring | None) -> None:
    if joint is None:
        raise DocumentDataError(
            {
                "year": data_problem(
                    gettext_lazy(
                        "Năm %(y)s, %(u)s chưa có ý kiến chấm điểm của Ủy ban MTTQ và Ban Xây dựng Đảng: "
                        "chưa lập được biên bản chấm điểm."
                    ),
                    y=year,
                    u=unit_label(unit),
                )
            }
        )
    if joint.pending:
        codes = ", ".join(dict.fromkeys(d.code for d in joint.pending))
        raise DocumentDataError(
            {
                "year": data_problem(
                    gettext_lazy(
                        "Năm %(y)s còn đề xuất chấm điểm chưa được đầu mối xem xét (tiêu chí %(c)s): "
                        "biên bản lập sau khi thống nhất."
                    ),
                    y=year,
                    c=codes,
                )
            }
        )


def build_joint_minutes(unit: Unit, year: int, options: Options) -> Built:
    cycle = sources.cycle(unit, year)
    joint = sources.joint_scoring(cycle)
    _problem(unit, year, joint)
    assert joint is not None and cycle is not None
    result = scores(unit, year)
    rows = {r.code: r for r in result.rows} if result is not None else {}
    leader = sources.leader_of(unit)
    chair = (
        Person(leader.get_full_name(), getattr(leader, "position_title", "") or "")
        if leader is not None
        else None
    )
    if options.signer is not None and options.signer.name.strip():
        chair = Person(options.signer.name.strip(), options.signer.title.strip())
    secretary = joint.coordinator
    coordinator_body = sources.coordinator_body(unit)

    body: list[Block] = [
        Paragraph(f"Thời gian bắt đầu: {_clock(joint.started)}, {_day(joint.started)}."),
        Paragraph(f"Địa điểm: trụ sở {committee(unit)}."),
        Paragraph("Thành phần tham dự:"),
    ]
    attendees = [f"Chủ trì: {_who(chair)}"]
    for joint_body in joint.bodies:
        people = "; ".join(_who(p) for p in joint_body.people) or NAME_BLANK
        attendees.append(f"Đại diện {joint_body.name}: {people}")
    if secretary is not None:
        office = coordinator_body.name if coordinator_body is not None else "cơ quan đầu mối"
        attendees.append(f"Đại diện {office} (cơ quan đầu mối): {_who(secretary)}")
    body += [
        Bullet(sentence(a, ";") if i < len(attendees) - 1 else sentence(a)) for i, a in enumerate(attendees)
    ]
    body += [
        Paragraph(f"Chủ trì (chủ tọa): {_who(chair)}."),
        Paragraph(f"Thư ký: {_who(secretary)}."),
        Paragraph("Nội dung:"),
        Heading(1, "Kết quả chấm điểm phối hợp"),
    ]
    basis = criteria_basis(cycle)
    intro = f"Căn cứ {basis}, " if basis else ""
    body.append(
        Paragraph(
            f"{intro}Ủy ban nhân dân xã đã tự đánh giá, chấm điểm kết quả thực hiện mô hình {MODEL} năm {year}; "
            f"các cơ quan chấm điểm phối hợp đã xem xét kết quả tự chấm, cụ thể:"
        )
    )
    for joint_body in joint.bodies:
        said = [
            f"đồng ý với kết quả tự chấm ở {joint_body.agreed} tiêu chí" if joint_body.agreed else "",
            f"đề xuất điểm khác ở {joint_body.proposed} tiêu chí" if joint_body.proposed else "",
        ]
        body.append(Bullet(f"{joint_body.name}: {', '.join(p for p in said if p)}."))
    body.append(Heading(1, "Các tiêu chí có đề xuất khác kết quả tự chấm và kết quả thống nhất"))
    if joint.differences:
        table_rows = []
        for index, d in enumerate(joint.differences, start=1):
            row = rows.get(d.code)
            name = row.name if row is not None else d.name
            table_rows.append(
                [
                    str(index),
                    f"{d.code}. {name}",
                    _points_text(row, "self", d.self_value),
                    f"{d.body}: {d.proposed}.\nLý do: {sentence(d.reason)}",
                    _points_text(row, "consolidated", settlement(d)) if d.accepted else settlement(d),
                ]
            )
        body.append(
            Table(
                ["STT", "Tiêu chí", "Tự chấm", "Đề xuất của cơ quan chấm phối hợp", "Kết quả thống nhất"],
                table_rows,
                widths=[13, 44, 22, 46, 40],
                align=["center", "left", "center", "left", "left"],
                font_size=12,
            )
        )
    else:
        body.append(
            Paragraph("Các cơ quan chấm điểm phối hợp thống nhất với kết quả tự chấm ở tất cả các tiêu chí.")
        )
    body.append(Heading(1, "Kết luận"))
    if result is not None:
        body.append(
            Paragraph(
                f"Tổng điểm tự chấm {points(result.totals['self'])} điểm; sau khi thống nhất với các cơ quan "
                f"chấm điểm phối hợp: {points(result.totals['consolidated'])} điểm. Các thành viên dự họp "
                "nhất trí với kết quả nêu trên để Ủy ban nhân dân xã hoàn thiện hồ sơ gửi Sở Nội vụ thẩm định."
            )
        )
    ended = (
        "cùng ngày"
        if timezone.localdate(joint.ended) == timezone.localdate(joint.started)
        else _day(joint.ended)
    )
    body.append(
        Paragraph(
            f"Cuộc họp kết thúc vào {_clock(joint.ended)} {ended}; biên bản đã được thông qua trước các thành "
            "viên dự họp và nhất trí ký tên."
        )
    )

    signers = [
        Signature(
            authority=None, capacity=None, title="Thư ký", name=secretary.name if secretary else NAME_BLANK
        ),
        Signature(authority=None, capacity=None, title="Chủ tọa", name=chair.name if chair else NAME_BLANK),
    ]
    for joint_body in joint.bodies:
        first = joint_body.people[0].name if joint_body.people else NAME_BLANK
        signers.append(
            Signature(authority=None, capacity=None, title=f"Đại diện {joint_body.name}", name=first)
        )
    recipients = (
        options.recipients if options.recipients is not None else default_recipients(Kind.JOINT_MINUTES, unit)
    )
    document = base_document(
        unit,
        Kind.JOINT_MINUTES,
        year,
        Options(
            number=options.number, issued_on=options.issued_on, signer=options.signer, recipients=recipients
        ),
        type_name="Biên bản",
        subject=f"Chấm điểm phối hợp kết quả thực hiện mô hình {MODEL} năm {year}",
        body=body,
    )
    document.signature = None
    document.signers = signers
    document.date_line = False
    return Built(
        document,
        {
            "bat_dau": timezone.localtime(joint.started).isoformat(),
            "ket_thuc": timezone.localtime(joint.ended).isoformat(),
            "co_quan": [
                {
                    "ten": b.name,
                    "nguoi": [p.name for p in b.people],
                    "dong_y": b.agreed,
                    "de_xuat": b.proposed,
                }
                for b in joint.bodies
            ],
            "tieu_chi": [
                {
                    "ma": d.code,
                    "co_quan": d.body,
                    "tu_cham": d.self_value,
                    "de_xuat": d.proposed,
                    "ly_do": d.reason,
                    "chap_nhan": d.accepted,
                    "thong_nhat": d.settled,
                    "ket_qua": settlement(d),
                }
                for d in joint.differences
            ],
        },
    )
