"""Self-scoring by the assigned bodies, evidence, joint proposals, the coordinator's settlement, the
results in three columns and the audit of every change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from friendlygov.assessments import selectors, services
from friendlygov.assessments.models import Cycle, JointProposal, ScoreEvidence
from friendlygov.evidence.services import store_evidence
from tests.assessments.conftest import YEAR, figures, fresh, pdf, score_everything
from tests.factories import World


def test_assigned_body_scores_its_criteria_only(world: World, scoring: Cycle) -> None:
    entry = services.save_score(actor=world.member, cycle=scoring, criterion_code="1.1", value="3,5")
    assert entry.value == "3,5" and entry.body == world.bodies["PVHCC"]
    with pytest.raises(PermissionDenied):
        services.save_score(actor=world.member, cycle=scoring, criterion_code="2.1", value="2")
    services.save_score(actor=world.users["village"], cycle=scoring, criterion_code="2.1", value="2")
    services.save_score(actor=world.coordinator, cycle=scoring, criterion_code="1.2", value="có")
    with pytest.raises(PermissionDenied):
        services.save_score(actor=world.users["front"], cycle=scoring, criterion_code="1.1", value="1")
    with pytest.raises(PermissionDenied):
        services.save_score(actor=world.leader, cycle=scoring, criterion_code="1.1", value="1")


def test_unassigned_criteria_are_scored_by_the_coordinator(world: World, cycle: Cycle) -> None:
    with pytest.raises(PermissionDenied):
        services.save_score(actor=world.member, cycle=cycle, criterion_code="1.1", value="1")
    assert (
        services.save_score(actor=world.coordinator, cycle=cycle, criterion_code="1.1", value="1").value
        == "1"
    )


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("1.1", "4,5", "vượt quá điểm tối đa 4"),
        ("1.1", "-1", "nhỏ hơn 0"),
        ("1.1", "bốn", "không đọc được"),
        ("1.2", "có lẽ", "không đọc được"),
        ("2.1", "5", "nhiều hơn số mục"),
        ("K1", "hmm", "không đọc được"),
    ],
)
def test_values_are_checked_never_clamped(
    world: World, scoring: Cycle, code: str, value: str, message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        services.save_score(actor=world.coordinator, cycle=scoring, criterion_code=code, value=value)
    text = info.value.message_dict["value"][0]
    assert f"Tiêu chí {code}" in text and message in text


def test_parents_and_sources_are_not_typed_in(world: World, scoring: Cycle) -> None:
    with pytest.raises(ValidationError, match="tiêu chí cha"):
        services.save_score(actor=world.coordinator, cycle=scoring, criterion_code="1", value="5")
    with pytest.raises(ValidationError, match="số liệu đo được"):
        services.save_score(actor=world.coordinator, cycle=scoring, criterion_code="1.3", value="90%")
    with pytest.raises(ValidationError, match="không có tiêu chí"):
        services.save_score(actor=world.coordinator, cycle=scoring, criterion_code="7", value="1")


def test_checklist_ticks_and_concurrent_edit(world: World, scoring: Cycle) -> None:
    village = world.users["village"]
    entry = services.save_score(actor=village, cycle=scoring, criterion_code="2.1", value="", ticked=[3, 0])
    assert (entry.value, entry.ticked, entry.version) == ("2", [0, 3], 1)
    with pytest.raises(ValidationError):
        services.save_score(actor=village, cycle=scoring, criterion_code="2.1", value="", ticked=[4])
    services.save_score(actor=village, cycle=scoring, criterion_code="2.1", value="3", expected_version=1)
    with pytest.raises(ValidationError, match="người khác cập nhật"):
        services.save_score(actor=village, cycle=scoring, criterion_code="2.1", value="1", expected_version=1)


def test_evidence_file_hash_date_and_reuse(world: World, scoring: Cycle) -> None:
    link = services.attach_evidence(
        actor=world.member,
        cycle=scoring,
        criterion_code="1.1",
        upload=pdf(),
        effective_date=dt.date(YEAR, 4, 2),
        title="Báo cáo quý",
    )
    evidence = link.evidence
    assert (
        evidence is not None and len(evidence.sha256) == 64 and evidence.effective_date == dt.date(YEAR, 4, 2)
    )
    assert evidence.body == world.bodies["PVHCC"]
    # one file proves several criteria
    again = services.attach_evidence(
        actor=world.member, cycle=scoring, criterion_code="1.2", evidence=evidence
    )
    assert again.evidence == evidence
    with pytest.raises(ValidationError, match="đã được gắn"):
        services.attach_evidence(actor=world.member, cycle=scoring, criterion_code="1.2", evidence=evidence)
    with pytest.raises(ValidationError) as info:
        services.attach_evidence(actor=world.member, cycle=scoring, criterion_code="1.1", upload=pdf())
    assert "effective_date" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.attach_evidence(actor=world.member, cycle=scoring, criterion_code="1.1")


def test_evidence_already_in_the_system_from_another_area(world: World, scoring: Cycle) -> None:
    plan_file = store_evidence(
        actor=world.coordinator,
        unit=world.unit,
        upload=pdf("ke-hoach.pdf"),
        effective_date=dt.date(YEAR, 1, 5),
    )
    link = services.attach_evidence(
        actor=world.member, cycle=scoring, criterion_code="1.1", evidence=plan_file
    )
    assert link.evidence == plan_file
    foreign = store_evidence(
        actor=world.outsider, unit=world.other, upload=pdf("gia-loc.pdf"), effective_date=dt.date(YEAR, 1, 5)
    )
    with pytest.raises(ValidationError, match="thuộc đơn vị"):
        services.attach_evidence(actor=world.member, cycle=scoring, criterion_code="1.1", evidence=foreign)


def test_detached_evidence_is_kept_in_history(world: World, scoring: Cycle) -> None:
    link = services.attach_evidence(
        actor=world.member, cycle=scoring, criterion_code="1.1", note="Biên bản giấy"
    )
    services.detach_evidence(actor=world.member, link=link)
    link.refresh_from_db()
    assert link.removed_at is not None and ScoreEvidence.objects.filter(pk=link.pk).exists()
    data = selectors.load_cycle_data(scoring)
    assert data.live_evidence("1.1") == []
    history = selectors.criterion_history(data, "1.1")
    assert [h.what for h in history].count("Minh chứng") == 2


def test_joint_proposals_are_kept_and_settled(world: World, scoring: Cycle) -> None:
    services.save_score(actor=world.member, cycle=scoring, criterion_code="1.1", value="4")
    front, party = world.users["front"], world.users["party"]
    with pytest.raises(ValidationError) as info:
        services.propose_score(actor=front, cycle=scoring, criterion_code="1.1", value="3", reason=" ")
    assert "reason" in info.value.message_dict
    first = services.propose_score(
        actor=front, cycle=scoring, criterion_code="1.1", value="3", reason="Thiếu một buổi"
    )
    second = services.propose_score(
        actor=party, cycle=scoring, criterion_code="1.1", value="2,5", reason="Chưa đủ"
    )
    assert (first.body.code, second.body.code) == ("MTTQ", "BXDD")
    with pytest.raises(PermissionDenied):
        services.propose_score(actor=world.member, cycle=scoring, criterion_code="1.1", value="3", reason="x")
    with pytest.raises(PermissionDenied):
        services.settle_score(actor=front, cycle=scoring, criterion_code="1.1", value="3", reason="x")
    with pytest.raises(ValidationError) as info:
        services.settle_score(actor=world.coordinator, cycle=scoring, criterion_code="1.1", value="3")
    assert "reason" in info.value.message_dict
    settled = services.settle_score(
        actor=world.coordinator, cycle=scoring, criterion_code="1.1", value="3", reason="Theo MTTQ"
    )
    services.settle_score(
        actor=world.coordinator,
        cycle=scoring,
        criterion_code="1.1",
        value="3,5",
        reason="Họp thống nhất",
        expected_version=settled.version,
    )
    assert JointProposal.objects.filter(cycle=scoring, criterion_code="1.1").count() == 2
    data = selectors.load_cycle_data(scoring)
    assert data.result("self").criterion("1.1").points == Decimal("4")  # type: ignore[union-attr]
    assert data.result("consolidated").criterion("1.1").points == Decimal("3.5")  # type: ignore[union-attr]


def test_results_in_three_columns_with_sources(world: World, scoring: Cycle) -> None:
    figures(world)
    cycle = score_everything(world, scoring)
    data = selectors.load_cycle_data(cycle)
    result = data.result("self")
    # 1: 4 + 3 + 3 × 0,85/0,9 = 9,83; 2: 6 × 3/4 + 4 × 0,9 = 8,1; bonus 1 → 18,93 → Mức độ 3
    assert result.total == Decimal("18.93")
    assert result.level is not None and result.level.code == "3"
    assert result.bonus == Decimal("1.00")
    assert data.result("consolidated").total == result.total == data.result("appraised").total
    assert "Chỉ số cải cách hành chính" in data.sources["1.3"].provenance


def test_condition_false_fails_the_set(world: World, scoring: Cycle) -> None:
    figures(world)
    cycle = score_everything(world, scoring)
    services.save_score(
        actor=world.coordinator, cycle=cycle, criterion_code="K1", value="không", explanation="Có kỷ luật"
    )
    result = selectors.load_cycle_data(fresh(cycle)).result("self")
    assert not result.achieved and result.level is None
    assert [g.code for g in result.failed_gates] == ["K1"]


def test_every_change_is_audited_with_old_and_new(world: World, scoring: Cycle) -> None:
    services.save_score(actor=world.member, cycle=scoring, criterion_code="1.1", value="4")
    services.save_score(actor=world.member, cycle=scoring, criterion_code="1.1", value="3,5")
    services.propose_score(
        actor=world.users["front"], cycle=scoring, criterion_code="1.1", value="3", reason="Thiếu"
    )
    services.settle_score(
        actor=world.coordinator, cycle=scoring, criterion_code="1.1", value="3", reason="Theo MTTQ"
    )
    history = selectors.criterion_history(selectors.load_cycle_data(scoring), "1.1")
    whats = [h.what for h in history]
    assert whats[-5:] == [
        "Tự chấm",
        "Tự chấm",
        "Đề xuất chấm phối hợp",
        "Đề xuất chấm phối hợp",  # settling to the proposed value accepts the proposal
        "Thống nhất điểm",
    ]
    assert ("trạng thái", "Chờ đầu mối xem xét", "Đã chấp nhận") in history[-2].changes
    update = history[-4]
    assert update.actor_name == world.member.get_full_name()
    assert ("giá trị", "4", "3,5") in update.changes
