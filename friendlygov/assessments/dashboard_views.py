"""The city dashboard page (issue 19): parses the filters, reads :func:`dashboard.city_dashboard`, draws the
charts (:mod:`dashboard_charts`) and renders them with a table of the same numbers beside each."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from friendlygov.assessments import dashboard_charts as charts
from friendlygov.assessments.dashboard import UNIT_KINDS, Dashboard, city_dashboard
from friendlygov.assessments.models import Cycle
from friendlygov.db_router import use_replica
from friendlygov.kit.params import choice_param, year_param
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.org.models import Unit
from friendlygov.rules.text import format_vn_number

LEVEL_PARAM_MAX = 20  # a level code is at most 20 characters (Registration.target_level)


def dashboard_city(request: HttpRequest, slug: str) -> Unit:
    """The city of the URL when the user may read it (404 otherwise, also for a commune's users)."""
    city = access.get_unit_for(request.user, slug)
    if not city.is_city:
        raise Http404
    return city


def filters(request: HttpRequest) -> tuple[int, str | None, str | None]:
    """(year, kind, level) from ``?nam=&loai=&muc=``; malformed values count as absent."""
    year = year_param(request.GET.get("nam")) or timezone.localdate().year
    kind = choice_param(request.GET.get("loai"), UNIT_KINDS)
    level = request.GET.get("muc", "").strip()[:LEVEL_PARAM_MAX] or None
    return year, kind, level


def _pct(part: int, whole: int) -> str:
    return format_vn_number(part * 100 / whole, 1, trim_zeros=True) + "%" if whole else "—"


def _charts(board: Dashboard) -> dict[str, Any]:
    funnel = [charts.Bar(label, count) for _key, label, count in board.funnel]
    first = board.funnel[0][2] if board.funnel else 0
    series = (_("Đăng ký"), _("Đạt hiện nay"))
    ranked = [
        charts.Bar(
            line.unit.full_name, line.total, note=f"· {line.level_name}" if line.total is not None else ""
        )
        for line in board.ranked
    ]
    sipas = [
        charts.Interval(
            line.unit.full_name,
            line.sipas.index if line.sipas else None,
            line.sipas.low if line.sipas else None,
            line.sipas.high if line.sipas else None,
            note=_("chưa có phiếu"),
        )
        for line in board.by_sipas
    ]
    units = len(board.lines)
    late = [
        charts.Bar(_("Trễ hạn đăng ký"), len(board.late_registration)),
        charts.Bar(_("Trễ hạn nộp hồ sơ"), len(board.late_submission)),
    ]
    return {
        "funnel": mark_safe(  # noqa: S308 - the chart module escapes every text it writes
            charts.funnel(
                funnel,
                title=_("Đơn vị theo giai đoạn của kỳ đánh giá năm %(y)d") % {"y": board.year},
                desc=", ".join(f"{b.label}: {b.value}" for b in funnel),
            )
        ),
        "funnel_rows": [(label, count, _pct(count, first)) for _key, label, count in board.funnel],
        "levels": mark_safe(  # noqa: S308
            charts.paired_bars(
                [(c.name, c.registered, c.reached) for c in board.level_counts],
                series=series,
                title=_("Mức đạt được so với mức đăng ký"),
                desc="; ".join(
                    f"{c.name}: {series[0]} {c.registered}, {series[1]} {c.reached}"
                    for c in board.level_counts
                ),
            )
        ),
        "scores": mark_safe(  # noqa: S308
            charts.ranked_bars(
                ranked,
                maximum=board.maximum,
                title=_("Xếp hạng theo tổng điểm hiện nay"),
                desc=_("%(n)d đơn vị, điểm cao nhất trước; thang điểm tối đa %(m)s.")
                % {"n": units, "m": format_vn_number(board.maximum, 2, trim_zeros=True)},
            )
        ),
        "sipas": mark_safe(  # noqa: S308
            charts.intervals(
                sipas,
                title=_("Chỉ số hài lòng SIPAS năm %(y)d và khoảng tin cậy 95%%") % {"y": board.year},
                desc=_("%(n)d đơn vị có phiếu; chấm tròn là chỉ số, vạch ngang là khoảng tin cậy.")
                % {"n": sum(1 for line in board.lines if line.sipas)},
            )
        ),
        "late": mark_safe(  # noqa: S308
            charts.ranked_bars(
                late,
                maximum=Decimal(max(units, 1)),
                title=_("Đơn vị trễ hạn"),
                desc=", ".join(f"{b.label}: {b.value}" for b in late),
                places=0,
                width=560,
                bar_h=26,
            )
        ),
    }


@login_required
@use_replica()  # a city dashboard may read slightly stale data
def city_dashboard_page(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    city = dashboard_city(request, slug)
    request.current_unit = city  # type: ignore[attr-defined]
    year, kind, level = filters(request)
    board = city_dashboard(city, year, kind=kind, level=level)
    years = sorted(
        set(Cycle.objects.filter(unit__parent=city).values_list("year", flat=True))
        | {timezone.localdate().year},
        reverse=True,
    )
    kinds = {value: str(label) for value, label in Unit.Kind.choices if value in UNIT_KINDS}
    return render(
        request,
        "assessments/city_dashboard.html",
        {
            "city": city,
            "board": board,
            "years": years,
            "kinds": kinds,
            **_charts(board),
        },
    )
