"""The programme reviews (midterm 2027, final 2030): their list and export. A review is opened by its own
page and written section by section on its detail page (views.reviews)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors
from friendlygov.operations.models import ProgrammeReview
from friendlygov.operations.params import query_of

from .base import Column, Export, Listing, Register


def review_filter(request: HttpRequest) -> selectors.ReviewFilter:
    return selectors.ReviewFilter(
        kind=request.GET.get("loai", ""), status=request.GET.get("trang_thai", ""), query=query_of(request)
    )


REVIEW_COLUMNS: tuple[Column[ProgrammeReview], ...] = (
    Column("Loại", lambda r: r.get_kind_display()),
    Column("Tiêu đề", lambda r: r.title),
    Column("Từ năm", lambda r: r.from_year),
    Column("Đến năm", lambda r: r.year),
    Column("Trạng thái", lambda r: r.get_status_display()),
    Column("Số mục đã viết", lambda r: sum(1 for s in r.sections.all() if s.text.strip())),
    Column("Số mục", lambda r: r.sections.count()),
)


REVIEWS: Register[selectors.ReviewFilter] = Register(
    key="reviews",
    title=gettext_lazy("Sơ kết, tổng kết"),
    model=ProgrammeReview,
    filters=review_filter,
    permission=perms.may_coordinate,
    listing=Listing(
        template="operations/reviews.html",
        tab="reviews",
        select=selectors.review_list,
        context=lambda p: {
            "this_year": selectors.today().year,
            "query": p.filters.query,
            "kind": p.filters.kind,
            "status": p.filters.status,
            "kinds": ProgrammeReview.Kind.choices,
            "statuses": ProgrammeReview.Status.choices,
        },
    ),
    export=Export(
        rows=selectors.review_list,
        columns=REVIEW_COLUMNS,
        filename=lambda unit, flt: f"so-ket-tong-ket-{unit.slug}.xlsx",
        sheet=lambda flt: "Sơ kết, tổng kết",
        title=lambda unit, flt: f"Sơ kết, tổng kết — {unit.full_name}",
    ),
)
