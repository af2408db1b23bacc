"""The village registers: the cultural review of villages (its items) and the household titles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import HouseholdTitle, VillageReview, VillageReviewItem
from friendlygov.operations.params import int_or_none, query_of, year_of, years_around
from friendlygov.org import access
from friendlygov.org.access import Capability
from friendlygov.org.models import Unit

from .base import Column, Editor, EditPage, Export, Listing, ListPage, Register

# ------------------------------------------------------------------------------------------ villages


def village_filter(request: HttpRequest) -> selectors.VillageFilter:
    return selectors.VillageFilter(
        year=year_of(request), query=query_of(request), title=request.GET.get("danh_hieu", "")
    )


def _villages_context(p: ListPage[selectors.VillageFilter, selectors.VillageRow]) -> dict[str, Any]:
    year = p.filters.year
    return {
        "year": year,
        "years": years_around(p.unit, year),
        "query": p.filters.query,
        "title_filter": p.filters.title,
        "titles": VillageReview.Title.choices,
        "items": selectors.review_items(p.unit, year, include_inactive=True),
        "figures": selectors.village_figures(unit=p.unit, year=year),
        "my_villages": [b for b in perms.duty_bodies_for(p.request.user, p.unit) if b.is_village],
    }


def _villages_url(unit: Unit, year: int | None) -> str:
    return reverse("operations:villages", args=[unit.slug]) + f"?nam={year}"


def _fetch_item(request: HttpRequest, unit: Unit, pk: int) -> VillageReviewItem:
    return access.get_object_for(
        request.user, VillageReviewItem.objects.filter(unit=unit), Capability.COORDINATE, pk=pk
    )


def _add_item(p: EditPage[VillageReviewItem], form: f.ReviewItemForm) -> VillageReviewItem:
    assert p.year is not None  # the register has years
    d = form.cleaned_data
    return services.add_review_item(
        actor=p.request.user,
        unit=p.unit,
        year=p.year,
        text=d["text"],
        criterion_code=d["criterion_code"],
        position=d["position"],
    )


def _update_item(
    p: EditPage[VillageReviewItem], item: VillageReviewItem, form: f.ReviewItemForm
) -> VillageReviewItem:
    d = form.cleaned_data
    return services.update_review_item(
        actor=p.request.user,
        item=item,
        expected_version=d["version"],
        text=d["text"],
        criterion_code=d["criterion_code"],
        position=d["position"] or 0,
        is_active=d["is_active"],
    )


# the list is the grid of villages by review item; its export (one column per item of the year) is its own
# page (views.villages.villages_export), the edit page writes the review items
VILLAGES: Register[selectors.VillageFilter] = Register(
    key="villages",
    title=gettext_lazy("Thôn văn hóa"),
    model=VillageReviewItem,
    filters=village_filter,
    permission=perms.may_coordinate,
    listing=Listing(
        template="operations/villages.html",
        tab="villages",
        select=selectors.village_list,
        context=_villages_context,
        items_name="rows",
    ),
    editor=Editor(
        form=f.ReviewItemForm,
        fetch=_fetch_item,
        year=lambda item: item.year,
        form_kwargs=lambda p: {
            "initial": f.ReviewItemForm.initial_for(p.item) if p.item else {"is_active": True}
        },
        create=_add_item,
        update=_update_item,
        message=lambda p: _("Đã lưu nội dung bình xét."),
        title=lambda p: (
            _("Sửa nội dung bình xét năm %(y)s") % {"y": p.year}
            if p.item
            else _("Thêm nội dung bình xét năm %(y)s") % {"y": p.year}
        ),
        back=lambda p: _villages_url(p.unit, p.year),
        done=lambda p, saved: _villages_url(p.unit, p.year),
        page=lambda p: {
            "intro": _(
                "Nội dung “Chính quyền thân thiện” lồng ghép vào bình xét danh hiệu “Thôn văn hóa”; trưởng thôn ghi kết quả từng nội dung."
            )
        },
    ),
)


# ------------------------------------------------------------------------------------------ households


def household_filter(request: HttpRequest) -> selectors.HouseholdFilter:
    flag = request.GET.get("gdvh", "")
    return selectors.HouseholdFilter(
        year=year_of(request),
        village_id=int_or_none(request.GET.get("thon")),
        cultural={"co": True, "khong": False}.get(flag),
        query=query_of(request),
    )


def _households_context(p: ListPage[selectors.HouseholdFilter, HouseholdTitle]) -> dict[str, Any]:
    return {
        "cultural": sum(1 for h in p.items if h.is_cultural),
        "f": p.filters,
        "flag": p.request.GET.get("gdvh", ""),
        "year": p.filters.year,
        "years": years_around(p.unit, p.filters.year or 0),
        "villages": selectors.village_bodies(p.unit),
        "may_import": perms.may_import_households(p.request.user, p.unit),
    }


HOUSEHOLD_COLUMNS: tuple[Column[HouseholdTitle], ...] = (
    Column("Chủ hộ", lambda h: h.head_name),
    Column("Thôn", lambda h: h.village.name),
    Column("Gia đình văn hóa", lambda h: "có" if h.is_cultural else "không"),
    Column("Năm", lambda h: h.year),
    Column("Địa chỉ", lambda h: h.address),
    Column("Ghi chú", lambda h: h.note),
)


# written by the spreadsheet import (views.villages.households_import), not item by item
HOUSEHOLDS: Register[selectors.HouseholdFilter] = Register(
    key="households",
    title=gettext_lazy("Gia đình văn hóa"),
    model=HouseholdTitle,
    filters=household_filter,
    permission=perms.may_import_households,
    listing=Listing(
        template="operations/households.html",
        tab="villages",
        select=selectors.households,
        context=_households_context,
        per_page=50,
    ),
    export=Export(
        rows=selectors.households,
        columns=HOUSEHOLD_COLUMNS,
        filename=lambda unit, flt: f"gia-dinh-van-hoa-{unit.slug}-{flt.year}.xlsx",
        sheet=lambda flt: "Gia đình văn hóa",
        title=lambda unit, flt: f"Danh hiệu “Gia đình văn hóa” năm {flt.year} — {unit.full_name}",
    ),
)
