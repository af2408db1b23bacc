"""The city's figures page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from friendlygov.assessments import selectors, services
from friendlygov.assessments.forms import FigureForm, FileImportForm
from friendlygov.assessments.models import CityFigure
from friendlygov.kit.forms_util import attach_errors
from friendlygov.kit.params import year_param
from friendlygov.kit.tabular import write_xlsx
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Unit

from .common import _city, _xlsx


@dataclass
class _FiguresPage:
    """One request of the city's figures page: its entry and import forms (the posted one bound)."""

    city: Unit
    year: int | None
    form: FigureForm
    import_form: FileImportForm
    errors: list[str] = field(default_factory=list)


def _figures_page(request: AuthenticatedRequest, slug: str, posted: str | None = None) -> _FiguresPage:
    """The page's records; a post by someone who reads the city but does not appraise: 403."""
    city = _city(request, slug)
    if posted is not None:
        access.require(request.user, Capability.APPRAISE, city)
    year = year_param(request.GET.get("nam"))
    form = FigureForm(
        request.POST if posted == "save" else None,
        city=city,
        initial={"year": year or timezone.localdate().year},
    )
    import_form = FileImportForm(*((request.POST, request.FILES) if posted == "import" else (None, None)))
    return _FiguresPage(city, year, form, import_form)


def _render_figures(request: AuthenticatedRequest, page: _FiguresPage) -> HttpResponse:
    city = page.city
    return render(
        request,
        "assessments/figures.html",
        {
            "city": city,
            "figures": selectors.city_figures(city, page.year),
            "form": page.form,
            "import_form": page.import_form,
            "errors": page.errors,
            "can_manage": access.can(request.user, Capability.APPRAISE, city),
            "year": page.year,
            "columns": services.FIGURE_COLUMNS,
            "kinds": CityFigure.Kind.choices,
        },
    )


@login_required
@require_safe
def figures(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The city's published figures (?xuat=mau: the import template). Its entry form posts to
    ``figures_save``, its import form to ``figures_import``."""
    page = _figures_page(request, slug)
    if request.GET.get("xuat") == "mau":
        city = page.city
        header = [c.title for c in services.FIGURE_COLUMNS]
        sample = [
            [u.slug, timezone.localdate().year, "PAR INDEX", "", "", ""]
            for u in Unit.objects.filter(parent=city, is_active=True)
        ]
        return _xlsx(write_xlsx([("Số liệu", header, sample)], numbered=False), f"so-lieu-{city.slug}.xlsx")
    return _render_figures(request, page)


@login_required
@require_POST
def figures_save(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """POST: one unit's figure for a year, with the decision that published it."""
    page = _figures_page(request, slug, "save")
    if page.form.is_valid():
        try:
            services.save_city_figure(actor=request.user, **page.form.cleaned_data)
            messages.success(request, _("Đã lưu số liệu."))
            return redirect("assessments:figures", slug=page.city.slug)
        except ValidationError as exc:
            attach_errors(page.form, exc)
    return _render_figures(request, page)


@login_required
@require_POST
def figures_import(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """POST: figures read from a spreadsheet or CSV file."""
    page = _figures_page(request, slug, "import")
    if page.import_form.is_valid():
        upload = page.import_form.cleaned_data["file"]
        try:
            result = services.import_city_figures(
                actor=request.user, city=page.city, data=upload.read(), filename=upload.name
            )
            messages.success(
                request,
                _("Đã nhập: %(c)d mới, %(u)d cập nhật.") % {"c": result.created, "u": result.updated},
            )
            return redirect("assessments:figures", slug=page.city.slug)
        except ValidationError as exc:
            page.errors = exc.messages
    return _render_figures(request, page)
