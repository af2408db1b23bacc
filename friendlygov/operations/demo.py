"""The operations part of the demo: a year of Thanh Miện's communication work (with photos), the four villages'
reviews and the households' titles, the budget estimate and spending, a reward decision, a good practice,
an internal shortfall, a conference and documents for signature. Dates follow the programme's calendar
(``rules.programme``) relative to today: the villages' reviews of the year once October's review day has come
(last year's before), the rewards in December, the mid-term (2027) and final (2030) reviews when their year
has come; nothing done is dated in the future (only the year-end conference may be scheduled ahead)."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from friendlygov.assessments.demo import tiny_pdf
from friendlygov.core.calendar import working_calendar
from friendlygov.operations import services
from friendlygov.operations.models import (
    BudgetLine,
    BudgetSource,
    CommunicationKind,
    Conference,
    Nomination,
    ProgrammeReview,
    RewardForm,
    SignatureRequest,
    VillageReview,
    VoteChoice,
)
from friendlygov.plans.demo import redate_event
from friendlygov.rules.programme import (
    FINAL_REVIEW_YEAR,
    MIDTERM_REVIEW_YEAR,
    ProgrammeStage,
    Step,
    programme_stage,
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


def _load(context: Any) -> None:
    unit = context.unit
    users = context.users
    bodies = context.bodies
    coordinator = users["tm.vhxh"]
    today = timezone.localdate()
    stage = programme_stage(today, working_calendar())
    year, events = stage.year, stage.events
    tasks: dict[str, Any] = dict(context.extra.get("plan_tasks") or {})
    # the villages review in October: this year's reviews once the day has come, last year's before
    village_year = year if stage.happened(events.village_reviews) else year - 1
    reviewed_on = (
        events.village_reviews if village_year == year else stage_of_year(village_year).village_reviews
    )

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
            actor=coordinator,
            unit=unit,
            year=village_year,
            text=text,
            criterion_code=criterion(code, reviewed_on),
        )
        for text, code in REVIEW_ITEMS
    ]
    services.record_village_review(
        actor=users.get("tm.thon") or coordinator,
        unit=unit,
        village=bodies["TN"],
        year=village_year,
        results={i.pk: (True, "") for i in items},
        title_result=VillageReview.Title.ACHIEVED,
        households_total=412,
        reviewed_on=reviewed_on,
        note=f"Hội nghị thôn bình xét ngày {reviewed_on:%d/%m/%Y}, 96% hộ dự.",
        minutes=_pdf(
            "bien-ban-thap-ngan.pdf", f"Bien ban binh xet thon van hoa Thap Ngan nam {village_year}"
        ),
    )
    services.record_village_review(
        actor=coordinator,
        unit=unit,
        village=bodies["HB"],
        year=village_year,
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
    for code, households in (("PL", 298), ("DP", 331)):  # the other two villages meet every item
        services.record_village_review(
            actor=coordinator,
            unit=unit,
            village=bodies[code],
            year=village_year,
            results={i.pk: (True, "") for i in items},
            title_result=VillageReview.Title.ACHIEVED,
            households_total=households,
            reviewed_on=reviewed_on,
            note=f"Hội nghị thôn bình xét ngày {reviewed_on:%d/%m/%Y}.",
        )
    services.import_household_titles(
        actor=coordinator,
        unit=unit,
        data=HOUSEHOLDS_CSV.format(y=village_year).encode("utf-8"),
        filename="gia-dinh-van-hoa.csv",
    )

    # ---- budget: the estimate (Phòng Kinh tế), approved amounts, spending
    if stage.happened(events.budget):  # the year's estimate is made in January (rules.programme)
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
        # spending for the activities held this year so far, on their day
        for line in (
            panels,
            briefings,
            *BudgetLine.objects.filter(unit=unit, year=year).exclude(pk__in=[panels.pk, briefings.pk]),
        ):
            redate_event(
                actor=economist, unit=unit, source=f"operations.budget_line:{line.pk}", day=events.budget
            )
        panel_activity = next(
            (a for a in activities if a.kind == CommunicationKind.SLOGAN_PANEL and a.held_on.year == year),
            None,
        )
        if panel_activity is not None:
            services.record_spending(
                actor=economist,
                line=panels,
                spent_on=panel_activity.held_on,
                amount=18_500_000,
                description="Thanh toán hợp đồng làm pano, khẩu hiệu tại cổng trụ sở và Trung tâm",
                voucher="PC-012",
                activity=panel_activity,
                upload=_pdf("chung-tu-pano.pdf", "Phieu chi PC-012"),
            )
        briefing = next(
            (
                a
                for a in reversed(activities)
                if a.kind == CommunicationKind.BRIEFING and a.held_on.year == year
            ),
            None,
        )
        if briefing is not None:
            services.record_spending(
                actor=economist,
                line=briefings,
                spent_on=briefing.held_on,
                amount=4_700_000,
                description="Tài liệu, nước uống hội nghị quán triệt",
                voucher="PC-031",
                activity=briefing,
            )

    # ---- rewards in December (nominations after the self-assessment); a good practice; an internal shortfall
    nominations: list[Any] = []
    for done in stage.complete_years:  # every complete year had its nominations, council and decision
        _rewards(context, programme_stage(dt.date(done, 12, 31), working_calendar()), activities, tasks)
    if stage.reached(Step.SUBMITTED):  # the bodies propose after the self-assessment
        nominations = _rewards(context, stage, activities, tasks)
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
        nomination=nominations[0] if nominations else None,
    )
    services.set_good_practice_published(
        actor=coordinator, practice=practice, published=True, expected_version=practice.version
    )
    services.record_shortfall(
        actor=coordinator,
        unit=unit,
        year=village_year,
        body=bodies["HB"],
        noted_on=reviewed_on,
        reason="Chưa đạt nội dung “không có phản ánh có căn cứ về thái độ của cán bộ thôn”; chậm cập nhật bảng tin.",
    )

    # ---- the office: the year-end conference and documents for the leader's signature
    conference = services.schedule_conference(
        actor=coordinator,
        unit=unit,
        title=f"Hội nghị tổng kết công tác năm {year} và triển khai nhiệm vụ năm {year + 1}",
        held_on=events.reported,
        place="Hội trường UBND xã",
        chair="Lê Anh Tuấn",
        attendees="Thường trực Đảng ủy, HĐND, UBND xã; các phòng, ban, đơn vị; trưởng thôn; Ủy ban MTTQ và các đoàn thể",
    )
    if stage.happened(events.reported):
        services.update_conference(
            actor=coordinator,
            conference=conference,
            expected_version=conference.version,
            status=Conference.Status.HELD,
        )
    leader = users.get("tm.lanhdao")
    if stage.reached(Step.REWARDED):
        report = services.request_signature(
            actor=coordinator,
            unit=unit,
            title=f"Báo cáo kết quả thực hiện mô hình “Chính quyền thân thiện” năm {year}",
            document_kind=SignatureRequest.DocumentKind.REPORT,
            upload=_pdf("bao-cao-nam.pdf", f"Bao cao ket qua nam {year}"),
            note="Trình Phó Chủ tịch UBND xã ký gửi Sở Nội vụ.",
        )
        if leader is not None and stage.happened(events.reported):
            services.decide_signature(
                actor=leader,
                request=report,
                decision=SignatureRequest.Status.SIGNED,
                expected_version=report.version,
                signed_on=events.reported,
            )
    else:
        services.request_signature(
            actor=coordinator,
            unit=unit,
            title=f"Kế hoạch tuyên truyền mô hình “Chính quyền thân thiện” năm {year}",
            document_kind=SignatureRequest.DocumentKind.REPORT,
            upload=_pdf("ke-hoach-tuyen-truyen.pdf", f"Ke hoach tuyen truyen nam {year}"),
            note="Trình Phó Chủ tịch UBND xã ký ban hành.",
        )
    context.extra["operations_activities"] = activities


def finish(context: Any) -> None:
    """The later demo step (after the assessments area's): the programme reviews, which read the year's cycle
    as the assessments' later step left it (submitted, appraised)."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _reviews(context, programme_stage(timezone.localdate(), working_calendar()))


def stage_of_year(year: int) -> Any:
    from friendlygov.rules.programme import year_events

    return year_events(year, working_calendar())


def _rewards(context: Any, stage: ProgrammeStage, activities: list[Any], tasks: dict[str, Any]) -> list[Any]:
    """The bodies' nominations (after the self-assessment); in December the council's vote, the signed
    proposal and the reward decision, each on its day of the calendar."""
    unit, users, bodies = context.unit, context.users, context.bodies
    coordinator = users["tm.vhxh"]
    year, events = stage.year, stage.events
    this_year = [a for a in activities if a.held_on.year == year]

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
        activities=[a for a in this_year if a.body == bodies["PVHCC"]],
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
        activities=[a for a in this_year if a.body == bodies["TN"]],
    )
    if not stage.reached(Step.REWARDED):
        return [n1, n2]
    calendar = working_calendar()
    meeting = services.hold_council_meeting(
        actor=coordinator,
        unit=unit,
        year=year,
        held_on=calendar.add_working_days(events.rewarded, -3),
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
    proposal = services.request_signature(
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
            request=proposal,
            decision=SignatureRequest.Status.SIGNED,
            expected_version=proposal.version,
            signed_on=calendar.add_working_days(events.rewarded, -1),
        )
    services.record_reward_decision(
        actor=coordinator,
        unit=unit,
        year=year,
        number="215/QĐ-UBND",
        signed_on=events.rewarded,
        reward_form=RewardForm.GIAY_KHEN,
        nominations=[n1, n2],
        signer="Lê Anh Tuấn, Phó Chủ tịch UBND xã",
        upload=_pdf("qd-khen-thuong.pdf", f"Quyet dinh 215/QD-UBND khen thuong nam {year}"),
    )
    return [n1, n2]


REVIEW_TEXTS = {
    "results": "Các phòng, ban, đơn vị và các thôn triển khai đầy đủ các nhiệm vụ của Kế hoạch; kết quả từng năm "
    "được thành phố thẩm định, công nhận.",
    "limitations": "Một số thôn còn chậm cập nhật bảng tin; kinh phí làm pano, khẩu hiệu chưa được bố trí kịp thời.",
    "lessons": "Người đứng đầu trực tiếp chỉ đạo; gắn việc thực hiện các tiêu chí với bình xét thi đua hằng năm.",
    "tasks_ahead": "Tiếp tục nâng mức đạt chuẩn theo Kế hoạch; đẩy mạnh dịch vụ công trực tuyến và số hóa hồ sơ.",
    "proposals": "Đề nghị thành phố sớm ban hành toàn văn Bộ tiêu chí, Bảng thang điểm và hướng dẫn kinh phí thực hiện.",
}


def _reviews(context: Any, stage: ProgrammeStage) -> None:
    """The mid-term (2027) and final (2030) reviews once their year has come: opened in September, issued in
    December."""
    coordinator = context.users["tm.vhxh"]
    for year, kind in (
        (MIDTERM_REVIEW_YEAR, ProgrammeReview.Kind.MIDTERM),
        (FINAL_REVIEW_YEAR, ProgrammeReview.Kind.FINAL),
    ):
        events = stage.events if year == stage.year else stage_of_year(year)
        if year > stage.year or (year == stage.year and not stage.review_opened):
            continue
        review = services.open_review(actor=coordinator, unit=context.unit, kind=kind, year=year)
        ProgrammeReview.objects.filter(pk=review.pk).update(created_at=_noon(events.review_opened))
        if not stage.happened(events.review_issued):
            continue
        for section in review.sections.all():
            services.update_review_section(
                actor=coordinator,
                section=section,
                text=REVIEW_TEXTS.get(section.key, ""),
                expected_version=section.version,
            )
        review.refresh_from_db()
        services.complete_review(actor=coordinator, review=review, expected_version=review.version)
        ProgrammeReview.objects.filter(pk=review.pk).update(completed_at=_noon(events.review_issued))
        if events.review_issued is not None:
            redate_event(
                actor=coordinator,
                unit=context.unit,
                source=f"operations.review:{review.pk}",
                day=events.review_issued,
            )


def _noon(day: dt.date | None) -> dt.datetime | None:
    """Noon of ``day``, never after now."""
    if day is None:
        return None
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(12))), timezone.now())
