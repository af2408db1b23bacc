"""The plans part of the demo: Thanh Miện's plan from the seed, its ten tasks read THROUGH the appendix
parser from ``rules/data/thanh-mien-appendix.tsv``, deadlines generated, and — relative to today — the work done on the days the programme's calendar
(``rules.programme``) says, with a small PDF as evidence, the latest check-in of the ongoing task unreported,
one obstacle forwarded to the leader.

Later areas find the plan in ``context.extra["plan"]`` (and its tasks by STT in ``context.extra["plan_tasks"]``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from friendlygov.core.calendar import working_calendar
from friendlygov.org.access import Actor
from friendlygov.plans import services
from friendlygov.plans.models import CycleEvent, Occurrence, Plan, Task, local_today
from friendlygov.plans.parsing import parse_duties, parse_targets
from friendlygov.rules.programme import year_events
from friendlygov.rules.schedule import WorkingCalendar
from friendlygov.rules.text import strip_diacritics

APPENDIX = Path(__file__).resolve().parent.parent / "rules" / "data" / "thanh-mien-appendix.tsv"

TITLE = (
    "Triển khai thực hiện mô hình “Chính quyền thân thiện” trên địa bàn xã Thanh Miện giai đoạn 2026-2030 "
    "và những năm tiếp theo"
)
BASES = [
    "Kế hoạch số 119/KH-UBND ngày 09/4/2026 của Ủy ban nhân dân thành phố Triển khai thực hiện mô hình "
    "“Chính quyền thân thiện” tại xã, xã, đặc khu trên địa bàn thành phố Hải Phòng giai đoạn 2026-2030 và những "
    "năm tiếp theo"
]
# Section III.1 of the seed: the texts the communication work centres on, as the plan writes them.
COMMUNICATION_TEXTS = [
    "Đề án số 04-ĐA/TU ngày 14/01/2026 của Thành ủy Hải Phòng",
    "Nghị quyết số 05-NQ/TU ngày 14/01/2026 của Ban Chấp hành Đảng bộ thành phố về xây dựng mô hình chủ nghĩa xã "
    "hội gắn với con người xã hội chủ nghĩa tại thành phố Hải Phòng giai đoạn 2026-2030 và những năm tiếp theo",
    "Nghị quyết số 05-NQ/ĐU ngày 20/3/2026 của Đảng ủy Ủy ban nhân dân thành phố về nâng cao chất lượng, hiệu quả "
    "thực hiện công tác dân vận của chính quyền tại Đảng bộ Ủy ban nhân dân thành phố giai đoạn 2026-2030",
    "Đề án thực hiện mô hình “Chính quyền thân thiện” tại xã, xã, đặc khu",
    "Quyết định số 5049/QĐ-UBND ngày 11/12/2025 của Ủy ban nhân dân thành phố ban hành Bộ tiêu chí, Bảng thang điểm "
    "và quy trình xét công nhận “Chính quyền thân thiện” cấp xã trên địa bàn thành phố Hải Phòng",
]
PURPOSES = """a) Tổ chức tuyên truyền, triển khai thực hiện Đề án số 04-ĐA/TU ngày 14/01/2026 của Thành ủy Hải Phòng, Nghị quyết số 05-NQ/TU ngày 14/01/2026 của Ban Chấp hành Đảng bộ thành phố về xây dựng mô hình chủ nghĩa xã hội gắn với con người xã hội chủ nghĩa tại thành phố Hải Phòng giai đoạn 2026-2030 và những năm tiếp theo và Nghị quyết số 05-NQ/ĐU ngày 20/3/2026 của Đảng ủy Ủy ban nhân dân thành phố về nâng cao chất lượng, hiệu quả thực hiện công tác dân vận của chính quyền tại Đảng bộ Ủy ban nhân dân thành phố giai đoạn 2026-2030.
b) Đổi mới mạnh mẽ lề lối làm việc của chính quyền cơ sở từ “mệnh lệnh hành chính” sang “phục vụ, hướng dẫn, vận động, thuyết phục”; xây dựng nền hành chính thân thiện, phục vụ, hiện đại và hiệu quả; xây dựng phong cách “trọng dân, gần dân, hiểu dân, học dân và có trách nhiệm với dân”, hướng đến sự hài lòng của người dân.
c) Triển khai thực hiện tốt mô hình “Chính quyền thân thiện” góp phần quan trọng trong việc duy trì, cải thiện và nâng cao Chỉ số hài lòng của người dân đối với sự phục vụ của các cơ quan hành chính nhà nước (SIPAS), Chỉ số cải cách hành chính (PAR INDEX)."""
REQUIREMENTS = """a) Việc triển khai mô hình “Chính quyền thân thiện” phải được thực hiện nghiêm túc, chất lượng, hiệu quả, tiết kiệm, tránh lãng phí, hình thức.
b) Nội dung công việc phải gắn với trách nhiệm, vai trò của cơ quan, đơn vị, tổ chức, cá nhân liên quan được giao chủ trì, phối hợp."""
BUDGET = [
    "Ngân sách nhà nước bảo đảm theo phân cấp ngân sách hiện hành",
    "Các nguồn kinh phí hợp pháp khác",
]
# Objective 3 of the seed covers 2027-2030 (level 3, then 4 in 2030): the same note on consecutive years
# is one objective of the plan document, written once.
OBJECTIVE_3 = "Từ năm 2027, phấn đấu nâng mức độ đạt chuẩn “Chính quyền thân thiện”. Phấn đấu đạt chuẩn Mức độ 4 vào năm 2030."
TARGETS = f"""2026: 3 — Năm 2026, phấn đấu đạt chuẩn “Chính quyền thân thiện” mức độ 3.
2027-2029: 3 — {OBJECTIVE_3}
2030: 4 — {OBJECTIVE_3}"""
DUTIES = """1. Các cơ quan, đơn vị có liên quan
- Quán triệt, chỉ đạo và tổ chức triển khai thực hiện các nội dung có liên quan của Kế hoạch này tại cơ quan, đơn vị bảo đảm theo quy định.
- Phân công cán bộ, công chức làm đầu mối để chủ trì tham mưu tổ chức thực hiện các nhiệm vụ có liên quan.
- Phối hợp với phòng Văn hóa - Xã hội xã đôn đốc, theo dõi, kiểm tra, giám sát các cơ quan, đơn vị trong việc triển khai thực hiện các nhiệm vụ liên quan đến ngành, lĩnh vực; đánh giá kết quả thực hiện, chấm điểm các tiêu chí và đề xuất công nhận xã đạt chuẩn mô hình “Chính quyền thân thiện”.
- Tổng hợp các vướng mắc, khó khăn trong quá trình thực hiện, báo cáo Ủy ban nhân dân xã (qua Phòng Văn hóa - Xã hội tổng hợp).
2. Phòng Văn hóa - Xã hội
- Hướng dẫn, kiểm tra, đôn đốc việc triển khai thực hiện của các cơ quan, đơn vị; tổng hợp kết quả thực hiện Kế hoạch định kỳ hàng năm và theo yêu cầu đột xuất.
- Chủ trì tổng hợp kết quả đánh giá, chấm điểm các tiêu chí mô hình “Chính quyền thân thiện” hằng năm, báo cáo Ủy ban nhân dân xã trình thành phố xem xét, quyết định.
- Chủ trì tham mưu thực hiện sơ kết vào năm 2027, tổng kết giai đoạn thực hiện Kế hoạch này; Tham mưu, đề xuất cấp có thẩm quyền xem xét, quyết định khen thưởng đối với các tập thể, cá nhân có thành tích.
- Hướng dẫn các cơ sở thôn đẩy mạnh phong trào: Toàn dân xây dựng đời sống văn hóa gắn với các tiêu chí Chính quyền thân thiện; lồng ghép nội dung mô hình vào bình xét các danh hiệu văn hóa hằng năm.
3. Trung tâm Phục vụ Hành chính công xã
Chủ trì, phối hợp với các cơ quan, đơn vị tham mưu chỉ đạo tiếp tục đẩy mạnh thực hiện cải cách thủ tục hành chính, đổi mới cơ chế hoạt động của Trung tâm phục vụ hành chính công bảo đảm đi vào thực chất, hiệu quả hướng đến mục tiêu phục vụ, tạo điều kiện tốt nhất cho người dân, doanh nghiệp.
4. Văn phòng HĐND và UBND xã
- Phối hợp với Trung tâm Phục vụ Hành chính công trong việc thực hiện đẩy mạnh thực hiện thủ tục hành chính.
- Phối hợp với phòng Văn hóa - Xã hội xã trong việc tổ chức các Hội nghị, Hội thảo sơ kết, tổng kết; trình ký các văn bản do lãnh đạo Ủy ban nhân dân xã ký liên quan đến việc triển khai thực hiện Kế hoạch này.
5. Phòng Kinh tế xã
Phối hợp với phòng Văn hóa - Xã hội xã và các cơ quan, đơn vị liên quan tham mưu, đề xuất Ủy ban nhân dân thành phố bố trí kinh phí ngân sách hàng năm để thực hiện (nếu có).
6. Trung tâm Dịch vụ sự nghiệp công xã
Đẩy mạnh công tác thông tin tuyên truyền những đơn vị, cá nhân có nhiều cách làm hay, sáng tạo, các gương điển hình trong thực hiện mô hình để tạo sức lan tỏa sâu rộng; đồng thời phản ánh những đơn vị thực hiện chưa nghiêm túc.
7. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam xã và các tổ chức chính trị - xã hội xã
- Đẩy mạnh công tác tuyên truyền, phổ biến nội dung Kế hoạch; phát huy vai trò giám sát và phản biện xã hội trong quá trình triển khai thực hiện Kế hoạch;
- Phối hợp với phòng Văn hóa - Xã hội xã và các cơ quan, đơn vị có liên quan tổ chức đánh giá, chấm điểm các tiêu chí mô hình “Chính quyền thân thiện” trên địa bàn xã.
8. Đề nghị Ban Xây dựng Đảng Đảng ủy xã
- Phối hợp với các cơ quan liên quan nắm bắt tình hình, báo cáo, đề xuất giải quyết những khó khăn, vướng mắc trong việc triển khai thực hiện mô hình “Chính quyền thân thiện” tại các cơ quan, đơn vị; phối hợp với các cơ quan, đơn vị có liên quan theo dõi, đôn đốc, kiểm tra, giám sát việc triển khai thực hiện Kế hoạch tại các địa phương.
- Phối hợp với phòng Văn hóa - Xã hội xã và các cơ quan, đơn vị có liên quan đánh giá, chấm điểm các tiêu chí mô hình “Chính quyền thân thiện” trên địa bàn xã."""

RESULT_NOTES = {
    "3": "Đã ban hành Kế hoạch năm và đăng ký mức độ 3 gửi Sở Nội vụ.",
    "4": "Các phòng, ban đã rà soát, thực hiện các tiêu chí trong quý; niêm yết khẩu hiệu “4 xin, 4 luôn và 5 không”.",
    "5": "Đã tổng hợp báo cáo tự đánh giá, chấm điểm gửi Ủy ban nhân dân thành phố (qua Sở Nội vụ).",
}


def minimal_pdf(text: str) -> bytes:
    """A small valid one-page PDF showing ``text`` (ASCII; Vietnamese letters lose their marks)."""
    line = strip_diacritics(text).encode("ascii", "replace").decode("ascii")
    line = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")[:90]
    stream = f"BT /F1 12 Tf 50 780 Td ({line}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode() + b"0000000000 65535 f \n"
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# The seed's tasks a step of the yearly cycle completes (rules.programme's days), by STT.
EVENT_OF_TASK = {
    "2": "village_reviews",
    "3": "registered",
    "5": "submitted",
    "6": "rewarded",
    "7": "reported",
    "8": "budget",
    "10": "review_issued",
}


def done_day(number: str, year: int, due: dt.date, calendar: WorkingCalendar) -> dt.date | None:
    """The day Thanh Miện, keeping to the programme's calendar, completes task ``number`` of ``year``."""
    event = EVENT_OF_TASK.get(number)
    if event is None:
        return calendar.add_working_days(due, -2)
    day: dt.date | None = getattr(year_events(year, calendar), event)
    return day


