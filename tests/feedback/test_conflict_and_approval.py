"""A complaint about a body is never handled by that body (it stays with the coordinator by default), and a
unit may require the leader's approval before an answer reaches the citizen."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from friendlygov.audit.models import AuditEvent
from friendlygov.feedback import selectors, services
from friendlygov.feedback.models import AnswerApproval, Feedback, FeedbackEvent, StateType
from friendlygov.notifications.models import Notification
from tests.factories import World
from tests.feedback.conftest import submit
from tests.feedback.test_api import auth

pytestmark = pytest.mark.django_db
JSON = "application/json"
ANSWER = "Đơn vị đã làm việc với bộ phận một cửa và chấn chỉnh việc hẹn lại hồ sơ."


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(2, 0), tzinfo=dt.UTC), tick=False)


def complaint(world: World, **overrides: Any) -> Feedback:
    return submit(
        world,
        topic=Feedback.Topic.CONDUCT,
        subject="Cán bộ một cửa gây khó dễ",
        content="Cán bộ quầy tiếp nhận yêu cầu nộp thêm giấy tờ không có trong quy định.",
        about_body=world.bodies["PVHCC"],
        **overrides,
    )


def require_approval(world: World) -> None:
    services.set_leader_approval(actor=world.leader, unit=world.unit, required=True)


# ------------------------------------------------------------------------------ the body complained about


def test_a_complaint_is_not_assigned_to_the_body_it_is_about(world: World) -> None:
    item = complaint(world)
    assert item.about_body == world.bodies["PVHCC"] and item.body is None
    # By default it stays with the coordinator, who handles it.
    assert services.may_handle(world.coordinator, item) and not services.may_handle(world.member, item)
    with pytest.raises(ValidationError) as refused:
        services.assign_feedback(
            actor=world.coordinator, feedback=item, body=world.bodies["PVHCC"], classification="conduct"
        )
    assert "chính Trung tâm Phục vụ hành chính công" in str(refused.value.message_dict["body"])
    assigned = services.assign_feedback(
        actor=world.coordinator, feedback=item, body=world.bodies["VP"], classification="conduct"
    )
    assert assigned.body == world.bodies["VP"] and assigned.about_body == world.bodies["PVHCC"]


def test_naming_the_body_later_is_the_coordinators_and_refuses_the_same_pair(world: World) -> None:
    item = submit(world)  # the citizen named no body
    item = services.assign_feedback(
        actor=world.coordinator, feedback=item, body=world.bodies["PVHCC"], classification="conduct"
    )
    # The member of the assigned body may correct the classification, not mark what it is about.
    with pytest.raises(PermissionDenied):
        services.assign_feedback(
            actor=world.member,
            feedback=item,
            body=world.bodies["PVHCC"],
            classification="conduct",
            about_body=world.bodies["KT"],
        )
    with pytest.raises(ValidationError):
        services.assign_feedback(
            actor=world.coordinator,
            feedback=item,
            body=world.bodies["PVHCC"],
            classification="conduct",
            about_body=world.bodies["PVHCC"],
        )
    item = services.assign_feedback(
        actor=world.coordinator,
        feedback=item,
        body=None,
        classification="conduct",
        about_body=world.bodies["PVHCC"],
    )
    assert item.body is None and item.about_body == world.bodies["PVHCC"]
    assert FeedbackEvent.objects.filter(feedback=item, note__contains="Phản ánh về: Trung tâm").exists()
    audit = (
        AuditEvent.objects.filter(object_type="feedback.feedback", object_id=str(item.pk))
        .order_by("-pk")
        .first()
    )
    assert audit is not None and "about_body_id" in audit.changes


def test_a_member_of_the_body_complained_about_cannot_answer(world: World) -> None:
    item = complaint(world)
    # Data from before the rule (assigned to the body it is about): its members still may not answer.
    Feedback.objects.filter(pk=item.pk).update(body=world.bodies["PVHCC"])
    item.refresh_from_db()
    assert not services.may_handle(world.member, item)
    with pytest.raises(PermissionDenied):
        services.answer_feedback(actor=world.member, feedback=item, answer=ANSWER)


def test_pages_and_api_name_the_body_complained_about(world: World, client_for: Any, client: Any) -> None:
    public = client.post(
        "/phan-anh/thanh-mien/gui/",
        {
            "topic": "conduct",
            "subject": "Cán bộ một cửa gây khó dễ",
            "content": "Cán bộ quầy yêu cầu giấy tờ không có trong quy định.",
            "about_body": world.bodies["PVHCC"].pk,
        },
    )
    assert public.status_code == 302
    item = Feedback.objects.get()
    assert item.about_body == world.bodies["PVHCC"]
    # Bodies of another commune are not offered (the choice is refused).
    foreign = client.post(
        "/phan-anh/thanh-mien/gui/",
        {
            "topic": "conduct",
            "subject": "Phản ánh khác",
            "content": "Nội dung phản ánh khác đủ dài.",
            "about_body": world.other_bodies["PVHCC"].pk,
        },
    )
    assert foreign.status_code == 200 and Feedback.objects.count() == 1
    coordinator = client_for(world.coordinator)
    detail = f"/don-vi/thanh-mien/phan-anh/{item.pk}/"
    assert "Trung tâm Phục vụ hành chính công" in coordinator.get(detail).content.decode()
    refused = coordinator.post(
        f"{detail}phan-loai/",
        {
            "version": item.version,
            "classification": "conduct",
            "about_body": world.bodies["PVHCC"].pk,
            "body": world.bodies["PVHCC"].pk,
        },
    )
    assert refused.status_code == 400 and "không giao cho cơ quan bị phản ánh" in refused.content.decode()
    assert client_for(world.outsider).get(detail).status_code == 404
    api = client.post(
        f"/api/feedback/items/{item.pk}/assign",
        json.dumps(
            {
                "body_id": world.bodies["PVHCC"].pk,
                "classification": "conduct",
                "expected_version": item.version,
            }
        ),
        content_type=JSON,
        **auth(world.coordinator),
    )
    assert api.status_code == 422 and "không giao cho cơ quan bị phản ánh" in api.content.decode()
    submitted = client.post(
        "/api/feedback/public/thanh-mien/submit",
        json.dumps(
            {
                "topic": "conduct",
                "subject": "Qua ứng dụng",
                "content": "Phản ánh gửi qua ứng dụng về cán bộ.",
                "about_body_id": world.bodies["VP"].pk,
            }
        ),
        content_type=JSON,
    )
    assert submitted.status_code == 201
    assert Feedback.objects.get(code=submitted.json()["code"]).about_body == world.bodies["VP"]
    wrong = client.post(
        "/api/feedback/public/thanh-mien/submit",
        json.dumps(
            {
                "topic": "conduct",
                "subject": "Cơ quan xã khác",
                "content": "Phản ánh nêu cơ quan của xã khác.",
                "about_body_id": world.other_bodies["VP"].pk,
            }
        ),
        content_type=JSON,
    )
    assert wrong.status_code == 422
    item_out = client.get(f"/api/feedback/items/{item.pk}", **auth(world.coordinator)).json()
    assert item_out["about_body_id"] == world.bodies["PVHCC"].pk and item_out["awaiting_approval"] is False


# ------------------------------------------------------------------------------ the leader's approval


def test_the_setting_is_the_leaders_or_the_unit_administrators_and_audited(world: World) -> None:
    assert not services.approval_required(world.unit)
    services.set_leader_approval(actor=world.users["unit_admin"], unit=world.unit, required=True)
    assert services.approval_required(world.unit)
    with pytest.raises(PermissionDenied):
        services.set_leader_approval(actor=world.coordinator, unit=world.unit, required=False)
    with pytest.raises(Exception) as hidden:
        services.set_leader_approval(actor=world.outsider, unit=world.unit, required=False)
    assert hidden.typename == "Http404"
    services.set_leader_approval(actor=world.leader, unit=world.unit, required=False)
    notes = list(
        AuditEvent.objects.filter(object_type="feedback.feedbacksettings")
        .order_by("pk")
        .values_list("note", flat=True)
    )
    assert notes == ["bật lãnh đạo duyệt câu trả lời", "tắt lãnh đạo duyệt câu trả lời"]


def test_an_answer_waits_for_the_leader_and_only_then_reaches_the_citizen(world: World) -> None:
    require_approval(world)
    item = complaint(world)
    services.answer_feedback(actor=world.coordinator, feedback=item, answer=ANSWER, publish=True)
    item.refresh_from_db()
    waiting = services.awaiting_approval(item)
    assert waiting is not None and waiting.proposed_by == world.coordinator
    # The citizen sees nothing of it; the item is still pending (its clock runs).
    status = selectors.public_status(item)
    assert item.state.type == StateType.OPEN and status.answer == "" and not item.is_published
    assert all(ANSWER not in e.message for e in status.events)
    assert selectors.deadlines_of(item).pending
    assert Notification.objects.filter(user=world.leader, title__contains="chờ lãnh đạo duyệt").exists()
    # Nothing else moves while it waits.
    with pytest.raises(ValidationError):
        services.answer_feedback(actor=world.coordinator, feedback=item, answer=ANSWER + " Lần hai.")
    with pytest.raises(ValidationError):
        services.transition_feedback(
            actor=world.coordinator,
            feedback=item,
            state=services.default_state(world.unit, StateType.IN_PROGRESS),
        )
    # Only the leader approves.
    with pytest.raises(PermissionDenied):
        services.approve_answer(actor=world.coordinator, feedback=item)
    services.approve_answer(actor=world.leader, feedback=item, expected_version=item.version)
    item.refresh_from_db()
    status = selectors.public_status(item)
    assert item.state.type == StateType.ANSWERED and status.answer == ANSWER and item.is_published
    assert item.answered_by == world.coordinator
    assert AnswerApproval.objects.get().status == "approved"
    assert Notification.objects.filter(user=world.coordinator, title__contains="đã duyệt").exists()


def test_the_leader_sends_an_answer_back_with_a_reason(world: World) -> None:
    require_approval(world)
    item = complaint(world)
    services.answer_feedback(actor=world.coordinator, feedback=item, answer=ANSWER)
    item.refresh_from_db()
    with pytest.raises(ValidationError) as no_reason:
        services.return_answer(actor=world.leader, feedback=item, reason="")
    assert "reason" in no_reason.value.message_dict
    services.return_answer(actor=world.leader, feedback=item, reason="Cần nêu rõ hình thức xử lý cán bộ.")
    item.refresh_from_db()
    assert services.awaiting_approval(item) is None
    assert selectors.last_returned_answer(item) is not None
    assert selectors.public_status(item).answer == "" and item.state.type == StateType.OPEN
    assert Notification.objects.filter(user=world.coordinator, body__contains="hình thức xử lý").exists()
    # The handler revises and submits again; the leader approves.
    services.answer_feedback(actor=world.coordinator, feedback=item, answer=ANSWER + " Đã nhắc nhở cán bộ.")
    item.refresh_from_db()
    services.approve_answer(actor=world.leader, feedback=item)
    item.refresh_from_db()
    assert item.answer.endswith("Đã nhắc nhở cán bộ.") and item.state.type == StateType.ANSWERED
    kinds = list(FeedbackEvent.objects.filter(feedback=item).values_list("kind", flat=True))
    assert kinds.count("answer_proposed") == 2 and "answer_returned" in kinds
    public_kinds = {e.title for e in selectors.public_status(item).events}
    assert not any("lãnh đạo" in title.lower() for title in public_kinds)


def test_without_the_setting_answers_go_straight_out(world: World) -> None:
    item = complaint(world)
    services.answer_feedback(actor=world.coordinator, feedback=item, answer=ANSWER)
    item.refresh_from_db()
    assert item.state.type == StateType.ANSWERED and not AnswerApproval.objects.exists()


def test_the_766_clock_runs_until_the_leader_approves(world: World) -> None:
    """QĐ 766 counts the answer given to the citizen: an answer written in time but approved after the
    15 working days is late."""
    require_approval(world)
    with at(dt.date(2026, 3, 2)):  # Monday
        item = complaint(world)
    with at(dt.date(2026, 3, 19)):  # working day 13: the handler answers
        services.answer_feedback(actor=world.coordinator, feedback=item, answer=ANSWER)
    with at(dt.date(2026, 3, 25)):  # working day 17: the leader approves
        item.refresh_from_db()
        assert selectors.deadlines_of(item).overdue  # still pending, and now overdue
        services.approve_answer(actor=world.leader, feedback=item)
    with at(dt.date(2026, 4, 15)):
        records, _as_of = selectors.feedback_records(unit=world.unit, year=2026)
        figure = selectors.feedback_on_time_figure(unit=world.unit, year=2026)
    assert records[0].handled == dt.date(2026, 3, 25)
    assert figure is not None and (figure.numerator, figure.denominator) == (0, 1)


def test_pages_for_the_handler_and_the_leader(world: World, client_for: Any) -> None:
    require_approval(world)
    item = complaint(world)
    detail = f"/don-vi/thanh-mien/phan-anh/{item.pk}/"
    # (client_for logs the one test client in as the user named.)
    page = client_for(world.coordinator).get(detail).content.decode()
    assert "Trình lãnh đạo duyệt" in page
    sent = client_for(world.coordinator).post(
        f"{detail}tra-loi/", {"version": item.version, "answer": ANSWER, "public_summary": ""}, follow=True
    )
    assert "Đã trình lãnh đạo duyệt câu trả lời" in sent.content.decode()
    item.refresh_from_db()
    # The handler may not approve their own answer.
    assert client_for(world.coordinator).post(f"{detail}duyet/", {"version": item.version}).status_code == 403
    page = client_for(world.leader).get(detail).content.decode()
    assert 'id="awaiting-approval"' in page and ANSWER in page and "Duyệt và gửi người dân" in page
    queue = client_for(world.leader).get("/don-vi/thanh-mien/phan-anh/cho-duyet/").content.decode()
    assert item.code_display in queue
    missing = client_for(world.leader).post(f"{detail}tra-lai/", {"version": item.version, "reason": ""})
    assert missing.status_code == 400
    client_for(world.leader).post(
        f"{detail}tra-lai/", {"version": item.version, "reason": "Cần nêu rõ hình thức xử lý."}
    )
    item.refresh_from_db()
    page = client_for(world.coordinator).get(detail).content.decode()
    assert 'id="returned-answer"' in page and "Cần nêu rõ hình thức xử lý." in page
    assert ANSWER in page  # the returned draft is back in the answer form
    client_for(world.coordinator).post(
        f"{detail}tra-loi/", {"version": item.version, "answer": ANSWER, "public_summary": ""}
    )
    item.refresh_from_db()
    done = client_for(world.leader).post(f"{detail}duyet/", {"version": item.version}, follow=True)
    assert "Đã duyệt câu trả lời" in done.content.decode()
    item.refresh_from_db()
    assert item.state.type == StateType.ANSWERED
    outsider = client_for(world.outsider)
    for path in (detail, "/don-vi/thanh-mien/phan-anh/cho-duyet/"):
        assert outsider.get(path).status_code == 404
    for path in (f"{detail}duyet/", f"{detail}tra-lai/", "/don-vi/thanh-mien/phan-anh/cho-duyet/"):
        assert outsider.post(path, {"version": item.version, "reason": "x" * 10}).status_code == 404


def test_the_setting_page(world: World, client_for: Any) -> None:
    url = "/don-vi/thanh-mien/phan-anh/cho-duyet/"
    assert client_for(world.coordinator).post(url, {"leader_approval": "on"}).status_code == 403
    saved = client_for(world.leader).post(url, {"leader_approval": "on", "version": 0}, follow=True)
    assert "Đã bật" in saved.content.decode() and services.approval_required(world.unit)
    assert "Đang bật" in client_for(world.users["unit_admin"]).get(url).content.decode()
    version = services.settings_for(world.unit).version
    client_for(world.users["unit_admin"]).post(url, {"version": version})
    assert not services.approval_required(world.unit)


def post(client: Any, path: str, data: dict[str, Any], user: Any) -> Any:
    return client.post(path, json.dumps(data), content_type=JSON, **auth(user))


def test_the_api(world: World, client: Any) -> None:
    path = "/api/feedback/units/thanh-mien/approval-setting"
    turn_on = {"leader_approval": True, "expected_version": 0}  # 0: no settings saved yet
    assert post(client, path, turn_on, world.coordinator).status_code == 403
    assert post(client, path, turn_on, world.outsider).status_code == 404
    assert client.get(path, **auth(world.outsider)).status_code == 404
    assert post(client, path, {"leader_approval": True}, world.leader).status_code == 422  # version needed
    on = post(client, path, turn_on, world.leader)
    assert on.status_code == 200 and on.json()["leader_approval"] is True
    stale = post(client, path, {"leader_approval": False, "expected_version": 0}, world.users["unit_admin"])
    assert stale.status_code == 422 and services.approval_required(world.unit)
    item = complaint(world)
    answered = post(
        client,
        f"/api/feedback/items/{item.pk}/answer",
        {"answer": ANSWER, "expected_version": item.version},
        world.coordinator,
    )
    assert answered.status_code == 200 and answered.json()["awaiting_approval"] is True
    assert answered.json()["state_type"] == "open" and answered.json()["answer"] == ""
    assert client.get(path, **auth(world.coordinator)).json()["awaiting"] == 1
    version = answered.json()["version"]
    for who, expected in ((world.outsider, 404), (world.coordinator, 403)):
        response = post(client, f"/api/feedback/items/{item.pk}/approve", {"expected_version": version}, who)
        assert response.status_code == expected
    returned = post(
        client,
        f"/api/feedback/items/{item.pk}/return-answer",
        {"reason": "Sửa lại lời văn.", "expected_version": version},
        world.leader,
    )
    assert returned.status_code == 200 and returned.json()["awaiting_approval"] is False
    again = post(
        client,
        f"/api/feedback/items/{item.pk}/answer",
        {"answer": ANSWER, "expected_version": returned.json()["version"]},
        world.coordinator,
    )
    late = post(client, f"/api/feedback/items/{item.pk}/approve", {"expected_version": version}, world.leader)
    assert late.status_code == 422  # the leader read an older version
    approved = post(
        client,
        f"/api/feedback/items/{item.pk}/approve",
        {"expected_version": again.json()["version"]},
        world.leader,
    )
    assert approved.status_code == 200 and approved.json()["state_type"] == "answered"
    assert approved.json()["answer"] == ANSWER
