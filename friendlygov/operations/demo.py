"""The operations part of the demo: a year of Thanh Miện's communication work (with photos), two villages'
reviews and the households' titles, the budget estimate and spending, a reward decision, a good practice,
an internal shortfall, a conference and documents for signature. Dates are relative to today; nothing is
dated in the future. The 2027 review is not opened (it is in the future): its structure is ready."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from friendlygov.assessments.demo import tiny_pdf
from friendlygov.operations import services
from friendlygov.operations.models import (
    BudgetSource,
    CommunicationKind,
    Nomination,
    RewardForm,
    SignatureRequest,
    VillageReview,
    VoteChoice,
)


def tiny_png(rgb: tuple[int, int, int] = (200, 30, 40), size: int = 8) -> bytes:
    """A small valid PNG of one colour (a stand-in for a photo)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def photo(name: str, rgb: tuple[int, int, int] = (200, 30, 40)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(rgb), content_type="image/png")


def _pdf(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")


# (days before today, kind, title, place, body code, audience, reach, cost, task number, criterion, photo colour)
ACTIVITIES: list[tuple[int, str, str, str, str, str, int, int, str, str, tuple[int, int, int]]] = [
    (
        320,
        CommunicationKind.BRIEFING,
        "Hội nghị quán triệt Kế hoạch thực hiện mô hình “Chính quyền thân thiện”",
        "Hội trường UBND xã",
        "VHXH",
        "Đảng viên, cán bộ, công chức xã và cán bộ các thôn",
        145,
        3_500_000,
        "1",
        "5.1",
        (30, 80, 160),
    ),
    (
        300,
        CommunicationKind.SLOGAN_PANEL,
        "Pano “Chính quyền thân thiện” và khẩu hiệu “4 xin, 4 luôn, 5 không” tại cổng trụ sở",
        "Cổng trụ sở UBND xã",
        "VHXH",
        "Nhân dân đến làm việc",
        0,
        12_000_000,
        "1",
        "4.1",
        (200, 30, 40),
    ),
    (
        295,
        CommunicationKind.SLOGAN_PANEL,
        "Khẩu hiệu “4 xin, 4 luôn, 5 không” tại Trung tâm Phục vụ hành chính công",
        "Trung tâm Phục vụ hành chính công xã",
        "PVHCC",
        "Người dân, doanh nghiệp",
        0,
        6_500_000,
        "9",
        "4.1",
        (220, 180, 40),
    ),
    (
        250,
        CommunicationKind.LOUDSPEAKER,
        "Phát thanh chuyên mục “Chính quyền thân thiện — gần dân, trọng dân”",
        "Đài truyền thanh xã",
        "VHXH",
        "Nhân dân toàn xã",
        6000,
        0,
        "1",
        "5.1",
        (40, 140, 60),
    ),
    (
        230,
        CommunicationKind.WEBSITE,
        "Đăng toàn văn Kế hoạch và Bộ tiêu chí trên trang thông tin điện tử xã",
        "Trang thông tin điện tử xã",
        "VP",
        "Nhân dân, doanh nghiệp",
        1250,
        0,
        "1",
        "5.1",
        (90, 90, 90),
    ),
    (
        200,
        CommunicationKind.VILLAGE_BOARD,
        "Bảng tin văn hóa thôn Tháp Ngạn: nội dung “4 xin, 4 luôn, 5 không”",
        "Nhà văn hóa thôn Tháp Ngạn",
        "TN",
        "Nhân dân thôn Tháp Ngạn",
        420,
        800_000,
        "2",
        "5.1",
        (120, 60, 160),
    ),
    (
        170,
        CommunicationKind.CULTURAL_EVENT,
        "Liên hoan văn nghệ quần chúng “Chính quyền thân thiện — vì Nhân dân phục vụ”",
        "Sân vận động xã",
        "VHXH",
        "Nhân dân các thôn",
        1800,
        9_000_000,
        "2",
        "5.1",
        (240, 120, 20),
    ),
    (
        120,
        CommunicationKind.ZALO,
        "Loạt tin về thủ tục hành chính trực tuyến trên nhóm Zalo của xã",
        "Nhóm Zalo “Xã Thanh Miện”",
        "PVHCC",
        "Thành viên nhóm Zalo",
        2300,
        0,
        "9",
        "5.1",
        (0, 120, 200),
    ),
    (
        90,
        CommunicationKind.FACEBOOK,
        "Phóng sự ảnh “Một ngày ở Trung tâm Phục vụ hành chính công” trên Facebook",
        "Trang Facebook của xã",
        "VHXH",
        "Người theo dõi trang",
        3100,
        0,
        "1",
        "5.1",
        (60, 90, 200),
    ),
    (
        45,
        CommunicationKind.BRIEFING,
        "Quán triệt quy tắc ứng xử cho cán bộ thôn",
        "Hội trường UBND xã",
        "VHXH",
        "Trưởng thôn, bí thư chi bộ, cán bộ các thôn",
        64,
        1_200_000,
        "1",
        "5.1",
        (30, 80, 160),
    ),
    (
        12,
        CommunicationKind.VILLAGE_BOARD,
        "Bảng tin thôn Hòa Bình: kết quả giải quyết phản ánh, kiến nghị",
        "Nhà văn hóa thôn Hòa Bình",
        "HB",
        "Nhân dân thôn Hòa Bình",
        380,
        500_000,
        "2",
        "5.1",
        (120, 60, 160),
    ),
]

REVIEW_ITEMS = [
    ("Không có phản ánh có căn cứ về thái độ của cán bộ thôn đối với người dân", "5.2"),
    ("Thôn thực hiện công khai, dân chủ theo Quy chế dân chủ ở cơ sở", "5.2"),
    ("Trên 90% hộ gia đình được tuyên truyền về “4 xin, 4 luôn, 5 không”", "5.2"),
]

HOUSEHOLDS_CSV = """Chủ hộ,Thôn,Gia đình văn hóa,Năm,Địa chỉ
Nguyễn Văn An,Tháp Ngạn,có,{y},Xóm 1
Trần Thị Bình,Tháp Ngạn,có,{y},Xóm 1
Lê Văn Cường,Tháp Ngạn,có,{y},Xóm 2
Phạm Thị Dung,Tháp Ngạn,không,{y},Xóm 2
Vũ Văn Đức,Hòa Bình,có,{y},Xóm Đông
Đỗ Thị Hoa,Hòa Bình,có,{y},Xóm Đông
Hoàng Văn Khánh,Hòa Bình,không,{y},Xóm Tây
Bùi Thị Lan,Hòa Bình,có,{y},Xóm Tây
"""


def load(context: Any) -> None:
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _load(context)


def _clamp(day: dt.date, year: int, today: dt.date) -> dt.date:
    return min(max(day, dt.date(year, 1, 1)), today)


def _load(context: Any) -> None:
    unit = context.unit
    users = context.users
    bodies = context.bodies
    coordinator = users["tm.vhxh"]
    today = timezone.localdate()
    year = today.year
    tasks: dict[str, Any] = dict(context.extra.get("plan_tasks") or {})

    def criterion(code: str, on: dt.date) -> str:
        from friendlygov.operations.selectors import criteria_info

        known = criteria_info(unit=unit, year=on.year)
        return code if not known or code in known else ""

    # ---- a year of communication work, with photos
    activities: list[Any] = []
    for days, kind, title, place, body_code, audience, reach, cost, task_no, code, colour in ACTIVITIES:
        held_on = today - dt.timedelta(days=days)
        body = bodies[body_code]
        actor = {"PVHCC": users.get("tm.hcc"), "TN": users.get("tm.thon")}.get(body_code) or coordinator
        activities.append(
            services.record_activity(
                actor=actor,
                unit=unit,
                kind=kind,
                title=title,
                held_on=held_on,
                place=place,
                body=body,
                audience=audience,
                reach=reach,
                cost=cost,
                task=tasks.get(task_no),
                criterion_code=criterion(code, held_on),
                description="Ghi nhận theo Kế hoạch thực hiện mô hình “Chính quyền thân thiện” của xã.",
                uploads=[photo(f"anh-{len(activities) + 1}.png", colour)],
            )
        )

    # ---- villages: the year's items, two villages' reviews, households' titles
    items = [
        services.add_review_item(
            actor=coordinator, unit=unit, year=year, text=text, criterion_code=criterion(code, today)
        )
        for text, code in REVIEW_ITEMS
    ]
    reviewed_on = _clamp(today - dt.timedelta(days=8), year, today)
    services.record_village_review(
        actor=users.get("tm.thon") or coordinator,
        unit=unit,
        village=bodies["TN"],
        year=year,
        results={i.pk: (True, "") for i in items},
        title_result=VillageReview.Title.ACHIEVED,
        households_total=412,
        reviewed_on=reviewed_on,
        note=f"Hội nghị thôn bình xét ngày {reviewed_on:%d/%m/%Y}, 96% hộ dự.",
        minutes=_pdf("bien-ban-thap-ngan.pdf", f"Bien ban binh xet thon van hoa Thap Ngan nam {year}"),
    )
    services.record_village_review(
        actor=coordinator,
        unit=unit,
        village=bodies["HB"],
        year=year,
        results={
            items[0].pk: (False, "Có 01 phản ánh về thái độ đã được xác minh"),
            items[1].pk: (True, ""),
            items[2].pk: (True, ""),
        },
        title_result=VillageReview.Title.NOT_ACHIEVED,
        households_total=356,
        reviewed_on=reviewed_on,
        note="Thôn chưa đạt nội dung 1; đề nghị khắc phục trong năm sau.",
    )
    services.import_household_titles(
        actor=coordinator,
        unit=unit,
        data=HOUSEHOLDS_CSV.format(y=year).encode("utf-8"),
        filename="gia-dinh-van-hoa.csv",
    )

    # ---- budget: the estimate (Phòng Kinh tế), approved amounts, spending
    economist = users.get("tm.kinhte") or coordinator
    panels = services.add_budget_line(
        actor=economist,
        unit=unit,
        year=year,
        title="Làm pano, khẩu hiệu “4 xin, 4 luôn, 5 không”",
        activity_kind=CommunicationKind.SLOGAN_PANEL,
        task=tasks.get("1"),
        source=BudgetSource.STATE_COMMUNE,
        estimated=25_000_000,
        approved=20_000_000,
        approval_ref=f"Quyết định giao dự toán ngân sách xã năm {year}",
    )
    briefings = services.add_budget_line(
        actor=economist,
        unit=unit,
        year=year,
        title="Hội nghị quán triệt, tập huấn",
        activity_kind=CommunicationKind.BRIEFING,
        task=tasks.get("1"),
        source=BudgetSource.STATE_COMMUNE,
        estimated=8_000_000,
        approved=8_000_000,
        approval_ref=f"Quyết định giao dự toán ngân sách xã năm {year}",
    )
    services.add_budget_line(
        actor=economist,
        unit=unit,
        year=year,
        title="Liên hoan văn nghệ quần chúng tại các thôn",
        activity_kind=CommunicationKind.CULTURAL_EVENT,
        task=tasks.get("2"),
        source=BudgetSource.OTHER,
        source_note="Xã hội hóa, doanh nghiệp trên địa bàn tài trợ",
        estimated=10_000_000,
        approved=9_000_000,
    )
    services.add_budget_line(
        actor=economist,
        unit=unit,
        year=year,
        title="Khen thưởng tập thể, cá nhân tiêu biểu",
        task=tasks.get("6"),
        source=BudgetSource.STATE_COMMUNE,
        estimated=6_000_000,
        note="Chờ UBND xã phê duyệt",
    )
    panel_activity = next(a for a in activities if a.kind == CommunicationKind.SLOGAN_PANEL)
    services.record_spending(
        actor=economist,
        line=panels,
        spent_on=_clamp(panel_activity.held_on, year, today),
        amount=18_500_000,
        description="Thanh toán hợp đồng làm pano, khẩu hiệu tại cổng trụ sở và Trung tâm",
        voucher="PC-012",
        activity=panel_activity if panel_activity.held_on.year == year else None,
        upload=_pdf("chung-tu-pano.pdf", "Phieu chi PC-012"),
    )
    briefing = next(a for a in reversed(activities) if a.kind == CommunicationKind.BRIEFING)
    services.record_spending(
        actor=economist,
        line=briefings,
        spent_on=_clamp(briefing.held_on, year, today),
        amount=4_700_000,
        description="Tài liệu, nước uống hội nghị quán triệt",
        voucher="PC-031",
        activity=briefing if briefing.held_on.year == year else None,
    )

    # ---- rewards: nominations, the council's vote, the decision; a good practice; an internal shortfall
    n1 = services.nominate(
        actor=coordinator,
        unit=unit,
        year=year,
        proposed_by_body=bodies["VHXH"],
        nominee_kind=Nomination.NomineeKind.COLLECTIVE,
        nominee_name="",
        body=bodies["PVHCC"],
        achievements=(
            "Tiếp nhận, giải quyết hồ sơ đúng hạn; niêm yết đầy đủ thủ tục; thực hiện tốt “4 xin, 4 luôn, 5 không”; "
            "không có phản ánh về thái độ phục vụ trong năm."
        ),
        proposed_form=RewardForm.GIAY_KHEN,
        activities=[a for a in activities if a.body == bodies["PVHCC"]],
        tasks=[t for t in [tasks.get("9")] if t is not None],
    )
    n2 = services.nominate(
        actor=users.get("tm.thon") or coordinator,
        unit=unit,
        year=year,
        proposed_by_body=bodies["TN"],
        nominee_kind=Nomination.NomineeKind.INDIVIDUAL,
        nominee_name="Nguyễn Văn Tài",
        position_title="Trưởng thôn Tháp Ngạn",
        body=bodies["TN"],
        achievements="Duy trì bảng tin văn hóa; vận động 96% hộ tham gia bình xét; thôn đạt đủ các nội dung.",
        proposed_form=RewardForm.GIAY_KHEN,
        activities=[a for a in activities if a.body == bodies["TN"]],
    )
    meeting = services.hold_council_meeting(
        actor=coordinator,
        unit=unit,
        year=year,
        held_on=_clamp(today - dt.timedelta(days=5), year, today),
        members=[
            ("Lê Anh Tuấn", "Phó Chủ tịch UBND xã — Chủ tịch Hội đồng"),
            ("Nguyễn Thị Hạnh", "Trưởng phòng Văn hóa - Xã hội"),
            ("Trần Minh Đức", "Chánh Văn phòng HĐND và UBND"),
            ("Hoàng Văn Bình", "Chủ tịch Ủy ban MTTQ xã"),
            ("Lương Thị Thu", "Trưởng Ban Xây dựng Đảng"),
        ],
        nominations=[n1, n2],
        place="Phòng họp UBND xã",
        chair="Lê Anh Tuấn",
    )
    members = list(meeting.members.all())
    for nomination in (n1, n2):
        nomination.refresh_from_db()
        votes = {m.pk: VoteChoice.FOR for m in members}
        if nomination == n2:
            votes[members[-1].pk] = VoteChoice.ABSTAIN
        services.record_votes(
            actor=coordinator,
            meeting=meeting,
            nomination=nomination,
            votes=votes,
            expected_version=nomination.version,
        )
    services.record_reward_decision(
        actor=coordinator,
        unit=unit,
        year=year,
        number="215/QĐ-UBND",
        signed_on=_clamp(today - dt.timedelta(days=2), year, today),
        reward_form=RewardForm.GIAY_KHEN,
        nominations=[n1, n2],
        signer="Lê Anh Tuấn, Phó Chủ tịch UBND xã",
        upload=_pdf("qd-khen-thuong.pdf", f"Quyet dinh 215/QD-UBND khen thuong nam {year}"),
    )
    practice = services.add_good_practice(
        actor=coordinator,
        unit=unit,
        year=year,
        title="“Một lần đến — trọn việc” ở Trung tâm Phục vụ hành chính công",
        summary=(
            "Trung tâm bố trí công chức hướng dẫn tại cửa, hẹn trả kết quả qua Zalo và gọi lại cho người dân khi hồ sơ "
            "thiếu giấy tờ, giúp người dân không phải đi lại nhiều lần."
        ),
        body=bodies["PVHCC"],
        nomination=n1,
    )
    services.set_good_practice_published(
        actor=coordinator, practice=practice, published=True, expected_version=practice.version
    )
    services.record_shortfall(
        actor=coordinator,
        unit=unit,
        year=year,
        body=bodies["HB"],
        noted_on=reviewed_on,
        reason="Chưa đạt nội dung “không có phản ánh có căn cứ về thái độ của cán bộ thôn”; chậm cập nhật bảng tin.",
    )

    # ---- the office: a conference and documents for the leader's signature
    services.schedule_conference(
        actor=coordinator,
        unit=unit,
        title=f"Hội nghị tổng kết công tác năm {year} và triển khai nhiệm vụ năm {year + 1}",
        held_on=today + dt.timedelta(days=20),
        place="Hội trường UBND xã",
        chair="Lê Anh Tuấn",
        attendees="Thường trực Đảng ủy, HĐND, UBND xã; các phòng, ban, đơn vị; trưởng thôn; Ủy ban MTTQ và các đoàn thể",
    )
    services.request_signature(
        actor=coordinator,
        unit=unit,
        title=f"Báo cáo kết quả thực hiện mô hình “Chính quyền thân thiện” năm {year}",
        document_kind=SignatureRequest.DocumentKind.REPORT,
        upload=_pdf("bao-cao-nam.pdf", f"Bao cao ket qua nam {year}"),
        note="Trình Phó Chủ tịch UBND xã ký gửi Sở Nội vụ.",
    )
    signed = services.request_signature(
        actor=coordinator,
        unit=unit,
        title="Tờ trình đề nghị khen thưởng tập thể, cá nhân tiêu biểu",
        document_kind=SignatureRequest.DocumentKind.SUBMISSION,
        link="https://vanban.haiphong.gov.vn/demo/to-trinh-khen-thuong",
    )
    leader = users.get("tm.lanhdao")
    if leader is not None:
        services.decide_signature(
            actor=leader,
            request=signed,
            decision=SignatureRequest.Status.SIGNED,
            expected_version=signed.version,
            signed_on=_clamp(today - dt.timedelta(days=3), year, today),
        )
    context.extra["operations_activities"] = activities
