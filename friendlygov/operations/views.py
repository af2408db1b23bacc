"""Pages of the operations area: thin — parse input, call one service, render."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import TextChoices
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from friendlygov.kit.downloads import XLSX_CONTENT_TYPE as XLSX
from friendlygov.kit.forms_util import attach_errors
from friendlygov.kit.params import MAX_ID, int_param, year_param
from friendlygov.kit.tabular import write_xlsx
from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import (
    BudgetLine,
    BudgetSource,
    CommunicationActivity,
    CommunicationKind,
    Conference,
    CouncilMeeting,
    GoodPractice,
    Nomination,
    ProgrammeReview,
    ReviewSection,
    RewardForm,
    Shortfall,
    SignatureRequest,
    Spending,
    VillageReview,
    VillageReviewItem,
)
from friendlygov.org import access
from friendlygov.org.access import Capability
from friendlygov.org.models import Body, Unit
from friendlygov.org.pages import commune_page as _unit_page
from friendlygov.signatures import selectors as signature_selectors

# ---------------------------------------------------------------------------------------------- helpers


def _int(value: Any) -> int | None:
    """A non-negative integer of the query or the form (an id, a version); anything else is None."""
    return int_param(value, low=0, high=MAX_ID)


def _year(request: HttpRequest) -> int:
    year = _int(request.GET.get("nam"))
    return year if year is not None and 2000 <= year <= 2100 else selectors.today().year


def _years(unit: Unit, year: int) -> list[int]:
    now = selectors.today().year
    return sorted({*range(2026, now + 1), year, now}, reverse=True)


def _xlsx(
    filename: str,
    sheet: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    title: str,
    *,
    numbered: bool = True,
) -> HttpResponse:
    response = HttpResponse(
        write_xlsx([(sheet, header, rows)], title=title, numbered=numbered), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _attempt(form: Any, action: Callable[[], Any]) -> Any:
    """Run a service; on ValidationError attach the messages to the form (values kept) and return None."""
    try:
        return action()
    except ValidationError as exc:
        attach_errors(form, exc)
        return None


def _form_page(
    request: HttpRequest, unit: Unit, form: Any, title: str, back: str, **extra: Any
) -> HttpResponse:
    template = extra.pop("template", "operations/form.html")
    context = {"unit": unit, "form": form, "title": title, "back": back, **extra}
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _common(request: HttpRequest, unit: Unit, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "unit": unit,
        "may_coordinate": perms.may_coordinate(user, unit),
        "may_record": perms.may_record_any(user, unit),
        "may_budget": perms.may_manage_budget(user, unit),
        "may_organise": perms.may_organise(user, unit),
        "may_publicise": perms.may_publicise(user, unit),
        "may_sign": perms.may_sign(user, unit),
        "may_decide": perms.may_decide_rewards(user, unit),
        **extra,
    }


def _q(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:100]


def _choice(request: HttpRequest, name: str, choices: type[TextChoices]) -> str:
    """A list filter from the query string: its value when it is one of ``choices``, else "" (no filter)."""
    value = request.GET.get(name, "")
    return value if value in choices.values else ""


def _year_status_args(request: HttpRequest, statuses: type[TextChoices]) -> dict[str, Any]:
    """The year, status and search filters of a yearly list (shortfalls, conferences)."""
    return {"year": _year(request), "status": _choice(request, "trang_thai", statuses), "query": _q(request)}


# -------------------------------------------------------------------------------------------- overview


@login_required
def unit_overview(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    return render(
        request,
        "operations/overview.html",
        _common(
            request,
            unit,
            year=year,
            years=_years(unit, year),
            tab="overview",
            o=selectors.overview(unit, year),
        ),
    )


@login_required
def yearly_results(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    return render(
        request,
        "operations/yearly.html",
        _common(
            request,
            unit,
            year=year,
            years=_years(unit, year),
            tab="yearly",
            r=selectors.yearly_results(unit=unit, year=year),
        ),
    )


# ------------------------------------------------------------------------------------ communication


def _activity_filter(request: HttpRequest) -> selectors.ActivityFilter:
    g = request.GET
    quarter = _int(g.get("quy"))
    return selectors.ActivityFilter(
        year=_year(request),
        quarter=quarter if quarter in (1, 2, 3, 4) else None,
        kind=_choice(request, "loai", CommunicationKind),
        body_id=_int(g.get("co_quan")),
        criterion=g.get("tieu_chi", "").strip()[:30],
        task_id=_int(g.get("nhiem_vu")),
        query=_q(request),
    )


@login_required
def activities(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    filters = _activity_filter(request)
    items = selectors.activities(unit, filters)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "operations/activities.html",
        _common(
            request,
            unit,
            tab="communication",
            page=page,
            total=len(items),
            f=filters,
            year=filters.year,
            years=_years(unit, filters.year or 0),
            kinds=CommunicationKind.choices,
            bodies=Body.objects.filter(unit=unit, is_active=True),
            totals={"reach": sum(a.reach for a in items), "cost": sum(a.cost for a in items)},
            figures=selectors.communication_figures(unit=unit, year=filters.year or selectors.today().year),
        ),
    )


@login_required
def activities_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    filters = _activity_filter(request)
    rows = selectors.activity_rows(selectors.activities(unit, filters))
    return _xlsx(
        f"tuyen-truyen-{unit.slug}-{filters.year}.xlsx",
        "Tuyên truyền",
        selectors.ACTIVITY_HEADER,
        rows,
        f"Hoạt động tuyên truyền năm {filters.year} — {unit.full_name}",
    )


@login_required
def activity_criteria(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    return render(
        request,
        "operations/activity_criteria.html",
        _common(
            request,
            unit,
            tab="communication",
            year=year,
            years=_years(unit, year),
            rows=selectors.criteria_coverage(unit=unit, year=year),
            known=bool(selectors.criteria_info(unit=unit, year=year)),
        ),
    )


def _activity_form_page(
    request: HttpRequest, unit: Unit, form: Any, activity: CommunicationActivity | None
) -> HttpResponse:
    title = _("Sửa hoạt động tuyên truyền") if activity else _("Ghi hoạt động tuyên truyền")
    back = (
        reverse("operations:activity_detail", args=[unit.slug, activity.pk])
        if activity
        else reverse("operations:activities", args=[unit.slug])
    )
    return _form_page(request, unit, form, title, back, multipart=True, places=f.PLACES, activity=activity)


@login_required
def activity_create(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    bodies = perms.duty_bodies_for(request.user, unit)
    perms.require_that(request.user, unit, bool(bodies))
    form = f.ActivityForm(
        request.POST or None,
        request.FILES or None,
        unit=unit,
        bodies=bodies,
        tasks=selectors.task_choices(unit),
        initial={
            "held_on": selectors.today(),
            "reach": 0,
            "body": bodies[0].pk if len(bodies) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        activity = _attempt(
            form,
            lambda: services.record_activity(
                actor=request.user, unit=unit, uploads=form.cleaned_data["photos"], **form.service_fields()
            ),
        )
        if activity is not None:
            messages.success(request, _("Đã ghi hoạt động tuyên truyền."))
            return redirect("operations:activity_detail", slug=unit.slug, pk=activity.pk)
    return _activity_form_page(request, unit, form, None)


def _activity(request: HttpRequest, unit: Unit, pk: int) -> CommunicationActivity:
    return access.get_object_for(
        request.user,
        CommunicationActivity.objects.filter(unit=unit).select_related("body", "task", "unit", "created_by"),
        pk=pk,
    )


@login_required
def activity_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    activity = _activity(request, unit, pk)
    if request.method == "POST" and request.POST.get("remove_file"):
        try:
            services.remove_activity_file(
                actor=request.user, activity=activity, file_id=int(request.POST["remove_file"])
            )
            messages.success(request, _("Đã gỡ tệp."))
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("operations:activity_detail", slug=unit.slug, pk=activity.pk)
    info = (
        selectors.criteria_info(unit=unit, year=activity.held_on.year).get(activity.criterion_code)
        if activity.criterion_code
        else None
    )
    return render(
        request,
        "operations/activity_detail.html",
        _common(
            request,
            unit,
            tab="communication",
            a=activity,
            files=activity.files.select_related("evidence"),
            criterion=info,
            may_edit=perms.may_record_for(request.user, unit, activity.body),
            spendings=activity.spendings.select_related("line"),
        ),
    )


@login_required
def activity_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    activity = _activity(request, unit, pk)
    perms.require_that(request.user, unit, perms.may_record_for(request.user, unit, activity.body))
    bodies = perms.duty_bodies_for(request.user, unit)
    if activity.body not in bodies:
        bodies.append(activity.body)
    form = f.ActivityForm(
        request.POST or None,
        request.FILES or None,
        unit=unit,
        bodies=bodies,
        tasks=selectors.task_choices(unit),
        initial=f.ActivityForm.initial_for(activity),
    )
    if request.method == "POST" and form.is_valid():
        saved = _attempt(
            form,
            lambda: services.update_activity(
                actor=request.user,
                activity=activity,
                expected_version=form.cleaned_data["version"],
                uploads=form.cleaned_data["photos"],
                **form.service_fields(),
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("operations:activity_detail", slug=unit.slug, pk=activity.pk)
    return _activity_form_page(request, unit, form, activity)


# ------------------------------------------------------------------------------------------ villages


@login_required
def villages(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    query = _q(request)
    rows = selectors.village_rows(unit, year)
    if query:
        rows = [r for r in rows if selectors.matches(query, r.village.name, r.village.head_name)]
    title = request.GET.get("danh_hieu", "")
    if title in VillageReview.Title.values:
        rows = [r for r in rows if r.title_result == title]
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
def review_item_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
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
def village_review(request: HttpRequest, slug: str, village_id: int, year: int) -> HttpResponse:
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
def households_import(request: HttpRequest, slug: str) -> HttpResponse:
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


# -------------------------------------------------------------------------------------------- budget


@login_required
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    query = _q(request)
    source = request.GET.get("nguon", "")
    rows = selectors.budget_rows(unit, year)
    if source in BudgetSource.values:
        rows = [r for r in rows if r.line.source == source]
    if query:
        rows = [
            r
            for r in rows
            if selectors.matches(query, r.line.title, r.line.note, r.line.source_note, r.line.approval_ref)
        ]
    return render(
        request,
        "operations/budget.html",
        _common(
            request,
            unit,
            tab="budget",
            year=year,
            years=_years(unit, year),
            rows=rows,
            query=query,
            source=source,
            sources=BudgetSource.choices,
            figures=selectors.budget_figures(unit=unit, year=year),
            recent=selectors.spendings(unit, selectors.SpendingFilter(year=year))[:10],
        ),
    )


@login_required
def budget_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    return _xlsx(
        f"du-toan-{unit.slug}-{year}.xlsx",
        f"Dự toán {year}",
        selectors.ESTIMATE_HEADER,
        selectors.estimate_rows(unit, year),
        f"DỰ TOÁN KINH PHÍ THỰC HIỆN MÔ HÌNH “CHÍNH QUYỀN THÂN THIỆN” NĂM {year} — {unit.full_name.upper()}",
    )


@login_required
def budget_line_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_manage_budget(request.user, unit))
    line = access.get_object_for(request.user, BudgetLine.objects.filter(unit=unit), pk=pk) if pk else None
    year = line.year if line else _year(request)
    form = f.BudgetLineForm(
        request.POST or None,
        tasks=selectors.task_choices(unit),
        initial=f.BudgetLineForm.initial_for(line) if line else {},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: (
                services.update_budget_line(
                    actor=request.user,
                    line=line,
                    expected_version=d["version"],
                    position=d["position"] or 0,
                    **form.service_fields(),
                )
                if line
                else services.add_budget_line(
                    actor=request.user, unit=unit, year=year, position=d["position"], **form.service_fields()
                )
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu dòng dự toán."))
            return redirect(reverse("operations:budget", args=[unit.slug]) + f"?nam={year}")
    title = (
        _("Sửa dòng dự toán năm %(y)s") % {"y": year}
        if line
        else _("Thêm dòng dự toán năm %(y)s") % {"y": year}
    )
    return _form_page(
        request, unit, form, title, reverse("operations:budget", args=[unit.slug]) + f"?nam={year}"
    )


def _spending_filter(request: HttpRequest) -> selectors.SpendingFilter:
    return selectors.SpendingFilter(
        year=_year(request), line_id=_int(request.GET.get("dong")), query=_q(request)
    )


@login_required
def spendings(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    filters = _spending_filter(request)
    items = selectors.spendings(unit, filters)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "operations/spendings.html",
        _common(
            request,
            unit,
            tab="budget",
            page=page,
            total=len(items),
            amount=sum(s.amount for s in items),
            f=filters,
            year=filters.year,
            years=_years(unit, filters.year or 0),
            lines=BudgetLine.objects.filter(unit=unit, year=filters.year or 0),
        ),
    )


@login_required
def spendings_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    filters = _spending_filter(request)
    rows = selectors.spending_rows(selectors.spendings(unit, filters))
    return _xlsx(
        f"khoan-chi-{unit.slug}-{filters.year}.xlsx",
        "Khoản chi",
        selectors.SPENDING_HEADER,
        rows,
        f"Các khoản chi năm {filters.year} — {unit.full_name}",
    )


@login_required
def spending_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_manage_budget(request.user, unit))
    spending = (
        access.get_object_for(request.user, Spending.objects.filter(unit=unit).select_related("line"), pk=pk)
        if pk
        else None
    )
    year = spending.line.year if spending else _year(request)
    if spending:
        initial: dict[str, Any] = {
            k: getattr(spending, k) for k in ("spent_on", "amount", "description", "voucher", "version")
        }
        initial |= {"line": spending.line_id, "activity": spending.activity_id}
    else:
        initial = {
            "line": _int(request.GET.get("dong")),
            "spent_on": selectors.today() if selectors.today().year == year else None,
        }
    form = f.SpendingForm(request.POST or None, request.FILES or None, unit=unit, year=year, initial=initial)
    if spending:
        form.fields["line"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: (
                services.update_spending(
                    actor=request.user,
                    spending=spending,
                    expected_version=d["version"],
                    upload=d["upload"],
                    **form.service_fields(),
                )
                if spending
                else services.record_spending(
                    actor=request.user, line=d["line"], upload=d["upload"], **form.service_fields()
                )
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã ghi khoản chi."))
            return redirect(reverse("operations:budget", args=[unit.slug]) + f"?nam={year}")
    title = _("Sửa khoản chi") if spending else _("Ghi khoản chi năm %(y)s") % {"y": year}
    return _form_page(
        request,
        unit,
        form,
        title,
        reverse("operations:budget", args=[unit.slug]) + f"?nam={year}",
        multipart=True,
    )


# ------------------------------------------------------------------------------------------- rewards


def _nomination_filter(request: HttpRequest) -> selectors.NominationFilter:
    return selectors.NominationFilter(
        year=_year(request),
        status=_choice(request, "trang_thai", Nomination.Status),
        nominee_kind=_choice(request, "doi_tuong", Nomination.NomineeKind),
        body_id=_int(request.GET.get("co_quan")),
        query=_q(request),
    )


@login_required
def rewards(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    filters = _nomination_filter(request)
    year = filters.year or selectors.today().year
    return render(
        request,
        "operations/rewards.html",
        _common(
            request,
            unit,
            tab="rewards",
            items=selectors.nominations(unit, filters),
            f=filters,
            year=year,
            years=_years(unit, year),
            statuses=Nomination.Status.choices,
            nominee_kinds=Nomination.NomineeKind.choices,
            bodies=Body.objects.filter(unit=unit, is_active=True),
            meetings=CouncilMeeting.objects.filter(unit=unit, year=year).prefetch_related(
                "members", "nominations"
            ),
            decisions=selectors.decisions(unit, year),
            figures=selectors.reward_figures(unit=unit, year=year),
            may_nominate=bool(perms.duty_bodies_for(request.user, unit)),
        ),
    )


@login_required
def rewards_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    filters = _nomination_filter(request)
    rows = selectors.nomination_rows(selectors.nominations(unit, filters))
    return _xlsx(
        f"khen-thuong-{unit.slug}-{filters.year}.xlsx",
        "Đề nghị khen thưởng",
        selectors.NOMINATION_HEADER,
        rows,
        f"Đề nghị khen thưởng năm {filters.year} — {unit.full_name}",
    )


def _nomination(request: HttpRequest, unit: Unit, pk: int) -> Nomination:
    return access.get_object_for(
        request.user,
        Nomination.objects.filter(unit=unit).select_related("body", "proposed_by_body", "decision", "unit"),
        pk=pk,
    )


@login_required
def nomination_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    proposers = perms.duty_bodies_for(request.user, unit)
    perms.require_that(request.user, unit, bool(proposers))
    nomination = _nomination(request, unit, pk) if pk else None
    if nomination is not None:
        perms.require_that(request.user, unit, services.may_edit_nomination(request.user, nomination))
    year = nomination.year if nomination else _year(request)
    form = f.NominationForm(
        request.POST or None,
        request.FILES or None,
        unit=unit,
        year=year,
        proposers=proposers,
        tasks=selectors.task_choices(unit),
        initial=f.NominationForm.initial_for(nomination)
        if nomination
        else {"nominee_kind": Nomination.NomineeKind.INDIVIDUAL, "proposed_form": RewardForm.GIAY_KHEN},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: (
                services.update_nomination(
                    actor=request.user,
                    nomination=nomination,
                    expected_version=d["version"],
                    activities=d["activities"],
                    tasks=d["tasks"],
                    uploads=d["uploads"],
                    **form.service_fields(),
                )
                if nomination
                else services.nominate(
                    actor=request.user,
                    unit=unit,
                    year=year,
                    proposed_by_body=d["proposed_by_body"],
                    activities=d["activities"],
                    tasks=d["tasks"],
                    uploads=d["uploads"],
                    **form.service_fields(),
                )
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu đề nghị khen thưởng."))
            return redirect("operations:nomination_detail", slug=unit.slug, pk=saved.pk)
    title = _("Sửa đề nghị khen thưởng") if nomination else _("Đề nghị khen thưởng năm %(y)s") % {"y": year}
    return _form_page(
        request,
        unit,
        form,
        title,
        reverse("operations:rewards", args=[unit.slug]) + f"?nam={year}",
        multipart=True,
        intro=_("Khen thưởng, biểu dương cá nhân, tập thể có thành tích tiêu biểu (tháng 12 hằng năm)."),
    )


@login_required
def nomination_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    n = _nomination(request, unit, pk)
    return render(
        request,
        "operations/nomination_detail.html",
        _common(
            request,
            unit,
            tab="rewards",
            n=n,
            may_edit=services.may_edit_nomination(request.user, n),
            votes=n.votes.select_related("member", "meeting").order_by(
                "meeting__held_on", "member__position"
            ),
        ),
    )


@login_required
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    access.require(request.user, Capability.COORDINATE, unit)
    year = _year(request)
    form = f.CouncilMeetingForm(
        request.POST or None,
        request.FILES or None,
        unit=unit,
        year=year,
        initial={
            "nominations": list(
                Nomination.objects.filter(
                    unit=unit, year=year, status=Nomination.Status.PROPOSED
                ).values_list("pk", flat=True)
            )
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        meeting = _attempt(
            form,
            lambda: services.hold_council_meeting(
                actor=request.user,
                unit=unit,
                year=year,
                held_on=d["held_on"],
                members=services.parse_members(d["members"]),
                nominations=d["nominations"],
                place=d["place"],
                chair=d["chair"],
                note=d["note"],
                minutes=d["minutes"],
            ),
        )
        if meeting is not None:
            messages.success(request, _("Đã ghi phiên họp; tiếp theo: ghi biểu quyết từng đề nghị."))
            return redirect("operations:meeting_detail", slug=unit.slug, pk=meeting.pk)
    return _form_page(
        request,
        unit,
        form,
        _("Phiên họp Hội đồng Thi đua - Khen thưởng năm %(y)s") % {"y": year},
        reverse("operations:rewards", args=[unit.slug]) + f"?nam={year}",
        multipart=True,
    )


@login_required
def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    meeting = access.get_object_for(
        request.user, CouncilMeeting.objects.filter(unit=unit).select_related("minutes", "unit"), pk=pk
    )
    forms_by_nomination: dict[int, Any] = {}
    status = 200
    if request.method == "POST":
        access.require(request.user, Capability.COORDINATE, unit)
        nomination = meeting.nominations.filter(pk=_int(request.POST.get("nomination")) or 0).first()
        if nomination is None:
            raise Http404
        form = f.VotesForm(request.POST, meeting=meeting, prefix=f"n{nomination.pk}")
        if form.is_valid():
            saved = _attempt(
                form,
                lambda: services.record_votes(
                    actor=request.user,
                    meeting=meeting,
                    nomination=nomination,
                    votes=form.votes(),
                    expected_version=form.cleaned_data["version"],
                ),
            )
            if saved is not None:
                messages.success(request, _("Đã ghi biểu quyết: %(s)s.") % {"s": saved.get_status_display()})
                return redirect("operations:meeting_detail", slug=unit.slug, pk=meeting.pk)
        forms_by_nomination[nomination.pk] = form
        status = 400
    sheets = selectors.meeting_sheets(meeting)
    for sheet in sheets:
        if sheet.nomination.pk not in forms_by_nomination:
            initial = {f"vote_{m}": c for m, c in sheet.votes.items()} | {"version": sheet.nomination.version}
            forms_by_nomination[sheet.nomination.pk] = f.VotesForm(
                meeting=meeting, prefix=f"n{sheet.nomination.pk}", initial=initial
            )
    return render(
        request,
        "operations/meeting_detail.html",
        _common(
            request,
            unit,
            tab="rewards",
            meeting=meeting,
            members=list(meeting.members.all()),
            sheets=[(s, forms_by_nomination[s.nomination.pk]) for s in sheets],
        ),
        status=status,
    )


@login_required
def decision_create(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_decide_rewards(request.user, unit))
    year = _year(request)
    form = f.DecisionForm(request.POST or None, request.FILES or None, unit=unit, year=year)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        decision = _attempt(
            form,
            lambda: services.record_reward_decision(
                actor=request.user,
                unit=unit,
                year=year,
                number=d["number"],
                signed_on=d["signed_on"],
                reward_form=d["reward_form"],
                nominations=d["nominations"],
                signer=d["signer"],
                upload=d["upload"],
            ),
        )
        if decision is not None:
            messages.success(request, _("Đã ghi quyết định khen thưởng %(d)s.") % {"d": decision})
            return redirect(reverse("operations:rewards", args=[unit.slug]) + f"?nam={year}")
    return _form_page(
        request,
        unit,
        form,
        _("Quyết định khen thưởng năm %(y)s") % {"y": year},
        reverse("operations:rewards", args=[unit.slug]) + f"?nam={year}",
        multipart=True,
        intro=_(
            "Chỉ chọn được các đề nghị Hội đồng Thi đua - Khen thưởng đã biểu quyết đề nghị khen thưởng."
        ),
    )


@login_required
def good_practices(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    flag = request.GET.get("cong_khai", "")
    items = selectors.good_practices(
        unit, year=year, query=_q(request), published={"co": True, "khong": False}.get(flag)
    )
    return render(
        request,
        "operations/good_practices.html",
        _common(
            request,
            unit,
            tab="rewards",
            items=items,
            year=year,
            years=_years(unit, year),
            query=_q(request),
            flag=flag,
        ),
    )


@login_required
def good_practices_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    flag = request.GET.get("cong_khai", "")
    items = selectors.good_practices(
        unit, year=year, query=_q(request), published={"co": True, "khong": False}.get(flag)
    )
    rows = [
        [g.year, g.title, g.summary, g.body.name if g.body else "", "có" if g.is_published else "không"]
        for g in items
    ]
    return _xlsx(
        f"dien-hinh-{unit.slug}-{year}.xlsx",
        "Cách làm hay",
        ["Năm", "Tiêu đề", "Nội dung", "Cơ quan, thôn", "Đã công khai"],
        rows,
        f"Cách làm hay, điển hình năm {year} — {unit.full_name}",
    )


@login_required
def good_practice_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_publicise(request.user, unit))
    practice = (
        access.get_object_for(request.user, GoodPractice.objects.filter(unit=unit), pk=pk) if pk else None
    )
    year = practice.year if practice else _year(request)
    initial = (
        {k: getattr(practice, k) for k in ("title", "summary", "version")}
        | {"body": practice.body_id, "nomination": practice.nomination_id, "activity": practice.activity_id}
        if practice
        else {}
    )
    form = f.GoodPracticeForm(request.POST or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _attempt(
            form,
            lambda: (
                services.update_good_practice(
                    actor=request.user,
                    practice=practice,
                    expected_version=form.cleaned_data["version"],
                    **form.service_fields(),
                )
                if practice
                else services.add_good_practice(
                    actor=request.user, unit=unit, year=year, **form.service_fields()
                )
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu cách làm hay."))
            return redirect(reverse("operations:good_practices", args=[unit.slug]) + f"?nam={year}")
    return _form_page(
        request,
        unit,
        form,
        _("Cách làm hay, điển hình năm %(y)s") % {"y": year},
        reverse("operations:good_practices", args=[unit.slug]) + f"?nam={year}",
    )


@login_required
@require_POST
def good_practice_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    practice = access.get_object_for(request.user, GoodPractice.objects.filter(unit=unit), pk=pk)
    try:
        services.set_good_practice_published(
            actor=request.user,
            practice=practice,
            published=request.POST.get("publish") == "1",
            expected_version=_int(request.POST.get("version")),
        )
        messages.success(
            request, _("Đã công khai.") if request.POST.get("publish") == "1" else _("Đã thôi công khai.")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("operations:good_practices", args=[unit.slug]) + f"?nam={practice.year}")


@login_required
def shortfalls(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    args = _year_status_args(request, Shortfall.Status)
    return render(
        request,
        "operations/shortfalls.html",
        _common(
            request,
            unit,
            tab="rewards",
            items=selectors.shortfall_list(unit, **args),
            year=args["year"],
            years=_years(unit, args["year"]),
            status=args["status"],
            query=args["query"],
            statuses=Shortfall.Status.choices,
        ),
    )


@login_required
def shortfalls_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    args = _year_status_args(request, Shortfall.Status)
    rows = selectors.shortfall_rows(selectors.shortfall_list(unit, **args))
    return _xlsx(
        f"chua-nghiem-tuc-{unit.slug}-{args['year']}.xlsx",
        "Chưa nghiêm túc",
        selectors.SHORTFALL_HEADER,
        rows,
        f"Đơn vị thực hiện chưa nghiêm túc năm {args['year']} (nội bộ) — {unit.full_name}",
    )


@login_required
def shortfall_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_publicise(request.user, unit))
    item = access.get_object_for(request.user, Shortfall.objects.filter(unit=unit), pk=pk) if pk else None
    year = item.year if item else _year(request)
    initial = (
        {
            k: getattr(item, k)
            for k in ("subject", "reason", "noted_on", "status", "resolution_note", "version")
        }
        | {"body": item.body_id}
        if item
        else {"noted_on": selectors.today()}
    )
    form = f.ShortfallForm(request.POST or None, unit=unit, initial=initial)
    if not item:
        del form.fields["status"]
        del form.fields["resolution_note"]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: (
                services.update_shortfall(
                    actor=request.user,
                    shortfall=item,
                    expected_version=d["version"],
                    status=d.get("status") or None,
                    resolution_note=d.get("resolution_note"),
                    **form.service_fields(),
                )
                if item
                else services.record_shortfall(
                    actor=request.user, unit=unit, year=year, **form.service_fields()
                )
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu."))
            return redirect(reverse("operations:shortfalls", args=[unit.slug]) + f"?nam={year}")
    return _form_page(
        request,
        unit,
        form,
        _("Đơn vị thực hiện chưa nghiêm túc (nội bộ)"),
        reverse("operations:shortfalls", args=[unit.slug]) + f"?nam={year}",
        intro=_("Danh sách này chỉ dùng trong nội bộ, không hiện trên trang công khai."),
    )


# ------------------------------------------------------------------------------------------- reviews


def _review_items(request: HttpRequest, unit: Unit) -> list[ProgrammeReview]:
    kind = request.GET.get("loai", "")
    status = request.GET.get("trang_thai", "")
    items = list(selectors.unit_reviews(unit))
    if kind in ProgrammeReview.Kind.values:
        items = [r for r in items if r.kind == kind]
    if status in ProgrammeReview.Status.values:
        items = [r for r in items if r.status == status]
    query = _q(request)
    return [r for r in items if selectors.matches(query, r.title, *(s.text for s in r.sections.all()))]


@login_required
def reviews(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    return render(
        request,
        "operations/reviews.html",
        _common(
            request,
            unit,
            tab="reviews",
            items=_review_items(request, unit),
            this_year=selectors.today().year,
            query=_q(request),
            kind=request.GET.get("loai", ""),
            status=request.GET.get("trang_thai", ""),
            kinds=ProgrammeReview.Kind.choices,
            statuses=ProgrammeReview.Status.choices,
        ),
    )


@login_required
def reviews_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    rows = [
        [
            r.get_kind_display(),
            r.title,
            r.from_year,
            r.year,
            r.get_status_display(),
            sum(1 for s in r.sections.all() if s.text.strip()),
            r.sections.count(),
        ]
        for r in _review_items(request, unit)
    ]
    header = ["Loại", "Tiêu đề", "Từ năm", "Đến năm", "Trạng thái", "Số mục đã viết", "Số mục"]
    return _xlsx(
        f"so-ket-tong-ket-{unit.slug}.xlsx",
        "Sơ kết, tổng kết",
        header,
        rows,
        f"Sơ kết, tổng kết — {unit.full_name}",
    )


@login_required
def review_open(request: HttpRequest, slug: str) -> HttpResponse:
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
def review_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
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
def review_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
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
def section_edit(request: HttpRequest, slug: str, pk: int, section_id: int) -> HttpResponse:
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
def section_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
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
def review_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    review = _review(request, unit, pk)
    version = _int(request.POST.get("version"))
    try:
        if request.POST.get("action") == "reopen":
            services.reopen_review(actor=request.user, review=review, expected_version=version)
            messages.success(request, _("Đã mở lại để sửa."))
        else:
            services.complete_review(actor=request.user, review=review, expected_version=version)
            messages.success(request, _("Đã hoàn thành; số liệu được chốt."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("operations:review_detail", slug=unit.slug, pk=review.pk)


# ------------------------------------------------------------------------------ conferences, signing


@login_required
def conferences(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    args = _year_status_args(request, Conference.Status)
    return render(
        request,
        "operations/conferences.html",
        _common(
            request,
            unit,
            tab="office",
            items=selectors.conferences(unit, **args),
            year=args["year"],
            years=_years(unit, args["year"]),
            status=args["status"],
            query=args["query"],
            statuses=Conference.Status.choices,
        ),
    )


@login_required
def conferences_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    args = _year_status_args(request, Conference.Status)
    rows = selectors.conference_rows(selectors.conferences(unit, **args))
    return _xlsx(
        f"hoi-nghi-{unit.slug}-{args['year']}.xlsx",
        "Hội nghị",
        selectors.CONFERENCE_HEADER,
        rows,
        f"Hội nghị năm {args['year']} — {unit.full_name}",
    )


@login_required
def conference_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_organise(request.user, unit))
    conference = (
        access.get_object_for(request.user, Conference.objects.filter(unit=unit), pk=pk) if pk else None
    )
    initial = (
        f.ConferenceForm.initial_for(conference) if conference else {"review": _int(request.GET.get("dot"))}
    )
    form = f.ConferenceForm(
        request.POST or None,
        request.FILES or None,
        unit=unit,
        editing=conference is not None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: (
                services.update_conference(
                    actor=request.user,
                    conference=conference,
                    expected_version=d["version"],
                    status=d.get("status") or None,
                    minutes=d.get("minutes"),
                    **form.service_fields(),
                )
                if conference
                else services.schedule_conference(actor=request.user, unit=unit, **form.service_fields())
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu hội nghị."))
            return redirect(
                reverse("operations:conferences", args=[unit.slug]) + f"?nam={saved.held_on.year}"
            )
    return _form_page(
        request,
        unit,
        form,
        _("Sửa hội nghị") if conference else _("Lên lịch hội nghị"),
        reverse("operations:conferences", args=[unit.slug]),
        multipart=True,
    )


def _signature_args(request: HttpRequest) -> dict[str, Any]:
    return {
        "status": _choice(request, "trang_thai", SignatureRequest.Status),
        "kind": _choice(request, "loai", SignatureRequest.DocumentKind),
        "year": year_param(request.GET.get("nam")),
        "query": _q(request),
    }


@login_required
def signatures(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    args = _signature_args(request)
    return render(
        request,
        "operations/signatures.html",
        _common(
            request,
            unit,
            tab="office",
            items=selectors.signature_requests(unit, **args),
            a=args,
            statuses=SignatureRequest.Status.choices,
            kinds=SignatureRequest.DocumentKind.choices,
            years=_years(unit, args["year"] or selectors.today().year),
        ),
    )


@login_required
def signatures_export(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    rows = selectors.signature_rows(selectors.signature_requests(unit, **_signature_args(request)))
    return _xlsx(
        f"trinh-ky-{unit.slug}.xlsx",
        "Trình ký",
        selectors.SIGNATURE_HEADER,
        rows,
        f"Văn bản trình ký — {unit.full_name}",
    )


def _signature(request: HttpRequest, unit: Unit, pk: int) -> SignatureRequest:
    return access.get_object_for(
        request.user,
        SignatureRequest.objects.filter(unit=unit).select_related(
            "body", "file", "requested_by", "decided_by", "unit"
        ),
        pk=pk,
    )


@login_required
def signature_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    unit = _unit_page(request, slug)
    perms.require_that(request.user, unit, perms.may_organise(request.user, unit))
    item = _signature(request, unit, pk) if pk else None
    initial = (
        {k: getattr(item, k) for k in ("title", "document_kind", "link", "note", "version")}
        | {"body": item.body_id}
        if item
        else {}
    )
    form = f.SignatureRequestForm(request.POST or None, request.FILES or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: (
                services.update_signature_request(
                    actor=request.user,
                    request=item,
                    expected_version=d["version"],
                    upload=d["upload"],
                    **form.service_fields(),
                )
                if item
                else services.request_signature(
                    actor=request.user, unit=unit, upload=d["upload"], **form.service_fields()
                )
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã trình ký; lãnh đạo đã được thông báo."))
            return redirect("operations:signature_detail", slug=unit.slug, pk=saved.pk)
    return _form_page(
        request,
        unit,
        form,
        _("Sửa, trình ký lại") if item else _("Trình ký văn bản"),
        reverse("operations:signatures", args=[unit.slug]),
        multipart=True,
    )


@login_required
def signature_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    unit = _unit_page(request, slug)
    item = _signature(request, unit, pk)
    may_sign = perms.may_sign(request.user, unit)
    form = f.DecideForm(request.POST or None, initial={"version": item.version, "decision": "signed"})
    if request.method == "POST":
        perms.require_that(request.user, unit, may_sign)
        if form.is_valid():
            d = form.cleaned_data
            saved = _attempt(
                form,
                lambda: services.decide_signature(
                    actor=request.user,
                    request=item,
                    decision=d["decision"],
                    expected_version=d["version"],
                    signed_on=d["signed_on"],
                    reason=d["reason"],
                ),
            )
            if saved is not None:
                messages.success(request, _("Đã ghi: %(s)s.") % {"s": saved.get_status_display()})
                return redirect("operations:signature_detail", slug=unit.slug, pk=item.pk)
    return render(
        request,
        "operations/signature_detail.html",
        _common(
            request,
            unit,
            tab="office",
            item=item,
            form=form,
            may_sign_this=may_sign and item.status == SignatureRequest.Status.WAITING,
            digital=signature_selectors.state_of(
                next(iter(signature_selectors.request_signatures(item)), None)
            ),
        ),
        status=400 if request.method == "POST" else 200,
    )
