"""Quality checks, submission and the lock, the city's appraisal (accept, adjust, return once),
recognition, and the public selectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from friendlygov.assessments import selectors, services
from friendlygov.assessments.models import CityFigure, Cycle, Registration, ScoreEntry
from friendlygov.evidence.services import store_evidence
from tests.assessments.conftest import YEAR, figures, fresh, pdf, score_everything
from tests.factories import World


def kinds(cycle: Cycle) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for issue in selectors.quality_checks(cycle):
        out.setdefault(issue.kind, set()).add(issue.code)
    return out


def test_quality_checks_name_each_problem(world: World, scoring: Cycle) -> None:
    found = kinds(scoring)
    assert found["unscored"] == {"1.1", "1.2", "2.1", "B", "K1"}
    assert found["no_source_data"] == {"1.3", "2.2"}
    assert "registration" not in found
    services.save_score(actor=world.member, cycle=scoring, criterion_code="1.1", value="4")
    services.attach_evidence(
        actor=world.member, cycle=scoring, criterion_code="1.2", note="Ảnh chụp (chưa tải lên)"
    )
    services.save_score(actor=world.member, cycle=scoring, criterion_code="1.2", value="có")
    old = store_evidence(
        actor=world.coordinator, unit=world.unit, upload=pdf(), effective_date=dt.date(YEAR - 1, 12, 1)
    )
    services.save_score(actor=world.users["village"], cycle=scoring, criterion_code="2.1", value="2")
    services.attach_evidence(actor=world.users["village"], cycle=scoring, criterion_code="2.1", evidence=old)
    found = kinds(scoring)
    assert found["no_proof"] == {"1.1"}
    assert found["evidence_without_file"] == {"1.2"}
    assert found["evidence_outside_year"] == {"2.1"}
    assert found["unscored"] == {"B", "K1"}
    messages = [i.message for i in selectors.quality_checks(scoring)]
    assert any("ngoài năm 2026" in m for m in messages)


def test_missing_file_on_storage_is_reported(world: World, scoring: Cycle) -> None:
    link = services.attach_evidence(
        actor=world.member,
        cycle=scoring,
        criterion_code="1.1",
        upload=pdf(),
        effective_date=dt.date(YEAR, 3, 1),
    )
    assert link.evidence is not None
    link.evidence.file.storage.delete(link.evidence.file.name)
    assert "1.1" in kinds(scoring)["evidence_without_file"]


def test_registration_is_checked_before_submission(world: World, cycle: Cycle) -> None:
    assert kinds(cycle)["registration"] == {""}
    with pytest.raises(ValidationError, match="chưa đăng ký"):
        services.submit_cycle(actor=world.leader, cycle=cycle, acknowledge_issues=True)
    registration = services.register_target(actor=world.leader, cycle=cycle, target_level="3")
    services.decide_registration(
        actor=world.reviewer, registration=registration, accept=False, reason="Xem lại"
    )
    with pytest.raises(ValidationError, match="điều chỉnh"):
        services.submit_cycle(actor=world.leader, cycle=cycle, acknowledge_issues=True)


def test_issues_must_be_acknowledged_and_only_the_leader_submits(world: World, scoring: Cycle) -> None:
    with pytest.raises(ValidationError) as info:
        services.submit_cycle(actor=world.leader, cycle=scoring)
    assert "acknowledge" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        services.submit_cycle(actor=world.coordinator, cycle=scoring, acknowledge_issues=True)
    submitted = services.submit_cycle(actor=world.leader, cycle=scoring, acknowledge_issues=True)
    assert submitted.status == Cycle.Status.SUBMITTED and submitted.submitted_by == world.leader


def test_clean_file_submits_without_acknowledgement_and_freezes_sources(world: World, scoring: Cycle) -> None:
    figures(world)
    cycle = score_everything(world, scoring)
    assert selectors.quality_checks(cycle) == []
    cycle = services.submit_cycle(actor=world.leader, cycle=cycle)
    frozen = ScoreEntry.objects.get(cycle=cycle, criterion_code="1.3")
    assert frozen.from_source and frozen.value == "85.00%" and "QĐ 1/QĐ-UBND" in frozen.source_label
    assert cycle.submitted_result["total"] == 18.93 and cycle.submitted_result["level"]["code"] == "3"
    # the city changes the figure later: the submitted file does not move
    CityFigure.objects.filter(unit=world.unit, kind="par_index").update(value=Decimal("50"))
    assert selectors.load_cycle_data(fresh(cycle)).result("self").total == Decimal("18.93")


def test_submitted_file_is_locked_for_every_change(world: World, scoring: Cycle) -> None:
    services.save_score(actor=world.member, cycle=scoring, criterion_code="1.1", value="4")
    link = services.attach_evidence(actor=world.member, cycle=scoring, criterion_code="1.1", note="Biên bản")
    cycle = services.submit_cycle(actor=world.leader, cycle=scoring, acknowledge_issues=True)
    attempts = [
        lambda: services.save_score(actor=world.member, cycle=cycle, criterion_code="1.1", value="1"),
        lambda: services.attach_evidence(actor=world.member, cycle=cycle, criterion_code="1.1", note="Thêm"),
        lambda: services.detach_evidence(actor=world.member, link=link),
        lambda: services.propose_score(
            actor=world.users["front"], cycle=cycle, criterion_code="1.1", value="1", reason="x"
        ),
        lambda: services.settle_score(
            actor=world.coordinator, cycle=cycle, criterion_code="1.1", value="1", reason="x"
        ),
        lambda: services.assign_criterion(
            actor=world.coordinator, cycle=cycle, criterion_code="1.1", body=world.bodies["VP"]
        ),
        lambda: services.register_target(actor=world.leader, cycle=cycle, target_level="1"),
        lambda: services.submit_cycle(actor=world.leader, cycle=cycle, acknowledge_issues=True),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="khóa"):
            attempt()
    assert ScoreEntry.objects.get(cycle=cycle, criterion_code="1.1").value == "4"


def test_appraisal_accept_adjust_and_finish(world: World, scoring: Cycle) -> None:
    figures(world)
    cycle = services.submit_cycle(actor=world.leader, cycle=score_everything(world, scoring))
    with pytest.raises(PermissionDenied):
        services.appraise_criterion(actor=world.leader, cycle=cycle, criterion_code="1.1", accept=True)
    services.appraise_criterion(actor=world.reviewer, cycle=cycle, criterion_code="1.2", accept=True)
    with pytest.raises(ValidationError) as info:
        services.appraise_criterion(
            actor=world.reviewer, cycle=cycle, criterion_code="1.1", accept=False, value="2"
        )
    assert "reason" in info.value.message_dict
    item = services.appraise_criterion(
        actor=world.reviewer,
        cycle=cycle,
        criterion_code="1.1",
        accept=False,
        value="2",
        reason="Báo cáo thiếu số liệu quý IV",
    )
    # a source criterion can be adjusted by the city too
    services.appraise_criterion(
        actor=world.reviewer,
        cycle=cycle,
        criterion_code="1.3",
        accept=False,
        value="80%",
        reason="Số liệu chính thức",
    )
    services.appraise_criterion(
        actor=world.reviewer,
        cycle=cycle,
        criterion_code="1.1",
        accept=False,
        value="2,5",
        reason="Bổ sung",
        expected_version=item.version,
    )
    data = selectors.load_cycle_data(fresh(cycle))
    assert data.result("self").total == Decimal("18.93")
    # 18,93 − 1,5 (1.1) − (2,83 − 2,67) (1.3) = 17,27 → Mức độ 2
    assert data.result("appraised").total == Decimal("17.27")
    cycle = services.finish_appraisal(actor=world.reviewer, cycle=cycle)
    assert cycle.status == Cycle.Status.APPRAISED and cycle.final_result["level"]["code"] == "2"
    with pytest.raises(ValidationError):
        services.appraise_criterion(actor=world.reviewer, cycle=cycle, criterion_code="1.1", accept=True)


def test_return_once_with_one_list(world: World, scoring: Cycle) -> None:
    cycle = services.submit_cycle(actor=world.leader, cycle=scoring, acknowledge_issues=True)
    with pytest.raises(ValidationError) as info:
        services.return_cycle(actor=world.reviewer, cycle=cycle, requests="  ")
    assert "requests" in info.value.message_dict
    cycle = services.return_cycle(
        actor=world.reviewer, cycle=cycle, requests="1. Bổ sung minh chứng 1.1\n2. Chấm điều kiện K1"
    )
    assert cycle.status == Cycle.Status.RETURNED and cycle.is_editable
    services.save_score(
        actor=world.coordinator, cycle=cycle, criterion_code="K1", value="có", explanation="Đã xác minh"
    )
    cycle = services.submit_cycle(actor=world.leader, cycle=cycle, acknowledge_issues=True)
    with pytest.raises(ValidationError, match="một lần"):
        services.return_cycle(actor=world.reviewer, cycle=cycle, requests="Lần hai")


def test_recognition_and_public_selectors(world: World, scoring: Cycle) -> None:
    figures(world)
    cycle = services.submit_cycle(actor=world.leader, cycle=score_everything(world, scoring))
    with pytest.raises(ValidationError, match="kết thúc thẩm định"):
        services.recognise(
            actor=world.reviewer,
            cycle=cycle,
            decision_number="1",
            decision_date=dt.date(YEAR, 12, 20),
            signer="A",
            level_code="3",
        )
    cycle = services.finish_appraisal(actor=world.reviewer, cycle=cycle)
    with pytest.raises(ValidationError, match="không có"):
        services.recognise(
            actor=world.reviewer,
            cycle=cycle,
            decision_number="1",
            decision_date=dt.date(YEAR, 12, 20),
            signer="A",
            level_code="9",
        )
    recognition = services.recognise(
        actor=world.reviewer,
        cycle=cycle,
        decision_number="3120/QĐ-UBND",
        decision_date=dt.date(YEAR, 12, 28),
        signer="Phó Chủ tịch UBND thành phố",
        level_code="3",
        upload=pdf("quyet-dinh.pdf"),
    )
    assert recognition.file_type == "application/pdf" and len(recognition.file_sha256) == 64
    assert fresh(cycle).status == Cycle.Status.RECOGNISED
    assert selectors.recognised_levels(unit=world.unit) == [
        (YEAR, "3", "Mức độ 3", "3120/QĐ-UBND ngày 28/12/2026")
    ]
    summary = selectors.cycle_summary(unit=world.unit, year=YEAR)
    assert summary is not None
    assert (summary.status, summary.target_level, summary.recognised_level) == ("recognised", "3", "3")
    # criteria are the leaf criteria; the condition is counted apart (criteria_counts)
    assert summary.appraised_total == Decimal("18.93") and (summary.scored, summary.scorable) == (6, 6)
    assert summary.counts is not None
    assert (summary.counts.conditions, summary.counts.conditions_answered) == (1, 1)
    assert selectors.cycle_summary(unit=world.unit, year=YEAR + 1) is None
    assert selectors.recognised_levels(unit=world.other) == []


def test_recognised_level_cannot_exceed_the_appraised_one(world: World, scoring: Cycle) -> None:
    figures(world)
    cycle = services.submit_cycle(actor=world.leader, cycle=score_everything(world, scoring))
    services.appraise_criterion(
        actor=world.reviewer, cycle=cycle, criterion_code="1.1", accept=False, value="1", reason="Thiếu"
    )
    cycle = services.finish_appraisal(actor=world.reviewer, cycle=cycle)
    assert cycle.final_result["level"]["code"] == "2"
    with pytest.raises(ValidationError, match="cao hơn"):
        services.recognise(
            actor=world.reviewer,
            cycle=cycle,
            decision_number="1",
            decision_date=dt.date(YEAR, 12, 20),
            signer="A",
            level_code="3",
        )
    assert (
        services.recognise(
            actor=world.reviewer,
            cycle=cycle,
            decision_number="1",
            decision_date=dt.date(YEAR, 12, 20),
            signer="A",
            level_code="2",
        ).level_name
        == "Mức độ 2"
    )


def test_pending_registration_is_a_quality_issue_but_not_a_block(world: World, cycle: Cycle) -> None:
    services.register_target(actor=world.leader, cycle=cycle, target_level="3")
    assert kinds(cycle)["registration"] == {""}
    submitted = services.submit_cycle(actor=world.leader, cycle=cycle, acknowledge_issues=True)
    assert submitted.status == Cycle.Status.SUBMITTED
    assert Registration.objects.get(cycle=cycle).status == Registration.Status.PENDING
