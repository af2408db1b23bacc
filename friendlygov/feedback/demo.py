"""Demo feedback: a dozen items for Thanh Miện across the states (one overdue, one waiting for the citizen,
published answers, a reopened one), and a few for Gia Lộc. Dated in working days back from today."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from friendlygov.core.calendar import working_calendar
from friendlygov.feedback.models import Feedback, FeedbackContact, FeedbackEvent, FeedbackState, StateType
from friendlygov.feedback.services import consent_text, ensure_default_states, render_template
from friendlygov.feedback.tracking import ALPHABET, CODE_LENGTH
from friendlygov.rules.text import normalize_vi

_ANSWER_PROCEDURE = (
    "UBND xã đã kiểm tra. Thủ tục đăng ký khai sinh có thể nộp trực tuyến trên Cổng dịch vụ công quốc gia hoặc "
    "tại Trung tâm Phục vụ hành chính công; thành phần hồ sơ gồm tờ khai và giấy chứng sinh. Trung tâm đã bổ sung "
    "bảng hướng dẫn tại quầy và trên trang thông tin điện tử của xã."
)


@dataclass
class Spec:
    topic: str
    subject: str
    content: str
    received_ago: int  # working days before today
    steps: list[tuple[int, str, str]] = field(default_factory=list)  # (working days ago, kind, state type)
    body: str | None = None
    classification: str = ""
    answer: str = ""
    published: bool = False
    rating: int | None = None
    contact: tuple[str, str, str] | None = None  # name, phone, email
    procedure_ref: str = ""


THANH_MIEN: list[Spec] = [
    Spec(
        Feedback.Topic.PROCEDURE,
        "Hướng dẫn thủ tục đăng ký khai sinh chưa rõ",
        "Tôi đến làm giấy khai sinh cho con nhưng bảng niêm yết thành phần hồ sơ ở quầy bị mờ, phải đi lại hai lần.",
        0,
        contact=("Nguyễn Văn An", "0912 345 678", ""),
        procedure_ref="Đăng ký khai sinh",
    ),
    Spec(
        Feedback.Topic.CONDUCT,
        "Cán bộ một cửa trả lời thiếu nhiệt tình",
        "Sáng thứ Hai tôi hỏi về thủ tục chứng thực, cán bộ trả lời cộc lốc và không hướng dẫn cụ thể.",
        1,
        contact=("", "0987 654 321", ""),
    ),
    Spec(
        Feedback.Topic.SERVICE,
        "Đề nghị bố trí thêm ghế chờ tại Trung tâm Phục vụ hành chính công",
        "Buổi sáng đông người, nhiều người cao tuổi phải đứng chờ lâu. Đề nghị bố trí thêm ghế và nước uống.",
        5,
        steps=[(4, "transition", StateType.IN_PROGRESS)],
        body="PVHCC",
        classification=Feedback.Classification.POLICY,
    ),
    Spec(
        Feedback.Topic.PROCEDURE,
        "Chậm trả kết quả chứng nhận quyền sử dụng đất",
        "Hồ sơ của gia đình tôi hẹn trả đã quá 10 ngày nhưng chưa có kết quả, không được thông báo lý do.",
        13,
        steps=[(12, "transition", StateType.IN_PROGRESS)],
        body="KT",
        classification=Feedback.Classification.POLICY,
        procedure_ref="000.00.12.H26-250910-0031",
    ),
    Spec(
        Feedback.Topic.SERVICE,
        "Đường điện chiếu sáng thôn Tháp Ngạn hỏng kéo dài",
        "Đoạn đường từ nhà văn hóa thôn ra đường trục xã không có đèn gần một tháng, đi lại buổi tối nguy hiểm.",
        20,
        steps=[(18, "transition", StateType.IN_PROGRESS)],
        body="VP",
        classification=Feedback.Classification.POLICY,
    ),
    Spec(
        Feedback.Topic.PROCEDURE,
        "Hỏi về hỗ trợ người có công",
        "Bố tôi là thương binh, gia đình muốn hỏi chế độ hỗ trợ sửa nhà năm nay và hồ sơ cần chuẩn bị.",
        6,
        steps=[(5, "transition", StateType.IN_PROGRESS), (3, "transition", StateType.WAITING_CITIZEN)],
        body="VHXH",
        classification=Feedback.Classification.POLICY,
        contact=("Trần Thị Bình", "0904 111 222", "binh.tran@example.vn"),
    ),
    Spec(
        Feedback.Topic.PROCEDURE,
        "Nộp hồ sơ khai sinh trực tuyến thế nào?",
        "Tôi muốn nộp hồ sơ khai sinh qua mạng nhưng không biết bắt đầu từ đâu.",
        25,
        steps=[(24, "transition", StateType.IN_PROGRESS), (10, "answer", StateType.ANSWERED)],
        body="PVHCC",
        classification=Feedback.Classification.POLICY,
        answer=_ANSWER_PROCEDURE,
        published=True,
        rating=5,
    ),
    Spec(
        Feedback.Topic.CONDUCT,
        "Thái độ tiếp dân tại bộ phận địa chính",
        "Cán bộ địa chính hẹn tôi nhiều lần nhưng không có mặt tại trụ sở.",
        30,
        steps=[(29, "transition", StateType.IN_PROGRESS), (18, "answer", StateType.ANSWERED)],
        body="KT",
        classification=Feedback.Classification.CONDUCT,
        answer="UBND xã đã làm việc với công chức địa chính, yêu cầu rút kinh nghiệm và công khai lịch tiếp dân hằng tuần.",
        rating=2,
    ),
    Spec(
        Feedback.Topic.SERVICE,
        "Đề nghị mở thêm quầy thu phí không dùng tiền mặt",
        "Đề nghị xã có mã QR để nộp phí, lệ phí cho thuận tiện.",
        40,
        steps=[
            (39, "transition", StateType.IN_PROGRESS),
            (30, "answer", StateType.ANSWERED),
            (25, "transition", StateType.CLOSED),
        ],
        body="PVHCC",
        classification=Feedback.Classification.POLICY,
        answer="Trung tâm Phục vụ hành chính công đã niêm yết mã QR thanh toán phí, lệ phí tại tất cả các quầy.",
        rating=4,
    ),
    Spec(
        Feedback.Topic.OTHER,
        "Tranh chấp ranh giới đất với hộ liền kề",
        "Nhà bên cạnh xây tường lấn sang đất nhà tôi.",
        12,
        steps=[(11, "transition", StateType.REJECTED)],
        classification=Feedback.Classification.POLICY,
    ),
    Spec(
        Feedback.Topic.PROCEDURE,
        "Xác nhận tình trạng hôn nhân mất nhiều thời gian",
        "Tôi xin giấy xác nhận tình trạng hôn nhân nhưng phải chờ một tuần.",
        35,
        steps=[
            (34, "transition", StateType.IN_PROGRESS),
            (25, "answer", StateType.ANSWERED),
            (3, "reopen", StateType.OPEN),
            (2, "transition", StateType.IN_PROGRESS),
        ],
        body="PVHCC",
        classification=Feedback.Classification.POLICY,
        answer="Thời hạn giải quyết thủ tục xác nhận tình trạng hôn nhân là 03 ngày làm việc; trường hợp cần xác minh có thể kéo dài.",
        rating=2,
    ),
    Spec(
        Feedback.Topic.SERVICE,
        "Khen ngợi cán bộ Trung tâm Phục vụ hành chính công",
        "Tôi muốn cảm ơn chị cán bộ quầy số 2 đã hướng dẫn tận tình, làm xong thủ tục trong buổi sáng.",
        50,
        steps=[(49, "transition", StateType.IN_PROGRESS), (45, "answer", StateType.ANSWERED)],
        body="PVHCC",
        classification=Feedback.Classification.CONDUCT,
        answer="UBND xã trân trọng cảm ơn ông/bà. Ý kiến đã được chuyển tới Trung tâm để động viên, khen thưởng kịp thời.",
        published=True,
        rating=5,
    ),
]

GIA_LOC: list[Spec] = [
    Spec(
        Feedback.Topic.PROCEDURE,
        "Hỏi thủ tục chứng thực bản sao",
        "Chứng thực bản sao có cần mang bản chính không?",
        2,
    ),
    Spec(
        Feedback.Topic.SERVICE,
        "Đề nghị sửa mái che nhà xe",
        "Mái che nhà xe của trụ sở bị dột khi trời mưa.",
        9,
        steps=[(8, "transition", StateType.IN_PROGRESS)],
        body="VP",
        classification=Feedback.Classification.POLICY,
    ),
    Spec(
        Feedback.Topic.PROCEDURE,
        "Đăng ký thường trú",
        "Tôi cần chuẩn bị gì để đăng ký thường trú cho con?",
        20,
        steps=[(19, "transition", StateType.IN_PROGRESS), (15, "answer", StateType.ANSWERED)],
        body="PVHCC",
        answer="Ông/bà chuẩn bị tờ khai thay đổi thông tin cư trú và giấy tờ chứng minh quan hệ nhân thân.",
        rating=4,
    ),
]


def _code(seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:CODE_LENGTH])


def _load_unit(unit: Any, specs: list[Spec], bodies: dict[str, Any], handler: Any) -> None:
    states = {s.type: s for s in sorted(ensure_default_states(unit=unit), key=lambda s: -s.position)}
    calendar = working_calendar()
    today = timezone.localdate()

    def day(ago: int) -> dt.date:
        return calendar.add_working_days(today, -ago) if ago else today

    def at(ago: int, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day(ago), dt.time(hour, 0)))

    body_by_code = {b.code: b for b in unit.bodies.all()}
    for index, spec in enumerate(specs):
        final_type = spec.steps[-1][2] if spec.steps else StateType.OPEN
        state: FeedbackState = states[final_type]
        item = Feedback.objects.create(
            unit=unit,
            code=_code(f"{unit.slug}-{index}"),
            topic=spec.topic,
            subject=spec.subject,
            content=spec.content,
            procedure_ref=spec.procedure_ref,
            classification=spec.classification,
            body=body_by_code.get(spec.body) if spec.body else None,
            state=state,
            received_on=day(spec.received_ago),
            answer=spec.answer,
            reopen_count=sum(1 for s in spec.steps if s[1] == "reopen"),
        )
        item.search_text = normalize_vi(" ".join([item.code, item.subject, item.content, item.procedure_ref]))
        first_state = states[StateType.OPEN]
        FeedbackEvent.objects.create(
            feedback=item,
            kind=FeedbackEvent.Kind.SUBMITTED,
            at=at(spec.received_ago, 8),
            on=day(spec.received_ago),
            to_type=StateType.OPEN,
            state_name=first_state.name,
            actor_name="Người dân",
            message=render_template(first_state.reply_template, feedback=item),
        )
        current: str = StateType.OPEN
        for ago, kind, state_type in spec.steps:
            target = states[state_type]
            when = at(ago, 10 if kind != "reopen" else 15)
            if kind == "answer":
                item.answered_at = when
                item.answered_by = handler
            FeedbackEvent.objects.create(
                feedback=item,
                kind=kind,
                at=when,
                on=day(ago),
                from_type=current,
                to_type=state_type,
                state_name=target.name,
                actor=None if kind == "reopen" else handler,
                actor_name="Người dân" if kind == "reopen" else handler.get_full_name(),
                message=render_template(
                    target.reply_template,
                    feedback=item,
                    handle_by=calendar.add_working_days(day(spec.received_ago), 15),
                )
                if kind != "reopen"
                else "Ông/bà đã mở lại phản ánh. Phản ánh được xem xét lại trong thời hạn 15 ngày làm việc.",
                note="Lý do mở lại: chưa rõ vì sao phải chờ lâu như vậy." if kind == "reopen" else "",
            )
            current = state_type
            if state_type in (StateType.ANSWERED, StateType.CLOSED, StateType.REJECTED):
                item.resolved_at = item.resolved_at or when
            else:
                item.resolved_at = None
        if spec.published and item.answered_at is not None:
            item.is_published = True
            item.published_on = timezone.localtime(item.answered_at).date()
            item.public_summary = spec.subject
            FeedbackEvent.objects.create(
                feedback=item,
                kind=FeedbackEvent.Kind.PUBLISH,
                at=item.answered_at,
                on=item.published_on,
                actor=handler,
                actor_name=handler.get_full_name(),
                message="Câu trả lời đã được công khai.",
            )
        if spec.rating is not None and item.answered_at is not None:
            item.rating = spec.rating
            item.satisfied = spec.rating >= 4
            item.rated_at = item.answered_at + dt.timedelta(days=1)
        if spec.contact is not None:
            name, phone, email = spec.contact
            FeedbackContact.objects.create(
                feedback=item,
                unit=unit,
                name=name,
                phone=phone,
                email=email,
                consent_text=consent_text(unit, 365),
                consented_at=at(spec.received_ago, 8),
            )
        item.save()


def load(context: Any) -> None:
    if context.unit is None:
        return
    handler = context.users.get("tm.vhxh")
    _load_unit(context.unit, THANH_MIEN, context.bodies, handler)
    if context.other_units:
        _load_unit(context.other_units[0], GIA_LOC, {}, context.users.get("gl.vhxh") or handler)
