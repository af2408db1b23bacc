"""The budget registers of the Economic Office: the yearly estimate's lines and the spending against them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import BudgetLine, BudgetSource, Spending
from friendlygov.operations.params import int_or_none, query_of, year_of, years_around
from friendlygov.org import access
from friendlygov.org.models import Unit

from .base import Column, Editor, EditPage, Export, Listing, ListPage, Register

# ------------------------------------------------------------------------------------------ estimate lines


def line_filter(request: HttpRequest) -> selectors.BudgetLineFilter:
    return selectors.BudgetLineFilter(
        year=year_of(request), source=request.GET.get("nguon", ""), query=query_of(request)
    )


def _budget_context(p: ListPage[selectors.BudgetLineFilter, selectors.LineRow]) -> dict[str, Any]:
    year = p.filters.year
    return {
        "year": year,
        "years": years_around(p.unit, year),
        "query": p.filters.query,
        "source": p.filters.source,
        "sources": BudgetSource.choices,
        "figures": selectors.budget_figures(unit=p.unit, year=year),
        "recent": selectors.spendings(p.unit, selectors.SpendingFilter(year=year))[:10],
    }


def _get(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda line: line.get(key, "")


def _source(line: dict[str, Any]) -> str:
    if "source_label" not in line:
        return ""
    return str(line["source_label"]) + (f" ({line['source_note']})" if line["source_note"] else "")


# the estimate the Economic Office sends up: numbered lines and a total row (selectors.estimate_lines)
ESTIMATE_COLUMNS: tuple[Column[dict[str, Any]], ...] = (
    Column("STT", _get("number")),
    Column("Nội dung chi", _get("title")),
    Column("Nhiệm vụ kế hoạch", _get("task")),
    Column("Hình thức tuyên truyền", _get("kind_label")),
    Column("Nguồn kinh phí", _source),
    Column("Dự toán đề nghị (đồng)", _get("estimated")),
    Column("Được phê duyệt (đồng)", _get("approved")),
    Column("Quyết định giao dự toán", _get("approval_ref")),
    Column("Đã chi (đồng)", _get("spent")),
    Column("Còn lại (đồng)", _get("remaining")),
    Column("Ghi chú", _get("note")),
)


def _budget_url(unit: Unit, year: int | None) -> str:
    return reverse("operations:budget", args=[unit.slug]) + f"?nam={year}"


def _fetch_line(request: HttpRequest, unit: Unit, pk: int) -> BudgetLine:
    return access.get_object_for(request.user, BudgetLine.objects.filter(unit=unit), pk=pk)


def _add_line(p: EditPage[BudgetLine], form: f.BudgetLineForm) -> BudgetLine:
    assert p.year is not None  # the register has years
    return services.add_budget_line(
        actor=p.request.user,
        unit=p.unit,
        year=p.year,
        position=form.cleaned_data["position"],
        **form.service_fields(),
    )


def _update_line(p: EditPage[BudgetLine], line: BudgetLine, form: f.BudgetLineForm) -> BudgetLine:
    d = form.cleaned_data
    return services.update_budget_line(
        actor=p.request.user,
        line=line,
        expected_version=d["version"],
        position=d["position"] or 0,
        **form.service_fields(),
    )


BUDGET_LINES: Register[selectors.BudgetLineFilter] = Register(
    key="budget",
    title=gettext_lazy("Kinh phí"),
    model=BudgetLine,
    filters=line_filter,
    permission=perms.may_manage_budget,
    listing=Listing(
        template="operations/budget.html",
        tab="budget",
        select=selectors.budget_lines,
        context=_budget_context,
        items_name="rows",
    ),
    export=Export(
        rows=lambda unit, flt: selectors.estimate_lines(unit, flt.year),
        columns=ESTIMATE_COLUMNS,
        filename=lambda unit, flt: f"du-toan-{unit.slug}-{flt.year}.xlsx",
        sheet=lambda flt: f"Dự toán {flt.year}",
        title=lambda unit, flt: (
            f"DỰ TOÁN KINH PHÍ THỰC HIỆN MÔ HÌNH “CHÍNH QUYỀN THÂN THIỆN” NĂM {flt.year} — "
            f"{unit.full_name.upper()}"
        ),
    ),
    editor=Editor(
        form=f.BudgetLineForm,
        fetch=_fetch_line,
        year=lambda line: line.year,
        form_kwargs=lambda p: {
            "tasks": selectors.task_choices(p.unit),
            "initial": f.BudgetLineForm.initial_for(p.item) if p.item else {},
        },
        create=_add_line,
        update=_update_line,
        message=lambda p: _("Đã lưu dòng dự toán."),
        title=lambda p: (
            _("Sửa dòng dự toán năm %(y)s") % {"y": p.year}
            if p.item
            else _("Thêm dòng dự toán năm %(y)s") % {"y": p.year}
        ),
        back=lambda p: _budget_url(p.unit, p.year),
        done=lambda p, saved: _budget_url(p.unit, p.year),
    ),
)


# ------------------------------------------------------------------------------------------ spendings


def spending_filter(request: HttpRequest) -> selectors.SpendingFilter:
    return selectors.SpendingFilter(
        year=year_of(request), line_id=int_or_none(request.GET.get("dong")), query=query_of(request)
    )


def _spending_context(p: ListPage[selectors.SpendingFilter, Spending]) -> dict[str, Any]:
    return {
        "amount": sum(s.amount for s in p.items),
        "f": p.filters,
        "year": p.filters.year,
        "years": years_around(p.unit, p.filters.year or 0),
        "lines": BudgetLine.objects.filter(unit=p.unit, year=p.filters.year or 0),
    }


SPENDING_COLUMNS: tuple[Column[Spending], ...] = (
    Column("Ngày chi", lambda s: s.spent_on),
    Column("Nội dung", lambda s: s.description),
    Column("Số tiền (đồng)", lambda s: s.amount),
    Column("Số chứng từ", lambda s: s.voucher),
    Column("Dòng dự toán", lambda s: s.line.title),
    Column("Nguồn", lambda s: s.line.get_source_display()),
    Column("Hoạt động tuyên truyền", lambda s: s.activity.title if s.activity else ""),
)


def _fetch_spending(request: HttpRequest, unit: Unit, pk: int) -> Spending:
    return access.get_object_for(
        request.user, Spending.objects.filter(unit=unit).select_related("line"), pk=pk
    )


def _spending_kwargs(p: EditPage[Spending]) -> dict[str, Any]:
    spending = p.item
    if spending:
        initial: dict[str, Any] = {
            k: getattr(spending, k) for k in ("spent_on", "amount", "description", "voucher", "version")
        }
        initial |= {"line": spending.line_id, "activity": spending.activity_id}
    else:
        initial = {
            "line": int_or_none(p.request.GET.get("dong")),
            "spent_on": selectors.today() if selectors.today().year == p.year else None,
        }
    return {"unit": p.unit, "year": p.year, "initial": initial}


def _lock_line(p: EditPage[Spending], form: f.SpendingForm) -> None:
    if p.item:
        form.fields["line"].disabled = True


def _record_spending(p: EditPage[Spending], form: f.SpendingForm) -> Spending:
    d = form.cleaned_data
    return services.record_spending(
        actor=p.request.user, line=d["line"], upload=d["upload"], **form.service_fields()
    )


def _update_spending(p: EditPage[Spending], spending: Spending, form: f.SpendingForm) -> Spending:
    d = form.cleaned_data
    return services.update_spending(
        actor=p.request.user,
        spending=spending,
        expected_version=d["version"],
        upload=d["upload"],
        **form.service_fields(),
    )


SPENDINGS: Register[selectors.SpendingFilter] = Register(
    key="spendings",
    title=gettext_lazy("Khoản chi"),
    model=Spending,
    filters=spending_filter,
    permission=perms.may_manage_budget,
    listing=Listing(
        template="operations/spendings.html",
        tab="budget",
        select=selectors.spendings,
        context=_spending_context,
        per_page=50,
    ),
    export=Export(
        rows=selectors.spendings,
        columns=SPENDING_COLUMNS,
        filename=lambda unit, flt: f"khoan-chi-{unit.slug}-{flt.year}.xlsx",
        sheet=lambda flt: "Khoản chi",
        title=lambda unit, flt: f"Các khoản chi năm {flt.year} — {unit.full_name}",
    ),
    editor=Editor(
        form=f.SpendingForm,
        fetch=_fetch_spending,
        year=lambda spending: spending.line.year,
        form_kwargs=_spending_kwargs,
        adjust=_lock_line,
        create=_record_spending,
        update=_update_spending,
        message=lambda p: _("Đã ghi khoản chi."),
        title=lambda p: _("Sửa khoản chi") if p.item else _("Ghi khoản chi năm %(y)s") % {"y": p.year},
        back=lambda p: _budget_url(p.unit, p.year),
        done=lambda p, saved: _budget_url(p.unit, p.year),
        page=lambda p: {"multipart": True},
    ),
)
