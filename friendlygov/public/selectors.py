"""What the public pages show, gathered from the other areas' public selectors only.

Everything here is already public by nature: recognition decisions, figures the city published, the
unit's aggregated survey figures, the answers the unit chose to publish (without any citizen's contact),
published good practices, the service centre's office contacts and the commitments. Nothing internal:
no drafts, no self-scores of a year still open, no shortfalls, no obstacles, no personal data.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from friendlygov.documents import sources
from friendlygov.org.models import Body, Unit

# The commitments (QĐ 1847/QĐ-TTg, 27/12/2018, for "4 xin" and "4 luôn"; the "5 không" wording used by Đồng Nai and
# the 2019 national campaign — Hải Phòng's own wording is not confirmed).
FOUR_PLEASE = ["Xin chào", "Xin lỗi", "Xin cảm ơn", "Xin phép"]
FOUR_ALWAYS = ["Luôn mỉm cười", "Luôn nhẹ nhàng", "Luôn lắng nghe", "Luôn giúp đỡ"]
FIVE_NOS = [
    "Không hách dịch, cửa quyền",
    "Không thờ ơ, vô cảm, quan liêu",
    "Không tham nhũng, lãng phí, lợi ích nhóm",
    "Không nịnh bợ, chạy chọt, dối trá",
    "Không lợi dụng chức vụ, quyền hạn",
]


@dataclass(frozen=True)
class PublicLevel:
    year: int
    code: str
    name: str
    decision: str
    appraised_total: Decimal | None = None

    @property
    def stars(self) -> int:
        """Stars on the badge: the level's number when it is one (1–5), else none."""
        digits = "".join(ch for ch in self.code if ch.isdigit())
        return int(digits) if digits and 0 < int(digits) <= 5 else 0

    @property
    def star_points(self) -> list[str]:
        """SVG polygons of the badge's stars, centred in a 240-wide badge at y = 212."""
        return [_star(120 + (i - (self.stars - 1) / 2) * 30, 212, 12) for i in range(self.stars)]


def _star(cx: float, cy: float, radius: float) -> str:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.42
        angle = math.pi / 2 + i * math.pi / 5
        points.append(f"{cx + r * math.cos(angle):.1f},{cy - r * math.sin(angle):.1f}")
    return " ".join(points)


EMBLEM_STAR = _star(120, 52, 22)


@dataclass(frozen=True)
class PublishedFigure:
    year: int
    label: str
    value: Decimal
    decision: str
    published_on: dt.date | None


@dataclass(frozen=True)
class PublicLink:
    label: str
    url: str


@dataclass
class UnitPage:
    unit: Unit
    levels: list[PublicLevel]
    city_figures: list[PublishedFigure]
    survey: list[Any]
    answers: list[Any]
    practices: list[dict[str, Any]]
    centre: Body | None
    survey_links: list[PublicLink] = field(default_factory=list)
    feedback_url: str = ""
    answers_url: str = ""

    @property
    def latest(self) -> PublicLevel | None:
        return self.levels[-1] if self.levels else None


def public_unit(slug: str) -> Unit:
    """An active unit (a commune-level unit or a city); 404 otherwise."""
    unit = Unit.objects.select_related("parent").filter(slug=slug, is_active=True).first()
    if unit is None:
        raise Http404
    return unit


def recognised(unit: Unit) -> list[PublicLevel]:
    """The unit's recognised level per year, oldest first, with the appraised total the decision rests on."""
    levels = []
    for year, code, name, decision in sources.recognised_levels(unit):
        summary = sources.cycle_summary(unit, year)
        # the total the decision rests on, as every page and document states it (assessments.current_standing)
        recognised = summary is not None and summary.current_stage == "recognised"
        total = summary.current_total if summary is not None and recognised else None
        levels.append(PublicLevel(int(year), str(code), str(name), str(decision), total))
    return levels


def published_figures(unit: Unit) -> list[PublishedFigure]:
    """Figures the city published for the unit (reform index, the city's SIPAS), newest first."""
    return [
        PublishedFigure(r.year, str(r.get_kind_display()), Decimal(r.value), r.decision, r.published_on)
        for r in sources.unit_figures(unit)
    ]


def _url(name: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def unit_page(unit: Unit) -> UnitPage:
    links = []
    for link in sources.public_survey_links(unit, timezone.localdate()):
        url = _url("surveys:public_form", token=link.token)
        if url:
            links.append(PublicLink(link.label, url))
    return UnitPage(
        unit=unit,
        levels=recognised(unit),
        city_figures=published_figures(unit),
        survey=sources.public_survey_figures(unit),
        answers=sources.published_answers(unit, limit=10),
        practices=sources.good_practices(unit)[:10],
        centre=sources.service_centre(unit),
        survey_links=links,
        feedback_url=_url("feedback:public_submit", slug=unit.slug),
        answers_url=_url("feedback:public_published", slug=unit.slug),
    )


@dataclass(frozen=True)
class CityRow:
    unit: Unit
    latest: PublicLevel | None
    levels: list[PublicLevel]


def city_page(city: Unit) -> list[CityRow]:
    rows = []
    for unit in Unit.objects.filter(parent=city, is_active=True).order_by("name"):
        levels = [
            PublicLevel(int(year), str(code), str(name), str(decision))
            for year, code, name, decision in sources.recognised_levels(unit)
        ]
        rows.append(CityRow(unit, levels[-1] if levels else None, levels))
    return rows