def redate_event(*, actor: Actor | None, unit: Any, source: str, day: dt.date) -> None:
    """Date a cycle event on the day the demo's record is backdated to (the services record it today)."""
    event = CycleEvent.objects.filter(unit=unit, source=source).select_related("evidence").first()
    if event is None or event.happened_on == day:
        return
    services.record_cycle_event(
        actor=actor,
        unit=unit,
        year=event.year,
        kind=event.kind,
        happened_on=day,
        source=source,
        label=event.label,
        url=event.url,
        evidence=event.evidence,
    )


def _actor_for(task: Task, users: dict[str, Any]) -> Any:
    code = task.lead_body.code if task.lead_body else ""
    return {"PVHCC": users.get("tm.hcc"), "KT": users.get("tm.kinhte")}.get(code) or users["tm.vhxh"]


def load(context: Any) -> None:
    # The demo must not send e-mail (obstacle and return notices are still created in the app).
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _load(context)


def _load(context: Any) -> None:
    unit = context.unit
    users = context.users
    coordinator = users["tm.vhxh"]
    today = local_today()
    plan = services.create_plan(
        actor=coordinator,
        unit=unit,
        title=TITLE,
        start_year=2026,
        end_year=2030,
        open_ended=True,
        bases=BASES,
        communication_texts=COMMUNICATION_TEXTS,
        purposes=PURPOSES,
        requirements=REQUIREMENTS,
        budget_sources=BUDGET,
        targets=parse_targets(TARGETS),
        duties=parse_duties(DUTIES),
    )
    services.import_appendix(
        actor=coordinator, plan=plan, text=APPENDIX.read_text(encoding="utf-8"), expected_version=plan.version
    )
    plan = Plan.objects.get(pk=plan.pk)
    tasks = {t.number: t for t in plan.tasks.select_related("lead_body")}

    # Done on the day the programme's calendar says (the event's day for the tasks a cycle event completes,
    # two days before the deadline for the others), when that day has come; the latest check-in of the
    # ongoing task is left unreported (late once its deadline has passed).
    calendar = working_calendar()
    occurrences = list(
        Occurrence.objects.filter(task__plan=plan).select_related("task__lead_body").order_by("due", "pk")
    )
    check_ins = [o for o in occurrences if o.kind == Occurrence.Kind.CHECK_IN and o.due < today]
    left_open = check_ins[-1] if check_ins else None
    for occurrence in occurrences:
        task = occurrence.task
        done_on = done_day(task.number, occurrence.year, occurrence.due, calendar)
        if done_on is None or done_on > today or occurrence == left_open:
            continue
        actor = _actor_for(task, users)
        name = f"ket-qua-nhiem-vu-{task.number}-{occurrence.period}.pdf"
        services.update_occurrence(
            actor=actor,
            occurrence=occurrence,
            expected_version=occurrence.version,
            status=Occurrence.Status.DONE,
            note=RESULT_NOTES.get(task.number, "Đã hoàn thành theo kế hoạch."),
            upload=SimpleUploadedFile(
                name,
                minimal_pdf(f"Xa Thanh Mien - nhiem vu {task.number} - {occurrence.period_label_vi}"),
                content_type="application/pdf",
            ),
            effective_date=done_on,
            evidence_title=f"Kết quả nhiệm vụ {task.number} — {occurrence.period_label_vi}",
        )
    # Work under way: the next open deadline of the public-service centre's task.
    upcoming = (
        Occurrence.objects.filter(task__plan=plan, due__gte=today, task__lead_body__code="PVHCC")
        .exclude(status=Occurrence.Status.DONE)
        .order_by("due")
        .first()
    )
    if upcoming is not None and "tm.hcc" in users:
        services.update_occurrence(
            actor=users["tm.hcc"],
            occurrence=upcoming,
            expected_version=upcoming.version,
            status=Occurrence.Status.IN_PROGRESS,
            percent=60,
            note="Đã rà soát quy trình tiếp nhận hồ sơ; đang niêm yết lại thủ tục hành chính tại Trung tâm.",
        )
    # The Fatherland Front coordinates task 4 ("Thường xuyên"): its contribution to the first check-in.
    check_in = Occurrence.objects.filter(task__plan=plan, task__number="4").order_by("due").first()
    if check_in is not None and "tm.mttq" in users and "MTTQ" in context.bodies:
        services.add_contribution(
            actor=users["tm.mttq"],
            occurrence=check_in,
            body=context.bodies["MTTQ"],
            note="Ủy ban MTTQ xã đã tổ chức giám sát việc niêm yết thủ tục hành chính và tiếp nhận ý kiến của Nhân dân.",
        )

    obstacle = services.report_obstacle(
        actor=users.get("tm.hcc") or coordinator,
        unit=unit,
        body=context.bodies["PVHCC"],
        task=tasks.get("9"),
        text=(
            "Chưa được bố trí kinh phí làm pano, khẩu hiệu “4 xin, 4 luôn và 5 không” tại Trung tâm Phục vụ hành chính "
            "công; đề nghị hướng dẫn nguồn kinh phí và thời gian thực hiện."
        ),
    )
    services.forward_obstacles(
        actor=coordinator,
        unit=unit,
        obstacles=[obstacle],
        note="Đề nghị lãnh đạo UBND xã giao Phòng Kinh tế cân đối kinh phí trong dự toán năm; Phòng VH-XH hướng dẫn mẫu pano.",
    )
    context.extra["plan"] = plan
    context.extra["plan_tasks"] = tasks
