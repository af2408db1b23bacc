"""The cycle completes the plan: appendix tasks bound to the events that show them done (proposed from the
seed appendix), each area's own service recording its event, two-event tasks, activity counts, lateness,
and staff changing a binding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from friendlygov.audit.models import AuditEvent
from friendlygov.plans import selectors
from friendlygov.plans import services as plan_services
from friendlygov.plans.models import CycleEvent, EventKind, Occurrence, OccurrenceEvidence, Plan, Task
from friendlygov.rules import plan_events as ev
from friendlygov.rules.schedule import parse_appendix
from tests.factories import World
from tests.plans.conftest import SEED_APPENDIX, occ

SEED_BINDING = {
    "1": [ev.COMMUNICATION_ACTIVITY],
    "2": [ev.VILLAGE_REVIEW],
    "3": [ev.PLAN_ISSUED, ev.TARGET_REGISTERED],
    "4": [],
    "5": [ev.SELF_ASSESSMENT_SUBMITTED],
    "6": [ev.REWARDS_DECIDED],
    "7": [ev.ANNUAL_REPORT_ISSUED],
    "8": [ev.BUDGET_ESTIMATE],
    "9": [ev.SERVICE_FIGURES_IMPORTED],
    "10": [ev.REVIEW_ISSUED],
}


def at(day: dt.date, hour: int = 9) -> Any:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def frozen() -> Iterator[None]:
    with at(dt.date(2026, 3, 2)):
        yield


def seed_plan(world: World) -> Plan:
    from tests.documents.data import make_plan

    return make_plan(world)


def fresh(plan: Plan, number: str, period: str) -> Occurrence:
    return occ(plan, number, period)


# ------------------------------------------------------------------------------------------ proposal


def test_the_seed_appendix_proposes_each_tasks_event() -> None:
    parsed = parse_appendix(SEED_APPENDIX)
    assert [t.number for t in parsed] == list(SEED_BINDING)
    proposed = {t.number: list(ev.propose_event_kinds(t.text, t.lead)) for t in parsed}
    assert proposed == SEED_BINDING


def test_pasting_the_appendix_binds_the_tasks_and_a_reimport_keeps_what_staff_changed(
    world: World, imported: Plan
) -> None:
    tasks = {t.number: t for t in imported.tasks.all()}
    assert {n: t.event_kinds for n, t in tasks.items()} == SEED_BINDING
    assert all(t.yearly_count == 1 for t in tasks.values())
    plan_services.set_task_binding(
        actor=world.coordinator,
        task=tasks["4"],
        expected_version=tasks["4"].version,
        event_kinds=[ev.COMMUNICATION_ACTIVITY],
        yearly_count=4,
    )
    imported.refresh_from_db()
    plan_services.import_appendix(
        actor=world.coordinator, plan=imported, text=SEED_APPENDIX, expected_version=imported.version
    )
    again = {t.number: t for t in Task.objects.filter(plan=imported)}
    assert again["4"].event_kinds == [ev.COMMUNICATION_ACTIVITY] and again["4"].yearly_count == 4
    assert again["5"].event_kinds == [ev.SELF_ASSESSMENT_SUBMITTED]


def test_binding_state_counts_one_off_events_and_activities() -> None:
    kinds = [ev.PLAN_ISSUED, ev.TARGET_REGISTERED]
    assert ev.binding_state(kinds, {}, 1) == ev.BindingState(False, 0, tuple(kinds))
    assert ev.binding_state(kinds, {ev.TARGET_REGISTERED: 1}, 1) == ev.BindingState(
        False, 50, (ev.PLAN_ISSUED,)
    )
    assert ev.binding_state(kinds, {ev.TARGET_REGISTERED: 2, ev.PLAN_ISSUED: 1}, 1).done
    activity = [ev.COMMUNICATION_ACTIVITY]
    assert ev.binding_state(activity, {ev.COMMUNICATION_ACTIVITY: 2}, 3).percent == 66
    assert ev.binding_state(activity, {ev.COMMUNICATION_ACTIVITY: 3}, 3).done
    with pytest.raises(ValueError):
        ev.clean_kinds(["unknown"])


# ------------------------------------------------------------------------------------ each event kind


def test_registration_and_the_issued_plan_complete_task_3_late_with_both_links(world: World) -> None:
    from friendlygov.documents import services as documents
    from tests.documents.data import make_cycle

    with at(dt.date(2026, 2, 10)):
        plan = seed_plan(world)
        make_cycle(world, 2026, until="registered")
    half = fresh(plan, "3", "2026")
    assert (half.status, half.percent, half.from_events) == (Occurrence.Status.IN_PROGRESS, 50, True)
    events = selectors.task_events(plan, 2026)[half.task_id]
    assert events.missing_labels == ["Ban hành kế hoạch"]
    with at(dt.date(2026, 3, 2)):
        issued = documents.render_document(
            actor=world.coordinator,
            unit=world.unit,
            kind="plan",
            year=2026,
            number=12,
            issued_on=dt.date(2026, 3, 2),
        )
    done = fresh(plan, "3", "2026")
    assert done.status == Occurrence.Status.DONE and done.percent == 100
    assert done.done_on == dt.date(2026, 3, 2) and done.days_done_late == 17  # due 13/02/2026
    labels = [e.label for e in selectors.task_events(plan, 2026)[done.task_id].events]
    assert labels[0] == "Đăng ký Mức độ 3 năm 2026"
    assert any("12/KH-UBND" in label for label in labels)
    assert issued.document is not None
    assert (
        CycleEvent.objects.filter(source=f"documents.issued:{issued.document.pk}")
        .get()
        .url.endswith(f"/{issued.document.pk}/tai-ve/")
    )
    assert fresh(plan, "3", "2027").status == Occurrence.Status.NOT_STARTED


def test_next_years_registration_completes_next_years_occurrence_whenever_sent(world: World) -> None:
    from tests.documents.data import make_cycle

    with at(dt.date(2026, 12, 20)):
        plan = seed_plan(world)
        make_cycle(world, 2027, until="registered")
    assert fresh(plan, "3", "2027").percent == 50
    assert fresh(plan, "3", "2026").status == Occurrence.Status.NOT_STARTED


def test_events_recorded_before_the_plan_apply_when_the_appendix_is_read(world: World) -> None:
    from tests.documents.data import make_cycle

    with at(dt.date(2026, 2, 1)):
        make_cycle(world, 2026, until="registered")
        plan = seed_plan(world)
    assert fresh(plan, "3", "2026").percent == 50


def test_submitting_completes_task_5_with_the_issued_report_as_evidence(world: World) -> None:
    from friendlygov.assessments import services as assessments
    from friendlygov.documents import services as documents
    from tests.documents.data import make_cycle

    with at(dt.date(2026, 11, 5)):
        plan = seed_plan(world)
        cycle = make_cycle(world, 2026, until="scored")
        report = documents.render_document(
            actor=world.coordinator,
            unit=world.unit,
            kind="self_assessment",
            year=2026,
            number=20,
            issued_on=dt.date(2026, 11, 5),
        )
        assert fresh(plan, "5", "2026").status == Occurrence.Status.NOT_STARTED  # issuing is not sending
        assessments.submit_cycle(actor=world.leader, cycle=cycle, acknowledge_issues=True)
    done = fresh(plan, "5", "2026")
    assert (done.status, done.done_on, done.days_done_late) == (
        Occurrence.Status.DONE,
        dt.date(2026, 11, 5),
        0,
    )
    events = selectors.occurrence_events(done)
    assert events is not None
    assert [e.kind for e in events.events] == [ev.SELF_ASSESSMENT_REPORT, ev.SELF_ASSESSMENT_SUBMITTED]
    assert report.document is not None and report.document.number_symbol in events.events[0].label
    assert AuditEvent.objects.filter(object_type="plans.occurrence", object_id=str(done.pk)).exists()


def test_a_late_submission_is_shown_late(world: World, client_for: Any) -> None:
    from friendlygov.assessments import services as assessments
    from tests.documents.data import make_cycle

    with at(dt.date(2026, 12, 7)):
        plan = seed_plan(world)
        cycle = make_cycle(world, 2026, until="scored")
        assessments.submit_cycle(actor=world.leader, cycle=cycle, acknowledge_issues=True)
        done = fresh(plan, "5", "2026")
        assert done.days_done_late == 26 and not done.late
        page = (
            client_for(world.coordinator)
            .get(f"/don-vi/thanh-mien/ke-hoach/{plan.pk}/?nam=2026")
            .content.decode()
        )
    assert "Hoàn thành trễ 26 ngày" in page
    assert "Nộp bản tự đánh giá, chấm điểm năm 2026" in page


def test_the_same_event_twice_counts_once(world: World) -> None:
    with at(dt.date(2026, 5, 4)):
        plan = seed_plan(world)
        for _ in range(2):
            plan_services.record_cycle_event(
                actor=world.coordinator,
                unit=world.unit,
                year=2026,
                kind=EventKind.COMMUNICATION_ACTIVITY,
                happened_on=dt.date(2026, 5, 4),
                source="operations.activity:1",
                label="Tuyên truyền",
            )
    assert CycleEvent.objects.count() == 1
    task = Task.objects.get(plan=plan, number="1")
    assert selectors.task_events(plan, 2026)[task.pk].activities[0].count == 1
    with pytest.raises(ValueError):
        plan_services.record_cycle_event(
            actor=None,
            unit=world.unit,
            year=2026,
            kind="not-a-kind",
            happened_on=dt.date(2026, 5, 4),
            source="x",
            label="x",
        )


def test_activities_count_against_the_yearly_count(world: World) -> None:
    from friendlygov.operations import services as operations
    from tests.operations.conftest import activity

    with at(dt.date(2026, 6, 1)):
        plan = seed_plan(world)
        task = Task.objects.get(plan=plan, number="1")
        plan_services.set_task_binding(
            actor=world.coordinator,
            task=task,
            expected_version=task.version,
            event_kinds=[ev.COMMUNICATION_ACTIVITY],
            yearly_count=3,
        )
        first = activity(world, held_on=dt.date(2026, 3, 10))
        activity(world, held_on=dt.date(2026, 4, 10), title="Pano tại cổng UBND")
        assert (fresh(plan, "1", "2026").status, fresh(plan, "1", "2026").percent) == ("in_progress", 66)
        third = activity(world, held_on=dt.date(2026, 5, 20), title="Tin trên Zalo")
        done = fresh(plan, "1", "2026")
        assert (done.status, done.done_on) == (Occurrence.Status.DONE, dt.date(2026, 5, 20))
        operations.update_activity(
            actor=world.coordinator, activity=third, expected_version=third.version, title="Tin trên Zalo xã"
        )
        assert CycleEvent.objects.filter(kind=ev.COMMUNICATION_ACTIVITY).count() == 3
        first.refresh_from_db()
        operations.update_activity(
            actor=world.coordinator,
            activity=first,
            expected_version=first.version,
            held_on=dt.date(2025, 12, 30),
        )
        moved = fresh(plan, "1", "2026")
        assert (moved.status, moved.percent, moved.done_on) == ("in_progress", 66, None)
        plan_services.set_task_binding(
            actor=world.coordinator,
            task=Task.objects.get(pk=task.pk),
            expected_version=task.version + 1,
            event_kinds=[ev.COMMUNICATION_ACTIVITY],
            yearly_count=2,
        )
        assert fresh(plan, "1", "2026").status == Occurrence.Status.DONE
        # an activity removed: the event is withdrawn and the progress goes down
        assert plan_services.withdraw_cycle_event(
            actor=world.coordinator,
            unit=world.unit,
            kind=EventKind.COMMUNICATION_ACTIVITY,
            source=f"operations.activity:{third.pk}",
        )
        assert (fresh(plan, "1", "2026").status, fresh(plan, "1", "2026").percent) == ("in_progress", 50)
        assert not plan_services.withdraw_cycle_event(
            actor=world.coordinator, unit=world.unit, kind=EventKind.COMMUNICATION_ACTIVITY, source="nothing"
        )


def test_village_reviews_count_and_a_review_set_back_is_withdrawn(world: World) -> None:
    from friendlygov.operations import services as operations
    from friendlygov.operations.models import VillageReview
    from tests.operations.conftest import pdf

    with at(dt.date(2026, 11, 20)):
        plan = seed_plan(world)
        review = operations.record_village_review(
            actor=world.users["village"],
            unit=world.unit,
            village=world.bodies["TN"],
            year=2026,
            results={},
            title_result=VillageReview.Title.NOT_ACHIEVED,
            reviewed_on=dt.date(2026, 11, 15),
            minutes=pdf("bien-ban.pdf"),
        )
        done = fresh(plan, "2", "2026")
        assert (done.status, done.done_on) == (Occurrence.Status.DONE, dt.date(2026, 11, 15))
        link = OccurrenceEvidence.objects.get(occurrence=done)
        assert link.evidence_id == review.minutes_id
        operations.record_village_review(
            actor=world.users["village"],
            unit=world.unit,
            village=world.bodies["TN"],
            year=2026,
            results={},
            title_result=VillageReview.Title.PENDING,
            expected_version=VillageReview.objects.get(pk=review.pk).version,
        )
    back = fresh(plan, "2", "2026")
    assert (back.status, back.percent) == (Occurrence.Status.NOT_STARTED, 0)
    assert not OccurrenceEvidence.objects.filter(occurrence=back).exists()


def test_a_reward_decision_completes_task_6_with_its_file(world: World) -> None:
    from friendlygov.operations import services as operations
    from friendlygov.operations.models import RewardForm
    from tests.operations.conftest import pdf
    from tests.operations.test_rewards import council, nominate, vote

    with at(dt.date(2026, 12, 18)):
        plan = seed_plan(world)
        nomination = nominate(world)
        meeting = council(world, [nomination])
        vote(world, meeting, nomination, ["for"] * 4)
        decision = operations.record_reward_decision(
            actor=world.coordinator,
            unit=world.unit,
            year=2026,
            number="215/QĐ-UBND",
            signed_on=dt.date(2026, 12, 18),
            reward_form=RewardForm.GIAY_KHEN,
            nominations=[nomination],
            upload=pdf("qd.pdf"),
        )
    done = fresh(plan, "6", "2026-12")
    assert (done.status, done.done_on) == (Occurrence.Status.DONE, dt.date(2026, 12, 18))
    assert OccurrenceEvidence.objects.get(occurrence=done).evidence_id == decision.file_id


def test_budget_estimate_completes_task_8(world: World) -> None:
    from tests.operations.conftest import budget_line

    with at(dt.date(2026, 1, 20)):
        plan = seed_plan(world)
        budget_line(world)
    done = fresh(plan, "8", "2026")
    assert (done.status, done.done_on) == (Occurrence.Status.DONE, dt.date(2026, 1, 20))


def test_imported_service_centre_figures_complete_task_9(world: World) -> None:
    from friendlygov.dossiers import services as dossiers
    from tests.dossiers.helpers import GOOD_ROWS, csv_bytes

    with at(dt.date(2026, 4, 1)):
        plan = seed_plan(world)
        dossiers.import_dossiers(
            actor=world.member, unit=world.unit, data=csv_bytes(GOOD_ROWS), filename="ho-so-quy-1.csv"
        )
    assert fresh(plan, "9", "2026").status == Occurrence.Status.DONE
    assert fresh(plan, "9", "2027").status == Occurrence.Status.NOT_STARTED


def test_the_annual_report_and_the_mid_term_review_complete_tasks_7_and_10(world: World) -> None:
    from friendlygov.documents import services as documents

    with at(dt.date(2026, 12, 22)):
        plan = seed_plan(world)
        documents.render_document(
            actor=world.coordinator,
            unit=world.unit,
            kind="annual_report",
            year=2026,
            number=30,
            issued_on=dt.date(2026, 12, 22),
        )
    assert fresh(plan, "7", "2026-12").status == Occurrence.Status.DONE
    with at(dt.date(2027, 12, 15)):
        documents.render_document(
            actor=world.coordinator,
            unit=world.unit,
            kind="review",
            year=2027,
            number=40,
            issued_on=dt.date(2027, 12, 15),
        )
    assert fresh(plan, "10", "2027").status == Occurrence.Status.DONE
    assert fresh(plan, "7", "2027-12").status == Occurrence.Status.NOT_STARTED


def test_operations_completed_review_completes_task_10_and_reopening_withdraws(world: World) -> None:
    from friendlygov.operations import services as operations
    from friendlygov.operations.models import ProgrammeReview

    with at(dt.date(2027, 12, 10)):
        plan = seed_plan(world)
        review = operations.open_review(actor=world.coordinator, unit=world.unit, kind="midterm", year=2027)
        for section in review.sections.all():
            operations.update_review_section(
                actor=world.coordinator, section=section, text="Nội dung.", expected_version=section.version
            )
        review = ProgrammeReview.objects.get(pk=review.pk)
        operations.complete_review(actor=world.coordinator, review=review, expected_version=review.version)
        assert fresh(plan, "10", "2027").status == Occurrence.Status.DONE
        review.refresh_from_db()
        operations.reopen_review(actor=world.coordinator, review=review, expected_version=review.version)
    assert fresh(plan, "10", "2027").status == Occurrence.Status.NOT_STARTED


def test_a_task_without_event_keeps_hand_recorded_progress(world: World) -> None:
    with at(dt.date(2026, 3, 20)):
        plan = seed_plan(world)
        check_in = fresh(plan, "4", "2026-Q1")
        plan_services.update_occurrence(
            actor=world.coordinator,
            occurrence=check_in,
            expected_version=check_in.version,
            status=Occurrence.Status.IN_PROGRESS,
            percent=40,
        )
        plan_services.record_cycle_event(
            actor=world.coordinator,
            unit=world.unit,
            year=2026,
            kind=EventKind.COMMUNICATION_ACTIVITY,
            happened_on=dt.date(2026, 3, 20),
            source="operations.activity:9",
            label="Tuyên truyền",
        )
    kept = fresh(plan, "4", "2026-Q1")
    assert (kept.status, kept.percent, kept.from_events) == ("in_progress", 40, False)


def test_a_hand_completed_occurrence_is_not_undone_by_events(world: World) -> None:
    from tests.plans.conftest import pdf_upload

    with at(dt.date(2026, 2, 10)):
        plan = seed_plan(world)
        task_3 = fresh(plan, "3", "2026")
        plan_services.update_occurrence(
            actor=world.coordinator,
            occurrence=task_3,
            expected_version=task_3.version,
            status=Occurrence.Status.DONE,
            upload=pdf_upload(),
            effective_date=dt.date(2026, 2, 9),
        )
        plan_services.record_cycle_event(
            actor=world.coordinator,
            unit=world.unit,
            year=2026,
            kind=EventKind.TARGET_REGISTERED,
            happened_on=dt.date(2026, 2, 10),
            source="assessments.registration:1",
            label="Đăng ký",
        )
    kept = fresh(plan, "3", "2026")
    assert (kept.status, kept.done_on, kept.from_events) == ("done", dt.date(2026, 2, 9), False)


# ------------------------------------------------------------------------------------ staff rebinding

BIND = "/don-vi/thanh-mien/ke-hoach/nhiem-vu/{pk}/su-kien/"


def test_staff_change_a_binding_on_the_task_page(world: World, client_for: Any) -> None:
    with at(dt.date(2026, 6, 1)):
        plan = seed_plan(world)
        task = Task.objects.get(plan=plan, number="4")
        url = BIND.format(pk=task.pk)
        coordinator = client_for(world.coordinator)
        page = coordinator.get(url)
        assert page.status_code == 200 and "Ghi nhận hoạt động tuyên truyền" in page.content.decode()
        detail = coordinator.get(f"/don-vi/thanh-mien/ke-hoach/nhiem-vu/{task.pk}/").content.decode()
        assert "cơ quan chủ trì tự cập nhật tiến độ" in detail and url in detail
        for user, status in [(world.member, 403), (world.leader, 403), (world.outsider, 404)]:
            assert client_for(user).get(url).status_code == status
            assert (
                client_for(user).post(url, {"event_kinds": ["village_review"], "yearly_count": 2}).status_code
                == status
            )
        coordinator = client_for(world.coordinator)
        response = coordinator.post(
            url, {"version": task.version, "event_kinds": ["communication_activity"], "yearly_count": "12"}
        )
        assert response.status_code == 302
        task.refresh_from_db()
        assert (task.event_kinds, task.yearly_count, task.binding_edited) == (
            ["communication_activity"],
            12,
            True,
        )
        assert AuditEvent.objects.filter(
            object_type="plans.task", object_id=str(task.pk), note="đổi sự kiện hoàn thành"
        ).exists()
        stale = coordinator.post(url, {"version": task.version - 1, "event_kinds": [], "yearly_count": "1"})
        assert stale.status_code == 400
        bad = coordinator.post(
            url, {"version": task.version, "event_kinds": ["communication_activity"], "yearly_count": "0"}
        )
        assert bad.status_code == 400 and "Số hoạt động cần đạt mỗi năm" in bad.content.decode()
        with pytest.raises(ValidationError):
            plan_services.set_task_binding(
                actor=world.coordinator, task=task, expected_version=task.version, event_kinds=["x"]
            )


def test_the_api_reads_and_changes_a_binding(world: World, client: Any, imported: Plan) -> None:
    import json

    from tests.plans.test_api import auth

    task = Task.objects.get(plan=imported, number="2")
    url = f"/api/plans/tasks/{task.pk}/binding"
    body = {"event_kinds": ["village_review"], "yearly_count": 4, "expected_version": task.version}

    def put(user: Any, data: Any = body) -> Any:
        return client.put(url, json.dumps(data), content_type="application/json", **auth(user))

    assert put(world.member).status_code == 403
    assert put(world.outsider).status_code == 404
    assert put(world.coordinator, {**body, "event_kinds": ["nope"]}).status_code == 422
    response = put(world.coordinator)
    assert response.status_code == 200, response.content
    assert response.json()["event_kinds"] == ["village_review"] and response.json()["yearly_count"] == 4
    assert put(world.coordinator).status_code == 422  # the version read is no longer current
    detail = client.get(f"/api/plans/plans/{imported.pk}", **auth(world.leader)).json()
    assert {t["number"]: t["event_kinds"] for t in detail["tasks"]}["5"] == ["self_assessment_submitted"]


def test_a_plan_carrying_its_number_and_date_is_the_plan_issued_event(world: World, imported: Plan) -> None:
    with at(dt.date(2026, 2, 5)):
        plan_services.update_plan(
            actor=world.coordinator,
            plan=imported,
            expected_version=imported.version,
            number="45/KH-UBND",
            issued_on=dt.date(2026, 2, 5),
        )
    half = fresh(imported, "3", "2026")
    assert (half.status, half.percent) == (Occurrence.Status.IN_PROGRESS, 50)
    event = CycleEvent.objects.get(kind=ev.PLAN_ISSUED)
    assert (event.year, event.label) == (2026, "Kế hoạch số 45/KH-UBND ngày 05/02/2026")


def test_task_page_in_english_says_one_activity_a_year(world: World, client_for: Any) -> None:
    """Walk: the English task page wrote «1 activities a year»."""
    with at(dt.date(2026, 6, 1)):
        plan = seed_plan(world)
        task = Task.objects.get(plan=plan, number="4")
        plan_services.set_task_binding(
            actor=world.coordinator,
            task=task,
            expected_version=task.version,
            event_kinds=[ev.COMMUNICATION_ACTIVITY],
            yearly_count=1,
        )
        client = client_for(world.coordinator)
        client.cookies["django_language"] = "en"
        with translation.override("vi"):  # the English request must not leave English active for later tests
            detail = client.get(f"/don-vi/thanh-mien/ke-hoach/nhiem-vu/{task.pk}/").content.decode()
        assert "1 activity a year" in detail and "1 activities" not in detail
