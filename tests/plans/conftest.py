"""Fixtures for the plans tests: the seed appendix, a plan 2026–2030 and the same plan with its tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from friendlygov.plans import services
from friendlygov.plans.models import Occurrence, Plan
from tests.factories import World

SEED_APPENDIX = (
    Path(__file__).resolve().parents[2] / "friendlygov" / "rules" / "data" / "thanh-mien-appendix.tsv"
).read_text(encoding="utf-8")


@pytest.fixture
def seed_text() -> str:
    return SEED_APPENDIX


@pytest.fixture
def plan(world: World) -> Plan:
    return services.create_plan(
        actor=world.coordinator,
        unit=world.unit,
        title="Triển khai thực hiện mô hình “Chính quyền thân thiện” giai đoạn 2026-2030",
        start_year=2026,
        end_year=2030,
        open_ended=True,
        targets=[
            {"year": 2026, "level_code": "3"},
            {"year": 2027, "level_code": "3", "note": "phấn đấu nâng mức"},
            {"year": 2030, "level_code": "4"},
        ],
        budget_sources=["Ngân sách nhà nước"],
    )


@pytest.fixture
def imported(world: World, plan: Plan) -> Plan:
    services.import_appendix(
        actor=world.coordinator, plan=plan, text=SEED_APPENDIX, expected_version=plan.version
    )
    return Plan.objects.get(pk=plan.pk)


def occ(plan: Plan, number: str, period: str) -> Occurrence:
    return Occurrence.objects.select_related("task__lead_body", "task__plan", "unit").get(
        task__plan=plan, task__number=number, period=period
    )


def pdf_upload(name: str = "bien-ban.pdf") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from friendlygov.plans.demo import minimal_pdf

    return SimpleUploadedFile(name, minimal_pdf("Bien ban"), content_type="application/pdf")
