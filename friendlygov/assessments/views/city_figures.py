"""The city's figures page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

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


@login_required
def figures(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    city = _city(request, slug)
    can_manage = access.can(request.user, Capability.APPRAISE, city)
    year = year_param(request.GET.get("nam"))
    form = FigureForm(
        request.POST if request.POST.get("action") == "save" else None,
        city=city,
        initial={"year": year or timezone.localdate().year},
    )
    import_form = FileImportForm(
        request.POST if request.POST.get("action") == "import" else None,
        request.FILES if request.POST.get("action") == "import" else None,
    )
    errors: list[str] = []
    if request.method == "POST":
        access.require(request.user, Capability.APPRAISE, city)
        try:
            if request.POST.get("action") == "save" and form.is_valid():
                services.save_city_figure(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Đã lưu số liệu."))
                return redirect("assessments:figures", slug=city.slug)
            if request.POST.get("action") == "import" and import_form.is_valid():
                upload = import_form.cleaned_data["file"]
                result = services.import_city_figures(
                    actor=request.user, city=city, data=upload.read(), filename=upload.name
                )
                messages.success(
                    request,
                    _("Đã nhập: %(c)d mới, %(u)d cập nhật.") % {"c": result.created, "u": result.updated},
                )
                return redirect("assessments:figures", slug=city.slug)
        except ValidationError as exc:
            if request.POST.get("action") == "save":
                attach_errors(form, exc)
            else:
                errors = exc.messages
    if request.GET.get("xuat") == "mau":
        header = [c.title for c in services.FIGURE_COLUMNS]
        sample = [
            [u.slug, timezone.localdate().year, "PAR INDEX", "", "", ""]
            for u in Unit.objects.filter(parent=city, is_active=True)
        ]
        return _xlsx(write_xlsx([("Số liệu", header, sample)], numbered=False), f"so-lieu-{city.slug}.xlsx")
    return render(
        request,
        "assessments/figures.html",
        {
            "city": city,
            "figures": selectors.city_figures(city, year),
            "form": form,
            "import_form": import_form,
            "errors": errors,
            "can_manage": can_manage,
            "year": year,
            "columns": services.FIGURE_COLUMNS,
            "kinds": CityFigure.Kind.choices,
        },
    )
