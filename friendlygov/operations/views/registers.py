"""The one list, export and edit page of the operations registers, each bound to a register's description
(``operations.registers``): ``list_view(register)`` gives the view function the URL points at."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from friendlygov.kit.downloads import xlsx_response
from friendlygov.kit.spreadsheets import SheetSpec, write_sheets
from friendlygov.operations import permissions as perms
from friendlygov.operations.params import year_of
from friendlygov.operations.registers import Editor, EditPage, Export, Listing, ListPage, Register
from friendlygov.org.access import AuthenticatedRequest
from friendlygov.org.pages import commune_page as _unit_page

from .common import _attempt, _common, _form_page

ListView = Callable[[AuthenticatedRequest, str], HttpResponse]
EditView = Callable[..., HttpResponse]


def list_view(register: Register[Any]) -> ListView:
    listing: Listing[Any, Any] | None = register.listing
    if listing is None:
        raise ValueError(f"register {register.key} has no list page")

    @login_required
    def view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
        unit = _unit_page(request, slug)
        filters = register.filters(request)
        items = listing.select(unit, filters)
        shown: dict[str, Any] = (
            {
                "page": Paginator(items, listing.per_page).get_page(request.GET.get("page")),
                "total": len(items),
            }
            if listing.per_page
            else {listing.items_name: items}
        )
        extra = listing.context(ListPage(request=request, unit=unit, filters=filters, items=items))
        context = _common(request, unit, tab=listing.tab, register=register, **shown, **extra)
        return render(request, listing.template, context)

    view.__name__ = register.key
    return view


def export_view(register: Register[Any]) -> ListView:
    export: Export[Any, Any] | None = register.export
    if export is None:
        raise ValueError(f"register {register.key} has no export")

    @login_required
    def view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
        unit = _unit_page(request, slug)
        filters = register.filters(request)
        sheet = SheetSpec(name=export.sheet(filters), header=export.header, rows=export.table(unit, filters))
        data = write_sheets([sheet], title=export.title(unit, filters))
        return xlsx_response(data, export.filename(unit, filters))

    view.__name__ = f"{register.key}_export"
    return view


def edit_view(register: Register[Any]) -> EditView:
    """Create (no ``pk``) and update (``pk``) an item of the register."""
    editor: Editor[Any, Any] | None = register.editor
    if editor is None:
        raise ValueError(f"register {register.key} has no edit page")

    @login_required
    def view(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
        unit = _unit_page(request, slug)
        perms.require_that(request.user, unit, register.permission(request.user, unit))
        item = editor.fetch(request, unit, pk) if pk else None
        if item is not None and editor.item_permission is not None:
            perms.require_that(request.user, unit, editor.item_permission(request.user, unit, item))
        year = None if editor.year is None else editor.year(item) if item is not None else year_of(request)
        page = EditPage(request=request, unit=unit, item=item, year=year)
        form = editor.form(request.POST or None, request.FILES or None, **editor.form_kwargs(page))
        if editor.adjust is not None:
            editor.adjust(page, form)
        if request.method == "POST" and form.is_valid():
            saved = _attempt(
                form,
                lambda: editor.update(page, item, form) if item is not None else editor.create(page, form),
            )
            if saved is not None:
                messages.success(request, editor.message(page))
                return redirect(editor.done(page, saved))
        return _form_page(request, unit, form, editor.title(page), editor.back(page), **editor.page(page))

    view.__name__ = f"{register.key}_edit"
    return view
