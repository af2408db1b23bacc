"""Pages of the village registers: review items, village reviews, household titles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import VillageReview
from friendlygov.operations.params import year_of as _year
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Body
from friendlygov.org.pages import commune_page as _unit_page

from .common import _attempt, _common, _xlsx


@login_required
def villages_export(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    rows_data = selectors.village_rows(unit, year)
    items = selectors.review_items(unit, year)
    header = [
        "Thôn",
        "Kết quả danh hiệu",
        "Ngày bình xét",
        *[i.text for i in items],
        "Số nội dung đạt",
        "Số hộ",
        "Số hộ trong danh sách",
        "Số hộ gia đình văn hóa",
    ]
    rows = []
    for r in rows_data:
        cells = ["—" if c is None or c.met is None else ("Đạt" if c.met else "Chưa đạt") for c in r.cells]
        rows.append(
            [
                r.village.name,
                r.title_label,
                r.review.reviewed_on if r.review else None,
                *cells,
                r.met_count,
                r.review.households_total if r.review else None,
                r.households_listed,
                r.households_cultural,
            ]
        )
    return _xlsx(
        f"thon-van-hoa-{unit.slug}-{year}.xlsx",
        "Bình xét thôn",
        header,
        rows,
        f"Bình xét danh hiệu “Thôn văn hóa” năm {year} — {unit.full_name}",
    )


@login_required
def village_review(request: AuthenticatedRequest, slug: str, village_id: int, year: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    village = access.get_object_for(request.user, Body.objects.filter(unit=unit), pk=village_id)
    if not village.is_village or not 2000 <= year <= 2100:
        raise Http404
    review = VillageReview.objects.filter(village=village, year=year).prefetch_related("results").first()
    items = selectors.review_items(unit, year)
    may_edit = access.can(request.user, Capability.WORK, unit, body=village)
    form = f.VillageReviewForm(
        request.POST or None,
        request.FILES or None,
        items=items,
        initial=f.VillageReviewForm.initial_for(review),
    )
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            saved = _attempt(
                form,
                lambda: services.record_village_review(
                    actor=request.user,
                    unit=unit,
                    village=village,
                    year=year,
                    results=form.results(),
                    title_result=d["title_result"],
                    households_total=d["households_total"],
                    reviewed_on=d["reviewed_on"],
                    note=d["note"],
                    minutes=d["minutes"],
                    expected_version=d["version"],
                ),
            )
            if saved is not None:
                messages.success(request, _("Đã lưu kết quả bình xét của %(v)s.") % {"v": village.name})
                return redirect(reverse("operations:villages", args=[unit.slug]) + f"?nam={year}")
    return render(
        request,
        "operations/village_review.html",
        _common(
            request,
            unit,
            tab="villages",
            village=village,
            year=year,
            review=review,
            form=form,
            may_edit=may_edit,
            items=items,
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def households_import(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_import_households(request.user, unit))
    form = f.ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_household_titles(
                actor=request.user, unit=unit, data=upload.read(), filename=upload.name
            )
            messages.success(
                request,
                _("Đã nhập: %(c)d hộ mới, %(u)d hộ cập nhật.") % {"c": result.created, "u": result.updated},
            )
            return redirect("operations:households", slug=unit.slug)
        except ValidationError as exc:
            errors = exc.messages
    return render(
        request,
        "operations/import.html",
        _common(
            request,
            unit,
            tab="villages",
            form=form,
            errors=errors,
            columns=services.HOUSEHOLD_COLUMNS,
        ),
        status=400 if request.method == "POST" else 200,
    )
