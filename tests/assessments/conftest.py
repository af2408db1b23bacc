"""Fixtures for the assessment tests: a tiny criteria set whose arithmetic is easy to follow, a cycle of
Thanh Miện on it, and helpers to score it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from friendlygov.assessments import services
from friendlygov.assessments.demo import tiny_pdf
from friendlygov.assessments.models import CriteriaSetVersion, Cycle, Registration
from tests.factories import World

YEAR = 2026

# scale 20 (10 + 10), bonus capped at 2; levels 12 / 15 / 18; K1 required.
TINY: dict[str, Any] = {
    "format": "friendlygov.criteria/1",
    "code": "T-1",
    "version": 1,
    "name": "Bộ tiêu chí thử nghiệm",
    "issued_by": "Sở Nội vụ",
    "scale": 20,
    "bonus_cap": 2,
    "status": "thử nghiệm",
    "source": "Dựng cho kiểm thử",
    "criteria": [
        {
            "code": "1",
            "name": "Nhóm một",
            "max_points": 10,
            "children": [
                {
                    "code": "1.1",
                    "name": "Điểm trực tiếp",
                    "max_points": 4,
                    "input": "points",
                    "evidence": "Báo cáo",
                },
                {"code": "1.2", "name": "Có niêm yết", "max_points": 3, "input": "boolean"},
                {
                    "code": "1.3",
                    "name": "Chỉ số CCHC",
                    "max_points": 3,
                    "input": "ratio",
                    "target": 0.9,
                    "source": "city.par_index",
                },
            ],
        },
        {
            "code": "2",
            "name": "Nhóm hai",
            "max_points": 10,
            "min_share": 0.5,
            "children": [
                {
                    "code": "2.1",
                    "name": "Danh mục",
                    "max_points": 6,
                    "input": "checklist",
                    "items": ["a", "b", "c", "d"],
                },
                {
                    "code": "2.2",
                    "name": "Hài lòng",
                    "max_points": 4,
                    "input": "ratio",
                    "source": "city.sipas",
                },
            ],
        },
        {"code": "B", "name": "Sáng kiến", "max_points": 2, "bonus": True},
    ],
    "conditions": [{"code": "K1", "name": "Không có lãnh đạo bị kỷ luật", "required": True}],
    "levels": [
        {"code": "1", "name": "Mức độ 1", "min_total": 12},
        {"code": "2", "name": "Mức độ 2", "min_total": 15},
        {"code": "3", "name": "Mức độ 3", "min_total": 18},
    ],
}

ASSIGN = {"1": "PVHCC", "2": "TN", "B": "VHXH", "K1": "VP"}


def pdf(name: str = "minh-chung.pdf", text: str = "Minh chung") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")


def fresh(cycle: Cycle) -> Cycle:
    return Cycle.objects.select_related("unit", "criteria_set").get(pk=cycle.pk)


@pytest.fixture
def tiny_set(world: World) -> CriteriaSetVersion:
    return services.add_criteria_set(actor=world.reviewer, city=world.city, data=TINY, origin="yaml")


@pytest.fixture
def cycle(world: World, tiny_set: CriteriaSetVersion) -> Cycle:
    return services.open_cycle(actor=world.reviewer, unit=world.unit, year=YEAR, criteria_set=tiny_set)


@pytest.fixture
def scoring(world: World, cycle: Cycle) -> Cycle:
    """Registered at level 3 (accepted) and assigned: 1 → PVHCC, 2 → TN, B → VHXH, K1 → VP."""
    services.register_target(actor=world.leader, cycle=cycle, target_level="3")
    services.decide_registration(
        actor=world.reviewer, registration=Registration.objects.get(cycle=cycle), accept=True
    )
    for code, body in ASSIGN.items():
        services.assign_criterion(
            actor=world.coordinator, cycle=cycle, criterion_code=code, body=world.bodies[body]
        )
    return fresh(cycle)


def figures(world: World, year: int = YEAR) -> None:
    services.save_city_figure(
        actor=world.reviewer,
        unit=world.unit,
        year=year,
        kind="par_index",
        value="85",
        decision="QĐ 1/QĐ-UBND",
    )
    services.save_city_figure(
        actor=world.reviewer, unit=world.unit, year=year, kind="sipas", value="90", decision="TB 2/TB-SNV"
    )


def score_everything(world: World, cycle: Cycle) -> Cycle:
    """Every typed-in value with evidence: 1.1 = 4, 1.2 = có, 2.1 = 3 ticks, B = 1, K1 = có."""
    member, village, coordinator = world.member, world.users["village"], world.coordinator
    services.save_score(actor=member, cycle=cycle, criterion_code="1.1", value="4")
    services.attach_evidence(
        actor=member,
        cycle=cycle,
        criterion_code="1.1",
        upload=pdf("bao-cao.pdf"),
        effective_date=dt.date(YEAR, 5, 1),
    )
    services.save_score(
        actor=member,
        cycle=cycle,
        criterion_code="1.2",
        value="có",
        explanation="Đã niêm yết đầy đủ tại Trung tâm.",
    )
    services.save_score(actor=village, cycle=cycle, criterion_code="2.1", value="", ticked=[0, 1, 2])
    services.attach_evidence(
        actor=village,
        cycle=cycle,
        criterion_code="2.1",
        upload=pdf("thon.pdf"),
        effective_date=dt.date(YEAR, 6, 1),
    )
    services.save_score(
        actor=coordinator, cycle=cycle, criterion_code="B", value="1", explanation="Mô hình mới."
    )
    services.save_score(
        actor=coordinator, cycle=cycle, criterion_code="K1", value="có", explanation="Không có kỷ luật."
    )
    return fresh(cycle)
