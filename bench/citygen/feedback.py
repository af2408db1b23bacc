"""Generator step ``feedback``: citizens' feedback and its answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bench.citygen.common import (
    FIRST_YEAR,
    WIDE_BATCH,
    Context,
    aware,
    bulk,
    feedback_code,
    log,
    person,
    shares,
)

FEEDBACK_SUBJECTS = [
    ("procedure", "Hướng dẫn thủ tục đăng ký khai sinh chưa rõ", "Bảng niêm yết thành phần hồ sơ ở quầy bị mờ, tôi phải đi lại hai lần.", "Đăng ký khai sinh"),
    ("procedure", "Chậm trả kết quả chứng nhận quyền sử dụng đất", "Hồ sơ hẹn trả đã quá hạn nhưng chưa có kết quả, không được báo lý do.", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu"),
    ("procedure", "Hỏi thủ tục chứng thực bản sao", "Chứng thực bản sao có cần mang bản chính không?", "Chứng thực bản sao từ bản chính"),
    ("procedure", "Đăng ký thường trú cho con", "Tôi cần chuẩn bị gì để đăng ký thường trú cho con?", "Đăng ký thường trú"),
    ("service", "Đề nghị bố trí thêm ghế chờ", "Buổi sáng đông người, người cao tuổi phải đứng chờ lâu.", ""),
    ("service", "Đèn chiếu sáng đường thôn hỏng", "Đoạn đường từ nhà văn hóa thôn ra đường trục không có đèn gần một tháng.", ""),
    ("service", "Đề nghị có mã QR nộp phí, lệ phí", "Đề nghị có mã QR để nộp phí, lệ phí cho thuận tiện.", ""),
    ("conduct", "Cán bộ một cửa trả lời thiếu nhiệt tình", "Tôi hỏi về thủ tục chứng thực, cán bộ trả lời cộc lốc.", ""),
    ("conduct", "Khen ngợi cán bộ Trung tâm", "Cảm ơn cán bộ quầy số 2 đã hướng dẫn tận tình.", ""),
    ("other", "Tranh chấp ranh giới đất với hộ liền kề", "Nhà bên cạnh xây tường lấn sang đất nhà tôi.", ""),
]  # fmt: skip


FEEDBACK_ANSWER = "UBND đã kiểm tra, chỉ đạo bộ phận liên quan khắc phục và trả lời ông/bà theo quy định."


def step_feedback(ctx: Context) -> None:
    from friendlygov.feedback.models import (
        Feedback,
        FeedbackContact,
        FeedbackEvent,
        FeedbackSettings,
        FeedbackState,
        StateType,
    )
    from friendlygov.feedback.services import DEFAULT_STATES, consent_text
    from friendlygov.rules.text import normalize_vi

    rng = ctx.rng("feedback")
    wd = ctx.workdays
    as_of = ctx.as_of
    states = bulk(
        ctx,
        FeedbackState,
        [
            FeedbackState(
                unit=info.unit, name=name, type=state_type, reply_template=template, position=p * 10
            )
            for info in ctx.units
            for p, (state_type, name, template) in enumerate(DEFAULT_STATES)
        ],
    )
    state_of: dict[tuple[int, str], Any] = {(s.unit_id, s.type): s for s in states}
    bulk(ctx, FeedbackSettings, [FeedbackSettings(unit=info.unit, retention_days=365) for info in ctx.units])
    days = wd.between(dt.date(FIRST_YEAR, 1, 5), as_of)
    counts = shares(ctx.size.feedback, [u.weight for u in ctx.units])
    handler_names: dict[int, str] = {}
    code_index = 0
    normalised: dict[tuple[str, str, str], str] = {}
    for chunk_start in range(0, len(ctx.units), 10):
        chunk = ctx.units[chunk_start : chunk_start + 10]
        items: list[Any] = []
        events_of: list[list[dict[str, Any]]] = []
        contacts_of: list[tuple[str, str] | None] = []
        for info in chunk:
            unit = info.unit
            handler = info.users["vhxh"]
            handler_names[unit.pk] = handler.full_name
            consent = consent_text(unit, 365)
            bodies = [info.bodies[c] for c in ("PVHCC", "VP", "KT", "VHXH")]
            for _ in range(counts[info.index]):
                code = feedback_code(code_index)
                code_index += 1
                topic, subject, content, ref = rng.choice(FEEDBACK_SUBJECTS)
                received = rng.choice(days)
                events: list[dict[str, Any]] = [
                    dict(kind="submitted", on=received, hour=8, to=StateType.OPEN, frm="")
                ]
                final = StateType.OPEN
                answered_at: dt.datetime | None = None
                resolved_at: dt.datetime | None = None
                answer = ""
                age = wd.count(received, as_of)
                if rng.random() < 0.04 and age >= 2:  # refused within the 2 working days
                    day = wd.add(received, rng.randint(1, 2))
                    events.append(
                        dict(kind="transition", on=day, hour=10, to=StateType.REJECTED, frm=StateType.OPEN)
                    )
                    final, resolved_at = StateType.REJECTED, aware(day, 10)
                elif age >= 1:
                    start = wd.add(received, 1)
                    events.append(
                        dict(
                            kind="transition", on=start, hour=9, to=StateType.IN_PROGRESS, frm=StateType.OPEN
                        )
                    )
                    final = StateType.IN_PROGRESS
                    handle = (
                        rng.randint(2, 14) if rng.random() < info.feedback_on_time else rng.randint(16, 30)
                    )
                    waited = 0
                    if rng.random() < 0.05 and handle > 4:
                        waited = rng.randint(2, 4)
                        stop = wd.add(received, 3)
                        if stop <= as_of:
                            events.append(
                                dict(
                                    kind="transition",
                                    on=stop,
                                    hour=10,
                                    to=StateType.WAITING_CITIZEN,
                                    frm=StateType.IN_PROGRESS,
                                )
                            )
                            final = StateType.WAITING_CITIZEN
                            back = wd.add(stop, waited)
                            if back <= as_of:
                                events.append(
                                    dict(
                                        kind="transition",
                                        on=back,
                                        hour=10,
                                        to=StateType.IN_PROGRESS,
                                        frm=StateType.WAITING_CITIZEN,
                                    )
                                )
                                final = StateType.IN_PROGRESS
                    done = wd.add(received, handle + waited)
                    if done <= as_of and final == StateType.IN_PROGRESS:
                        events.append(
                            dict(
                                kind="answer",
                                on=done,
                                hour=15,
                                to=StateType.ANSWERED,
                                frm=StateType.IN_PROGRESS,
                            )
                        )
                        final, answered_at = StateType.ANSWERED, aware(done, 15)
                        resolved_at, answer = answered_at, FEEDBACK_ANSWER
                        closed = wd.add(done, rng.randint(5, 10))
                        if rng.random() < 0.4 and closed <= as_of:
                            events.append(
                                dict(
                                    kind="transition",
                                    on=closed,
                                    hour=9,
                                    to=StateType.CLOSED,
                                    frm=StateType.ANSWERED,
                                )
                            )
                            final = StateType.CLOSED
                published = answered_at is not None and topic != "other" and rng.random() < 0.2
                if published and answered_at is not None:
                    events.append(dict(kind="publish", on=answered_at.date(), hour=16, to="", frm=""))
                rating = None
                if answered_at is not None and rng.random() < 0.3:
                    rating = rng.choices([5, 4, 3, 2, 1], weights=[45, 40, 8, 5, 2])[0]
                    events.append(
                        dict(
                            kind="rating",
                            on=min(as_of, answered_at.date() + dt.timedelta(days=1)),
                            hour=20,
                            to="",
                            frm="",
                        )
                    )
                with_contact = rng.random() < 0.35
                erased_at = None
                if with_contact and resolved_at is not None and (as_of - resolved_at.date()).days > 365:
                    erased_at = resolved_at + dt.timedelta(days=365)
                key = (subject, content, ref)
                if key not in normalised:
                    normalised[key] = normalize_vi(" ".join([subject, content, ref]))
                items.append(
                    Feedback(
                        unit=unit, code=code, topic=topic, subject=subject, content=content, procedure_ref=ref,
                        classification="" if final == StateType.OPEN else ("conduct" if topic == "conduct" else "policy"),
                        body=None if final in (StateType.OPEN, StateType.REJECTED) else rng.choice(bodies),
                        state=state_of[(unit.pk, final)], channel="web", received_on=received, answer=answer,
                        answered_at=answered_at, answered_by=handler if answered_at else None,
                        is_published=published, published_on=answered_at.date() if answered_at and published else None,
                        public_summary=subject if published else "", rating=rating,
                        satisfied=None if rating is None else rating >= 4,
                        rated_at=answered_at + dt.timedelta(days=1) if answered_at and rating is not None else None,
                        resolved_at=resolved_at, contact_erased_at=erased_at,
                        contact_erased_reason="retention" if erased_at else "",
                        search_text=f"{code.lower()} {normalised[key]}".strip(),
                    )
                )  # fmt: skip
                events_of.append(events)
                contacts_of.append((person(rng), consent) if with_contact and erased_at is None else None)
        items = bulk(ctx, Feedback, items, WIDE_BATCH)
        event_rows: list[Any] = []
        contacts = []
        for item, item_events, contact in zip(items, events_of, contacts_of, strict=True):
            handler_name = handler_names[item.unit_id]
            for event in item_events:
                citizen = event["kind"] in ("submitted", "rating")
                to_type = event["to"]
                event_rows.append(
                    FeedbackEvent(
                        feedback_id=item.pk, kind=event["kind"], at=aware(event["on"], event["hour"]), on=event["on"],
                        from_type=event["frm"], to_type=to_type,
                        state_name=state_of[(item.unit_id, to_type)].name if to_type else "",
                        actor=None if citizen else item.answered_by, actor_name="Người dân" if citizen else handler_name,
                        message="Phản ánh, kiến nghị của ông/bà đã được tiếp nhận." if event["kind"] == "submitted" else "",
                    )
                )  # fmt: skip
            if contact is not None:
                name, consent = contact
                contacts.append(
                    FeedbackContact(
                        feedback_id=item.pk, unit_id=item.unit_id, name=name, phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                        consent_text=consent, consented_at=aware(item.received_on, 8),
                    )
                )  # fmt: skip
        bulk(ctx, FeedbackEvent, event_rows)
        bulk(ctx, FeedbackContact, contacts, WIDE_BATCH)
        log(
            f"    feedback: {min(chunk_start + 10, len(ctx.units))}/{len(ctx.units)} units, {ctx.counts.get('feedback.Feedback', 0):,} items"
        )
