"""Feedback services: submission, states, answers, rating, reopening, personal data."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from friendlygov.audit.models import AuditEvent
from friendlygov.feedback import selectors, services
from friendlygov.feedback.models import (
    ContactRequest,
    Feedback,
    FeedbackContact,
    FeedbackEvent,
    FeedbackState,
    StateType,
)
from friendlygov.feedback.tracking import ALPHABET, normalize_code
from friendlygov.notifications.models import Notification
from tests.factories import World
from tests.feedback.conftest import EMAIL, PHONE, submit

pytestmark = pytest.mark.django_db


def state(world: World, state_type: str) -> FeedbackState:
    return services.default_state(world.unit, state_type)


def test_submit_gives_unguessable_code_and_default_states(world: World) -> None:
    item = submit(world)
    assert len(item.code) == 10 and set(item.code) <= set(ALPHABET)
    assert normalize_code(item.code_display.lower()) == item.code
    assert item.state.type == StateType.OPEN and item.received_on == timezone.localdate()
    assert FeedbackState.objects.filter(unit=world.unit).count() == 6
    assert FeedbackContact.objects.get(feedback=item).phone == PHONE
    assert "13/2023/NĐ-CP" in item.contact.consent_text
    assert Notification.objects.filter(user=world.coordinator, url__contains=f"/phan-anh/{item.pk}/").exists()


def test_contact_without_consent_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        submit(world, consent=False)
    assert "consent" in exc.value.message_dict
    assert not Feedback.objects.exists()


def test_anonymous_submission_keeps_no_contact(world: World) -> None:
    item = submit(world, contact=False)
    assert not FeedbackContact.objects.filter(feedback=item).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("subject", "ab"), ("content", "ngắn"), ("topic", "khac")],
)
def test_submit_validation_names_the_field(world: World, field: str, value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        submit(world, **{field: value})
    assert field in exc.value.message_dict


def test_bad_phone_is_named(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.submit_feedback(
            unit=world.unit,
            topic="service",
            subject="Tiêu đề đủ dài",
            content="Nội dung đủ dài để gửi đi",
            contact=services.ContactInput(phone="gọi tôi"),
            consent=True,
        )
    assert "contact_phone" in exc.value.message_dict


def test_city_cannot_receive_feedback(world: World) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        submit(world, unit=world.city)


def test_audit_never_holds_contact_details(world: World) -> None:
    item = submit(world)
    services.view_contact(actor=world.coordinator, feedback=item)
    services.answer_feedback(
        actor=world.coordinator, feedback=item, answer="Đã bổ sung bảng hướng dẫn tại quầy."
    )
    for event in AuditEvent.objects.all():
        text = f"{event.changes} {event.note} {event.object_repr}"
        assert PHONE not in text and EMAIL not in text and "Bí Mật" not in text


def test_transition_rules_and_messages(world: World, item: Feedback) -> None:
    with pytest.raises(ValidationError):  # answered only through answer_feedback
        services.transition_feedback(
            actor=world.coordinator, feedback=item, state=state(world, StateType.ANSWERED)
        )
    item = services.transition_feedback(
        actor=world.coordinator, feedback=item, state=state(world, StateType.IN_PROGRESS)
    )
    event = item.events.filter(kind=FeedbackEvent.Kind.TRANSITION).get()
    assert "Hạn xử lý" in event.message  # the state's reply template, filled in
    with pytest.raises(ValidationError) as exc:
        services.transition_feedback(
            actor=world.coordinator, feedback=item, state=state(world, StateType.CLOSED)
        )
    assert "Không chuyển được" in exc.value.messages[0]


def test_version_conflict(world: World, item: Feedback) -> None:
    services.transition_feedback(
        actor=world.coordinator, feedback=item, state=state(world, StateType.IN_PROGRESS), expected_version=1
    )
    with pytest.raises(ValidationError) as exc:
        services.assign_feedback(
            actor=world.coordinator,
            feedback=item,
            body=world.bodies["PVHCC"],
            classification="policy",
            expected_version=1,
        )
    assert "người khác cập nhật" in exc.value.messages[0]


def test_assign_and_who_may_handle(world: World, item: Feedback) -> None:
    with pytest.raises(PermissionDenied):  # a body member cannot assign
        services.assign_feedback(
            actor=world.member, feedback=item, body=world.bodies["PVHCC"], classification="policy"
        )
    item = services.assign_feedback(
        actor=world.coordinator, feedback=item, body=world.bodies["PVHCC"], classification="conduct"
    )
    assert Notification.objects.filter(user=world.member, title__contains=item.code_display).exists()
    # The assigned body's member handles it; another body's member and the observer may not.
    services.transition_feedback(actor=world.member, feedback=item, state=state(world, StateType.IN_PROGRESS))
    item.refresh_from_db()
    for who in ("village", "observer", "front", "leader"):
        with pytest.raises(PermissionDenied):
            services.answer_feedback(
                actor=world.users[who], feedback=item, answer="Câu trả lời không được phép."
            )
    from django.http import Http404

    with pytest.raises(Http404):
        services.answer_feedback(actor=world.outsider, feedback=item, answer="Câu trả lời không được phép.")


def test_answer_publish_rate_reopen_once(world: World, item: Feedback) -> None:
    item = services.answer_feedback(
        actor=world.coordinator,
        feedback=item,
        answer="Trung tâm đã thay bảng niêm yết mới.",
        publish=True,
        public_summary="Bảng niêm yết thủ tục khai sinh bị mờ",
    )
    assert (
        item.state.type == StateType.ANSWERED
        and item.is_published
        and item.published_on == timezone.localdate()
    )
    assert item.resolved_at is not None
    published = selectors.published_answers(unit=world.unit)
    assert [p.summary for p in published] == ["Bảng niêm yết thủ tục khai sinh bị mờ"]
    item = services.rate_feedback(feedback=item, rating=2)
    assert item.satisfied is False and item.rating == 2
    with pytest.raises(ValidationError):  # once per answer
        services.rate_feedback(feedback=item, rating=5)
    item = services.reopen_feedback(feedback=item, reason="Bảng mới vẫn thiếu lệ phí.")
    assert item.state.type == StateType.OPEN and item.reopen_count == 1 and item.resolved_at is None
    with pytest.raises(ValidationError):  # rating again needs a new answer
        services.rate_feedback(feedback=item, satisfied=True)
    item = services.answer_feedback(
        actor=world.coordinator, feedback=item, answer="Đã bổ sung mức lệ phí vào bảng."
    )
    item = services.rate_feedback(feedback=item, satisfied=True)
    assert item.satisfied is True and item.rating is None
    with pytest.raises(ValidationError) as exc:
        services.reopen_feedback(feedback=item, reason="Tôi muốn mở lại lần nữa.")
    assert "một lần" in exc.value.messages[0]


def test_rating_bounds(world: World, item: Feedback) -> None:
    with pytest.raises(ValidationError):  # not answered yet
        services.rate_feedback(feedback=item, rating=4)
    item = services.answer_feedback(
        actor=world.coordinator, feedback=item, answer="Đã có hướng dẫn mới tại quầy."
    )
    with pytest.raises(ValidationError):
        services.rate_feedback(feedback=item, rating=6)
    assert services.rate_feedback(feedback=item, rating=4).satisfied is True


def test_rejecting_sends_the_reason(world: World, item: Feedback) -> None:
    item = services.transition_feedback(
        actor=world.coordinator,
        feedback=item,
        state=state(world, StateType.REJECTED),
        message="Không thuộc thẩm quyền của xã.",
    )
    assert item.resolved_at is not None
    assert selectors.public_status(item).events[-1].message == "Không thuộc thẩm quyền của xã."


def test_states_are_configurable_but_each_type_keeps_one(world: World) -> None:
    services.ensure_default_states(unit=world.unit)
    extra = services.save_state(
        actor=world.coordinator,
        unit=world.unit,
        name="Chuyển cơ quan cấp trên",
        type=StateType.IN_PROGRESS,
        reply_template="Phản ánh của ông/bà ({ma}) đã được chuyển.",
        position=15,
    )
    assert extra.type == StateType.IN_PROGRESS
    answered = state(world, StateType.ANSWERED)
    with pytest.raises(ValidationError) as exc:
        services.save_state(
            actor=world.coordinator,
            unit=world.unit,
            state=answered,
            name=answered.name,
            type=answered.type,
            is_active=False,
            expected_version=answered.version,
        )
    assert "is_active" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.save_state(
            actor=world.coordinator, unit=world.unit, name="Đang xử lý", type=StateType.IN_PROGRESS
        )
    with pytest.raises(PermissionDenied):
        services.save_state(actor=world.member, unit=world.unit, name="Mới", type=StateType.OPEN)


def test_viewing_contact_is_logged_and_limited_to_handlers(world: World, item: Feedback) -> None:
    contact = services.view_contact(actor=world.coordinator, feedback=item)
    assert contact is not None and contact.phone == PHONE
    logged = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL, object_id=str(item.pk))
    assert logged.count() == 1 and logged.get().actor == world.coordinator
    for who in ("observer", "reviewer", "leader", "member"):  # member: not (yet) the assigned body
        with pytest.raises(PermissionDenied):
            services.view_contact(actor=world.users[who], feedback=item)
    assert logged.count() == 1


def test_citizen_request_to_see_and_erase(world: World, item: Feedback) -> None:
    wrong = services.handle_contact_request(
        actor=world.coordinator, unit=world.unit, code=item.code, verification="0900000000", kind="access"
    )
    assert wrong.request.outcome == ContactRequest.Outcome.NOT_MATCHED and wrong.contact is None
    seen = services.handle_contact_request(
        actor=world.coordinator,
        unit=world.unit,
        code=item.code_display.lower(),
        verification="+84 987 123 459",
        kind="access",
    )
    assert seen.request.outcome == ContactRequest.Outcome.DONE and seen.contact is not None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL, object_id=str(item.pk)).exists()
    erased = services.handle_contact_request(
        actor=world.coordinator, unit=world.unit, code=item.code, verification=EMAIL.upper(), kind="erasure"
    )
    assert erased.request.outcome == ContactRequest.Outcome.DONE
    assert not FeedbackContact.objects.filter(feedback=item).exists()
    item.refresh_from_db()
    assert item.contact_erased_reason == "request"
    again = services.handle_contact_request(
        actor=world.coordinator, unit=world.unit, code=item.code, verification=EMAIL, kind="access"
    )
    assert again.request.outcome == ContactRequest.Outcome.NO_DATA
    assert ContactRequest.objects.filter(feedback=item).count() == 4
    with pytest.raises(ValidationError):
        services.handle_contact_request(
            actor=world.coordinator, unit=world.unit, code="AAAAAAAAAA", verification=EMAIL, kind="access"
        )
    from django.http import Http404

    with pytest.raises(Http404):
        services.handle_contact_request(
            actor=world.outsider, unit=world.unit, code=item.code, verification=EMAIL, kind="access"
        )


def test_purge_after_retention(world: World) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        services.update_settings(actor=world.coordinator, unit=world.unit, retention_days=30)
        answered = submit(world)
        services.answer_feedback(
            actor=world.coordinator, feedback=answered, answer="Đã giải quyết xong phản ánh."
        )
        pending = submit(world)
    assert services.purge_expired_contacts(today=dt.date(2026, 3, 31)) == 0
    assert services.purge_expired_contacts(today=dt.date(2026, 4, 1), dry_run=True) == 1
    assert FeedbackContact.objects.count() == 2
    assert services.purge_expired_contacts(today=dt.date(2026, 4, 1)) == 1
    assert not FeedbackContact.objects.filter(feedback=answered).exists()
    assert FeedbackContact.objects.filter(feedback=pending).exists()  # not resolved: kept
    answered.refresh_from_db()
    assert answered.contact_erased_reason == "retention"
    assert services.purge_expired_contacts(today=dt.date(2026, 4, 1)) == 0


def test_retention_bounds(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.update_settings(actor=world.coordinator, unit=world.unit, retention_days=5)
    assert "retention_days" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.update_settings(actor=world.member, unit=world.unit, retention_days=90)


def test_deadline_reminders_are_sent_once(world: World) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        item = submit(world)
        services.assign_feedback(
            actor=world.coordinator, feedback=item, body=world.bodies["PVHCC"], classification="policy"
        )
    result = services.daily_job(today=dt.date(2026, 3, 31))
    assert result["reminders"] >= 2  # coordinator and the PVHCC member
    assert Notification.objects.filter(user=world.member, title__contains="quá hạn").count() == 1
    assert services.send_deadline_reminders(today=dt.date(2026, 3, 31)) == 0
