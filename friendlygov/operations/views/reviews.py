"""Pages of the programme reviews (midterm, final)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from friendlygov.operations import forms as f
from friendlygov.operations import selectors, services
from friendlygov.operations.models import ProgrammeReview, ReviewSection
from friendlygov.operations.params import int_or_none as _int
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.org.models import Unit
from friendlygov.org.pages import commune_page as _unit_page

from .common import _attempt, _common, _form_page, _xlsx


@login_required
def review_open(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    access.require(request.user, Capability.COORDINATE, unit)
    form = f.OpenReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        review = _attempt(
            form,
            lambda: services.open_review(
                actor=request.user, unit=unit, kind=d["kind"], year=d["year"], title=d["title"]
            ),
        )
        if review is not None:
            messages.success(request, _("Đã mở đợt %(t)s.") % {"t": review.title})
            return redirect("operations:review_detail", slug=unit.slug, pk=review.pk)
    return _form_page(
        request,
        unit,
        form,
        _("Mở đợt sơ kết, tổng kết"),
        reverse("operations:reviews", args=[unit.slug]),
        intro=_(
            "Sơ kết năm 2027, tổng kết năm 2030: hệ thống tổng hợp số liệu từng năm; đầu mối viết đánh giá, đề xuất theo từng mục."
        ),
    )


def _review(request: HttpRequest, unit: Unit, pk: int) -> ProgrammeReview:
    return access.get_object_for(
        request.user, ProgrammeReview.objects.filter(unit=unit).select_related("unit"), pk=pk
    )


@login_required
def review_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    review = _review(request, unit, pk)
    return render(
        request,
        "operations/review_detail.html",
        _common(
            request,
            unit,
            tab="reviews",
            review=review,
            data=selectors.review_data(review=review),
            add_form=f.AddSectionForm(),
            sections=review.sections.select_related("updated_by"),
        ),
    )


@login_required
def review_export(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    review = _review(request, unit, pk)
    data = selectors.review_data(review=review)
    header = ["Chỉ tiêu", *[str(y["year"]) for y in data["years"]]]

    def fig(y: dict[str, Any], key: str) -> Any:
        value = y.get(key)
        return value["percent"] if value else selectors.NO_DATA

    def level(y: dict[str, Any], key: str) -> Any:
        return (y["assessment"] or {}).get(key) or selectors.NO_DATA

    lines: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
        ("Mức độ phấn đấu", lambda y: y["target_level"] or selectors.NO_DATA),
        ("Tổng điểm tự đánh giá", lambda y: level(y, "self_total")),
        ("Mức độ được công nhận", lambda y: level(y, "recognised_level")),
        ("Tiến độ nhiệm vụ kế hoạch (%)", lambda y: fig(y, "task_completion")),
        ("Chỉ số SIPAS (%)", lambda y: fig(y, "sipas")),
        (
            "Phản ánh, kiến nghị tiếp nhận",
            lambda y: y["feedback"]["received"] if y["feedback"] else selectors.NO_DATA,
        ),
        ("Hoạt động tuyên truyền", lambda y: y["communication"]["count"]),
        ("Lượt người được tuyên truyền", lambda y: y["communication"]["reach"]),
        ("Thôn đạt danh hiệu “Thôn văn hóa”", lambda y: y["villages"]["achieved"]),
        ("Kinh phí được duyệt (đồng)", lambda y: y["budget"]["approved"]),
        ("Kinh phí đã chi (đồng)", lambda y: y["budget"]["spent"]),
        ("Cá nhân, tập thể được khen thưởng", lambda y: y["rewards"]["awarded"]),
    ]
    rows = [[label, *[getter(y) for y in data["years"]]] for label, getter in lines]
    return _xlsx(
        f"so-ket-tong-ket-{unit.slug}-{review.year}.xlsx",
        "Số liệu",
        header,
        rows,
        f"{review.title} — {unit.full_name}",
        numbered=False,  # a table of indicators by year, not a list
    )


@login_required
def section_edit(request: AuthenticatedRequest, slug: str, pk: int, section_id: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    review = _review(request, unit, pk)
    access.require(request.user, Capability.COORDINATE, unit)
    section = ReviewSection.objects.filter(review=review, pk=section_id).first()
    if section is None:
        raise Http404
    form = f.SectionForm(
        request.POST or None,
        initial={"title": section.title, "text": section.text, "version": section.version},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: services.update_review_section(
                actor=request.user,
                section=section,
                text=d["text"],
                title=d["title"],
                expected_version=d["version"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu mục «%(t)s».") % {"t": saved.title})
            return redirect(
                reverse("operations:review_detail", args=[unit.slug, review.pk]) + f"#muc-{saved.key}"
            )
    return _form_page(
        request,
        unit,
        form,
        f"{review.title} — {section.title}",
        reverse("operations:review_detail", args=[unit.slug, review.pk]),
    )


@login_required
@require_POST
def section_add(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    review = _review(request, unit, pk)
    form = f.AddSectionForm(request.POST)
    if form.is_valid():
        try:
            section = services.add_review_section(
                actor=request.user, review=review, title=form.cleaned_data["title"]
            )
            return redirect("operations:section_edit", slug=unit.slug, pk=review.pk, section_id=section.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        access.require(request.user, Capability.COORDINATE, unit)
        messages.error(request, _("Chưa nhập tiêu đề mục mới."))
    return redirect("operations:review_detail", slug=unit.slug, pk=review.pk)


@login_required
@require_POST
def review_complete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the review is complete; its figures are fixed."""
    unit = _unit_page(request, slug)
    review = _review(request, unit, pk)
    try:
        services.complete_review(
            actor=request.user, review=review, expected_version=_int(request.POST.get("version"))
        )
        messages.success(request, _("Đã hoàn thành; số liệu được chốt."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("operations:review_detail", slug=unit.slug, pk=review.pk)


@login_required
@require_POST
def review_reopen(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """POST: a completed review opened again to be edited."""
    unit = _unit_page(request, slug)
    review = _review(request, unit, pk)
    try:
        services.reopen_review(
            actor=request.user, review=review, expected_version=_int(request.POST.get("version"))
        )
        messages.success(request, _("Đã mở lại để sửa."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("operations:review_detail", slug=unit.slug, pk=review.pk)
