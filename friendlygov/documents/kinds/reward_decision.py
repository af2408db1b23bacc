"""The commune chairman's reward decision (Quyết định khen thưởng) for the year of the programme.

Decree 30's decision form: QUYẾT ĐỊNH / "Về việc khen thưởng …", the authority line, the bases, "QUYẾT ĐỊNH:",
Điều 1 (the collectives and individuals, their forms and money, from the rewards recorded in operations),
Điều 2 (where the money comes from), Điều 3 (who executes), "Nơi nhận: - Như Điều 3; …", signed by the
chairman (or a vice-chairman "KT. CHỦ TỊCH").

A year may hold several recorded decisions of the chairman (e.g. a second one for a late nomination): the
document lists every reward the commune's chairman decided in the year, in one decision.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from friendlygov.documents import sources
from friendlygov.documents.kinds.common import (
    MODEL,
    Built,
    DocumentDataError,
    Options,
    base_document,
    count,
    data_problem,
    plan_reference,
    unit_label,
)
from friendlygov.documents.models import Kind
from friendlygov.documents.render import Block, Paragraph, Table, vn_short_date
from friendlygov.operations.awards import Award, YearAwards
from friendlygov.org.models import Unit
from friendlygov.rules.rewards import BASE_SALARY, base_salary, vn_number_words
from friendlygov.rules.text import format_vn_number

LOCAL_GOVERNMENT_2025 = dt.date(2025, 7, 1)  # the Law on Local Government of 16/6/2025 in force


def money(amount: int | None) -> str:
    """ "1.250.000 đồng"; no money: "—"."""
    return "—" if amount is None else f"{format_vn_number(amount)} đồng"


def _count2(n: int) -> str:
    return f"{n:02d}" if n < 10 else count(n)


def _bases(unit: Unit, year: int, awards: YearAwards) -> list[Block]:
    signed = awards.latest_signed
    law = (
        "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
        if signed >= LOCAL_GOVERNMENT_2025
        else "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều "
        "của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019"
    )
    lines = [
        law,
        "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
        "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số "
        "điều của Luật Thi đua, khen thưởng",
    ]
    reference = plan_reference(unit, sources.plan_for_year(unit, year), year)
    if reference:
        lines.append(reference)
    blocks: list[Block] = [Paragraph(f"*Căn cứ {line};*") for line in lines]
    coordinator = sources.coordinator_body(unit)
    proposers = []
    if awards.meetings:
        days = ", ".join(vn_short_date(m.held_on) for m in awards.meetings)
        proposers.append(f"Hội đồng Thi đua - Khen thưởng {unit.kind_prefix} tại cuộc họp ngày {days}")
    if coordinator is not None:
        proposers.append(f"Trưởng {_coordinator_title(unit)}")
    if proposers:
        blocks.append(Paragraph(f"*Theo đề nghị của {' và của '.join(proposers)}.*"))
    return blocks


def _award_rows(awards: YearAwards) -> list[list[str]]:
    rows: list[list[str]] = []

    def group(label: str, roman: str, items: list[Award]) -> None:
        if not items:
            return
        rows.append([f"**{roman}**", f"**{label}**", "", "", ""])
        for index, award in enumerate(items, start=1):
            where = award.position_title or (award.body_name if award.body_name != award.name else "")
            rows.append([str(index), award.name, where, award.form_label, money(award.amount)])

    group("Tập thể", "I", awards.collectives)
    group("Cá nhân", "II", awards.individuals)
    rows.append(["", "**Tổng cộng**", "", "", f"**{money(awards.total)}**"])
    return rows


def _each(items: list[Award], who: str) -> str:
    amounts = sorted({a.amount for a in items if a.amount is not None})
    if not amounts:
        return ""
    return f"mỗi {who} " + " hoặc ".join(money(a) for a in amounts)


def build_reward_decision(unit: Unit, year: int, options: Options) -> Built:
    awards = sources.year_awards(unit, year)
    if awards is None or not awards.awards:
        raise DocumentDataError(
            {
                "year": data_problem(
                    gettext_lazy(
                        "Năm %(y)s, %(u)s chưa ghi nhận quyết định khen thưởng nào của Chủ tịch UBND: "
                        "chưa lập được quyết định khen thưởng."
                    ),
                    y=year,
                    u=unit_label(unit),
                )
            }
        )
    place = unit_label(unit)
    collectives, individuals = awards.collectives, awards.individuals
    forms = ", ".join(dict.fromkeys(a.form_label for a in awards.awards))
    who = " và ".join(
        part
        for part in (
            f"{_count2(len(collectives))} tập thể" if collectives else "",
            f"{_count2(len(individuals))} cá nhân" if individuals else "",
        )
        if part
    )
    subject = f"Về việc khen thưởng tập thể, cá nhân có thành tích trong thực hiện mô hình {MODEL} năm {year}"
    body: list[Block] = [
        Paragraph(f"**CHỦ TỊCH ỦY BAN NHÂN DÂN {place.upper()}**", align="center", first_line_indent=False),
        *_bases(unit, year, awards),
        Paragraph("**QUYẾT ĐỊNH:**", align="center", first_line_indent=False),
        Paragraph(
            f"**Điều 1.** Tặng {forms} cho {who} đã có thành tích xuất sắc trong thực hiện mô hình {MODEL} "
            f"năm {year}, gồm:"
        ),
        Table(
            ["STT", "Tên tập thể, cá nhân", "Chức vụ, đơn vị", "Hình thức khen thưởng", "Tiền thưởng"],
            _award_rows(awards),
            widths=[12, 44, 37, 40, 32],
            align=["center", "left", "left", "left", "right"],
            font_size=12,
        ),
    ]
    each = "; ".join(part for part in (_each(collectives, "tập thể"), _each(individuals, "cá nhân")) if part)
    salary = base_salary(awards.latest_signed)
    decree = next(d for start, value, d in reversed(BASE_SALARY) if value == salary)
    if each:
        body.append(
            Paragraph(
                f"Tiền thưởng kèm theo: {each} (mức tiền thưởng theo Nghị định số 98/2023/NĐ-CP, "
                f"tính trên mức lương cơ sở {money(salary)} theo {decree}). Tổng số tiền thưởng: "
                f"{money(awards.total)} (bằng chữ: {vn_number_words(awards.total).lower()} đồng)."
            )
        )
    body += [
        Paragraph(
            f"**Điều 2.** Tiền thưởng chi từ Quỹ thi đua, khen thưởng của {place} năm {year} (ngân sách {place}); "
            "Phòng Kinh tế thực hiện chi và quyết toán theo quy định."
        ),
        Paragraph(
            f"**Điều 3.** Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng HĐND và UBND {unit.kind_prefix}, "
            f"Trưởng {_coordinator_title(unit)}, Trưởng phòng Kinh tế, các tập thể và cá nhân có tên tại Điều 1 "
            "chịu trách nhiệm thi hành Quyết định này."
        ),
    ]
    document = base_document(
        unit,
        Kind.REWARD_DECISION,
        year,
        Options(
            number=options.number,
            issued_on=options.issued_on,
            signer=options.signer,
            recipients=options.recipients,
        ),
        type_name="Quyết định",
        subject=subject,
        body=body,
    )
    return Built(
        document,
        {
            "quyet_dinh_da_ghi": [
                {"so": d.number, "ngay": d.signed_on.isoformat(), "hinh_thuc": d.reward_form}
                for d in awards.decisions
            ],
            "khen_thuong": [
                {
                    "doi_tuong": a.nominee_kind,
                    "ten": a.name,
                    "chuc_vu": a.position_title,
                    "hinh_thuc": a.form_label,
                    "tien_thuong": a.amount,
                }
                for a in awards.awards
            ],
            "tong_tien": awards.total,
        },
    )


def _coordinator_title(unit: Unit) -> str:
    body = sources.coordinator_body(unit)
    name = body.name if body is not None else "Phòng Văn hóa - Xã hội"
    return name[0].lower() + name[1:]
