"""Dossier pages: a unit's 766 figures and import, the city's comparison for reviewers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from friendlygov.db_router import use_replica
from friendlygov.dossiers import selectors, services
from friendlygov.dossiers.forms import ImportForm, SettingsForm
from friendlygov.dossiers.permissions import Standing, dossier_permissions
from friendlygov.kit.downloads import XLSX_CONTENT_TYPE as XLSX
from friendlygov.kit.forms_util import attach_errors
from friendlygov.kit.tabular import write_csv, write_xlsx
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Unit
from friendlygov.org.pages import commune_page as _unit_page
from friendlygov.rules.service_index import INDICATOR_NAMES


def _year(request: HttpRequest, choices: list[int] | None = None) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("nam", this_year))
    except (TypeError, ValueError):
        year = this_year
    return year if 2000 <= year <= this_year + 1 else this_year


@login_required
def unit_figures(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    figures = selectors.unit_figures(unit=unit, year=year)
    return render(
        request,
        "dossiers/unit_figures.html",
        {
            "unit": unit,
            "year": year,
            "years": selectors.years_with_data(unit),
            "f": figures,
            "procedures": selectors.procedure_breakdown(unit=unit, p=figures.period),
            "late": selectors.late_dossiers(unit=unit, p=figures.period, limit=30),
            "imports": selectors.recent_imports(unit),
            "allowed": dossier_permissions(request.user, unit),
        },
    )


@login_required
def import_page(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    dossier_permissions(request.user, unit).require(Standing.IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_dossiers(
                actor=request.user, unit=unit, data=upload.read(), filename=upload.name
            )
            messages.success(
                request,
                ngettext(
                    "Đã nhập %(n)d hồ sơ: %(c)d mới, %(u)d cập nhật, %(s)d không đổi.",
                    "Đã nhập %(n)d hồ sơ: %(c)d mới, %(u)d cập nhật, %(s)d không đổi.",
                    result.rows,
                )
                % {
                    "n": result.rows,
                    "c": result.created,
                    "u": result.updated,
                    "s": result.unchanged,
                },
            )
            return redirect("dossiers:unit_figures", slug=unit.slug)
        except ValidationError as exc:
            errors = exc.messages
    return render(
        request,
        "dossiers/import.html",
        {
            "unit": unit,
            "form": form,
            "errors": errors[:200],
            "more_errors": max(len(errors) - 200, 0),
            "columns": services.COLUMNS,
        },
    )


@login_required
def template_csv(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    data = write_csv(
        [c.title for c in services.COLUMNS],
        [
            [
                "000.00.12.H26-260302-0001",
                "Đăng ký khai sinh",
                "02/03/2026 08:15",
                "04/03/2026 17:00",
                "03/03/2026 10:30",
                "0",
                "0",
                "Trực tuyến",
                "Có",
                "Có",
            ]
        ],
    )
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-ho-so-{unit.slug}.csv"'
    return response


@login_required
def settings_page(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    dossier_permissions(request.user, unit).require(Standing.CONFIGURE)
    current = selectors.settings_for(unit)
    form = SettingsForm(
        request.POST or None,
        initial={
            "version": current.version,
            "online_max_points": current.online_max_points,
            "digitisation_max_points": current.digitisation_max_points,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(
                actor=request.user,
                unit=unit,
                expected_version=form.cleaned_data["version"],
                online_max_points=form.cleaned_data["online_max_points"],
                digitisation_max_points=form.cleaned_data["digitisation_max_points"],
            )
            messages.success(request, _("Đã lưu cài đặt."))
            return redirect("dossiers:unit_figures", slug=unit.slug)
        except ValidationError as exc:
            attach_errors(form, exc)
    return render(request, "dossiers/settings.html", {"unit": unit, "form": form})


def _city(request: HttpRequest, slug: str) -> Unit:
    city = access.get_unit_for(request.user, slug)
    if not city.is_city:
        raise Http404
    access.require(request.user, Capability.APPRAISE, city)
    request.current_unit = city  # type: ignore[attr-defined]
    return city


@login_required
@use_replica()  # a city dashboard may read slightly stale data
def city_comparison(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    city = _city(request, slug)
    year = _year(request)
    this_year = timezone.localdate().year
    return render(
        request,
        "dossiers/city_comparison.html",
        {
            "city": city,
            "year": year,
            "years": list(range(this_year, this_year - 5, -1)),
            "rows": selectors.city_comparison(city=city, year=year),
        },
    )


@login_required
@use_replica()  # a city dashboard may read slightly stale data
def city_export(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    city = _city(request, slug)
    year = _year(request)
    header = [
        "Đơn vị",
        "Số hồ sơ tiếp nhận",
        f"{INDICATOR_NAMES['on_time']} (%)",
        f"{INDICATOR_NAMES['online']} (%)",
        "Điểm hồ sơ nộp trực tuyến",
        f"{INDICATOR_NAMES['digitisation']} (%)",
        "Điểm hồ sơ được số hóa",
        "Mã đơn vị",
    ]
    rows = [
        (
            r.unit.full_name,
            r.figures.received,
            r.figures.on_time.percent(2),
            r.figures.online.percent(2),
            r.figures.online_points,
            r.figures.digitisation.percent(2),
            r.figures.digitisation_points,
            r.unit.code,
        )
        for r in selectors.city_comparison(city=city, year=year)
    ]
    data = write_xlsx(
        [("Chỉ số 766", header, rows)], title=f"Chỉ số phục vụ (QĐ 766) năm {year} — {city.full_name}"
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="chi-so-766-{city.slug}-{year}.xlsx"'
    return response
