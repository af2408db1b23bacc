"""Shared helpers for the operations tests: a few more people (Phòng Kinh tế, Văn phòng, Trung tâm Dịch vụ
sự nghiệp công), small files, and a frozen "today" (20/11/2026) so that dates are stable."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from friendlygov.operations import services
from friendlygov.operations.demo import tiny_png
from friendlygov.operations.models import BudgetSource, CommunicationActivity, CommunicationKind
from friendlygov.org.models import Role
from friendlygov.plans.demo import minimal_pdf
from tests.factories import World, make_user

TODAY = dt.date(2026, 11, 20)
PDF = minimal_pdf("Chung tu")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def people(world: World) -> dict[str, Any]:
    """Body members of KT, VP and DVSNC (added to the shared world)."""
    extra = {
        "economist": make_user("economist", Role.BODY_MEMBER, world.unit, world.bodies["KT"]),
        "office": make_user("office", Role.BODY_MEMBER, world.unit, world.bodies["VP"]),
        "publicist": make_user("publicist", Role.BODY_MEMBER, world.unit, world.bodies["DVSNC"]),
        "hb_head": make_user("hb_head", Role.BODY_MEMBER, world.unit, world.bodies["HB"]),
    }
    world.users.update(extra)
    return extra


def png(name: str = "anh.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(), content_type="image/png")


def pdf(name: str = "tep.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes) -> list[list[Any]]:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def activity(world: World, **overrides: Any) -> CommunicationActivity:
    fields: dict[str, Any] = {
        "actor": world.coordinator,
        "unit": world.unit,
        "kind": CommunicationKind.BRIEFING,
        "title": "Hội nghị quán triệt Kế hoạch “Chính quyền thân thiện”",
        "held_on": dt.date(2026, 3, 10),
        "place": "Hội trường UBND xã",
        "body": world.bodies["VHXH"],
        "audience": "Đảng viên, cán bộ, công chức",
        "reach": 120,
        "cost": 2_500_000,
    }
    fields.update(overrides)
    return services.record_activity(**fields)


def budget_line(world: World, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "actor": world.coordinator,
        "unit": world.unit,
        "year": 2026,
        "title": "Làm pano, khẩu hiệu",
        "source": BudgetSource.STATE_COMMUNE,
        "estimated": 20_000_000,
        "approved": 15_000_000,
    }
    fields.update(overrides)
    return services.add_budget_line(**fields)
