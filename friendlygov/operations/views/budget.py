"""Pages of the budget registers: budget lines and spending."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import BudgetLine, BudgetSource, Spending
from friendlygov.operations.params import int_or_none as _int
from friendlygov.operations.params import query_of as _q
from friendlygov.operations.params import year_of as _year
from friendlygov.operations.params import years_around as _years
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.org.pages import commune_page as _unit_page

from .common import _attempt, _common, _form_page, _xlsx


@login_required
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    unit = _unit_page(request, slug)
    year = _year(request)
    query = _q(request)
    source = request.GET.get("nguon", "")
    rows = selectors.budget_lines(unit, selectors.BudgetLineFilter(year=year, source=source, query=query))
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
def budget_line_edit(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
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
def spending_edit(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
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
