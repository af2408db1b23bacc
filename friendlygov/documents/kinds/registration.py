"""The registration of the year's target level (Văn bản đăng ký)."""

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
    committee,
    criteria_basis,
    criteria_set_title,
    home_affairs,
    plan_reference,
)
from friendlygov.documents.models import Kind
from friendlygov.documents.render import (
    Block,
    Paragraph,
)
from friendlygov.org.models import Unit


def registered_level(unit: Unit, year: int) -> tuple[str | None, Any, Any]:
    """(level name, cycle, registration): the registration in the assessment cycle, else the plan's target."""
    cycle = sources.cycle(unit, year)
    registration = sources.registration(cycle)
    if registration is not None:
        return registration.target_level_name or f"Mức độ {registration.target_level}", cycle, registration
    target = sources.target_level(unit, year)
    if target:
        return f"Mức độ {target}", cycle, None
    return None, cycle, None


def build_registration(unit: Unit, year: int, options: Options) -> Built:
    level, cycle, registration = registered_level(unit, year)
    plan = sources.plan_for_year(unit, year)
    coordinator = sources.coordinator_body(unit)
    body: list[Block] = []
    basis = criteria_basis(cycle)
    if basis:
        body.append(Paragraph(f"Căn cứ {basis};"))
    reference = plan_reference(unit, plan, year)
    if reference:
        body.append(Paragraph(f"Thực hiện {reference},"))
    body.append(Paragraph(f"{committee(unit)} đăng ký mức đạt chuẩn {MODEL} năm {year} như sau:"))
    items = [f"Mức đăng ký: **{level}**" if level else f"Mức đăng ký: {NO_DATA}"]
    target = sources.target_level(unit, year)
    if target and plan is not None:
        items.append(f"Mục tiêu năm {year} theo Kế hoạch của {unit.kind_prefix}: mức độ {target}")
    if coordinator is not None:
        contact = f"Cơ quan đầu mối tham mưu, theo dõi: {coordinator.name}"
        if coordinator.phone:
            contact += f", điện thoại {coordinator.phone}"
        if coordinator.email:
            contact += f", thư điện tử {coordinator.email}"
        items.append(contact)
    body += bullets(items)
    body.append(Paragraph(f"{committee(unit)} kính đề nghị {home_affairs(unit)} tổng hợp, theo dõi."))
    subject = f"đăng ký mức đạt chuẩn {MODEL} năm {year}"
    document = base_document(
        unit,
        Kind.REGISTRATION,
        year,
        options,
        type_name=None,
        subject=subject,
        summary_line=f"V/v {subject}",
        addressees=[home_affairs(unit)],
        body=body,
    )
    data = {
        "muc_dang_ky": level or "",
        "muc_tieu_ke_hoach": target or "",
        "bo_tieu_chi": criteria_set_title(cycle.criteria_set) if cycle is not None else "",
        "trang_thai_dang_ky": str(registration.get_status_display()) if registration is not None else "",
    }
    return Built(document, data)
