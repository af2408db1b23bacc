"""Dossier API: import the export file (multipart) and read the 766 figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.files import UploadedFile
from ninja.params.functions import File

from friendlygov.dossiers import selectors, services
from friendlygov.kit.params import Year
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.rules.service_index import Rate

router = Router(tags=["Hồ sơ TTHC"])


class DossierImportOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    batch_id: int


class RateOut(Schema):
    numerator: int
    denominator: int
    percent: Decimal | None


class TargetRateOut(RateOut):
    target_percent: Decimal
    points: Decimal | None
    max_points: Decimal


class FiguresOut(Schema):
    unit: str
    year: int
    as_of: dt.datetime
    received: int
    on_time: RateOut
    online: TargetRateOut
    digitisation: TargetRateOut
    electronic_result: RateOut


class CountOut(Schema):
    count: int | None


def _rate(rate: Rate) -> dict[str, Any]:
    return {"numerator": rate.numerator, "denominator": rate.denominator, "percent": rate.percent(2)}


def _figures_out(slug: str, year: int, f: selectors.Figures) -> dict[str, Any]:
    return {
        "unit": slug,
        "year": year,
        "as_of": f.period.as_of,
        "received": f.received,
        "on_time": _rate(f.on_time),
        "online": {
            **_rate(f.online),
            "target_percent": f.online_target,
            "points": f.online_points,
            "max_points": f.online_max,
        },
        "digitisation": {
            **_rate(f.digitisation),
            "target_percent": f.digitisation_target,
            "points": f.digitisation_points,
            "max_points": f.digitisation_max,
        },
        "electronic_result": _rate(f.electronic),
    }


def _commune(request: HttpRequest, slug: str) -> Any:
    unit = access.get_unit_for(request.user, slug)
    if unit.is_city:
        raise Http404
    return unit


@router.post("/units/{slug}/import", response={200: DossierImportOut})
def import_file(request: AuthenticatedRequest, slug: str, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    """Nhập tệp xuất của hệ thống giải quyết TTHC (xlsx/csv). Lỗi: 422 với danh sách «Dòng N, cột «…»: …»."""
    unit = _commune(request, slug)
    result = services.import_dossiers(
        actor=request.user, unit=unit, data=file.read(), filename=file.name or "tep.csv"
    )
    return result.__dict__


@router.get("/units/{slug}/figures", response=FiguresOut)
def figures(request: HttpRequest, slug: str, year: Year) -> Any:
    unit = _commune(request, slug)
    return _figures_out(unit.slug, year, selectors.unit_figures(unit=unit, year=year))


@router.get("/units/{slug}/count", response=CountOut)
def count(request: HttpRequest, slug: str, start: dt.date, end: dt.date) -> Any:
    unit = _commune(request, slug)
    return {"count": selectors.dossier_count(unit=unit, start=start, end=end)}


@router.get("/cities/{slug}/comparison", response=list[FiguresOut])
def comparison(request: HttpRequest, slug: str, year: Year) -> Any:
    city = access.get_unit_for(request.user, slug)
    if not city.is_city:
        raise Http404
    access.require(request.user, Capability.APPRAISE, city)
    return [
        _figures_out(r.unit.slug, year, r.figures) for r in selectors.city_comparison(city=city, year=year)
    ]
