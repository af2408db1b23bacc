"""The city dashboard as JSON (issue 19): the same figures as the page, from the same selector
(:func:`friendlygov.assessments.dashboard.city_dashboard`). Numbers are plain (dots, no grouping)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from friendlygov.assessments.dashboard import STAGES, UnitLine, city_dashboard
from friendlygov.assessments.dashboard_views import dashboard_city
from friendlygov.kit.params import Year

router = Router(tags=["Toàn cảnh các đơn vị của thành phố"])


class DashboardStageOut(Schema):
    stage: str = Field(description="units (tất cả), registered, scoring, submitted, appraised, recognised")
    label: str
    units: int = Field(description="Số đơn vị đã đến hoặc đã qua giai đoạn này.")


class DashboardLevelOut(Schema):
    code: str | None = Field(description="Mã mức; null: chưa đăng ký / chưa đạt mức nào.")
    name: str
    registered: int
    reached: int


class DashboardSipasOut(Schema):
    index: Decimal
    respondents: int
    low: Decimal | None = Field(description="Cận dưới khoảng tin cậy 95% (xấp xỉ).")
    high: Decimal | None


class DashboardUnitOut(Schema):
    slug: str
    name: str
    kind: str
    stage: str | None = Field(description="Giai đoạn đã đến (null: chưa đăng ký hoặc chưa mở kỳ).")
    status: str
    registered_level: str | None
    registered_level_name: str
    total: Decimal | None = Field(description="Tổng điểm của giai đoạn gần nhất.")
    level: str | None
    level_name: str
    registration_late: bool
    submission_late: bool
    sipas: DashboardSipasOut | None


class DashboardOut(Schema):
    city: str
    year: int
    kind: str | None
    level: str | None
    all_units: int
    maximum: Decimal = Field(description="Tổng điểm tối đa của các bộ tiêu chí trong năm.")
    funnel: list[DashboardStageOut]
    levels: list[DashboardLevelOut]
    units: list[DashboardUnitOut] = Field(
        description="Các đơn vị được chọn, xếp theo tổng điểm (cao nhất trước)."
    )


def _unit(line: UnitLine) -> DashboardUnitOut:
    sipas = line.sipas
    return DashboardUnitOut(
        slug=line.unit.slug,
        name=line.unit.full_name,
        kind=line.unit.kind,
        stage=STAGES[line.stage - 1] if line.stage else None,
        status=line.status_label,
        registered_level=line.registered_code,
        registered_level_name=line.registered_name,
        total=line.total,
        level=line.level_code,
        level_name=line.level_name,
        registration_late=line.registration_late,
        submission_late=line.submission_late,
        sipas=DashboardSipasOut(
            index=sipas.index, respondents=sipas.respondents, low=sipas.low, high=sipas.high
        )
        if sipas
        else None,
    )


@router.get("/cities/{slug}/dashboard", response=DashboardOut)
def city_dashboard_data(
    request: HttpRequest, slug: str, year: Year, kind: str | None = None, level: str | None = None
) -> DashboardOut:
    """The city's dashboard for a year; ``kind`` (commune, ward, special_zone) and ``level`` (a registered
    level's code) filter the units — unknown values are ignored, as on the page."""
    board = city_dashboard(dashboard_city(request, slug), year, kind=kind, level=level)
    return DashboardOut(
        city=board.city.slug,
        year=board.year,
        kind=board.kind,
        level=board.level,
        all_units=board.all_units,
        maximum=board.maximum,
        funnel=[DashboardStageOut(stage=key, label=label, units=count) for key, label, count in board.funnel],
        levels=[
            DashboardLevelOut(code=c.code, name=c.name, registered=c.registered, reached=c.reached)
            for c in board.level_counts
        ],
        units=[_unit(line) for line in board.ranked],
    )
