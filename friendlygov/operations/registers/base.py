"""What a register of the operations area is: one description read by the one list, export and edit page.

A register says which filters its list reads from the query string, which selector lists its items, which
columns its Excel export has (a header and a typed accessor each), which form and which services create and
update an item, and who may write (a capability of ``operations.permissions``). The generic pages are in
``operations.views.registers``; the registry is ``operations.registers.REGISTERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest
from django.utils.functional import Promise

from friendlygov.org.access import Actor, AuthenticatedRequest
from friendlygov.org.models import Unit

F = TypeVar("F")  # the list's filters, parsed from the query string
T = TypeVar("T")  # an item of a list or a row of an export
M = TypeVar("M", bound=Model)  # the model an edit page writes
FormT = TypeVar("FormT", bound=Form)


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of an export: its header and how a row gives its cell."""

    header: str
    value: Callable[[T], Any]


@dataclass(frozen=True)
class ListPage(Generic[F, T]):
    """What a list page's own context is computed from."""

    request: HttpRequest
    unit: Unit
    filters: F
    items: Sequence[T]


def no_context(page: ListPage[Any, Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Listing(Generic[F, T]):
    """The list page: its template, the tab it shows under, its selector and the context that differs.

    With ``per_page`` the items are paginated (``page`` and ``total`` in the context); otherwise they are
    given whole under ``items_name``."""

    template: str
    tab: str
    select: Callable[[Unit, F], Sequence[T]]
    context: Callable[[ListPage[F, T]], dict[str, Any]] = no_context
    per_page: int | None = None
    items_name: str = "items"


@dataclass(frozen=True)
class Export(Generic[F, T]):
    """The Excel export of a list: the rows (usually the list's items), the columns, the file's names."""

    rows: Callable[[Unit, F], Sequence[T]]
    columns: tuple[Column[T], ...]
    filename: Callable[[Unit, F], str]
    sheet: Callable[[F], str]
    title: Callable[[Unit, F], str]

    @property
    def header(self) -> list[str]:
        return [c.header for c in self.columns]

    def table(self, unit: Unit, filters: F) -> list[list[Any]]:
        return [[c.value(row) for c in self.columns] for row in self.rows(unit, filters)]


@dataclass(frozen=True)
class EditPage(Generic[M]):
    """What an edit page's pieces are computed from: the item (None when creating) and its year."""

    request: AuthenticatedRequest
    unit: Unit
    item: M | None
    year: int | None


def no_page_context(page: EditPage[Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Editor(Generic[M, FormT]):
    """The create and update page of a register.

    ``fetch`` finds the item in the unit (404 for anyone who may not read it); ``item_permission``, when
    given, is checked on the found item; ``year`` gives an item's year (creating: the year of the query
    string), None for a register without years. ``create`` and ``update`` call the services with the valid
    form's values; ``adjust`` changes the form once built (a field disabled or removed)."""

    form: type[FormT]
    fetch: Callable[[AuthenticatedRequest, Unit, int], M]
    form_kwargs: Callable[[EditPage[M]], dict[str, Any]]
    create: Callable[[EditPage[M], FormT], M]
    update: Callable[[EditPage[M], M, FormT], M]
    message: Callable[[EditPage[M]], str]
    title: Callable[[EditPage[M]], str]
    back: Callable[[EditPage[M]], str]
    done: Callable[[EditPage[M], M], str]
    year: Callable[[M], int] | None = None
    item_permission: Callable[[Actor, Unit, M], bool] | None = None
    adjust: Callable[[EditPage[M], FormT], None] | None = None
    page: Callable[[EditPage[M]], dict[str, Any]] = no_page_context


@dataclass(frozen=True)
class Register(Generic[F]):
    """One register of the operations area. ``permission`` says who may create and edit its items."""

    key: str
    title: str | Promise
    model: type[Model]
    filters: Callable[[HttpRequest], F]
    permission: Callable[[Actor, Unit], bool]
    listing: Listing[F, Any] | None = None
    export: Export[F, Any] | None = None
    editor: Editor[Any, Any] | None = field(default=None)
