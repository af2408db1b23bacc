"""Measured figures of the operations area (reads): the sources a criterion may name with ``source:``,
registered from :class:`~friendlygov.operations.apps.OperationsConfig` (definitions in
docs/spec/criteria-set-format.md, section "Nguồn số liệu friendlygov đo").

- ``villages.cultural_share`` — villages meeting every active review item of the year ÷ the unit's
  active villages (and residential groups);
- ``communication.panels`` — a checklist figure: which places (gate, campus, service centre) have a
  panel or slogan recorded in the year;
- ``communication.channels`` — a checklist figure: which channels (briefing, loudspeaker, website, social
  media, village culture) have an activity recorded in the year.

Each has a single selector ``(*, unit, year)`` and a batch one ``(*, units, year)`` that reads every unit
in a fixed number of queries; the single one is the batch one for one unit, so both say the same.
``None`` means "no data" (no record of the kind in the year).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from friendlygov.core import figures
from friendlygov.operations.models import (
    CommunicationActivity,
    CommunicationKind,
    VillageReviewItem,
    VillageReviewResult,
)
from friendlygov.org.models import Body, Unit
from friendlygov.rules.figures import MeasuredFigure

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")

# communication.panels: where a panel or slogan stands (item key → what it means)
PANEL_ITEMS: dict[str, str] = {
    "gate": "Tại cổng trụ sở Ủy ban nhân dân",
    "campus": "Trong khuôn viên trụ sở Ủy ban nhân dân",
    "service_centre": "Tại Trung tâm Phục vụ hành chính công",
}

# communication.channels: the channels of communication work (item key → what it means) and the kinds of
# activity that evidence each
CHANNEL_ITEMS: dict[str, str] = {
    "briefing": "Quán triệt đến đảng viên, cán bộ, công chức",
    "loudspeaker": "Đài truyền thanh",
    "website": "Trang thông tin điện tử",
    "social_media": "Mạng xã hội (Zalo, Facebook)",
    "village_culture": "Hoạt động văn hóa, văn nghệ, bảng tin văn hóa ở thôn",
}
CHANNEL_OF_KIND: dict[str, str] = {
    CommunicationKind.BRIEFING: "briefing",
    CommunicationKind.LOUDSPEAKER: "loudspeaker",
    CommunicationKind.WEBSITE: "website",
    CommunicationKind.ZALO: "social_media",
    CommunicationKind.FACEBOOK: "social_media",
    CommunicationKind.CULTURAL_EVENT: "village_culture",
    CommunicationKind.VILLAGE_BOARD: "village_culture",
}


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _as_of(year: int) -> dt.date:
    return min(timezone.localdate(), dt.date(year, 12, 31))


# ------------------------------------------------------------------------------------------- villages


def village_share_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    """``villages.cultural_share`` of many units: villages whose review of ``year`` meets every active item
    of that year ÷ the unit's active villages. None when the year has no active item or no village has a
    recorded result yet."""
    out: dict[int, MeasuredFigure | None] = {unit.pk: None for unit in units}
    if not units:
        return out
    villages: dict[int, set[int]] = defaultdict(set)
    for unit_id, body_id in Body.objects.filter(
        unit__in=units, is_active=True, kind__in=[Body.Kind.VILLAGE, Body.Kind.RESIDENTIAL_GROUP]
    ).values_list("unit_id", "pk"):
        villages[unit_id].add(body_id)
    items: dict[int, set[int]] = defaultdict(set)
    for unit_id, item_id in VillageReviewItem.objects.filter(
        unit__in=units, year=year, is_active=True
    ).values_list("unit_id", "pk"):
        items[unit_id].add(item_id)
    # Per (unit, village): the unit's items the village met, and whether any result is recorded — counted
    # in SQL (a review has one result per item), not 6,759 result rows read for a city.
    met: dict[tuple[int, int], int] = {}
    recorded: set[int] = set()  # units with at least one recorded result
    for unit_id, village_id, n_met, n_recorded in (
        VillageReviewResult.objects.filter(
            review__unit__in=units, review__year=year, item__year=year, item__is_active=True
        )
        .values_list("review__unit_id", "review__village_id")
        .annotate(
            n_met=Count("id", filter=Q(met=True, item__unit_id=F("review__unit_id"))),
            n_recorded=Count("id", filter=Q(met__isnull=False)),
        )
        .values_list("review__unit_id", "review__village_id", "n_met", "n_recorded")
        .order_by()
    ):
        met[(unit_id, village_id)] = n_met
        if n_recorded:
            recorded.add(unit_id)
    for unit in units:
        wanted, total = items[unit.pk], len(villages[unit.pk])
        if not wanted or not total or unit.pk not in recorded:
            continue
        meeting = sum(1 for village in villages[unit.pk] if met.get((unit.pk, village), 0) == len(wanted))
        out[unit.pk] = MeasuredFigure(
            percent=_percent(meeting, total),
            label=f"Thôn đạt mọi nội dung bình xét gắn với Chính quyền thân thiện năm {year}: "
            f"{meeting}/{total} thôn",
            numerator=meeting,
            denominator=total,
            as_of=_as_of(year),
            reference=figures.unit_address("operations:villages", unit.slug) + f"?nam={year}",
        )
    return out


def village_share_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    """``villages.cultural_share`` of one unit (see :func:`village_share_figures`)."""
    return village_share_figures(units=[unit], year=year)[unit.pk]


# -------------------------------------------------------------------------------------- communication


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def panel_place(place: str) -> str | None:
    """The panel item a recorded place stands for: the service centre ("Trung tâm", "một cửa", "hành chính
    công"), the gate ("cổng"), the campus ("khuôn viên", "trụ sở"); None when the place names none."""
    text = _folded(place)
    if "trung tâm" in text or "một cửa" in text or "hành chính công" in text:
        return "service_centre"
    if "cổng" in text:
        return "gate"
    if "khuôn viên" in text or "trụ sở" in text:
        return "campus"
    return None


def _year_activities(units: Sequence[Unit], year: int) -> list[tuple[int, str, str]]:
    """(unit id, kind, place) of the units' communication activities of ``year`` that a checklist source
    reads — read once for both sources when they are read together (``figures.one_reading``)."""
    kinds = [CommunicationKind.SLOGAN_PANEL, *CHANNEL_OF_KIND]
    return figures.shared(
        ("operations.year_activities", tuple(unit.pk for unit in units), year),
        lambda: list(
            CommunicationActivity.objects.filter(
                unit_id__in=[unit.pk for unit in units], held_on__year=year, kind__in=kinds
            ).values_list("unit_id", "kind", "place")
        ),
    )


def _checklist_figures(
    *,
    units: Sequence[Unit],
    year: int,
    kinds: Sequence[str],
    item_of: dict[str, str],
    what: str,
    unit_word: str,
    kind_filter: str,
) -> dict[int, MeasuredFigure | None]:
    out: dict[int, MeasuredFigure | None] = {unit.pk: None for unit in units}
    if not units:
        return out
    found: dict[int, set[str]] = defaultdict(set)
    counted: dict[int, int] = defaultdict(int)
    wanted = set(kinds)
    for unit_id, kind, place in _year_activities(units, year):
        if kind not in wanted:
            continue
        counted[unit_id] += 1
        key = panel_place(place) if kind == CommunicationKind.SLOGAN_PANEL else CHANNEL_OF_KIND.get(kind)
        if key is not None and key in item_of:
            found[unit_id].add(key)
    for unit in units:
        if not counted[unit.pk]:
            continue
        keys = found[unit.pk]
        names = ", ".join(item_of[k].lower() for k in item_of if k in keys) or "chưa có mục nào"
        url = figures.unit_address("operations:activities", unit.slug) + f"?nam={year}"
        out[unit.pk] = MeasuredFigure(
            percent=_percent(len(keys), len(item_of)),
            label=f"{what} năm {year}: {len(keys)}/{len(item_of)} {unit_word} có hoạt động ghi nhận "
            f"({counted[unit.pk]} hoạt động: {names})",
            numerator=len(keys),
            denominator=len(item_of),
            as_of=_as_of(year),
            reference=url + kind_filter,
            items=frozenset(keys),
        )
    return out


def panel_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    """``communication.panels`` of many units: the places (:data:`PANEL_ITEMS`) where a panel or slogan
    activity of ``year`` stands, read from the activity's place (:func:`panel_place`). None without any
    panel activity in the year."""
    return _checklist_figures(
        units=units,
        year=year,
        kinds=[CommunicationKind.SLOGAN_PANEL],
        item_of=dict(PANEL_ITEMS),
        what="Pano, khẩu hiệu tuyên truyền",
        unit_word="vị trí",
        kind_filter=f"&loai={CommunicationKind.SLOGAN_PANEL}",
    )


def panel_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    return panel_figures(units=[unit], year=year)[unit.pk]


def channel_figures(*, units: Sequence[Unit], year: int) -> dict[int, MeasuredFigure | None]:
    """``communication.channels`` of many units: the channels (:data:`CHANNEL_ITEMS`) with at least one
    activity of ``year`` of a kind that evidences them (:data:`CHANNEL_OF_KIND`). None without any such
    activity in the year."""
    return _checklist_figures(
        units=units,
        year=year,
        kinds=list(CHANNEL_OF_KIND),
        item_of=dict(CHANNEL_ITEMS),
        what="Thông tin, tuyên truyền",
        unit_word="kênh",
        kind_filter="",
    )


def channel_figure(*, unit: Unit, year: int) -> MeasuredFigure | None:
    return channel_figures(units=[unit], year=year)[unit.pk]
