"""Pages of the village registers: review items, village reviews, household titles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import VillageReview, VillageReviewItem
from friendlygov.operations.params import int_or_none as _int
from friendlygov.operations.params import query_of as _q
from friendlygov.operations.params import year_of as _year
from friendlygov.operations.params import years_around as _years
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Body
from friendlygov.org.pages import commune_page as _unit_page

from .common import _attempt, _common, _form_page, _xlsx


@login_required
def villages(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    query = _q(request)
    title = request.GET.get("danh_hieu", "")
    rows = selectors.village_list(unit, selectors.VillageFilter(year=year, query=query, title=title))
    return render(
        request,
        "operations/villages.html",
        _common(
            request,
            unit,
            tab="villages",
            year=year,
            years=_years(unit, year),
            rows=rows,
            query=query,
            title_filter=title,
            titles=VillageReview.Title.choices,
            items=selectors.review_items(unit, year, include_inactive=True),
            figures=selectors.village_figures(unit=unit, year=year),
            my_villages=[b for b in perms.duty_bodies_for(request.user, unit) if b.is_village],
        ),
    )


@login_required
def villages_export(request: HttpRequest, slug: str) -> HttpResponse:
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
def review_item_edit(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    access.require(request.user, Capability.COORDINATE, unit)
    item = (
        access.get_object_for(
            request.user, VillageReviewItem.objects.filter(unit=unit), Capability.COORDINATE, pk=pk
        )
        if pk
        else None
    )
    year = item.year if item else _year(request)
    initial = f.ReviewItemForm.initial_for(item) if item else {"is_active": True}
    form = f.ReviewItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: (
                services.update_review_item(
                    actor=request.user,
                    item=item,
                    expected_version=d["version"],
                    text=d["text"],
                    criterion_code=d["criterion_code"],
                    position=d["position"] or 0,
                    is_active=d["is_active"],
                )
                if item
                else services.add_review_item(
                    actor=request.user,
                    unit=unit,
                    year=year,
                    text=d["text"],
                    criterion_code=d["criterion_code"],
                    position=d["position"],
                )
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu nội dung bình xét."))
            return redirect(reverse("operations:villages", args=[unit.slug]) + f"?nam={year}")
    title = (
        _("Sửa nội dung bình xét năm %(y)s") % {"y": year}
        if item
        else _("Thêm nội dung bình xét năm %(y)s") % {"y": year}
    )
    return _form_page(
        request,
        unit,
        form,
        title,
        reverse("operations:villages", args=[unit.slug]) + f"?nam={year}",
        intro=_(
            "Nội dung “Chính quyền thân thiện” lồng ghép vào bình xét danh hiệu “Thôn văn hóa”; trưởng thôn ghi kết quả từng nội dung."
        ),
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


def _household_filter(request: HttpRequest) -> selectors.HouseholdFilter:
    flag = request.GET.get("gdvh", "")
    return selectors.HouseholdFilter(
        year=_year(request),
        village_id=_int(request.GET.get("thon")),
        cultural={"co": True, "khong": False}.get(flag),
        query=_q(request),
    )


@login_required
def households(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    filters = _household_filter(request)
    items = selectors.households(unit, filters)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "operations/households.html",
        _common(
            request,
            unit,
            tab="villages",
            page=page,
            total=len(items),
            cultural=sum(1 for h in items if h.is_cultural),
            f=filters,
            flag=request.GET.get("gdvh", ""),
            year=filters.year,
            years=_years(unit, filters.year or 0),
            villages=selectors.village_bodies(unit),
            may_import=any(b.is_village for b in perms.duty_bodies_for(request.user, unit)),
        ),
    )


@login_required
def households_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    filters = _household_filter(request)
    rows = selectors.household_rows(selectors.households(unit, filters))
    return _xlsx(
        f"gia-dinh-van-hoa-{unit.slug}-{filters.year}.xlsx",
        "Gia đình văn hóa",
        selectors.HOUSEHOLD_HEADER,
        rows,
        f"Danh hiệu “Gia đình văn hóa” năm {filters.year} — {unit.full_name}",
    )


@login_required
def households_import(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(
        request.user, unit, any(b.is_village for b in perms.duty_bodies_for(request.user, unit))
    )
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
