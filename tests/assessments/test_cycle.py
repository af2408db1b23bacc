"""The yearly cycle: opening (deadlines, one per unit and year, the city's set), registration of the
target level and the city's decision, assignments copied to next year (never the scores)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from friendlygov.assessments import services
from friendlygov.assessments.models import Assignment, CriteriaSetVersion, Cycle, Registration, ScoreEntry
from friendlygov.audit.models import AuditEvent
from friendlygov.notifications.models import Notification
from tests.assessments.conftest import YEAR, fresh
from tests.factories import World


def test_default_deadlines_and_one_cycle_per_year(world: World, tiny_set: CriteriaSetVersion) -> None:
    cycle = services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=tiny_set)
    assert (cycle.registration_deadline, cycle.submission_deadline, cycle.appraisal_deadline) == (
        dt.date(YEAR, 2, 15),
        dt.date(YEAR, 11, 12),
        dt.date(YEAR, 12, 31),
    )
    assert cycle.status == Cycle.Status.REGISTRATION
    with pytest.raises(ValidationError, match="đã có kỳ đánh giá"):
        services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=tiny_set)
    assert Notification.objects.filter(user=world.leader, title__contains=str(YEAR)).exists()


def test_city_sets_other_deadlines_in_order(world: World, tiny_set: CriteriaSetVersion) -> None:
    with pytest.raises(ValidationError) as info:
        services.open_cycle(
            actor=world.reviewer,
            unit=world.unit,
            year=YEAR,
            criteria_set=tiny_set,
            registration_deadline=dt.date(YEAR, 3, 1),
            submission_deadline=dt.date(YEAR, 2, 1),
        )
    assert "submission_deadline" in info.value.message_dict
    cycle = services.open_cycle(
        actor=world.reviewer,
        unit=world.unit,
        year=YEAR,
        criteria_set=tiny_set,
        registration_deadline=dt.date(YEAR, 3, 1),
    )
    updated = services.update_deadlines(
        actor=world.reviewer,
        cycle=cycle,
        registration_deadline=dt.date(YEAR, 3, 1),
        submission_deadline=dt.date(YEAR, 11, 30),
        appraisal_deadline=dt.date(YEAR + 1, 1, 15),
        expected_version=1,
    )
    assert updated.submission_deadline == dt.date(YEAR, 11, 30) and updated.version == 2
    with pytest.raises(PermissionDenied):
        services.update_deadlines(
            actor=world.leader,
            cycle=cycle,
            registration_deadline=dt.date(YEAR, 3, 1),
            submission_deadline=dt.date(YEAR, 11, 30),
            appraisal_deadline=dt.date(YEAR, 12, 31),
        )


def test_only_the_city_opens_cycles_on_its_own_library(world: World, tiny_set: CriteriaSetVersion) -> None:
    with pytest.raises(PermissionDenied):
        services.open_cycle(actor=world.leader, unit=world.unit, year=YEAR, criteria_set=tiny_set)
    with pytest.raises(Http404):
        services.open_cycle(actor=world.outsider, unit=world.unit, year=YEAR, criteria_set=tiny_set)
    opened = services.open_cycles(actor=world.reviewer, city=world.city, year=YEAR, criteria_set=tiny_set)
    assert {c.unit for c in opened} == {world.unit, world.other}
    assert services.open_cycles(actor=world.reviewer, city=world.city, year=YEAR, criteria_set=tiny_set) == []


def test_registration_accept_moves_to_self_scoring(world: World, cycle: Cycle) -> None:
    registration = services.register_target(
        actor=world.leader, cycle=cycle, target_level="3", note="Theo kế hoạch"
    )
    assert registration.status == Registration.Status.PENDING and registration.target_level_name == "Mức độ 3"
    assert Notification.objects.filter(user=world.reviewer).exists()
    services.decide_registration(actor=world.reviewer, registration=registration, accept=True)
    assert fresh(cycle).status == Cycle.Status.SELF_SCORING
    with pytest.raises(ValidationError, match="đã chấp nhận"):
        services.register_target(actor=world.leader, cycle=cycle, target_level="2")
    actions = list(
        AuditEvent.objects.filter(object_type="assessments.registration").values_list("action", flat=True)
    )
    assert actions == ["transition", "create"]


def test_changes_requested_needs_a_reason_then_reregistration(world: World, cycle: Cycle) -> None:
    registration = services.register_target(actor=world.leader, cycle=cycle, target_level="3")
    with pytest.raises(ValidationError) as info:
        services.decide_registration(actor=world.reviewer, registration=registration, accept=False)
    assert "reason" in info.value.message_dict
    services.decide_registration(
        actor=world.reviewer, registration=registration, accept=False, reason="Đăng ký mức 2"
    )
    assert fresh(cycle).status == Cycle.Status.REGISTRATION
    again = services.register_target(actor=world.leader, cycle=cycle, target_level="2", expected_version=2)
    assert again.status == Registration.Status.PENDING and again.target_level == "2" and again.version == 3
    with pytest.raises(ValidationError, match="người khác cập nhật"):
        services.register_target(actor=world.leader, cycle=cycle, target_level="1", expected_version=2)


def test_registration_rules(world: World, cycle: Cycle) -> None:
    with pytest.raises(ValidationError) as info:
        services.register_target(actor=world.leader, cycle=cycle, target_level="9")
    assert "Mức độ 3" in info.value.message_dict["target_level"][0]
    with pytest.raises(PermissionDenied):
        services.register_target(actor=world.coordinator, cycle=cycle, target_level="3")
    with pytest.raises(Http404):
        services.register_target(actor=world.outsider, cycle=cycle, target_level="3")
    registration = services.register_target(actor=world.leader, cycle=cycle, target_level="3")
    with pytest.raises(PermissionDenied):
        services.decide_registration(actor=world.leader, registration=registration, accept=True)


def test_next_year_copies_assignments_not_scores(
    world: World, scoring: Cycle, tiny_set: CriteriaSetVersion
) -> None:
    services.save_score(actor=world.member, cycle=scoring, criterion_code="1.1", value="3")
    nxt = services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR + 1, criteria_set=tiny_set)
    assert nxt.copied_from == scoring
    copied = dict(Assignment.objects.filter(cycle=nxt).values_list("criterion_code", "body__code"))
    assert copied == {"1": "PVHCC", "2": "TN", "B": "VHXH", "K1": "VP"}
    assert not ScoreEntry.objects.filter(cycle=nxt).exists()


def test_assignment_by_group_and_override(world: World, scoring: Cycle) -> None:
    from friendlygov.assessments.selectors import load_cycle_data

    data = load_cycle_data(scoring)
    assert data.body_for("1.3") == world.bodies["PVHCC"]
    services.assign_criterion(
        actor=world.coordinator, cycle=scoring, criterion_code="1.3", body=world.bodies["VP"]
    )
    assert load_cycle_data(scoring).body_for("1.3") == world.bodies["VP"]
    services.assign_criterion(actor=world.coordinator, cycle=scoring, criterion_code="1.3", body=None)
    assert load_cycle_data(scoring).body_for("1.3") == world.bodies["PVHCC"]
    with pytest.raises(ValidationError):
        services.assign_criterion(
            actor=world.coordinator, cycle=scoring, criterion_code="1.1", body=world.other_bodies["VP"]
        )
    with pytest.raises(ValidationError, match="không có tiêu chí"):
        services.assign_criterion(
            actor=world.coordinator, cycle=scoring, criterion_code="9.9", body=world.bodies["VP"]
        )
    with pytest.raises(PermissionDenied):
        services.assign_criterion(
            actor=world.member, cycle=scoring, criterion_code="1.1", body=world.bodies["VP"]
        )
