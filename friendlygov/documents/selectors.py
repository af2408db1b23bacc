"""Reads of the documents area: issued documents, templates, the kinds a person may render."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from friendlygov.core.panels import Panel
from friendlygov.documents import builders
from friendlygov.documents.kinds import common
from friendlygov.documents.models import DocumentTemplate, IssuedDocument, Kind
from friendlygov.documents.numbering import next_free_number, register_label
from friendlygov.documents.services import proposed_number as proposed_number_for_kind
from friendlygov.org.models import Unit


def issued_documents(unit: Unit, *, year: int | None = None, kind: str = "") -> QuerySet[IssuedDocument]:
    documents = IssuedDocument.objects.filter(unit=unit, draft=False).select_related("created_by", "template")
    if year:
        documents = documents.filter(issued_on__year=year)
    if kind:
        documents = documents.filter(kind=kind)
    return documents.order_by("-issued_on", "-number", "-id")


def issued_years(unit: Unit) -> list[int]:
    dates = IssuedDocument.objects.filter(unit=unit, draft=False, issued_on__isnull=False).dates(
        "issued_on", "year"
    )
    return sorted({d.year for d in dates}, reverse=True)


def templates() -> QuerySet[DocumentTemplate]:
    return DocumentTemplate.objects.select_related("uploaded_by").order_by(
        "kind", "-is_active", "-uploaded_at"
    )


def active_templates() -> dict[str, DocumentTemplate]:
    return {t.kind: t for t in DocumentTemplate.objects.filter(is_active=True)}


@dataclass
class KindChoice:
    kind: str
    label: str
    cli: str  # the command line's spelling ("self-assessment")
    symbol: str
    years_hint: str = ""


def kinds_for(unit: Unit) -> list[KindChoice]:
    """The documents this unit can produce (a commune's six, or the city's consolidated report)."""
    labels = dict(Kind.choices)
    kinds = builders.CITY_KINDS if unit.is_city else builders.UNIT_KINDS
    out = []
    for kind in kinds:
        hint = _("Chỉ năm 2027 (sơ kết) hoặc 2030 (tổng kết).") if kind == Kind.REVIEW else ""
        out.append(
            KindChoice(
                str(kind),
                str(labels[kind]),
                str(kind).replace("_", "-"),
                common.symbol_for(kind, unit),
                hint,
            )
        )
    return out


def proposed_numbers(unit: Unit, year: int) -> list[tuple[str, int]]:
    """Each register this unit's page issues in, named, with its next free number (the city: its People's
    Committee and its Department of Home Affairs, each its own)."""
    from friendlygov.documents.services import issuer_of

    seen: dict[tuple[int, str], tuple[str, int]] = {}
    for choice in kinds_for(unit):
        issuer = issuer_of(choice.kind, unit)
        key = (issuer.unit.pk, issuer.register)
        if key not in seen:
            seen[key] = (
                register_label(issuer.unit, issuer.register),
                next_free_number(issuer.unit, year, issuer.register),
            )
    return list(seen.values())


def proposed_number(unit: Unit, year: int, kind: str = Kind.PLAN) -> int:
    """The next free number of the register ``kind`` is numbered in (the unit's committee by default)."""
    return proposed_number_for_kind(kind, unit, year)


def city_panel(request: HttpRequest, city: Unit) -> Panel | None:
    """The city's consolidated report and the public list of units."""
    from friendlygov.documents.services import can_render

    context = {
        "city": city,
        "can_render": can_render(request.user, city),
        "latest": list(issued_documents(city)[:3]),
    }
    return Panel("documents/panel_city.html", context, order=800)
